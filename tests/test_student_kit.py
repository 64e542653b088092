"""The students' kit (framelab student-kit): the folder a student installs at home when
there is no shared server. It must work (lessons, exercises, make lab) and hold nothing of a
graded key, the solutions, the answer notes or anything else the course folder gathers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from framelab.cli import main
from framelab.instructor.student_kit import write_student_kit
from framelab.instructor.students_copy import graded_ids, graded_item_sets, graded_key_leaks
from framelab.texts.model import FramelabError

from .conftest import DATASETS, ROOT


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Path:
    """The kit of this checkout, written by the command and unpacked."""
    where = tmp_path_factory.mktemp("kit")
    assert main(["student-kit", "--course", str(ROOT), "--out", str(where / "kit.zip")]) == 0
    with zipfile.ZipFile(where / "kit.zip") as archive:
        assert {Path(name).parts[0] for name in archive.namelist()} == {"framelab"}
        archive.extractall(where)
    return where / "framelab"


def test_the_kit_holds_what_students_use_and_nothing_of_a_graded_key(kit):
    graded, graded_sets = graded_ids(DATASETS), graded_item_sets(DATASETS)
    # the full checkout, which the zip route used to hand out, holds every key
    assert all((DATASETS / "keys" / f"{text}.json").is_file() for text in graded)
    assert not [text for text in graded if (kit / "datasets" / "keys" / f"{text}.json").exists()]
    assert not [s for s in graded_sets if (kit / "datasets/keys/items" / f"{s}.json").exists()]
    assert graded_key_leaks(kit, DATASETS) == []
    for kept in ("lessons/05-same-facts-different-frames.ipynb", "docs/glossary.md", "Makefile"):
        assert (kit / kept).is_file(), kept
    assert (kit / "datasets" / "keys" / "aleppo-2024-11-30.json").is_file()  # lessons' keys
    released = sorted(p.parent.name for p in (ROOT / "exercises").glob("*/*.ipynb"))
    assert sorted(p.parent.name for p in (kit / "exercises").glob("*/*.ipynb")) == released
    top = {p.name for p in kit.iterdir()}
    assert top == {*("README.md", "LICENSE.md", "Makefile", "pyproject.toml")} | {
        "environment.yml",
        "src",
        "lessons",
        "exercises",
        "datasets",
        "docs",
    }
    assert {p.name for p in (kit / "docs").iterdir()} == {
        "glossary.md",
        "own-article.md",
        "what-happened-next.md",
    }
    everything = [p for p in kit.rglob("*") if p.is_file()]
    assert not [p for p in everything if "answers" in p.relative_to(kit).parts]
    for path in kit.glob("exercises/*/*.ipynb"):
        assert "BEGIN SOLUTION" not in path.read_text() and "HIDDEN TESTS" not in path.read_text()


def test_an_exercise_works_from_the_kit_and_finds_no_key(kit, tmp_path):
    """The kit's own package and datasets, as a student's make lab installs them: the
    graded tagger loads its text, a lesson's key loads, the graded key is not there."""
    folder = tmp_path / "05-same-facts-different-frames"
    shutil.copytree(kit / "exercises" / folder.name, folder)
    script = (
        "from framelab import Tagger, load_key\n"
        "from framelab.texts.model import FramelabError\n"
        "t = Tagger.exam('05-same-facts-different-frames', 'aleppo-evening-bulletin', "
        "devices=False)\n"
        "print(len(t.document.sentences), len(load_key('aleppo-2024-11-30').labels))\n"
        "try:\n"
        "    load_key('aleppo-evening-bulletin')\n"
        "except FramelabError:\n"
        "    print('no key')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "FRAMELAB_DATASETS"}
    env["PYTHONPATH"] = str(kit / "src")
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=folder, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["15", "24", "no", "key"]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_lab_sets_up_in_the_kit_which_has_no_tests_folder(kit):
    """The kit has no tests/, so no axe-core lock file: setup must not need one (it did
    before the kit existed, when npm was on PATH)."""
    done = subprocess.run(["make", "-n", "lab"], cwd=kit, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def _course(tmp_path: Path) -> Path:
    """A copy of this checkout's kit files, to plant things in."""
    course = tmp_path / "course"
    for name in ("README.md", "LICENSE.md", "Makefile", "pyproject.toml", "environment.yml"):
        (course / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, course / name)
    for name in ("src", "lessons", "exercises", "datasets", "solutions"):
        shutil.copytree(ROOT / name, course / name, symlinks=True)
    (course / "docs").mkdir()
    for name in ("glossary.md", "own-article.md", "what-happened-next.md", "instructor-guide.md"):
        shutil.copy(ROOT / "docs" / name, course / "docs" / name)
    return course


def test_what_the_course_gathers_never_reaches_the_kit(tmp_path):
    """A gradebook, model answers, a printed key, a teacher's trial answers, a link
    planted in the lessons: none is in the kit, which copies only what it names."""
    course = _course(tmp_path)
    (course / "gradebook.db").write_text("the whole class's marks")
    (course / "model-answers").mkdir()
    (course / "model-answers" / "answers.json").write_text("{}")
    (course / "exercises" / "01-fact-or-frame" / "answers").mkdir(exist_ok=True)
    (course / "exercises" / "01-fact-or-frame" / "answers" / "01-fact-or-frame.json").write_text(
        "{}"
    )
    (course / "lessons" / "key.json").symlink_to(
        course / "datasets" / "keys" / "transfer-heatwave-spain.json"
    )
    made = write_student_kit(course, tmp_path / "kit.zip")
    names = zipfile.ZipFile(made.path).namelist()
    assert made.files == len(names)
    assert not [n for n in names if "gradebook" in n or "model-answers" in n or "solutions" in n]
    assert not [n for n in names if "/answers/" in n or n.endswith("lessons/key.json")]
    assert not [n for n in names if "instructor-guide" in n]


def test_an_exercise_not_released_is_refused(tmp_path):
    course = _course(tmp_path)
    solution = course / "solutions" / "01-fact-or-frame" / "01-fact-or-frame.ipynb"
    shutil.copy(solution, course / "exercises" / "01-fact-or-frame" / solution.name)
    with pytest.raises(FramelabError, match=r"holds a solution .*framelab release"):
        write_student_kit(course, tmp_path / "kit.zip")
    assert not (tmp_path / "kit.zip").exists()


def test_a_graded_reason_copied_into_a_lesson_stops_the_kit(tmp_path):
    course = _course(tmp_path)
    key = json.loads((course / "datasets" / "keys" / "transfer-heatwave-spain.json").read_text())
    reason = max((span["why"] for span in key["spans"]), key=len)  # a reason of its own
    with (course / "lessons" / "README.md").open("a") as readme:
        readme.write("\n" + reason + "\n")
    with pytest.raises(FramelabError, match="would give away a graded key"):
        write_student_kit(course, tmp_path / "kit.zip")
    assert not (tmp_path / "kit.zip").exists()


def test_bad_output_and_an_incomplete_course_get_a_clear_message(tmp_path, capsys):
    assert main(["student-kit", "--course", str(ROOT), "--out", str(tmp_path / "kit.tar")]) == 2
    assert "ends in .zip" in capsys.readouterr().err
    (tmp_path / "kit.zip").write_text("an earlier kit")
    assert main(["student-kit", "--course", str(ROOT), "--out", str(tmp_path / "kit.zip")]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["student-kit", "--course", str(tmp_path), "--out", str(tmp_path / "k.zip")]) == 2
    assert "not a whole framelab folder" in capsys.readouterr().err
