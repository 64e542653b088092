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

from framelab.texts.corpus import (
    MAX_ARTICLE_BYTES,
    datasets_dir,
    document_from_text,
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


@dataclass(frozen=True)
class Lexicon:
    """Compiled rules: one regular expression per category, one named group per entry."""

    devices: dict[str, tuple[re.Pattern[str], tuple[_Rule, ...]]]
    kinds: dict[str, tuple[re.Pattern[str], tuple[_Rule, ...]]]
    source: str = ""


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
    """Spread an opening group of plain alternatives over the rest:
    ``(?:unnamed |anonymous )?sources`` becomes ``unnamed sources``,
    ``anonymous sources`` and ``sources`` (the same matches, longest first)."""
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
    options = _alternatives(inner)
    if rest[:1] in ("*", "+", "{") or any(not o[:1].isalpha() or "(" in o for o in options):
        return [alternative]
    return [option + rest for option in options] + ([rest] if optional and rest else [])


def _compile(
    entries: list[dict[str, Any]], label: str, kind: str | None = None
) -> tuple[re.Pattern[str], tuple[_Rule, ...]]:
    """One pattern for a category. Alternatives that start with a plain letter are
    grouped by that letter, so that at a word start Python's re tries only the
    alternatives that begin with it; the matches are the same (a test compares them
    with the plain patterns). Group r<entry>_<n> says which entry matched."""
    by_letter: dict[str, list[str]] = {}
    others: list[str] = []
    rules = []
    for index, entry in enumerate(entries):
        try:
            re.compile(entry["pattern"])
        except (KeyError, re.error) as error:
            raise FramelabError(f"lexicon entry {label}[{index}]: bad pattern ({error})") from None
        rules.append(
            _Rule(label, entry.get("why", ""), entry.get("neutral"), entry.get("kind", kind))
        )
        expanded = [
            x for alternative in _alternatives(entry["pattern"]) for x in _expand(alternative)
        ]
        for n, alternative in enumerate(expanded):
            first, rest = alternative[:1].lower(), alternative[1:]
            group = f"(?P<r{index}_{n}>{alternative})"
            if first.isalpha() and first.isascii() and rest[:1] not in ("?", "*", "+", "{"):
                by_letter.setdefault(first, []).append(group)
            else:
                others.append(group)
    branches = [f"(?={letter})(?:{'|'.join(alts)})" for letter, alts in sorted(by_letter.items())]
    body = r"(?<![\w-])(?:" + ("|".join(branches + others) or "(?!)") + r")(?![\w-])"
    # Scanned on lower-cased text (see suggest); a pattern with a capital letter in it
    # keeps IGNORECASE.
    bare = re.sub(r"\(\?P<\w+>", "", body).replace("A-Z", "")
    flags = re.IGNORECASE if re.search(r"(?<!\\)[A-Z]", bare) else 0
    return re.compile(body, flags), tuple(rules)


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
    devices, kinds = data["devices"], data["kinds"]
    unknown = set(devices) - set(DEVICES)
    if unknown:
        raise FramelabError(f"{where}: unknown devices {sorted(unknown)}; use {', '.join(DEVICES)}")
    return Lexicon(
        devices={
            device: _compile(devices[device], device, data.get("device_kinds", {}).get(device))
            for device in DEVICES
            if device in devices
        },
        kinds={kind: _compile(kinds.get(kind, []), kind) for kind in ("attributed", "opinion")},
        source=where,
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


def suggest(document: Document, lexicon: Lexicon | None = None) -> Suggestion:
    """Guess a kind for every unit of ``document`` and the framing-device spans."""
    lexicon = lexicon or load_lexicon()
    text = document.text
    lowered = text.lower()
    scanned = lowered if len(lowered) == len(text) else text
    units = document.sentences
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
    for device, (pattern, rules) in lexicon.devices.items():
        for match, start, end, i in matches(pattern):
            if in_quotes(start, end):
                continue  # the source's words, reported as theirs
            rule = _rule(rules, match)
            words = text[start:end]
            reason = f"'{words}': {rule.why}" + (
                f"; neutral: '{rule.neutral}'" if rule.neutral else ""
            )
            spans.append(SpanSuggestion(start, end, words, device, reason, rule.neutral))
            if rule.kind and not units[i].structure:
                voice = "a source of sorts" if rule.kind == "attributed" else "the writer's voice"
                cues.setdefault(i, []).append((rule.kind, f"{device} wording '{words}': {voice}"))
    for kind, (pattern, rules) in lexicon.kinds.items():
        for match, start, end, i in matches(pattern):
            if kind == "opinion" and in_quotes(start, end):
                continue
            cues.setdefault(i, []).append((kind, f"'{text[start:end]}': {_rule(rules, match).why}"))
    sentences = tuple(_kind(i, unit, cues.get(i, [])) for i, unit in enumerate(units))
    spans.sort(key=lambda s: (s.start, s.end, s.device))
    return Suggestion(document.id, sentences, tuple(spans))


def _kind(index: int, unit: Any, cues: list[tuple[str, str]]) -> SentenceSuggestion:
    if unit.structure:
        kind, reasons = "structure", ["a heading, dateline, caption or page leftover: no claim"]
    elif any(k == "attributed" for k, _ in cues):
        kind = "attributed"
        reasons = [r for k, r in cues if k == "attributed"][:2]
        reasons += [f"also {r}" for k, r in cues if k == "opinion"][:1]
    elif any(k == "opinion" for k, _ in cues):
        kind, reasons = "opinion", [r for k, r in cues if k == "opinion"][:3]
    else:
        kind = "fact"
        reasons = ["no source and no judging words: a checkable statement in the writer's voice"]
    return SentenceSuggestion(unit.id, unit.start, unit.end, unit.text, kind, tuple(reasons))


def suggest_text(text: str, document_id: str = "article") -> Suggestion:
    """Segment ``text`` and suggest."""
    return suggest(document_from_text(text, document_id))
