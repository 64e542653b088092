"""Machine suggestions: a transparent, rule- and lexicon-based guess at each
sentence's kind and at framing-device spans, each with a short human reason.

The rules are data (``datasets/lexicons/en.json``: patterns by device, with neutral
alternatives, and cue patterns for attributed and opinion sentences); this module
only applies them. Words inside quotation marks are the source's, so no device is
suggested there, as the kit's keys do. The result is an Annotation like any other,
so the kit's scorer measures the suggester against the keys.

>>> from framelab.texts.corpus import document_from_text
>>> found = suggest(document_from_text('The regime "will fall", he said. Prices rose by 3%.'))
>>> for sentence in found.sentences:
...     print(sentence.kind, "|", sentence.reasons[0])
attributed | 'said': a reporting verb: the sentence tells you someone said it
fact | no source and no judging words: a checkable statement in the writer's voice
>>> [(s.text, s.device) for s in found.spans]
[('regime', 'loaded')]
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from framelab.machine.general import General, load_general
from framelab.texts.corpus import (
    MAX_ARTICLE_BYTES,
    datasets_dir,
    document_from_text,
    headline_claims,
    read_article_bytes,
)
from framelab.texts.model import (
    Annotation,
    Document,
    FramelabError,
    Label,
    Span,
    decode_text,
    read_json,
    schema_problem,
)
from framelab.texts.taxonomy import DEVICES

__all__ = [
    "MAX_BYTES",
    "Lexicon",
    "SentenceSuggestion",
    "SpanSuggestion",
    "Suggestion",
    "expand_sets",
    "load_lexicon",
    "read_article",
    "suggest",
    "suggest_text",
]

MAX_BYTES = MAX_ARTICLE_BYTES  # a news article is a few kilobytes; this is a book
_QUOTED = re.compile(r'"[^"\n]*"|\u201c[^\u201d\n]*\u201d|\u2018[^\u2019\n]{3,}\u2019')


@dataclass(frozen=True)
class _Rule:
    label: str  # a device, or "attributed" / "opinion"
    why: str
    neutral: str | None = None
    kind: str | None = None  # the sentence kind a match points to, if any
    after: re.Pattern[str] | None = None  # what the sentence before a match must end with


@dataclass(frozen=True)
class Lexicon:
    """Compiled rules: one regular expression per category, one named group per entry."""

    devices: dict[str, tuple[re.Pattern[str], tuple[_Rule, ...]]]
    kinds: dict[str, tuple[re.Pattern[str], tuple[_Rule, ...]]]
    source: str = ""
    general: _GeneralRules | None = None


@dataclass(frozen=True)
class _GeneralRules:
    """How the general lexicon's figures become suggestions (en.json's ``general``)."""

    words: General
    valence: float  # |VADER valence| at least this: judges
    subjectivity: float  # or subjectivity at least this, with |polarity| at least:
    polarity: float
    not_loaded: frozenset[str]  # words that name a thing or event, whatever their sentiment
    neutral: dict[str, str]
    boosters: frozenset[str]  # VADER's boosters that are intensifiers in news
    verdicts: dict[str, tuple[str, str, str | None] | None] = field(
        default_factory=dict, compare=False, repr=False
    )  # each word's (device, why, neutral), or None, worked out once

    def judge(self, word: str) -> tuple[str, str, str | None] | None:
        """(device, why, neutral) when the lower-cased ``word`` boosts or judges."""
        try:
            return self.verdicts[word]
        except KeyError:
            pass
        verdict: tuple[str, str, str | None] | None = None
        entry = self.words.lookup(word)
        if word in self.boosters:
            verdict = ("intensifier", _BOOSTER, None)
        elif entry is not None and entry not in self.not_loaded and word not in self.not_loaded:
            valence, subjectivity, polarity = self.words.words[entry]
            strong = valence is not None and abs(valence) >= self.valence
            subjective = (
                subjectivity is not None
                and polarity is not None
                and subjectivity >= self.subjectivity
                and abs(polarity) >= self.polarity
            )
            if strong or subjective:
                neutral = self.neutral.get(word) or self.neutral.get(entry)
                verdict = ("loaded", _judges(valence, subjectivity, polarity), neutral)
        self.verdicts[word] = verdict
        return verdict


@dataclass(frozen=True)
class SentenceSuggestion:
    id: str
    start: int
    end: int
    text: str
    kind: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class SpanSuggestion:
    start: int
    end: int
    text: str
    device: str
    reason: str
    neutral: str | None = None


@dataclass(frozen=True)
class Suggestion:
    """The suggester's guesses for one document."""

    document: str
    sentences: tuple[SentenceSuggestion, ...]
    spans: tuple[SpanSuggestion, ...] = field(default_factory=tuple)

    def annotation(self) -> Annotation:
        """The guesses as an Annotation (annotator "suggest"), for the scorer."""
        return Annotation(
            document=self.document,
            labels=tuple(Label(s.id, s.kind) for s in self.sentences),
            spans=tuple(Span(s.start, s.end, s.device) for s in self.spans),
            annotator="suggest",
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``framelab suggest --json``."""
        return {
            "sentences": [
                {
                    "start": s.start,
                    "end": s.end,
                    "text": s.text,
                    "kind": s.kind,
                    "reasons": list(s.reasons),
                }
                for s in self.sentences
            ],
            "spans": [
                {
                    "start": s.start,
                    "end": s.end,
                    "text": s.text,
                    "device": s.device,
                    "reason": s.reason,
                }
                for s in self.spans
            ],
        }


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression (split on | outside
    groups and character classes)."""
    parts, depth, current, i = [], 0, [], 0
    in_class = False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            current.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append("".join(current))
            current = []
            i += 1
            continue
        current.append(char)
        i += 1
    parts.append("".join(current))
    return parts


def _expand(alternative: str) -> list[str]:
    """Spread an opening group of alternatives over the rest, and again for the group
    each alternative then opens with: ``(?:unnamed |anonymous )?sources`` becomes
    ``unnamed sources``, ``anonymous sources`` and ``sources`` (the same matches, tried
    in the same order)."""
    if not alternative.startswith("(?:"):
        return [alternative]
    depth = 0
    close = 0
    for close, char in enumerate(alternative):  # noqa: B007 (close is used after the loop)
        depth += (char == "(") - (char == ")")
        if depth == 0:
            break
    inner, rest = alternative[3:close], alternative[close + 1 :]
    optional = rest.startswith("?") and not rest.startswith("?=") and not rest.startswith("?!")
    rest = rest[1:] if optional else rest
    if rest[:1] in ("*", "+", "{"):
        return [alternative]
    spread = [x for option in _alternatives(inner) for x in _expand(option + rest)]
    return spread + (_expand(rest) if optional and rest else [])


def expand_sets(pattern: str, sets: dict[str, list[str]]) -> str:
    """Put each ``{name}`` of a word set into a pattern, as alternatives, longest first."""

    def alternatives(match: re.Match[str]) -> str:
        words = sets.get(match.group(1))
        if words is None:
            return match.group()
        ordered = sorted(set(words), key=lambda w: (-len(w), w))
        by_first: dict[str, list[str]] = {}
        for word in ordered:  # factored by first letter: the same matches, found faster
            by_first.setdefault(word[0], []).append(re.escape(word[1:]))
        return "|".join(
            f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in by_first.items()
        )

    return re.sub(r"\{([a-z_]+)\}", alternatives, pattern)


def _compile(
    entries: list[dict[str, Any]],
    label: str,
    kind: str | None = None,
    sets: dict[str, list[str]] | None = None,
) -> tuple[re.Pattern[str], tuple[_Rule, ...]]:
    """One pattern for a category. Alternatives that start with a plain letter are
    grouped under that letter, so that at a word start Python's re tries only the
    alternatives that begin with it; the matches are the same (a test compares them
    with the plain patterns). Group r<entry>_<n> says which entry matched (for a
    grouped alternative, the group holds all of it but its first letter)."""
    by_letter: dict[str, dict[str, list[str]]] = {}  # first letter: next letter: rests
    others: list[str] = []
    rules = []
    entries = [
        {**e, "pattern": expand_sets(e["pattern"], sets or {})} if "pattern" in e else e
        for e in entries
    ]
    for index, entry in enumerate(entries):
        try:
            re.compile(entry["pattern"])
        except (KeyError, re.error) as error:
            raise FramelabError(f"lexicon entry {label}[{index}]: bad pattern ({error})") from None
        try:
            after = re.compile(entry["after"], re.IGNORECASE) if "after" in entry else None
        except re.error as error:
            raise FramelabError(f"lexicon entry {label}[{index}]: bad after ({error})") from None
        rules.append(
            _Rule(label, entry.get("why", ""), entry.get("neutral"), entry.get("kind", kind), after)
        )
        expanded = [
            x for alternative in _alternatives(entry["pattern"]) for x in _expand(alternative)
        ]
        for n, alternative in enumerate(expanded):
            lead = _lead(alternative)
            if lead:
                by_letter.setdefault(lead[0], {}).setdefault(lead[1:], []).append(
                    f"(?P<r{index}_{n}>{alternative[len(lead) :]})"
                )
            else:
                others.append(f"(?P<r{index}_{n}>{alternative})")
    # Each letter's branch starts with the letter itself, then the next letter where it
    # is plain: Python's re skips at once a branch whose first literal does not match.
    branches = [
        letter
        + "(?:"
        + "|".join(f"{second}(?:{'|'.join(alts)})" for second, alts in seconds.items())
        + ")"
        for letter, seconds in sorted(by_letter.items())
    ]
    body = r"(?<![\w-])(?:" + ("|".join(branches + others) or "(?!)") + r")(?![\w-])"
    # Scanned on lower-cased text (see suggest); a pattern with a capital letter in it
    # keeps IGNORECASE.
    bare = re.sub(r"\(\?P<\w+>", "", body).replace("A-Z", "")
    flags = re.IGNORECASE if re.search(r"(?<!\\)[A-Z]", bare) else 0
    return re.compile(body, flags), tuple(rules)


def _lead(alternative: str) -> str:
    """The plain letters (up to two) an alternative must start with: none when its
    first character is not a plain letter, and a letter counts only when what follows
    it does not make it optional or repeated."""
    lead = ""
    for position in range(2):
        char = alternative[position : position + 1]
        after = alternative[position + 1 : position + 2]
        if not (char.isascii() and char.isalpha() and char.islower()) or (
            after and after in "?*+{"
        ):
            break
        lead += char
    return lead


def _rule(rules: tuple[_Rule, ...], match: re.Match[str]) -> _Rule:
    return rules[int(match.lastgroup[1:].split("_")[0])]  # type: ignore[index]


def load_lexicon(path: str | None = None) -> Lexicon:
    """Read and compile a lexicon file (default: datasets/lexicons/en.json), checked
    against lexicon.schema.json; compiled once while the file is unchanged."""
    where = Path(path) if path else datasets_dir() / "lexicons" / "en.json"
    try:
        info = where.stat()
        stamp = (info.st_mtime_ns, info.st_size)
    except OSError:
        stamp = None  # read_json says what is wrong
    return _compiled_lexicon(str(where), stamp)


@cache
def _compiled_lexicon(where: str, stamp: tuple[int, int] | None) -> Lexicon:
    data = read_json(where)
    problem = schema_problem(data, "lexicon")
    if problem:
        raise FramelabError(
            f"{where}: not a framelab lexicon: {problem}; see datasets/lexicons/README.md"
        )
    devices, kinds, sets = data["devices"], data["kinds"], data.get("sets", {})
    unknown = set(devices) - set(DEVICES)
    if unknown:
        raise FramelabError(f"{where}: unknown devices {sorted(unknown)}; use {', '.join(DEVICES)}")
    return Lexicon(
        devices={
            device: _compile(
                devices[device], device, data.get("device_kinds", {}).get(device), sets
            )
            for device in DEVICES
            if device in devices
        },
        kinds={
            kind: _compile(kinds.get(kind, []), kind, sets=sets)
            for kind in ("attributed", "opinion")
        },
        source=where,
        general=_general_rules(data.get("general"), Path(where).with_name("general.tsv"), sets),
    )


def _general_rules(
    rules: dict[str, Any] | None, path: Path, sets: dict[str, list[str]]
) -> _GeneralRules | None:
    """The general lexicon (general.tsv beside the lexicon) with en.json's thresholds.
    Words of the sets of feelings and minds are never loaded: given to others, they are
    speculation, which en.json's patterns find."""
    if rules is None:
        return None
    words = load_general(path)
    excluded = set(rules.get("not_boosters", []))
    return _GeneralRules(
        words=words,
        valence=rules["valence"],
        subjectivity=rules["subjectivity"],
        polarity=rules["polarity"],
        not_loaded=frozenset(
            w.lower()
            for w in [
                *rules.get("not_loaded", []),
                *sets.get("feelings", []),
                *sets.get("minds", []),
            ]
        ),
        neutral={w.lower(): n for w, n in rules.get("neutral", {}).items()},
        boosters=frozenset(words.boosters - excluded),
    )


def read_article(path: str | os.PathLike[str]) -> str:
    """The text of a plain-text article, refused with a clear message when it is
    missing, not a regular file, empty, not text, or far too big for an article
    (at most MAX_BYTES + 1 bytes are ever read)."""
    data = read_article_bytes(path)
    if b"\x00" in data:
        raise FramelabError(
            f"{path} is not a text file (it holds binary data); save it as plain text"
        )
    text = decode_text(data, str(path))
    if not text.strip():
        raise FramelabError(f"{path} is empty: there is nothing to suggest")
    return text


# Devices that are the writer's words only: after a reporting verb they are the source's.
# (A judging reporting verb and a vague source are the writer's choice wherever they stand.)
_WRITERS_ONLY = frozenset({"loaded", "intensifier", "speculation", "generalization"})
# A word of the text: letters, with inner hyphens and apostrophes ("hard-working").
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['\u2019-](?=[^\W\d_]))*")
# What stands before a predicative word: "was right", "is a sensation", "are simply wrong".
_PREDICATIVE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|seems?|seemed|looks?|looked|remains?|remained|"
    r"sounds?|sounded|proved|proves|becomes?|became|deserves?|deserved)\s+"
    r"(?:(?:so|too|very|quite|truly|simply|utterly|absolutely|entirely|completely|clearly|"
    r"obviously|surely|certainly|plainly|frankly|nothing short of|just|not|never|always)\s+)*"
    r"(?:(?:a|an)\s+(?:[\w-]+\s+)?)?$",
    re.IGNORECASE,
)


def suggest(document: Document, lexicon: Lexicon | None = None) -> Suggestion:
    """Guess a kind for every unit of ``document`` and the framing-device spans."""
    lexicon = lexicon or load_lexicon()
    text = document.text
    lowered = text.lower()
    scanned = lowered if len(lowered) == len(text) else text
    units = document.sentences
    # A headline that makes a claim gets a claim kind (the annotation guide's K6): a
    # heading before the first sentence of prose; later ones are section headings or
    # captions.
    prose = next((i for i, unit in enumerate(units) if not unit.structure), len(units))
    claims = [
        not unit.structure or (i < prose and headline_claims(unit.text))
        for i, unit in enumerate(units)
    ]
    starts = [unit.start for unit in units]
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    quote_starts = [a for a, _ in quoted]

    def unit_index(offset: int) -> int | None:
        i = bisect.bisect_right(starts, offset) - 1
        return i if i >= 0 and offset < units[i].end else None

    def in_quotes(start: int, end: int) -> bool:
        i = bisect.bisect_right(quote_starts, start) - 1
        return i >= 0 and quoted[i][1] >= end

    def matches(pattern: re.Pattern[str]) -> Any:
        """(match, start, end, unit index) of each match that lies inside one unit."""
        if scanned is text:  # lower-casing changed the length: match case-insensitively
            pattern = re.compile(pattern.pattern, re.IGNORECASE)
        for match in pattern.finditer(scanned):
            start, end = match.span()
            i = unit_index(start)
            if i is not None and end <= units[i].end:
                yield match, start, end, i

    spans: list[SpanSuggestion] = []
    cues: dict[int, list[tuple[str, str]]] = {}
    framed: dict[int, list[str]] = {}  # a unit's device words that point to no kind

    def add(start: int, end: int, i: int, device: str, why: str, neutral: str | None, kind: Any):
        words = text[start:end]
        reason = f"'{words}': {why}" + (f"; neutral: '{neutral}'" if neutral else "")
        spans.append(SpanSuggestion(start, end, words, device, reason, neutral))
        if device == "loaded" and _PREDICATIVE.search(text[units[i].start : start]):
            kind = "opinion"  # a verdict that is the sentence's claim (the guide's D1b)
            why = f"the verdict '{words}' is what the sentence claims: the writer's voice"
        elif kind:
            voice = "a source of sorts" if kind == "attributed" else "the writer's voice"
            why = f"{device} wording '{words}': {voice}"
        if kind and claims[i]:
            cues.setdefault(i, []).append((kind, why))
        elif claims[i]:
            framed.setdefault(i, []).append(words)

    # Where each unit's reported words begin: after its first reporting cue ("said",
    # "according to"); they are the source's, as quoted words are (the guide's D0).
    reported: dict[int, int] = {}
    for _match, _start, end, i in matches(lexicon.kinds["attributed"][0]):
        reported.setdefault(i, end)
    for device, (pattern, rules) in lexicon.devices.items():
        for match, start, end, i in matches(pattern):
            if in_quotes(start, end):
                continue  # the source's words, reported as theirs
            if device in _WRITERS_ONLY and start >= reported.get(i, units[i].end):
                continue  # reported speech: the source's words too
            rule = _rule(rules, match)
            if rule.after and not rule.after.search(text, units[i].start, start):
                continue  # not where the entry applies
            add(start, end, i, device, rule.why, rule.neutral, rule.kind)
    for kind, (pattern, rules) in lexicon.kinds.items():
        for match, start, end, i in matches(pattern):
            if kind == "opinion" and in_quotes(start, end):
                continue
            cues.setdefault(i, []).append((kind, f"'{text[start:end]}': {_rule(rules, match).why}"))
    if lexicon.general:
        taken = sorted((s.start, s.end) for s in spans)
        for start, end, i, device, why, neutral in _general_spans(
            lexicon.general, text, units, claims, taken, in_quotes, reported
        ):
            add(start, end, i, device, why, neutral, None)
    sentences = tuple(
        _kind(unit, cues.get(i, []), claims[i], framed.get(i, [])) for i, unit in enumerate(units)
    )
    spans.sort(key=lambda s: (s.start, s.end, s.device))
    return Suggestion(document.id, sentences, tuple(spans))


def _general_spans(
    rules: _GeneralRules,
    text: str,
    units: Any,
    claims: list[bool],
    taken: list[tuple[int, int]],
    in_quotes: Any,
    reported: dict[int, int],
) -> Any:
    """(start, end, unit index, device, why, neutral) for the words the general lexicon
    says judge (loaded) or boost (intensifier): not in quotation marks, not in the
    reported words after a reporting verb (the guide's D0: they are the source's), not
    a name (a capital letter inside the sentence), not a word of a word set (feelings
    and minds are speculation's), and not inside a span the lexicon's patterns found."""
    takens = [a for a, _ in taken]
    for i, unit in enumerate(units):
        if not claims[i]:
            continue
        for match in _WORD.finditer(text, unit.start, unit.end):
            found = rules.judge(match.group().lower())
            if found is None:
                continue
            start, end = match.span()
            j = bisect.bisect_right(takens, start) - 1
            if (j >= 0 and taken[j][1] > start) or (j + 1 < len(taken) and taken[j + 1][0] < end):
                continue  # a pattern of en.json already explains these words
            if in_quotes(start, end) or start >= reported.get(i, unit.end):
                continue
            if match.group()[0].isupper() and start > unit.start:
                continue  # a name
            yield (start, end, i, *found)


_BOOSTER = "adds emphasis and no information (a booster word in VADER's lexicon)"


def _judges(valence: float | None, subjectivity: float | None, polarity: float | None) -> str:
    """The reason a general-lexicon word is loaded, with the figures behind it."""
    figures = []
    if valence is not None:
        figures.append(f"VADER valence {valence:+.1f} of 4")
    if subjectivity is not None:
        figures.append(f"TextBlob subjectivity {subjectivity:.1f} of 1")
    tone = "praises" if (valence or polarity or 0) > 0 else "blames"
    return (
        f"a word that {tone} as it describes ({', '.join(figures)}); "
        "ask whether a plainer word would give the same facts"
    )


def _kind(
    unit: Any, cues: list[tuple[str, str]], claims: bool, framed: list[str]
) -> SentenceSuggestion:
    if not claims:
        kind, reasons = "structure", ["a heading, dateline, caption or page leftover: no claim"]
    elif any(k == "attributed" for k, _ in cues):
        kind = "attributed"
        reasons = [r for k, r in cues if k == "attributed"][:2]
        reasons += [f"also {r}" for k, r in cues if k == "opinion"][:1]
    elif any(k == "opinion" for k, _ in cues):
        kind, reasons = "opinion", [r for k, r in cues if k == "opinion"][:3]
    else:
        kind = "fact"
        if framed:
            words = ", ".join(f"'{w}'" for w in framed[:3])
            reasons = [
                f"no source, and its framing words ({words}) colour a claim that a record "
                "could check: a fact, framed"
            ]
        else:
            reasons = [
                "no source and no judging words: a checkable statement in the writer's voice"
            ]
    if unit.structure and claims:
        reasons.insert(0, "a headline that makes a claim is a claim (the guide's K6)")
    return SentenceSuggestion(unit.id, unit.start, unit.end, unit.text, kind, tuple(reasons))


def suggest_text(text: str, document_id: str = "article") -> Suggestion:
    """Segment ``text`` and suggest."""
    return suggest(document_from_text(text, document_id))
