"""Short items: the questions beside the tagger (a choice, an ordering, a one-line
answer, a neutral rewrite), and their keys.

A set of items belongs to one exercise or lesson and lives in two files, as a text
and its key do:

- ``datasets/items/<set>.json``, the **sheet**: what students see (each item's id,
  type, prompt and options). Widgets read it; it carries no answer.
- ``datasets/keys/items/<set>.json``, the **key**: each item's answer and why. A
  graded set's key (its sheet says ``"graded": true``) stays in the course folder,
  like a graded text's key: the students' copy of the datasets leaves it out, and
  the grader reads it at autograde time.

What a student gives for an item (a :data:`Value`) is saved in the answers file
beside the tags (:mod:`framelab.grading.answers`), and scored by
:mod:`framelab.grading.items`.

Item types, and what a student's value is for each:

======== =============================================== =========================
type     the task                                        value
======== =============================================== =========================
choice   pick one option (``multiple``: all that apply)  an option id (a list)
order    put every option in order, from ``ends[0]`` on  every option id, in order
line     a word or a short phrase                        text, one line
rewrite  rewrite sentence ``sentence`` of the set's      text
         ``document`` in neutral words
======== =============================================== =========================

>>> sheet = sheet_from_dict({"set": "demo", "document": "demo", "items": [
...     {"id": "q1", "type": "choice", "prompt": "Which?",
...      "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}]}]})
>>> sheet.item("q1").option_text("b")
'B'
>>> value_problem(sheet.item("q1"), "c")
"'c' is not one of its options (a, b)"
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from framelab.texts.corpus import check_id, datasets_dir, load_document
from framelab.texts.model import FramelabError, read_json, schema_problem

__all__ = [
    "ITEMS_FOLDER",
    "MAX_LINE",
    "MAX_TEXT",
    "TYPES",
    "Item",
    "ItemAnswer",
    "ItemKey",
    "ItemSheet",
    "Value",
    "answered",
    "item_key_from_dict",
    "item_key_path",
    "load_item_key",
    "load_sheet",
    "sheet_from_dict",
    "sheet_ids",
    "sheet_path",
    "value_problem",
]

ITEMS_FOLDER = "items"
TYPES = ("choice", "order", "line", "rewrite")
MAX_LINE = 200  # characters in a one-line answer
MAX_TEXT = 2000  # characters in a rewrite: a sentence or two, with room to spare

Value = Union[str, list[str]]  # noqa: UP007 (a runtime alias; Python 3.10 has no type statement)
"""What a student gives for an item: an option id or a text, or a list of option ids."""


@dataclass(frozen=True)
class Item:
    """One question as students see it."""

    id: str
    type: str
    prompt: str
    options: tuple[tuple[str, str], ...] = ()  # (id, text), in the order shown
    multiple: bool = False  # choice: choose all that apply
    ends: tuple[str, str] = ("", "")  # order: what the first and the last place mean
    sentence: str = ""  # rewrite: the sentence to rewrite; choice: the sentence quoted
    quote: str = ""  # choice: the words of ``sentence`` that each option would replace
    # choice: a sentence of the item's own, written for it, that holds ``quote`` (a word
    # swap that shows no sentence of the set's text: a graded text's words stay untold)
    example: str = ""

    def option_text(self, option: str) -> str:
        return dict(self.options)[option]

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(option for option, _ in self.options)


@dataclass(frozen=True)
class ItemSheet:
    """A set of items: ``document`` is the text they are about (the exercise's
    tagged text), if any; ``graded`` keeps its key out of the students' copy."""

    id: str
    items: tuple[Item, ...]
    document: str = ""
    graded: bool = False

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise FramelabError(
            f"the items {self.id} have no item {item_id!r}; they have "
            f"{', '.join(i.id for i in self.items)}"
        )


@dataclass(frozen=True)
class ItemAnswer:
    """The key of one item.

    - ``answer``: the right option (choice), options (choice with ``multiple``) or
      order (order).
    - ``accept``: the texts that earn full credit (line), or other options that do
      (choice).
    - ``keep``: the facts a rewrite must keep, each a list of acceptable spellings.
    - ``avoid``: the loaded wordings a rewrite must leave out, each a list of its
      forms ("liberated", "liberating"). A loaded span that the text's key marks in
      the sentence is one of them, on its own unless a list holds its words.
    - ``model``: a full-mark rewrite; ``notes``: what each option does (choice,
      shown in practice).
    """

    why: str
    answer: Value = ""
    accept: tuple[str, ...] = ()
    keep: tuple[tuple[str, ...], ...] = ()
    avoid: tuple[tuple[str, ...], ...] = ()
    model: str = ""
    notes: Mapping[str, str] = field(default_factory=dict)  # choice: {option: what it does}

    def full_marks(self, item: Item) -> Value:
        """What earns every point on ``item``: the key's option or order, its first
        accepted line, or its model rewrite."""
        if item.type in ("choice", "order"):
            return self.answer
        return self.accept[0] if item.type == "line" else self.model


def answered(value: Value | None) -> bool:
    """Whether a student gave an answer at all (an empty text or list is none)."""
    return value not in (None, "", [])


@dataclass(frozen=True)
class ItemKey:
    id: str
    answers: Mapping[str, ItemAnswer] = field(default_factory=dict)

    def answer(self, item_id: str) -> ItemAnswer:
        try:
            return self.answers[item_id]
        except KeyError:
            raise FramelabError(
                f"the key of the items {self.id} has no answer for {item_id!r}"
            ) from None


# --- where they live ----------------------------------------------------------------


def sheet_path(set_id: str, root: Path | None = None) -> Path:
    return (root or datasets_dir()) / ITEMS_FOLDER / f"{check_id(set_id, 'an item set id')}.json"


def item_key_path(set_id: str, root: Path | None = None) -> Path:
    return (root or datasets_dir()) / "keys" / ITEMS_FOLDER / f"{check_id(set_id)}.json"


def sheet_ids(root: Path | None = None) -> list[str]:
    """Every item set in the datasets folder ``root``."""
    return sorted(p.stem for p in ((root or datasets_dir()) / ITEMS_FOLDER).glob("*.json"))


def load_sheet(set_id: str, root: Path | None = None) -> ItemSheet:
    """The sheet of the items ``set_id``, checked (FramelabError names what is wrong)."""
    path = sheet_path(set_id, root)
    if not path.is_file():
        raise FramelabError(f"there are no items {set_id!r}: {path} does not exist")
    sheet = sheet_from_dict(read_json(path), str(path))
    if sheet.id != set_id:
        raise FramelabError(f"{path} holds the items {sheet.id!r}, not {set_id!r}")
    _check_sentences(sheet, root, str(path))
    return sheet


def load_item_key(set_id: str, root: Path | None = None) -> ItemKey:
    """The key of the items ``set_id``, checked against their sheet."""
    path = item_key_path(set_id, root)
    if not path.is_file():
        raise FramelabError(f"the items {set_id} have no key: {path} does not exist")
    return item_key_from_dict(read_json(path), load_sheet(set_id, root), str(path))


# --- reading ------------------------------------------------------------------------


def sheet_from_dict(data: Any, source: str = "the item sheet") -> ItemSheet:
    problem = schema_problem(data, "items")
    if problem:
        raise FramelabError(f"{source}: {problem}")
    items = []
    for entry in data["items"]:
        where = f"{source}, item {entry['id']}"
        options = tuple((o["id"], o["text"]) for o in entry.get("options", []))
        if len({o for o, _ in options}) != len(options):
            raise FramelabError(f"{where}: two options have the same id")
        if entry["type"] in ("choice", "order") and len(options) < 2:
            raise FramelabError(f"{where}: a {entry['type']} item needs at least two options")
        if entry["type"] == "rewrite" and not (entry.get("sentence") and data.get("document")):
            raise FramelabError(f"{where}: a rewrite names its sentence, and the set its document")
        if entry.get("sentence") and not data.get("document"):
            raise FramelabError(f"{where}: it names a sentence, so the set names its document")
        if entry.get("example") and (entry["type"] != "choice" or entry.get("sentence")):
            raise FramelabError(
                f"{where}: an example is for a choice item that names no sentence of the text"
            )
        if entry.get("quote") and not (
            entry["type"] == "choice" and (entry.get("sentence") or entry.get("example"))
        ):
            raise FramelabError(
                f"{where}: a quote is for a choice item that names its sentence or example"
            )
        if entry.get("example") and entry.get("quote", "") not in entry["example"]:
            raise FramelabError(f"{where}: its example does not hold {entry.get('quote')!r}")
        if entry.get("example") and not entry.get("quote"):
            raise FramelabError(f"{where}: an example needs the quote its options replace")
        if entry["type"] == "order" and len(entry.get("ends", [])) != 2:
            raise FramelabError(f"{where}: an order item says what its two ends mean (ends)")
        items.append(
            Item(
                id=entry["id"],
                type=entry["type"],
                prompt=entry["prompt"],
                options=options,
                multiple=bool(entry.get("multiple", False)),
                ends=tuple(entry.get("ends", ("", ""))),  # type: ignore[arg-type]
                sentence=entry.get("sentence", ""),
                quote=entry.get("quote", ""),
                example=entry.get("example", ""),
            )
        )
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        raise FramelabError(f"{source}: two items have the same id")
    return ItemSheet(
        id=data["set"],
        items=tuple(items),
        document=data.get("document", ""),
        graded=bool(data.get("graded", False)),
    )


def _check_sentences(sheet: ItemSheet, root: Path | None, source: str) -> None:
    placed = [item for item in sheet.items if item.sentence]
    if not placed:
        return
    document = load_document(sheet.document, root)
    for item in placed:
        try:
            text = document.sentence(item.sentence).text
        except FramelabError:
            raise FramelabError(
                f"{source}, item {item.id}: {sheet.document} has no sentence {item.sentence}"
            ) from None
        if item.quote and item.quote not in text:
            raise FramelabError(
                f"{source}, item {item.id}: {item.sentence} does not hold {item.quote!r}"
            )


def item_key_from_dict(data: Any, sheet: ItemSheet, source: str = "the items' key") -> ItemKey:
    """Read a key of ``sheet``'s items: every item has an answer, and every answer
    fits its item (an option that exists, an order of every option)."""
    problem = schema_problem(data, "item-key")
    if problem:
        raise FramelabError(f"{source}: {problem}")
    if data["set"] != sheet.id:
        raise FramelabError(f"{source} is the key of the items {data['set']!r}, not {sheet.id!r}")
    given = data["items"]
    missing = [item.id for item in sheet.items if item.id not in given]
    extra = sorted(set(given) - {item.id for item in sheet.items})
    if missing or extra:
        raise FramelabError(
            f"{source} does not match its sheet: "
            + "; ".join(
                part
                for part in (
                    f"no answer for {', '.join(missing)}" if missing else "",
                    f"answers for items the sheet does not have: {', '.join(extra)}"
                    if extra
                    else "",
                )
                if part
            )
        )
    answers = {}
    for item in sheet.items:
        entry = given[item.id]
        answer = ItemAnswer(
            why=entry["why"],
            answer=entry.get("answer", ""),
            accept=tuple(entry.get("accept", ())),
            keep=tuple(tuple(fact) for fact in entry.get("keep", ())),
            avoid=tuple(tuple(forms) for forms in entry.get("avoid", ())),
            model=entry.get("model", ""),
            notes=dict(entry.get("notes", {})),
        )
        problem = _answer_problem(item, answer)
        if problem:
            raise FramelabError(f"{source}, item {item.id}: {problem}")
        answers[item.id] = answer
    return ItemKey(sheet.id, answers)


def _answer_problem(item: Item, answer: ItemAnswer) -> str | None:
    if item.type in ("choice", "order"):
        problem = value_problem(item, answer.answer)
        if item.type == "choice" and not item.multiple:
            problem = problem or next(
                (
                    value_problem(item, other)
                    for other in answer.accept
                    if value_problem(item, other)
                ),
                None,
            )
        return f"its answer {problem}" if problem else None
    unknown = sorted(set(answer.notes) - set(item.option_ids))
    if unknown:
        return f"its notes are for options it does not have: {', '.join(unknown)}"
    if item.type == "line" and not answer.accept:
        return "a line item lists the answers it accepts (accept)"
    if item.type == "rewrite" and not (answer.keep and answer.model):
        return "a rewrite lists the facts to keep (keep) and a model rewrite (model)"
    return None


def value_problem(item: Item, value: Any) -> str | None:
    """Why ``value`` cannot be an answer to ``item``, or None when it can. A student's
    value with a problem is left out when scored, with a line that says this."""
    if item.type == "choice" and not item.multiple:
        if not isinstance(value, str):
            return "is not one option"
        if value not in item.option_ids:
            return f"{value!r} is not one of its options ({', '.join(item.option_ids)})"
        return None
    if item.type in ("choice", "order"):
        if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            return "is not a list of options"
        unknown = [v for v in value if v not in item.option_ids]
        if unknown:
            return f"{unknown[0]!r} is not one of its options ({', '.join(item.option_ids)})"
        if len(set(value)) != len(value):
            return "names an option twice"
        if item.type == "order" and len(value) != len(item.options):
            return f"does not place every option ({len(value)} of {len(item.options)})"
        return None
    limit = MAX_LINE if item.type == "line" else MAX_TEXT
    if not isinstance(value, str):
        return "is not a text"
    if len(value) > limit:
        return f"is longer than {limit} characters"
    if item.type == "line" and "\n" in value.strip():
        return "is more than one line"
    return None
