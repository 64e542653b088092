"""The starting-point and finishing-point checks end to end: a simulated class with a
chosen true gain, the report that must recover it within its interval, what students
and instructors each see, and bad input."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from framelab.grading.cells import grade_call
from framelab.instructor.checkreport import POINTS, check_score, load_progress, write_progress
from framelab.instructor.gain import paired_gain
from framelab.instructor.simulate import (
    _check_answers,
    _expected_points,
    _solve,
    simulate_checks,
)
from framelab.teach.checks import ASSIGNMENTS, PASSAGES, check_passage
from framelab.texts.corpus import load_document, load_key
from framelab.texts.model import Annotation, FramelabError

from .conftest import ROOT


def course_folder(tmp_path):
    root = tmp_path / "course"
    root.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", root)
    for assignment in ASSIGNMENTS.values():
        shutil.copytree(ROOT / "solutions" / assignment, root / "solutions" / assignment)
    return root


def run(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "framelab.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    root = course_folder(tmp_path_factory.mktemp("checks"))
    made = simulate_checks(root, 40, gain=2.0, seed=7)
    return root, made


def test_the_report_recovers_a_simulated_classs_true_gain_within_its_interval(simulated):
    root, made = simulated
    assert made.true_gain == pytest.approx(2.0, abs=0.25)  # a few students near the top
    progress = load_progress(root)
    gain = progress.gain
    assert gain is not None and gain.students >= 30
    assert gain.low < made.true_gain < gain.high
    assert gain.low > 0  # a gain of 2 points in 10 shows in a class of 40
    assert gain.effect is not None and gain.effect > 0.5
    # half the class starts on each passage, by the id's hash
    assert set(progress.first) == set(PASSAGES)
    # the students counted are those who handed in readable answers for both checks
    both = [s for s in progress.students if s.status == {"start": "graded", "end": "graded"}]
    assert gain.students == len(both) == sum(1 for s in progress.students if s.paired)


def test_each_student_meets_the_passage_their_id_gives_and_the_other_at_the_end(simulated):
    root, _ = simulated
    for student in load_progress(root).students:
        for when, got in student.scores.items():
            assert got.passage == check_passage(student.id, when)


def test_the_reports_scores_are_the_gradebooks(simulated):
    """The report scores the answers itself, as the grade cells do: both agree."""
    from nbgrader.api import Gradebook

    root, _ = simulated
    progress = load_progress(root)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        for student in progress.students:
            for when, got in student.scores.items():
                submission = gradebook.find_submission(ASSIGNMENTS[when], student.id)
                assert submission.score == pytest.approx(got.points, abs=0.02)


def test_the_interval_covers_the_true_gain_about_95_times_in_100():
    """Many simulated classes of 25, scored by the scorer: the report's 95% interval
    holds the class's true gain in 90 to 99 of every 100 (the gradebook is left out, as
    it changes nothing here)."""
    passages = {p: (load_document(p), load_key(p)) for p in PASSAGES}
    expected = {p: _expected_points(d, k, check_score) for p, (d, k) in passages.items()}
    rng = random.Random(11)
    covered = classes = 0
    for _ in range(200):
        start, end, truths = [], [], []
        for n in range(25):
            first, last = PASSAGES[n % 2], PASSAGES[1 - n % 2]
            skill = rng.betavariate(4, 3)
            end_skill = _solve(expected[last], expected[first](skill) + 1.0)
            truths.append(expected[last](end_skill) - expected[first](skill))
            for scores, passage, p in ((start, first, skill), (end, last, end_skill)):
                document, key = passages[passage]
                answers = Annotation.from_dict(_check_answers(key, p, rng), kind="annotation")
                scores.append(check_score(answers, key, document).points)
        gain = paired_gain(start, end)
        truth = sum(truths) / len(truths)
        covered += gain.low <= truth <= gain.high
        classes += 1
    assert 0.90 <= covered / classes <= 0.99


def test_kinds_and_devices_that_improved_are_reported(simulated):
    root, _ = simulated
    progress = load_progress(root)
    assert set(progress.kinds) == {"fact", "attributed", "opinion", "structure"}
    assert set(progress.devices) == {"loaded", "speculation", "vague-source"}
    mean_change = sum(b - a for a, b in progress.kinds.values()) / len(progress.kinds)
    assert mean_change > 0.1  # a true gain of 2 in 10 is a gain of about 0.2 a thing


def test_the_instructors_page_and_the_students_slips(simulated, tmp_path):
    root, _ = simulated
    progress = load_progress(root)
    page, table, slips = write_progress(progress, tmp_path / "out")
    shown = page.read_text()
    assert f"Mean change: {progress.gain.mean_change:+.2f} points" in shown
    assert "no control group" in shown.lower() and "practice" in shown
    assert "chance" in shown  # a class's mean moves by chance
    assert "data:image/png;base64," in shown  # the chart, embedded
    rows = table.read_text().splitlines()
    assert len(rows) == 1 + len(progress.students)
    # a slip holds its own student's scores and nobody else's
    sections = re.findall(r"<section>(.*?)</section>", slips.read_text(), flags=re.S)
    assert len(sections) == sum(1 for s in progress.students if s.scores)
    ids = [s.id for s in progress.students]
    for section, student in zip(sections, [s for s in progress.students if s.scores], strict=True):
        assert f"<h2>{student.id}</h2>" in section
        assert [i for i in ids if re.search(rf"\b{i}\b", section)] == [student.id]
        for got in student.scores.values():
            assert f"{got.points:g} of 10" in section


def test_a_student_who_met_one_passage_twice_is_listed_and_not_counted(tmp_path):
    root = course_folder(tmp_path)
    simulate_checks(root, 6, gain=1.0, seed=1)
    progress = load_progress(root)
    student = next(s for s in progress.students if s.paired)
    end = root / "submitted" / student.id / ASSIGNMENTS["end"] / "answers"
    start = root / "submitted" / student.id / ASSIGNMENTS["start"] / "answers"
    data = json.loads((start / f"{ASSIGNMENTS['start']}.json").read_text())
    (end / f"{ASSIGNMENTS['end']}.json").write_text(json.dumps(data))
    again = load_progress(root)
    twice = next(s for s in again.students if s.id == student.id)
    assert not twice.paired and twice.change is None
    assert any("same passage twice" in line and student.id in line for line in again.caveats())
    before = progress.gain.students if progress.gain else 0
    assert (again.gain.students if again.gain else 0) == before - 1


def test_before_both_checks_are_in_the_report_says_so(tmp_path):
    root = course_folder(tmp_path)
    done = run("report", "--course", str(root), "--assignment", ASSIGNMENTS["start"], cwd=root)
    assert done.returncode == 0, done.stderr
    assert "0 student(s) have done both checks" in done.stdout
    page = (root / "reports" / "checks" / "report.html").read_text()
    assert "No change to show yet" in page


def test_the_commands_simulate_both_checks_and_report_the_gain(tmp_path):
    root = course_folder(tmp_path)
    done = run(
        "simulate-class",
        "--course",
        str(root),
        "--checks",
        "--students",
        "12",
        "--gain",
        "3",
        cwd=root,
    )
    assert done.returncode == 0, done.stderr
    truth = float(re.search(r"true mean change: ([-+][\d.]+)", done.stdout).group(1))
    done = run("report", "--course", str(root), "--assignment", ASSIGNMENTS["end"], cwd=root)
    assert done.returncode == 0, done.stderr
    low, high = map(
        float, re.search(r"interval ([-+][\d.]+) to ([-+][\d.]+)", done.stdout).groups()
    )
    assert low < truth < high


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--checks", "--students", "5", "--gain", "12"], "between -10 and 10 points"),
        (["--assignment", "00-starting-point", "--students", "5"], "give --checks"),
        (["--assignment", "01-fact-or-frame", "--students", "5", "--gain", "1"], "--gain goes"),
        (["--checks", "--students", "0"], "1 to 10,000 students"),
    ],
)
def test_bad_input_is_one_line(tmp_path, args, says):
    root = course_folder(tmp_path)
    shutil.copytree(
        ROOT / "solutions" / "01-fact-or-frame", root / "solutions" / "01-fact-or-frame"
    )
    done = run("simulate-class", "--course", str(root), *args, cwd=root)
    assert done.returncode == 2
    assert says in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_the_report_and_the_grade_cells_give_the_same_points():
    for assignment in ASSIGNMENTS.values():
        notebook = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", 4)
        calls = [grade_call(c.source) for c in notebook.cells if c.cell_type == "code"]
        given = {c["part"]: c["points"] for c in calls if c}
        assert given == POINTS
        assert all(c["document"] == list(PASSAGES) for c in calls if c)


def test_a_gain_outside_what_the_checks_can_show_is_refused(tmp_path):
    with pytest.raises(FramelabError, match="between -10 and 10"):
        simulate_checks(tmp_path, 3, gain=10.0)


def test_an_uneven_split_and_the_two_groups_changes_are_said(tmp_path):
    from framelab.instructor.checkreport import CheckScore, StudentProgress, _figures

    a, b = PASSAGES

    def student(n, first, start, end):
        second = b if first == a else a
        got = StudentProgress(f"s{n}")
        got.scores = {
            "start": CheckScore(first, start, {}, {}),
            "end": CheckScore(second, end, {}, {}),
        }
        got.status = {"start": "graded", "end": "graded"}
        return got

    students = [student(n, a, 4.0, 6.0 + n % 2) for n in range(9)] + [student(9, b, 5.0, 5.0)]
    progress = _figures(tmp_path, students, 0.95)
    assert progress.by_first() == {a: (9, pytest.approx(2 + 4 / 9)), b: (1, 0.0)}
    assert any("Far more students started with one passage" in line for line in progress.caveats())
    even = _figures(tmp_path, students[:5] + [student(n, b, 4.0, 6.0) for n in range(10, 15)], 0.95)
    assert not any("Far more" in line for line in even.caveats())
