"""The tagger: tag a document's sentences and mark framing devices in a widget.

A small synced core (:class:`TaggerCore`, an anywidget with no compiled extension
and no network imports) holds the text, the sentence units and the answers as
traits, and its front end (static/tagger.mjs) draws all of it: the sentences, the
bar that stays in view (Check, Undo, hints, the view, the key sheet, progress and
"Saved"), the legend, the reasons under each sentence. The answers file on disk is the
one place answers live (:mod:`framelab.grading.answers` reads and saves it): every
change is written to it atomically, a new tagger reads it back, so a kernel restart
or a reload loses nothing, and two taggers on one file merge instead of overwriting.

The synced state is typed: ``kinds`` maps sentence ids to kinds, ``spans`` lists
(start, end, device) within the text; a change from the front end that breaks those
types is refused, said in the widget, and the front end is put back in step. Events
(Check, Undo, hints on or off) travel as messages. Every failure in a callback is
shown in the widget.
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
    # Check's results on the text: {sentences: {id: status}, reasons: {id: [{status,
    # text}]}, spans: the key's [[start, end, device]] when devices are checked}
    marks = traitlets.Dict().tag(sync=True)
    hints = traitlets.Dict().tag(sync=True)  # machine guesses, practice only: {sentences, spans}
    document = traitlets.Unicode("").tag(sync=True)  # the front end keeps the view per text
    # the bar: {mode: "practice"|"graded", hints: None (not offered) or on/off,
    # progress, saved, saved_ok}
    bar = traitlets.Dict().tag(sync=True)
    notice = traitlets.Dict().tag(sync=True)  # {level: "info"|"ok"|"error", text, lines}

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
    exercises: no key is loaded, and Check only lists what is untagged).

    ``check`` says what the Check button in the bar checks: every sentence (True), only
    the given sentence ids (a lesson that reveals a part of the key), or nothing: no
    button, for a lesson whose own cells run :meth:`check` when it is time. ``hints``
    False leaves the machine's guesses out (a lesson where students try first)."""

    def __init__(
        self,
        document: Document,
        path: Path,
        *,
        key: Annotation | None = None,
        annotator: str = "",
        devices: bool | Iterable[str] = True,
        check: bool | Iterable[str] = True,
        hints: bool = True,
        graded: bool = True,
    ) -> None:
        self.document = document
        self.path = Path(path)
        self.key = key
        self.annotator = annotator
        # the devices offered for marking (and that Check explains): all, none or some
        offered = DEVICES if devices is True else () if devices is False else tuple(devices)
        for device in offered:
            if device not in DEVICES:
                raise FramelabError(f"{device!r} is not a device ({', '.join(DEVICES)})")
        self.offered = offered
        self.devices = bool(offered)
        if isinstance(check, str):
            check = [check]
        self._bar_checks = None if check is True else [] if check is False else list(check)
        for sentence_id in self._bar_checks or ():
            document.sentence(sentence_id)  # FramelabError naming an unknown id
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
            labels=_legend_data(offered),
        )
        self.core.document = document.id
        mode = (
            "practice: Check explains each answer"
            if key
            else ("graded" if graded else "a check, not graded") + ": Check lists what is untagged"
        )
        self.title = widgets.HTML(
            f"<b>{html.escape(document.title)}</b> <span class='fl-mode'>({mode})</span>"
        )
        self._bar(
            mode="practice" if key else "graded",
            # off, or not offered at all: a graded exercise never has hints
            hints=False if key is not None and hints else None,
            check=self._bar_checks != [],
            check_label=_check_label(self._bar_checks),
            devices=self.devices,  # False: a lesson on kinds only, with no marking of phrases
            progress="",
            saved="",
            saved_ok=True,
        )
        self._check_notice: dict[str, Any] | None = None
        self._checked: list[str] | None = None  # the sentences the last Check covered
        super().__init__([self.title, self.core])
        self.add_class("fl-tagger")
        self._load()
        self.core.observe(self._changed, names=["kinds", "spans"])
        self.core.on_msg(self._message)
        self._show_progress()

    # --- making one -----------------------------------------------------------------

    @classmethod
    def practice(
        cls,
        document_id: str,
        name: str,
        folder: str | Path = ".",
        *,
        devices: bool | Iterable[str] = True,
        check: bool | Iterable[str] = True,
        hints: bool = True,
    ) -> Tagger:
        """A tagger with the key loaded, saving to ``answers/<name>.json``. With
        ``devices=False`` it is about sentence kinds only: no marking of phrases, and
        Check shows no device lines and draws no box round the key's phrases (for a
        lesson that teaches kinds only). A list of devices (``["loaded"]``) offers
        only those for marking, and Check explains only those: a lesson about some
        devices. ``check`` and ``hints``: see the class."""
        document = load_document(document_id)
        key = load_key(document_id)
        path = answers_path(name, folder)
        return cls(document, path, key=key, devices=devices, check=check, hints=hints)

    @classmethod
    def exam(
        cls,
        exercise: str,
        document_id: str,
        folder: str | Path = ".",
        *,
        devices: bool | Iterable[str] = True,
        graded: bool = True,
    ) -> Tagger:
        """A tagger for a graded exercise: no key anywhere, saving to
        ``answers/<exercise>.json``. ``devices`` as for :meth:`practice`: the
        devices the exercise grades, so that students mark only those. ``graded``
        False: a check that is scored but not graded (the starting and finishing
        points), and the tagger says so."""
        path = answers_path(exercise, folder)
        return cls(load_document(document_id), path, devices=devices, graded=graded)

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
        occurrence: ``("s05", "the", "loaded", 2)``. Adds to what is there (a mark
        that is there already is not added again).

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
            placed = list(self._place(entry))
            if placed not in new_spans:  # a mark that is there already is not added twice
                new_spans.append(placed)
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
        if device not in self.offered:
            offered = ", ".join(self.offered) or "none: this tagger marks no phrases"
            raise FramelabError(f"{entry!r}: {device!r} is not a device here; use {offered}")
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
        self._checked = chosen
        if self.key is None:
            self.core.marks = {
                "sentences": {sid: "untagged" for sid in untagged},
                "reasons": {},
                "spans": [],
            }
            if untagged:
                self._say(f"Still untagged: {', '.join(untagged)}.", "info")
            else:
                self._say("Every sentence has a kind. Your answers are saved.", "ok")
            self._check_notice = self.core.notice
            return
        # try before you look: a sentence with neither a kind nor a mark gets no answer,
        # and the counts are about the sentences tried, so that one tag is not "0 of 24"
        tried = set(annotation.kinds) | _sentence_ids(
            self.document, (span.start for span in annotation.spans)
        )
        ids = [sid for sid in chosen if sid in tried]
        untried = [sid for sid in chosen if sid not in tried]
        whole = _within(self.key, self.document, ids)
        key = whole.only_devices(self.offered)
        mine = score(
            _within(annotation, self.document, ids).only_devices(self.offered),
            key,
            self.document.text,
            unasked=[span for span in whole.spans if span.device not in self.offered],
        )
        parts = {"kinds", "devices"} if self.devices else {"kinds"}
        reasons: dict[str, list[dict[str, str]]] = {
            sid: [{"status": "untagged", "text": "Not tagged yet."}] for sid in untried
        }
        for item in mine.items:
            if item.part in parts and item.status != "right" and item.sentence in tried:
                text = item.message.removeprefix(f"{item.sentence}: ")
                reasons.setdefault(item.sentence, []).append(
                    {"status": item.status, "text": text[:1].upper() + text[1:]}
                )
        statuses = {i.sentence: i.status for i in mine.items if i.part == "kinds"}
        self.core.marks = {
            # a unit the key does not score (a headline, rule K6) gets no verdict once tagged
            "sentences": {
                sid: statuses.get(sid, "untagged")
                for sid in chosen
                if sid in statuses or sid in untried
            },
            "reasons": reasons,
            "spans": [[s.start, s.end, s.device] for s in key.spans] if self.devices else [],
        }
        part = "all" if self.devices else "kinds"
        lines = feedback_lines(mine, part=part, reveal=False, among=" in them")
        said = [line for line in lines if not line.startswith("  ")]
        said[0] = (
            f"Sentence kinds: {mine.kinds_right} right of the {mine.kinds_total} "
            f"sentence{'' if mine.kinds_total == 1 else 's'} you have tried"
        )
        if untried:
            said.append(
                f"{len(untried)} not tagged yet: they get no answer until you tag them "
                f"and {self._again}"
            )
        self._say(
            "\n".join(line.rstrip(".") + "." for line in said)
            + "\nThe reasons are under each sentence.",
            "info",
            lines=[line.strip() for line in lines if line.startswith("  ")],
        )
        self._check_notice = self.core.notice

    def show_hints(self, on: bool = True) -> None:
        """Turn the layer of machine guesses on or off (practice mode only)."""
        if self.key is None:
            raise FramelabError(
                "machine hints are for practice; a graded exercise never shows them"
            )
        if self.core.bar.get("hints") is None:
            raise FramelabError("this tagger was made without machine hints (hints=False)")
        if not on:
            self.core.hints = {}
            self._bar(hints=False)
            self._say("Machine hints are off.", "info")
            return
        from framelab.machine.suggest import suggest

        found = suggest(self.document)
        self.core.hints = {
            "sentences": {s.id: s.kind for s in found.sentences},
            # a lesson on kinds only gets the guessed kinds only
            "spans": [[s.start, s.end, s.device] for s in found.spans if s.device in self.offered],
        }
        self._bar(hints=True)
        self._say(
            "Machine hints are on: a program's guesses from word lists, shown as 'machine "
            "guess' labels. They are often wrong. Decide for yourself, then compare.",
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
        self._forget_marks(self._last, current)
        # graded: Check only lists what is untagged, so it can keep itself up to date
        if self.key is None and self._check_notice and self.core.notice == self._check_notice:
            self.check(self._checked)
        if self._restoring or current == self._last:
            return
        self._history.append(self._last)
        del self._history[:-_HISTORY_LIMIT]
        self._last = current
        self._safely(self._save)

    def _forget_marks(
        self,
        before: tuple[dict[str, str], list[list[Any]]],
        after: tuple[dict[str, str], list[list[Any]]],
    ) -> None:
        """Take Check's marks and reasons off every sentence whose kind or marks have
        changed since, so that no sentence shows a verdict on an answer it no longer has."""
        marks = self.core.marks
        if not marks.get("sentences") and not marks.get("reasons"):
            return
        (kinds_before, spans_before), (kinds_after, spans_after) = before, after
        changed = {
            sid
            for sid in set(kinds_before) | set(kinds_after)
            if kinds_before.get(sid) != kinds_after.get(sid)
        }
        moved = {tuple(s) for s in spans_before} ^ {tuple(s) for s in spans_after}
        changed |= _sentence_ids(self.document, (int(start) for start, _, _ in moved))
        stale = changed & (set(marks.get("sentences", {})) | set(marks.get("reasons", {})))
        if stale:
            kept = {
                part: {k: v for k, v in marks.get(part, {}).items() if k not in stale}
                for part in ("sentences", "reasons")
            }
            self.core.marks = {**marks, **kept}
            practice = self.key is not None  # graded: Check keeps itself up to date
            if (
                practice
                and self._check_notice is not None
                and self.core.notice == self._check_notice
            ):
                self._say(
                    f"You have changed answers since Check: {self._again} to see how "
                    "they stand now.",
                    "info",
                )

    def _save(self) -> None:
        try:
            saved = self._file.save(self.annotation)
        except Exception:
            self._bar(saved="Not saved", saved_ok=False)
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
        self._bar(saved=f"Saved {time.strftime('%H:%M:%S')}", saved_ok=True)
        self._show_progress()

    def hand_in(self) -> Annotation:
        """Hand in the tags as they are now, once, as the ones to grade: a graded
        exercise does this before it shows the machine's guesses (exercise 08), so that
        copying the machine afterwards earns nothing. Returns the tags handed in (the
        first hand-in's, if there was one)."""
        self._file.hand_in(self.annotation)
        self._bar(saved=f"Saved {time.strftime('%H:%M:%S')}", saved_ok=True)
        self._say_handed_in()
        handed = self.handed_in_tags
        assert handed is not None  # hand_in sets it
        return handed

    @property
    def handed_in_tags(self) -> Annotation | None:
        """The tags handed in (see :meth:`hand_in`), or None before any hand-in."""
        handed = self._file.handed_in
        return handed[0] if handed is not None else None

    @property
    def handed_in(self) -> bool:
        """Whether these tags were handed in (see :meth:`hand_in`)."""
        return self.handed_in_tags is not None

    def _say_handed_in(self) -> None:
        handed = self._file.handed_in
        if handed is not None:
            self._say(
                f"Your tags were handed in at {handed[1]}, when you opened the machine's "
                "guesses: those are the tags your teacher grades. You can still change them "
                "here, but the changes are not graded.",
                "info",
            )

    def _load(self) -> None:
        answers, problem = self._file.load()
        if problem is not None:
            self._say(problem, "error")
        if answers is None:
            self._bar(saved="Nothing saved yet")
            return
        self.core.kinds = dict(answers.annotation.kinds)
        self.core.spans = [[s.start, s.end, s.device] for s in answers.annotation.spans]
        self._last = self._state()
        self._bar(saved="Restored from your saved answers")
        self._say_handed_in()
        if answers.dropped:
            self._say(
                "Some of your saved answers do not fit this text and were left out; the rest "
                "are restored. " + " ".join(answers.summary()) + " The file as it was is "
                "kept beside it (its name has 'before' in it).",
                "info",
            )

    def _message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        """Events from the front end, as messages: {"event": "undo"}, {"event":
        "check"}, {"event": "hints", "on": true or false}. Anything else is ignored."""
        if not isinstance(content, dict):
            return
        event = content.get("event")
        if event == "undo":
            self._safely(self.undo)
        elif event == "check":
            if self._bar_checks == []:  # no Check in the bar: the lesson's cells check
                return
            self._safely(lambda: self.check(self._bar_checks))
        elif event == "hints":
            if self.core.bar.get("hints") is None:  # no button for it; refuse it anyway
                self._say("There are no machine hints here.", "info")
                return
            self._safely(lambda: self.show_hints(bool(content.get("on"))))

    # --- what the bar and the notice show (drawn by the front end) -------------------

    @property
    def saved(self) -> str:
        """What the bar says about saving: "Saved 10:41:07", "Not saved", ..."""
        return self.core.bar.get("saved", "")

    @property
    def progress(self) -> str:
        """What the bar says about progress: "3 of 24 sentences tagged, 1 mark"."""
        return self.core.bar.get("progress", "")

    @property
    def notice(self) -> str:
        """The message shown under the bar, as plain text, its lines included."""
        shown = self.core.notice
        return "\n".join([shown.get("text", ""), *shown.get("lines", [])]).strip()

    @property
    def _again(self) -> str:
        """How a student checks again: the bar's button, or the lesson's own cell."""
        return "run the Check cell again" if self._bar_checks == [] else "press Check again"

    def _bar(self, **changes: Any) -> None:
        self.core.bar = {**self.core.bar, **changes}

    def _show_progress(self) -> None:
        tagged = sum(1 for u in self.document.sentences if self.core.kinds.get(u.id) in KINDS)
        total = len(self.document.sentences)
        marks = len(self.core.spans)
        progress = f"{tagged} of {total} sentences tagged"
        if self.devices:
            progress += f", {marks} mark" + ("" if marks == 1 else "s")
        self._bar(progress=progress)

    def _say(self, message: str, level: str, *, lines: Iterable[str] = ()) -> None:
        prefix = {"error": "Problem: ", "ok": "Done: ", "info": ""}[level]
        self.core.notice = {"level": level, "text": prefix + message, "lines": list(lines)}

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


def _check_label(ids: list[str] | None) -> str:
    """The bar's Check button: "Check", or the sentences it covers: a run as "Check
    s01-s05", a few as "Check s09, s12, s19", more as "Check these 6 units".

    >>> _check_label(["s01", "s02", "s03"]), _check_label(["s09", "s12", "s19"])
    ('Check s01-s03', 'Check s09, s12, s19')
    """
    if not ids:
        return "Check"
    numbers = [int(i[1:]) if i[1:].isdigit() else None for i in ids]
    if len(ids) == 1 or (
        None not in numbers and numbers == list(range(numbers[0], numbers[0] + len(ids)))
    ):
        return f"Check {ids[0]}" + (f"-{ids[-1]}" if len(ids) > 1 else "")
    if len(ids) <= 4:
        return "Check " + ", ".join(ids)
    return f"Check these {len(ids)} units"


def _sentence_ids(document: Document, starts: Iterable[int]) -> set[str]:
    """The ids of the sentences in which these characters lie (spans by their start)."""
    return {unit.id for start in starts if (unit := document.sentence_at(start)) is not None}


def _within(annotation: Annotation, document: Document, ids: list[str]) -> Annotation:
    """The part of ``annotation`` on the sentences ``ids``: their labels, and the
    spans that start in them."""
    chosen = set(ids)
    inside = [span for span in annotation.spans if _sentence_ids(document, [span.start]) & chosen]
    return Annotation(
        document=annotation.document,
        labels=tuple(label for label in annotation.labels if label.id in chosen),
        spans=tuple(inside),
        annotator=annotation.annotator,
        taxonomy=annotation.taxonomy,
        status=annotation.status,
    )


def _legend_data(devices: Iterable[str] = DEVICES) -> dict[str, list[dict[str, str]]]:
    """The labels as the front end draws them: name, key, definition and question,
    kinds first, then the ``devices`` offered, in the taxonomy's order."""
    offered = set(devices)
    # the key that sets each label: 1-4 for the kinds, a letter for the devices
    keys = {
        "fact": "1",
        "attributed": "2",
        "opinion": "3",
        "structure": "4",
        "loaded": "l",
        "intensifier": "i",
        "speculation": "s",
        "vague-source": "v",
        "verb-bias": "b",
        "generalization": "g",
    }
    return {
        layer + "s": [
            {
                "name": lb.name,
                "key": keys[lb.name],
                "definition": lb.definition,
                "question": lb.question,
            }
            for lb in CATEGORIES
            if lb.layer == layer and (layer == "kind" or lb.name in offered)
        ]
        for layer in ("kind", "device")
    }
