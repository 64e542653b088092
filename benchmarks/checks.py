"""The starting-point and finishing-point report beside the class report of exercise 01,
on the same simulated classes: how long each `framelab report` takes, and their ratio.

    .venv/bin/python benchmarks/checks.py [--sizes 60 600]

For each size, one scratch course holds a simulated class of exercise 01 and simulated
checks (a true gain of 1.5 points) for the same number of students; each report is
timed as a command in a fresh process, as an instructor runs it (start-up and imports,
reading answers, scoring, the figures, the chart, HTML and CSV). The check report reads
and scores two submissions a student, the class report one and the gradebook.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from report import timed_report  # benchmarks/report.py, beside this script

from framelab.instructor.simulate import simulate_checks, simulate_class

ROOT = Path(__file__).resolve().parents[1]
EX = "01-fact-or-frame"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[60, 600])
    args = parser.parse_args()
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as scratch:
            course = Path(scratch)
            shutil.copy(ROOT / "nbgrader_config.py", course)
            shutil.copytree(ROOT / "solutions", course / "solutions")
            simulate_class(course, EX, size, seed=1)
            made = simulate_checks(course, size, gain=1.5, seed=1)
            exercise = timed_report(course, EX)
            checks = timed_report(course, "08-finishing-point")
            print(
                f"{size:>5} students: exercise 01's report {exercise:5.2f} s, the checks' report "
                f"{checks:5.2f} s ({checks / exercise:.2f} times); true gain "
                f"{made.true_gain:+.2f}"
            )


if __name__ == "__main__":
    main()
