"""nbgrader's exchange with framelab's collect, release and feedback plugins, on one
machine and as one user (the classroom test does the same with real users).

The student who passes the owner check is the user running the tests; every other
student id is, to the exchange, an impersonation. Slow: it runs nbgrader."""

from __future__ import annotations

import getpass
import json
import os
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from framelab.cli import main
from framelab.instructor.course import nbgrader, release
from framelab.instructor.exchange import checked_collect

from .conftest import ROOT

pytestmark = pytest.mark.slow

EX = "01-fact-or-frame"
ME = getpass.getuser()
COURSE_ID = "framelab-test"


def on_exchange(*args: str, course: Path, root: Path) -> subprocess.CompletedProcess[str]:
    """Run an nbgrader exchange command on the test's exchange; it must succeed."""
    result = nbgrader(
        *args, f"--Exchange.root={root}", f"--CourseDirectory.course_id={COURSE_ID}", cwd=course
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S.%f UTC")


def submission(
    inbound: Path,
    student: str,
    when: datetime,
    *,
    answers: str = '{"taxonomy": "framelab-1"}',
    secret: str | None = None,
    name: str | None = None,
    stamp_file: str | None = None,
) -> Path:
    """An inbound folder as nbgrader submit makes one."""
    folder = inbound / (name or f"{student}+{EX}+{stamp(when)}+{os.urandom(6).hex()}")
    (folder / "answers").mkdir(parents=True)
    (folder / f"{EX}.ipynb").write_text(json.dumps({"cells": [], "nbformat": 4}))
    (folder / "answers" / f"{EX}.json").write_text(answers)
    (folder / "timestamp.txt").write_text(stamp_file or stamp(when))
    (folder / "submission_secret.txt").write_text(secret or os.urandom(32).hex())
    return folder


@pytest.fixture(scope="module")
def exchange(tmp_path_factory):
    root = tmp_path_factory.mktemp("exchange-course")
    course = root / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions", course / "solutions")
    exchange = root / "exchange"
    exchange.mkdir()
    release(course)
    for student in (ME, "victim"):
        added = nbgrader("db", "student", "add", student, cwd=course)
        assert added.returncode == 0, added.stderr[-2000:]
    on_exchange("release_assignment", EX, course=course, root=exchange)
    return course, exchange


def test_release_records_when_the_exercise_first_went_out(exchange):
    course, _ = exchange
    recorded = json.loads((course / "releases.json").read_text())
    when = datetime.fromisoformat(recorded[EX])
    assert abs((datetime.now(timezone.utc) - when).total_seconds()) < 600


def test_collect_takes_the_students_own_and_refuses_everything_else(exchange, tmp_path):
    course, root = exchange
    inbound = root / COURSE_ID / "inbound"
    now = datetime.now(timezone.utc)
    mine = submission(inbound, ME, now - timedelta(seconds=30), answers='{"mine": 1}')
    secret = (mine / "submission_secret.txt").read_text()
    forged = {  # name: what it tries
        submission(inbound, "victim", now).name: "made by another user",
        submission(inbound, "stranger", now).name: "names no student of the gradebook",
        submission(inbound, ME, now + timedelta(days=3650)).name: "dated in the future",
        submission(inbound, ME, now - timedelta(days=2)).name: "dated before the release",
        submission(inbound, ME, now, name=f"{ME}+zz+{EX}+junk").name: "a name that does not parse",
        submission(inbound, ME, now, name=f"..+{EX}+{stamp(now)}+x").name: "a climbing name",
        submission(inbound, ME, now, stamp_file=stamp(now - timedelta(hours=1))).name: (
            "timestamp.txt unlike the name"
        ),
    }
    linked = submission(inbound, ME, now + timedelta(seconds=1))
    (linked / "answers" / f"{EX}.json").unlink()
    (linked / "answers" / f"{EX}.json").symlink_to(ROOT / "datasets" / "keys" / "x.json")
    forged[linked.name] = "a link"
    fifo = submission(inbound, ME, now + timedelta(seconds=2))
    os.mkfifo(fifo / "pipe")
    forged[fifo.name] = "a fifo"
    big = submission(inbound, ME, now + timedelta(seconds=3))
    with open(big / "big.bin", "wb") as stream:
        stream.truncate(10_000_001)
    forged[big.name] = "a file past the limit"
    stolen = submission(inbound, "victim", now, secret=secret)  # not even the owner: refused
    forged[stolen.name] = "made by another user"

    refusals, warnings = checked_collect(EX, course, root, COURSE_ID)
    reasons = {r.folder: r.reason for r in refusals}
    assert set(reasons) == set(forged), reasons
    assert "was made" not in warnings  # nbgrader's own collect never ran its copy
    by_kind = {forged[name]: reason for name, reason in reasons.items()}
    assert "victim is not" not in by_kind["made by another user"]
    assert f"belongs to {ME}, not to victim" in by_kind["made by another user"] or (
        "there is no user victim" in by_kind["made by another user"]
    )
    assert (
        "stranger is not a student of this course's gradebook"
        in by_kind["names no student of the gradebook"]
    )
    assert "in the future" in by_kind["dated in the future"]
    assert "before the exercise was released" in by_kind["dated before the release"]
    assert "is not <student>+<exercise>+<time>+<random>" in by_kind["a name that does not parse"]
    assert "not a student" in by_kind["a climbing name"]
    assert "is not the time in its name" in by_kind["timestamp.txt unlike the name"]
    assert "is a link (to" in by_kind["a link"]
    assert "pipe is a named pipe, not a file" in by_kind["a fifo"]
    assert "more than the 10 MB" in by_kind["a file past the limit"]
    collected = course / "submitted" / ME / EX
    assert json.loads((collected / "answers" / f"{EX}.json").read_text()) == {"mine": 1}
    assert not (course / "submitted" / "victim").exists()
    assert not (course / "submitted" / "stranger").exists()
    assert not any(p.is_symlink() for p in (course / "submitted").rglob("*"))
    log = (course / "refused-submissions" / f"{EX}.txt").read_text()
    assert all(name in log for name in forged)
    for name in forged:  # left where they are, as evidence
        assert (inbound / name).exists()


def test_a_backdated_submission_is_refused_and_the_honest_one_kept(exchange):
    course, root = exchange
    inbound = root / COURSE_ID / "inbound"
    now = datetime.now(timezone.utc)
    releases = course / "releases.json"
    releases.write_text(json.dumps({EX: (now - timedelta(hours=2)).isoformat()}))
    old = now - timedelta(minutes=45)  # after the release, but before its files changed
    backdated = submission(inbound, ME, old, answers='{"backdated": 1}')
    refusals, _ = checked_collect(EX, course, root, COURSE_ID)
    reason = next(r.reason for r in refusals if r.folder == backdated.name)
    assert "but its files were last changed at" in reason
    answers = course / "submitted" / ME / EX / "answers" / f"{EX}.json"
    assert json.loads(answers.read_text()) == {"mine": 1}


def test_a_secret_already_held_by_another_students_submission_is_refused(exchange):
    course, root = exchange
    held = course / "submitted" / "victim" / EX
    held.mkdir(parents=True)
    (held / "submission_secret.txt").write_text("the-victims-secret")
    inbound = root / COURSE_ID / "inbound"
    copied = submission(
        inbound, ME, datetime.now(timezone.utc), secret="the-victims-secret", answers="{}"
    )
    refusals, _ = checked_collect(EX, course, root, COURSE_ID)
    reason = next(r.reason for r in refusals if r.folder == copied.name)
    assert reason == "it carries the feedback secret of victim's submission"
    shutil.rmtree(course / "submitted" / "victim")


def test_collect_command_prints_the_refusals_and_exits_1(exchange, capsys):
    course, root = exchange
    args = ["collect", EX, "--course", str(course), "--exchange", str(root)]
    assert main([*args, "--course-id", COURSE_ID]) == 1
    out = capsys.readouterr().out
    assert "refused " in out and "submission(s) refused" in out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["collect", "..", "--course", "{course}"], "'..' cannot be an exercise id"),
        (["collect", "02-nothing", "--course", "{course}"], "is not an exercise of"),
        (["collect", EX, "--course", "{missing}"], "is not a course folder"),
    ],
)
def test_collect_checks_its_arguments_before_anything(exchange, tmp_path, capsys, args, says):
    course, _ = exchange
    filled = [a.format(course=course, missing=tmp_path / "missing") for a in args]
    assert main(filled) == 2
    assert says in capsys.readouterr().err


def test_release_feedback_publishes_only_each_notebooks_page(exchange):
    course, root = exchange
    feedback = course / "feedback" / ME / EX
    feedback.mkdir(parents=True)
    secret = (course / "submitted" / ME / EX / "submission_secret.txt").read_text()
    (feedback / "submission_secret.txt").write_text(secret)
    (feedback / "timestamp.txt").write_text("2026-01-01 00:00:00.000000 UTC")
    (feedback / f"{EX}.html").write_text("<p>your feedback</p>")
    (feedback / "key.html").write_text("<p>not a notebook of the exercise</p>")
    (feedback / "gradebook.html").symlink_to(course / "gradebook.db")
    on_exchange("release_feedback", EX, course=course, root=root)
    outbound = root / COURSE_ID / "feedback"
    pages = sorted(p.read_text() for p in outbound.glob("*.html"))
    assert pages == ["<p>your feedback</p>"]
    from nbgrader.utils import notebook_hash

    assert (outbound / f"{notebook_hash(secret=secret, notebook_id=EX)}.html").is_file()


def test_plain_nbgrader_collect_goes_through_framelabs_checks_too(exchange):
    course, root = exchange
    inbound = root / COURSE_ID / "inbound"
    link = submission(inbound, ME, datetime.now(timezone.utc) + timedelta(seconds=5))
    (link / "notes.html").symlink_to(course / "gradebook.db")
    result = on_exchange("collect", EX, "--update", course=course, root=root)
    assert f"framelab refused {link.name}: notes.html is a link" in result.stderr
    assert not (course / "submitted" / ME / EX / "notes.html").exists()
