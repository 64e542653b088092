"""Printable handouts: a text on self-contained A4 pages to tag on paper, or the teacher's copy.

A student's copy shows the title, who published the text and when, whether it is constructed,
a short "how to use" box, then every numbered unit with four tick boxes (fact, attributed,
opinion, structure) and ruled lines for notes. The teacher's copy (``key=True``) ticks the
key's kind, underlines the key's spans and gives each reason under its unit. The page loads
nothing (no scripts, no fonts, no images, no links to fetch) and a unit never breaks across
pages.

>>> page = make_handout("aleppo-2024-11-30")
>>> page.units, page.with_key, "<script" in page.html
(24, False, False)
>>> default_path("aleppo-2024-11-30", key=True).as_posix()
'handouts/aleppo-2024-11-30-key.html'
"""

from __future__ import annotations

import html
import itertools
from dataclasses import dataclass
from pathlib import Path

from framelab.teach.lesson import also_defensible, neutral_choice
from framelab.texts.corpus import check_id, key_path, load_document, load_key
from framelab.texts.model import (
    Annotation,
    Document,
    FramelabError,
    Label,
    Sentence,
    Span,
    os_problem,
    write_bytes_atomic,
)
from framelab.texts.taxonomy import DEVICES, KINDS, describe

__all__ = ["HANDOUTS_FOLDER", "Handout", "default_path", "make_handout", "write_handout"]

HANDOUTS_FOLDER = "handouts"
"""Where handouts go by default, in the folder the command is run from."""

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Handout:
    """One printable page (an HTML document) of a text, and what it holds."""

    document: str  # the article id
    html: str
    units: int  # numbered units shown
    spans: int  # key spans underlined (0 on a student's copy)
    with_key: bool
    warnings: tuple[str, ...] = ()  # for the teacher's terminal (a graded key, a draft key)


def default_path(document_id: str, key: bool = False) -> Path:
    """``handouts/<id>.html``, or ``handouts/<id>-key.html`` for the teacher's copy,
    relative to the current folder."""
    name = check_id(document_id, "an article id") + ("-key" if key else "")
    return Path(HANDOUTS_FOLDER) / f"{name}.html"


def make_handout(document_id: str, *, key: bool = False, root: Path | None = None) -> Handout:
    """The handout of article ``document_id`` (with ``key``, the teacher's copy).

    A missing article or key, or a key that no longer matches the text's units, raises
    FramelabError naming what is wrong."""
    document = load_document(document_id, root)
    answers = load_key(document_id, root) if key else None
    labels = _labels_by_unit(document, answers, key_path(document_id, root)) if answers else {}
    spans = _spans_by_unit(document, answers) if answers else {}
    warnings = []
    if answers is not None and document.meta.get("graded") is True:
        warnings.append(
            f"{document_id} is a graded text, and this page holds its answer key: keep it away "
            "from students (do not hand it out, post it or leave it in a shared folder)"
        )
    if answers is not None and answers.is_draft:
        warnings.append(
            f"the key of {document_id} is a draft that no one has reviewed yet: check it before "
            "you teach from it"
        )
    every_span = answers.spans if answers else ()
    units = "\n".join(
        _unit(document, unit, labels.get(unit.id), spans.get(unit.id, []), every_span)
        for unit in document.sentences
    )
    page = _PAGE.format(
        lang=html.escape(str(document.meta.get("language") or "en")),
        title=html.escape(document.title + (" (teacher's copy)" if key else "")),
        style=_style(document, key),
        header=_header(document, key) + _headline_block(answers),
        howto=_howto(key),
        units=units,
    )
    return Handout(
        document=document.id,
        html=page,
        units=len(document.sentences),
        spans=sum(len(shown) for shown in spans.values()),
        with_key=key,
        warnings=tuple(warnings),
    )


def write_handout(page: Handout, out: Path | None = None, *, force: bool = False) -> Path:
    """Write ``page`` to ``out`` (default :func:`default_path`; a folder gets the default
    file name inside it) and return where. An existing file is replaced only with
    ``force``; a file that cannot be written raises FramelabError in one line."""
    target = default_path(page.document, page.with_key) if out is None else Path(out)
    if target.is_dir():
        target = target / default_path(page.document, page.with_key).name
    if target.parent.exists() and not target.parent.is_dir():
        raise FramelabError(
            f"cannot write {target}: {target.parent} is a file, not a folder; choose another "
            "place with --out"
        )
    if (target.exists() or target.is_symlink()) and not force:
        raise FramelabError(
            f"{target} already exists; add --force to replace it, or choose another file with --out"
        )
    try:
        write_bytes_atomic(target, page.html.encode("utf-8"))
    except OSError as error:  # named by the handout, not by the temporary file beside it
        phrase = os_problem(OSError(error.errno, error.strerror))
        raise FramelabError(f"cannot write {target}: {phrase}") from None
    return target


def _labels_by_unit(document: Document, key: Annotation, where: Path) -> dict[str, Label]:
    """The key's label of each unit, checked against the text's units (a key freezes
    the units it was made on; a text edited since gets no wrong reasons printed)."""
    labels = {label.id: label for label in key.labels}
    units = {unit.id: unit for unit in document.sentences}
    problems = [f"it has no entry for {i}" for i in units if i not in labels]
    problems += [f"it lists {i}, which the text does not have" for i in labels if i not in units]
    problems += [
        f"its {i} is not where the text's {i} is"
        for i, label in labels.items()
        if i in units
        and label.start is not None
        and (label.start, label.end) != (units[i].start, units[i].end)
    ]
    if problems:
        raise FramelabError(
            f"the key {where} does not match the text of {document.id}: {problems[0]}; "
            f"run framelab validate {where} to see what changed"
        )
    return labels


def _spans_by_unit(document: Document, key: Annotation) -> dict[str, list[tuple[int, Span]]]:
    """Each unit's key spans with their numbers on the page (1, 2, ... in text order).
    A span belongs to the first unit it overlaps."""
    found: dict[str, list[tuple[int, Span]]] = {}
    ordered = sorted(key.spans, key=lambda s: (s.start, s.end))
    for number, span in enumerate(ordered, start=1):
        unit = next((u for u in document.sentences if _overlap(u, span)), None)
        if unit is not None:
            found.setdefault(unit.id, []).append((number, span))
    return found


def _overlap(unit: Sentence, span: Span) -> bool:
    return span.start < unit.end and span.end > unit.start


def _unit(
    document: Document,
    unit: Sentence,
    label: Label | None,
    spans: list[tuple[int, Span]],
    every_span: tuple[Span, ...],
) -> str:
    """One numbered unit. A student's copy shows no hint of the answer: structural units
    look like every other (the segmenter's flag would give the kind away)."""
    if label is None:
        text, below = html.escape(unit.text), _NOTES
    else:
        text = _marked_text(document, unit, spans, every_span)
        below = _key_block(document, label, spans)
    boxes = "".join(_choice(kind, label) for kind in KINDS)
    return (
        f'<section class="unit" id="{unit.id}" aria-label="unit {unit.id}">'
        f'<p class="line"><span class="uid">{unit.id}</span> <span class="text">{text}</span></p>'
        f'<p class="kinds">{boxes}</p>{below}</section>'
    )


def _choice(kind: str, label: Label | None) -> str:
    state = ""
    if label is not None and kind == label.kind:
        state = " ticked"
    elif label is not None and kind in label.accept:
        state = " ticked also"
    return f'<span class="choice"><span class="box{state}"></span>{kind}</span>'


def _marked_text(
    document: Document,
    unit: Sentence,
    spans: list[tuple[int, Span]],
    every_span: tuple[Span, ...],
) -> str:
    """The unit's text with every key span over it underlined (twice where two overlap);
    the unit's own spans (``spans``) are each followed by their number and device."""
    covering = [s for s in every_span if _overlap(unit, s)]
    cuts = sorted(
        {unit.start, unit.end}
        | {max(unit.start, min(unit.end, edge)) for s in covering for edge in (s.start, s.end)}
    )
    tags: dict[int, list[str]] = {}
    for number, span in spans:
        tags.setdefault(min(span.end, unit.end), []).append(
            f'<sup class="tag">{number}&#8239;{span.device}</sup>'
        )
    parts = []
    for a, b in itertools.pairwise(cuts):
        piece = html.escape(document.text[a:b])
        depth = sum(1 for s in covering if s.start <= a and s.end >= b)
        if depth:
            piece = f'<span class="framed{" twice" if depth > 1 else ""}">{piece}</span>'
        parts.append(piece + "".join(tags.get(b, [])))
    return "".join(parts)


def _span_item(words: str, span: Span, number: int | None = None) -> str:
    """One key span in a teacher's list: its words, device, reason and neutral choice."""
    e = html.escape
    value = "" if number is None else f' value="{number}"'
    return (
        f"<li{value}><b>\u201c{e(words)}\u201d</b> "
        f"{span.device}: {e(span.why + neutral_choice(span))}</li>"
    )


def _key_block(document: Document, label: Label, spans: list[tuple[int, Span]]) -> str:
    e = html.escape
    items = "".join(
        _span_item(document.text[span.start : span.end], span, number) for number, span in spans
    )
    return (
        '<div class="key">'
        f"<p><b>Key: {label.kind}</b>{e(also_defensible(label))}</p>"
        f'<p class="why">{e(label.why)}</p>'
        + (f'<ol class="spans">{items}</ol>' if items else "")
        + "</div>"
    )


def _headline_block(key: Annotation | None) -> str:
    """The key's reading of a headline that is not a numbered unit (the central
    article's), for the teacher's copy: kind, reason and spans, marked not scored."""
    if key is None or key.headline is None:
        return ""
    head = key.headline
    e = html.escape
    items = "".join(
        _span_item(span.text or head.text[span.start : span.end], span) for span in head.spans
    )
    accepted = also_defensible(Label("headline", head.kind, head.accept))
    return (
        '<div class="key headline-key"><p><b>Key for the headline (not a numbered unit, '
        f"not scored): {head.kind}</b>{e(accepted)}</p>"
        f'<p class="why">{e(head.why)}</p>'
        + (f'<ul class="spans">{items}</ul>' if items else "")
        + "</div>"
    )


_NOTES = (
    '<div class="notes" aria-label="room for notes"><span class="rule">Notes:</span>'
    '<span class="rule"></span></div>'
)


def _header(document: Document, key: bool) -> str:
    e = html.escape
    meta = document.meta
    who = ", ".join(str(meta[f]) for f in ("author", "outlet") if meta.get(f))
    when = _date(str(meta.get("date", "")))
    byline = " \u00b7 ".join(part for part in (who, when) if part)
    if meta.get("constructed") is True:
        origin = "Constructed for framelab: written for teaching, not a real article."
    else:
        origin = "A real article: published by its outlet, not written for framelab."
    copy = (
        '<p class="copy">Teacher\u2019s copy: the answer key</p>'
        if key
        else '<p class="name">Name <span class="blank"></span> Class '
        '<span class="blank short"></span> Date <span class="blank short"></span></p>'
    )
    danger = (
        '<p class="danger">This is the key of a <b>graded</b> text. Do not give it to '
        "students or leave it where they can see it.</p>"
        if key and meta.get("graded") is True
        else ""
    )
    credit = f"Text licence: {str(meta.get('licence', '')).rstrip('.')}."
    if meta.get("url"):
        credit += f" Source: {meta['url']}"
    return (
        f"{copy}{danger}<h1>{e(document.title)}</h1>"
        f'<p class="byline">{e(byline)}</p><p class="origin">{e(origin)}</p>'
        f'<p class="credit">{e(credit)}</p>'
    )


def _howto(key: bool) -> str:
    questions = "".join(
        f"<dt>{kind}</dt><dd>{html.escape(describe(kind).question)}</dd>" for kind in KINDS
    )
    if key:
        intro = (
            "Under each unit: the key\u2019s kind (its box ticked; a dashed ticked box is "
            "another kind that also earns full credit), the reason to give students, and the "
            "key\u2019s framing phrases, underlined in the text and numbered, with their "
            "device, reason and a neutral choice of words. The questions students ask:"
        )
        devices = ""
    else:
        intro = (
            "Read the whole text first. Then, for each numbered unit, tick <b>one</b> box: the "
            "kind of unit it is. Ask yourself:"
        )
        devices = (
            "<p>Underline the words that frame the story, and write the device beside them or "
            "on the lines: " + ", ".join(DEVICES) + ".</p>"
        )
    return (
        '<aside class="howto" aria-label="how to use this sheet"><h2>How to use this sheet</h2>'
        f"<p>{intro}</p><dl>{questions}</dl>{devices}</aside>"
    )


def _date(value: str) -> str:
    """``2024-11-30`` as ``30 November 2024`` (any other value as it is)."""
    try:
        year, month, day = (int(part) for part in value.split("-"))
        return f"{day} {_MONTHS[month - 1]} {year}" if 1 <= month <= 12 and day else value
    except ValueError:
        return value


def _css_string(value: str) -> str:
    """``value`` as a quoted CSS string that cannot end the string or the style element."""
    safe = {c for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;-'()"}
    return '"' + "".join(c if c in safe else f"\\{ord(c):06x} " for c in value) + '"'


def _style(document: Document, key: bool) -> str:
    running = ("Teacher\u2019s copy: answer key \u00b7 " if key else "") + document.id
    return _CSS.replace("RUNNING_HEAD", _css_string(running)).replace(
        "RUNNING_TITLE", _css_string(_shorten(document.title, 70))
    )


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<p class="screen-note">A page to print: use your browser\u2019s Print (Ctrl+P, or \u2318P on a Mac)
on A4 paper, with the print dialog\u2019s own headers and footers off. This note does not print.</p>
<header>{header}</header>
{howto}
<main>
{units}
</main>
</body>
</html>
"""

_CSS = """
@page {
  size: A4;
  margin: 16mm 15mm 16mm 15mm;
  @top-left { content: RUNNING_TITLE; font: 8pt sans-serif; color: #333; }
  @top-right { content: RUNNING_HEAD; font: 8pt sans-serif; color: #333; }
  @bottom-right { content: "page " counter(page) " of " counter(pages); font: 8pt sans-serif; }
}
html { font: 11pt/1.4 "DejaVu Serif", Georgia, "Times New Roman", serif; color: #000;
  background: #fff; }
body { margin: 0 auto; max-width: 180mm; }
h1 { font-size: 16pt; line-height: 1.25; margin: 1mm 0 1.5mm; }
h2 { font: bold 10.5pt sans-serif; margin: 0 0 1mm; }
.copy { font: bold 12pt sans-serif; border: 0.6mm solid #000; padding: 1.5mm 3mm; margin: 0;
  display: inline-block; }
.danger { font: 10pt sans-serif; border: 0.6mm dashed #000; padding: 1.5mm 3mm; margin: 2mm 0; }
.name { font: 10pt sans-serif; margin: 0 0 3mm; }
.blank { display: inline-block; width: 70mm; border-bottom: 0.3mm solid #000; margin-right: 4mm; }
.blank.short { width: 30mm; }
.byline, .origin { margin: 0; font: 10pt sans-serif; }
.origin { font-style: italic; }
.howto { border: 0.4mm solid #000; padding: 2.5mm 4mm; margin: 4mm 0 3mm; font: 9.5pt/1.35
  sans-serif; break-inside: avoid; page-break-inside: avoid; }
.howto p { margin: 0 0 1.5mm; }
.howto dl { margin: 0 0 1.5mm; display: grid; grid-template-columns: max-content 1fr;
  column-gap: 3mm; row-gap: 0.5mm; }
.howto dt { font-weight: bold; }
.howto dd { margin: 0; }
.unit { position: relative; padding: 2mm 0 3.5mm 13mm; border-top: 0.3mm solid #777;
  break-inside: avoid; page-break-inside: avoid; }
.line { margin: 0; line-height: 2; }
.uid { position: absolute; left: 0; font: bold 10pt/2.2 sans-serif; }
.kinds { margin: 0.5mm 0 0; font: 9.5pt sans-serif; }
.choice { display: inline-block; margin-right: 7mm; white-space: nowrap; }
.box { display: inline-block; position: relative; width: 3.8mm; height: 3.8mm;
  border: 0.35mm solid #000; vertical-align: -0.9mm; margin-right: 1.5mm; }
.box.also { border-style: dashed; }
.box.ticked::after { content: ""; position: absolute; left: 1.1mm; top: -0.3mm; width: 1.2mm;
  height: 2.6mm; border: solid #000; border-width: 0 0.6mm 0.6mm 0; transform: rotate(45deg); }
.notes .rule { display: block; height: 7mm; border-bottom: 0.2mm solid #999;
  font: 8pt/10mm sans-serif; color: #555; }
.framed { text-decoration: underline; text-decoration-thickness: 0.35mm;
  text-underline-offset: 0.9mm; }
.framed.twice { text-decoration-style: double; }
.tag { font: bold 7pt sans-serif; margin-left: 0.5mm; }
.key { font: 9.5pt/1.35 sans-serif; margin-top: 1mm; }
.key p { margin: 0 0 0.8mm; }
.key .spans { margin: 0; padding-left: 6mm; }
.credit { margin: 1mm 0 0; font: 8pt sans-serif; color: #333; overflow-wrap: anywhere; }
@media screen {
  html { background: #ddd; }
  body { background: #fff; padding: 14mm 15mm; margin: 6mm auto; box-shadow: 0 0 2mm #888; }
  .screen-note { font: 10pt sans-serif; border: 0.3mm solid #777; padding: 2mm 3mm; }
}
@media print {
  body { max-width: none; }
  .screen-note { display: none; }
}
"""
