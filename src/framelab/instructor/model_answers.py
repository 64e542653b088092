"""What a full-mark student would hand in for an exercise, made from its keys.

Instructors use it to see a full-mark submission before the class does; the tests use
it as their perfect student. It holds the key's answers, so it is instructor material:
it is written under the course (``model-answers/`` by default), never into a release.

The autograded parts come from the keys: each graded text's answers file gets the
key's preferred kind for every unit and every phrase the key marks, and the answer
of every short item (the key's option or order, its first accepted line, its model
rewrite). A written answer is marked by hand with its rubric (``docs/rubrics/``), so
the notebook is left as it was released.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from framelab.grading import answers
from framelab.texts.corpus import load_key
from framelab.texts.items import Value, load_item_key, load_sheet, sheet_path
from framelab.texts.model import Annotation, FramelabError, Label, Span

__all__ = ["ModelAnswers", "full_mark_items", "full_marks", "write_model_answers"]


def full_marks(document_id: str) -> Annotation:
    """The answers that earn every point on ``document_id``: the key's preferred kind
    for each unit (headlines the key does not score included, as a student would tag
    them) and each phrase the key marks, without the key's reasons."""
    key = load_key(document_id)
    return Annotation(
        document=key.document,
        labels=tuple(Label(label.id, label.kind) for label in key.labels),
        spans=tuple(Span(span.start, span.end, span.device) for span in key.spans),
        annotator="model answers",
        taxonomy=key.taxonomy,
    )


def full_mark_items(set_id: str) -> dict[str, Value]:
    """The answer that earns every point on each item of ``set_id``."""
    sheet, key = load_sheet(set_id), load_item_key(set_id)
    return {item.id: key.answer(item.id).full_marks(item) for item in sheet.items}


@dataclass(frozen=True)
class ModelAnswers:
    """Where the model submission was written: its folder and its answers files."""

    folder: Path
    answers: tuple[Path, ...]
    notebooks: tuple[Path, ...]


def write_model_answers(
    course: Path, assignment: str, out: Path | None = None, *, force: bool = False
) -> ModelAnswers:
    """Write ``out/<assignment>/`` (default ``<course>/model-answers/<assignment>/``):
    the released notebooks and, beside them, the answers file of every text the
    exercise grades, as a full-mark student would hand them in."""
    from framelab.instructor.classreport import exercise_document
    from framelab.instructor.course import check_exercise_id

    course = Path(course).resolve()
    assignment = check_exercise_id(course, assignment)
    released = course / "exercises" / assignment
    notebooks = sorted(released.glob("*.ipynb"))
    if not notebooks:
        raise FramelabError(
            f"{released} holds no released notebook; run framelab release {assignment} first"
        )
    folder = (Path(out) if out is not None else course / "model-answers") / assignment
    if folder.exists() and not force:
        raise FramelabError(
            f"{folder} already exists; add --force to replace it, or choose another --out"
        )
    document = exercise_document(course, assignment)
    try:
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        copies = tuple(Path(shutil.copy(notebook, folder)) for notebook in notebooks)
        path = answers.answers_path(assignment, folder)
        path.parent.mkdir(parents=True, exist_ok=True)
        items = full_mark_items(assignment) if sheet_path(assignment).is_file() else None
        answers.write(path, full_marks(document), items)
    except OSError as error:
        raise FramelabError(f"cannot write the model answers in {folder}: {error}") from None
    return ModelAnswers(folder, (path,), copies)
