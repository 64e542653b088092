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

from framelab.texts.model import FramelabError

__all__ = ["PASSAGES", "WHEN", "check_passage", "student_id"]

PASSAGES = ("check-swimming-pool-ireland", "check-library-move-canada")  # A and B
WHEN = ("start", "end")


def check_passage(student: str, when: str) -> str:
    """The passage ``student`` meets at the ``"start"`` (lesson 00) or the ``"end"``
    (lesson 08)."""
    if when not in WHEN:
        raise FramelabError(f"a check is at the 'start' or the 'end', not {when!r}")
    if not student.strip():
        raise FramelabError("a check needs the student's id (their login name), not an empty one")
    first = hashlib.sha256(student.strip().lower().encode("utf-8")).digest()[0] % 2
    return PASSAGES[first if when == "start" else 1 - first]


def student_id() -> str:
    """Who is working: the hub's user name on a shared server, else the computer's."""
    return os.environ.get("JUPYTERHUB_USER") or getpass.getuser()
