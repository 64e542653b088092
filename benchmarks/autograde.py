"""Autograding cost: exercise 01 against a trivial one-cell notebook, and a class.

    .venv/bin/python benchmarks/autograde.py [--repeat 5] [--class-size 60]

Everything runs in a scratch course folder, in the same run, on this machine:

1. One submission per process (``nbgrader autograde A --student S --force``), for
   exercise 01 and for a trivial assignment whose one grade cell returns 1; the
   median of ``--repeat`` runs each, and their ratio.
2. A class of ``--class-size`` submissions of exercise 01 graded the way the
   instructor guide recommends: one ``nbgrader autograde`` process for the class.
   The same class one process per student is estimated from part 1 (running it
   would take many minutes), and both are reported.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from framelab.course import nbgrader, release
from framelab.model import Annotation

ROOT = Path(__file__).resolve().parents[1]
EX, DOC = "01-fact-or-frame", "transfer-heatwave-spain"


def trivial_assignment(course: Path) -> None:
    folder = course / "solutions" / "00-trivial"
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
    notebook = new_notebook(
        cells=[cell],
        metadata={
            "kernelspec": {
                "name": "python3",
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
            }
        },
    )
    nbformat.write(notebook, folder / "00-trivial.ipynb")


def answers(rng: random.Random) -> str:
    """A believable student: most kinds right, some spans found."""
    key = Annotation.load(ROOT / "datasets" / "keys" / f"{DOC}.json", kind="key")
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


def submit(course: Path, assignment: str, student: str, answers_text: str | None) -> None:
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for notebook in (course / "exercises" / assignment).glob("*.ipynb"):
        shutil.copy(notebook, folder)
    if answers_text is not None:
        (folder / "answers").mkdir(exist_ok=True)
        (folder / "answers" / f"{assignment}.json").write_text(answers_text)


def timed(*args: str, course: Path) -> float:
    started = time.monotonic()
    result = nbgrader(*args, cwd=course)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"nbgrader {' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--class-size", type=int, default=60)
    args = parser.parse_args()
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as scratch:
        course = Path(scratch)
        shutil.copy(ROOT / "nbgrader_config.py", course)
        shutil.copytree(ROOT / "solutions", course / "solutions")
        trivial_assignment(course)
        release(course)
        submit(course, EX, "one", answers(rng))
        submit(course, "00-trivial", "one", None)
        import_seconds = timed("--version", course=course)
        single = {}
        for assignment in (EX, "00-trivial"):
            runs = [
                timed(
                    "autograde",
                    assignment,
                    "--student",
                    "one",
                    "--force",
                    "--create",
                    course=course,
                )
                for _ in range(args.repeat)
            ]
            single[assignment] = statistics.median(runs)
            print(
                f"{assignment}: one submission per process, median of {args.repeat}: "
                f"{single[assignment]:.2f} s (min {min(runs):.2f}, max {max(runs):.2f})"
            )
        ratio = single[EX] / single["00-trivial"]
        print(f"ratio exercise 01 / trivial: {ratio:.2f}")
        print(f"nbgrader's start-up alone (nbgrader --version): {import_seconds:.2f} s")

        for n in range(args.class_size):
            submit(course, EX, f"student{n:03d}", answers(rng))
        whole = timed("autograde", EX, "--create", course=course)
        count = args.class_size + 1
        print(
            f"class of {count} in one process: {whole:.1f} s ({whole / count:.2f} s a submission)"
        )
        print(
            f"the same class one process per student (estimated from the median): "
            f"{single[EX] * count:.0f} s"
        )


if __name__ == "__main__":
    main()
