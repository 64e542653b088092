"""Check datasets: articles, their metadata, keys and annotations.

Each problem names the file, the item and what to do about it, so that
``framelab validate`` prints one useful line per problem.

>>> from pathlib import Path
>>> problems = validate_paths([Path("no/such/file.json")])
>>> print(problems[0])
no/such/file.json: file: does not exist; check the path
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framelab.texts.corpus import (
    ARTICLE_FILE,
    CLOSING_QUOTES,
    META_FILE,
    OPENING_QUOTES,
    datasets_dir,
    load_document,
    read_article_bytes,
    read_article_text,
)
from framelab.texts.model import Document, FramelabError, read_json, schema_problems

__all__ = ["Problem", "check_key", "check_key_data", "validate_datasets", "validate_paths"]


@dataclass(frozen=True)
class Problem:
    """One problem found in one file."""

    path: str
    item: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.item}: {self.message}"


def validate_datasets(root: Path | None = None) -> list[Problem]:
    """Every problem in every article folder and key under ``root`` (datasets/)."""
    root = root or datasets_dir()
    paths: list[Path] = []
    articles = root / "articles"
    if articles.is_dir():
        paths += sorted(p for p in articles.iterdir() if p.is_dir())
    for folder in ("keys", "facts"):
        if (root / folder).is_dir():
            paths += sorted((root / folder).glob("*.json"))
    problems = validate_paths(paths, root)
    if (root / "places").is_dir():
        problems += _check_places(root / "places")
    problems += _check_items(root)
    return problems


def _check_items(root: Path) -> list[Problem]:
    """Every item sheet and its key: each readable and checked against the other
    (:mod:`framelab.texts.items`), and no key without its sheet."""
    from framelab.texts.items import ITEMS_FOLDER, item_key_path, load_item_key, sheet_ids

    problems = []
    sheets = sheet_ids(root)
    for set_id in sheets:
        try:
            load_item_key(set_id, root)  # reads and checks the sheet too
        except FramelabError as error:
            where = f"{ITEMS_FOLDER}/{set_id}.json"
            problems.append(Problem(where, set_id, _without_path(error)))
    keys = root / "keys" / ITEMS_FOLDER
    for stray in sorted(keys.glob("*.json")) if keys.is_dir() else ():
        if stray.stem not in sheets:
            problems.append(
                Problem(
                    str(item_key_path(stray.stem, root).relative_to(root)),
                    stray.stem,
                    f"a key of items with no sheet ({ITEMS_FOLDER}/{stray.stem}.json)",
                )
            )
    return problems


def _check_places(folder: Path) -> list[Problem]:
    """The places folder: its data card, and a places file that loads."""
    from framelab.texts.places import load_places

    problems = []
    if not (folder / "README.md").exists():
        problems.append(Problem(str(folder), "README.md", "missing; write the data card there"))
    try:
        load_places(folder / "places.json")
    except FramelabError as error:
        problems.append(Problem(str(folder / "places.json"), "file", _without_path(error)))
    return problems


def validate_paths(paths: Iterable[Path], root: Path | None = None) -> list[Problem]:
    """Problems in the given files or folders; a folder under datasets/articles is an
    article, a folder that holds articles/ or keys/ is a whole datasets tree."""
    problems: list[Problem] = []
    for path in paths:
        problems.extend(_validate_path(Path(path), root))
    return problems


def _validate_path(path: Path, root: Path | None) -> Iterator[Problem]:
    if not path.exists():
        yield Problem(str(path), "file", "does not exist; check the path")
    elif path.is_dir() and ((path / "articles").is_dir() or (path / "keys").is_dir()):
        yield from validate_datasets(path)
    elif path.is_dir():
        yield from _check_article(path)
    elif path.name == META_FILE:
        yield from _check_article(path.parent)
    elif path.parent.name == "facts" and path.suffix == ".json":
        yield from _check_facts_file(path, root or _root_of(path))
    elif path.suffix == ".json":
        yield from _check_annotation_file(path, root or _root_of(path))
    else:
        yield Problem(str(path), "file", "is not an article folder or a .json key or annotation")


def check_key(data: Any, path: Path, root: Path | None = None) -> list[Problem]:
    """Every problem of a key held in memory, as ``framelab validate`` would find in
    it once written to ``path``: so a tool can refuse to write a bad key."""
    return list(_check_data(data, True, root or _root_of(path.parent), path))


def _root_of(path: Path) -> Path | None:
    """The datasets/ folder a file sits in, if any (else the configured one)."""
    for parent in path.resolve().parents:
        if (parent / "articles").is_dir():
            return parent
    return None


def _without_path(error: FramelabError) -> str:
    """A reading error's message without the "<path>: " it starts with (a Problem
    names the file itself)."""
    return str(error).split(": ", 1)[-1]


def _check_article(folder: Path) -> Iterator[Problem]:
    where = str(folder)
    if not (folder / ARTICLE_FILE).is_file():
        yield Problem(where, ARTICLE_FILE, "missing; every article folder holds its text there")
        return
    card = folder / "README.md"
    if not card.exists():
        yield Problem(where, "README.md", "missing; write the article's data card there")
    meta_path = folder / META_FILE
    try:
        meta = read_json(meta_path)
    except FramelabError as error:
        yield Problem(str(meta_path), "file", _without_path(error))
        return
    for line in schema_problems(meta, "article"):
        item, message = line.split(": ", 1)
        yield Problem(str(meta_path), item, f"{message}; see article.schema.json")
    for field, value in meta.items() if isinstance(meta, dict) else []:
        if isinstance(value, str) and value.startswith("FILL IN"):
            yield Problem(str(meta_path), field, f"still says {value!r}; replace it")
    if card.exists():
        try:
            if "FILL IN" in read_article_text(card):
                yield Problem(str(card), "text", "still says FILL IN; write the data card")
        except FramelabError as error:
            yield Problem(str(card), "text", _without_path(error))
    if isinstance(meta, dict) and meta.get("id") != folder.name:
        yield Problem(
            str(meta_path),
            "id",
            f"is {meta.get('id')!r} but the folder is {folder.name!r}; make them equal",
        )
    if isinstance(meta, dict) and meta.get("graded") is True:
        yield from _check_graded_card(folder, meta)
    try:
        text = read_article_text(folder / ARTICLE_FILE)
    except FramelabError as error:
        yield Problem(str(folder / ARTICLE_FILE), "text", _without_path(error))
        return
    if not text.strip():
        yield Problem(str(folder / ARTICLE_FILE), "text", "is empty; put the article's text there")


def _check_graded_card(folder: Path, meta: dict[str, Any]) -> Iterator[Problem]:
    """A graded text's card and metadata reach students: they must not give away its
    key (instructor notes on the answers go in docs/answers/<id>.md)."""
    from framelab.instructor.students_copy import card_leaks

    key_file = folder.parent.parent / "keys" / f"{folder.name}.json"
    try:
        spans = [item.get("text", "") for item in read_json(key_file).get("spans", [])]
    except (FramelabError, AttributeError):
        spans = []
    for path in (folder / "README.md", folder / META_FILE):
        try:
            text = read_article_bytes(path).decode("utf-8", errors="replace")
        except FramelabError:
            continue  # missing or unreadable: reported with the article
        for leak in card_leaks(text, [s for s in spans if s], folder.name):
            yield Problem(
                str(path),
                "graded text",
                f"{leak}; students can read this file, so move what it says about the "
                f"answers to docs/answers/{folder.name}.md",
            )


def _check_annotation_file(path: Path, root: Path | None) -> Iterator[Problem]:
    try:
        data = read_json(path)
    except FramelabError as error:
        yield Problem(str(path), "file", _without_path(error))
        return
    is_key = path.parent.name == "keys" or _looks_like_key(data)
    yield from (
        Problem(str(path), p.item, p.message) for p in _check_data(data, is_key, root, path)
    )


def _looks_like_key(data: Any) -> bool:
    return isinstance(data, dict) and "status" in data


def _check_data(data: Any, is_key: bool, root: Path | None, path: Path) -> Iterator[Problem]:
    name = "key" if is_key else "annotation"
    found = schema_problems(data, name)
    for line in found:
        item, message = line.split(": ", 1)
        yield Problem(str(path), item, f"{message}; see {name}.schema.json")
    if found:
        return
    if is_key and path.parent.name == "keys" and data["document"] != path.stem:
        yield Problem(
            str(path),
            "document",
            f"is {data['document']!r} but the file is named {path.name!r}; "
            "name a key after its article",
        )
    try:
        document = load_document(data["document"], root)
    except FramelabError as error:
        yield Problem(str(path), "document", f"{error}")
        return
    if is_key:
        yield from check_key_data(data, document, str(path))
    else:
        yield from _check_annotation_data(data, document, str(path))


def check_key_data(data: dict[str, Any], document: Document, path: str) -> Iterator[Problem]:
    """Check a schema-valid key against its document: offsets, quoted text, the
    sentence list against the segmenter's, structure units, spans."""
    text = document.text
    if data.get("status") == "draft":
        yield Problem(
            path,
            "status",
            "the key is a draft; a person must review every sentence and span, "
            'then set "status": "reviewed"',
        )
    expected = {s.id: s for s in document.sentences}
    listed = {}
    for index, item in enumerate(data["sentences"]):
        where = f"sentences[{index}] ({item['id']})"
        if item["id"] in listed:
            yield Problem(path, where, "this id is listed twice; keep one entry per sentence")
        listed[item["id"]] = item
        unit = expected.get(item["id"])
        if unit is None:
            yield Problem(
                path, where, "the segmenter has no such sentence; remove it or re-make the key"
            )
            continue
        yield from _check_quote(path, where, text, item)
        if (item["start"], item["end"]) != (unit.start, unit.end):
            yield Problem(
                path,
                where,
                f"offsets {item['start']}-{item['end']} differ from the segmenter's "
                f"{unit.start}-{unit.end}; the text or the segmenter changed, so re-make the key",
            )
        headline = item.get("scored", True) is False
        if unit.structure and item["kind"] != "structure" and not headline:
            yield Problem(
                path,
                where,
                f"is a heading, dateline, caption or leftover, so its kind must be structure, "
                f"not {item['kind']} (a headline that makes a claim may have a claim kind "
                'with "scored": false: the annotation guide\'s rule K6)',
            )
        if headline and not unit.structure:
            yield Problem(
                path,
                where,
                '"scored": false is only for a headline (rule K6), and the segmenter reads '
                "this unit as a sentence; remove it",
            )
        if item["kind"] in item["accept"]:
            yield Problem(
                path, where, f"accept repeats the kind {item['kind']!r}; list only other kinds"
            )
    for sentence_id in expected.keys() - listed.keys():
        unit = expected[sentence_id]
        yield Problem(
            path, f"sentences ({sentence_id})", f"missing: {unit.text[:60]!r} has no kind; add it"
        )
    seen = set()
    for index, item in enumerate(data["spans"]):
        where = f"spans[{index}] ({item['text'][:40]!r})"
        yield from _check_quote(path, where, text, item)
        if (item["start"], item["end"], item["device"]) in seen:
            yield Problem(path, where, "the same span and device are listed twice; remove one")
        seen.add((item["start"], item["end"], item["device"]))
        yield from _check_span_place(path, where, document, item)
    if "headline" in data:
        yield from _check_headline(data["headline"], document, path)


def _check_headline(head: dict[str, Any], document: Document, path: str) -> Iterator[Problem]:
    """A key's headline that is not a unit must be the title in the text's meta.json,
    and its spans must quote it."""
    title = document.meta.get("title")
    if head["text"] != title:
        yield Problem(
            path,
            "headline",
            f"its text {head['text'][:40]!r} is not the title in meta.json "
            f"({str(title)[:40]!r}); copy the title exactly",
        )
        return
    if head["kind"] in head["accept"]:
        yield Problem(
            path, "headline", f"accept repeats the kind {head['kind']!r}; list only other kinds"
        )
    for index, item in enumerate(head["spans"]):
        yield from _check_quote(path, f"headline.spans[{index}]", title, item)


def _check_annotation_data(
    data: dict[str, Any], document: Document, path: str
) -> Iterator[Problem]:
    known = {s.id for s in document.sentences}
    for index, item in enumerate(data["sentences"]):
        if item["id"] not in known:
            yield Problem(
                path,
                f"sentences[{index}] ({item['id']})",
                f"{document.id} has no such sentence; its ids run s01-{document.sentences[-1].id}",
            )
    for index, item in enumerate(data["spans"]):
        where = f"spans[{index}]"
        if not 0 <= item["start"] < item["end"] <= len(document.text):
            yield Problem(
                path,
                where,
                f"offsets {item['start']}-{item['end']} are outside the text "
                f"(0-{len(document.text)}); mark the span again",
            )


def _check_quote(path: str, where: str, text: str, item: dict[str, Any]) -> Iterator[Problem]:
    start, end = item["start"], item["end"]
    if not 0 <= start < end <= len(text):
        yield Problem(
            path,
            where,
            f"offsets {start}-{end} are outside the text (0-{len(text)}); fix the offsets",
        )
        return
    actual = text[start:end]
    if actual != item["text"]:
        yield Problem(
            path,
            where,
            f"quoted text {item['text'][:40]!r} does not match the article at "
            f"{start}-{end}, which has {actual[:40]!r}; fix the offsets or the quote",
        )


def _check_span_place(
    path: str, where: str, document: Document, item: dict[str, Any]
) -> Iterator[Problem]:
    start, end = item["start"], item["end"]
    if not 0 <= start < end <= len(document.text):
        return  # already reported by _check_quote
    quote = document.text[start:end]
    if (
        quote != quote.strip()
        or not (quote[0].isalnum() or quote[0] in OPENING_QUOTES)
        or not (quote[-1].isalnum() or quote[-1] in CLOSING_QUOTES)
    ):
        yield Problem(
            path, where, "the span starts or ends with a space or punctuation; trim it to the words"
        )
    unit = document.sentence_at(start)
    if unit is None or end > unit.end:
        yield Problem(
            path,
            where,
            "the span crosses a sentence boundary or lies between sentences; "
            "split it into one span per sentence",
        )


def _check_facts_file(path: Path, root: Path | None) -> Iterator[Problem]:
    """A fact alignment: schema, unique fact ids, every fact aligned for every
    version, sentence ids that exist, and the versions' own lists of facts."""
    where = str(path)
    try:
        data = read_json(path)
    except FramelabError as error:
        yield Problem(where, "file", _without_path(error))
        return
    found = schema_problems(data, "facts")
    for line in found:
        item, message = line.split(": ", 1)
        yield Problem(where, item, f"{message}; see facts.schema.json")
    if found:
        return
    ids = [fact["id"] for fact in data["facts"]]
    for fact_id in sorted({i for i in ids if ids.count(i) > 1}):
        yield Problem(where, f"facts ({fact_id})", "this id is used twice; give each fact its own")
    for version, uses in data["versions"].items():
        item = f"versions.{version}"
        try:
            document = load_document(version, root)
        except FramelabError as error:
            yield Problem(where, item, str(error))
            continue
        for fact_id in [i for i in ids if i not in uses]:
            yield Problem(
                where,
                f"{item}.{fact_id}",
                "missing; say whether this version states, distorts or omits the fact",
            )
        for fact_id in [i for i in uses if i not in ids]:
            yield Problem(where, f"{item}.{fact_id}", "no such fact in facts[]; remove it")
        known = {unit.id for unit in document.sentences}
        for fact_id, use in uses.items():
            for sentence_id in use["sentences"]:
                if sentence_id not in known:
                    yield Problem(
                        where,
                        f"{item}.{fact_id}",
                        f"{version} has no sentence "
                        f"{sentence_id}; its ids run s01-{document.sentences[-1].id}",
                    )
        listed = document.meta.get("facts")
        if listed is not None:
            used = {i for i, use in uses.items() if use["use"] != "omits"}
            for fact_id in sorted(used - set(listed)):
                yield Problem(
                    where,
                    f"{item}.{fact_id}",
                    "the version uses this fact but its "
                    "meta.json 'facts' list does not name it; add it there",
                )
