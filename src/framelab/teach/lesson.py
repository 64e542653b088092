"""What lessons show besides the tagger: the text, and the key revealed step by step.

Each function returns an object that Jupyter displays as HTML (and that prints as
plain text elsewhere); nothing is displayed or changed on import.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from framelab.texts.corpus import load_document, load_key
from framelab.texts.model import Annotation, Document, Label, Span

if TYPE_CHECKING:
    from framelab.teach.tagger import Tagger

__all__ = [
    "Shown",
    "also_defensible",
    "compare_machine",
    "machine_table",
    "neutral_choice",
    "show_key",
    "show_style",
    "show_text",
]


class Shown:
    """HTML for Jupyter with a plain-text twin for terminals and screen readers."""

    def __init__(self, html_text: str, plain: str) -> None:
        self.html_text, self.plain = html_text, plain

    def _repr_html_(self) -> str:
        return self.html_text

    def __repr__(self) -> str:
        return self.plain


def show_text(document_id: str) -> Shown:
    """The article, one numbered unit a line, structural lines in italics."""
    document = load_document(document_id)
    rows = [
        [unit.id, f"<i>{html.escape(unit.text)}</i>" if unit.structure else html.escape(unit.text)]
        for unit in document.sentences
    ]
    plain = [document.title] + [f"{unit.id}  {unit.text}" for unit in document.sentences]
    return Shown(f"<h4>{html.escape(document.title)}</h4>{_table([], rows)}", "\n".join(plain))


def show_key(
    document_id: str,
    sentences: Iterable[str] | None = None,
    devices: Iterable[str] | None = None,
) -> Shown:
    """The key's kinds and reasons for ``sentences`` (default all), and its spans of
    the given ``devices`` (default none) that lie in those sentences, with reasons."""
    document = load_document(document_id)
    key = load_key(document_id)
    wanted = None if sentences is None else set(sentences)
    rows, plain = [], []
    for label in key.labels:
        if wanted is not None and label.id not in wanted:
            continue
        also = also_defensible(label)
        rows.append(
            [
                label.id,
                html.escape(label.text or ""),
                f"<b>{label.kind}</b>{html.escape(also)}",
                html.escape(label.why),
            ]
        )
        plain.append(f"{label.id} [{label.kind}{also}] {label.text}\n    {label.why}")
    chosen = set(devices or ())
    span_rows = []
    for span in key.spans:
        unit = document.sentence_at(span.start)
        if span.device not in chosen or (wanted is not None and unit.id not in wanted):
            continue
        words = document.text[span.start : span.end]
        neutral = neutral_choice(span)
        span_rows.append(
            [html.escape(words), f"<b>{span.device}</b>", html.escape(span.why + neutral)]
        )
        plain.append(f'"{words}" [{span.device}] {span.why}{neutral}')
    parts = []
    if rows:
        parts.append(_table(["id", "sentence", "kind", "why"], rows))
    if span_rows:
        parts.append(_table(["words", "device", "why"], span_rows))
    return Shown("".join(parts), "\n".join(plain))


def also_defensible(label: Label) -> str:
    """The key's other defensible kinds for a sentence, as shown after its kind
    (" (also defensible: attributed)"), or "" when it accepts no other.

    >>> also_defensible(Label("s02", "fact", accept=("attributed",)))
    ' (also defensible: attributed)'
    """
    return f" (also defensible: {', '.join(label.accept)})" if label.accept else ""


def neutral_choice(span: Span) -> str:
    """A key span's neutral alternative, as shown after its reason
    (" (a neutral choice: took control of)"), or "" when it has none."""
    return f" (a neutral choice: {span.neutral})" if span.neutral else ""


def compare_machine(tagger: Tagger) -> Any:
    """The tagger's tags beside the machine's guesses for the same text, each guess with
    the machine's reason, so that a student can find where the machine is wrong and say
    why. Units where the two differ come first.

    In a lesson (a tagger with the key) the key's kind is shown too, at once. In a graded
    exercise nothing of the key is shown, and the machine's guesses wait until every unit
    has the student's kind and at least one phrase is marked; then a button hands in the
    tags (:meth:`Tagger.hand_in`, once: those are the tags the grader scores) and shows
    the guesses. Running the cell again, or Run All, hands in nothing by itself."""
    import ipywidgets as widgets

    document = tagger.document
    if tagger.key is not None:
        return machine_table(document, tagger.annotation, tagger.key)
    if tagger.handed_in_tags is not None:  # handed in already: nothing to save again
        return machine_table(document, tagger.handed_in_tags)
    tags = tagger.annotation
    untagged = [unit.id for unit in document.sentences if unit.id not in tags.kinds]
    if untagged or not tags.spans:
        shown = ", ".join(untagged[:8]) + (" ..." if len(untagged) > 8 else "")
        missing = (
            f"{len(untagged)} unit(s) still without a kind ({shown})"
            if untagged
            else "no phrase marked yet"
        )
        message = (
            f"Finish your own tags first: {missing}. The machine's guesses appear once every "
            "unit has your kind and your phrases are marked; then a button hands in your tags, "
            "and those are the ones graded. Run this cell again when you are ready."
        )
        return Shown(f"<p>{html.escape(message)}</p>", message)
    summary = widgets.HTML(
        f"<p>You have given all {len(document.sentences)} units a kind and marked "
        f"{len(tags.spans)} phrase(s). <b>Handing in is final:</b> the tags your teacher grades "
        "are the ones you have when you press the button; changes after that are not graded. "
        "Check your phrases first.</p>"
    )
    button = widgets.Button(
        description="Hand in my tags and show the machine's guesses",
        layout=widgets.Layout(width="auto"),
        tooltip="Hands in your tags as they are now, then shows the machine's guesses",
    )
    shown = widgets.Output()

    def hand_in(_: Any = None) -> None:
        button.disabled = True
        summary.value = "<p>Your tags are handed in.</p>"
        box.table = machine_table(document, tagger.hand_in())
        with shown:
            from IPython.display import display

            display(box.table)

    button.on_click(hand_in)
    box = widgets.VBox([summary, button, shown])
    box.add_class("fl-hand-in")
    return box


def machine_table(document: Document, yours: Annotation, key: Annotation | None = None) -> Shown:
    """The table :func:`compare_machine` shows: ``yours`` beside the machine's guesses,
    and the key's kinds when ``key`` is given."""
    from framelab.machine.suggest import suggest

    kinds = yours.kinds
    found = suggest(document)
    rows, plain = [], []
    ordered = sorted(found.sentences, key=lambda s: kinds.get(s.id) == s.kind)
    for guess in ordered:
        own = kinds.get(guess.id, "")
        differs = own != guess.kind
        mark = "≠ " if differs else ""
        row = [
            f"{mark}{guess.id}",
            html.escape(guess.text),
            f"<b>{own}</b>" if own else "<i>not tagged</i>",
            f"<b>{guess.kind}</b>: {html.escape(guess.reasons[0] if guess.reasons else '')}",
        ]
        line = f"{mark}{guess.id} you: {own or 'not tagged'}; machine: {guess.kind}"
        if key is not None:
            label = key.label(guess.id)
            row.append(f"<b>{label.kind}</b>{html.escape(also_defensible(label))}")
            line += f"; key: {label.kind}"
        rows.append(row)
        plain.append(f"{line}\n    {guess.reasons[0] if guess.reasons else ''}")
    headers = ["unit", "sentence", "your kind", "the machine's kind and reason"]
    headers += ["the key's kind"] if key is not None else []
    marked = {(s.start, s.end, s.device) for s in yours.spans}
    span_rows = []
    for guess in found.spans:
        same = [s for s in yours.spans if s.start < guess.end and guess.start < s.end]
        if any(s.device == guess.device for s in same):
            you = "you marked it too"
        elif same:
            you = "you marked it as " + ", ".join(sorted({s.device for s in same}))
        else:
            you = "you did not mark it"
        unit = getattr(document.sentence_at(guess.start), "id", "")
        span_rows.append(
            [
                unit,
                f"&ldquo;{html.escape(guess.text)}&rdquo;",
                f"<b>{guess.device}</b>: {html.escape(guess.reason)}",
                you,
            ]
        )
        plain.append(f'{unit} "{guess.text}" machine: {guess.device} ({guess.reason}); {you}')
    unmatched = [s for s in marked if not any(g.start < s[1] and s[0] < g.end for g in found.spans)]
    differ = sum(r[0].startswith("≠") for r in rows)
    parts = [
        f"<p>The machine and you differ on {differ} of {len(rows)} units (marked ≠, listed "
        "first).</p>",
        _table(headers, rows),
        "<p>The phrases the machine marks:</p>"
        + (
            _table(["unit", "words", "the machine's device and reason", "you"], span_rows)
            if span_rows
            else "<p>none.</p>"
        ),
        f"<p>You marked {len(unmatched)} phrase(s) that the machine does not.</p>",
    ]
    plain.append(f"You marked {len(unmatched)} phrase(s) that the machine does not.")
    plain.insert(
        0, f"The machine and you differ on {differ} of {len(rows)} units (marked ≠, first)."
    )
    return Shown(f"<div class='fl-machine'>{''.join(parts)}</div>", "\n".join(plain))


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """An HTML table of already escaped cells, aligned left (JupyterLab right-aligns
    table cells by default, which makes long reasons hard to read)."""
    left = "style='text-align:left;vertical-align:top'"
    head = "".join(f"<th {left}>{h}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td {left}>{cell}</td>" for cell in row) + "</tr>" for row in rows
    )
    return (
        f"<table>{f'<thead><tr>{head}</tr></thead>' if head else ''}<tbody>{body}</tbody></table>"
    )


def show_style(texts: dict[str, str]) -> Shown:
    """A table of each text's style figures (``{"wire report": "aleppo-wire", ...}``):
    sentences, words, words a sentence, letters a word, syllables a word, Flesch reading ease,
    Flesch-Kincaid grade, and the framing devices its key marks per 100 words."""
    from framelab.texts.style import measured

    headers = [
        "text",
        "sentences",
        "words",
        "words a sentence",
        "letters a word",
        "syllables a word",
        "reading ease",
        "grade level",
        "devices per 100 words",
    ]
    rows = []
    for name, text in texts.items():
        s = measured(text)
        rows.append(
            [
                name,
                str(s.sentences),
                str(s.words),
                f"{s.sentence_length:.1f}",
                f"{s.word_length:.1f}",
                f"{s.syllables:.2f}",
                f"{s.reading_ease:.1f}",
                f"{s.grade_level:.1f}",
                f"{s.density:.1f}",
            ]
        )
    plain = [" | ".join(headers)] + [" | ".join(row) for row in rows]
    return Shown(_table(headers, [[html.escape(c) for c in row] for row in rows]), "\n".join(plain))
