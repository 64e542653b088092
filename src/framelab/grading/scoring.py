"""Score an annotation against a key.

Sentence kinds earn credit for the key's kind or an accepted one. Device spans earn
partial credit for partly overlapping characters (as in SemEval-2020 Task 11), per
device and overall, after their edges are trimmed of whitespace and punctuation and
each annotator's marks are merged, device by device, into continuous runs.
Agreement with the key is in :mod:`framelab.grading.agreement`; points and the lines
that explain them in :mod:`framelab.grading.feedback`.

>>> from framelab.texts.model import Annotation, Label, Span
>>> text = "Rebels liberated the city."
>>> key = Annotation("demo", (Label("s01", "fact", why="It can be checked."),),
...                  (Span(7, 16, "loaded", why="It praises.", neutral="took"),))
>>> mine = Annotation("demo", (Label("s01", "fact"),), (Span(7, 17, "loaded"),))
>>> result = score(mine, key, text)
>>> result.kinds, result.spans.f1, result.overall
(1.0, 1.0, 1.0)
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from framelab.grading.agreement import cohen_kappa
from framelab.texts.model import Annotation, FramelabError, Label, Span
from framelab.texts.taxonomy import DEVICES, KINDS, describe

__all__ = ["FOUND", "Item", "Score", "SpanScore", "normalise", "score"]

FOUND = 0.5  # a key span counts as found when at least half its characters are marked


@dataclass(frozen=True)
class Item:
    """One line of feedback: a key sentence, a key span, or something extra the
    annotator marked. ``part`` says which layer it belongs to: "kinds" or "devices";
    ``sentence`` is the id of the sentence it is about ("" for words outside every
    sentence), so that feedback can be shown under that sentence."""

    where: str
    status: str
    message: str
    part: str = "kinds"
    sentence: str = ""


@dataclass(frozen=True)
class SpanScore:
    """Character-overlap precision, recall and F1, with the counts behind them."""

    precision: float
    recall: float
    f1: float
    found: int
    total_key: int
    total_marked: int


@dataclass(frozen=True)
class Score:
    """How an annotation compares with a key."""

    kinds: float
    kinds_right: int
    kinds_total: int
    spans: SpanScore
    devices: dict[str, SpanScore]
    kappa: float
    items: tuple[Item, ...]
    # the recall credit of each key span, by its trimmed (start, end, device)
    span_credits: dict[tuple[int, int, str], float] = field(default_factory=dict)
    # the annotator's marks that lie on words the key marks, but with another device
    other_device: int = 0

    @property
    def overall(self) -> float:
        """The mean of the sentence-kind score and the span F1."""
        return (self.kinds + self.spans.f1) / 2

    def found(self, start: int, end: int, device: str) -> bool:
        """Whether the key span at these trimmed offsets counts as found."""
        return self.span_credits.get((start, end, device), 0.0) >= FOUND


def normalise(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim everything that is not a letter or digit from both edges of
    ``text[start:end]``; the result may be empty (start == end).

    >>> text = 'They "liberated", it said'
    >>> normalise(text, 5, 18), text[6:15]
    ((6, 15), 'liberated')
    >>> normalise(text, 16, 18)
    (18, 18)
    """
    if not isinstance(text, str):
        raise FramelabError(f"the text must be a string, not {type(text).__name__}")
    if not (_is_int(start) and _is_int(end) and 0 <= start <= end <= len(text)):
        raise FramelabError(
            f"span {start!r}-{end!r} is not inside the text; need 0 <= start <= end <= {len(text)}"
        )
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return (start, end) if start < end else (end, end)


def score(
    annotation: Annotation, key: Annotation, text: str, *, unasked: Sequence[Span] = ()
) -> Score:
    """Compare ``annotation`` with ``key``; ``text`` is the document text that the
    span offsets point into. ``unasked``: the key's spans of devices that are not being
    scored (a lesson that asks for some devices only), so that a mark on their words is
    told what the key calls them. Malformed input raises FramelabError."""
    if not isinstance(annotation, Annotation) or not isinstance(key, Annotation):
        wrong = key if isinstance(annotation, Annotation) else annotation
        raise FramelabError(f"score needs two Annotations, got {type(wrong).__name__}")
    if not isinstance(text, str):
        raise FramelabError(f"the document text must be a string, not {type(text).__name__}")
    if annotation.document != key.document:
        raise FramelabError(
            f"the answers are for document {annotation.document!r} "
            f"but the key is for {key.document!r}"
        )
    for who, source in (("answer", annotation), ("key", key)):
        _check_labels(source, who)
        _check_spans(source, who, text)

    kind_items, right, kappa = _score_kinds(annotation, key)
    spans, devices, span_items, credits, other = _score_spans(annotation, key, text, unasked)
    total = len(key.scored_labels)
    return Score(
        kinds=right / total if total else 1.0,
        kinds_right=right,
        kinds_total=total,
        spans=spans,
        devices=devices,
        kappa=kappa,
        items=kind_items + span_items,
        span_credits=credits,
        other_device=other,
    )


# --- checks -------------------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_labels(annotation: Annotation, who: str) -> None:
    if not isinstance(annotation.labels, (tuple, list)):
        raise FramelabError(f"the {who}'s labels must be a tuple of Labels")
    seen: set[str] = set()
    for label in annotation.labels:
        if not isinstance(label, Label) or not isinstance(label.id, str):
            raise FramelabError(f"the {who}'s labels must be Labels with string ids")
        if label.id in seen:
            raise FramelabError(f"the {who} lists sentence {label.id} twice")
        seen.add(label.id)
        if label.kind is not None and label.kind not in KINDS:
            raise FramelabError(
                f"the {who} gives sentence {label.id} the kind {label.kind!r}; "
                f"known kinds: {', '.join(KINDS)}"
            )
        if not isinstance(label.accept, (tuple, list)) or any(k not in KINDS for k in label.accept):
            raise FramelabError(f"the {who} accepts an unknown kind for sentence {label.id}")


def _check_spans(annotation: Annotation, who: str, text: str) -> None:
    if not isinstance(annotation.spans, (tuple, list)):
        raise FramelabError(f"the {who}'s spans must be a tuple of Spans")
    for index, span in enumerate(annotation.spans):
        if not isinstance(span, Span):
            raise FramelabError(f"the {who}'s span {index} is not a Span")
        if span.device not in DEVICES:
            raise FramelabError(
                f"the {who}'s span {index} has the device {span.device!r}; "
                f"known devices: {', '.join(DEVICES)}"
            )
        if not (_is_int(span.start) and _is_int(span.end)) or not (
            0 <= span.start < span.end <= len(text)
        ):
            raise FramelabError(
                f"the {who}'s span {index} ({span.start!r}-{span.end!r}) is not inside the "
                f"text; a span needs 0 <= start < end <= {len(text)}"
            )


# --- sentence kinds -----------------------------------------------------------------


def _score_kinds(annotation: Annotation, key: Annotation) -> tuple[tuple[Item, ...], int, float]:
    chosen = {label.id: label.kind for label in annotation.labels}
    # a unit the key does not grade (a headline, rule K6) earns and costs nothing
    keyed = sorted(key.scored_labels, key=lambda label: (len(label.id), label.id))
    items: list[Item] = []
    theirs: list[str] = []  # the annotator's kinds, an accepted kind counted as the key's
    ours: list[str] = []
    right = 0
    for label in keyed:
        kind = chosen.get(label.id)
        right += label.accepts(kind)
        items.append(Item(label.id, *_kind_feedback(label, kind), sentence=label.id))
        ours.append(label.kind or "untagged")
        theirs.append(label.kind if label.accepts(kind) else (kind or "untagged"))
    known = {label.id for label in key.labels}
    for sid in sorted(set(chosen) - known, key=lambda s: (len(s), s)):
        message = f"{sid}: this text has no sentence {sid}, so your tag for it was not scored."
        items.append(Item(sid, "extra", message, sentence=sid))
    kappa = cohen_kappa(theirs, ours) if keyed else 1.0
    return tuple(items), right, kappa


def _kind_feedback(label: Label, kind: str | None) -> tuple[str, str]:
    preferred = label.kind or "untagged"
    says = preferred + (f" (or {', '.join(label.accept)})" if label.accept else "")
    if kind is not None and kind == label.kind:
        return "right", f"{label.id}: {kind} is right."
    if label.accepts(kind):
        return "accepted", _join(
            f"{label.id}: {kind} is accepted, but the key prefers {preferred}.", label.why
        )
    if kind is None:
        return "untagged", _join(
            f"{label.id}: you did not tag this sentence; the key says {says}.", label.why
        )
    return "wrong", _join(f"{label.id}: you chose {kind}; the key says {says}.", label.why)


# --- spans --------------------------------------------------------------------------


def _score_spans(
    annotation: Annotation, key: Annotation, text: str, unasked: Sequence[Span] = ()
) -> tuple[
    SpanScore, dict[str, SpanScore], tuple[Item, ...], dict[tuple[int, int, str], float], int
]:
    sentences = [
        (label.start, label.end, label.id)
        for label in key.labels
        if _is_int(label.start) and _is_int(label.end)
    ]
    breaks = {start for start, _end, _id in sentences}  # no run reaches past a sentence
    marks = _runs(_normalised(annotation.spans, text), text, breaks)
    golds = _normalised(key.spans, text)
    marked = {d: _cover((a, b) for a, b, dev in marks if dev == d) for d in DEVICES}
    # the key's cover, with what parts two key spans of one device only by spaces and
    # punctuation: a run over both is all right, though each key span is scored alone
    key_runs = _runs(golds, text, breaks)
    keyed = {d: _cover((a, b) for a, b, dev in key_runs if dev == d) for d in DEVICES}
    keyed_any = set().union(*keyed.values())

    precision: dict[str, list[float]] = {d: [] for d in DEVICES}
    recall: dict[str, list[float]] = {d: [] for d in DEVICES}
    items: list[tuple[tuple[int, int, str], Item]] = []
    credits: dict[tuple[int, int, str], float] = {}

    def say(start: int, end: int, device: str, status: str, message: str) -> None:
        sid = _sentence(start, sentences)
        where = _quote(text[start:end]) + (f" ({sid})" if sid else "")
        items.append(((start, end, device), Item(where, status, message, "devices", sid)))

    # how much of each mark lies on the key's phrases of its own device
    own = {mark: _covered(mark[0], mark[1], keyed[mark[2]]) for mark in sorted(marks)}
    for (start, end, device), share in own.items():
        precision[device].append(share)
        if not any(i in keyed_any for i in range(start, end)):
            theirs = sorted({u.device for u in unasked if u.start < end and start < u.end})
            if theirs:
                say(
                    start,
                    end,
                    device,
                    "extra",
                    f"The key marks {_quote(text[start:end])} as {' and '.join(theirs)}, a "
                    f"device not asked for here, not as {device}.",
                )
                continue
            quoted = _in_quotation(text, start, end, sentences)
            ask = (
                "Whose words are they? Words inside quotation marks are the speaker's, "
                "reported as theirs, not the writer's."
                if quoted
                else describe(device).question
            )
            message = (
                f"The key does not mark {_quote(text[start:end])} (you marked it as {device}). "
                f"Ask yourself: {ask}"
            )
            say(start, end, device, "extra", message)
    for (start, end, device), span in sorted(golds.items(), key=lambda g: g[0]):
        credit = _covered(start, end, marked[device])
        recall[device].append(credit)
        credits[(start, end, device)] = credit
        also = {d for d in DEVICES if d != device and any(i in keyed[d] for i in range(start, end))}
        wrong = [d for d in DEVICES if d != device and d not in also]
        wrong_cover = set().union(*(marked[d] for d in wrong))
        used = [d for d in wrong if any(i in marked[d] for i in range(start, end))]
        status, message = _span_feedback(
            _quote(text[start:end]), span, credit, _covered(start, end, wrong_cover), used
        )
        say(start, end, device, status, message)

    other = 0
    for (start, end, device), share in own.items():
        if share >= FOUND:
            continue
        under = [g for g in golds if g[0] < end and start < g[1] and g[2] != device]
        if not under:
            continue  # on words the key leaves unmarked: said above
        other += 1
        if any(credits[g] < FOUND for g in under):
            continue  # that key phrase's own line says what was marked on it
        theirs = " and ".join(sorted({g[2] for g in under}))
        message = (
            f"You marked {_quote(text[start:end])} as {device}; the key marks these words as "
            f"{theirs}, not {device}. Ask yourself: {describe(device).question}"
        )
        say(start, end, device, "wrong-device", message)

    devices = {d: _span_score(precision[d], recall[d]) for d in DEVICES}
    overall = _span_score(
        [c for d in DEVICES for c in precision[d]], [c for d in DEVICES for c in recall[d]]
    )
    items.sort(key=lambda f: f[0])
    return overall, devices, tuple(item for _, item in items), credits, other


def _normalised(spans: Sequence[Span], text: str) -> dict[tuple[int, int, str], Span]:
    """Spans by their trimmed (start, end, device), empty ones dropped, duplicates once."""
    out: dict[tuple[int, int, str], Span] = {}
    for span in spans:
        start, end = normalise(text, span.start, span.end)
        if start < end:
            out.setdefault((start, end, span.device), span)
    return out


def _runs(
    marks: dict[tuple[int, int, str], Span], text: str, breaks: Iterable[int] = ()
) -> dict[tuple[int, int, str], Span]:
    """An annotator's marks merged, device by device, into continuous runs: marks that
    overlap, touch, or are parted only by spaces and punctuation become one, unless a
    sentence starts between them (``breaks``: where sentences start). So splitting a
    mark into pieces, or adding a mark inside another, earns nothing, and a mark at the
    start of a sentence stays apart from one at the end of the sentence before.

    >>> text = "simply not enough, they said"
    >>> marks = {(0, 6, "loaded"): None, (7, 17, "loaded"): None, (2, 4, "loaded"): None}
    >>> list(_runs(marks, text))
    [(0, 17, 'loaded')]
    >>> text = "It fled. Assad's troops left."
    >>> list(_runs({(3, 7, "loaded"): None, (9, 23, "loaded"): None}, text, breaks={0, 9}))
    [(3, 7, 'loaded'), (9, 23, 'loaded')]
    """
    starts = sorted(set(breaks))
    out: dict[tuple[int, int, str], Span] = {}
    for device in DEVICES:
        ordered = sorted((a, b) for a, b, d in marks if d == device)
        run: list[int] | None = None
        for start, end in ordered:
            if (
                run is not None
                and not any(c.isalnum() for c in text[run[1] : start])
                and not _sentence_starts_between(starts, run[1], start)
            ):
                run[1] = max(run[1], end)
                continue
            if run is not None:
                out[(run[0], run[1], device)] = Span(run[0], run[1], device)
            run = [start, end]
        if run is not None:
            out[(run[0], run[1], device)] = Span(run[0], run[1], device)
    return out


def _sentence_starts_between(starts: list[int], after: int, before: int) -> bool:
    """Whether a sentence starts at or between two offsets (``starts`` sorted)."""
    at = bisect_left(starts, after)
    return at < len(starts) and starts[at] <= before


def _in_quotation(
    text: str, start: int, end: int, sentences: Sequence[tuple[int, int, str]]
) -> bool:
    """Whether ``text[start:end]`` lies inside quotation marks within its sentence: an
    odd number of double quotation marks before it, in its sentence, and one after it.

    >>> text = 'They call it a "shameful surrender" of the city.'
    >>> _in_quotation(text, 16, 34, [(0, len(text), "s1")]), _in_quotation(text, 0, 4, [])
    (True, False)
    """
    begin, finish = 0, len(text)
    for a, b, _id in sentences:
        if a <= start < b:
            begin, finish = a, b
            break
    marks = '"\u201c\u201d'
    before = sum(text[begin:start].count(q) for q in marks)
    return before % 2 == 1 and any(q in text[end:finish] for q in marks)


def _cover(spans: Iterable[tuple[int, int]]) -> set[int]:
    return {i for start, end in spans for i in range(start, end)}


def _covered(start: int, end: int, cover: set[int]) -> float:
    return sum(i in cover for i in range(start, end)) / (end - start)


def _span_score(precision: list[float], recall: list[float]) -> SpanScore:
    found = sum(credit >= FOUND for credit in recall)
    if not precision and not recall:
        return SpanScore(1.0, 1.0, 1.0, 0, 0, 0)
    p = sum(precision) / len(precision) if precision else 0.0
    r = sum(recall) / len(recall) if recall else 1.0
    f1 = min(1.0, 2 * p * r / (p + r)) if p + r else 0.0
    return SpanScore(p, r, f1, found, len(recall), len(precision))


def _span_feedback(
    quoted: str, span: Span, credit: float, wrong_credit: float, used: list[str]
) -> tuple[str, str]:
    device = span.device
    neutral = f"Try a neutral choice: {span.neutral}." if span.neutral else ""
    if credit >= FOUND:
        return "found", _join(f"You found {quoted} ({device}).", span.why, neutral)
    if wrong_credit >= FOUND:
        why = f": {span.why}" if span.why else "."
        message = f"You marked {quoted} as {' and '.join(used)}; the key calls it {device}{why}"
        return "wrong-device", _join(message, neutral)
    if credit > 0:
        return "partly", _join(
            f"You marked only part of {quoted} ({device}); mark all of it.",
            span.why,
            neutral,
        )
    return "missed", _join(f"You missed {quoted} ({device}).", span.why, neutral)


def _sentence(start: int, sentences: list[tuple[int, int, str]]) -> str:
    """The id of the sentence in which the character ``start`` lies, or ""."""
    return next((sid for first, last, sid in sentences if first <= start < last), "")


def _quote(words: str) -> str:
    words = " ".join(words.split())
    return f'"{words}"' if len(words) <= 60 else f'"{words[:57]}..."'


def _join(*parts: str) -> str:
    return " ".join(part.strip() for part in parts if part and part.strip())
