"""Ids and paths are checked before anything is written or deleted, and the
grading helpers a student runs say what is wrong in a sentence."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from framelab.cli import main
from framelab.grading.cells import check_answers, grade_cell
from framelab.instructor.course import check_exercise_id, release
from framelab.texts.model import FramelabError

from .conftest import DATASETS, ROOT

EX, DOC = "01-fact-or-frame", "transfer-heatwave-spain"


@pytest.fixture
def course(tmp_path):
    """A course folder whose every file is watched: nothing may change."""
    root = tmp_path / "course"
    root.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "solutions", root / "solutions")
    (root / "submitted" / "ana" / EX / "answers").mkdir(parents=True)
    (root / "submitted" / "ana" / EX / "answers" / f"{EX}.json").write_text("{}")
    (root / "gradebook.db").write_bytes(b"SQLite format 3\0")
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    "exercise", ["..", "../solutions/01-fact-or-frame", ".", "/etc", "01-fact-or-frame/", "x" * 65]
)
def test_release_refuses_an_id_that_is_not_an_exercise_and_deletes_nothing(
    course, capsys, exercise
):
    before = snapshot(course)
    assert main(["release", exercise, "--course", str(course)]) == 2
    assert "cannot be an exercise id" in capsys.readouterr().err
    assert snapshot(course) == before


def test_release_of_an_unknown_exercise_names_the_ones_there(course, capsys):
    assert main(["release", "02-missing", "--course", str(course)]) == 2
    assert "exercises here: 00-starting-point, 01-fact-or-frame, " in capsys.readouterr().err


def test_release_in_a_course_without_exercises_says_so(tmp_path, capsys):
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    assert main(["release", "--course", str(tmp_path)]) == 2
    assert "no exercises in" in capsys.readouterr().err


def test_release_outside_a_course_folder_says_so(tmp_path, capsys):
    assert main(["release", EX, "--course", str(tmp_path)]) == 2
    assert "is not a course folder" in capsys.readouterr().err


def test_an_exercise_folder_reached_through_a_link_is_not_an_exercise(course):
    (course / "solutions" / "02-linked").symlink_to(course / "solutions" / EX)
    with pytest.raises(FramelabError, match="is not an exercise of"):
        check_exercise_id(course, "02-linked")


@pytest.mark.parametrize("command", ["report", "simulate-class"])
def test_instructor_commands_check_the_assignment_id(course, capsys, command):
    before = snapshot(course)
    args = [command, "--course", str(course), "--assignment", "../solutions"]
    if command == "simulate-class":
        args += ["--students", "3"]
    assert main(args) == 2
    assert "cannot be an exercise id" in capsys.readouterr().err
    assert snapshot(course) == before


def test_simulate_class_caps_the_class_size(course, capsys):
    args = ["simulate-class", "--course", str(course), "--assignment", EX]
    assert main([*args, "--students", "1000000000000"]) == 2
    assert "1 to 10,000 students" in capsys.readouterr().err


def test_release_refuses_a_bad_id_even_from_python(course):
    with pytest.raises(FramelabError, match="cannot be an exercise id"):
        release(course, [".."])


@pytest.mark.parametrize(
    ("exercise", "says"),
    [("x" * 300, "cannot be an exercise id"), ("Bad Id", "cannot be an exercise id")],
)
def test_new_exercise_checks_the_id_first(tmp_path, capsys, exercise, says):
    article = tmp_path / "article.txt"
    article.write_text("A council met on Monday. It approved the budget.\n")
    assert main(["new-exercise", str(article), "--id", exercise, "--course", str(tmp_path)]) == 2
    assert says in capsys.readouterr().err


@pytest.fixture
def teachers_article(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """A scratch datasets folder in use, and a teacher's article to make an exercise of."""
    datasets = tmp_path / "datasets"
    shutil.copytree(DATASETS, datasets)
    monkeypatch.setenv("FRAMELAB_DATASETS", str(datasets))
    article = tmp_path / "article.txt"
    article.write_text("A council met on Monday. It approved the budget.\n")
    return datasets, article


def test_new_exercise_with_a_file_for_a_course_writes_nothing(tmp_path, teachers_article, capsys):
    datasets, article = teachers_article
    not_a_folder = tmp_path / "course.txt"
    not_a_folder.write_text("")
    before = snapshot(datasets)
    args = ["new-exercise", str(article), "--id", "02-council", "--course", str(not_a_folder)]
    assert main(args) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert snapshot(datasets) == before
    assert (
        main(["new-exercise", str(article), "--id", "02-council", "--course", str(tmp_path)]) == 0
    )


def test_new_exercise_that_fails_midway_keeps_nothing(tmp_path, teachers_article, capsys):
    datasets, article = teachers_article
    course = tmp_path / "course"
    course.mkdir()
    (course / "solutions").write_text("a file where the solutions folder should be")
    before = snapshot(datasets)
    assert main(["new-exercise", str(article), "--id", "02-council", "--course", str(course)]) == 2
    assert "nothing was kept" in capsys.readouterr().err
    assert snapshot(datasets) == before


def test_units_refuses_a_climbing_article_id(capsys):
    assert main(["units", "../keys/aleppo-2024-11-30"]) == 2
    assert "cannot be an article id" in capsys.readouterr().err


def authoring(**changes) -> dict:
    data = {
        "document": DOC,
        "annotator": "test",
        "status": "reviewed",
        "sentences": {
            s["id"]: {k: s[k] for k in ("kind", "accept", "why", "scored") if k in s}
            for s in json.loads((DATASETS / "keys" / f"{DOC}.json").read_text())["sentences"]
        },
        "spans": [],
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        (
            {
                "spans": [
                    {"sentence": "s10", "quote": "insisted", "device": "verb-bias", "occurrence": 0}
                ]
            },
            "'occurrence' must be a whole number from 1",
        ),
        (
            {
                "spans": [
                    {
                        "sentence": "s10",
                        "quote": "insisted",
                        "device": "verb-bias",
                        "occurrence": "1",
                    }
                ]
            },
            "'occurrence' must be a whole number from 1",
        ),
        ({"spans": [{"sentence": "s10", "quote": 7, "device": "verb-bias"}]}, "'quote' must be"),
        ({"spans": [{"sentence": "s10", "quote": "", "device": "verb-bias"}]}, "'quote' must be"),
        ({"spans": [{"sentence": "s99", "quote": "x", "device": "loaded"}]}, "needs 'sentence'"),
        ({"document": 7}, "'document' is an article id"),
        ({"sentences": {"s01": "fact"}}, "'sentences' must map each sentence id"),
        ({"spans": {"s01": 1}}, "'spans' must be a list"),
    ],
)
def test_key_from_quotes_refuses_a_bad_entry_and_leaves_the_key_alone(
    tmp_path, capsys, changes, says
):
    source = tmp_path / "authoring.json"
    source.write_text(json.dumps(authoring(**changes)))
    out = tmp_path / "key.json"
    out.write_text("the reviewed key")
    assert main(["key-from-quotes", str(source), "--out", str(out)]) == 2
    assert says in capsys.readouterr().err
    assert out.read_text() == "the reviewed key"


def test_key_from_quotes_writes_nothing_when_the_key_has_problems(tmp_path, capsys):
    data = authoring()
    data["sentences"]["s01"]["kind"] = "fact"  # a headline must be structure
    data["sentences"]["s01"]["accept"] = ["fact"]  # and accept must not repeat the kind
    source = tmp_path / "authoring.json"
    source.write_text(json.dumps(data))
    out = tmp_path / "key.json"
    out.write_text("the reviewed key")
    assert main(["key-from-quotes", str(source), "--out", str(out)]) == 1
    printed = capsys.readouterr()
    assert "accept repeats the kind" in printed.out and "not written" in printed.err
    assert out.read_text() == "the reviewed key"


def test_key_from_quotes_onto_a_folder_says_so(tmp_path, capsys):
    source = tmp_path / "authoring.json"
    source.write_text(json.dumps(authoring()))
    assert main(["key-from-quotes", str(source), "--out", str(tmp_path)]) == 2
    assert "cannot write" in capsys.readouterr().err


@pytest.fixture
def student_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    (tmp_path / "answers").mkdir()
    return tmp_path


def test_check_answers_tells_a_folder_from_a_missing_file(student_folder, capsys):
    check_answers(EX, DOC)
    assert "does not exist" in capsys.readouterr().out
    (student_folder / "answers" / f"{EX}.json").mkdir()
    check_answers(EX, DOC)
    assert "is a folder, not an answers file" in capsys.readouterr().out


def test_grade_cell_and_check_answers_say_a_latin1_file_is_not_utf8(student_folder, capsys):
    answers = {
        "taxonomy": "framelab-1",
        "document": DOC,
        "annotator": "Zoë",
        "sentences": [],
        "spans": [],
    }
    (student_folder / "answers" / f"{EX}.json").write_bytes(
        json.dumps(answers, ensure_ascii=False).encode("latin-1")
    )
    assert grade_cell(EX, DOC, part="kinds", points=5) == 0.0
    assert "is not UTF-8 text" in capsys.readouterr().out
    check_answers(EX, DOC)
    assert "is not UTF-8 text" in capsys.readouterr().out


def test_grade_cell_says_the_grader_will_not_follow_a_link(student_folder, capsys):
    os.symlink(DATASETS / "keys" / f"{DOC}.json", student_folder / "answers" / f"{EX}.json")
    assert grade_cell(EX, DOC, part="kinds", points=5) == 0.0
    assert "is a link (to" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"taxonomy": ' + b"9" * 5000 + b"}", "could not be read"),
    ],
)
def test_grade_cell_survives_a_deep_or_huge_number_file(student_folder, capsys, content, says):
    (student_folder / "answers" / f"{EX}.json").write_bytes(content)
    assert grade_cell(EX, DOC, part="devices", points=5) == 0.0
    assert says in capsys.readouterr().out
    check_answers(EX, DOC)
    assert "cannot be read" in capsys.readouterr().out
