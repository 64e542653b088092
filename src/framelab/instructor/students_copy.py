"""What students receive of the datasets: a copy without the keys of graded texts,
and the checks that nothing of a graded key (a sentence id, a quoted span, a reason)
is left in it. ``classroom/setup.sh`` installs students' datasets with these."""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path

from framelab.texts.corpus import ARTICLE_FILE, META_FILE
from framelab.texts.model import FramelabError, read_json

__all__ = ["QUOTE_PAIRS", "card_leaks", "graded_ids", "graded_key_leaks", "student_datasets"]


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


def student_datasets(source: Path, dest: Path) -> list[str]:
    """Copy the datasets folder ``source`` to ``dest`` for students: every text, and
    every key but those of graded texts. Links are copied as links, never followed,
    and the copy is checked with :func:`graded_key_leaks` before it is kept. Returns
    the graded texts whose keys were left out."""
    source, dest = Path(source), Path(dest)
    graded = graded_ids(source)
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(
        source,
        dest,
        symlinks=True,
        ignore=lambda folder, names: [
            n for n in names if Path(folder).name == "keys" and n.removesuffix(".json") in graded
        ],
    )
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
    generic = set()  # reasons that other keys share (a dateline's, a heading's) say nothing
    for path in (full / "keys").glob("*.json"):
        if path.stem not in graded_texts:
            with contextlib.suppress(ValueError, AttributeError, TypeError, KeyError):
                data = read_json(path)
                generic |= {str(i.get("why"))[:40] for i in [*data["sentences"], *data["spans"]]}
    for graded in graded_texts:
        if (students / "keys" / f"{graded}.json").exists():
            found.append(f"keys/{graded}.json: the key of a graded text")
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
    return found


def card_leaks(text: str, spans: list[str], graded: str) -> list[str]:
    """What a graded text's data card or metadata (``text``) says of its answers: a
    sentence id, or a quoted span of its key (``spans``, the spans' words)."""
    found = [
        f"names sentence {sentence_id} of graded text {graded}"
        for sentence_id in sorted(set(re.findall(r"\bs\d{2}\b", text)))
    ]
    found += [
        f"quotes {span!r}, a span of the key of {graded}"
        for span in spans
        if any(f"{a}{span}{b}" in text for a, b in QUOTE_PAIRS)
    ]
    return found
