"""The starting-point and finishing-point checks (lessons 00 and 08): which of the two
matched passages a student meets at each.

Half a class meets passage A first and half passage B, and each student meets the other at
the end, so that the class's change is not the difference between two texts. Which half a
student is in follows from their id alone (a hash, the same on every machine and in every
session), so nothing has to be stored or handed out.

>>> check_passage("amira", "start") != check_passage("amira", "end")
True
>>> sorted({check_passage("amira", "start"), check_passage("amira", "end")}) == sorted(PASSAGES)
True
"""

from __future__ import annotations

import getpass
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from framelab.texts.model import FramelabError

if TYPE_CHECKING:
    from framelab.teach.tagger import Tagger

__all__ = [
    "ASSIGNMENTS",
    "PASSAGES",
    "WHEN",
    "check_passage",
    "check_tagger",
    "is_check",
    "ready",
    "student_id",
]

PASSAGES = ("check-swimming-pool-ireland", "check-library-move-canada")  # A and B
WHEN = ("start", "end")
# The two checks are handed out and in as nbgrader assignments, so that the answers
# reach the instructor through the exchange like any exercise's.
ASSIGNMENTS = {"start": "00-starting-point", "end": "08-finishing-point"}


def check_passage(student: str, when: str) -> str:
    """The passage ``student`` meets at the ``"start"`` (lesson 00) or the ``"end"``
    (lesson 08)."""
    _when(when)
    if not student.strip():
        raise FramelabError("a check needs the student's id (their login name), not an empty one")
    first = hashlib.sha256(student.strip().lower().encode("utf-8")).digest()[0] % 2
    return PASSAGES[first if when == "start" else 1 - first]


def student_id() -> str:
    """Who is working: the hub's user name on a shared server, else the computer's."""
    return os.environ.get("JUPYTERHUB_USER") or getpass.getuser()


def is_check(assignment: str) -> bool:
    """Whether ``assignment`` is one of the two checks."""
    return assignment in ASSIGNMENTS.values()


def check_tagger(when: str, folder: str | Path = ".") -> Tagger:
    """The tagger of the check at the ``"start"`` or the ``"end"``: no key, all six
    devices, saving to ``answers/<assignment>.json``. The passage is the student's
    (:func:`check_passage`), unless their answers file already holds answers for the
    other one (a second login name, say): then it stays on that one, and nothing they
    did is set aside."""
    from framelab.teach.tagger import Tagger

    return Tagger.exam(ASSIGNMENTS[_when(when)], _passage(when, folder), folder, graded=False)


def ready(when: str) -> None:
    """The check a student runs before handing in: is the answers file there and
    complete? Says nothing about right or wrong."""
    from framelab.grading.cells import check_answers

    check_answers(ASSIGNMENTS[_when(when)], list(PASSAGES))


def _when(when: str) -> str:
    if when not in WHEN:
        raise FramelabError(f"a check is at the 'start' or the 'end', not {when!r}")
    return when


def _passage(when: str, folder: str | Path) -> str:
    from framelab.grading.answers import answers_path, named_document, read_bytes

    try:
        content = read_bytes(answers_path(ASSIGNMENTS[_when(when)], folder))
    except FramelabError:  # the tagger will say what is wrong with the file
        content = None
    held = named_document(content, ("", *PASSAGES)) if content is not None else ""
    return held or check_passage(student_id(), when)
