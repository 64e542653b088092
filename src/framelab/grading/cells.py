"""Grading an exercise: the one function that turns a student's saved answers into
nbgrader points and the reasons for them.

A grade cell of an exercise calls :func:`grade_cell` with literal arguments. When
nbgrader autogrades, no kernel runs the notebook: the grader (``framelab.grading.autograde``)
reads those arguments from the cell's source and makes the call itself, from the
answers file as handed in, read without following links; its result is the cell's
output. A student who runs the cell, or ``nbgrader validate``, gets the same reasons
and points. The reasons printed are counts only, never the key: nbgrader shows grade
cells and their output in the feedback students get.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from framelab.grading.answers import (
    ANSWERS_FOLDER,
    answers_path,
    named_document,
    parse,
    relative_path,
    submitted,
)
from framelab.grading.feedback import feedback_lines, points
from framelab.grading.items import score_in_text
from framelab.grading.scoring import score
from framelab.texts.corpus import ARTICLE_FILE, datasets_dir, key_path, load_document, load_key
from framelab.texts.items import (
    ItemKey,
    ItemSheet,
    answered,
    load_item_key,
    load_sheet,
    sheet_path,
)
from framelab.texts.model import Annotation, Document, FramelabError
from framelab.texts.taxonomy import DEVICES

__all__ = [
    "PARTS",
    "Result",
    "check_answers",
    "grade",
    "grade_call",
    "grade_cell",
    "require_reviewed_key",
]

PARTS = ("kinds", "devices", "item")
# What autograde says when nbgrader ran a grade cell in a kernel: then framelab's
# grader did not run, and the student's code ran with the grader's rights.
MISCONFIGURED = (
    "nbgrader ran this grade cell in a kernel, so framelab's grader did not score it: "
    "in nbgrader_config.py, c.Autograde.autograde_preprocessors must start with "
    '"framelab.grading.autograde.GradeSubmission" and must not hold nbgrader\'s Execute '
    "(see docs/instructor-guide.md, Grading)"
)


# Said wherever tags handed in before the machine's guesses are graded (exercise 08).
HANDED_IN = (
    "Graded: your tags as you handed them in ({at}), when you opened the machine's "
    "guesses; changes made after that are not graded."
)


@dataclass(frozen=True)
class Result:
    """Points and the lines that explain them."""

    points: float
    lines: tuple[str, ...]


def grade(
    content: str | bytes | None,
    *,
    exercise: str,
    document: str | Sequence[str],
    part: str,
    max_points: float,
    root: Path | None = None,
    problem: str | None = None,
    item: str | None = None,
    devices: Sequence[str] | None = None,
) -> Result:
    """Score one part of a student's answers: the sentence kinds ("kinds"), the
    device marks ("devices"; ``devices`` limits them to the devices an exercise
    grades), or one short item ("item", named by ``item``, from the items of
    ``exercise``).

    ``document`` is the text's id, or a list of ids when the text depends on the
    student (the two check passages): then the answers are scored on the one the file
    names. ``content`` is the answers file as handed in (None when there is no file);
    ``problem`` says why a file that was handed in was not read (a link, a file too
    large). Never raises for a student's mistake: a missing, refused, malformed or
    foreign file earns 0 with a line that says what is wrong, and an item that
    cannot be placed is left out with a line while the rest is scored
    (:func:`framelab.grading.answers.parse`).
    """
    if part not in PARTS:
        raise FramelabError(f"part must be one of {', '.join(PARTS)}, not {part!r}")
    if (part == "item") != (item is not None):
        raise FramelabError('a grade cell names an item exactly when its part is "item"')
    root = root or datasets_dir()
    documents = _documents(document)
    if part == "item":  # a mistake in the exercise itself fails before any student's file
        sheet, item_key = _items_reference(exercise, root)
        if len(documents) != 1:
            raise FramelabError("a grade cell that scores an item names one text")
        if sheet.document != document:
            raise FramelabError(
                f"the items of {exercise} are about {sheet.document or 'no text'}, not {document}"
            )
        question = sheet.item(str(item))
    for device in devices or ():
        if device not in DEVICES:
            raise FramelabError(f"{device!r} is not a device ({', '.join(DEVICES)})")
    where = relative_path(exercise)
    if problem is not None:
        return Result(0.0, (f"{where} {problem}; it was not read, so this part scores 0.",))
    if content is None:
        return Result(
            0.0,
            (
                f"No answers were found ({where} does not exist), so this part scores 0.",
                "Tag the text in the tagger above: every change is saved to that file.",
            ),
        )
    key, text_document = _reference(named_document(content, documents), root)
    try:
        answers = parse(content, text_document, source=where)
    except FramelabError as error:
        return Result(0.0, (f"{error}; it could not be read, so this part scores 0.",))
    if part == "item":
        scored = score_in_text(
            question,
            item_key.answer(question.id),
            answers.items.get(question.id),
            text_document,
            key,
        )
        fraction = scored.fraction
        lines = [f"Question {question.id}: {scored.lines[0]}", *scored.lines[1:]]
        value = answers.items.get(question.id)
        if question.type in ("line", "rewrite") and isinstance(value, str) and value.strip():
            lines.append(f"Your answer, for your teacher to read: {value.strip()}")
    else:
        annotation = answers.graded_tags
        if devices:
            annotation, key = annotation.only_devices(devices), key.only_devices(devices)
        result = score(annotation, key, text_document.text)
        fraction = result.kinds if part == "kinds" else result.spans.f1
        lines = feedback_lines(result, part=part, reveal=False)
        if devices and part == "devices":
            lines.insert(
                0, f"Graded here: {', '.join(devices)} marks only (others are not scored)."
            )
    if part != "item" and answers.handed_in is not None:
        lines.insert(0, HANDED_IN.format(at=answers.handed_in_at or "when"))
    earned = points(fraction, max_points)
    return Result(earned, (*answers.summary(), *lines, f"Points: {earned:g} of {max_points:g}"))


def _documents(document: str | Sequence[str]) -> tuple[str, ...]:
    """A grade cell's text, or texts, as a tuple of ids."""
    documents = (document,) if isinstance(document, str) else tuple(document)
    if not documents or not all(isinstance(d, str) and d for d in documents):
        raise FramelabError(f"a grade cell names a text's id, or a list of them, not {document!r}")
    return documents


def _items_reference(exercise: str, root: Path) -> tuple[ItemSheet, ItemKey]:
    return load_sheet(exercise, root), load_item_key(exercise, root)


def _reference(document: str, root: Path) -> tuple[Annotation, Document]:
    """The key and text of ``document``, read once and kept while their files are
    unchanged: grading a class calls this twice a submission."""
    files = (key_path(document, root), root / "articles" / document / ARTICLE_FILE)
    stamp = tuple(f.stat().st_mtime_ns if f.is_file() else None for f in files)
    return _read_reference(document, str(root), stamp)


@lru_cache(maxsize=16)
def _read_reference(
    document: str, root: str, stamp: tuple[int | None, ...]
) -> tuple[Annotation, Document]:
    return load_key(document, Path(root)), load_document(document, Path(root))


def grade_cell(
    exercise: str,
    document: str | Sequence[str],
    part: str,
    points: float,
    *,
    item: str | None = None,
    devices: Sequence[str] | None = None,
) -> float:
    """The body of an exercise's grade cell: print the reasons, return the points.

    nbgrader's autograde never runs this: the grader scores the cell itself from
    the answers as handed in (see framelab.grading.autograde). A student who runs it, or
    ``nbgrader validate``, sees the same reasons and points the grader gives.
    """
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        raise FramelabError(MISCONFIGURED)
    text, problem = _own_answers(exercise)
    result = grade(
        text,
        exercise=exercise,
        document=document,
        part=part,
        max_points=points,
        problem=problem,
        item=item,
        devices=devices,
    )
    print("\n".join(result.lines))
    return result.points


def _own_answers(exercise: str) -> tuple[bytes | None, str | None]:
    """The student's own answers file (in the working folder), read as the grader
    will read it."""
    from framelab.grading.submission import read_tree

    try:
        tree = read_tree(".", only=(ANSWERS_FOLDER,))
    except OSError:
        return None, None
    return submitted(tree, exercise)


def check_answers(exercise: str, document: str | Sequence[str]) -> None:
    """The visible check a student can run: is the answers file there, valid and
    complete? Prints what is missing; says nothing about right or wrong. ``document``
    as for :func:`grade`."""
    documents = _documents(document)
    path = answers_path(exercise)
    if path.is_dir() and not path.is_symlink():
        print(f"{path} is a folder, not an answers file. Ask your teacher before you hand in.")
        return
    content, problem = _own_answers(exercise)
    if problem is not None:
        print(f"Your answers file {path} {problem}: the grader will not read it.")
        print("Ask your teacher before you hand in; the tagger above will say more.")
        return
    if content is None:
        print(f"No answers saved yet: {path} does not exist. Tag the text in the tagger above.")
        return
    text_document = load_document(named_document(content, documents))
    try:
        answers = parse(content, text_document, source=str(path))
    except FramelabError as error:
        print(f"Your answers file cannot be read: {str(error)[:300]}.")
        print("Ask your teacher before you hand in; the tagger above will say more.")
        return
    for line in answers.summary():
        print(line)
    annotation = answers.graded_tags
    if answers.handed_in is not None:
        print(HANDED_IN.format(at=answers.handed_in_at or "when"))
    units = text_document.sentences
    untagged = [unit.id for unit in units if unit.id not in annotation.kinds]
    print(
        f"Answers file found and valid: {len(units) - len(untagged)} of {len(units)} "
        f"sentences tagged, {len(annotation.spans)} phrase"
        f"{'' if len(annotation.spans) == 1 else 's'} marked."
    )
    if untagged:
        print(f"Still untagged: {', '.join(untagged)}.")
    else:
        print("Every sentence has a kind.")
    unanswered = []
    if sheet_path(exercise).is_file():
        sheet = load_sheet(exercise)
        unanswered = [i.id for i in sheet.items if not answered(answers.items.get(i.id))]
        print(
            f"Questions answered: {len(sheet.items) - len(unanswered)} of {len(sheet.items)}"
            + (f"; still to answer: {', '.join(unanswered)}." if unanswered else ".")
        )
    if not untagged and not unanswered:
        print("Ready to hand in.")


def grade_call(source: str) -> dict[str, Any] | None:
    """The literal arguments of the ``grade_cell(...)`` call in a cell's source,
    or None when the cell makes no such call.

    >>> grade_call('from framelab.grading.cells import grade_cell\\n'
    ...            'grade_cell("01-x", "doc", part="kinds", points=4)')
    {'exercise': '01-x', 'document': 'doc', 'part': 'kinds', 'points': 4}
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    names = ("exercise", "document", "part", "points")
    optional = ("item", "devices")
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name != "grade_cell":
            continue
        try:
            values = [ast.literal_eval(arg) for arg in node.args]
            values_by_name = dict(zip(names, values, strict=False))
            for keyword in node.keywords:
                values_by_name[keyword.arg] = ast.literal_eval(keyword.value)
        except ValueError:
            return None
        if set(names) <= set(values_by_name) <= {*names, *optional}:
            return {
                name: values_by_name[name] for name in (*names, *optional) if name in values_by_name
            }
    return None


def require_reviewed_key(document: str | Sequence[str], root: Path | None = None) -> None:
    """Raise FramelabError unless ``document`` (or each of a list of them) has a key that
    a person has reviewed: students are never graded on a machine's draft."""
    for one in _documents(document):
        path = key_path(one, root)
        if load_key(one, root).is_draft:
            raise FramelabError(
                f"the key of {one} ({path}) is still a draft: review every sentence and span "
                '(fix kinds, reasons and spans), set "status": "reviewed", run framelab '
                "validate, and release again"
            )
