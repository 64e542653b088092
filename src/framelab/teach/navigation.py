"""The links between lessons, made in one place.

The course's plan is the table in ``lessons/README.md`` (NN, name, what it teaches).
Each lesson notebook ``lessons/NN-name.ipynb`` carries a navigation line at its top and
at its end: the previous lesson, this one in bold, the next one (marked "coming soon"
while its notebook does not exist yet). :func:`write_navigation` rewrites those lines
from the plan; ``framelab navigation --check`` says which notebooks are out of step,
and a test runs it.

>>> plan = [Lesson("00", "start-here", "Start here"),
...         Lesson("01", "fact-or-frame", "Fact or frame")]
>>> print(nav_line(plan, 0, present={"00", "01"}))
[framelab](../README.md) · **00 Start here** · Next: [01 Fact or frame](01-fact-or-frame.ipynb) →
>>> print(nav_line(plan, 1, present={"00", "01"}))
← Previous: [00 Start here](00-start-here.ipynb) · **01 Fact or frame**
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from framelab.texts.model import FramelabError

__all__ = ["Lesson", "lesson_plan", "nav_line", "write_navigation"]

_ROW = re.compile(r"^\|\s*(\d\d)\s*\|\s*([a-z0-9-]+)\s*\|")
# a navigation line as this module writes it (the first lesson's starts at the README)
_NAV = re.compile(r"^(← Previous: |\[framelab\]\(\.\./README\.md\) · \*\*)")


@dataclass(frozen=True)
class Lesson:
    """One lesson of the plan: its number, its file name's stem after the number, and
    its title as the notebook's heading gives it (or made from the name)."""

    number: str
    name: str
    title: str

    @property
    def file(self) -> str:
        return f"{self.number}-{self.name}.ipynb"

    @property
    def link(self) -> str:
        return f"[{self.number} {self.title}]({self.file})"


def lesson_plan(lessons: Path) -> list[Lesson]:
    """The lessons of ``lessons/README.md``'s table, in order, with each title taken
    from the notebook's first "# NN Title" heading where the notebook exists."""
    import nbformat

    readme = Path(lessons) / "README.md"
    try:
        rows = [m.groups() for line in readme.read_text().splitlines() if (m := _ROW.match(line))]
    except OSError as error:
        raise FramelabError(f"cannot read the lesson plan {readme}: {error.strerror}") from None
    if not rows:
        raise FramelabError(f"{readme} has no table of lessons (| NN | name | teaches |)")
    plan = []
    for number, name in rows:
        title = name.replace("-", " ").capitalize()
        notebook = Path(lessons) / f"{number}-{name}.ipynb"
        if notebook.is_file():
            for cell in nbformat.read(notebook, as_version=4).cells:
                heading = re.search(rf"^# {number} (.+)$", cell.source, re.M)
                if cell.cell_type == "markdown" and heading:
                    title = heading.group(1).strip()
                    break
        plan.append(Lesson(number, name, title))
    return plan


def nav_line(plan: list[Lesson], index: int, *, present: set[str]) -> str:
    """The navigation line of lesson ``plan[index]``; ``present`` holds the numbers of
    the lessons whose notebooks exist (the others are "coming soon")."""

    def link(lesson: Lesson) -> str:
        return lesson.link + ("" if lesson.number in present else " (coming soon)")

    lesson = plan[index]
    here = f"**{lesson.number} {lesson.title}**"
    parts = [f"← Previous: {link(plan[index - 1])}" if index else "[framelab](../README.md)", here]
    line = " · ".join(parts)
    if index + 1 < len(plan):
        line += f" · Next: {link(plan[index + 1])} →"
    return line


def write_navigation(lessons: Path, *, check: bool = False) -> list[Path]:
    """Rewrite the navigation lines of every lesson notebook in ``lessons`` from the
    plan; returns the notebooks that were (with ``check``: that would be) changed. A
    notebook with no navigation line at its start and end is an error."""
    import nbformat

    plan = lesson_plan(lessons)
    present = {lesson.number for lesson in plan if (Path(lessons) / lesson.file).is_file()}
    changed = []
    for index, lesson in enumerate(plan):
        path = Path(lessons) / lesson.file
        if lesson.number not in present:
            continue
        notebook = nbformat.read(path, as_version=4)
        line = nav_line(plan, index, present=present)
        markdown = [cell for cell in notebook.cells if cell.cell_type == "markdown"]
        found = 0
        for cell in markdown:
            lines = cell.source.split("\n")
            new = [line if _NAV.match(old) else old for old in lines]
            found += sum(bool(_NAV.match(old)) for old in lines)
            cell.source = "\n".join(new)
        if not (markdown and _NAV.match(markdown[0].source) and found >= 2):
            raise FramelabError(
                f"{path} needs a navigation line at its start and at its end (a line that "
                "starts '← Previous: ' or, in the first lesson, '[framelab](../README.md) · ')"
            )
        if nbformat.writes(notebook) + "\n" != path.read_text():
            changed.append(path)
            if not check:
                nbformat.write(notebook, path)
    return changed
