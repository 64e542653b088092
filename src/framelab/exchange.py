"""Collecting from nbgrader's exchange, refusing submissions made under another
student's name.

nbgrader's exchange does not authenticate student ids: ``nbgrader submit
--student=<someone else>`` puts a folder named for the victim in inbound/, and
``nbgrader collect`` would take it as theirs. On a shared server each submission
folder is owned by the unix user who made it, so :func:`checked_collect` compares
that owner with the student id in the folder's name, moves every mismatch into a
``refused-submissions/`` folder of the course (kept as evidence, never graded), and
only then runs ``nbgrader collect``.
"""

from __future__ import annotations

import pwd
import shutil
from dataclasses import dataclass
from pathlib import Path

from framelab.course import nbgrader
from framelab.model import FramelabError

__all__ = ["Refusal", "checked_collect"]


@dataclass(frozen=True)
class Refusal:
    folder: str
    named: str  # the student id in the folder's name
    owner: str  # the unix user who made it

    def __str__(self) -> str:
        return (
            f"refused {self.folder}: it is named for {self.named} but was submitted by {self.owner}"
        )


def checked_collect(
    assignment: str, course: Path, exchange: Path, course_id: str
) -> tuple[list[Refusal], str]:
    """Refuse impersonated submissions, then collect the rest with nbgrader.
    Returns the refusals and nbgrader's output."""
    inbound = Path(exchange) / course_id / "inbound"
    if not inbound.is_dir():
        raise FramelabError(f"{inbound} does not exist: has {assignment} been released?")
    quarantine = Path(course) / "refused-submissions"
    refusals = []
    for entry in sorted(inbound.iterdir()):
        parts = entry.name.split("+")
        if len(parts) < 3 or parts[1] != assignment:
            continue
        named = parts[0]
        try:
            owner = pwd.getpwuid(entry.lstat().st_uid).pw_name
        except KeyError:
            owner = str(entry.lstat().st_uid)
        if owner != named or entry.is_symlink():
            quarantine.mkdir(exist_ok=True)
            shutil.move(str(entry), quarantine / entry.name)
            refusals.append(Refusal(entry.name, named, owner))
    result = nbgrader("collect", assignment, "--update", cwd=Path(course))
    if result.returncode != 0:
        raise FramelabError(f"nbgrader collect failed:\n{result.stderr.strip()[-2000:]}")
    return refusals, result.stderr
