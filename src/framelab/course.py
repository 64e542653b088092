"""The nbgrader course: shared settings, and releasing exercises from solutions.

``framelab release`` regenerates ``exercises/`` from ``solutions/`` with nbgrader's
own generate_assignment; CI runs it into a scratch copy and fails on any
difference from the committed release.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from framelab.model import FramelabError

__all__ = ["IGNORE", "exercise_ids", "nbgrader", "release", "release_differences"]

# nbgrader's CourseDirectory.ignore (it replaces nbgrader's defaults). nbgrader copies
# files by it when it releases, autogrades, makes feedback and moves files through
# the exchange, so students' answers/ folders are not in it.
IGNORE = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "instructor_*"]
# A release also leaves out an instructor's own answers/ from trying the exercise.
RELEASE_IGNORE = [*IGNORE, "answers"]


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


def exercise_ids(course: Path) -> list[str]:
    """The exercises of a course: the folders of solutions/."""
    solutions = course / "solutions"
    return sorted(p.name for p in solutions.iterdir() if p.is_dir()) if solutions.is_dir() else []


def release(course: Path, exercises: list[str] | None = None) -> list[Path]:
    """Regenerate ``exercises/<id>/`` from ``solutions/<id>/`` for each id (default
    all); returns the notebooks written. nbgrader's messages go to its log."""
    course = Path(course).resolve()
    ids = exercises or exercise_ids(course)
    unknown = [i for i in ids if not (course / "solutions" / i).is_dir()]
    if unknown:
        raise FramelabError(
            f"no solutions/{unknown[0]} in {course}; exercises here: "
            f"{', '.join(exercise_ids(course)) or 'none'}"
        )
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
                f"nbgrader could not release {exercise}:\n{result.stderr.strip()[-2000:]}"
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
