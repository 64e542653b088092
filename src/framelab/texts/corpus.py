"""Documents: load an article from ``datasets/articles/<id>/`` and segment it.

Segmentation is deterministic: pysbd splits prose into sentences, and the kit's
own rules first take out what is not prose (headings, crawler datelines,
captions and credits, page leftovers such as a stray "Share"), each as its own
unit of kind ``structure``, never glued to a real sentence.

>>> [(s.text, s.structure) for s in segment("date 2024-11-30 It rained. Share\\n\\nWeather")]
[('date 2024-11-30', True), ('It rained.', False), ('Share', True), ('Weather', True)]
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from framelab.texts.model import (
    Annotation,
    Document,
    FramelabError,
    Sentence,
    decode_text,
    read_bytes,
    read_json,
    schema_problem,
)

__all__ = [
    "ARTICLE_FILE",
    "DATASETS_VARIABLE",
    "MAX_ARTICLE_BYTES",
    "META_FILE",
    "CourseLookup",
    "article_ids",
    "check_id",
    "datasets_dir",
    "document_from_text",
    "find_course",
    "headline_claims",
    "key_path",
    "load_document",
    "load_key",
    "read_article_bytes",
    "read_article_text",
    "segment",
    "tokens",
]

ARTICLE_FILE = "article.txt"
META_FILE = "meta.json"
MAX_ARTICLE_BYTES = 20_000_000  # a news article is a few kilobytes; this is a book
DATASETS_VARIABLE = "FRAMELAB_DATASETS"
# Article, key and exercise ids: a folder name that cannot climb out of its folder.
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def check_id(value: object, what: str = "an id") -> str:
    """Return ``value`` if it can be an article, key or exercise id, else raise
    FramelabError saying what an id may hold.

    >>> check_id("02-city-budget")
    '02-city-budget'
    >>> check_id("../solutions")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    framelab.texts.model.FramelabError: '../solutions' cannot be an id: use 1 to 64 lower-case ...
    """
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        raise FramelabError(
            f"{value!r} cannot be {what}: use 1 to 64 lower-case letters, digits and hyphens, "
            "starting with a letter or digit (for example 02-city-budget)"
        )
    return value


# A crawler's dateline at the start of a paragraph: "date 2024-11-30".
_DATELINE = re.compile(r"(?:date\s+)?\d{4}-\d{2}-\d{2}(?=\s|$)", re.IGNORECASE)
# A caption or credit line: "Photo: open sources", "Image credit: ...".
_CAPTION = re.compile(
    r"(?:photo|image|picture|video|illustration|source|credit)s?(?:\s+credit)?\s*:",
    re.IGNORECASE,
)
# Words that share buttons and page furniture leave behind in scraped text.
_LEFTOVERS = frozenset(
    {"share", "tweet", "advertisement", "read more", "read also", "subscribe", "print"}
)
# Quotation marks, straight and typographic (U+201C U+2018 open, U+201D U+2019 close).
OPENING_QUOTES = "\"'\u201c\u2018"
CLOSING_QUOTES = "\"'\u201d\u2019"
_SENTENCE_END = (".", "!", "?", "\u2026", ")", *CLOSING_QUOTES)
_HEADING_MAX_WORDS = 20
_INNER_SENTENCE_END = re.compile(rf"[.!?\u2026][{CLOSING_QUOTES})]*\s+\S")
_TOKEN = re.compile(r"\w+(?:[-'\u2019.]\w+)*|[^\w\s]")


def datasets_dir() -> Path:
    """The datasets/ folder: ``$FRAMELAB_DATASETS`` if set, else the one in the
    framelab checkout this package was installed from.

    Notebooks use this order (their working folder is the exercise's, where a stray
    datasets/ must not count); the ``framelab`` command first looks for the course it
    is run in (:func:`find_course`) and sets ``$FRAMELAB_DATASETS`` to its datasets."""
    path, _ = _configured_datasets()
    if not path.is_dir():
        raise FramelabError(
            f"the datasets folder {path} does not exist; run framelab from its checkout "
            f"(pip install -e .) or set {DATASETS_VARIABLE} to the datasets folder"
        )
    return path


def _configured_datasets() -> tuple[Path, str]:
    """``$FRAMELAB_DATASETS``, else the installed copy, and which of the two it is."""
    configured = os.environ.get(DATASETS_VARIABLE)
    if configured:
        return Path(configured), f"from ${DATASETS_VARIABLE}"
    return Path(__file__).resolve().parents[3] / "datasets", "the copy framelab was installed from"


@dataclass(frozen=True)
class CourseLookup:
    """Where the ``framelab`` command found its course and datasets."""

    course: Path | None  # the nearest course folder, if any
    datasets: Path  # the datasets folder to use
    how: str  # how it was found, as a sentence (shown by --verbose)

    @property
    def from_course(self) -> bool:
        """True when the datasets are the course folder's own."""
        return self.course is not None and self.datasets == self.course / "datasets"


def find_course(start: str | os.PathLike[str] = ".") -> CourseLookup:
    """The course of the folder ``start``: the nearest folder above it (``start``
    included) that holds nbgrader_config.py or a datasets/ folder, and the datasets to
    use: that folder's datasets/, else ``$FRAMELAB_DATASETS``, else the installed copy.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as course:
    ...     (Path(course) / "datasets").mkdir()
    ...     (Path(course) / "solutions").mkdir()
    ...     found = find_course(Path(course) / "solutions")
    ...     found.datasets == Path(course).resolve() / "datasets"
    True
    """
    here = Path(start).resolve()
    course = next(
        (
            folder
            for folder in (here, *here.parents)
            if (folder / "nbgrader_config.py").is_file() or (folder / "datasets").is_dir()
        ),
        None,
    )
    if course is not None and (course / "datasets").is_dir():
        return CourseLookup(
            course,
            course / "datasets",
            f"using the datasets in {course / 'datasets'}: {course} is the nearest folder "
            f"from {here} that holds nbgrader_config.py or datasets/",
        )
    fallback, source = _configured_datasets()
    why = (
        f"the course folder {course} has no datasets/ folder"
        if course is not None
        else f"no folder from {here} up holds nbgrader_config.py or datasets/"
    )
    return CourseLookup(course, fallback, f"using the datasets in {fallback} ({source}): {why}")


def article_ids(root: Path | None = None) -> list[str]:
    """Ids of every article folder, sorted."""
    articles = (root or datasets_dir()) / "articles"
    if not articles.is_dir():
        return []
    return sorted(p.name for p in articles.iterdir() if (p / ARTICLE_FILE).is_file())


def load_document(article_id: str, root: Path | None = None) -> Document:
    """Load ``datasets/articles/<article_id>/`` (article.txt and meta.json) as a
    segmented Document. A missing folder or bad metadata raises FramelabError."""
    folder = (root or datasets_dir()) / "articles" / check_id(article_id, "an article id")
    text_path = folder / ARTICLE_FILE
    if not text_path.is_file():
        known = ", ".join(article_ids(root)) or "none"
        raise FramelabError(
            f"no article {article_id!r}: {text_path} does not exist (articles here: {known})"
        )
    text = read_article_text(text_path)
    meta = read_json(folder / META_FILE)
    problem = schema_problem(meta, "article")
    if problem:
        raise FramelabError(f"{folder / META_FILE}: {problem}")
    return document_from_text(text, document_id=article_id, meta=meta)


def read_article_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of an article file, read as :func:`framelab.texts.model.read_bytes`
    reads: a file that is missing, not a regular file or larger than
    MAX_ARTICLE_BYTES raises FramelabError naming it."""
    return read_bytes(
        path,
        MAX_ARTICLE_BYTES,
        what="articles",
        advice=" (a news article is a few KB). Split it first.",
    )


def read_article_text(path: str | os.PathLike[str]) -> str:
    """The text of an article file exactly as stored (offsets count every character,
    so no newline is translated); not UTF-8 raises FramelabError naming it."""
    return decode_text(read_article_bytes(path), str(path))


def key_path(document_id: str, root: Path | None = None) -> Path:
    """Where the key of ``document_id`` lives: ``datasets/keys/<id>.json``."""
    return (root or datasets_dir()) / "keys" / f"{check_id(document_id, 'a document id')}.json"


def load_key(document_id: str, root: Path | None = None) -> Annotation:
    """Load and check the key of ``document_id``; a missing or malformed key raises
    FramelabError naming the file."""
    return Annotation.load(key_path(document_id, root), kind="key")


def document_from_text(
    text: str, document_id: str = "untitled", meta: dict[str, Any] | None = None
) -> Document:
    """Segment ``text`` into a Document (no files involved)."""
    return Document(id=document_id, text=text, sentences=tuple(segment(text)), meta=meta or {})


def segment(text: str) -> list[Sentence]:
    """Split ``text`` into units with character offsets, ids s01, s02, ...

    Each unit's ``text`` equals ``text[start:end]`` and has no surrounding
    whitespace; units never overlap and appear in order.
    """
    units = list(_units(text))
    width = max(2, len(str(len(units))))
    return [
        Sentence(id=f"s{n:0{width}d}", start=a, end=b, text=text[a:b], structure=structural)
        for n, (a, b, structural) in enumerate(units, start=1)
    ]


def tokens(text: str) -> list[tuple[int, int]]:
    """Word and punctuation tokens of ``text`` as (start, end) offsets.

    >>> [("The cat's mat.")[a:b] for a, b in tokens("The cat's mat.")]
    ['The', "cat's", 'mat', '.']
    """
    return [match.span() for match in _TOKEN.finditer(text)]


def _units(text: str) -> Iterator[tuple[int, int, bool]]:
    for start, end in _paragraphs(text):
        dateline = _DATELINE.match(text, start, end)
        if dateline:
            yield start, dateline.end(), True
            start = _skip_space(text, dateline.end(), end)
            if start == end:
                continue
        end, leftover = _trailing_leftover(text, start, end)
        body = text[start:end]
        if _CAPTION.match(body) or _is_heading(body) or _is_leftover(body):
            yield start, end, True
        else:
            yield from _prose(text, start, end)
        if leftover:
            yield leftover[0], leftover[1], True


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Non-blank lines, trimmed of surrounding whitespace."""
    for match in re.finditer(r"[^\r\n]+", text):
        a, b = match.span()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            yield a, b


def _skip_space(text: str, position: int, end: int) -> int:
    while position < end and text[position].isspace():
        position += 1
    return position


def _is_heading(body: str) -> bool:
    stripped = body.strip()
    if stripped.startswith("[") and stripped.endswith("]"):
        return True  # an editorial note such as "[Constructed for framelab ...]"
    return (
        not stripped.endswith(_SENTENCE_END)
        and not _INNER_SENTENCE_END.search(stripped)
        and len(stripped.split()) <= _HEADING_MAX_WORDS
    )


_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)"
)
# A date in a line makes it a dateline or a byline, not a headline.
_DATE_IN_LINE = re.compile(
    rf"\b\d{{1,2}} {_MONTH} \d{{4}}\b|\b{_MONTH} \d{{1,2}},? \d{{4}}\b|\d{{4}}-\d{{2}}-\d{{2}}"
)
# A heading that starts with one of these is a section heading ("What happens next").
_QUESTION_WORDS = frozenset({"what", "how", "why", "where", "when", "who", "which"})


def headline_claims(line: str) -> bool:
    """Whether a heading line reads as a headline that makes a claim (the annotation
    guide's K6: it gets a claim kind), not a section heading, note, dateline, byline,
    caption or leftover: five words or more, no date, no editorial brackets, not a
    question word first.

    >>> headline_claims("Wind farm approved on the ridge above the town")
    True
    >>> headline_claims("What happens next"), headline_claims("Photo: city archive")
    (False, False)
    """
    stripped = line.strip()
    return (
        len(stripped.split()) >= 5
        and not _DATE_IN_LINE.search(stripped)
        and not stripped.lower().startswith(("by ", "opinion", "photo", "picture"))
        and " | " not in stripped
        and stripped.split()[0].lower() not in _QUESTION_WORDS
        and not (stripped.startswith("[") and stripped.endswith("]"))
        and not _CAPTION.match(stripped)
        and not _DATELINE.match(stripped)
        and not _is_leftover(stripped)
    )


def _is_leftover(body: str) -> bool:
    return body.strip().rstrip(".").lower() in _LEFTOVERS


def _prose(text: str, start: int, end: int) -> Iterator[tuple[int, int, bool]]:
    """Sentences of one paragraph by pysbd, located in ``text`` by search (not by
    pysbd's own offsets, which drift on repeated text)."""
    paragraph = text[start:end]
    if not _INNER_SENTENCE_END.search(paragraph):  # one sentence: no need to ask pysbd
        yield start, end, _is_leftover(paragraph)
        return
    cursor = 0
    for piece in _segmenter().segment(paragraph):
        piece = piece.strip()
        if not piece:
            continue
        found = paragraph.find(piece, cursor)
        if found < 0:  # pysbd changed the text; keep the rest as one unit
            yield start + _skip_space(paragraph, cursor, len(paragraph)), end, False
            return
        cursor = found + len(piece)
        yield start + found, start + cursor, _is_leftover(piece)


def _trailing_leftover(text: str, start: int, end: int) -> tuple[int, tuple[int, int] | None]:
    """Split a trailing page leftover off a paragraph ("... liberators. Share"):
    the new end of the paragraph, and the leftover's offsets if there is one."""
    body = text[start:end]
    for word in _LEFTOVERS:
        if body.lower().endswith(" " + word):
            before = body[: -len(word)].rstrip()
            if before.endswith(_SENTENCE_END):
                return start + len(before), (end - len(word), end)
    return end, None


@cache
def _segmenter() -> Any:
    import pysbd  # imported on first use: no import-time cost for callers that never segment

    return pysbd.Segmenter(language="en", clean=False)
