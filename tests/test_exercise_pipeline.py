"""Exercise 01 through the real nbgrader pipeline: release, simulated students,
autograde, feedback, export, in a course folder without the exchange. Slow (about
a minute): it runs nbgrader for real.

Besides honest students, some attack the grader as a student could with nothing but
their own submission: links to the key or to instructor files, a code cell that
writes outside, answers files that are too deep, too large or not UTF-8. Each gets
the score and reason expected, nothing outside the submission is read or written,
and the rest of the class is graded."""

from __future__ import annotations

import csv
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest

from framelab.instructor.course import nbgrader, release, release_differences
from framelab.instructor.model_answers import full_marks
from framelab.texts.model import Annotation

from .conftest import DATASETS, ROOT
from .watch import OpenWatch

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


# what `framelab model-answers` hands in: the key's answers, as the tagger writes them
PERFECT = json.dumps(full_marks(DOC).to_dict())
# The partly right student (its figures are worked out in the fixture's notes).
PARTLY_ANSWERS = json.loads(
    (ROOT / "tests/fixtures/students/01-fact-or-frame-partly.json").read_text()
)
PARTLY = answers(PARTLY_ANSWERS["kinds"], [(w, d) for _, w, d in PARTLY_ANSWERS["spans"]])
TAMPER = """import framelab.grading.cells, framelab.grading.feedback
framelab.grading.cells.grade_cell = lambda *args, **kwargs: 8.0
framelab.grading.feedback.points = lambda *args, **kwargs: 8.0
from framelab.texts.corpus import datasets_dir
key = datasets_dir() / "keys" / "transfer-heatwave-spain.json"
open("answers/01-fact-or-frame.json", "w").write(open(key).read())
open("stolen-key.json", "w").write(open(key).read())
print(open(key).read())
def grade_cell(*args, **kwargs):
    return 8.0"""
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


# Exercise 01 grades what lesson 01 teaches: sentence kinds, 8 points (autograded), and
# the written answer, 2 points (by hand, so not in these figures); devices are graded
# from exercise 02 on. Kinds points are 8 x (kinds accepted) / 12: the text has 13 units,
# and its headline (s02) is not scored (the annotation guide's rule K6):
# - the key's own answers: 12 of 12, 8.0;
# - the partly right student (tests/fixtures/students/): 7 of 12, 8 x 7/12 = 4.667, 4.67;
#   its two marks earn nothing and cost nothing;
# - no answers, unreadable answers, or answers refused at collect: 0.0.
# student: (notebook edits, answers file or None, kinds points, feedback says)
PARTLY_POINTS = 4.67
STUDENTS = {
    "perfect": ({}, PERFECT, 8.0, "Sentence kinds: 12 of 12 right"),
    "untouched": ({"written": None}, None, 0.0, "No answers were found"),
    "partly": ({}, PARTLY, PARTLY_POINTS, "Sentence kinds: 7 of 12 right"),
    "malformed": ({}, '{"taxonomy": "framelab-1", "sent', 0.0, "could not be read"),
    "no-answers-file": ({}, None, 0.0, "No answers were found"),
    "deleted-cell": ({"drop": "score_kinds"}, PERFECT, 8.0, "Sentence kinds: 12 of 12"),
    "edited-test": ({"retest": "print('full marks')\n8"}, None, 0.0, "No answers were found"),
    "tamperer": ({"typed": TAMPER}, PARTLY, PARTLY_POINTS, "Sentence kinds: 7 of 12 right"),
    "never-ends": ({"typed": "while True:\n    pass"}, PARTLY, PARTLY_POINTS, "7 of 12 right"),
}


MARKER = Path("/tmp") / f"framelab-attack-{uuid.uuid4().hex}"
ATTACK_CELL = f"""open({str(MARKER)!r}, "w").write("ran as the grader")
import pathlib
for up in pathlib.Path.cwd().resolve().parents:
    if (up / "nbgrader_config.py").is_file():
        with open(up / "nbgrader_config.py", "a") as config:
            config.write("\\nopen({str(MARKER)!r}, 'a').write('persisted')\\n")
        break"""


def answers_file(folder: Path) -> Path:
    (folder / "answers").mkdir(exist_ok=True)
    return folder / "answers" / f"{EX}.json"


def link_answers_to(target: Callable[[Path, Path], str]) -> Callable[[Path, Path, Path], None]:
    def prepare(folder: Path, course: Path, outside: Path) -> None:
        answers_file(folder).symlink_to(target(folder, outside))

    return prepare


def linked_extras(folder: Path, course: Path, outside: Path) -> None:
    answers_file(folder).write_text(PARTLY)
    (folder / "key.html").symlink_to(outside / "decoy-key.json")
    (folder / "gradebook.html").symlink_to(os.path.relpath(course / "gradebook.db", folder))
    (folder / "solution.html").symlink_to(course / "solutions" / EX / f"{EX}.ipynb")
    (folder / "notes").mkdir()
    (folder / "notes" / "passwd.html").symlink_to("/etc/passwd")


def notebook_link(folder: Path, course: Path, outside: Path) -> None:
    (folder / f"{EX}.ipynb").unlink()
    (folder / f"{EX}.ipynb").symlink_to(course / "solutions" / EX / f"{EX}.ipynb")
    answers_file(folder).write_text(PARTLY)


def folder_link(folder: Path, course: Path, outside: Path) -> None:
    shutil.rmtree(folder)
    folder.symlink_to(course / "submitted" / "perfect" / EX)


def answers_fifo(folder: Path, course: Path, outside: Path) -> None:
    os.mkfifo(answers_file(folder))


def write(content: bytes) -> Callable[[Path, Path, Path], None]:
    def prepare(folder: Path, course: Path, outside: Path) -> None:
        answers_file(folder).write_bytes(content)

    return prepare


LATIN1 = PARTLY.replace('"framelab-1"', '"framelab-1", "annotator": "Zo\u00eb"').encode("latin-1")
# attacker: (notebook edits, what they do to their folder, kinds points, feedback says)
ATTACKERS = {
    "answers-link-absolute": (
        {},
        link_answers_to(lambda folder, outside: str(outside / "decoy-key.json")),
        0.0,
        "is a link (to",
    ),
    "answers-link-relative": (
        {},
        link_answers_to(
            lambda folder, outside: os.path.relpath(
                DATASETS / "keys" / f"{DOC}.json", folder / "answers"
            )
        ),
        0.0,
        "is a link (to",
    ),
    "answers-link-dev-zero": ({}, link_answers_to(lambda f, o: "/dev/zero"), 0.0, "a link"),
    "answers-fifo": ({}, answers_fifo, 0.0, "is a named pipe, not a file"),
    "linked-extras": ({}, linked_extras, PARTLY_POINTS, "Sentence kinds: 7 of 12 right"),
    "notebook-link": ({}, notebook_link, PARTLY_POINTS, "Sentence kinds: 7 of 12 right"),
    "folder-link": ({}, folder_link, 0.0, "No answers were found"),
    "code-writes-outside": (
        {"typed": ATTACK_CELL},
        write(PARTLY.encode()),
        PARTLY_POINTS,
        "Sentence kinds: 7 of 12 right",
    ),
    "deep-json": (
        {},
        write(b"[" * 100_000 + b"]" * 100_000),
        0.0,
        "is nested too deeply (more than 64 levels of brackets)",
    ),
    "huge-answers": (
        {},
        write(PARTLY.encode() + b" " * 50_000_000),
        0.0,
        "is 50.0 MB, more than the 10 MB",
    ),
    "not-utf8": ({}, write(LATIN1), 0.0, "is not UTF-8 text"),
}
EVERYONE = {
    **STUDENTS,
    **{name: (e, None, k, says) for name, (e, _, k, says) in ATTACKERS.items()},
}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    outside = tmp_path_factory.mktemp("outside")  # instructor files a link could point at
    shutil.copy(DATASETS / "keys" / f"{DOC}.json", outside / "decoy-key.json")
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "solutions", root / "solutions")
    release(root)
    config = (root / "nbgrader_config.py").read_bytes()
    released = nbformat.read(root / "exercises" / EX / f"{EX}.ipynb", as_version=4)
    for student, (edits, answers_text, *_) in EVERYONE.items():
        folder = root / "submitted" / student / EX
        folder.mkdir(parents=True)
        nbformat.write(edit(released, **edits), folder / f"{EX}.ipynb")
        if answers_text is not None:
            answers_file(folder).write_text(answers_text)
    for student, (_, prepare, *_) in ATTACKERS.items():
        prepare(root / "submitted" / student / EX, root, outside)
    watch = OpenWatch(outside)
    started = time.monotonic()
    graded = nbgrader("autograde", EX, "--create", cwd=root)
    seconds = time.monotonic() - started
    assert graded.returncode == 0, graded.stderr[-3000:]
    feedback = nbgrader("generate_feedback", EX, cwd=root)
    assert feedback.returncode == 0, feedback.stderr[-3000:]
    exported = nbgrader("export", f'--assignment=["{EX}"]', cwd=root)
    assert exported.returncode == 0, exported.stderr[-3000:]
    READ_OUTSIDE.extend(watch.events())
    watch.close()
    CONFIG_CHANGED.append((root / "nbgrader_config.py").read_bytes() != config)
    print(f"\nautograde of {len(EVERYONE)} submissions in one process: {seconds:.1f} s")
    return root


READ_OUTSIDE: list[str] = []
CONFIG_CHANGED: list[bool] = []


def graded_cells(root: Path, student: str) -> dict[str, float | None]:
    """The student's grades, by grade cell: autograded points, or None where a person marks."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        (notebook,) = gb.find_submission(EX, student).notebooks
        return {grade.name: grade.auto_score for grade in notebook.grades}


@pytest.mark.parametrize("student", list(EVERYONE))
def test_each_student_gets_the_expected_points(course, student):
    _, _, kinds, _ = EVERYONE[student]
    grades = graded_cells(course, student)
    assert set(grades) == {"score_kinds", "written_answer"}  # no devices part in exercise 01
    assert grades["score_kinds"] == pytest.approx(kinds, abs=0.005)


def test_exercise_01_grades_kinds_and_the_written_answer_only():
    """Lesson 01 teaches the four kinds, not the devices (lessons 02 to 04)."""
    for folder in ("solutions", "exercises"):
        notebook = nbformat.read(ROOT / folder / EX / f"{EX}.ipynb", as_version=4)
        graded = {
            cell.metadata.nbgrader["grade_id"]: cell.metadata.nbgrader["points"]
            for cell in notebook.cells
            if cell.metadata.get("nbgrader", {}).get("grade")
        }
        assert graded == {"score_kinds": 8, "written_answer": 2}, folder
        instructions = notebook.cells[0].source
        assert "sentence kinds 8" in instructions and "not graded here" in instructions


@pytest.mark.parametrize("student", list(EVERYONE))
def test_feedback_explains_and_never_shows_the_key(course, student):
    (page,) = (course / "feedback" / student / EX).glob("*.html")
    content = page.read_text()
    assert EVERYONE[student][3] in content
    for why in [label.why for label in KEY.labels] + [span.why for span in KEY.spans]:
        assert why[:40] not in content, why
    for path in (course / "feedback" / student / EX).rglob("*.json"):
        assert b'"why"' not in path.read_bytes(), path


def test_no_key_text_and_no_instructor_file_reaches_autograded_or_feedback(course):
    reasons = [label.why[:40] for label in KEY.labels] + [span.why[:40] for span in KEY.spans]
    solution = "A full-mark answer names one sentence"
    for folder in ("autograded", "feedback"):
        for path in (course / folder).rglob("*"):
            assert not path.is_symlink(), path
            if not path.is_file():
                continue
            content = path.read_bytes().decode("utf-8", errors="replace")
            assert '"why"' not in content, path
            assert not any(reason in content for reason in reasons), path
            assert solution not in content and "root:x:0:0" not in content, path
            assert not content.startswith("SQLite format"), path
    extras = {"key.html", "gradebook.html", "solution.html", "passwd.html"}
    assert not [
        p
        for p in course.rglob("*")
        if p.name in extras and "refused-files" not in p.parts and "submitted" not in p.parts
    ]


def test_nothing_outside_the_submission_is_read_or_written(course):
    assert READ_OUTSIDE == []  # the decoy key a link pointed at was never opened
    assert not MARKER.exists()  # the attacker's cell never ran
    assert CONFIG_CHANGED == [False]


def test_what_was_set_aside_is_kept_with_the_reason(course):
    kept = course / "refused-files"
    (record,) = (kept / "answers-link-absolute" / EX).glob("*/refused.json")
    reasons = json.loads(record.read_text())
    assert reasons[f"answers/{EX}.json"].startswith("is a link (to ")
    assert (record.parent / "answers" / f"{EX}.json").is_symlink()  # kept as it was
    (record,) = (kept / "linked-extras" / EX).glob("*/refused.json")
    assert set(json.loads(record.read_text())) == {
        "gradebook.html",
        "key.html",
        "notes/passwd.html",
        "solution.html",
    }
    assert not (kept / "perfect").exists()


def test_submissions_without_links_are_left_as_handed_in(course):
    folder = course / "submitted" / "partly" / EX
    assert (folder / "answers" / f"{EX}.json").read_text() == PARTLY


def test_export_gives_every_student_a_row_with_their_total(course):
    with open(course / "grades.csv", newline="") as stream:
        rows = {row["student_id"]: row for row in csv.DictReader(stream)}
    assert set(rows) == set(EVERYONE)
    for student, (_, _, kinds, _) in EVERYONE.items():
        # the written answer is marked by hand, not here: the raw score is the kinds points
        assert float(rows[student]["raw_score"]) == pytest.approx(kinds, abs=0.01)
        assert float(rows[student]["max_score"]) == 10  # kinds 8 + written answer 2


def test_the_release_holds_no_key_and_no_hidden_test():
    notebook = (ROOT / "exercises" / EX / f"{EX}.ipynb").read_text()
    assert "grade_cell(" not in notebook and "HIDDEN TESTS" not in notebook
    for why in [label.why for label in KEY.labels] + [span.why for span in KEY.spans]:
        assert why[:40] not in notebook
    assert sorted(p.name for p in (ROOT / "exercises" / EX).rglob("*")) == [f"{EX}.ipynb"]


def test_committed_exercises_are_what_the_solutions_generate():
    assert release_differences(ROOT) == []


def test_grading_reads_the_key_again_when_it_changes(tmp_path):
    from framelab.grading.cells import grade

    root = tmp_path / "datasets"
    shutil.copytree(DATASETS, root)
    perfect = dict(exercise=EX, document=DOC, part="kinds", max_points=8, root=root)
    assert grade(PERFECT, **perfect).points == 8.0
    changed = json.loads((root / "keys" / f"{DOC}.json").read_text())
    for sentence in changed["sentences"]:
        sentence["kind"], sentence["accept"] = "structure", []
    key = root / "keys" / f"{DOC}.json"
    before = key.stat().st_mtime_ns
    key.write_text(json.dumps(changed))
    # a modification time surely new, however coarse the file system's clock
    os.utime(key, ns=(before + 2_000_000_000, before + 2_000_000_000))
    # every scored unit now keyed structure: the two structure units of the 12 scored stay right
    assert grade(PERFECT, **perfect).points == pytest.approx(8 * 2 / 12, abs=0.01)
