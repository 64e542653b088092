"""Marking the written answers in a terminal: ``framelab mark ID``.

nbgrader's Formgrader is the usual page for this. On the shared server it is off for
everyone, the instructor included (``classroom/setup.sh``), and the instructor's server starts
in their home, not in the course, where Formgrader would not find the course's
``nbgrader_config.py``. This command does the one thing the instructor needs there, and works
in any course: for each
submission autograde has recorded, it shows the student's written answer and records the
points the marker types in the gradebook, as Formgrader does (the grade's manual score).
It runs no student code: the answer is read from the autograded notebook as data.

Every mark is saved as soon as it is typed, so stopping (``q``, or Ctrl+D) loses nothing;
running the command again goes on with the answers still unmarked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from framelab.instructor.course import open_gradebook, read_notebook
from framelab.texts.model import FramelabError

__all__ = ["Marking", "WrittenAnswer", "mark_written_answers", "written_answers"]

PLACEHOLDER = "YOUR ANSWER HERE"  # what nbgrader leaves in an answer cell nobody wrote in
ADVICE = "collect and autograde the exercise first (nbgrader autograde ID)"


@dataclass(frozen=True)
class WrittenAnswer:
    """One hand-marked cell of one submission, as the gradebook and the notebook have it."""

    student: str
    notebook: str
    cell: str
    max_score: float
    manual_score: float | None
    text: str | None  # None when the autograded notebook cannot be found


@dataclass(frozen=True)
class Marking:
    """What a marking session did."""

    marked: int
    skipped: int
    left: int  # answers still without a mark


def written_answers(course: Path, assignment: str) -> list[WrittenAnswer]:
    """Every hand-marked cell of ``assignment``'s submissions in the course's gradebook,
    by student, with the text the student wrote."""
    with open_gradebook(course, ADVICE) as gradebook:
        return [
            WrittenAnswer(
                student=grade.student.id,
                notebook=grade.notebook.name,
                cell=grade.name,
                max_score=grade.max_score,
                manual_score=grade.manual_score,
                text=_answer_text(
                    course, assignment, grade.student.id, grade.notebook.name, grade.name
                ),
            )
            for grade in _hand_marked(gradebook, assignment)
        ]


def mark_written_answers(
    course: Path,
    assignment: str,
    *,
    ask: Callable[[str], str] = input,
    say: Callable[[str], None] = print,
    again: bool = False,
    student: str | None = None,
) -> Marking:
    """Show each unmarked written answer (every one with ``again``; one student's with
    ``student``), ask for its points, and save each mark in the gradebook at once."""
    course = Path(course)
    rubric = course / "docs" / "rubrics" / f"{assignment}.md"
    every = written_answers(course, assignment)
    answers = [
        answer
        for answer in every
        if (again or answer.manual_score is None) and student in (None, answer.student)
    ]
    if student is not None and not answers and not _is_student(course, assignment, student):
        raise FramelabError(
            f"{student} has no submission of {assignment} in the gradebook; check the name, "
            "or run nbgrader autograde first"
        )
    say(
        f"{len(answers)} written answer(s) of {assignment} to mark"
        + (f"; the rubric is {rubric}" if rubric.is_file() else "")
        + ". Type the points and Enter; s skips, q stops (every mark is saved at once)."
    )
    marked, skipped, saved = 0, 0, set()
    for number, answer in enumerate(answers, 1):
        say(
            f"\n[{number}/{len(answers)}] {answer.student}, {answer.cell} "
            f"(0 to {_number(answer.max_score)}"
            + (
                f"; marked {_number(answer.manual_score)} before"
                if answer.manual_score is not None
                else ""
            )
            + ")"
        )
        say(_shown(answer.text))
        points = _ask_points(ask, say, answer.max_score)
        if points == "stop":
            break
        if points is None:
            skipped += 1
            continue
        _save(course, assignment, answer, points)
        marked += 1
        saved.add((answer.student, answer.notebook, answer.cell))
    left = sum(
        a.manual_score is None and (a.student, a.notebook, a.cell) not in saved for a in every
    )
    return Marking(marked, skipped, left)


def _ask_points(ask: Callable[[str], str], say: Callable[[str], None], most: float):
    """The points typed, None to skip, "stop" to stop; asks again until it can use them."""
    while True:
        try:
            typed = ask(f"points (0 to {_number(most)}), s to skip, q to stop: ").strip()
        except EOFError:  # Ctrl+D, or the end of piped input
            return "stop"
        if typed.lower() in ("q", "quit", "stop"):
            return "stop"
        if typed.lower() in ("s", "skip", ""):
            return None
        try:
            points = float(typed.replace(",", "."))
        except ValueError:
            say(f"  {typed!r} is not a number: type the points, s to skip or q to stop")
            continue
        if not 0 <= points <= most:
            say(f"  {_number(points)} is outside 0 to {_number(most)}: type the points again")
            continue
        return points


def _save(course: Path, assignment: str, answer: WrittenAnswer, points: float) -> None:
    with open_gradebook(course, ADVICE) as gradebook:
        grade = gradebook.find_grade(answer.cell, answer.notebook, assignment, answer.student)
        grade.manual_score = points
        grade.needs_manual_grade = False
        gradebook.db.commit()


def _hand_marked(gradebook, assignment: str) -> list:
    from nbgrader.api import MissingEntry

    try:
        found = gradebook.find_assignment(assignment)
    except MissingEntry:
        raise FramelabError(
            f"the gradebook has no exercise {assignment}; run nbgrader autograde {assignment} "
            "first (the exercise ids are the folder names in solutions/)"
        ) from None
    grades = [
        grade
        for submission in found.submissions
        for notebook in submission.notebooks
        for grade in notebook.grades
        if grade.cell.cell_type == "markdown"  # nbgrader's hand-marked answer cells
    ]
    return sorted(grades, key=lambda g: (g.student.id, g.notebook.name, g.name))


def _is_student(course: Path, assignment: str, student: str) -> bool:
    from nbgrader.api import MissingEntry

    with open_gradebook(course, ADVICE) as gradebook:
        try:
            gradebook.find_submission(assignment, student)
        except MissingEntry:
            return False
    return True


def _answer_text(
    course: Path, assignment: str, student: str, notebook: str, cell: str
) -> str | None:
    path = Path(course) / "autograded" / student / assignment / f"{notebook}.ipynb"
    if not path.is_file():
        return None
    for found in read_notebook(path).cells:
        if found.get("metadata", {}).get("nbgrader", {}).get("grade_id") == cell:
            return found.source
    return None


def _shown(text: str | None) -> str:
    if text is None:
        return "  (no autograded notebook: run nbgrader autograde for this student first)"
    text = text.strip()
    if not text or text == PLACEHOLDER:
        return "  (left empty: the cell still says YOUR ANSWER HERE)"
    return "\n".join(f"  | {line}" for line in text.splitlines())


def _number(value: float) -> str:
    return f"{value:g}"
