"""The one data model: Documents, and Annotations of them (a Key is an Annotation
with rationales).

Everything in framelab is an annotation of a document. A student's answers, the
machine's suggestions, a class's pooled answers and the gold key have one shape,
so one scorer, one plot and one report serve them all.

>>> a = Annotation.from_dict({"taxonomy": "framelab-1", "document": "demo",
...     "sentences": [{"id": "s01", "kind": "fact"}],
...     "spans": [{"start": 0, "end": 4, "device": "loaded"}]})
>>> a.kinds
{'s01': 'fact'}
>>> a.to_dict()["spans"]
[{'start': 0, 'end': 4, 'device': 'loaded'}]
"""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from framelab.texts.taxonomy import TAXONOMY

__all__ = [
    "MAX_JSON_BYTES",
    "MAX_JSON_DEPTH",
    "Annotation",
    "Document",
    "FramelabError",
    "Headline",
    "Key",
    "Label",
    "Sentence",
    "Span",
    "decode_text",
    "json_bytes",
    "os_problem",
    "parse_json",
    "read_bytes",
    "read_json",
    "read_text",
    "schema",
    "schema_problem",
    "schema_problems",
    "write_json_atomic",
]

MAX_JSON_BYTES = 10_000_000
"""The largest JSON file framelab reads. Its largest dataset file (a fact alignment) is
about 25 KB and its answers files a few KB; a submitted file may hold 10 MB
(``framelab.grading.submission.MAX_FILE_BYTES``), so every legitimate file fits with room."""
MAX_JSON_DEPTH = 64
"""How deeply a JSON file framelab reads may nest: its own files nest four levels."""


class FramelabError(ValueError):
    """Bad input, with a message that names what is wrong and what to do.

    The one error type framelab raises for malformed files and values; callers
    (the CLI, the widget, a grading cell) show its message instead of a traceback.
    """


@dataclass(frozen=True)
class Sentence:
    """One unit of a Document: a sentence, or a structural line (heading, dateline,
    caption, page leftover) when ``structure`` is true."""

    id: str
    start: int
    end: int
    text: str
    structure: bool = False


@dataclass(frozen=True)
class Document:
    """An article: its exact text, its metadata and its segmentation."""

    id: str
    text: str
    sentences: tuple[Sentence, ...]
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(self.meta.get("title", self.id))

    def sentence(self, sentence_id: str) -> Sentence:
        for sentence in self.sentences:
            if sentence.id == sentence_id:
                return sentence
        raise FramelabError(f"document {self.id!r} has no sentence {sentence_id!r}")

    def sentence_at(self, offset: int) -> Sentence | None:
        """The unit that contains character ``offset``, if any."""
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None


@dataclass(frozen=True)
class Label:
    """A sentence's kind. In a Key it also carries its offsets, quoted text,
    ``accept`` (other defensible kinds) and ``why`` (a rationale for students)."""

    id: str
    kind: str | None
    accept: tuple[str, ...] = ()
    why: str = ""
    start: int | None = None
    end: int | None = None
    text: str | None = None
    scored: bool = True
    """False for a unit whose kind no exercise grades yet: a headline (guide rule K6),
    until a lesson teaches headlines. Its spans are still scored."""

    def accepts(self, kind: str | None) -> bool:
        """True when ``kind`` earns full credit for this sentence."""
        return kind is not None and (kind == self.kind or kind in self.accept)


@dataclass(frozen=True)
class Span:
    """A framing device over characters ``start`` to ``end`` of the document text.
    In a Key it also carries the quoted ``text``, a ``why`` and, for loaded
    wording, a ``neutral`` alternative."""

    start: int
    end: int
    device: str
    text: str | None = None
    why: str = ""
    neutral: str | None = None


@dataclass(frozen=True)
class Headline:
    """A key's reading of a headline that is not a unit of the text: the central
    article's, kept in its ``meta.json`` because the copy of the text starts below it.
    Span offsets point into ``text``, not into the document. Like every headline
    (rule K6), its kind is not scored."""

    text: str
    kind: str
    accept: tuple[str, ...]
    why: str
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Annotation:
    """One annotator's labels for one document."""

    document: str
    labels: tuple[Label, ...] = ()
    spans: tuple[Span, ...] = ()
    annotator: str = ""
    taxonomy: str = TAXONOMY
    status: str | None = None
    notes: str | None = None
    headline: Headline | None = None

    @property
    def kinds(self) -> dict[str, str]:
        """Sentence id to kind, for the sentences that were tagged."""
        return {label.id: label.kind for label in self.labels if label.kind is not None}

    @property
    def scored_labels(self) -> tuple[Label, ...]:
        """The labels whose kinds are scored (all but headlines, rule K6)."""
        return tuple(label for label in self.labels if label.scored)

    def only_devices(self, devices: Iterable[str]) -> Annotation:
        """This annotation with only the spans of ``devices`` (an exercise or lesson
        that is about some of the devices)."""
        wanted = set(devices)
        return replace(self, spans=tuple(s for s in self.spans if s.device in wanted))

    def label(self, sentence_id: str) -> Label | None:
        for label in self.labels:
            if label.id == sentence_id:
                return label
        return None

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @classmethod
    def from_dict(cls, data: Any, *, kind: str = "annotation", source: str = "") -> Annotation:
        """Build from parsed JSON, checked against the ``kind`` schema
        ("annotation" or "key"); a problem raises FramelabError naming ``source``."""
        problem = schema_problem(data, kind)
        if problem:
            raise FramelabError(f"{source}: {problem}" if source else problem)
        labels = tuple(
            Label(
                id=item["id"],
                kind=item["kind"],
                accept=tuple(item.get("accept", ())),
                why=item.get("why", ""),
                start=item.get("start"),
                end=item.get("end"),
                text=item.get("text"),
                scored=item.get("scored", True),
            )
            for item in data["sentences"]
        )
        seen: set[str] = set()
        for label in labels:
            if label.id in seen:
                where = f"{source}: " if source else ""
                raise FramelabError(
                    f"{where}sentence {label.id} is listed twice; keep one entry per sentence"
                )
            seen.add(label.id)
        spans = _spans(data["spans"], source, "spans")
        headline = None
        if "headline" in data:
            item = data["headline"]
            headline = Headline(
                text=item["text"],
                kind=item["kind"],
                accept=tuple(item["accept"]),
                why=item["why"],
                spans=_spans(item["spans"], source, "headline.spans"),
            )
        return cls(
            document=data["document"],
            labels=labels,
            spans=spans,
            annotator=data.get("annotator", ""),
            taxonomy=data["taxonomy"],
            status=data.get("status"),
            notes=data.get("notes"),
            headline=headline,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data; key fields appear only where they are set."""
        out: dict[str, Any] = {"taxonomy": self.taxonomy, "document": self.document}
        if self.annotator:
            out["annotator"] = self.annotator
        if self.status is not None:
            out["status"] = self.status
        if self.notes is not None:
            out["notes"] = self.notes
        out["sentences"] = [_label_dict(label) for label in self.labels]
        if self.headline is not None:
            head = self.headline
            out["headline"] = {"text": head.text, "kind": head.kind, "accept": list(head.accept)}
            out["headline"]["why"] = head.why
            out["headline"]["spans"] = [_span_dict(span) for span in head.spans]
        out["spans"] = [_span_dict(span) for span in self.spans]
        return out

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, kind: str = "annotation") -> Annotation:
        """Read and check an annotation (or, with kind="key", a key) file."""
        return cls.from_dict(read_json(path), kind=kind, source=str(path))

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write atomically: a crash mid-write never leaves a half-written file."""
        write_json_atomic(path, self.to_dict())


Key = Annotation
"""A Key is an Annotation whose labels and spans carry rationales; load one with
``Annotation.load(path, kind="key")``."""


def _label_dict(label: Label) -> dict[str, Any]:
    out: dict[str, Any] = {"id": label.id}
    if label.start is not None:
        out["start"] = label.start
        out["end"] = label.end
        out["text"] = label.text
    out["kind"] = label.kind
    if label.why:
        out["accept"] = list(label.accept)
        out["why"] = label.why
    if not label.scored:
        out["scored"] = False
    return out


def _spans(items: list[dict[str, Any]], source: str, field: str) -> tuple[Span, ...]:
    spans = tuple(
        Span(
            start=item["start"],
            end=item["end"],
            device=item["device"],
            text=item.get("text"),
            why=item.get("why", ""),
            neutral=item.get("neutral"),
        )
        for item in items
    )
    for index, span in enumerate(spans):
        if span.end <= span.start:
            where = f"{source}: " if source else ""
            raise FramelabError(
                f"{where}{field}[{index}] ends at {span.end}, not after its start "
                f"{span.start}; a span needs end > start"
            )
    return spans


def _span_dict(span: Span) -> dict[str, Any]:
    out: dict[str, Any] = {"start": span.start, "end": span.end}
    if span.text is not None:
        out["text"] = span.text
    out["device"] = span.device
    if span.why:
        out["why"] = span.why
    if span.neutral is not None:
        out["neutral"] = span.neutral
    return out


@cache
def schema(name: str) -> dict[str, Any]:
    """The published JSON Schema ``name`` ("annotation", "key" or "article")."""
    try:
        text = resources.files("framelab.texts.schemas").joinpath(f"{name}.schema.json").read_text()
    except FileNotFoundError:
        raise FramelabError(
            f"no schema called {name!r}; use annotation, key, article, facts, lexicon, "
            "splits, items or item-key"
        ) from None
    return json.loads(text)


@cache
def _validator(name: str) -> Any:
    # imported here: jsonschema takes about a second to import (its optional
    # rfc3987-syntax builds parsers on import), and only `framelab validate` needs it
    import jsonschema

    return jsonschema.Draft202012Validator(schema(name))


@cache
def _fast_validator(name: str) -> Any:
    import fastjsonschema

    return fastjsonschema.compile(schema(name))


def schema_problem(data: Any, name: str) -> str | None:
    """The first way ``data`` breaks schema ``name`` as a readable line, or None.

    Fast (a compiled validator, no slow imports): for loading files in notebooks
    and in grading. ``schema_problems`` lists every problem, for ``framelab validate``.

    >>> schema_problem({"taxonomy": "framelab-1", "document": "x", "sentences": [],
    ...                 "spans": [{"start": 1, "end": 2, "device": "spin"}]}, "annotation")
    "spans[0].device: 'spin' must be one of ['loaded', 'intensifier', 'speculation', \
'vague-source', 'verb-bias', 'generalization']"
    """
    import fastjsonschema

    try:
        _fast_validator(name)(data)
    except fastjsonschema.JsonSchemaValueException as error:
        where = error.name.removeprefix("data").lstrip(".") or "top level"
        message = error.message.removeprefix(error.name).strip()
        if error.rule in ("anyOf", "oneOf"):
            message = _needs_one_of(error.rule_definition) or message
            return f"{where}: {message}"
        if error.rule in ("required", "additionalProperties"):
            return f"{where}: {message}"
        return f"{where}: {_short(error.value)} {message}"
    return None


def schema_problems(data: Any, name: str) -> list[str]:
    """Every way ``data`` breaks schema ``name``, as readable lines (empty when valid)."""
    problems = []
    for error in sorted(_validator(name).iter_errors(data), key=lambda e: list(e.absolute_path)):
        where = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path
        ).lstrip(".")
        message = error.message.replace(repr(error.instance), _short(error.instance))
        if error.validator in ("anyOf", "oneOf"):
            message = _needs_one_of(error.validator_value) or message
        problems.append(f"{where or 'top level'}: {message}")
    return problems


def _needs_one_of(alternatives: Any) -> str | None:
    """A readable message for a schema's choice between required fields
    ("needs 'outlet' or 'author'"); None for any other kind of choice."""
    if not isinstance(alternatives, list) or not all(
        isinstance(a, dict) and set(a) == {"required"} for a in alternatives
    ):
        return None
    return "needs " + " or ".join(
        " and ".join(repr(name) for name in a["required"]) for a in alternatives
    )


def _short(value: Any, width: int = 60) -> str:
    """``repr(value)``, cut to ``width`` characters: a message never quotes a whole file."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


_OS_PROBLEMS = {
    errno.ENOENT: "does not exist; check the path",
    errno.EACCES: "permission denied; ask for access to it, or use another folder",
    errno.EPERM: "permission denied; ask for access to it, or use another folder",
    errno.EROFS: "is on a disk that cannot be written; use another folder",
    errno.ENOTDIR: "part of this path is a file, not a folder; check the path",
    errno.EISDIR: "is a folder, not a file; give the path of a file",
    errno.EEXIST: "already exists; remove it or choose another name",
    errno.ENOTEMPTY: "is a folder that is not empty; remove it or choose another name",
    errno.ENOSPC: "the disk is full; free some space and try again",
    errno.EDQUOT: "the disk quota is used up; free some space and try again",
    errno.ENAMETOOLONG: "the name is too long; choose a shorter one",
    errno.ELOOP: "goes through too many links; check the path",
    errno.EIO: "the disk reported an error reading or writing it; try again or use another disk",
}


def os_problem(error: OSError) -> str:
    """What ``error`` means, as the end of a sentence: the file it names and what to do
    ("/x/y: permission denied; ask for access to it, or use another folder")."""
    where = "" if error.filename is None else str(error.filename)
    if error.filename2 is not None:
        where = f"{where} -> {error.filename2}"
    return f"{where}: {_os_phrase(error)}" if where else _os_phrase(error)


def _os_phrase(error: OSError) -> str:
    known = _OS_PROBLEMS.get(error.errno) if error.errno is not None else None
    return known or (error.strerror or str(error) or type(error).__name__).lower()


def read_bytes(
    path: str | os.PathLike[str],
    limit: int,
    *,
    what: str = "files",
    advice: str = "",
    follow_links: bool = True,
) -> bytes:
    """The content of the regular file ``path``, reading at most ``limit`` + 1 bytes.

    A missing or unreadable file, a folder, a device, pipe or socket (refused before
    anything is read) and a file larger than ``limit`` raise FramelabError naming the
    file; ``what`` and ``advice`` word the size message ("framelab reads {what} of
    at most ...{advice}"). With ``follow_links=False`` a link is refused, never
    followed (a student's answers file, which the grader never follows either).
    """
    path = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
    if not follow_links:
        flags |= os.O_NOFOLLOW
    try:
        handle = os.open(path, flags)  # O_NONBLOCK: opening a pipe does not wait for a writer
    except FileNotFoundError:
        raise FramelabError(f"{path}: file not found; check the path") from None
    except OSError as error:
        if error.errno == errno.ELOOP and not follow_links:
            raise FramelabError(
                f"{path}: is a link, not a file, so it was not read (the grader never "
                "follows one either)"
            ) from None
        raise FramelabError(f"{path}: cannot be read: {_os_phrase(error)}") from None
    data = b""
    try:
        info = os.fstat(handle)
        if stat.S_ISDIR(info.st_mode):
            raise FramelabError(f"{path}: is a folder, not a file; give the path of a file")
        if not stat.S_ISREG(info.st_mode):
            raise FramelabError(
                f"{path}: is not a regular file (it is a device, a pipe or a socket), so it "
                "was not read; give the path of a file saved on disk"
            )
        size = info.st_size
        if size <= limit:
            chunks, got = [], 0
            while got <= limit and (chunk := os.read(handle, min(1 << 20, limit + 1 - got))):
                chunks.append(chunk)
                got += len(chunk)
            data = b"".join(chunks)
            size = max(size, len(data))  # a file that grew while it was read
    except OSError as error:
        raise FramelabError(f"{path}: cannot be read: {_os_phrase(error)}") from None
    finally:
        os.close(handle)
    if size > limit:
        raise FramelabError(
            f"{path}: is too large ({size / 1e6:.1f} MB); framelab reads {what} of at most "
            f"{limit / 1e6:g} MB{advice}"
        )
    return data


def read_text(
    path: str | os.PathLike[str], limit: int, *, what: str = "files", advice: str = ""
) -> str:
    """The UTF-8 text of ``path`` exactly as stored (no newline translation), read as
    :func:`read_bytes` reads; text that is not UTF-8 raises FramelabError naming the file."""
    return decode_text(read_bytes(path, limit, what=what, advice=advice), str(path))


def decode_text(data: bytes, source: str) -> str:
    """``data`` decoded as UTF-8; anything else raises FramelabError naming ``source``."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FramelabError(
            f"{source}: is not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8"
        ) from None


def parse_json(text: str | bytes, source: str) -> Any:
    """Parse JSON text; text that is not JSON, nests more than MAX_JSON_DEPTH levels or
    holds a number too long to convert raises FramelabError naming ``source``."""
    deep = (
        f"{source}: is nested too deeply (more than {MAX_JSON_DEPTH} levels of brackets) "
        "to be a framelab file; check where it came from"
    )
    try:
        data = json.loads(text)
    except RecursionError:
        raise FramelabError(deep) from None
    except json.JSONDecodeError as error:
        raise FramelabError(
            f"{source}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except ValueError:  # Python refuses to convert an integer of thousands of digits
        raise FramelabError(
            f"{source}: holds a number too long to read (thousands of digits); framelab's "
            "files hold short numbers, so check where it came from"
        ) from None
    if _nests_deeper(data, MAX_JSON_DEPTH):
        raise FramelabError(deep)
    return data


def _nests_deeper(data: Any, limit: int) -> bool:
    """True when lists and objects nest more than ``limit`` levels (walked without
    recursion, so any depth is safe to check)."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        if depth > limit:
            return True
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return False


def read_json(path: str | os.PathLike[str], limit: int = MAX_JSON_BYTES) -> Any:
    """Parse a JSON file of at most ``limit`` bytes; a missing, unreadable, oversized,
    non-UTF-8, invalid or absurdly nested file raises FramelabError naming it."""
    return parse_json(read_text(path, limit, what="JSON files"), str(path))


def json_bytes(data: Any) -> bytes:
    """``data`` as framelab writes every JSON file: UTF-8, one-space indents, a final
    newline."""
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def write_json_atomic(path: str | os.PathLike[str], data: Any) -> None:
    """Write ``data`` as JSON to ``path`` through a temporary file and a rename,
    so readers see the old file or the new one, never half of one."""
    write_bytes_atomic(path, json_bytes(data))


def write_bytes_atomic(path: str | os.PathLike[str], content: bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same folder,
    flushed to disk, then renamed over ``path``; on any failure the temporary file
    is removed and ``path`` is as it was."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            # mkstemp makes files 0600, which the exchange and the teacher could not read
            os.fchmod(stream.fileno(), 0o644)
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
