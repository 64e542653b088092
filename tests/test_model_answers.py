"""framelab model-answers: what a full-mark student hands in, for every exercise."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from framelab.grading.cells import grade
from framelab.instructor.classreport import grade_calls
from framelab.instructor.course import exercise_ids
from framelab.instructor.model_answers import full_marks, write_model_answers
from framelab.texts.corpus import load_key

from .conftest import ROOT

EXERCISES = exercise_ids(ROOT)


@pytest.mark.parametrize("exercise", EXERCISES)
def test_the_model_answers_earn_every_automatic_point(tmp_path, exercise):
    made = write_model_answers(ROOT, exercise, tmp_path)
    assert made.folder == tmp_path / exercise
    assert sorted(p.name for p in made.notebooks) == sorted(
        p.name for p in (ROOT / "exercises" / exercise).glob("*.ipynb")
    )
    (answers,) = made.answers
    text = answers.read_text()
    calls = grade_calls(ROOT, exercise)
    assert calls
    for call in calls:
        result = grade(
            text,
            exercise=exercise,
            document=call["document"],
            part=call["part"],
            max_points=call["points"],
            item=call.get("item"),
            devices=call.get("devices"),
        )
        assert result.points == call["points"], result.lines


def test_the_model_answers_are_the_keys_answers_without_its_reasons():
    key = load_key("transfer-heatwave-spain")
    model = full_marks("transfer-heatwave-spain")
    assert model.kinds == {label.id: label.kind for label in key.labels}
    assert [(s.start, s.end, s.device) for s in model.spans] == [
        (s.start, s.end, s.device) for s in key.spans
    ]
    said = json.dumps(model.to_dict())
    assert all(label.why not in said for label in key.labels if label.why)


def test_the_command_refuses_to_overwrite_and_names_a_wrong_id(tmp_path):
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "framelab.cli", "model-answers", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )

    first = run("01-fact-or-frame", "--out", str(tmp_path))
    assert first.returncode == 0, first.stderr
    assert "keep it from students" in first.stdout
    again = run("01-fact-or-frame", "--out", str(tmp_path))
    assert again.returncode == 2 and "add --force" in again.stderr
    assert "Traceback" not in again.stderr
    assert run("01-fact-or-frame", "--out", str(tmp_path), "--force").returncode == 0
    wrong = run("99-nope", "--out", str(tmp_path))
    assert wrong.returncode == 2 and "'99-nope' is not an exercise" in wrong.stderr
