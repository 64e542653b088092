"""Every lesson, solution and exercise notebook: stored clean, and runs top to bottom."""

from __future__ import annotations

import re
import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from framelab.teach.checks import is_check

from .conftest import ROOT

LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*/*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("*/*.ipynb"))
INSTRUCTOR = sorted((ROOT / "instructor").glob("*.ipynb"))
ALL = LESSONS + SOLUTIONS + EXERCISES + INSTRUCTOR
# the starting-point and finishing-point checks: handed in like exercises, scored, no
# written answer (tests/test_checks_pipeline.py)
WRITTEN = [p for p in EXERCISES if not is_check(p.stem)]


def name(path):
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", ALL, ids=name)
def test_notebook_is_stored_clean(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, name(path)
    assert notebook.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", SOLUTIONS + EXERCISES, ids=name)
def test_graded_notebooks_keep_their_nbgrader_metadata(path):
    notebook = nbformat.read(path, as_version=4)
    ids = [c.metadata["nbgrader"]["grade_id"] for c in notebook.cells if "nbgrader" in c.metadata]
    if is_check(path.stem):
        assert {"score_kinds", "score_devices"} <= set(ids) and "written_answer" not in ids
    else:
        assert {"score_kinds", "written_answer"} <= set(ids)  # devices from exercise 02 on
    assert len(ids) == len(set(ids))


def test_there_are_lessons_00_and_01_and_every_exercise_is_a_lesson_of_the_plan():
    from framelab.teach.navigation import lesson_plan

    assert [p.name for p in LESSONS][:2] == ["00-start-here.ipynb", "01-fact-or-frame.ipynb"]
    assert next(p.name for p in SOLUTIONS if not is_check(p.stem)) == "01-fact-or-frame.ipynb"
    plan = lesson_plan(ROOT / "lessons")
    planned = {f"{lesson.number}-{lesson.name}" for lesson in plan}
    assert {p.stem for p in SOLUTIONS if not is_check(p.stem)} <= planned
    # each check belongs to a lesson: 00 (the starting point) and 08 (the finishing point)
    checks = {p.stem[:2] for p in SOLUTIONS if is_check(p.stem)}
    assert checks == {"00", "08"} and checks <= {lesson.number for lesson in plan}
    assert [p.name for p in EXERCISES] == [p.name for p in SOLUTIONS]


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS + SOLUTIONS + INSTRUCTOR, ids=name)
def test_notebook_runs_headless_without_errors(path, tmp_path, monkeypatch):
    # run in a scratch folder; the instructor notebook's course is this checkout, as in place
    monkeypatch.setenv("FRAMELAB_COURSE", str(ROOT))
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    notebook = nbformat.read(copy, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", (name(path), cell.source[:80])
            if output.get("name") == "stderr":
                assert "Traceback" not in output.get("text", ""), (name(path), output["text"])


@pytest.mark.parametrize("path", EXERCISES, ids=name)
def test_each_grade_cell_runs_on_its_own_in_a_fresh_kernel(path, tmp_path):
    """A student who restarts the kernel and runs only a grade cell gets the check,
    not a NameError: each grade cell imports what it calls."""
    import subprocess
    import sys

    notebook = nbformat.read(path, as_version=4)
    cells = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade")]
    code = [c for c in cells if c.cell_type == "code"]
    assert code, name(path)  # exercise 01 has one (kinds); later ones add devices
    for cell in code:
        done = subprocess.run(
            [sys.executable, "-c", cell.source],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert "No answers saved yet" in done.stdout


def _words(text: str) -> str:
    """A prompt as words: list markers ("- ", "1. ", "(1) "), emphasis and line breaks
    dropped, so a list in the notebook and a run-on quote in the rubric compare equal."""
    text = re.sub(r"(?m)^\s*(?:-|\d+\.)\s+", " ", text)
    text = re.sub(r"\(\d\)\s*", "", text.replace("*", ""))
    return " ".join(text.split())


@pytest.mark.parametrize("path", WRITTEN, ids=name)
def test_the_rubric_marks_the_task_the_exercise_sets(path):
    """The rubric quotes the written task it marks; the students' notebook must set that
    same task, word for word, so the two cannot drift apart when either is edited."""
    rubric = (ROOT / "docs" / "rubrics" / f"{path.stem}.md").read_text()
    (quoted,) = re.findall(r'\*\*The task\.\*\* "(.*?)"\n\n', rubric, flags=re.S)
    notebook = nbformat.read(path, as_version=4)
    (prompt,) = [
        c.source
        for c in notebook.cells
        if c.metadata.get("nbgrader", {}).get("grade_id") == "written_prompt"
    ]
    assert _words(quoted) in _words(prompt)
