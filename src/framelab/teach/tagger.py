"""The tagger: tag a document's sentences and mark framing devices in a widget.

A small synced core (:class:`TaggerCore`, an anywidget with no compiled extension
and no network imports) holds the text, the sentence units and the answers as
traits; the rest of the UI (legend, progress, saved indicator, Check and Undo,
messages) is composed around it from ipywidgets. The answers file on disk is the
one place answers live (:mod:`framelab.grading.answers` reads and saves it): every
change is written to it atomically, a new tagger reads it back, so a kernel restart
or a reload loses nothing, and two taggers on one file merge instead of overwriting.

The synced state is typed: ``kinds`` maps sentence ids to kinds, ``spans`` lists
(start, end, device) within the text; a change from the front end that breaks those
types is refused, said in the widget, and the front end is put back in step. Events
(Undo) travel as messages. Every failure in a callback is shown in the widget.
"""

from __future__ import annotations

import html
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

from framelab.grading.answers import AnswersFile, answers_path
from framelab.grading.feedback import feedback_lines
from framelab.grading.scoring import score
from framelab.texts.authoring import place_words
from framelab.texts.corpus import load_document, load_key, tokens
from framelab.texts.model import Annotation, Document, FramelabError, Label, Span
from framelab.texts.taxonomy import CATEGORIES, DEVICES, KINDS, TAXONOMY

__all__ = ["Tagger", "TaggerCore"]

_STATIC = Path(__file__).parent / "static"
_HISTORY_LIMIT = 200


class TaggerCore(anywidget.AnyWidget):
    """The synced core: text, units and answers as traits; the front end in static/tagger.mjs."""

    _esm = _STATIC / "tagger.mjs"
    _css = _STATIC / "tagger.css"

    text = traitlets.Unicode("").tag(sync=True)
    units = traitlets.List(traitlets.Dict()).tag(sync=True)  # [{id, start, end, structure}]
    tokens = traitlets.List(traitlets.Tuple(traitlets.Int(), traitlets.Int())).tag(sync=True)
    labels = traitlets.Dict().tag(sync=True)  # {"kinds": [...], "devices": [...]}
    # {sentence id: kind}
    kinds = traitlets.Dict(value_trait=traitlets.Enum(KINDS), key_trait=traitlets.Unicode()).tag(
        sync=True
    )
    # [[start, end, device], ...]
    spans = traitlets.List(
        traitlets.Tuple(traitlets.Int(), traitlets.Int(), traitlets.Enum(DEVICES))
    ).tag(sync=True)
    marks = traitlets.Dict().tag(sync=True)  # Check results shown on the text
    hints = traitlets.Dict().tag(sync=True)  # machine guesses, practice only: {sentences, spans}

    def __init__(self, *, on_problem: Any = None, **kwargs: Any) -> None:
        self._on_problem = on_problem
        super().__init__(**kwargs)

    @traitlets.validate("kinds")
    def _valid_kinds(self, proposal: Any) -> dict[str, str]:
        known = {unit["id"] for unit in self.units}
        unknown = sorted(set(proposal["value"]) - known)
        if unknown:
            raise traitlets.TraitError(f"this text has no sentence {', '.join(unknown)}")
        return proposal["value"]

    @traitlets.validate("spans")
    def _valid_spans(self, proposal: Any) -> list[tuple[int, int, str]]:
        size = len(self.text)
        for start, end, device in proposal["value"]:
            if not 0 <= start < end <= size:
                raise traitlets.TraitError(
                    f"a {device} mark at {start}-{end} is outside the text (0-{size})"
                )
        return proposal["value"]

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """Take a change from the front end; one that breaks the types is refused,
        said through ``on_problem``, and the front end is put back in step."""
        try:
            super().set_state(sync_data)
        except (traitlets.TraitError, TypeError, ValueError) as error:
            self.send_state(key=[k for k in sync_data if k in self.keys])
            if self._on_problem is not None:
                self._on_problem(
                    f"the tagger could not take that change ({error}); your saved answers "
                    "are unchanged. Run this cell again if the text looks wrong."
                )


class Tagger(widgets.VBox):
    """The whole tagger. Make one with :meth:`practice` (lessons: the key is
    loaded, and Check explains right and wrong) or :meth:`exam` (graded
    exercises: no key is loaded, and Check only lists what is untagged)."""

    def __init__(
        self,
        document: Document,
        path: Path,
        *,
        key: Annotation | None = None,
        annotator: str = "",
        devices: bool = True,
    ) -> None:
        self.document = document
        self.path = Path(path)
        self.key = key
        self.annotator = annotator
        self.devices = devices  # does Check in practice show the key's devices?
        self._file = AnswersFile(self.path, document)
        self._history: list[tuple[dict[str, str], list[list[Any]]]] = []
        self._last: tuple[dict[str, str], list[list[Any]]] = ({}, [])  # as last saved
        self._restoring = False
        self.core = TaggerCore(
            on_problem=lambda message: self._say(message, "error"),
            text=document.text,
            units=[
                # the segmenter's structure flag is a hint, shown in practice only
                {"id": u.id, "start": u.start, "end": u.end, "structure": u.structure and bool(key)}
                for u in document.sentences
            ],
            tokens=[list(t) for t in tokens(document.text)],
            labels=_legend_data(),
        )
        mode = (
            "practice: Check explains each answer"
            if key
            else "graded: Check lists what is untagged"
        )
        self.title = widgets.HTML(
            f"<b>{html.escape(document.title)}</b> <span class='fl-mode'>({mode})</span>"
        )
        self.progress = widgets.Label()
        self.saved = widgets.Label()
        self.check_button = widgets.Button(
            description="Check",
            icon="check",
            tooltip="Check my answers",
        )
        self.undo_button = widgets.Button(
            description="Undo",
            icon="undo",
            tooltip="Undo the last change (Ctrl+Z)",
        )
        self.messages = widgets.HTML()
        self.hint_button = widgets.ToggleButton(
            value=False,
            description="Machine hints",
            icon="lightbulb-o",
            tooltip="Show or hide a machine's guesses (often wrong)",
        )
        self.hint_button.observe(lambda change: self._safely(self._toggle_hints), names="value")
        for control in (self.check_button, self.undo_button):
            control.add_class("fl-control")
            control.layout.width = "auto"
        self.check_button.on_click(lambda _: self._safely(self.check))
        self.undo_button.on_click(lambda _: self._safely(self.undo))
        legend = widgets.Accordion(children=[widgets.HTML(_legend_html())])
        legend.set_title(0, "Legend: the labels and the question to ask")
        legend.selected_index = None
        buttons = [self.check_button, self.undo_button]
        if key is not None:  # practice only: a graded exercise never shows machine hints
            buttons.append(self.hint_button)
        status = widgets.HBox(
            [*buttons, self.progress, self.saved],
            layout=widgets.Layout(align_items="center"),
        )
        super().__init__([self.title, legend, self.core, status, self.messages])
        self.add_class("fl-tagger")
        self._load()
        self.core.observe(self._changed, names=["kinds", "spans"])
        self.core.on_msg(self._message)
        self._show_progress()

    # --- making one -----------------------------------------------------------------

    @classmethod
    def practice(
        cls, document_id: str, name: str, folder: str | Path = ".", *, devices: bool = True
    ) -> Tagger:
        """A tagger with the key loaded, saving to ``answers/<name>.json``. With
        ``devices=False`` Check is about sentence kinds only: it shows no device lines
        and draws no box round the key's phrases (for a lesson that teaches kinds only)."""
        document = load_document(document_id)
        key = load_key(document_id)
        return cls(document, answers_path(name, folder), key=key, devices=devices)

    @classmethod
    def exam(cls, exercise: str, document_id: str, folder: str | Path = ".") -> Tagger:
        """A tagger for a graded exercise: no key anywhere, saving to
        ``answers/<exercise>.json``."""
        return cls(load_document(document_id), answers_path(exercise, folder))

    # --- what the student does ----------------------------------------------------------

    @property
    def annotation(self) -> Annotation:
        """The current answers as an Annotation."""
        return Annotation(
            document=self.document.id,
            labels=tuple(
                Label(unit.id, self.core.kinds[unit.id])
                for unit in self.document.sentences
                if self.core.kinds.get(unit.id) in KINDS
            ),
            spans=tuple(Span(int(a), int(b), str(d)) for a, b, d in self.core.spans),
            annotator=self.annotator,
            taxonomy=TAXONOMY,
        )

    def type_in(
        self,
        kinds: Mapping[str, str] | None = None,
        spans: Iterable[tuple[Any, ...]] = (),
    ) -> None:
        """Give answers by typing instead of clicking (a screen reader, a static
        viewer, or a preference). ``kinds`` maps sentence ids to kinds, as in
        ``{"s02": "fact"}``; ``spans`` lists ``(sentence id, "exact words", device)``
        and, where the words occur more than once in the sentence, which
        occurrence: ``("s05", "the", "loaded", 2)``. Adds to what is there.

        Every entry is checked before anything is saved: one that cannot be placed
        raises FramelabError naming it, and nothing of the call is kept."""
        if kinds is None:
            kinds = {}
        if not isinstance(kinds, Mapping):
            raise FramelabError(
                f"kinds must map sentence ids to kinds, as in {{'s02': 'fact'}}, "
                f"not a {type(kinds).__name__}"
            )
        if isinstance(spans, (str, bytes)) or not isinstance(spans, Iterable):
            raise FramelabError(
                "spans must be a list of (sentence id, 'exact words', device), "
                "for example [('s05', 'simply not enough', 'loaded')]"
            )
        new_kinds = dict(self.core.kinds)
        for sentence_id, kind in kinds.items():
            self._unit(sentence_id)
            if kind not in KINDS:
                raise FramelabError(
                    f"{sentence_id}: {kind!r} is not a kind; use one of {', '.join(KINDS)}"
                )
            new_kinds[sentence_id] = kind
        new_spans = [list(span) for span in self.core.spans]
        for entry in spans:
            new_spans.append(list(self._place(entry)))
        self._set(new_kinds, new_spans)

    def _unit(self, sentence_id: Any) -> Any:
        if not isinstance(sentence_id, str):
            raise FramelabError(f"{sentence_id!r} is not a sentence id; write it as 's05'")
        return self.document.sentence(sentence_id)  # FramelabError naming the bad id

    def _place(self, entry: tuple[Any, ...]) -> tuple[int, int, str]:
        example = "for example ('s05', 'simply not enough', 'loaded')"
        if not isinstance(entry, (tuple, list)) or len(entry) not in (3, 4):
            raise FramelabError(
                f"{entry!r}: write a span as (sentence id, 'exact words', device), {example}"
            )
        sentence_id, words, device, *rest = entry
        unit = self._unit(sentence_id)
        if device not in DEVICES:
            raise FramelabError(
                f"{entry!r}: {device!r} is not a device; use one of {', '.join(DEVICES)}"
            )
        occurrence = rest[0] if rest else 1
        start, end = place_words(unit, words, occurrence, f"{entry!r}: ")
        return start, end, device

    def check(self, sentences: Iterable[str] | None = None) -> None:
        """Show how the answers stand: in practice, right and wrong with the key's
        reasons; in a graded exercise, only what is still untagged. ``sentences``
        limits the check (and its marks) to those sentence ids and the spans in them.
        A practice tagger made with ``devices=False`` checks sentence kinds only."""
        ids = [u.id for u in self.document.sentences]
        if isinstance(sentences, str):  # one id: check("s05")
            sentences = [sentences]
        if sentences is not None:
            asked = list(sentences)
            for sentence_id in asked:
                self._unit(sentence_id)
        chosen = ids if sentences is None else [i for i in ids if i in set(asked)]
        annotation = _within(self.annotation, self.document, chosen)
        untagged = [sid for sid in chosen if sid not in annotation.kinds]
        if self.key is None:
            self.core.marks = {"sentences": {sid: "untagged" for sid in untagged}, "spans": []}
            if untagged:
                self._say(f"Still untagged: {', '.join(untagged)}.", "info")
            else:
                self._say("Every sentence has a kind. Your answers are saved.", "ok")
            return
        key = _within(self.key, self.document, chosen)
        result = score(annotation, key, self.document.text)
        statuses = {
            item.where: item.status
            for item in result.items
            if item.part == "kinds" and item.where in chosen
        }
        self.core.marks = {
            "sentences": statuses,
            "spans": [[s.start, s.end, s.device] for s in key.spans] if self.devices else [],
        }
        lines = feedback_lines(result, part="all" if self.devices else "kinds", reveal=True)
        body = "".join(f"<li>{html.escape(line)}</li>" for line in lines[1:])
        self._say(f"<b>{html.escape(lines[0])}</b><ul>{body}</ul>", "info", raw=True)

    def show_hints(self, on: bool = True) -> None:
        """Turn the layer of machine guesses on or off (practice mode only)."""
        if self.key is None:
            raise FramelabError(
                "machine hints are for practice; a graded exercise never shows them"
            )
        self.hint_button.value = on

    def _toggle_hints(self) -> None:
        if not self.hint_button.value:
            self.core.hints = {}
            self._say("Machine hints are off.", "info")
            return
        if self.key is None:  # the button is not shown in graded mode; be sure anyway
            self.hint_button.value = False
            return
        from framelab.machine.suggest import suggest

        found = suggest(self.document)
        self.core.hints = {
            "sentences": {s.id: s.kind for s in found.sentences},
            "spans": [[s.start, s.end, s.device] for s in found.spans],
        }
        self._say(
            "Machine hints are on: a program's guesses from word lists, shown as 'guess' labels "
            "and dotted outlines. They are often wrong. Decide for yourself, then compare.",
            "info",
        )

    def undo(self) -> None:
        """Go back one change."""
        if not self._history:
            self._say("Nothing to undo.", "info")
            return
        kinds, spans = self._history.pop()
        self._restoring = True
        try:
            self._set(kinds, spans)
        finally:
            self._restoring = False
        self._last = self._state()
        self._save()

    # --- inside -------------------------------------------------------------------------

    def _set(self, kinds: dict[str, str], spans: list[list[Any]]) -> None:
        with self.core.hold_trait_notifications():
            self.core.kinds = kinds
            self.core.spans = spans

    def _state(self) -> tuple[dict[str, str], list[list[Any]]]:
        return dict(self.core.kinds), [list(span) for span in self.core.spans]

    def _changed(self, change: Any) -> None:
        current = self._state()
        if self._restoring or current == self._last:
            return
        self._history.append(self._last)
        del self._history[:-_HISTORY_LIMIT]
        self._last = current
        self._safely(self._save)

    def _save(self) -> None:
        try:
            saved = self._file.save(self.annotation)
        except Exception:
            self.saved.value = "Not saved"
            raise
        if saved.merged:  # another tagger's answers are now in ours: show them
            self._restoring = True
            try:
                self._set(
                    dict(saved.annotation.kinds),
                    [[s.start, s.end, s.device] for s in saved.annotation.spans],
                )
            finally:
                self._restoring = False
            self._last = self._state()
        if saved.lines:
            self._say(" ".join(saved.lines), "info")
        self.saved.value = f"Saved {time.strftime('%H:%M:%S')}"
        self._show_progress()

    def _load(self) -> None:
        answers, problem = self._file.load()
        if problem is not None:
            self._say(problem, "error")
        if answers is None:
            self.saved.value = "Nothing saved yet"
            return
        self.core.kinds = dict(answers.annotation.kinds)
        self.core.spans = [[s.start, s.end, s.device] for s in answers.annotation.spans]
        self._last = self._state()
        self.saved.value = "Restored from your saved answers"
        if answers.dropped:
            self._say(
                "Some of your saved answers do not fit this text and were left out; the rest "
                "are restored. " + " ".join(answers.summary()) + " The file as it was is "
                "kept beside it (its name has 'before' in it).",
                "info",
            )

    def _message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        """Events from the front end, as messages: {"event": "undo"}."""
        if isinstance(content, dict) and content.get("event") == "undo":
            self._safely(self.undo)

    def _show_progress(self) -> None:
        tagged = sum(1 for u in self.document.sentences if self.core.kinds.get(u.id) in KINDS)
        total = len(self.document.sentences)
        self.progress.value = (
            f"{tagged} of {total} sentences tagged, {len(self.core.spans)} device span(s)"
        )

    def _say(self, message: str, level: str, *, raw: bool = False) -> None:
        text = message if raw else html.escape(message)
        prefix = {"error": "Problem: ", "ok": "Done: ", "info": ""}[level]
        self.messages.value = (
            f"<div class='fl-message fl-{level}' role='status' aria-live='polite'>"
            f"{html.escape(prefix)}{text}</div>"
        )

    def _safely(self, action: Any) -> None:
        """Run a callback; a failure is shown in the widget, never lost in a log."""
        try:
            action()
        except (FramelabError, OSError) as error:
            self._say(str(error), "error")
        except Exception as error:  # a bug of ours: still the student must see it
            self._say(
                f"something went wrong in the tagger ({type(error).__name__}: {error}). "
                f"Your answers saved before this are safe in {self.path}. Run this cell "
                "again, and show this message to your teacher if it happens again.",
                "error",
            )


def _within(annotation: Annotation, document: Document, ids: list[str]) -> Annotation:
    """The part of ``annotation`` on the sentences ``ids``: their labels, and the
    spans that start in them."""
    chosen = set(ids)
    inside = [
        span
        for span in annotation.spans
        if (unit := document.sentence_at(span.start)) is not None and unit.id in chosen
    ]
    return Annotation(
        document=annotation.document,
        labels=tuple(label for label in annotation.labels if label.id in chosen),
        spans=tuple(inside),
        annotator=annotation.annotator,
        taxonomy=annotation.taxonomy,
        status=annotation.status,
    )


def _legend_data() -> dict[str, list[dict[str, str]]]:
    keys = {"fact": "1", "attributed": "2", "opinion": "3", "structure": "4"}
    letters = {
        "loaded": "l",
        "intensifier": "i",
        "speculation": "s",
        "vague-source": "v",
        "verb-bias": "b",
        "generalization": "g",
    }
    return {
        "kinds": [
            {"name": lb.name, "key": keys[lb.name], "question": lb.question}
            for lb in CATEGORIES
            if lb.layer == "kind"
        ],
        "devices": [
            {"name": lb.name, "key": letters[lb.name], "question": lb.question}
            for lb in CATEGORIES
            if lb.layer == "device"
        ],
    }


def _legend_html() -> str:
    rows = "".join(
        f"<tr><th scope='row'>{html.escape(lb.name)}</th><td>{html.escape(lb.definition)}</td>"
        f"<td>{html.escape(lb.question)}</td></tr>"
        for lb in CATEGORIES
    )
    keys = (
        "<p><b>Keys.</b> Tab or the arrow keys move between sentences; 1-4 set the kind "
        "(1 fact, 2 attributed, 3 opinion, 4 structure). To mark words: drag over them, or "
        "click the first word and shift-click the last, or press Enter on a sentence and use "
        "the arrow keys (Shift to extend), then Enter; then choose the device by its letter "
        "(l, i, s, v, b, g). Click a marked word to remove its mark. Ctrl+Z undoes.</p>"
    )
    return (
        f"{keys}<table class='fl-legend'><thead><tr><th>label</th><th>what it is</th>"
        f"<th>the question to ask</th></tr></thead><tbody>{rows}</tbody></table>"
    )
