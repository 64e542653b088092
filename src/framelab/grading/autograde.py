"""nbgrader's autograde for framelab exercises, with no student code run as the grader.

nbgrader's own autograde starts a kernel on each submission and runs every code
cell of it as the account that grades, so one student's cell could read every
key, rewrite the gradebook or plant code in the instructor's configuration. A
framelab exercise needs none of that: every graded answer is data in the answers
file (or a written answer, marked by hand). So ``nbgrader_config.py`` puts
:class:`GradeSubmission` where nbgrader's ``Execute`` was; it starts no kernel,
scores each framelab grade cell (a cell whose source calls ``grade_cell(...)``
with literal arguments) in the grader's own process from the submission as
handed in, read without following links (:mod:`framelab.grading.submission`), and clears
the outputs of every other code cell. An exercise with a grade cell that needs a
student's code to run is graded in a sandbox (:mod:`framelab.grading.sandbox`) that sees
only a copy of that submission.

Before nbgrader copies anything of a submission, :func:`screen_submission` (the
``pre_convert_hook``) sets aside what is not a plain file: a link, a device, a
fifo, a file past the size limit, a notebook that is not JSON. nbgrader would
follow a link and copy what it points to, as the instructor; what is set aside
is kept under ``refused-files/`` in the course, and a refused answers file or
notebook is replaced by a short note of why, which the student's feedback shows.

:class:`RestoreGradeCells` (in place of nbgrader's OverwriteCells) puts back a
grade cell a student deleted: nbgrader 0.9.6's own ``add_missing_cells`` fails
with a KeyError when the cell before the deleted one is a read-only cell that is
neither graded nor a solution, as in framelab's exercises.

The key is read here, in the grader, from the course's datasets folder; it is
never copied next to a submission, so it cannot reach the feedback.
"""

from __future__ import annotations

import io
import json
import os
from contextlib import redirect_stdout
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from nbformat import from_dict
from nbformat.v4 import new_markdown_cell, new_notebook, new_output
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import OverwriteCells
from nbgrader.preprocessors.base import NbGraderPreprocessor
from nbgrader.utils import parse_utc

from framelab.grading.answers import ANSWERS_FOLDER, answers_path, submitted
from framelab.grading.cells import grade, grade_call, require_reviewed_key
from framelab.grading.submission import read_tree, write_tree
from framelab.texts.model import FramelabError

__all__ = [
    "GradeSubmission",
    "RequireReviewedKeys",
    "RestoreGradeCells",
    "check_setup",
    "grade_call",
    "screen_submission",
]

REFUSED_FOLDER = "refused-files"
GRADER = "framelab.grading.autograde.GradeSubmission"
HOOK = "framelab.grading.autograde.screen_submission"
_TREE = "framelab_submission"  # the submission as read, in nbgrader's resources


def check_setup(config: Any) -> None:
    """Raise FramelabError, naming the setting to fix, unless nbgrader's autograde is
    set up as framelab's ``nbgrader_config.py`` sets it: GradeSubmission first among
    the autograde preprocessors, no Execute, and screen_submission as the hook. With
    another setup nbgrader would run students' code as the grader, or score nothing."""
    autograde = config.get("Autograde", {})
    names = [_name(p) for p in autograde.get("autograde_preprocessors", None) or ()]
    where = "in nbgrader_config.py (see docs/instructor-guide.md, Grading)"
    if not names or names[0] != GRADER:
        raise FramelabError(
            f'c.Autograde.autograde_preprocessors must start with "{GRADER}" {where}; '
            f"it starts with {names[0] if names else 'nbgrader default list'!r}, so no "
            "submission was graded"
        )
    if any(name.rsplit(".", 1)[-1] == "Execute" for name in names):
        raise FramelabError(
            "c.Autograde.autograde_preprocessors holds nbgrader's Execute, which would run "
            f"students' code as the grader: remove it {where}; no submission was graded"
        )
    hook = autograde.get("pre_convert_hook", None)
    if hook is None or _name(hook) != HOOK:
        raise FramelabError(
            f'c.Autograde.pre_convert_hook must be "{HOOK}" {where}: it sets aside links '
            "before nbgrader copies a submission; no submission was graded"
        )


def _name(thing: Any) -> str:
    if isinstance(thing, str):
        return thing
    return f"{getattr(thing, '__module__', '')}.{getattr(thing, '__qualname__', thing)}"


class GradeSubmission(NbGraderPreprocessor):
    """In place of nbgrader's Execute: score framelab grade cells from the answers
    as handed in, clear every other code cell's output, and leave in the autograded
    folder only the submission's plain files. Starts no kernel on the student's
    notebook; a grade cell that needs one runs in the sandbox."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        check_setup(self.config)
        folder = self._submitted_folder(resources)
        try:
            tree = read_tree(folder)
        except OSError as error:
            raise FramelabError(
                f"the submission {folder} cannot be read as a folder ({error.strerror})"
            ) from None
        resources[_TREE] = tree
        needs_code = [
            cell.metadata["nbgrader"].get("grade_id")
            for cell in nb.cells
            if cell.cell_type == "code"
            and cell.get("metadata", {}).get("nbgrader", {}).get("grade")
            and grade_call(cell.source) is None
        ]
        if needs_code:
            from framelab.grading.sandbox import run_in_sandbox

            nb = run_in_sandbox(nb, tree, log=self.log)
        nb, resources = super().preprocess(nb, resources)
        autograded = Path(resources.get("metadata", {}).get("path") or ".")
        write_tree(tree, autograded)
        return nb, resources

    def _submitted_folder(self, resources: dict[str, Any]) -> Path:
        info = resources["nbgrader"]
        coursedir = CourseDirectory(parent=self)
        folder = Path(
            coursedir.format_path(
                coursedir.submitted_directory, info["student"], info["assignment"]
            )
        )
        if folder.is_symlink() or folder.parent.is_symlink():
            raise FramelabError(
                f"{folder} is reached through a link; framelab grades only plain folders "
                "(the pre_convert_hook screen_submission sets such links aside)"
            )
        return folder

    def preprocess_cell(
        self, cell: Any, resources: dict[str, Any], index: int
    ) -> tuple[Any, dict[str, Any]]:
        if cell.get("cell_type") != "code":
            return cell, resources
        meta = cell.get("metadata", {}).get("nbgrader", {})
        call = grade_call(cell.get("source", "")) if meta.get("grade") else None
        if call is None:
            if not meta.get("grade"):
                cell.outputs = []  # nothing a student's cell showed goes into the feedback
            return cell, resources
        content, problem = submitted(resources[_TREE], call["exercise"])
        buffer = io.StringIO()
        with redirect_stdout(buffer):  # nothing of the grader's may reach stderr
            result = grade(
                content,
                exercise=call["exercise"],
                document=call["document"],
                part=call["part"],
                max_points=float(meta.get("points", call["points"])),
                problem=problem,
                item=call.get("item"),
                devices=call.get("devices"),
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


def screen_submission(
    assignment: str = "", student: str = "", notebooks: list[str] | None = None, **_: Any
) -> None:
    """nbgrader's ``Autograde.pre_convert_hook``: before nbgrader copies a submission,
    set aside everything in it that is not a plain file or folder, so that nbgrader
    never follows a link or reads a special file as the instructor.

    Set-aside entries are moved to ``refused-files/<student>/<assignment>/<time>/``
    in the course. A refused answers file is replaced by a one-line note of why, and
    a refused notebook by an empty one that says why; the grade cells are then put
    back and scored as usual. nbgrader ignores what a hook raises, so this never
    raises: it logs what it did."""
    import logging

    log = logging.getLogger("framelab.grading.autograde")
    if not notebooks:
        return
    folder = Path(notebooks[0]).parent
    try:
        _screen(folder, [Path(n).name for n in notebooks], log)
    except Exception:  # the hook's failure would be silent in nbgrader's log
        log.exception("framelab could not screen %s; its links are ignored by the grader", folder)


def _screen(folder: Path, notebooks: list[str], log: Any) -> None:
    evidence = (
        folder.parents[2]
        / REFUSED_FOLDER
        / folder.parent.name
        / folder.name
        / datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    )
    for level in (folder.parent, folder):  # submitted/<student>, submitted/<student>/<id>
        if level.is_symlink():
            problem = f"is a link (to {os.readlink(level)}), not a folder"
            evidence.mkdir(parents=True)
            os.rename(level, evidence / level.name)
            log.warning("%s %s: set aside in %s", level, problem, evidence)
            folder.mkdir(parents=True)
            for name in notebooks:
                _note(folder / name, f"The folder you handed in {problem}; nothing in it was read.")
            (evidence / "refused.json").write_text(json.dumps({str(level): problem}))
            return
    tree = read_tree(folder)
    refused = {entry.path: entry.problem for entry in tree.refused if entry.path}
    for name in notebooks:
        if name in refused or name not in tree.files:
            continue
        try:
            json.loads(tree.files[name])
        except (ValueError, RecursionError):
            refused[name] = "is not a notebook (not valid JSON)"
    timestamp = tree.files.get("timestamp.txt")
    if timestamp is not None:
        try:
            parse_utc(timestamp.decode("utf-8").strip())
        except (ValueError, UnicodeDecodeError, OverflowError):
            refused["timestamp.txt"] = "is not a time; the submission is graded as on time"
    if not refused:
        return
    for path, problem in sorted(refused.items()):
        source = folder / path
        target = evidence / path
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(source, target)  # a link is moved as a link, never followed
        log.warning("%s/%s %s: set aside in %s", folder, path, problem, target)
        if path in notebooks:
            _note(
                source,
                f"The notebook you handed in, {path}, {problem}. It was set aside, not read; "
                "your answers file is still graded.",
            )
        elif path == ANSWERS_FOLDER or (
            path.startswith(f"{ANSWERS_FOLDER}/") and path.endswith(".json")
        ):
            marker = answers_path(folder.name, folder) if path == ANSWERS_FOLDER else source
            marker.parent.mkdir(exist_ok=True)
            marker.write_text(json.dumps({"refused": f"{path} {problem}"}), encoding="utf-8")
    (evidence / "refused.json").write_text(json.dumps(refused, indent=1), encoding="utf-8")


def _note(notebook: Path, message: str) -> None:
    """Put a notebook that only says why the one handed in was set aside."""
    message += " Ask your teacher if this is a mistake."
    notebook.write_text(json.dumps(new_notebook(cells=[new_markdown_cell(message)])))


class RestoreGradeCells(OverwriteCells):
    """nbgrader's OverwriteCells, with missing grade cells put back after the
    nearest earlier cell of the release that is still there, whatever its kind.

    It runs first on every notebook (in the sanitize step), so it also checks the
    setup (:func:`check_setup`) before anything is graded."""

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        check_setup(self.config)
        return super().preprocess(nb, resources)

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


class RequireReviewedKeys(NbGraderPreprocessor):
    """For generate_assignment: refuse to release an exercise whose key is missing or
    still a draft (a machine's suggestion nobody has reviewed)."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        for cell in nb.cells:
            call = grade_call(cell.get("source", "")) if cell.get("cell_type") == "code" else None
            if call is not None:
                require_reviewed_key(call["document"])
        return nb, resources
