"""The links between lessons come from one plan (lessons/README.md), by one function."""

from __future__ import annotations

import shutil
import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell, new_notebook

from framelab.teach.navigation import lesson_plan, nav_line, write_navigation
from framelab.texts.model import FramelabError

from .conftest import ROOT

LESSONS = ROOT / "lessons"


def test_every_lesson_is_in_step_with_the_plan():
    assert write_navigation(LESSONS, check=True) == []
    result = subprocess.run(
        [sys.executable, "-m", "framelab.cli", "navigation", "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0 and "in step" in result.stdout, result.stderr


def test_the_plan_is_the_readme_table_with_the_notebooks_titles():
    plan = lesson_plan(LESSONS)
    assert [lesson.number for lesson in plan] == [f"{n:02d}" for n in range(9)]
    assert plan[1].title == "Fact or frame" and plan[1].file == "01-fact-or-frame.ipynb"
    assert plan[2].title == "Loaded words"  # made from the name until its notebook exists


@pytest.fixture
def lessons(tmp_path):
    copy = tmp_path / "lessons"
    shutil.copytree(LESSONS, copy, ignore=shutil.ignore_patterns("answers"))
    return copy


def test_a_wrong_link_is_found_and_rewritten(lessons):
    path = lessons / "01-fact-or-frame.ipynb"
    original = path.read_text()
    path.write_text(original.replace("Next: [02 Loaded words]", "Next: [02 Loaded word]"))
    assert write_navigation(lessons, check=True) == [path]
    assert write_navigation(lessons) == [path]
    assert path.read_text() == original


def test_a_new_lesson_is_no_longer_coming_soon(lessons):
    """The first lesson of the plan that has no notebook yet is written: the lesson
    before it stops calling it "coming soon"."""
    plan = lesson_plan(lessons)
    present = {path.name for path in lessons.glob("*.ipynb")}
    if all(lesson.file in present for lesson in plan):  # all written: take the last one out
        (lessons / plan[-1].file).unlink()
        write_navigation(lessons)
        present.discard(plan[-1].file)
    at = next(n for n, lesson in enumerate(plan) if lesson.file not in present)
    before, new = plan[at - 1], plan[at]
    earlier = lessons / before.file
    assert f"{new.link} (coming soon) →" in nbformat.read(earlier, 4).cells[0].source
    numbers = {lesson.number for lesson in plan if lesson.file in present} | {new.number}
    line = nav_line(plan, at, present=numbers)  # the new lesson's own line, right
    notebook = new_notebook(
        cells=[
            new_markdown_cell(line),
            new_markdown_cell(f"# {new.number} {new.title}"),
            new_markdown_cell(line),
        ]
    )
    nbformat.write(notebook, lessons / new.file)
    assert write_navigation(lessons) == [earlier]
    assert f"{new.link} →" in earlier.read_text()
    assert "(coming soon)" not in nbformat.read(earlier, 4).cells[0].source


def test_a_lesson_without_its_links_is_refused(lessons):
    path = lessons / "00-start-here.ipynb"
    notebook = nbformat.read(path, 4)
    notebook.cells[0].source = "# no links here"
    nbformat.write(notebook, path)
    with pytest.raises(FramelabError, match="needs a navigation line at its start"):
        write_navigation(lessons)
