"""An exercise whose grade cell tests a student's code: nbgrader's autograde, through
framelab's GradeSubmission, runs that code in the sandbox, which sees only a copy of
the submission, as an unprivileged user, with no network and a private /tmp.
Slow: it runs nbgrader and kernels for real."""

from __future__ import annotations

import shutil
import socket
import uuid
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from framelab.instructor.course import nbgrader
from framelab.texts.model import FramelabError

from .conftest import ROOT
from .watch import OpenWatch

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("bwrap") is None, reason="needs bubblewrap (.ci/run installs it)"
    ),
]

EX = "00-code-check"
MARKER = f"framelab-sandbox-{uuid.uuid4().hex[:8]}"


def meta(grade_id: str, **flags) -> dict:
    base = {
        "schema_version": 3,
        "grade_id": grade_id,
        "grade": False,
        "solution": False,
        "locked": False,
    }
    return {"nbgrader": base | flags}


def source_notebook() -> nbformat.NotebookNode:
    return new_notebook(
        cells=[
            new_markdown_cell("Write `add`.", metadata=meta("prompt", locked=True)),
            new_code_cell(
                "def add(a, b):\n    ### BEGIN SOLUTION\n    return a + b\n    ### END SOLUTION",
                metadata=meta("add", solution=True),
            ),
            new_code_cell(
                '"""Check that add adds."""\nassert add(1, 2) == 3\nassert add(-1, 1) == 0',
                metadata=meta("test_add", grade=True, locked=True, points=2),
            ),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )


def attack(course: Path, outside: Path, port: int) -> str:
    return f"""import os, socket
found = {{}}
for path in [{str(course / "gradebook.db")!r}, {str(outside / "decoy.txt")!r},
             {str(ROOT / "datasets")!r}]:
    try:
        open(path, "rb").read(1) if os.path.isfile(path) else os.listdir(path)
        found[path] = "read"
    except OSError as error:
        found[path] = type(error).__name__
for path in [{str(course / "nbgrader_config.py")!r}, "/tmp/{MARKER}"]:
    try:
        open(path, "a").write("planted")
        found[path] = "written"
    except OSError as error:
        found[path] = type(error).__name__
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2)
    found["network"] = "connected"
except OSError as error:
    found["network"] = type(error).__name__
found["uid"] = os.getuid()
print(found)"""


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = tmp_path_factory.mktemp("code-course")
    outside = tmp_path_factory.mktemp("outside")
    (outside / "decoy.txt").write_text("an instructor's file")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    (course / "solutions" / EX).mkdir(parents=True)
    nbformat.write(source_notebook(), course / "solutions" / EX / f"{EX}.ipynb")
    made = nbgrader("generate_assignment", EX, "--force", cwd=course)
    assert made.returncode == 0, made.stderr[-2000:]
    released = nbformat.read(course / "exercises" / EX / f"{EX}.ipynb", as_version=4)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    students = {
        "right": "def add(a, b):\n    return a + b",
        "wrong": "def add(a, b):\n    return a - b",
        "attacker": "def add(a, b):\n    return a + b\n" + attack(course, outside, port),
    }
    for student, code in students.items():
        nb = nbformat.reads(nbformat.writes(released), as_version=4)
        next(
            c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "add"
        ).source = code
        folder = course / "submitted" / student / EX
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{EX}.ipynb")
    config = (course / "nbgrader_config.py").read_bytes()
    watch = OpenWatch(outside)
    result = nbgrader("autograde", EX, "--create", cwd=course)
    listener.settimeout(0.1)
    try:
        listener.accept()
        connected = True
    except OSError:
        connected = False
    listener.close()
    assert result.returncode == 0, result.stderr[-3000:]
    return {
        "course": course,
        "opened": watch.events(),
        "config_changed": (course / "nbgrader_config.py").read_bytes() != config,
        "connected": connected,
    }


def score(course: Path, student: str) -> float:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return gb.find_grade("test_add", EX, EX, student).auto_score


def test_a_code_graded_cell_is_scored_from_the_sandboxed_run(graded):
    assert score(graded["course"], "right") == 2
    assert score(graded["course"], "wrong") == 0
    assert score(graded["course"], "attacker") == 2


def test_the_students_code_saw_nothing_of_the_grader_and_changed_nothing(graded):
    assert graded["opened"] == []
    assert not graded["config_changed"]
    assert not graded["connected"]
    assert not Path("/tmp", MARKER).exists()
    notebook = nbformat.read(
        graded["course"] / "autograded" / "attacker" / EX / f"{EX}.ipynb", as_version=4
    )
    assert all(
        not c.get("outputs")
        for c in notebook.cells
        if "nbgrader" not in c.metadata or not c.metadata["nbgrader"].get("grade")
    )


def test_what_the_sandboxed_code_found(tmp_path):
    """The same probe, run directly, reports what it could reach (for the record)."""
    from framelab.grading.sandbox import run_in_sandbox
    from framelab.grading.submission import read_tree

    (tmp_path / "answers").mkdir()
    (tmp_path / "answers" / "x.json").write_text("{}")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "decoy.txt").write_text("x")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    nb = new_notebook(cells=[new_code_cell(attack(tmp_path, outside, listener.getsockname()[1]))])
    printed = run_in_sandbox(nb, read_tree(tmp_path)).cells[0].outputs[0]["text"]
    listener.close()
    found = eval(printed)  # a dict the probe printed
    assert found[str(outside / "decoy.txt")] == "FileNotFoundError"
    assert found[str(ROOT / "datasets")] == "FileNotFoundError"  # nor the checkout's keys
    assert found[f"/tmp/{MARKER}"] == "written"  # into the sandbox's own /tmp, gone after
    assert not Path("/tmp", MARKER).exists()
    assert found["network"] in {"ConnectionRefusedError", "OSError", "TimeoutError"}
    assert found["uid"] == 65534


def test_without_bubblewrap_autograde_says_what_to_install(monkeypatch):
    from framelab.grading import sandbox

    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    with pytest.raises(FramelabError, match="install bubblewrap"):
        sandbox.bwrap_command(Path("/tmp"), Path("/tmp"), ["true"])
