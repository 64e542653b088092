"""Autograding a class: framelab's exercise 01 against nbgrader's plainest assignment.

    .venv/bin/python benchmarks/autograde.py [--class-size 60]

Both classes are graded the way the instructor guide recommends, one ``nbgrader
autograde`` process for the whole class, in the same run on this machine:

1. ``--class-size`` submissions of exercise 01 (believable students: most kinds
   right, some spans found), in a scratch copy of the course with framelab's
   nbgrader_config.py. No kernel is started: the grader scores the answers files.
2. As many submissions of a trivial one-cell assignment (its one grade cell is
   ``1``) in a scratch course with nbgrader's default configuration, which starts a
   kernel on every submission as nbgrader does.

It prints both times, their ratio (framelab / trivial), and checks that every
exercise 01 score in the gradebook is the one framelab's grading function gives
for that student's answers.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from framelab.grading.cells import grade
from framelab.instructor.course import nbgrader, release
from framelab.texts.model import Annotation

ROOT = Path(__file__).resolve().parents[1]
EX, DOC = "01-fact-or-frame", "transfer-heatwave-spain"
TRIVIAL = "00-trivial"


def trivial_course(course: Path) -> None:
    """A course with nbgrader's defaults (source/ and release/) and one assignment."""
    (course / "nbgrader_config.py").write_text(
        f"c = get_config()  # noqa: F821\nc.CourseDirectory.root = {str(course)!r}\n"
    )
    folder = course / "source" / TRIVIAL
    folder.mkdir(parents=True)
    cell = new_code_cell(
        "1",
        metadata={
            "nbgrader": {
                "schema_version": 3,
                "grade_id": "one",
                "grade": True,
                "solution": False,
                "locked": True,
                "points": 1,
            }
        },
    )
    kernelspec = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    notebook = new_notebook(cells=[cell], metadata={"kernelspec": kernelspec})
    nbformat.write(notebook, folder / f"{TRIVIAL}.ipynb")
    run("generate_assignment", TRIVIAL, course=course)


def answers(rng: random.Random, key: Annotation) -> str:
    """A believable student: most kinds right, some spans found."""
    kinds = [
        label.kind if rng.random() < 0.7 else rng.choice(["fact", "opinion"])
        for label in key.labels
    ]
    spans = [s for s in key.spans if rng.random() < 0.6]
    return json.dumps(
        {
            "taxonomy": "framelab-1",
            "document": DOC,
            "sentences": [
                {"id": label.id, "kind": kind}
                for label, kind in zip(key.labels, kinds, strict=True)
            ],
            "spans": [{"start": s.start, "end": s.end, "device": s.device} for s in spans],
        }
    )


def submit(course: Path, release_folder: Path, student: str, answers_text: str | None) -> None:
    folder = course / "submitted" / student / release_folder.name
    folder.mkdir(parents=True, exist_ok=True)
    for notebook in release_folder.glob("*.ipynb"):
        shutil.copy(notebook, folder)
    if answers_text is not None:
        (folder / "answers").mkdir(exist_ok=True)
        (folder / "answers" / f"{release_folder.name}.json").write_text(answers_text)


def run(*args: str, course: Path) -> float:
    started = time.monotonic()
    result = nbgrader(*args, cwd=course)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"nbgrader {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return seconds


def check_scores(course: Path, expected: dict[str, float]) -> int:
    """How many students' gradebook points differ from framelab's grading function
    (exercise 01 autogrades sentence kinds only, 8 points)."""
    from nbgrader.api import Gradebook

    wrong = 0
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student, kinds in expected.items():
            wrong += gb.find_grade("score_kinds", EX, EX, student).auto_score != kinds
    return wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--class-size", type=int, default=60)
    args = parser.parse_args()
    rng = random.Random(1)
    key = Annotation.load(ROOT / "datasets" / "keys" / f"{DOC}.json", kind="key")
    with tempfile.TemporaryDirectory() as scratch:
        framelab_course, plain_course = Path(scratch) / "framelab", Path(scratch) / "plain"
        framelab_course.mkdir()
        plain_course.mkdir()
        shutil.copy(ROOT / "nbgrader_config.py", framelab_course)
        shutil.copytree(ROOT / "solutions", framelab_course / "solutions")
        release(framelab_course, [EX])
        trivial_course(plain_course)
        expected = {}
        for n in range(args.class_size):
            student = f"student{n:03d}"
            text = answers(rng, key)
            submit(framelab_course, framelab_course / "exercises" / EX, student, text)
            submit(plain_course, plain_course / "release" / TRIVIAL, student, None)
            expected[student] = grade(
                text, exercise=EX, document=DOC, part="kinds", max_points=8
            ).points
        startup = run("--version", course=plain_course)
        ours = run("autograde", EX, "--create", course=framelab_course)
        trivial = run("autograde", TRIVIAL, "--create", course=plain_course)
        wrong = check_scores(framelab_course, expected)
    n = args.class_size
    print(f"nbgrader's start-up alone (nbgrader --version): {startup:.1f} s")
    print(f"exercise 01, class of {n}, one process: {ours:.1f} s ({ours / n:.2f} s a submission)")
    print(f"trivial one-cell assignment, class of {n}: {trivial:.1f} s ({trivial / n:.2f} s each)")
    print(f"ratio exercise 01 / trivial: {ours / trivial:.2f} (aim: at most 0.4)")
    print(f"scores that differ from framelab's grading function: {wrong} of {n}")
    if wrong:
        sys.exit(1)


if __name__ == "__main__":
    main()
