"""What students receive of the datasets: a copy without the keys of graded texts
and of graded items, and the checks that nothing of a graded key (a sentence id, a
quoted span, a reason, an item's answer notes) is left in it. ``classroom/setup.sh``
installs students' datasets with these."""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path

from framelab.texts.corpus import ARTICLE_FILE, META_FILE
from framelab.texts.items import ITEMS_FOLDER
from framelab.texts.model import FramelabError, read_json

__all__ = [
    "QUOTE_PAIRS",
    "card_leaks",
    "facts_leaks",
    "graded_ids",
    "graded_item_sets",
    "graded_key_leaks",
    "student_datasets",
]


QUOTE_PAIRS = ('""', "''", "``", "\u201c\u201d", "\u2018\u2019")


def graded_ids(root: Path) -> list[str]:
    """The articles of ``root`` (a datasets folder) that graded exercises use."""
    graded = []
    for meta in sorted((Path(root) / "articles").glob(f"*/{META_FILE}")):
        try:
            if read_json(meta).get("graded") is True:
                graded.append(meta.parent.name)
        except (ValueError, AttributeError):  # ValueError: FramelabError too
            graded.append(meta.parent.name)  # unreadable: treat as graded, keep its key out
    return graded


def graded_item_sets(root: Path) -> list[str]:
    """The item sets of ``root`` whose sheets say they are graded (an unreadable
    sheet counts as graded: its key is kept out)."""
    graded = []
    for sheet in sorted((Path(root) / ITEMS_FOLDER).glob("*.json")):
        try:
            if read_json(sheet).get("graded") is True:
                graded.append(sheet.stem)
        except (ValueError, AttributeError):
            graded.append(sheet.stem)
    return graded


def _graded_item_key_text(full: Path, set_id: str) -> list[str]:
    """The reasons, notes and model answers of a graded item key: none may reach students."""
    try:
        data = read_json(full / "keys" / ITEMS_FOLDER / f"{set_id}.json")
        answers = list(data["items"].values())
    except (ValueError, AttributeError, KeyError, TypeError):
        return []
    texts = [a.get("why", "") for a in answers] + [a.get("model", "") for a in answers]
    texts += [note for a in answers for note in (a.get("notes") or {}).values()]
    return [text[:40] for text in texts if isinstance(text, str) and len(text) >= 20]


def student_datasets(source: Path, dest: Path) -> list[str]:
    """Copy the datasets folder ``source`` to ``dest`` for students: every text, and
    every key but those of graded texts. Links are copied as links, never followed,
    and the copy is checked with :func:`graded_key_leaks` before it is kept. Returns
    the graded texts whose keys were left out."""
    source, dest = Path(source), Path(dest)
    graded = graded_ids(source)
    graded_sets = graded_item_sets(source)

    def ignore(folder: str, names: list[str]) -> list[str]:
        here = Path(folder)
        # hidden files and folders (JupyterLab's .ipynb_checkpoints keeps a copy of every
        # file opened in it, a key included) are not the datasets: none is copied
        hidden = [n for n in names if n.startswith(".")]
        if here.name == "keys":
            return hidden + [n for n in names if n.removesuffix(".json") in graded]
        if here.name == ITEMS_FOLDER and here.parent.name == "keys":
            return hidden + [n for n in names if n.removesuffix(".json") in graded_sets]
        return hidden

    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source, dest, symlinks=True, ignore=ignore)
    leaks = graded_key_leaks(dest, source)
    if leaks:
        shutil.rmtree(dest)
        raise FramelabError(
            "the students' copy of the datasets would give away a graded key:\n  "
            + "\n  ".join(leaks)
        )
    return graded


def graded_key_leaks(students: Path, full: Path) -> list[str]:
    """What in the students' datasets folder ``students`` gives away a key of a graded
    text (keys read from the full datasets folder ``full``): the key file itself, any of
    its reasons anywhere, and in the text's own folder (its data card and metadata) a
    sentence id or a quoted span of its key. Empty when nothing does."""
    students, full = Path(students), Path(full)
    found = []
    files = [p for p in students.rglob("*") if p.is_file() and not p.is_symlink()]
    texts = {p: p.read_bytes().decode("utf-8", errors="replace") for p in files}
    graded_texts = graded_ids(full)
    found += facts_leaks(students, graded_texts)
    generic = set()  # reasons that other keys share (a dateline's, a heading's) say nothing
    for path in (full / "keys").glob("*.json"):
        if path.stem not in graded_texts:
            with contextlib.suppress(ValueError, AttributeError, TypeError, KeyError):
                data = read_json(path)
                generic |= {str(i.get("why"))[:40] for i in [*data["sentences"], *data["spans"]]}
    for set_id in graded_item_sets(full):
        if (students / "keys" / ITEMS_FOLDER / f"{set_id}.json").exists():
            found.append(f"keys/{ITEMS_FOLDER}/{set_id}.json: the key of graded items")
        for reason in _graded_item_key_text(full, set_id):
            found += [
                f"{path.relative_to(students)}: repeats the key of graded items {set_id}: "
                f"{reason!r}"
                for path, text in texts.items()
                if reason in text
            ]
    for path, text in texts.items():  # tags for a graded text, under any name: a key
        if path.suffix == ".json" and '"kind"' in text:
            with contextlib.suppress(ValueError, AttributeError, TypeError):
                held = read_json(path)
                if held.get("document") in graded_texts and held.get("sentences"):
                    found.append(
                        f"{path.relative_to(students)}: holds the tags of graded text "
                        f"{held['document']} (a key, a draft or a copy of one)"
                    )
    for graded in graded_texts:
        try:
            key = read_json(full / "keys" / f"{graded}.json")
        except ValueError:  # FramelabError: missing or unreadable
            continue
        items = [*key.get("sentences", []), *key.get("spans", [])]
        reasons = [
            item["why"][:40]
            for item in items
            if len(item.get("why", "")) >= 20 and item["why"][:40] not in generic
        ]
        spans = [item["text"] for item in key.get("spans", []) if item.get("text")]
        own = students / "articles" / graded
        for path, text in texts.items():
            where = path.relative_to(students)
            if path == own / ARTICLE_FILE:
                continue
            for reason in reasons:
                if reason in text:
                    found.append(f"{where}: repeats a reason of the key of {graded}: {reason!r}")
            if own in path.parents:
                found += [f"{where}: {problem}" for problem in card_leaks(text, spans, graded)]
            else:  # an inventory's row for the text (datasets/README.md) is a card too
                rows = "\n".join(line for line in text.splitlines() if f"`{graded}`" in line)
                found += [f"{where}: {problem}" for problem in card_leaks(rows, [], graded)]
    return found


# A device's name or its plain description, in a graded text's card, tells students what
# to look for: the card of a graded text gives its topic, not its frame.
DEVICE_WORDS = re.compile(
    r"\b(loaded|intensifiers?|speculat\w*|vague[- ]sources?|verb[- ]bias|generali[sz]ations?"
    r"|mind-reading|judging|unnamed|uncheckable)\b",
    re.IGNORECASE,
)
FACT_IDS = re.compile(r"\bF\d{2}\b")  # an id of the fact list (datasets/facts/)


def card_leaks(text: str, spans: list[str], graded: str) -> list[str]:
    """What a graded text's data card or metadata (``text``) says of its answers: a
    sentence id, a quoted span of its key (``spans``, the spans' words), or the devices
    it holds."""
    found = [
        f"names sentence {sentence_id} of graded text {graded}"
        for sentence_id in sorted(set(re.findall(r"\bs\d{2}\b", text)))
    ]
    found += [
        f"quotes {span!r}, a span of the key of {graded}"
        for span in spans
        if any(f"{a}{span}{b}" in text for a, b in QUOTE_PAIRS)
    ]
    found += [
        f"says which devices graded text {graded} holds ({word!r}): give the topic only"
        for word in sorted({m.group(0).lower() for m in DEVICE_WORDS.finditer(text)})
    ]
    found += [
        f"names fact {fact} of a fact list: which facts graded text {graded} keeps or "
        "leaves out is an answer"
        for fact in sorted(set(FACT_IDS.findall(text)))
    ]
    return found


def facts_leaks(students: Path, graded: list[str]) -> list[str]:
    """The fact lists of ``students`` (a datasets folder) that say how a graded text
    uses each fact: a graded version's states / distorts / leaves out is its key."""
    found = []
    for path in sorted((Path(students) / "facts").glob("*.json")):
        with contextlib.suppress(ValueError, AttributeError, TypeError):
            versions = read_json(path).get("versions") or {}
            found += [
                f"{path.relative_to(students)}: gives how graded text {text} uses each fact"
                for text in graded
                if text in versions
            ]
    return found
