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

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from framelab.texts.taxonomy import TAXONOMY

__all__ = [
    "Annotation",
    "Document",
    "FramelabError",
    "Key",
    "Label",
    "Sentence",
    "Span",
    "read_json",
    "schema",
    "schema_problem",
    "schema_problems",
    "write_json_atomic",
]


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
class Annotation:
    """One annotator's labels for one document."""

    document: str
    labels: tuple[Label, ...] = ()
    spans: tuple[Span, ...] = ()
    annotator: str = ""
    taxonomy: str = TAXONOMY
    status: str | None = None
    notes: str | None = None

    @property
    def kinds(self) -> dict[str, str]:
        """Sentence id to kind, for the sentences that were tagged."""
        return {label.id: label.kind for label in self.labels if label.kind is not None}

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
        spans = tuple(
            Span(
                start=item["start"],
                end=item["end"],
                device=item["device"],
                text=item.get("text"),
                why=item.get("why", ""),
                neutral=item.get("neutral"),
            )
            for item in data["spans"]
        )
        for index, span in enumerate(spans):
            if span.end <= span.start:
                where = f"{source}: " if source else ""
                raise FramelabError(
                    f"{where}spans[{index}] ends at {span.end}, not after its start "
                    f"{span.start}; a span needs end > start"
                )
        return cls(
            document=data["document"],
            labels=labels,
            spans=spans,
            annotator=data.get("annotator", ""),
            taxonomy=data["taxonomy"],
            status=data.get("status"),
            notes=data.get("notes"),
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
    return out


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
        raise FramelabError(f"no schema called {name!r}; use annotation, key or article") from None
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
        if error.rule in ("required", "additionalProperties"):
            return f"{where}: {message}"
        return f"{where}: {error.value!r} {message}"
    return None


def schema_problems(data: Any, name: str) -> list[str]:
    """Every way ``data`` breaks schema ``name``, as readable lines (empty when valid)."""
    problems = []
    for error in sorted(_validator(name).iter_errors(data), key=lambda e: list(e.absolute_path)):
        where = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path
        ).lstrip(".")
        problems.append(f"{where or 'top level'}: {error.message}")
    return problems


def read_json(path: str | os.PathLike[str]) -> Any:
    """Parse a JSON file; a missing or unreadable file raises FramelabError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FramelabError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise FramelabError(f"{path}: cannot be read as UTF-8 text ({error})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FramelabError(
            f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None


def write_json_atomic(path: str | os.PathLike[str], data: Any) -> None:
    """Write ``data`` as JSON to ``path`` through a temporary file and a rename,
    so readers see the old file or the new one, never half of one."""
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    write_bytes_atomic(path, text.encode("utf-8"))


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
