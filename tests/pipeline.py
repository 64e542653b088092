"""What the tests that run an exercise through the real nbgrader pipeline share: a
student's submission laid out as collect leaves it, autograde and feedback for a class, and
the points autograde gave."""

from __future__ import annotations

from pathlib import Path

import nbformat

from framelab.grading import answers as answers_file
from framelab.instructor.course import nbgrader


def hand_in(root: Path, assignment: str, student: str, notebook, content: str | None) -> None:
    """``submitted/<student>/<assignment>/``: the notebook, and the answers file unless
    ``content`` is None (an untouched notebook)."""
    folder = root / "submitted" / student / assignment
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / f"{assignment}.ipynb")
    if content is not None:
        path = answers_file.answers_path(assignment, folder)
        path.parent.mkdir()
        path.write_text(content)


def autograde_with_feedback(root: Path, assignment: str) -> None:
    for command in (("autograde", assignment, "--create"), ("generate_feedback", assignment)):
        done = nbgrader(*command, cwd=root)
        assert done.returncode == 0, done.stderr[-3000:]


def grades(root: Path, assignment: str, student: str) -> dict[str, float | None]:
    """The automatic points of each grade cell of one submission, from the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        (notebook,) = gb.find_submission(assignment, student).notebooks
        return {grade.name: grade.auto_score for grade in notebook.grades}
