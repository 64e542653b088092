"""Score an annotation against a key, explain the score, and turn it into nbgrader points.

Sentence kinds earn credit for the key's kind or an accepted one. Device spans earn
partial credit for partly overlapping characters (as in SemEval-2020 Task 11), per
device and overall, after their edges are trimmed of whitespace and punctuation.
Agreement is Cohen's kappa against the key, or Krippendorff's alpha for a class.

>>> from framelab.texts.model import Annotation, Label, Span
>>> text = "Rebels liberated the city."
>>> key = Annotation("demo", (Label("s01", "fact", why="It can be checked."),),
...                  (Span(7, 16, "loaded", why="It praises.", neutral="took"),))
>>> mine = Annotation("demo", (Label("s01", "fact"),), (Span(7, 17, "loaded"),))
>>> result = score(mine, key, text)
>>> result.kinds, result.spans.f1, result.overall
(1.0, 1.0, 1.0)
>>> points(result.overall, 3)
3.0
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from framelab.texts.model import Annotation, FramelabError, Label, Span
from framelab.texts.taxonomy import DEVICES, KINDS, describe

__all__ = [
    "FOUND",
    "Item",
    "Score",
    "SpanScore",
    "class_alpha",
    "cohen_kappa",
    "feedback_lines",
    "grade",
    "krippendorff_alpha",
    "normalise",
    "points",
    "score",
]

PARTS = ("kinds", "devices", "all")
FOUND = 0.5  # a key span counts as found when at least half its characters are marked


@dataclass(frozen=True)
class Item:
    """One line of feedback: a key sentence, a key span, or something extra the
    annotator marked. ``part`` says which layer it belongs to: "kinds" or "devices"."""

    where: str
    status: str
    message: str
    part: str = "kinds"


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


def score(annotation: Annotation, key: Annotation, text: str) -> Score:
    """Compare ``annotation`` with ``key``; ``text`` is the document text that the
    span offsets point into. Malformed input raises FramelabError."""
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
    spans, devices, span_items, credits = _score_spans(annotation, key, text)
    total = len(key.labels)
    return Score(
        kinds=right / total if total else 1.0,
        kinds_right=right,
        kinds_total=total,
        spans=spans,
        devices=devices,
        kappa=kappa,
        items=kind_items + span_items,
        span_credits=credits,
    )


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's kappa between two equally long sequences of labels; 1.0 when both
    use one and the same label throughout.

    >>> cohen_kappa(["F", "F", "O", "O"], ["F", "O", "O", "O"])
    0.5
    """
    if not isinstance(a, Sequence) or not isinstance(b, Sequence) or len(a) != len(b):
        raise FramelabError("cohen_kappa needs two label sequences of the same length")
    if not a:
        raise FramelabError("cohen_kappa needs at least one pair of labels")
    try:
        counts_a, counts_b = Counter(a), Counter(b)
    except TypeError:
        raise FramelabError("cohen_kappa needs hashable labels (strings, say)") from None
    n = len(a)
    agreed = sum(x == y for x, y in zip(a, b, strict=True))
    chance = sum(count * counts_b[label] for label, count in counts_a.items())
    if chance == n * n:  # expected agreement is 1: only one label anywhere
        return 1.0 if agreed == n else 0.0
    return (n * agreed - chance) / (n * n - chance)


def krippendorff_alpha(units: Sequence[Mapping[str, Hashable | None]]) -> float:
    """Nominal Krippendorff's alpha. Each unit maps annotator to value (None or
    absent: missing); units with fewer than two values are skipped.

    >>> krippendorff_alpha([{"ann": "fact", "bo": "fact"}, {"ann": "opinion", "bo": "opinion"}])
    1.0
    >>> krippendorff_alpha([{"ann": "fact", "bo": "opinion"}, {"ann": "opinion", "bo": "fact"}])
    -0.5
    """
    if not isinstance(units, Sequence):
        raise FramelabError("krippendorff_alpha needs a sequence of units")
    totals: Counter[Hashable] = Counter()
    disagreement = Fraction(0)
    for unit in units:
        if not isinstance(unit, Mapping):
            raise FramelabError("each unit must map annotator to value")
        values = [value for value in unit.values() if value is not None]
        if len(values) < 2:
            continue
        try:
            counts = Counter(values)
        except TypeError:
            raise FramelabError("krippendorff_alpha needs hashable values") from None
        m = len(values)
        disagreement += Fraction(m * m - sum(c * c for c in counts.values()), m - 1)
        totals.update(counts)
    n = sum(totals.values())
    if n == 0:
        raise FramelabError("no unit has values from two annotators, so alpha is undefined")
    expected = n * n - sum(c * c for c in totals.values())
    if expected == 0:
        return 1.0
    return float(1 - (n - 1) * disagreement / expected)


def class_alpha(annotations: Sequence[Annotation]) -> float:
    """Krippendorff's alpha of the sentence kinds in several annotations of one
    document; an untagged sentence is a missing value."""
    if not isinstance(annotations, Sequence) or not all(
        isinstance(a, Annotation) for a in annotations
    ):
        raise FramelabError("class_alpha needs a sequence of Annotations")
    if len({a.document for a in annotations}) > 1:
        raise FramelabError("class_alpha needs annotations of one and the same document")
    for index, annotation in enumerate(annotations):
        _check_labels(annotation, f"annotation {index}")
    kinds = [annotation.kinds for annotation in annotations]
    ids = sorted({sentence for k in kinds for sentence in k})
    return krippendorff_alpha([{str(i): k.get(s) for i, k in enumerate(kinds)} for s in ids])


def points(fraction: float, max_points: float) -> float:
    """nbgrader points: ``fraction`` clamped to [0, 1] times ``max_points``,
    rounded to 2 decimals, as a plain float never above ``max_points``.

    >>> points(0.6666, 3), points(1.7, 2)
    (2.0, 2.0)
    """
    try:
        fraction, max_points = float(fraction), float(max_points)
    except (TypeError, ValueError):
        raise FramelabError("points needs numbers for fraction and max_points") from None
    if math.isnan(fraction):
        raise FramelabError("the score fraction is NaN; cannot turn it into points")
    if not (math.isfinite(max_points) and max_points > 0):
        raise FramelabError(f"max_points must be a positive number, not {max_points}")
    fraction = min(1.0, max(0.0, fraction))
    return float(min(round(fraction * max_points, 2), max_points))


def feedback_lines(score: Score, *, part: str = "all", reveal: bool = True) -> list[str]:
    """The lines a grading cell prints for ``part`` ("kinds", "devices" or "all").
    With ``reveal=False`` only counts, nothing that would give the key away.

    >>> from framelab.texts.model import Annotation, Label
    >>> key = Annotation("demo", (Label("s01", "opinion", why="A judgement."),))
    >>> for line in feedback_lines(score(Annotation("demo"), key, "Sad."), part="kinds"):
    ...     print(line)
    Sentence kinds: 0 of 1 right (0%)
    s01: you did not tag this sentence; the key says opinion. A judgement.
    """
    _check_part(part)
    lines: list[str] = []
    if part in ("kinds", "all"):
        lines.append(
            f"Sentence kinds: {score.kinds_right} of {score.kinds_total} right ({score.kinds:.0%})"
        )
        items = [i for i in score.items if i.part == "kinds" and i.status != "right"]
        unscored = sum(i.status == "extra" for i in items)
        if reveal:
            lines += [item.message for item in items]
        elif unscored:
            lines.append(f"{unscored} of your tagged sentences are not in this text (not scored)")
    if part in ("devices", "all"):
        spans = score.spans
        extra = sum(i.part == "devices" and i.status == "extra" for i in score.items)
        lines.append(
            f"Devices: found {spans.found} of {spans.total_key} key spans; "
            f"{extra} of your {spans.total_marked} marks {'is' if extra == 1 else 'are'} not in "
            f"the key; F1 {spans.f1:.2f}"
        )
        for device, s in score.devices.items():
            if s.total_key or s.total_marked:
                lines.append(
                    f"  {device}: found {s.found} of {s.total_key}; "
                    f"you marked {s.total_marked}; F1 {s.f1:.2f}"
                )
        if reveal:
            lines += [i.message for i in score.items if i.part == "devices"]
    return lines


def grade(
    annotation: Annotation,
    key: Annotation,
    text: str,
    *,
    part: str,
    max_points: float,
    reveal: bool = False,
) -> float:
    """Print the feedback for ``part`` to stdout and return the nbgrader points:
    the fraction is ``kinds`` for "kinds", span F1 for "devices", ``overall`` for "all"."""
    _check_part(part)
    result = score(annotation, key, text)
    fraction = {"kinds": result.kinds, "devices": result.spans.f1, "all": result.overall}[part]
    earned = points(fraction, max_points)
    print("\n".join(feedback_lines(result, part=part, reveal=reveal)))
    return earned


# --- checks -------------------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_part(part: str) -> None:
    if part not in PARTS:
        raise FramelabError(f"part must be one of {', '.join(PARTS)}, not {part!r}")


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
    keyed = sorted(key.labels, key=lambda label: (len(label.id), label.id))
    items: list[Item] = []
    theirs: list[str] = []  # the annotator's kinds, an accepted kind counted as the key's
    ours: list[str] = []
    right = 0
    for label in keyed:
        kind = chosen.get(label.id)
        right += label.accepts(kind)
        items.append(Item(label.id, *_kind_feedback(label, kind)))
        ours.append(label.kind or "untagged")
        theirs.append(label.kind if label.accepts(kind) else (kind or "untagged"))
    known = {label.id for label in key.labels}
    for sid in sorted(set(chosen) - known, key=lambda s: (len(s), s)):
        message = f"{sid}: this text has no sentence {sid}, so your tag for it was not scored."
        items.append(Item(sid, "extra", message))
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
    annotation: Annotation, key: Annotation, text: str
) -> tuple[SpanScore, dict[str, SpanScore], tuple[Item, ...], dict[tuple[int, int, str], float]]:
    marks = _normalised(annotation.spans, text)
    golds = _normalised(key.spans, text)
    marked = {d: _cover((a, b) for a, b, dev in marks if dev == d) for d in DEVICES}
    keyed = {d: _cover((a, b) for a, b, dev in golds if dev == d) for d in DEVICES}
    keyed_any = set().union(*keyed.values())
    sentences = [
        (label.start, label.end, label.id)
        for label in key.labels
        if _is_int(label.start) and _is_int(label.end)
    ]

    precision: dict[str, list[float]] = {d: [] for d in DEVICES}
    recall: dict[str, list[float]] = {d: [] for d in DEVICES}
    items: list[tuple[tuple[int, int, str], Item]] = []
    credits: dict[tuple[int, int, str], float] = {}
    for start, end, device in sorted(marks):
        precision[device].append(_covered(start, end, keyed[device]))
        if not any(i in keyed_any for i in range(start, end)):
            where = _where(text, start, end, sentences)
            message = (
                f"The key does not mark {_quote(text[start:end])} (you marked it as {device}). "
                f"Ask yourself: {describe(device).question}"
            )
            items.append(((start, end, device), Item(where, "extra", message, "devices")))
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
        item = Item(_where(text, start, end, sentences), status, message, "devices")
        items.append(((start, end, device), item))

    devices = {d: _span_score(precision[d], recall[d]) for d in DEVICES}
    overall = _span_score(
        [c for d in DEVICES for c in precision[d]], [c for d in DEVICES for c in recall[d]]
    )
    items.sort(key=lambda f: f[0])
    return overall, devices, tuple(item for _, item in items), credits


def _normalised(spans: Sequence[Span], text: str) -> dict[tuple[int, int, str], Span]:
    """Spans by their trimmed (start, end, device), empty ones dropped, duplicates once."""
    out: dict[tuple[int, int, str], Span] = {}
    for span in spans:
        start, end = normalise(text, span.start, span.end)
        if start < end:
            out.setdefault((start, end, span.device), span)
    return out


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


def _where(text: str, start: int, end: int, sentences: list[tuple[int, int, str]]) -> str:
    quoted = _quote(text[start:end])
    for first, last, sid in sentences:
        if first <= start < last:
            return f"{quoted} ({sid})"
    return quoted


def _quote(words: str) -> str:
    words = " ".join(words.split())
    return f'"{words}"' if len(words) <= 60 else f'"{words[:57]}..."'


def _join(*parts: str) -> str:
    return " ".join(part.strip() for part in parts if part and part.strip())
