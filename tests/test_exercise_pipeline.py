"""Exercise 01 through the real nbgrader pipeline: release, simulated students,
autograde, feedback, export. Slow (about a minute): it runs nbgrader for real."""

from __future__ import annotations

import csv
import json
import shutil
import time
from pathlib import Path

import nbformat
import pytest

from framelab.course import nbgrader, release, release_differences
from framelab.model import Annotation

from .conftest import DATASETS, ROOT

EX = "01-fact-or-frame"
DOC = "transfer-heatwave-spain"
KEY = Annotation.load(DATASETS / "keys" / f"{DOC}.json", kind="key")
TEXT = (DATASETS / "articles" / DOC / "article.txt").read_text()

pytestmark = pytest.mark.slow


def answers(kinds: dict[str, str], spans: list[tuple[str, str]]) -> str:
    """An answers file as the tagger writes it; spans by their exact words."""
    return json.dumps(
        {
            "taxonomy": "framelab-1",
            "document": DOC,
            "sentences": [{"id": i, "kind": k} for i, k in kinds.items()],
            "spans": [
                {
                    "start": TEXT.index(words),
                    "end": TEXT.index(words) + len(words),
                    "device": device,
                }
                for words, device in spans
            ],
        }
    )


PERFECT = answers(KEY.kinds, [(TEXT[s.start : s.end], s.device) for s in KEY.spans])
# The partly right student (its figures are worked out in the fixture's notes).
PARTLY_ANSWERS = json.loads(
    (ROOT / "tests/fixtures/students/01-fact-or-frame-partly.json").read_text()
)
PARTLY = answers(PARTLY_ANSWERS["kinds"], [(w, d) for _, w, d in PARTLY_ANSWERS["spans"]])
TAMPER = """import framelab.grading, framelab.scoring
framelab.grading.grade_cell = lambda *args, **kwargs: 5.0
framelab.scoring.points = lambda *args, **kwargs: 5.0
from framelab.corpus import datasets_dir
key = datasets_dir() / "keys" / "transfer-heatwave-spain.json"
open("answers/01-fact-or-frame.json", "w").write(open(key).read())
open("stolen-key.json", "w").write(open(key).read())
print(open(key).read())
def grade_cell(*args, **kwargs):
    return 5.0"""
WRITTEN = "s09 was hardest: I chose opinion, but considered fact."


def edit(notebook, *, typed=None, written=WRITTEN, drop=None, retest=None):
    nb = nbformat.reads(nbformat.writes(notebook), as_version=4)
    by_id = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    if typed is not None:  # the one free code cell, for typed answers
        next(
            c for c in nb.cells if c.cell_type == "code" and "nbgrader" not in c.metadata
        ).source = typed
    if written is not None:
        by_id["written_answer"].source = written
    if retest is not None:
        by_id["score_kinds"].source = retest
    if drop is not None:
        nb.cells.remove(by_id[drop])
    return nb


# student: (notebook edits, answers file or None, kinds points, devices points, feedback says)
STUDENTS = {
    "perfect": ({}, PERFECT, 5.0, 5.0, "Sentence kinds: 13 of 13 right"),
    "untouched": ({"written": None}, None, 0.0, 0.0, "No answers were found"),
    "partly": ({}, PARTLY, 3.08, 3.33, "Sentence kinds: 8 of 13 right"),
    "malformed": ({}, '{"taxonomy": "framelab-1", "sent', 0.0, 0.0, "could not be read"),
    "no-answers-file": ({}, None, 0.0, 0.0, "No answers were found"),
    "deleted-cell": ({"drop": "score_kinds"}, PERFECT, 5.0, 5.0, "Sentence kinds: 13 of 13"),
    "edited-test": ({"retest": "print('full marks')\n5"}, None, 0.0, 0.0, "No answers were found"),
    "tamperer": ({"typed": TAMPER}, PARTLY, 3.08, 3.33, "Sentence kinds: 8 of 13 right"),
    "never-ends": ({"typed": "while True:\n    pass"}, PARTLY, 3.08, 3.33, "8 of 13 right"),
}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "solutions", root / "solutions")
    release(root)
    released = nbformat.read(root / "exercises" / EX / f"{EX}.ipynb", as_version=4)
    for student, (edits, answers_text, *_) in STUDENTS.items():
        folder = root / "submitted" / student / EX
        folder.mkdir(parents=True)
        nbformat.write(edit(released, **edits), folder / f"{EX}.ipynb")
        if answers_text is not None:
            (folder / "answers").mkdir()
            (folder / "answers" / f"{EX}.json").write_text(answers_text)
    started = time.monotonic()
    graded = nbgrader("autograde", EX, "--create", cwd=root)
    seconds = time.monotonic() - started
    assert graded.returncode == 0, graded.stderr[-3000:]
    feedback = nbgrader("generate_feedback", EX, cwd=root)
    assert feedback.returncode == 0, feedback.stderr[-3000:]
    exported = nbgrader("export", f'--assignment=["{EX}"]', cwd=root)
    assert exported.returncode == 0, exported.stderr[-3000:]
    print(f"\nautograde of {len(STUDENTS)} submissions in one process: {seconds:.1f} s")
    return root


def auto_scores(root: Path, student: str) -> tuple[float, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return tuple(
            gb.find_grade(cell, EX, EX, student).auto_score
            for cell in ("score_kinds", "score_devices")
        )


@pytest.mark.parametrize("student", list(STUDENTS))
def test_each_student_gets_the_expected_points(course, student):
    _, _, kinds, devices, _ = STUDENTS[student]
    assert auto_scores(course, student) == (pytest.approx(kinds), pytest.approx(devices))


@pytest.mark.parametrize("student", list(STUDENTS))
def test_feedback_explains_and_never_shows_the_key(course, student):
    (page,) = (course / "feedback" / student / EX).glob("*.html")
    content = page.read_text()
    assert STUDENTS[student][4] in content
    for why in [label.why for label in KEY.labels] + [span.why for span in KEY.spans]:
        assert why[:40] not in content, why
    assert not list((course / "feedback" / student / EX).rglob("*.json")) or all(
        "why" not in p.read_text() for p in (course / "feedback" / student / EX).rglob("*.json")
    )


def test_no_key_file_is_copied_next_to_a_submission(course):
    for folder in ("autograded", "feedback"):
        for path in (course / folder).rglob("*.json"):
            assert '"why"' not in path.read_text(), path


def test_export_gives_every_student_a_row_with_their_total(course):
    with open(course / "grades.csv", newline="") as stream:
        rows = {row["student_id"]: row for row in csv.DictReader(stream)}
    assert set(rows) == set(STUDENTS)
    for student, (_, _, kinds, devices, _) in STUDENTS.items():
        assert float(rows[student]["raw_score"]) == pytest.approx(kinds + devices)
        assert float(rows[student]["max_score"]) == 12


def test_the_release_holds_no_key_and_no_hidden_test():
    notebook = (ROOT / "exercises" / EX / f"{EX}.ipynb").read_text()
    assert "grade_cell(" not in notebook and "HIDDEN TESTS" not in notebook
    for why in [label.why for label in KEY.labels] + [span.why for span in KEY.spans]:
        assert why[:40] not in notebook
    assert sorted(p.name for p in (ROOT / "exercises" / EX).rglob("*")) == [f"{EX}.ipynb"]


def test_committed_exercises_are_what_the_solutions_generate():
    assert release_differences(ROOT) == []


def test_grading_reads_the_key_again_when_it_changes(tmp_path):
    from framelab.grading import grade

    root = tmp_path / "datasets"
    shutil.copytree(DATASETS, root)
    perfect = dict(exercise=EX, document=DOC, part="kinds", max_points=5, root=root)
    assert grade(PERFECT, **perfect).points == 5.0
    changed = json.loads((root / "keys" / f"{DOC}.json").read_text())
    for sentence in changed["sentences"]:
        sentence["kind"], sentence["accept"] = "structure", []
    time.sleep(0.01)  # a new modification time
    (root / "keys" / f"{DOC}.json").write_text(json.dumps(changed))
    assert grade(PERFECT, **perfect).points == pytest.approx(5 * 3 / 13, abs=0.01)
