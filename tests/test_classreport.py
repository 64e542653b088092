"""The class view: a simulated class end to end, the report's figures and charts,
and the HTML in a real browser."""

from __future__ import annotations

import csv
import html
import json
import shutil
import time
from pathlib import Path

import pytest

from framelab.cli import main
from framelab.instructor.classreport import figures, grade_cells, load_class, write_report
from framelab.instructor.course import nbgrader
from framelab.instructor.simulate import simulate_class
from framelab.teach import plots
from framelab.texts.model import FramelabError

from .conftest import CHROMIUM, CHROMIUM_FLAGS, DATASETS, ROOT

EX = "01-fact-or-frame"
DOC = "transfer-heatwave-spain"
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.slow


def scratch_course(path: Path) -> Path:
    shutil.copy(ROOT / "nbgrader_config.py", path)
    shutil.copytree(ROOT / "solutions", path / "solutions")
    return path


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = scratch_course(tmp_path_factory.mktemp("class"))
    made = simulate_class(root, EX, 48, seed=4)
    assert all(made[status] >= 1 for status in ("graded", "untouched", "malformed", "missing")), (
        made
    )
    # one more broken file of a kind the simulator does not make: not UTF-8
    folder = root / "submitted" / "latin1" / EX / "answers"
    folder.mkdir(parents=True)
    shutil.copy(next((root / "exercises" / EX).glob("*.ipynb")), folder.parent)
    (folder / f"{EX}.json").write_bytes(b'{"document": "caf\xe9"}')
    # and one whose answers file is a link to the key: read as the grader reads, never followed
    linked = root / "submitted" / "linked" / EX / "answers"
    linked.mkdir(parents=True)
    (linked / f"{EX}.json").symlink_to(DATASETS / "keys" / "transfer-heatwave-spain.json")
    return root


@pytest.fixture(scope="module")
def data(course):
    return load_class(course, EX)


def test_every_student_is_listed_with_a_status(course, data):
    statuses = {s.id: s.status for s in data.students}
    assert len(statuses) == 50
    assert statuses["latin1"] == "malformed"
    assert statuses["linked"] == "malformed"
    linked = next(s for s in data.students if s.id == "linked")
    assert linked.problem.startswith(f"answers/{EX}.json is a link (to ")
    assert {"graded", "untouched", "malformed", "missing"} == set(statuses.values())
    for student in data.students:
        if student.status == "graded":
            assert student.result is not None and student.points is not None
        if student.status == "missing":
            assert student.problem == "no submission"


def test_a_large_classs_figures_are_consistent(data):
    result = figures(data)
    total = sum(sum(row.values()) for row in result.confusion.values())
    assert total == len(data.graded) * len(data.key.scored_labels)
    assert -1 <= result.alpha <= 1
    assert len(result.hardest) == 5
    assert [result.sentence_agreement[i] for i in result.hardest] == sorted(
        result.sentence_agreement[i] for i in result.hardest
    )
    assert max(result.sentence_agreement[i] for i in result.hardest) <= min(
        v for k, v in result.sentence_agreement.items() if k not in result.hardest
    )


# --- a class of four made by hand, graded by nbgrader, every figure worked out here ----
#
# The key of transfer-heatwave-spain: s01-s03 structure; s04 attributed (fact accepted);
# s05-s07 attributed; s08 fact; s09 opinion; s10 attributed; s11 opinion; s12 attributed
# (fact accepted); s13 opinion. Spans: "simply" intensifier, "insisted" verb-bias,
# "Residents must be wondering" speculation, "surely" intensifier.
#
# Exercise 01 is out of 10: sentence kinds 8 (8 x accepted / 13), the written answer 2
# (by hand); its devices are not graded (they are from exercise 02 on), though the report
# still scores the marks against the key.
# Of the 13 units, 12 are scored: the headline s02 is not (the annotation guide's rule K6).
# ana: the key itself. Kinds 12/12: 8 points; the written answer is then marked 2 by hand
#      in the gradebook: 10.
# bo:  every sentence "fact": s04, s08 and s12 accepted, 3/12 x 8 = 2.0.
# cy:  s01-s07 as the key, of them 6 scored (6/12 x 8 = 4.0); s08 opinion, s09 fact,
#      s10-s13 untagged. "simply" as intensifier (precision 1) and "insisted" as loaded
#      (precision 0): span precision 1/2, recall 1/5 (only "simply" of the key's five).
# dee: hands in the notebook with no answers file: untouched, 0 points.
KEY_KINDS = {
    **dict.fromkeys(["s01", "s03"], "structure"),
    "s02": "fact",  # the headline, not scored
    **dict.fromkeys(["s04", "s05", "s06", "s07", "s10", "s12"], "attributed"),
    "s08": "fact",
    **dict.fromkeys(["s09", "s11", "s13"], "opinion"),
}
CY_KINDS = {i: KEY_KINDS[i] for i in ["s01", "s02", "s03", "s04", "s05", "s06", "s07"]}
CY_KINDS |= {"s08": "opinion", "s09": "fact"}


def answers_text(text: str, kinds: dict[str, str], marks: list[tuple[str, str]]) -> str:
    spans = [{"start": text.index(w), "end": text.index(w) + len(w), "device": d} for w, d in marks]
    sentences = [{"id": i, "kind": k} for i, k in kinds.items()]
    return json.dumps(
        {"taxonomy": "framelab-1", "document": DOC, "sentences": sentences, "spans": spans}
    )


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = scratch_course(tmp_path_factory.mktemp("small"))
    assert main(["release", EX, "--course", str(root)]) == 0
    text = (DATASETS / "articles" / DOC / "article.txt").read_text()
    everyone = {
        "ana": answers_text(
            text,
            KEY_KINDS,
            [
                ("simply", "intensifier"),
                ("insisted", "verb-bias"),
                ("Residents", "generalization"),
                ("must be wondering", "speculation"),
                ("surely", "intensifier"),
            ],
        ),
        "bo": answers_text(text, dict.fromkeys(KEY_KINDS, "fact"), []),
        "cy": answers_text(text, CY_KINDS, [("simply", "intensifier"), ("insisted", "loaded")]),
        "dee": None,
    }
    for student, answers in everyone.items():
        folder = root / "submitted" / student / EX
        folder.mkdir(parents=True)
        shutil.copy(root / "exercises" / EX / f"{EX}.ipynb", folder)
        if answers is not None:
            (folder / "answers").mkdir()
            (folder / "answers" / f"{EX}.json").write_text(answers)
    graded = nbgrader("autograde", EX, "--create", cwd=root)
    assert graded.returncode == 0, graded.stderr[-3000:]
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:  # as formgrader would
        gradebook.find_grade("written_answer", EX, EX, "ana").manual_score = 2.0
        gradebook.db.commit()
    return load_class(root, EX)


def test_points_are_the_gradebooks_as_nbgrader_gave_them(small):
    assert {s.id: (s.status, s.points, s.max_points) for s in small.students} == {
        "ana": ("graded", 10.0, 10.0),
        "bo": ("graded", 2.0, 10.0),
        "cy": ("graded", 4.0, 10.0),
        "dee": ("untouched", 0.0, 10.0),
    }
    cy = next(s for s in small.students if s.id == "cy")
    assert (cy.result.kinds_right, cy.result.kinds_total) == (6, 12)
    assert (cy.result.spans.precision, cy.result.spans.recall) == (0.5, 0.2)
    assert cy.result.spans.f1 == pytest.approx(2 / 7)


def test_figures_of_a_small_class_are_those_worked_out_by_hand(small):
    assert small.key.kinds == KEY_KINDS, "the key changed: work the figures out again"
    result = figures(small)
    assert result.counts == {"graded": 3, "untouched": 1, "malformed": 0, "missing": 0}
    # share of ana, bo, cy whose kind the key accepts
    third, two_thirds = pytest.approx(1 / 3), pytest.approx(2 / 3)
    assert result.sentence_agreement == {
        **dict.fromkeys(["s01", "s03"], two_thirds),  # bo: fact (s02 is not scored)
        "s04": 1.0,  # bo's fact is accepted
        **dict.fromkeys(["s05", "s06", "s07"], two_thirds),  # bo: fact
        "s08": two_thirds,  # cy: opinion
        "s09": third,  # bo and cy: fact
        **dict.fromkeys(["s10", "s11", "s13"], third),  # bo: fact, cy: untagged
        "s12": two_thirds,  # bo's fact accepted, cy untagged
    }
    assert result.hardest == ["s09", "s10", "s11", "s13", "s01"]  # ties by id
    assert result.wrong_answers["s09"] == {"fact": 2}
    assert result.wrong_answers["s10"] == {"fact": 1, "untagged": 1}
    assert result.wrong_answers["s04"] == {}
    assert result.confusion == {
        "structure": {"structure": 4, "fact": 2},
        "attributed": {"attributed": 10, "fact": 6, "untagged": 2},
        "fact": {"fact": 2, "opinion": 1},
        "opinion": {"opinion": 3, "fact": 4, "untagged": 2},
    }
    # the share of the three who found each key span: "simply" ana and cy, the rest ana
    assert spans_found(small, result) == [
        ("simply", two_thirds),
        ("insisted", third),
        ("Residents", third),
        ("must be wondering", third),
        ("surely", third),
    ]
    # recall per device, averaged: intensifier ana 1, bo 0, cy 1/2 (one of its two)
    assert result.device_recall == {
        "intensifier": pytest.approx(0.5),
        "verb-bias": third,
        "speculation": third,
        "generalization": third,
    }


def spans_found(data, result):
    return [(data.document.text[a:b], share) for a, b, _device, share in result.span_found]


def test_report_and_csvs_are_written(course, data, tmp_path):
    page, students, items = write_report(data, tmp_path)
    content = page.read_text()
    assert (
        "<img src='data:image/png;base64," in content and "http" not in content.split("<body>")[1]
    )
    for student in data.students:
        if student.status != "graded":
            assert f"<td>{student.id}</td><td>{student.status}</td>" in content
    with open(students, newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == len(data.students)
    assert {r["status"] for r in rows} == {"graded", "untouched", "malformed", "missing"}
    with open(items, newline="") as stream:
        assert len(list(csv.DictReader(stream))) == len(data.key.scored_labels) + len(
            data.key.spans
        )
    for sentence_id in figures(data).hardest:
        assert f"<b>{sentence_id}</b>" in content
        assert data.key.label(sentence_id).why.split(",")[0] in html.unescape(content)


def test_charts_carry_the_data_and_labels(data):
    result = figures(data)
    points = [s.points for s in data.students if s.points is not None]
    hist = plots.score_histogram(points, 10)
    (ax,) = hist.figure.axes
    assert sum(p.get_height() for p in ax.patches) == len(points)
    assert ax.get_xlabel() == "points (of 10)" and ax.get_ylabel() == "students"
    bars = plots.agreement_bars(result.sentence_agreement)
    (ax,) = bars.figure.axes
    assert [t.get_text() for t in ax.get_xticklabels()] == list(result.sentence_agreement)
    assert [p.get_height() for p in ax.patches] == pytest.approx(
        list(result.sentence_agreement.values())
    )
    matrix = plots.confusion_matrix(result.confusion)
    (ax,) = matrix.figure.axes
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "fact",
        "attributed",
        "opinion",
        "structure",
    ]
    shown = [int(t.get_text()) for t in ax.texts]
    assert sum(shown) == len(data.graded) * len(data.key.scored_labels)
    recall = plots.device_recall_bars(result.device_recall)
    (ax,) = recall.figure.axes
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == sorted(result.device_recall, key=result.device_recall.get)
    assert [p.get_width() for p in ax.patches] == pytest.approx(
        [result.device_recall[d] for d in labels]
    )
    for chart in (hist, bars, matrix, recall):
        assert chart._repr_mimebundle_()["image/png"].startswith(b"\x89PNG")


def test_report_command_prints_what_it_wrote(course, capsys):
    assert main(["report", "--course", str(course), "--assignment", EX]) == 0
    out = capsys.readouterr().out
    assert "report.html" in out and "malformed" in out
    assert (course / "reports" / EX / "report.html").is_file()


def test_a_course_with_no_submissions_still_reports(tmp_path):
    root = scratch_course(tmp_path)
    assert main(["release", EX, "--course", str(root)]) == 0
    data = load_class(root, EX)
    assert data.students == []
    page, _, _ = write_report(data, root / "out")
    assert "0 students' answers read" in page.read_text()


def test_an_unknown_assignment_is_one_clear_line(course, capsys):
    assert main(["report", "--course", str(course), "--assignment", "09-nothing"]) == 2
    assert "'09-nothing' is not an exercise of" in capsys.readouterr().err
    with pytest.raises(FramelabError, match="a simulated class has 1 to 10,000 students, not 0"):
        simulate_class(course, EX, 0)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_the_report_opens_in_a_browser_without_errors(course, data, tmp_path):
    from playwright.sync_api import sync_playwright

    page_path, _, _ = write_report(data, tmp_path)
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=list(CHROMIUM_FLAGS),
        )
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(page_path.as_uri())
        assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
        assert page.locator("img").count() == 3  # exercise 01 grades no devices: no device chart
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "class-report.png"), full_page=True)
        browser.close()
    assert problems == []


def test_a_class_of_500_reports_within_30_seconds(tmp_path):
    root = scratch_course(tmp_path)
    simulate_class(root, EX, 500, seed=2)
    started = time.monotonic()
    data = load_class(root, EX)
    write_report(data, root / "out")
    seconds = time.monotonic() - started
    print(f"\nreport for 500 students: {seconds:.1f} s")
    assert len(data.students) == 500
    assert seconds <= 30


def test_the_instructor_notebook_runs_on_a_class(course, tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("FRAMELAB_COURSE", str(course))
    notebook = nbformat.read(ROOT / "instructor" / "class-report.ipynb", as_version=4)
    NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    outputs = [o for c in notebook.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    assert any("malformed" in str(o.get("data", {})) for o in outputs)


def test_found_spans_agree_with_what_each_students_feedback_said(data):
    """The report counts a key span as found exactly when the student's feedback did."""
    result = figures(data)
    for start, end, _device, share in result.span_found:
        unit = data.document.sentence_at(start)
        where = f'"{data.document.text[start:end]}" ({unit.id})'
        statuses = [
            next(i.status for i in s.result.items if i.part == "devices" and i.where == where)
            for s in data.graded
        ]
        assert share == pytest.approx(statuses.count("found") / len(statuses)), where


def test_devices_are_reported_only_where_the_exercise_grades_them(course, data, tmp_path):
    """Exercise 01 grades kinds and a written answer, not devices, and tells students so:
    the report leaves devices out. The same class, read as an exercise that grades
    devices, shows them."""
    import dataclasses

    from framelab.instructor.classreport import exercise_parts

    assert exercise_parts(course, EX) == ("kinds",)
    assert not data.devices_graded
    page, _, _ = write_report(data, tmp_path / "kinds")
    content = page.read_text()
    assert "Most-missed devices" not in content
    assert "does not grade framing devices" in content
    both = dataclasses.replace(data, parts=("kinds", "devices"))
    page, _, _ = write_report(both, tmp_path / "both")
    content = page.read_text()
    assert "Most-missed devices" in content
    assert content.count("<img src='data:image/png;base64,") == 4


@pytest.mark.parametrize(
    ("exercise", "devices", "asked", "key_says"),
    [
        ("02-loaded-words", ("loaded",), "whose-words", "The writer's: it is now used"),
        ("03-who-says-so", ("vague-source", "verb-bias"), "told-source", "No: he is named"),
        (
            "04-mind-reading",
            ("intensifier", "speculation", "generalization"),
            "evidence-ballot",
            "By being told it by a named source",
        ),
        ("05-same-facts-different-frames", (), "half-a-fact", "F20: Turkey's role"),
        ("06-measuring-style", (), "easiest-to-read", "football report"),
        ("07-check-it", (), "verdict-s06", "False"),
    ],
)
def test_short_questions_and_the_graded_devices_are_reported_for_each_exercise(
    tmp_path, exercise, devices, asked, key_says
):
    """Exercises 02 to 07 grade kinds, their lesson's devices only (none from 05 on),
    their short questions and a written answer: the simulated class's points for every
    grade cell are the grader's, the device figures keep to the graded devices, and the report, its
    CSV and the class view's table show each question with its mean credit, the key's
    answer and common answers."""
    from framelab.grading.items import score_in_text
    from framelab.instructor.classreport import _questions_html, exercise_devices
    from framelab.texts.corpus import load_key
    from framelab.texts.items import load_item_key, load_sheet

    (tmp_path / "class").mkdir()
    root = scratch_course(tmp_path / "class")
    simulate_class(root, exercise, 30, seed=7)
    data = load_class(root, exercise)
    graded = data.graded
    assert graded
    if devices:
        assert exercise_devices(root, exercise) == devices
        assert {s.device for s in data.key.spans} == set(devices)
        assert all(
            {s.device for s in student.annotation.spans} <= set(devices) for student in graded
        )
    else:  # a kinds-only exercise: its tagger offers no device, and the report grades none
        assert "devices" not in data.parts
        assert all(not student.annotation.spans for student in graded)
    sheet, key = load_sheet(exercise), load_item_key(exercise)
    result = figures(data)
    assert [q.item.id for q in result.questions] == [i.id for i in sheet.items]
    text_key = load_key(data.document.id)
    for question in result.questions:
        item = question.item
        credits = []
        for student in graded:
            given = student.items.get(item.id)
            answer = key.answer(item.id)
            credits.append(score_in_text(item, answer, given, data.document, text_key).fraction)
        assert question.mean_credit == pytest.approx(sum(credits) / len(credits))
        assert question.answered == sum(s.items.get(item.id) not in (None, "", []) for s in graded)
        assert 0 < question.mean_credit < 1  # a simulated class is right about 2 times in 3
    source = next(q for q in result.questions if q.item.id == asked)
    assert source.key.startswith(key_says) and source.common[0][0] == source.key
    page, _, items_csv = write_report(data, tmp_path / "report")
    content = page.read_text()
    assert "Short questions" in content and asked in content
    assert content.count("<tr><td><b>") >= len(sheet.items)
    with open(items_csv, newline="") as stream:
        rows = [r for r in csv.DictReader(stream) if r["type"].startswith("question")]
    assert [r["item"] for r in rows] == [i.id for i in sheet.items]
    assert "Short questions" in _questions_html(result.questions)
    # the gradebook holds a grader's score for every question of every graded student
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        student = graded[0].id
        (notebook,) = gb.find_submission(exercise, student).notebooks
        names = {grade.name for grade in notebook.grades if grade.auto_score is not None}
    cells = grade_cells(root, exercise)  # the source's grade cells, by grade id
    assert names == set(cells)
    assert sorted(c["item"] for c in cells.values() if c["part"] == "item") == sorted(
        item.id for item in sheet.items
    )
    assert ("devices" in {c["part"] for c in cells.values()}) == bool(devices)
