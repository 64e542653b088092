"""Short items in widgets: a choice, an ordering, a one-line answer, a neutral
rewrite (the sheets and keys are :mod:`framelab.texts.items`).

Each :class:`Question` shows one item of a sheet. Every change is saved at once in
the answers file beside the tagger's tags (:class:`framelab.grading.answers.AnswersFile`),
so closing the notebook or restarting loses nothing. Made with :meth:`Question.exam`
(graded: no key is loaded; the grader scores the saved answer) or
:meth:`Question.practice` (lessons: Check explains the answer, from the set's key).

Built from standard ipywidgets (radio buttons, check boxes, a list box with
Move up and Move down, text boxes), so they follow JupyterLab's theme and work from
the keyboard as any form does. Every control also has a plain call for students who
cannot use widgets: ``question.answer("b")``.
"""

from __future__ import annotations

import html
import time
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets

from framelab.grading.answers import AnswersFile, answers_path
from framelab.grading.items import score_in_text
from framelab.texts.corpus import load_document, load_key
from framelab.texts.items import (
    ItemKey,
    ItemSheet,
    Value,
    answered,
    load_item_key,
    load_sheet,
    value_problem,
)
from framelab.texts.model import Annotation, Document, FramelabError

__all__ = ["KeyGuard", "Question"]

_LAYOUT = widgets.Layout(width="auto", max_width="46em")
_STATIC = Path(__file__).parent / "static"


class KeyGuard(anywidget.AnyWidget):
    """Draws nothing: keeps the notebook's command keys (m, a, b, the arrows, ...) from
    acting while the focus is in a box with the class ``fl-guarded``
    (static/keyguard.mjs). A Question holds one."""

    _esm = _STATIC / "keyguard.mjs"


class Question(widgets.VBox):
    """One short item as a widget. ``key`` (practice only) adds a Check button that
    explains the answer; without it the widget only saves."""

    def __init__(
        self,
        sheet: ItemSheet,
        item_id: str,
        path: Path,
        *,
        key: ItemKey | None = None,
        text_key: Annotation | None = None,
    ) -> None:
        self.sheet, self.item = sheet, sheet.item(item_id)
        self.path = Path(path)
        self.key, self.text_key = key, text_key
        self.document: Document = load_document(sheet.document)
        self._file = AnswersFile(self.path, self.document)
        self._restoring = False
        self._value: Value | None = None
        item = self.item
        parts: list[widgets.Widget] = [
            widgets.HTML(f"<p class='fl-q-prompt'>{html.escape(item.prompt)}</p>")
        ]
        if item.sentence or item.example:
            self._sentence = widgets.HTML(self._sentence_html(None))
            parts.append(self._sentence)
        self._status = widgets.HTML("", layout=widgets.Layout(min_height="1.5em"))
        self._control = self._make_control()
        parts.append(self._control)
        self._feedback = widgets.HTML("")
        if key is not None:
            self._check = widgets.Button(
                description="Check", tooltip=f"Check your answer to question {item.id}"
            )
            self._check.on_click(lambda _b: self._safely(self.check))
            parts += [self._check, self._feedback]
        parts += [self._status, KeyGuard()]
        super().__init__(parts, layout=_LAYOUT)
        self.add_class("fl-question")
        self.add_class("fl-guarded")
        self._load()

    # --- making one -----------------------------------------------------------------

    @classmethod
    def exam(cls, exercise: str, item_id: str, folder: str | Path = ".") -> Question:
        """A graded item of ``exercise``: no key is loaded; the answer is saved in
        ``answers/<exercise>.json``, where the grader reads it."""
        return cls(load_sheet(exercise), item_id, answers_path(exercise, folder))

    @classmethod
    def practice(cls, set_id: str, item_id: str, name: str, folder: str | Path = ".") -> Question:
        """A lesson's item, with its key: Check explains the answer. Saved in
        ``answers/<name>.json`` (a lesson's tagger may share the file)."""
        sheet = load_sheet(set_id)
        if sheet.graded:
            raise FramelabError(f"the items {set_id} are graded: a lesson cannot show their key")
        return cls(
            sheet,
            item_id,
            answers_path(name, folder),
            key=load_item_key(set_id),
            text_key=load_key(sheet.document) if sheet.document else None,
        )

    # --- what the student does ------------------------------------------------------

    @property
    def value(self) -> Value | None:
        """The answer as saved: an option id, a list of them, or a text; None if none."""
        return self._value

    def answer(self, value: Value) -> None:
        """Give the answer without the widget (for a screen reader or a viewer without
        widgets): an option id (``"b"``), a list of them (``["a", "c"]``: for an
        ordering, every option in your order), or a text. Says what is wrong, if anything."""
        problem = value_problem(self.item, value)
        if problem:
            options = ", ".join(f"{o} = {t}" for o, t in self.item.options)
            raise FramelabError(
                f"that answer to question {self.item.id} {problem}"
                + (f"; its options are {options}" if options else "")
            )
        self._show(value)
        self._save(value)

    def check(self) -> None:
        """Practice only: say whether the answer is right, and why."""
        if self.key is None:
            raise FramelabError("this question is graded: the grader checks it, not the widget")
        answer = self.key.answer(self.item.id)
        result = score_in_text(
            self.item, answer, self._value, self.document, self.text_key, reveal=True
        )
        self._feedback.value = "".join(f"<p>{html.escape(line)}</p>" for line in result.lines)

    @property
    def feedback(self) -> str:
        """What Check said, as plain text."""
        return html.unescape(
            self._feedback.value.replace("</p><p>", "\n").replace("<p>", "").replace("</p>", "")
        )

    @property
    def saved(self) -> str:
        """What the widget says about saving: "Saved 10:41:07", "Not answered yet", ..."""
        return html.unescape(self._status.value.replace("<span class='fl-q-status'>", "")).replace(
            "</span>", ""
        )

    # --- the controls ---------------------------------------------------------------

    def _make_control(self) -> widgets.Widget:
        item = self.item
        if item.type == "choice" and not item.multiple:
            self._radio = widgets.RadioButtons(
                options=[(text, option) for option, text in item.options],
                value=None,
                description="Your answer",
                style={"description_width": "initial"},
                layout=_LAYOUT,
            )
            self._radio.observe(lambda c: self._changed(c["new"]), names="value")
            return self._radio
        if item.type == "choice":
            self._boxes = [
                widgets.Checkbox(value=False, description=text, indent=False, layout=_LAYOUT)
                for _option, text in item.options
            ]
            for box in self._boxes:
                box.observe(lambda _c: self._changed(self._chosen()), names="value")
            return widgets.VBox(
                [widgets.HTML("<i>Choose all that apply.</i>"), *self._boxes], layout=_LAYOUT
            )
        if item.type == "order":
            self._order = list(item.option_ids)
            self._list = widgets.Select(
                options=self._order_options(),
                rows=len(item.options),
                description=f"First: {item.ends[0]}; last: {item.ends[1]}",
                style={"description_width": "initial"},
                layout=widgets.Layout(width="auto", max_width="46em"),
            )
            up = widgets.Button(description="Move up", tooltip="Move the chosen line up")
            down = widgets.Button(description="Move down", tooltip="Move the chosen line down")
            keep = widgets.Button(
                description="Save this order", tooltip="Save the order as it is now"
            )
            up.on_click(lambda _b: self._safely(lambda: self._move(-1)))
            down.on_click(lambda _b: self._safely(lambda: self._move(1)))
            keep.on_click(lambda _b: self._safely(lambda: self._changed(list(self._order))))
            help_text = widgets.HTML(
                "<i>Choose a line in the list (click it, or Tab to the list and use the "
                "arrow keys), then press Move up or Move down.</i>"
            )
            return widgets.VBox([help_text, self._list, widgets.HBox([up, down, keep])])
        if item.type == "line":
            self._text = widgets.Text(
                placeholder="Type your answer here",
                description="Your answer",
                style={"description_width": "initial"},
                continuous_update=True,
                layout=_LAYOUT,
            )
            self._text.observe(lambda c: self._changed(c["new"]), names="value")
            return self._text
        self._text = widgets.Textarea(
            placeholder="Type your rewrite here",
            description="Your rewrite",
            style={"description_width": "initial"},
            continuous_update=True,
            rows=4,
            layout=widgets.Layout(width="100%", max_width="46em"),
        )
        self._text.observe(lambda c: self._changed(c["new"]), names="value")
        start = widgets.Button(
            description="Start from the sentence",
            tooltip="Put the sentence as the text has it into the box, to edit it",
            layout=widgets.Layout(width="auto"),
        )
        start.on_click(lambda _b: self._safely(self._start_from_sentence))
        return widgets.VBox([self._text, start])

    def _order_options(self) -> list[tuple[str, str]]:
        return [
            (f"{n}. {self.item.option_text(option)}", option)
            for n, option in enumerate(self._order, 1)
        ]

    def _move(self, step: int) -> None:
        chosen = self._list.value
        if chosen is None:
            self._say("Choose a line in the list first, then move it.")
            return
        at = self._order.index(chosen)
        to = at + step
        if not 0 <= to < len(self._order):
            self._say(f"That line is already {'first' if step < 0 else 'last'}.")
            return
        self._order[at], self._order[to] = self._order[to], self._order[at]
        self._restoring = True
        try:
            self._list.options = self._order_options()
            self._list.value = chosen  # the moved line stays chosen: press again to go on
        finally:
            self._restoring = False
        self._changed(list(self._order))

    def _chosen(self) -> list[str]:
        return [o for o, box in zip(self.item.option_ids, self._boxes, strict=True) if box.value]

    def _start_from_sentence(self) -> None:
        if self._text.value.strip():
            self._say("The box already holds your rewrite; clear it first to start again.")
            return
        self._text.value = self._original

    # --- showing, saving, loading ---------------------------------------------------

    def _show(self, value: Value | None) -> None:
        """Put ``value`` into the controls without saving it again."""
        self._restoring = True
        try:
            item = self.item
            if item.type == "choice" and not item.multiple:
                self._radio.value = value
            elif item.type == "choice":
                for option, box in zip(item.option_ids, self._boxes, strict=True):
                    box.value = option in (value or [])
            elif item.type == "order":
                self._order = list(value or item.option_ids)
                self._list.options = self._order_options()
            else:
                self._text.value = value or ""
        finally:
            self._restoring = False
        self._value = value
        if item.sentence or item.example:
            self._sentence.value = self._sentence_html(value)

    def _changed(self, value: Value | None) -> None:
        if self._restoring:
            return
        self._safely(lambda: self._save(value))

    def _save(self, value: Value | None) -> None:
        if not answered(value):
            value = None
        self._value = value
        if self.item.sentence or self.item.example:
            self._sentence.value = self._sentence_html(value)
        if self.key is not None:
            self._feedback.value = ""  # an answer changed since Check: no stale verdict
        try:
            saved = self._file.save(items={self.item.id: value})
        except FramelabError:
            self._status_line("Not saved", ok=False)
            raise
        said = f"Saved {time.strftime('%H:%M:%S')}" if value is not None else "Not answered yet"
        if saved.merged:
            self._show(saved.items.get(self.item.id))
            said += ". " + " ".join(saved.lines)
        self._status_line(said)

    def _load(self) -> None:
        answers, problem = self._file.load()
        if problem is not None:
            self._say(problem, ok=False)
        value = answers.items.get(self.item.id) if answers else None
        if value is not None and value_problem(self.item, value):
            value = None  # kept in the file, untouched; the widget starts empty
        self._show(value)
        self._status_line("Restored from your saved answers" if value else "Not answered yet")

    def _status_line(self, text: str, ok: bool = True) -> None:
        shown = html.escape(text) if ok else f"<b>{html.escape(text)}</b>"
        self._status.value = f"<span class='fl-q-status'>{shown}</span>"

    def _say(self, message: str, ok: bool = True) -> None:
        self._status_line(message if ok else f"Problem: {message}", ok=ok)

    def _safely(self, action: Any) -> None:
        """Run a callback; a failure is shown in the widget, never lost in a log."""
        try:
            action()
        except (FramelabError, OSError) as error:
            self._say(str(error), ok=False)
        except Exception as error:  # a bug of ours: still the student must see it
            self._say(
                f"something went wrong ({type(error).__name__}: {error}). Your answers saved "
                f"before this are safe in {self.path}. Run this cell again, and show this "
                "message to your teacher if it happens again.",
                ok=False,
            )

    # --- the sentence an item is about -------------------------------------------

    @property
    def _original(self) -> str:
        if self.item.example:
            return self.item.example
        return self.document.sentence(self.item.sentence).text if self.item.sentence else ""

    def _sentence_html(self, value: Value | None) -> str:
        """The sentence the item is about; for a word swap, with the chosen option in
        place of the quoted words (and what that option does, in practice)."""
        item = self.item
        text = self._original
        label = f"<span class='fl-q-id'>{html.escape(item.sentence or 'Example')}</span> "
        if not item.quote:
            return f"<blockquote>{label}{html.escape(text)}</blockquote>"
        before, _, after = text.partition(item.quote)
        words = item.quote if not isinstance(value, str) else item.option_text(value)
        shown = (
            f"<blockquote>{label}{html.escape(before)}<mark>{html.escape(words)}</mark>"
            f"{html.escape(after)}</blockquote>"
        )
        if isinstance(value, str) and self.key is not None:
            note = self.key.answer(item.id).notes.get(value)
            if note:
                shown += f"<p class='fl-q-note'>{html.escape(note)}</p>"
        return shown
