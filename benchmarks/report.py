"""How the class report's time grows with the class: simulated classes of 50, 500
and 5,000 students of exercise 01.

    .venv/bin/python benchmarks/report.py [--sizes 50 500 5000]

For each size, a scratch course is filled by framelab simulate-class (timed too),
then `framelab report` is timed as a command in a fresh process (start-up and
imports, reading answers and the gradebook, figures, charts, HTML and CSV).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from framelab.instructor.simulate import simulate_class

ROOT = Path(__file__).resolve().parents[1]
EX = "01-fact-or-frame"


def timed_report(course: Path, assignment: str) -> float:
    """Seconds for `framelab report` as an instructor runs it: a fresh process, imports
    included."""
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "framelab.cli",
            "report",
            "--course",
            str(course),
            "--assignment",
            assignment,
        ],
        check=True,
        capture_output=True,
    )
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500, 5000])
    args = parser.parse_args()
    previous = None
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as scratch:
            course = Path(scratch)
            shutil.copy(ROOT / "nbgrader_config.py", course)
            shutil.copytree(ROOT / "solutions", course / "solutions")
            started = time.monotonic()
            simulate_class(course, EX, size, seed=1)
            simulated = time.monotonic() - started
            seconds = timed_report(course, EX)
            growth = f", {seconds / previous:.1f} times the previous size's" if previous else ""
            print(
                f"{size:>6} students: report {seconds:6.2f} s ({seconds / size * 1000:.1f} ms a "
                f"student{growth}); simulating them took {simulated:.0f} s"
            )
            previous = seconds


if __name__ == "__main__":
    main()
