"""Marking the written answers in a terminal, and reviewing the rewrites' automatic points:
``framelab mark ID``.

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
    # a neutral rewrite, scored automatically, that the rubric may correct: its points
    auto_score: float | None = None
    kind: str = "written"  # "written" (marked by hand) or "rewrite" (automatic, reviewed)


@dataclass(frozen=True)
class Marking:
    """What a marking session did."""

    marked: int
    skipped: int
    left: int  # answers still without a mark


def written_answers(course: Path, assignment: str) -> list[WrittenAnswer]:
    """Every hand-marked cell of ``assignment``'s submissions in the course's gradebook,
    by student, with the text the student wrote; and every neutral rewrite, with its
    automatic points and what the grader said of it (the rubric says when to change them,
    and on the shared server this is the only place to)."""
    rewrites = _rewrite_cells(Path(course), assignment)
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
                auto_score=grade.auto_score if grade.name in rewrites else None,
                kind="rewrite" if grade.name in rewrites else "written",
            )
            for grade in _hand_marked(gradebook, assignment, rewrites)
        ]


def _rewrite_cells(course: Path, assignment: str) -> set[str]:
    """The grade ids of the exercise's cells that score a neutral rewrite."""
    from framelab.instructor.classreport import grade_cells
    from framelab.texts.items import load_sheet, sheet_path

    root = course / "datasets" if (course / "datasets").is_dir() else None
    try:
        cells = grade_cells(course, assignment)
    except FramelabError:
        return set()
    items = {call["item"] for call in cells.values() if call["part"] == "item"}
    if not items or not sheet_path(assignment, root).is_file():
        return set()
    sheet = load_sheet(assignment, root)
    return {
        grade_id
        for grade_id, call in cells.items()
        if call["part"] == "item" and sheet.item(call["item"]).type == "rewrite"
    }


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
    rewrites = sum(a.kind == "rewrite" for a in answers)
    say(
        f"{len(answers) - rewrites} written answer(s) of {assignment} to mark"
        + (f" and {rewrites} rewrite(s) to review" if rewrites else "")
        + (f"; the rubric is {rubric}" if rubric.is_file() else "")
        + ". Type the points and Enter; s skips, q stops (every mark is saved at once)."
        + (" For a rewrite, Enter keeps its automatic points." if rewrites else "")
    )
    marked, skipped, saved = 0, 0, set()
    for number, answer in enumerate(answers, 1):
        automatic = answer.auto_score if answer.kind == "rewrite" else None
        say(
            f"\n[{number}/{len(answers)}] {answer.student}, {answer.cell} "
            f"(0 to {_number(answer.max_score)}"
            + (f"; automatic {_number(automatic or 0)}" if answer.kind == "rewrite" else "")
            + (
                f"; marked {_number(answer.manual_score)} before"
                if answer.manual_score is not None
                else ""
            )
            + ")"
        )
        say(_shown(answer.text))
        points = _ask_points(
            ask,
            say,
            answer.max_score,
            keep=(automatic or 0.0) if answer.kind == "rewrite" else None,
        )
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


def _ask_points(
    ask: Callable[[str], str],
    say: Callable[[str], None],
    most: float,
    keep: float | None = None,
):
    """The points typed, None to skip, "stop" to stop; asks again until it can use them.
    With ``keep`` (a rewrite's automatic points), Enter keeps those points."""
    while True:
        enter = f"Enter keeps {_number(keep)}, " if keep is not None else ""
        try:
            typed = ask(f"points (0 to {_number(most)}), {enter}s to skip, q to stop: ").strip()
        except EOFError:  # Ctrl+D, or the end of piped input
            return "stop"
        if typed.lower() in ("q", "quit", "stop"):
            return "stop"
        if typed == "" and keep is not None:
            return keep
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


def _hand_marked(gradebook, assignment: str, rewrites: set[str] = frozenset()) -> list:
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
        # nbgrader's hand-marked answer cells, and the rewrites a person may correct
        if grade.cell.cell_type == "markdown" or grade.name in rewrites
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
            if found.get("cell_type") == "code":  # a rewrite: what the grader said of it
                return "".join(
                    o.get("text", "") for o in found.get("outputs", []) if o.get("name") == "stdout"
                )
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
