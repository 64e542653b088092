"""The answers file: the one module that knows where a student's answers live, how
they are read and how they are saved.

- **Where**: ``answers/<exercise>.json`` in the exercise's folder (:func:`answers_path`).
- **Reading** (:func:`parse`), one policy for the tagger, the grader, ``check_answers``,
  the class report and simulated classes. A file that is not an answers file at all
  (not JSON, nested too deeply, answers for another text) raises FramelabError with
  one sentence. Inside a good file, an item that cannot be placed (a span outside the
  text, an unknown sentence id, a wrong type) is dropped with one line saying so, and
  every other item is kept and scored: a teacher who corrects a text after release, or
  one slip of a student's, never costs the rest.
- **Saving** (:class:`AnswersFile`): atomic (a temporary file and a rename), under a
  lock (the ``filelock`` package), and only after checking that nobody else wrote the
  file since this tagger last read or wrote it. When someone did (a second browser
  tab, a copy of the notebook, a second kernel), the two are merged and the student is
  told; a tag is never dropped silently.

>>> from framelab.texts.model import Document, Sentence
>>> doc = Document("demo", "Rebels took the city.",
...                (Sentence("s01", 0, 21, "Rebels took the city."),))
>>> answers = parse('{"taxonomy": "framelab-1", "document": "demo", '
...                 '"sentences": [{"id": "s01", "kind": "fact"}, {"id": "s09", "kind": "fact"}], '
...                 '"spans": [{"start": 7, "end": 11, "device": "loaded"}, '
...                 '{"start": 20, "end": 90, "device": "loaded"}]}', doc)
>>> answers.annotation.kinds, len(answers.annotation.spans)
({'s01': 'fact'}, 1)
>>> for line in answers.dropped:
...     print(line)
sentences[1]: this text has no sentence s09, so that tag was left out.
spans[1] (20-90, loaded) is outside the text (0-21), so that mark was left out.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framelab.grading.submission import MAX_FILE_BYTES, Tree
from framelab.texts.items import MAX_TEXT, Value
from framelab.texts.model import (
    Annotation,
    Document,
    FramelabError,
    Label,
    Span,
    json_bytes,
    parse_json,
    write_bytes_atomic,
)
from framelab.texts.model import (
    read_bytes as read_file,
)
from framelab.texts.taxonomy import DEVICES, KINDS, TAXONOMY

__all__ = [
    "ANSWERS_FOLDER",
    "MAX_ANSWERS_BYTES",
    "Answers",
    "AnswersFile",
    "Saved",
    "answers_path",
    "merge",
    "merge_items",
    "named_document",
    "parse",
    "relative_path",
    "submitted",
    "write",
]

ANSWERS_FOLDER = "answers"
MAX_ANSWERS_BYTES = MAX_FILE_BYTES  # the grader reads no larger file of a submission
_MAX_OPTIONS = 40  # options of one item a student can choose or order
_SHOWN = 5  # dropped items listed one by one; past that, a count
_LOCK_TIMEOUT = 10.0  # seconds to wait for another tagger's save
_LEFTOVER_SECONDS = 600  # a temporary file this old is from a save that was cut short


def relative_path(exercise: str) -> str:
    """``answers/<exercise>.json``: the answers file's place inside a submission."""
    return f"{ANSWERS_FOLDER}/{exercise}.json"


def answers_path(exercise: str, folder: str | os.PathLike[str] = ".") -> Path:
    """Where the tagger saves a student's answers for ``exercise``."""
    return Path(folder) / relative_path(exercise)


@dataclass(frozen=True)
class Answers:
    """What could be read of an answers file: the answers, and one line for each
    item that was left out (``dropped``)."""

    annotation: Annotation
    dropped: tuple[str, ...] = ()
    items: Mapping[str, Value] = field(default_factory=dict)  # {item id: value}
    # the tags as they were handed in before the machine's guesses were shown (exercise
    # 08's comparison): from then on these are graded, not later changes
    handed_in: Annotation | None = None
    handed_in_at: str = ""

    @property
    def graded_tags(self) -> Annotation:
        """The tags the grader scores: those handed in, if they were, else the current."""
        return self.handed_in if self.handed_in is not None else self.annotation

    def summary(self) -> tuple[str, ...]:
        """The dropped lines to show, at most a handful and a count of the rest."""
        if len(self.dropped) <= _SHOWN:
            return self.dropped
        rest = len(self.dropped) - _SHOWN + 1
        return (*self.dropped[: _SHOWN - 1], f"... and {rest} more items were left out.")


# --- reading ------------------------------------------------------------------------


def parse(content: str | bytes, document: Document, *, source: str = "the answers file") -> Answers:
    """Read an answers file's content for ``document`` with the one policy above.

    Raises FramelabError, naming ``source``, when the content is not an answers file
    for this text; drops (and lists) the items that cannot be placed."""
    if isinstance(content, bytes):
        if len(content) > MAX_ANSWERS_BYTES:
            raise FramelabError(f"{source} is larger than {MAX_ANSWERS_BYTES:,} bytes")
        try:
            content = content.decode("utf-8")
        except UnicodeDecodeError:
            raise FramelabError(
                f"{source} is not UTF-8 text (was it saved by the tagger?)"
            ) from None
    data = parse_json(content, source)
    if not isinstance(data, dict):
        raise FramelabError(f"{source} is not an answers file (it holds no named fields)")
    if set(data) == {"refused"}:  # the note framelab.grading.autograde leaves
        raise FramelabError(str(data["refused"]))
    taxonomy = data.get("taxonomy", TAXONOMY)
    if taxonomy != TAXONOMY:
        raise FramelabError(f"{source} uses the taxonomy {taxonomy!r}, not {TAXONOMY}")
    if data.get("document") != document.id:
        held = data.get("document")
        which = f"answers for {held!r}" if isinstance(held, str) else "no text's name"
        raise FramelabError(f"{source} holds {which}, but this exercise is {document.id!r}")
    dropped: list[str] = []
    labels = _labels(data.get("sentences", []), document, dropped)
    spans = _spans(data.get("spans", []), document, dropped)
    items = _items(data.get("items", {}), dropped)
    annotator = data.get("annotator", "")
    handed_in, at = None, ""
    if "handed_in" in data:
        held = data["handed_in"]
        if isinstance(held, dict):
            handed_in = Annotation(
                document=document.id,
                labels=_labels(held.get("sentences", []), document, dropped),
                spans=_spans(held.get("spans", []), document, dropped),
            )
            at = held.get("at") if isinstance(held.get("at"), str) else ""
        else:
            dropped.append("'handed_in' is not a set of tags, so it was left out.")
    return Answers(
        Annotation(
            document=document.id,
            labels=labels,
            spans=spans,
            annotator=annotator if isinstance(annotator, str) else "",
        ),
        tuple(dropped),
        items,
        handed_in,
        at[:40],
    )


def named_document(content: str | bytes, documents: Sequence[str]) -> str:
    """Which of ``documents`` an answers file is for, when the text a student tags
    depends on the student (the starting-point and finishing-point checks): the one the
    file names, else the first, so that :func:`parse` says what is wrong with it.

    >>> named_document('{"document": "b"}', ["a", "b"]), named_document("{", ["a", "b"])
    ('b', 'a')
    """
    try:
        data = parse_json(content, "the answers file")
    except FramelabError:
        return documents[0]
    held = data.get("document") if isinstance(data, dict) else None
    return held if isinstance(held, str) and held in documents else documents[0]


def _items(items: Any, dropped: list[str]) -> dict[str, Value]:
    """The short items' answers, ``{item id: value}``: a value is a text or a list of
    option ids. Whether a value fits its item is for the scorer to say
    (:func:`framelab.texts.items.value_problem`); here only the shape is checked, so
    that a tagger's save keeps every item's answer it does not know about."""
    if not isinstance(items, dict):
        dropped.append("'items' is not a set of named answers, so no item answers could be read.")
        return {}
    kept: dict[str, Value] = {}
    for name, value in items.items():
        text = isinstance(value, str) and len(value) <= MAX_TEXT
        options = (
            isinstance(value, list)
            and len(value) <= _MAX_OPTIONS
            and all(isinstance(v, str) and len(v) <= 40 for v in value)
        )
        if len(name) > 40 or not (text or options):
            dropped.append(
                f"items[{name[:40]!r}] is not an answer (a text of at most {MAX_TEXT} "
                "characters, or a list of options), so it was left out."
            )
        else:
            kept[name] = value
    return kept


def _labels(items: Any, document: Document, dropped: list[str]) -> tuple[Label, ...]:
    if not isinstance(items, list):
        dropped.append("'sentences' is not a list, so no sentence kinds could be read.")
        return ()
    known = {unit.id for unit in document.sentences}
    labels: dict[str, Label] = {}
    for index, item in enumerate(items):
        where = f"sentences[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            dropped.append(f"{where} is not a sentence's tag, so it was left out.")
        elif item["id"] not in known:
            dropped.append(
                f"{where}: this text has no sentence {item['id']}, so that tag was left out."
            )
        elif item.get("kind") is not None and item.get("kind") not in KINDS:
            dropped.append(
                f"{where}: {item.get('kind')!r} is not a kind ({', '.join(KINDS)}), "
                f"so the tag of {item['id']} was left out."
            )
        elif item["id"] in labels:
            dropped.append(f"{where}: {item['id']} is tagged twice; the first tag was kept.")
        elif item.get("kind") is not None:
            labels[item["id"]] = Label(item["id"], item["kind"])
    order = {unit.id: n for n, unit in enumerate(document.sentences)}
    return tuple(sorted(labels.values(), key=lambda label: order[label.id]))


def _spans(items: Any, document: Document, dropped: list[str]) -> tuple[Span, ...]:
    if not isinstance(items, list):
        dropped.append("'spans' is not a list, so no marked words could be read.")
        return ()
    size = len(document.text)
    spans: list[Span] = []
    for index, item in enumerate(items):
        where = f"spans[{index}]"
        start, end, device = (
            (item.get(k) for k in ("start", "end", "device"))
            if isinstance(item, dict)
            else (None, None, None)
        )
        if not (_whole(start) and _whole(end) and isinstance(device, str)):
            dropped.append(
                f"{where} is not a marked span (start, end, device), so it was left out."
            )
        elif device not in DEVICES:
            dropped.append(
                f"{where}: {device!r} is not a device ({', '.join(DEVICES)}), "
                "so that mark was left out."
            )
        elif not 0 <= start < end <= size:
            dropped.append(
                f"{where} ({start}-{end}, {device}) is outside the text (0-{size}), "
                "so that mark was left out."
            )
        else:
            spans.append(Span(start, end, device))
    return tuple(dict.fromkeys(sorted(spans, key=lambda s: (s.start, s.end, s.device))))


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def submitted(tree: Tree, exercise: str) -> tuple[bytes | None, str | None]:
    """The answers file of ``exercise`` in a submission read by
    :func:`framelab.grading.submission.read_tree`: its bytes (None when there is
    none), and why it was not read (None when it was)."""
    path = relative_path(exercise)
    problem = tree.problem(path) or tree.problem(ANSWERS_FOLDER)
    if problem is not None:
        return None, problem
    return tree.files.get(path), None


def read_bytes(path: str | os.PathLike[str]) -> bytes | None:
    """The content of the answers file at ``path`` as the grader would take it: never
    through a link, only a plain file, at most MAX_ANSWERS_BYTES. None when there is
    no file; FramelabError with a sentence when it cannot be used."""
    if not os.path.lexists(path):
        return None
    return read_file(path, MAX_ANSWERS_BYTES, what="answers files", follow_links=False)


# --- merging ------------------------------------------------------------------------


def merge(base: Annotation, ours: Annotation, theirs: Annotation) -> tuple[Annotation, list[str]]:
    """Three-way merge of one text's answers: ``base`` is what this writer last read
    or wrote, ``ours`` what it holds now, ``theirs`` what another writer left in the
    file. Each of our changes since ``base`` is applied to ``theirs``; where both
    changed one sentence's kind, ours is kept and a line says what it replaced."""
    b, o, t = base.kinds, ours.kinds, theirs.kinds
    kinds: dict[str, str] = {}
    notes: list[str] = []
    for sid in dict.fromkeys([*t, *o, *b]):
        if o.get(sid) != b.get(sid):  # we changed it
            if t.get(sid) not in (b.get(sid), o.get(sid)) and t.get(sid) is not None:
                notes.append(
                    f"{sid}: the other copy said {t[sid]}, this one {o.get(sid) or 'untagged'}; "
                    "this one was kept."
                )
            if o.get(sid) is not None:
                kinds[sid] = o[sid]
        elif t.get(sid) is not None:
            kinds[sid] = t[sid]
    ours_set, base_set = _span_set(ours), _span_set(base)
    spans = (_span_set(theirs) - (base_set - ours_set)) | (ours_set - base_set)
    merged = Annotation(
        document=ours.document,
        labels=tuple(Label(sid, kinds[sid]) for sid in sorted(kinds, key=lambda s: (len(s), s))),
        spans=tuple(Span(*s) for s in sorted(spans)),
        annotator=ours.annotator,
    )
    return merged, notes


def merge_items(
    base: Mapping[str, Value], ours: Mapping[str, Value], theirs: Mapping[str, Value]
) -> tuple[dict[str, Value], list[str]]:
    """Three-way merge of the items' answers, as :func:`merge` does for the tags: our
    changes since ``base`` win, every other answer is ``theirs``."""
    merged: dict[str, Value] = {}
    notes: list[str] = []
    for name in dict.fromkeys([*theirs, *ours, *base]):
        if ours.get(name) != base.get(name):
            if theirs.get(name) not in (base.get(name), ours.get(name)):
                notes.append(f"{name}: the other copy had another answer; this one was kept.")
            if name in ours:
                merged[name] = ours[name]
        elif name in theirs:
            merged[name] = theirs[name]
    return merged, notes


def _span_set(annotation: Annotation) -> set[tuple[int, int, str]]:
    return {(s.start, s.end, s.device) for s in annotation.spans}


# --- saving -------------------------------------------------------------------------


@dataclass(frozen=True)
class Saved:
    """What a save wrote, and what the student should be told about it: ``merged``
    is True when another writer's changes to the part this writer saves (the tags,
    or the items it changed) were merged in."""

    annotation: Annotation
    merged: bool = False
    lines: tuple[str, ...] = ()
    items: Mapping[str, Value] = field(default_factory=dict)


class AnswersFile:
    """One writer's handle on an answers file (a tagger holds one, and so does each
    item widget): it remembers what it last read or wrote, so that a save never
    overwrites another writer's work."""

    def __init__(self, path: str | os.PathLike[str], document: Document) -> None:
        self.path = Path(path)
        self.document = document
        self._seen: bytes | None = None  # the file's content as we last read or wrote it
        self._base = Annotation(document.id)
        self._base_items: dict[str, Value] = {}
        self._handed_in: tuple[Annotation, str] | None = None  # once set, never changed

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(f".{self.path.name}.lock")

    def load(self) -> tuple[Answers | None, str | None]:
        """Read the file: (answers, None); (None, None) when there is none; or, when
        it cannot be used, (None, a sentence). An unusable file is moved aside,
        unchanged, so the next save starts afresh without losing it."""
        self._clear_leftovers()
        try:
            content = read_bytes(self.path)
            if content is None:
                return None, None
            answers = parse(content, self.document, source=str(self.path))
        except FramelabError as error:
            return None, self._set_aside(str(error))[0]
        self._seen, self._base, self._base_items = content, answers.annotation, dict(answers.items)
        if answers.handed_in is not None:
            self._handed_in = (answers.handed_in, answers.handed_in_at)
        if answers.dropped:
            self._keep_copy(content)
        return answers, None

    @property
    def handed_in(self) -> tuple[Annotation, str] | None:
        """The tags handed in before the machine's guesses were shown, and when."""
        return self._handed_in

    def hand_in(self, annotation: Annotation) -> Saved:
        """Hand in ``annotation`` as the tags to grade, once: the first hand-in stands
        (a second, after the machine's guesses were seen, changes nothing)."""
        if self._handed_in is None:
            self._handed_in = (annotation, time.strftime("%Y-%m-%d %H:%M:%S"))
        return self.save(annotation)

    def save(
        self, annotation: Annotation | None = None, items: Mapping[str, Value | None] = {}
    ) -> Saved:
        """Write ``annotation`` (None: the tags as this writer last saw them) and the
        item answers in ``items`` (a value of None removes that answer) atomically,
        merging in whatever another writer saved since this one last read or wrote
        the file; tags handed in, by this writer or another, are kept."""
        from filelock import FileLock, Timeout

        ours = self._base if annotation is None else annotation
        ours_items = {**self._base_items, **items}
        ours_items = {k: v for k, v in ours_items.items() if v is not None}
        lines: list[str] = []
        merged = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with FileLock(self.lock_path, timeout=_LOCK_TIMEOUT):
                current = read_bytes(self.path)
                if current != self._seen and current is not None:
                    try:
                        theirs = parse(current, self.document, source=str(self.path))
                    except FramelabError as error:
                        said, moved = self._set_aside(str(error))
                        if not moved:  # never write over a file that could not be kept
                            raise FramelabError(said) from None
                        lines.append(said)
                    else:
                        if theirs.handed_in is not None:  # the first hand-in stands
                            self._handed_in = (theirs.handed_in, theirs.handed_in_at)
                        ours, notes = merge(self._base, ours, theirs.annotation)
                        ours_items, item_notes = merge_items(
                            self._base_items, ours_items, theirs.items
                        )
                        # only what another writer changed in our part is news to us
                        merged = (annotation is not None and theirs.annotation != self._base) or (
                            any(theirs.items.get(k) != self._base_items.get(k) for k in items)
                        )
                        if merged:
                            lines.append(
                                "Another copy of this notebook (a second tab, a copy of it or "
                                "another kernel) saved to the same answers file; its answers "
                                "and yours were merged, and nothing was lost."
                            )
                        lines += notes if annotation is not None else []
                        lines += [n for n in item_notes if n.split(":")[0] in items]
                content = _encode(ours, ours_items, self._handed_in)
                write_bytes_atomic(self.path, content)
        except Timeout:
            raise FramelabError(
                f"another tagger has been saving {self.path.name} for {_LOCK_TIMEOUT:g} "
                "seconds; close other copies of this notebook and try again"
            ) from None
        except OSError as error:
            raise FramelabError(_unsaveable(self.path, error)) from None
        self._seen, self._base, self._base_items = content, ours, ours_items
        return Saved(ours, merged, tuple(lines), dict(ours_items))

    def _set_aside(self, problem: str) -> tuple[str, bool]:
        """Move an unusable file aside, unchanged: what to tell the student, and
        whether the file is out of the way (or gone)."""
        said = f"Your answers file could not be used: {problem}."
        kept = self.path.with_name(f"{self.path.stem}.unreadable-{_stamp()}{self.path.suffix}")
        try:
            os.rename(self.path, kept)
        except OSError as error:
            if error.errno == errno.ENOENT:
                return said, True
            return (
                f"{said} It could not be moved aside ({error.strerror}), so new answers "
                "cannot be saved until your teacher fixes the answers folder.",
                False,
            )
        self._seen = None
        return (
            f"{said} It has been kept, unchanged, as {kept.name}, and the tagger starts "
            "empty. Show this message to your teacher if you need the old answers back.",
            True,
        )

    def _clear_leftovers(self) -> None:
        """Remove what a save cut short left behind (its temporary file), once it is
        old enough that no save can still be writing it."""
        cutoff = time.time() - _LEFTOVER_SECONDS
        with suppress(OSError):
            for leftover in self.path.parent.glob(f".{self.path.name}.*.tmp"):
                if leftover.lstat().st_mtime < cutoff:
                    leftover.unlink()

    def _keep_copy(self, content: bytes) -> None:
        """Keep the file as it was before items were dropped from it."""
        copy = self.path.with_name(f"{self.path.stem}.before-{_stamp()}{self.path.suffix}")
        with suppress(OSError):  # a read-only folder: the next save fails too, and says so
            write_bytes_atomic(copy, content)


def _encode(
    annotation: Annotation,
    items: Mapping[str, Value] | None = None,
    handed_in: tuple[Annotation, str] | None = None,
) -> bytes:
    data = annotation.to_dict()
    if items:
        data["items"] = dict(sorted(items.items()))
    if handed_in is not None:
        tags = handed_in[0].to_dict()
        data["handed_in"] = {
            "at": handed_in[1],
            "sentences": tags["sentences"],
            "spans": tags["spans"],
        }
    return json_bytes(data)


def write(
    path: str | os.PathLike[str],
    annotation: Annotation,
    items: Mapping[str, Value] | None = None,
) -> None:
    """Write an answers file outright, atomically (for simulated classes and tests;
    a tagger saves through :class:`AnswersFile`, which never overwrites another's)."""
    write_bytes_atomic(path, _encode(annotation, items))


def _unsaveable(path: Path, error: OSError) -> str:
    folder = path.parent
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"cannot save to {folder}: you may not write there. Nothing was lost: your answers "
            "are still in the tagger. Ask your teacher to make that folder yours."
        )
    if error.errno in (errno.EEXIST, errno.ENOTDIR):
        return (
            f"cannot save: {folder} is a file, not a folder. Rename that file, then tag again: "
            "your answers are still in the tagger."
        )
    if error.errno == errno.EISDIR:
        return f"cannot save: {path} is a folder, not a file. Rename or remove that folder."
    if error.errno == errno.ENOSPC:
        return "cannot save: the disk is full. Ask your teacher; your answers are still here."
    return f"cannot save to {path} ({error.strerror}); your answers are still in the tagger."


def _stamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S")
