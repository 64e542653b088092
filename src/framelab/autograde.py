"""nbgrader preprocessors that make framelab's grade cells tamper-proof.

nbgrader runs a submission's cells, hidden tests included, in one kernel, so a
student's own cell could redefine the scorer or rewrite the answers file before
the grade cells run. These two preprocessors, listed around nbgrader's Execute in
``nbgrader_config.py``, close that gap:

- :class:`SnapshotSubmission` runs before any cell and keeps the submission's files
  as they were handed in.
- :class:`RestoreGradeCells` (in place of nbgrader's OverwriteCells) puts back a
  grade cell a student deleted. nbgrader 0.9.6's own ``add_missing_cells`` fails
  with a KeyError when the cell before the deleted one is a read-only cell that is
  neither graded nor a solution, as in framelab's exercises.
- :class:`RegradeCells` runs after the cells and recomputes every framelab grade
  cell (a cell whose source calls ``grade_cell(...)`` with literal arguments) in
  the grader's own process, from the snapshot; its printed reasons and points
  replace whatever the kernel produced. It also clears the outputs of the other
  code cells and puts the files back as handed in, so that nothing a student's
  code read (the key, say) can travel into the feedback.

The key is read here, in the grader, from the course's datasets folder; it is
never copied next to the submission, so it cannot reach the feedback.
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

from nbformat import from_dict
from nbformat.v4 import new_output
from nbgrader.preprocessors import OverwriteCells
from nbgrader.preprocessors.base import NbGraderPreprocessor

from framelab.grading import grade, grade_call, require_reviewed_key

__all__ = ["RegradeCells", "SnapshotSubmission", "grade_call"]

_SNAPSHOT = "framelab_submission"


class SnapshotSubmission(NbGraderPreprocessor):
    """Keep every file of the submission (the answers above all) as it was handed
    in, before the kernel runs anything."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        resources[_SNAPSHOT] = {
            str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and path.suffix != ".ipynb"
        }
        return nb, resources


class RestoreGradeCells(OverwriteCells):
    """nbgrader's OverwriteCells, with missing grade cells put back after the
    nearest earlier cell of the release that is still there, whatever its kind."""

    def add_missing_grade_cells(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        source = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        order = [cell.name for cell in source.source_cells]
        grade_cells = {cell.name: cell for cell in source.grade_cells}
        solutions = {cell.name for cell in source.solution_cells}
        for position, name in enumerate(order):
            present = {
                cell.metadata["nbgrader"].get("grade_id"): index
                for index, cell in enumerate(nb.cells)
                if "nbgrader" in cell.metadata
            }
            if name not in grade_cells or name in present:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook", name)
            earlier = [present[n] for n in reversed(order[:position]) if n in present]
            cell = self.missing_cell_transform(
                source.source_cells[position],
                grade_cells[name].max_score,
                is_solution=name in solutions,
            )
            nb.cells.insert(earlier[0] + 1 if earlier else 0, from_dict(cell))
        return nb, resources


class RegradeCells(NbGraderPreprocessor):
    """After the cells ran: score framelab grade cells from the snapshot, clear the
    outputs of every other code cell, and put the submission's files back as they
    were handed in. Nothing a student's code printed or wrote reaches the grades or
    the feedback."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        nb, resources = super().preprocess(nb, resources)
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        snapshot: dict[str, bytes] = resources.get(_SNAPSHOT, {})
        for path in sorted(folder.rglob("*"), reverse=True):
            name = str(path.relative_to(folder))
            if path.is_file() and path.suffix != ".ipynb" and name not in snapshot:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        for name, content in snapshot.items():
            path = folder / name
            if not path.is_file() or path.read_bytes() != content:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
        return nb, resources

    def preprocess_cell(
        self, cell: Any, resources: dict[str, Any], index: int
    ) -> tuple[Any, dict[str, Any]]:
        if cell.get("cell_type") != "code":
            return cell, resources
        meta = cell.get("metadata", {}).get("nbgrader", {})
        call = grade_call(cell.get("source", "")) if meta.get("grade") else None
        if call is None:
            cell.outputs = []
            return cell, resources
        submitted = resources.get(_SNAPSHOT, {}).get(f"answers/{call['exercise']}.json")
        try:
            text = None if submitted is None else submitted.decode("utf-8")
        except UnicodeDecodeError:
            text = "not UTF-8 text"
        buffer = io.StringIO()
        with redirect_stdout(buffer):  # nothing of the grader's may reach stderr
            result = grade(
                text,
                exercise=call["exercise"],
                document=call["document"],
                part=call["part"],
                max_points=float(meta.get("points", call["points"])),
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


class RequireReviewedKeys(NbGraderPreprocessor):
    """For generate_assignment: refuse to release an exercise whose key is missing or
    still a draft (a machine's suggestion nobody has reviewed)."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        for cell in nb.cells:
            call = grade_call(cell.get("source", "")) if cell.get("cell_type") == "code" else None
            if call is not None:
                require_reviewed_key(call["document"])
        return nb, resources
