"""Exercises 02 onwards (tags, the lesson's devices, short questions and a written
answer) through the real nbgrader pipeline: release, simulated students, autograde,
feedback, export. Slow: it runs nbgrader for real, once for every exercise.

Exercise 01, with the attacks a student can make on the grader from their own
submission, is tests/test_exercise_pipeline.py; the grader is the same, so this module
keeps to what the new exercises add: every grade cell of each kind (kinds, devices
limited to the lesson's, one cell per question) scores a perfect student fully, an
untouched one 0, a partly right one in between, a malformed file 0 with a clear line,
and a student whose code cell tampers with the grader or the answers no more than
their answers earn. Feedback and release carry no key."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from framelab.grading.cells import grade_call
from framelab.instructor.course import exercise_ids, release
from framelab.instructor.model_answers import full_mark_items, full_marks
from framelab.teach.checks import is_check
from framelab.texts.corpus import load_key
from framelab.texts.items import load_item_key, load_sheet
from framelab.texts.model import Annotation
from framelab.texts.taxonomy import DEVICES

from .conftest import ROOT
from .pipeline import autograde_with_feedback, grades, hand_in

pytestmark = pytest.mark.slow
# exercise 01 has its own module; the two checks too (tests/test_checks_pipeline.py)
EXERCISES = [e for e in exercise_ids(ROOT) if not e.startswith("01-") and not is_check(e)]
TAMPER = """import framelab.grading.cells
framelab.grading.cells.grade_cell = lambda *args, **kwargs: 100.0
from framelab.texts.corpus import datasets_dir
import pathlib, json
path = pathlib.Path("answers") / (pathlib.Path.cwd().name + ".json")
keys = datasets_dir() / "keys" / "items"
for found in keys.glob("*.json"):
    print(found.read_text())"""


def calls(exercise: str) -> dict[str, dict]:
    """The exercise's grade cells by grade id, with their literal arguments."""
    notebook = nbformat.read(ROOT / "solutions" / exercise / f"{exercise}.ipynb", as_version=4)
    found = {}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        call = grade_call(cell.source) if cell.cell_type == "code" else None
        if meta.get("grade") and call is not None:
            found[meta["grade_id"]] = {**call, "points": meta["points"]}
    return found


def partly(exercise: str) -> tuple[str, dict[str, float | None]]:
    """A student with half the key: the key's kind for the first half of the scored
    units and "structure"-for-everything wrong after; the first half of the key's marks
    of the graded devices; the first question right and the others left unanswered.
    Returns the answers file and, by grade id, the points it must earn exactly (None
    where only "more than 0, less than full" can be said without re-doing the scorer)."""
    cells = calls(exercise)
    document = next(iter(cells.values()))["document"]
    key = load_key(document)
    scored = [label for label in key.labels if label.scored]
    half = len(scored) // 2
    labels = [(label.id, label.kind) for label in scored[:half]]
    wrong = [
        (label.id, next(k for k in ("fact", "opinion", "structure") if not label.accepts(k)))
        for label in scored[half:]
    ]
    graded = next((c for c in cells.values() if c["part"] == "devices"), None)
    # the devices its cell names; all six when it names none (exercise 08)
    devices = [] if graded is None else (graded.get("devices") or list(DEVICES))
    marks = [s for s in key.spans if s.device in devices]
    spans = marks[: max(1, len(marks) // 2)]
    sheet = load_sheet(exercise)
    first = sheet.items[0].id
    items = {first: full_mark_items(exercise)[first]}
    content = json.dumps(
        {
            "taxonomy": "framelab-1",
            "document": document,
            "sentences": [{"id": i, "kind": k} for i, k in labels + wrong],
            "spans": [{"start": s.start, "end": s.end, "device": s.device} for s in spans],
            "items": items,
        }
    )
    expected: dict[str, float | None] = {}
    for grade_id, call in cells.items():
        if call["part"] == "kinds":
            expected[grade_id] = round(call["points"] * half / len(scored), 2)
        elif call["part"] == "devices":
            expected[grade_id] = None
        else:
            expected[grade_id] = float(call["points"]) if call["item"] == first else 0.0
    return content, expected


def perfect(exercise: str) -> str:
    document = next(iter(calls(exercise).values()))["document"]
    annotation: Annotation = full_marks(document)
    data = annotation.to_dict()
    data["items"] = full_mark_items(exercise)
    return json.dumps(data)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    if not EXERCISES:
        pytest.skip("no exercise after 01 yet")
    root = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "solutions", root / "solutions")
    release(root, EXERCISES)
    for exercise in EXERCISES:
        released = nbformat.read(root / "exercises" / exercise / f"{exercise}.ipynb", 4)
        with_tamper = nbformat.reads(nbformat.writes(released), as_version=4)
        free = next(
            c for c in with_tamper.cells if c.cell_type == "code" and "nbgrader" not in c.metadata
        )
        free.source = TAMPER
        students = {
            "perfect": (released, perfect(exercise)),
            "untouched": (released, None),
            "partly": (released, partly(exercise)[0]),
            "malformed": (released, '{"taxonomy": "framelab-1", "sent'),
            "tamperer": (with_tamper, partly(exercise)[0]),
        }
        for student, (notebook, content) in students.items():
            hand_in(root, exercise, student, notebook, content)
        autograde_with_feedback(root, exercise)
    return root


@pytest.mark.parametrize("exercise", EXERCISES)
def test_every_exercise_grades_tags_its_lessons_devices_questions_and_a_written_answer(exercise):
    cells = calls(exercise)
    parts = [c["part"] for c in cells.values()]
    assert "kinds" in parts and parts.count("item") >= 3
    # lessons 02 to 04 teach devices, and their exercises grade them; 05 to 07 teach no new
    # device (selection, figures, verification), and theirs grade kinds and questions
    assert ("devices" in parts) == exercise.startswith(("02-", "03-", "04-", "08-"))
    assert {c["item"] for c in cells.values() if c["part"] == "item"} == {
        i.id for i in load_sheet(exercise).items
    }
    assert load_sheet(exercise).graded  # its key stays out of the students' copy
    notebook = nbformat.read(ROOT / "solutions" / exercise / f"{exercise}.ipynb", as_version=4)
    written = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert len(written) == 1 and written[0].cell_type == "markdown"
    assert (ROOT / "docs" / "rubrics" / f"{exercise}.md").is_file()


@pytest.mark.parametrize("exercise", EXERCISES)
def test_perfect_untouched_partly_malformed_and_tamperer_get_what_they_earn(course, exercise):
    cells = calls(exercise)
    # the written answer is for a person to mark (nbgrader scores an unchanged one 0)
    assert set(grades(course, exercise, "perfect")) == {*cells, "written_answer"}
    auto = {g: p for g, p in grades(course, exercise, "perfect").items() if g in cells}
    assert auto == {g: float(c["points"]) for g, c in cells.items()}
    for student in ("untouched", "malformed"):
        got = grades(course, exercise, student)
        assert {g: got[g] for g in cells} == {g: 0.0 for g in cells}, student
    _, expected = partly(exercise)
    for student in ("partly", "tamperer"):
        got = grades(course, exercise, student)
        for grade_id, points in expected.items():
            if points is None:
                assert 0 < got[grade_id] < cells[grade_id]["points"], (student, grade_id)
            else:
                assert got[grade_id] == pytest.approx(points, abs=0.01), (student, grade_id)
    assert grades(course, exercise, "tamperer") == grades(course, exercise, "partly")


@pytest.mark.parametrize("exercise", EXERCISES)
def test_feedback_explains_and_no_key_reaches_release_or_feedback(course, exercise):
    document = next(iter(calls(exercise).values()))["document"]
    key = load_key(document)
    item_key = load_item_key(exercise)
    secrets = [label.why[:40] for label in key.labels if len(label.why) >= 20]
    secrets += [span.why[:40] for span in key.spans]
    secrets += [a.why[:40] for a in item_key.answers.values()]
    secrets += [n[:40] for a in item_key.answers.values() for n in a.notes.values()]
    # the model rewrite is the key too, but the perfect student hands it in as theirs
    models = {i: a.model[:40] for i, a in item_key.answers.items() if a.model}
    first = load_sheet(exercise).items[0].id  # the partly right students hand in its answer
    handed = {"perfect": set(models), "partly": {first}, "tamperer": {first}}
    released = (ROOT / "exercises" / exercise / f"{exercise}.ipynb").read_text()
    assert "grade_cell(" not in released and "HIDDEN TESTS" not in released
    for folder in (course / "feedback", course / "autograded", ROOT / "exercises" / exercise):
        for path in folder.rglob("*"):
            if path.is_file():
                content = path.read_text(errors="replace")
                parts = path.relative_to(folder).parts
                own = set().union(*(handed.get(p, set()) for p in parts))
                others = [m for i, m in models.items() if i not in own]
                leaked = [s for s in secrets + others if s in content]
                assert not leaked, (path, leaked[:3])
    (page,) = (course / "feedback" / "partly" / exercise).glob("*.html")
    shown = page.read_text()
    assert "Question " in shown and "Points:" in shown
    (page,) = (course / "feedback" / "malformed" / exercise).glob("*.html")
    assert "could not be read" in page.read_text()
