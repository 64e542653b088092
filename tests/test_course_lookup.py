"""`framelab` commands work on the course folder they are run in: the nearest folder
above the current one (itself included) holding nbgrader_config.py or datasets/,
then $FRAMELAB_DATASETS, then the installed copy; --verbose says which. Notebooks keep
$FRAMELAB_DATASETS, then the installed copy: a stray datasets/ folder never counts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from framelab.cli import main
from framelab.texts.corpus import datasets_dir, find_course

from .conftest import DATASETS, ROOT, SEED

INSTALLED = (ROOT / "datasets").resolve()


def framelab(*args: str, cwd: Path, env: dict[str, str] | None = None):
    """Run the real command in ``cwd``, with $FRAMELAB_DATASETS unset unless given."""
    environment = {k: v for k, v in os.environ.items() if k != "FRAMELAB_DATASETS"}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "framelab.cli", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture
def second_checkout(tmp_path) -> Path:
    """datasets/ and nbgrader_config.py copied, with one key broken in the copy."""
    copy = tmp_path / "second"
    copy.mkdir()
    shutil.copytree(DATASETS, copy / "datasets")
    shutil.copy(ROOT / "nbgrader_config.py", copy)
    key = copy / "datasets" / "keys" / f"{SEED}.json"
    data = json.loads(key.read_text())
    data["sentences"][1]["kind"] = "gossip"
    key.write_text(json.dumps(data))
    return copy


@pytest.fixture
def nowhere(tmp_path) -> Path:
    """A folder with no course above it."""
    folder = tmp_path / "nowhere"
    folder.mkdir()
    above = [p for p in (folder, *folder.parents) if (p / "datasets").is_dir()]
    above += [p for p in (folder, *folder.parents) if (p / "nbgrader_config.py").is_file()]
    if above:
        pytest.skip(f"{above[0]} holds a course, so no folder under it is without one")
    return folder


def test_validate_in_a_second_checkout_checks_that_checkout(second_checkout):
    result = framelab("validate", cwd=second_checkout)
    broken = second_checkout / "datasets" / "keys" / f"{SEED}.json"
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{broken}: sentences[1].kind: 'gossip' is not one of" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_subfolder_of_the_checkout_finds_it_too(second_checkout):
    inside = second_checkout / "datasets" / "articles" / SEED
    result = framelab("validate", cwd=inside)
    assert result.returncode == 1
    assert str(second_checkout / "datasets" / "keys") in result.stdout


def test_verbose_names_the_datasets_folder_it_used(second_checkout):
    for args in (["--verbose", "validate"], ["validate", "--verbose"], ["validate", "-v"]):
        result = framelab(*args, cwd=second_checkout)
        assert f"using the datasets in {second_checkout / 'datasets'}: " in result.stderr
        assert f"{second_checkout} is the nearest folder" in result.stderr


def test_the_folder_you_stand_in_wins_over_the_variable(second_checkout):
    result = framelab(
        "validate", "--verbose", cwd=second_checkout, env={"FRAMELAB_DATASETS": str(DATASETS)}
    )
    assert result.returncode == 1
    assert f"using the datasets in {second_checkout / 'datasets'}" in result.stderr


def test_with_no_course_around_it_falls_back_and_says_so(nowhere):
    installed = framelab("--verbose", "units", SEED, cwd=nowhere)
    assert installed.returncode == 0, installed.stderr
    assert f"using the datasets in {INSTALLED} (the copy framelab was installed from)" in (
        installed.stderr
    )
    assert f"no folder from {nowhere.resolve()} up holds nbgrader_config.py or datasets/" in (
        installed.stderr
    )
    configured = framelab(
        "--verbose", "units", SEED, cwd=nowhere, env={"FRAMELAB_DATASETS": str(DATASETS)}
    )
    assert configured.returncode == 0, configured.stderr
    assert f"using the datasets in {DATASETS} (from $FRAMELAB_DATASETS)" in configured.stderr


def test_a_course_without_datasets_uses_the_variable(tmp_path, capsys, monkeypatch):
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    monkeypatch.chdir(course)
    monkeypatch.setenv("FRAMELAB_DATASETS", str(DATASETS))
    assert main(["--verbose", "units", SEED]) == 0
    err = capsys.readouterr().err
    assert f"using the datasets in {DATASETS} (from $FRAMELAB_DATASETS)" in err
    assert f"the course folder {course.resolve()} has no datasets/ folder" in err


def test_course_wins_over_the_folder_you_stand_in(second_checkout, tmp_path, capsys, monkeypatch):
    other = tmp_path / "other"
    (other / "datasets").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", other)
    monkeypatch.chdir(second_checkout)
    assert main(["release", "--course", str(other), "--verbose"]) == 2
    err = capsys.readouterr().err
    assert f"using the datasets in {other.resolve() / 'datasets'}" in err
    assert f"no exercises in {other.resolve() / 'solutions'}" in err


def test_course_defaults_to_the_course_found(second_checkout, capsys, monkeypatch):
    (second_checkout / "solutions").mkdir()
    monkeypatch.chdir(second_checkout / "datasets")
    assert main(["release"]) == 2
    assert f"no exercises in {second_checkout.resolve() / 'solutions'}" in capsys.readouterr().err


def test_the_command_leaves_the_variable_as_it_was(second_checkout, monkeypatch):
    monkeypatch.chdir(second_checkout)
    monkeypatch.delenv("FRAMELAB_DATASETS", raising=False)
    assert main(["units", SEED]) == 0
    assert "FRAMELAB_DATASETS" not in os.environ
    monkeypatch.setenv("FRAMELAB_DATASETS", str(DATASETS))
    assert main(["units", SEED]) == 0
    assert os.environ["FRAMELAB_DATASETS"] == str(DATASETS)


def test_a_notebook_never_picks_up_a_stray_datasets_folder(tmp_path, monkeypatch):
    exercise = tmp_path / "01-fact-or-frame"
    (exercise / "datasets" / "articles").mkdir(parents=True)  # a student made it
    monkeypatch.chdir(exercise)
    monkeypatch.delenv("FRAMELAB_DATASETS", raising=False)
    assert datasets_dir() == INSTALLED
    monkeypatch.setenv("FRAMELAB_DATASETS", str(DATASETS))
    assert datasets_dir() == DATASETS
    assert find_course(exercise).datasets == exercise.resolve() / "datasets"  # the command would
