"""The two checks through the real nbgrader pipeline: release, simulated students on the
passage each one's id gives, autograde, feedback. Each check's grade cells score the
answers on the passage the file names; nothing of the passages' keys reaches the release
or the feedback; the class report reads the same points."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from framelab.instructor.checkreport import load_progress
from framelab.instructor.course import release
from framelab.instructor.model_answers import full_marks
from framelab.teach.checks import ASSIGNMENTS, PASSAGES, check_passage
from framelab.texts.corpus import load_key

from .conftest import ROOT
from .pipeline import autograde_with_feedback, grades, hand_in

pytestmark = pytest.mark.slow
TAMPER = """import framelab.grading.cells
framelab.grading.cells.grade_cell = lambda *args, **kwargs: 100.0
from framelab.texts.corpus import datasets_dir
for found in (datasets_dir() / "keys").glob("check-*.json"):
    print(found.read_text())"""
STUDENTS = ("perfect", "untouched", "partly", "malformed", "tamperer", "foreign")


def partly(passage: str) -> str:
    """The key's kind for the first half of the scored units, none for the rest, and the
    key's first phrase."""
    key = load_key(passage)
    scored = [label for label in key.labels if label.scored]
    first = key.spans[0]
    return json.dumps(
        {
            "taxonomy": "framelab-1",
            "document": passage,
            "sentences": [{"id": s.id, "kind": s.kind} for s in scored[: len(scored) // 2]],
            "spans": [{"start": first.start, "end": first.end, "device": first.device}],
        }
    )


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", root)
    for assignment in ASSIGNMENTS.values():
        shutil.copytree(ROOT / "solutions" / assignment, root / "solutions" / assignment)
    release(root, list(ASSIGNMENTS.values()))
    for when, assignment in ASSIGNMENTS.items():
        released = nbformat.read(root / "exercises" / assignment / f"{assignment}.ipynb", 4)
        tampered = nbformat.reads(nbformat.writes(released), as_version=4)
        free = next(
            c for c in tampered.cells if c.cell_type == "code" and "nbgrader" not in c.metadata
        )
        free.source = TAMPER
        for student in STUDENTS:
            passage = check_passage(student, when)
            content = {
                "perfect": json.dumps(full_marks(passage).to_dict()),
                "untouched": None,
                "partly": partly(passage),
                "malformed": '{"taxonomy": "framelab-1", "sent',
                "tamperer": partly(passage),
                "foreign": json.dumps(full_marks("transfer-heatwave-spain").to_dict()),
            }[student]
            notebook = tampered if student == "tamperer" else released
            hand_in(root, assignment, student, notebook, content)
        autograde_with_feedback(root, assignment)
    return root


@pytest.mark.parametrize("assignment", ASSIGNMENTS.values())
def test_each_student_gets_what_their_answers_earn_on_their_own_passage(course, assignment):
    assert grades(course, assignment, "perfect") == {"score_kinds": 5.0, "score_devices": 5.0}
    for student in ("untouched", "malformed", "foreign"):
        assert set(grades(course, assignment, student).values()) == {0.0}, student
    got = grades(course, assignment, "partly")
    assert 0 < got["score_kinds"] < 5 and 0 < got["score_devices"] < 5
    assert grades(course, assignment, "tamperer") == got


@pytest.mark.parametrize("assignment", ASSIGNMENTS.values())
def test_feedback_explains_and_no_key_reaches_release_or_feedback(course, assignment):
    secrets = []
    for passage in PASSAGES:
        key = load_key(passage)
        secrets += [label.why[:40] for label in key.labels if len(label.why) >= 20]
        secrets += [span.why[:40] for span in key.spans]
        secrets += [span.neutral for span in key.spans if span.neutral]
    released = (ROOT / "exercises" / assignment / f"{assignment}.ipynb").read_text()
    assert "grade_cell(" not in released and "HIDDEN TESTS" not in released
    for folder in (course / "feedback", course / "autograded", ROOT / "exercises" / assignment):
        for path in folder.rglob("*"):
            if path.is_file() and assignment in path.parts:
                content = path.read_text(errors="replace")
                leaked = [s for s in secrets if s in content]
                assert not leaked, (path, leaked[:3])
    (page,) = (course / "feedback" / "partly" / assignment).glob("*.html")
    assert "Points:" in page.read_text()
    (page,) = (course / "feedback" / "foreign" / assignment).glob("*.html")
    assert "transfer-heatwave-spain" in page.read_text()  # says whose answers they are


def test_the_check_report_reads_the_points_autograde_gave(course):
    progress = load_progress(course)
    by_id = {s.id: s for s in progress.students}
    for when, assignment in ASSIGNMENTS.items():
        for student in ("perfect", "partly", "tamperer"):
            total = sum(v or 0 for v in grades(course, assignment, student).values())
            assert by_id[student].scores[when].points == pytest.approx(total, abs=0.02)
        assert by_id["malformed"].status[when] == "malformed"
        assert by_id["foreign"].status[when] == "malformed"
        assert by_id["untouched"].status[when] == "untouched"
    assert by_id["perfect"].change == 0 and by_id["perfect"].paired
