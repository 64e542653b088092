"""framelab mark: written answers marked in a terminal, saved in the gradebook as Formgrader
saves them, so generate_feedback and the class report count them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from framelab.cli import main
from framelab.instructor.course import nbgrader
from framelab.instructor.marking import mark_written_answers, written_answers
from framelab.texts.model import FramelabError

from .conftest import ROOT

EX = "01-fact-or-frame"
pytestmark = pytest.mark.slow
ANA = "s07 was hardest: I chose opinion, then attributed, and question 2 decided it."


@pytest.fixture
def course(tmp_path):
    """A course with three autograded submissions: ana wrote an answer, bo left the cell
    as released, and cy's autograded notebook has gone missing."""
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    shutil.copytree(ROOT / "solutions", tmp_path / "solutions")
    assert main(["release", EX, "--course", str(tmp_path)]) == 0
    released = tmp_path / "exercises" / EX / f"{EX}.ipynb"
    for student in ("ana", "bo", "cy"):
        folder = tmp_path / "submitted" / student / EX
        folder.mkdir(parents=True)
        notebook = nbformat.read(released, as_version=4)
        if student == "ana":
            (cell,) = [c for c in notebook.cells if _grade_id(c) == "written_answer"]
            cell.source = ANA
        nbformat.write(notebook, folder / released.name)
    graded = nbgrader("autograde", EX, "--create", cwd=tmp_path)
    assert graded.returncode == 0, graded.stderr[-2000:]
    (tmp_path / "autograded" / "cy" / EX / released.name).unlink()
    return tmp_path


def _grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _typing(*lines: str):
    """Answers typed at the prompt, in order; past the last, Ctrl+D."""
    typed = list(lines)

    def ask(prompt: str) -> str:
        if not typed:
            raise EOFError
        return typed.pop(0)

    return ask


def _manual(course: Path, student: str) -> float | None:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return gradebook.find_grade("written_answer", EX, EX, student).manual_score


def test_each_answer_is_shown_and_its_mark_saved_as_formgrader_saves_it(course):
    answers = written_answers(course, EX)
    assert [(a.student, a.cell, a.max_score) for a in answers] == [
        ("ana", "written_answer", 2.0),
        ("bo", "written_answer", 2.0),
        ("cy", "written_answer", 2.0),
    ]
    assert ANA in answers[0].text and answers[2].text is None
    shown: list[str] = []
    done = mark_written_answers(course, EX, ask=_typing("2", "0", "s"), say=shown.append)
    assert (done.marked, done.skipped, done.left) == (2, 1, 1)
    assert (_manual(course, "ana"), _manual(course, "bo"), _manual(course, "cy")) == (2, 0, None)
    text = "\n".join(shown)
    assert f"  | {ANA}" in text and "YOUR ANSWER HERE" in text and "no autograded notebook" in text
    # the feedback counts the mark: ana's written answer shows 2 of 2
    feedback = nbgrader("generate_feedback", EX, "--student", "ana", cwd=course)
    assert feedback.returncode == 0, feedback.stderr[-2000:]
    page = (course / "feedback" / "ana" / EX / f"{EX}.html").read_text()
    assert "(Score: 2.0 / 10.0)" in page  # no answers file: kinds 0 of 8, written 2 of 2
    assert "(Score: 2.0 / 2.0)" in page


def test_a_second_run_goes_on_where_the_first_stopped(course):
    first = mark_written_answers(course, EX, ask=_typing("1.5", "q"), say=lambda _: None)
    assert (first.marked, first.left) == (1, 2)
    shown: list[str] = []
    second = mark_written_answers(course, EX, ask=_typing("1"), say=shown.append)
    assert second.marked == 1 and _manual(course, "bo") == 1.0
    assert not any("ana," in line for line in shown)  # already marked: not asked again
    again = mark_written_answers(
        course, EX, ask=_typing("2"), say=lambda _: None, again=True, student="ana"
    )
    assert again.marked == 1 and _manual(course, "ana") == 2.0


def test_points_it_cannot_use_are_asked_again_with_the_reason(course):
    shown: list[str] = []
    done = mark_written_answers(
        course, EX, ask=_typing("three", "5", "-1", "1,5"), say=shown.append, student="ana"
    )
    assert done.marked == 1 and _manual(course, "ana") == 1.5
    assert any("'three' is not a number" in line for line in shown)
    assert any("5 is outside 0 to 2" in line for line in shown)
    assert any("-1 is outside 0 to 2" in line for line in shown)


def test_bad_input_is_one_clear_line(course, tmp_path, capsys):
    assert main(["mark", "09-nothing", "--course", str(course)]) == 2
    assert "no exercise 09-nothing" in capsys.readouterr().err
    assert main(["mark", EX, "--course", str(course), "--student", "zed"]) == 2
    assert "zed has no submission" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "nbgrader_config.py").write_text("")
    assert main(["mark", EX, "--course", str(empty)]) == 2
    assert "no gradebook yet" in capsys.readouterr().err
    (course / "gradebook.db").unlink()
    (course / "gradebook.db").write_text(json.dumps({"not": "a gradebook"}))
    assert main(["mark", EX, "--course", str(course)]) == 2
    assert "not an nbgrader gradebook" in capsys.readouterr().err
    with pytest.raises(FramelabError):
        written_answers(course, EX)


def test_a_rewrites_automatic_points_are_shown_kept_or_changed(tmp_path):
    """On the shared server Formgrader is off: the rubric's corrections of a rewrite's
    automatic points are made here. Enter keeps them (a person has looked); a number
    replaces them, and the gradebook's score follows."""
    from nbgrader.api import Gradebook

    from framelab.instructor.model_answers import full_mark_items

    ex = "02-loaded-words"
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    shutil.copytree(ROOT / "solutions", tmp_path / "solutions")
    assert main(["release", ex, "--course", str(tmp_path)]) == 0
    released = tmp_path / "exercises" / ex / f"{ex}.ipynb"
    rewrite = full_mark_items(ex)["rewrite"]
    for student, value in (("ana", rewrite), ("bo", "Under the plan 120 households will go.")):
        folder = tmp_path / "submitted" / student / ex
        (folder / "answers").mkdir(parents=True)
        shutil.copy(released, folder)
        data = {"taxonomy": "framelab-1", "document": "transfer-housing-estate-netherlands"}
        data |= {"sentences": [], "spans": [], "items": {"rewrite": value}}
        (folder / "answers" / f"{ex}.json").write_text(json.dumps(data))
    graded = nbgrader("autograde", ex, "--create", cwd=tmp_path)
    assert graded.returncode == 0, graded.stderr[-2000:]
    found = [a for a in written_answers(tmp_path, ex) if a.kind == "rewrite"]
    assert [(a.student, a.cell, a.auto_score) for a in found] == [
        ("ana", "score_rewrite", 2.0),
        ("bo", "score_rewrite", pytest.approx(found[1].auto_score)),
    ]
    assert rewrite in found[0].text and "Points: 2 of 2" in found[0].text
    shown: list[str] = []
    # in order: ana's rewrite kept (Enter), her written answer skipped; bo's rewrite set to
    # 0, his written answer skipped
    done = mark_written_answers(tmp_path, ex, ask=_typing("", "s", "0", "s"), say=shown.append)
    assert (done.marked, done.skipped) == (2, 2)
    assert any("automatic 2" in line for line in shown)
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gradebook:
        ana = gradebook.find_grade("score_rewrite", ex, ex, "ana")
        bo = gradebook.find_grade("score_rewrite", ex, ex, "bo")
        assert (ana.manual_score, ana.score) == (2.0, 2.0)
        assert (bo.manual_score, bo.score) == (0.0, 0.0)
