"""The nbgrader course: shared settings, nbgrader itself, and releasing exercises
from solutions. (What students receive of the datasets is in
:mod:`framelab.instructor.students_copy`; a new exercise from a teacher's article in
:mod:`framelab.instructor.new_exercise`.)

``framelab release`` regenerates ``exercises/`` from ``solutions/`` with nbgrader's
own generate_assignment; CI runs it into a scratch copy and fails on any
difference from the committed release.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat

from framelab.grading.answers import ANSWERS_FOLDER
from framelab.grading.cells import grade_call, require_reviewed_key
from framelab.texts.corpus import (
    ID_PATTERN,
    check_id,
)
from framelab.texts.model import (
    FramelabError,
    os_problem,
)

__all__ = [
    "GRADEBOOK",
    "IGNORE",
    "check_collect_folders",
    "check_exercise_id",
    "check_gradebook",
    "exercise_ids",
    "nbgrader",
    "nbgrader_failure",
    "open_gradebook",
    "read_notebook",
    "release",
    "release_differences",
]

# nbgrader's CourseDirectory.ignore (it replaces nbgrader's defaults). nbgrader copies
# files by it when it releases, autogrades, makes feedback and moves files through
# the exchange, so students' answers/ folders are not in it.
# .*.lock and .*.tmp: the answers file's lock and a save cut short (framelab.grading.answers)
IGNORE = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    "instructor_*",
    ".*.lock",
    ".*.tmp",
]
# A release also leaves out an instructor's own answers/ from trying the exercise.
RELEASE_IGNORE = [*IGNORE, ANSWERS_FOLDER]


def nbgrader(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run an nbgrader command in ``cwd`` with this environment's Python. Its bin/
    folder goes first on PATH: nbgrader runs helpers such as alembic by name."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


GRADEBOOK = "gradebook.db"
_SQLITE_HEADER = b"SQLite format 3\x00"


def nbgrader_failure(command: str, stderr: str) -> str:
    """One line saying why an nbgrader command failed, from its messages: its last
    error (or the last line of a Python error), not the whole log."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [
        line.split("]", 1)[1].strip()
        for line in lines
        if line.startswith("[") and ("| CRITICAL]" in line or "| ERROR]" in line)
    ]
    errors = [e for e in errors if e and not e.startswith(f"nbgrader {command} failed")]
    raised = [line for line in lines if re.match(r"^[A-Za-z_.]+(Error|Exception): ", line)]
    reason = (errors or raised or lines or ["no message"])[-1]
    return f"nbgrader {command} failed: {reason[:300]}"


def check_gradebook(course: Path) -> None:
    """Raise FramelabError, naming the file, when the course's gradebook.db is there
    but is not a file nbgrader can open (a folder, unreadable, not an SQLite database).
    No gradebook is fine: nbgrader makes one."""
    path = Path(course).absolute() / GRADEBOOK
    if not path.exists():
        return
    if not path.is_file():
        raise FramelabError(
            f"{path} is not a file; nbgrader keeps its gradebook there, so move it aside"
        )
    try:
        with open(path, "rb") as stream:
            head = stream.read(len(_SQLITE_HEADER))
    except OSError as error:
        raise FramelabError(f"cannot read nbgrader's gradebook: {os_problem(error)}") from None
    if head and head != _SQLITE_HEADER:
        raise FramelabError(
            f"{path} is not an nbgrader gradebook (it is not an SQLite database); restore it "
            "from a backup, or move it aside and nbgrader starts an empty one"
        )


@contextlib.contextmanager
def open_gradebook(course: Path, advice: str) -> Iterator[Any]:
    """The course's gradebook, opened as nbgrader opens it (waiting for a busy one) and
    closed after use. A missing, broken or unreadable one is one FramelabError naming it,
    ending with ``advice`` (what to do about it)."""
    path = Path(course).absolute() / GRADEBOOK
    check_gradebook(course)
    if not path.is_file():
        raise FramelabError(f"{path.parent} has no gradebook yet; {advice}")
    from nbgrader.api import Gradebook  # nbgrader's database layer: slow import
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with Gradebook(f"sqlite:///{path}?timeout=30") as gradebook:
            yield gradebook
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).split("\n")[0]
        raise FramelabError(
            f"{path} cannot be read as nbgrader's gradebook ({reason}); {advice}"
        ) from None


def check_collect_folders(course: Path, assignment: str, exchange: Path | None) -> None:
    """Before nbgrader collect runs: the course folder and what collect reads and
    writes in it, and the exchange root if given, are what they should be; else
    FramelabError naming the one that is not."""
    from framelab.instructor.exchange import REFUSED_FOLDER  # nbgrader's exchange: slow import

    course = Path(course).absolute()
    if not course.is_dir():
        raise FramelabError(
            f"{course} is not a course folder: it "
            + ("is a file" if course.exists() else "does not exist")
            + "; run framelab collect in your course (the folder with nbgrader_config.py), "
            "or give it with --course"
        )
    if (course / "nbgrader_config.py").exists() and not (course / "nbgrader_config.py").is_file():
        raise FramelabError(
            f"{course / 'nbgrader_config.py'} is a folder; nbgrader reads its settings from a "
            "file of that name"
        )
    check_gradebook(course)
    for name in ("submitted", REFUSED_FOLDER, ".collect-staging"):
        folder = course / name
        if folder.exists() and not folder.is_dir():
            raise FramelabError(
                f"{folder} is a file where collect keeps a folder; move it aside and try again"
            )
        if not os.access(folder if folder.is_dir() else course, os.W_OK):
            raise FramelabError(
                f"{folder if folder.is_dir() else course} cannot be written, so collect could "
                "not keep what it collects; ask for write access, or run collect as the "
                "course's owner"
            )
    record = course / REFUSED_FOLDER / f"{assignment}.txt"
    if record.exists() and not record.is_file():
        raise FramelabError(
            f"{record} is a folder where collect lists refused submissions; move it aside"
        )
    if exchange is not None and not Path(exchange).is_dir():
        raise FramelabError(
            f"the exchange folder {exchange} "
            + ("is a file" if Path(exchange).exists() else "does not exist")
            + "; give --exchange the exchange root students submit to (nbgrader's "
            "c.Exchange.root)"
        )


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """A notebook of the course, read as nbgrader reads it; one that is not a
    notebook raises FramelabError naming it."""
    try:
        return nbformat.read(path, as_version=4)
    except OSError as error:
        raise FramelabError(f"cannot read the notebook: {os_problem(error)}") from None
    except (ValueError, AttributeError, KeyError, TypeError) as error:  # not a notebook's JSON
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0][:120]
        raise FramelabError(
            f"{path} is not a notebook nbgrader can read ({reason}); restore it from git or "
            "a backup"
        ) from None


def exercise_ids(course: Path) -> list[str]:
    """The exercises of a course: the folders of solutions/ whose names are ids."""
    solutions = Path(course) / "solutions"
    if not solutions.is_dir():
        return []
    return sorted(
        p.name
        for p in solutions.iterdir()
        if p.is_dir() and not p.is_symlink() and ID_PATTERN.fullmatch(p.name)
    )


def check_exercise_id(course: Path, exercise: object) -> str:
    """Return ``exercise`` if it names an exercise of ``course`` (a folder directly
    under solutions/), else raise FramelabError naming the exercises there. Every
    command that takes an exercise id checks it with this before it writes or
    deletes anything."""
    exercise = check_id(exercise, "an exercise id")
    if exercise not in exercise_ids(course):
        raise FramelabError(
            f"{exercise!r} is not an exercise of {course} (no folder solutions/{exercise}); "
            f"exercises here: {', '.join(exercise_ids(course)) or 'none'}"
        )
    return exercise


def release(course: Path, exercises: list[str] | None = None) -> list[Path]:
    """Regenerate ``exercises/<id>/`` from ``solutions/<id>/`` for each id (default
    all); returns the notebooks written. nbgrader's messages go to its log."""
    course = Path(course).resolve()
    if not (course / "nbgrader_config.py").is_file():
        raise FramelabError(
            f"{course} is not a course folder (it has no nbgrader_config.py); "
            "run framelab release in your course, or give --course"
        )
    ids = [check_exercise_id(course, i) for i in exercises] if exercises else exercise_ids(course)
    if not ids:
        raise FramelabError(f"no exercises in {course / 'solutions'}: nothing to release")
    for exercise in ids:  # every key reviewed before anything is generated
        for notebook in sorted((course / "solutions" / exercise).glob("*.ipynb")):
            for cell in read_notebook(notebook).cells:
                call = grade_call(cell.source) if cell.cell_type == "code" else None
                if call is not None:
                    require_reviewed_key(call["document"])
    written = []
    for exercise in ids:
        result = nbgrader(
            "generate_assignment",
            exercise,
            "--force",
            f"--CourseDirectory.ignore={RELEASE_IGNORE!r}",
            "--log-level=WARN",
            cwd=course,
        )
        if result.returncode != 0:
            raise FramelabError(
                f"{nbgrader_failure('generate_assignment', result.stderr)} (releasing {exercise})"
            )
        for notebook in sorted((course / "exercises" / exercise).glob("*.ipynb")):
            # one canonical layout, so that the committed release compares byte for byte
            nbformat.write(nbformat.read(notebook, as_version=4), notebook)
            written.append(notebook)
    return written


def release_differences(course: Path) -> list[str]:
    """Files that differ between the committed ``exercises/`` and a fresh release
    made in a scratch copy of the course (empty when they agree)."""
    course = Path(course).resolve()
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "course"
        copy.mkdir()
        shutil.copy(course / "nbgrader_config.py", copy)
        shutil.copytree(course / "solutions", copy / "solutions")
        release(copy)
        fresh, committed = copy / "exercises", course / "exercises"
        names = {p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()}
        names |= {p.relative_to(committed) for p in committed.rglob("*") if p.is_file()}
        return sorted(
            str(name)
            for name in names
            if not (fresh / name).is_file()
            or not (committed / name).is_file()
            or (fresh / name).read_bytes() != (committed / name).read_bytes()
        )
