"""The class view: a simulated class end to end, the report's figures and charts,
and the HTML in a real browser."""

from __future__ import annotations

import csv
import shutil
import time
from pathlib import Path

import pytest

from framelab.cli import main
from framelab.instructor.classreport import figures, load_class, write_report
from framelab.instructor.simulate import simulate_class
from framelab.teach import plots
from framelab.texts.model import FramelabError

from .conftest import DATASETS, ROOT

EX = "01-fact-or-frame"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")

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


def test_points_come_from_the_gradebook_and_match_the_grader(data):
    from framelab.grading.cells import grade

    student = next(s for s in data.graded if s.annotation.spans)
    text = (data.course / "submitted" / student.id / EX / "answers" / f"{EX}.json").read_text()
    kinds = grade(text, exercise=EX, document=data.document.id, part="kinds", max_points=5).points
    devices = grade(text, exercise=EX, document=data.document.id, part="devices", max_points=5)
    assert kinds + devices.points <= student.points <= kinds + devices.points + 2  # + written


def test_figures_agree_with_counting_by_hand(data):
    result = figures(data)
    label = data.key.labels[5]
    given = [s.annotation.kinds.get(label.id, "untagged") for s in data.graded]
    assert result.sentence_agreement[label.id] == pytest.approx(
        sum(label.accepts(k) for k in given) / len(given)
    )
    total = sum(sum(row.values()) for row in result.confusion.values())
    assert total == len(data.graded) * len(data.key.labels)
    assert -1 <= result.alpha <= 1
    assert len(result.hardest) == 5
    assert [result.sentence_agreement[i] for i in result.hardest] == sorted(
        result.sentence_agreement[i] for i in result.hardest
    )
    assert max(result.sentence_agreement[i] for i in result.hardest) <= min(
        v for k, v in result.sentence_agreement.items() if k not in result.hardest
    )


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
        assert len(list(csv.DictReader(stream))) == len(data.key.labels) + len(data.key.spans)
    for sentence_id in figures(data).hardest:
        assert f"<b>{sentence_id}</b>" in content
        assert data.key.label(sentence_id).why.split(",")[0] in content.replace("&quot;", '"')


def test_charts_carry_the_data_and_labels(data):
    result = figures(data)
    points = [s.points for s in data.students if s.points is not None]
    hist = plots.score_histogram(points, 12)
    (ax,) = hist.figure.axes
    assert sum(p.get_height() for p in ax.patches) == len(points)
    assert ax.get_xlabel() == "points (of 12)" and ax.get_ylabel() == "students"
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
    assert sum(shown) == len(data.graded) * len(data.key.labels)
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
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(page_path.as_uri())
        assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
        assert page.locator("img").count() == 4
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
