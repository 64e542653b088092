"""nbgrader preprocessors that make framelab's grade cells tamper-proof.

nbgrader runs a submission's cells, hidden tests included, in one kernel, so a
student's own cell could redefine the scorer or rewrite the answers file before
the grade cells run. These two preprocessors, listed around nbgrader's Execute in
``nbgrader_config.py``, close that gap:

- :class:`SnapshotAnswers` runs before any cell and keeps the answers files as
  they were submitted.
- :class:`RegradeCells` runs after the cells and recomputes every framelab grade
  cell (a cell whose source calls ``grade_cell(...)`` with literal arguments) in
  the grader's own process, from the snapshot; its printed reasons and points
  replace whatever the kernel produced.

The key is read here, in the grader, from the course's datasets folder; it is
never copied next to the submission, so it cannot reach the feedback.
"""

from __future__ import annotations

import ast
import io
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_output

from framelab.grading import grade

__all__ = ["RegradeCells", "SnapshotAnswers", "grade_call"]

_SNAPSHOT = "framelab_answers"


class SnapshotAnswers(Preprocessor):
    """Keep the text of every ``answers/*.json`` before the kernel runs anything."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        folder = Path(resources.get("metadata", {}).get("path") or ".") / "answers"
        snapshot: dict[str, str] = {}
        if folder.is_dir():
            for path in sorted(folder.glob("*.json")):
                try:
                    snapshot[path.name] = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    snapshot[path.name] = "\x00unreadable"
        resources[_SNAPSHOT] = snapshot
        return nb, resources


class RegradeCells(Preprocessor):
    """Recompute framelab grade cells from the snapshot, outside the kernel."""

    def preprocess_cell(
        self, cell: Any, resources: dict[str, Any], index: int
    ) -> tuple[Any, dict[str, Any]]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code" or not meta.get("grade"):
            return cell, resources
        call = grade_call(cell.get("source", ""))
        if call is None:
            return cell, resources
        snapshot = resources.get(_SNAPSHOT, {})
        text = snapshot.get(f"{call['exercise']}.json")
        max_points = float(meta.get("points", call["points"]))
        buffer = io.StringIO()
        with redirect_stdout(buffer):  # nothing of the grader's may reach stderr
            result = grade(
                text,
                exercise=call["exercise"],
                document=call["document"],
                part=call["part"],
                max_points=max_points,
            )
        cell.outputs = [
            new_output("stream", name="stdout", text="\n".join(result.lines) + "\n"),
            new_output(
                "execute_result",
                data={"text/plain": repr(float(result.points))},
                execution_count=cell.get("execution_count"),
            ),
        ]
        return cell, resources


def grade_call(source: str) -> dict[str, Any] | None:
    """The literal arguments of the ``grade_cell(...)`` call in a cell's source,
    or None when the cell makes no such call.

    >>> grade_call('from framelab.grading import grade_cell\\n'
    ...            'grade_cell("01-x", "doc", part="kinds", points=4)')
    {'exercise': '01-x', 'document': 'doc', 'part': 'kinds', 'points': 4}
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    names = ("exercise", "document", "part", "points")
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name != "grade_cell":
            continue
        try:
            values = [ast.literal_eval(arg) for arg in node.args]
            values_by_name = dict(zip(names, values, strict=False))
            for keyword in node.keywords:
                values_by_name[keyword.arg] = ast.literal_eval(keyword.value)
        except ValueError:
            return None
        if set(values_by_name) == set(names):
            return {name: values_by_name[name] for name in names}
    return None
