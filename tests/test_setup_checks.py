"""A wrong grading setup fails loudly, naming the setting to fix, and grades nobody."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from traitlets.config import Config

from framelab.grading.autograde import GRADER, HOOK, check_setup, screen_submission
from framelab.grading.cells import grade_cell
from framelab.instructor.course import nbgrader, release
from framelab.texts.model import FramelabError

from .conftest import ROOT

EX = "01-fact-or-frame"
SAFE = [GRADER, "nbgrader.preprocessors.SaveAutoGrades"]


def config(preprocessors, hook=HOOK) -> Config:
    c = Config()
    if preprocessors is not None:
        c.Autograde.autograde_preprocessors = preprocessors
    if hook is not None:
        c.Autograde.pre_convert_hook = hook
    return c


def test_the_courses_own_setup_passes():
    c = Config()
    loaded = {"c": c, "get_config": lambda: c, "__file__": str(ROOT / "nbgrader_config.py")}
    exec(compile((ROOT / "nbgrader_config.py").read_text(), "nbgrader_config.py", "exec"), loaded)
    check_setup(c)


@pytest.mark.parametrize(
    ("setup", "says"),
    [
        (config(None), "c.Autograde.autograde_preprocessors must start with"),
        (
            config(["nbgrader.preprocessors.Execute", *SAFE]),
            "c.Autograde.autograde_preprocessors must start with",
        ),
        (
            config([*SAFE, "nbgrader.preprocessors.Execute"]),
            "holds nbgrader's Execute",
        ),
        (config(SAFE, hook=None), "c.Autograde.pre_convert_hook must be"),
        (config(SAFE, hook=lambda **kw: None), "c.Autograde.pre_convert_hook must be"),
    ],
)
def test_a_wrong_setup_is_refused_naming_the_setting(setup, says):
    with pytest.raises(FramelabError, match=says) as raised:
        check_setup(setup)
    assert "nbgrader_config.py" in str(raised.value)


def test_the_real_objects_count_as_well_as_their_names():
    from framelab.grading.autograde import GradeSubmission

    check_setup(config([GradeSubmission], hook=screen_submission))


def test_a_grade_cell_run_by_nbgrader_in_a_kernel_refuses_to_score(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(FramelabError, match="autograde_preprocessors must start with"):
        grade_cell(EX, "transfer-heatwave-spain", part="kinds", points=5)


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    "override",
    [
        # nbgrader's own list: Execute would run the student's code as the grader
        "c.Autograde.autograde_preprocessors = ["
        "'nbgrader.preprocessors.Execute', 'nbgrader.preprocessors.SaveAutoGrades']",
        "c.Autograde.pre_convert_hook = None",
    ],
)
def test_autograde_with_a_wrong_setup_stops_and_touches_no_submission(tmp_path, override):
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions", course / "solutions")
    release(course)
    folder = course / "submitted" / "ana" / EX
    shutil.copytree(course / "exercises" / EX, folder)
    (folder / "answers").mkdir()
    (folder / "answers" / f"{EX}.json").write_text(
        '{"taxonomy": "framelab-1", "document": "transfer-heatwave-spain", '
        '"sentences": [{"id": "s01", "kind": "structure"}], "spans": []}'
    )
    before = digest(folder)
    with open(course / "nbgrader_config.py", "a") as stream:
        stream.write(f"\n{override}\n")
    result = nbgrader("autograde", EX, "--create", cwd=course)
    assert result.returncode != 0
    said = result.stdout + result.stderr
    assert "nbgrader_config.py" in said and "no submission was graded" in said
    assert digest(folder) == before
    autograded = course / "autograded" / "ana" / EX
    assert not autograded.exists() or not any(autograded.iterdir())
