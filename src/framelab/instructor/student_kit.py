"""The students' kit: the framelab folder a student installs on their own machine when the
class has no shared server (the zip or learning-platform route), with nothing of a graded
key in it.

A full checkout holds every key, the solutions and the answer notes, so a student given one
can read the answers. The kit holds only what a student uses: the package, the lessons, the
released exercises, the three documents the lessons link to (the glossary, "an article of
your own" and "what happened next") and the students' copy of the datasets
(:func:`~framelab.instructor.students_copy.student_datasets`: every text, and every key but
those of graded texts and graded items).
Nothing is copied by a list of what to leave out, so a file added to the course later
(a gradebook, submissions, reports, model answers, a printed key) cannot slip in: only the
files named here go. The finished kit is searched for anything of a graded key before the
zip is written, as the shared server's copy is.

>>> sorted(KIT_FILES)[:2], KIT_DOCS
(['LICENSE.md', 'Makefile'], ('glossary.md', 'own-article.md', 'what-happened-next.md'))
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from framelab.instructor.students_copy import graded_key_leaks, student_datasets
from framelab.texts.model import FramelabError, os_problem

__all__ = ["KIT_DOCS", "KIT_FILES", "KIT_FOLDERS", "KIT_ZIP", "StudentKit", "write_student_kit"]

KIT_NAME = "framelab"  # the folder the zip unpacks to
KIT_ZIP = f"{KIT_NAME}-students.zip"  # the zip's name when none is given
KIT_FILES = ("README.md", "LICENSE.md", "Makefile", "pyproject.toml", "environment.yml")
KIT_FOLDERS = ("src", "lessons", "exercises")
KIT_DOCS = (  # the documents the lessons link to
    "glossary.md",
    "own-article.md",
    "what-happened-next.md",
)
# Never in a kit, wherever they sit in the folders above: answers saved while trying the
# lessons or exercises, Python's and JupyterLab's caches, an installed package's metadata.
SKIPPED = ("answers", "__pycache__", ".ipynb_checkpoints", "*.egg-info", "*.pyc")
# What an exercise notebook holds before nbgrader has released it (a solution's markers).
UNRELEASED = ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS")


@dataclass(frozen=True)
class StudentKit:
    """A written kit: the zip, how many files it holds, and the graded texts whose keys
    were left out."""

    path: Path
    files: int
    left_out: tuple[str, ...]


def write_student_kit(course: Path, out: Path, *, force: bool = False) -> StudentKit:
    """Write the students' kit of the course folder ``course`` to the zip ``out``."""
    course, out = Path(course), Path(out)
    if out.is_dir():
        out = out / KIT_ZIP
    if out.suffix != ".zip":
        raise FramelabError(f"{out}: the kit is a zip file; give a name that ends in .zip")
    if out.exists() and not force:
        raise FramelabError(f"{out} already exists; add --force to replace it")
    missing = [
        name
        for name in (*KIT_FILES, *KIT_FOLDERS, "datasets", *(f"docs/{d}" for d in KIT_DOCS))
        if not (course / name).exists()
    ]
    if missing:
        raise FramelabError(
            f"{course} is not a whole framelab folder: it has no {', '.join(missing)}. Run "
            "framelab student-kit in the framelab checkout you teach from"
        )
    _check_released(course / "exercises")
    with tempfile.TemporaryDirectory(prefix="framelab-kit-") as scratch:
        kit = Path(scratch) / KIT_NAME
        kit.mkdir()
        ignore = shutil.ignore_patterns(*SKIPPED)
        for name in KIT_FILES:
            _copy_file(course / name, kit / name)
        for name in KIT_FOLDERS:
            shutil.copytree(course / name, kit / name, ignore=_no_links(ignore))
        (kit / "docs").mkdir()
        for name in KIT_DOCS:
            _copy_file(course / "docs" / name, kit / "docs" / name)
        left_out = student_datasets(course / "datasets", kit / "datasets")
        leaks = graded_key_leaks(kit, course / "datasets")
        if leaks:
            raise FramelabError(
                "the students' kit would give away a graded key; nothing was written:\n  "
                + "\n  ".join(leaks)
            )
        files = _zip(kit, out)
    return StudentKit(out, files, tuple(left_out))


def _check_released(exercises: Path) -> None:
    """Refuse a kit whose exercises hold a solution: a notebook copied by hand into
    ``exercises/`` instead of released by ``framelab release``."""
    for notebook in sorted(exercises.glob("*/*.ipynb")):
        text = notebook.read_text(encoding="utf-8", errors="replace")
        if any(marker in text for marker in UNRELEASED):
            raise FramelabError(
                f"{notebook} holds a solution (it was not released by nbgrader); run "
                "framelab release, then make the kit again"
            )


def _no_links(ignore):
    """``ignore`` for copytree, which also leaves out every link: a link in the course
    could point anywhere, and a kit never carries one."""

    def both(folder: str, names: list[str]) -> set[str]:
        here = Path(folder)
        return set(ignore(folder, names)) | {n for n in names if (here / n).is_symlink()}

    return both


def _copy_file(source: Path, dest: Path) -> None:
    if source.is_symlink() or not source.is_file():
        raise FramelabError(f"{source} is not a plain file; a kit carries no links")
    shutil.copyfile(source, dest)


def _zip(kit: Path, out: Path) -> int:
    """Zip the folder ``kit`` (it unpacks to one ``framelab/`` folder) to ``out``, whole
    or not at all; returns the number of files."""
    files = sorted(p for p in kit.rglob("*") if p.is_file())
    partial = out.with_name(out.name + ".partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                archive.write(path, Path(KIT_NAME) / path.relative_to(kit))
        partial.replace(out)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise FramelabError(f"could not write the kit: {os_problem(error)}") from None
    return len(files)
