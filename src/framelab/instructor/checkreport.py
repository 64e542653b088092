"""The class's starting point and finishing point: what the two checks show.

Every student does a short check in lesson 00 (``00-starting-point``) and the same kind of
check on the other passage in lesson 08 (``08-finishing-point``); both are handed in like
exercises. :func:`load_progress` reads both from ``submitted/``, scores each on its
passage's key as the checks' grade cells do (sentence kinds 5 points, phrases 5), pairs each
student's two scores and works out the class's change with its confidence interval and
effect size (:mod:`framelab.instructor.gain`), and which kinds and devices improved most.
:func:`write_progress` writes the instructor's page, a CSV file and a page of slips, one a
student with only that student's own two scores, to hand back.

The figures count only students who did both checks, each on a different passage; a student
who met the same passage twice (two login names, say) is listed and left out, since a second
try at one passage measures memory, not reading.
"""

from __future__ import annotations

import html
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from framelab.grading.feedback import points
from framelab.grading.scoring import normalise, score
from framelab.instructor.classreport import (
    PAGE_STYLE,
    STATUSES,
    handed_in,
    png_data,
    report_folder,
    roster,
    write_csv,
)
from framelab.instructor.gain import Gain, paired_gain
from framelab.teach.checks import ASSIGNMENTS, PASSAGES, WHEN
from framelab.texts.corpus import load_document, load_key
from framelab.texts.model import Annotation, Document, FramelabError, os_problem
from framelab.texts.taxonomy import DEVICES, KINDS

if TYPE_CHECKING:
    from framelab.teach.plots import Chart

__all__ = [
    "POINTS",
    "CheckScore",
    "Progress",
    "StudentProgress",
    "chart",
    "check_score",
    "load_progress",
    "summary_html",
    "write_progress",
]

POINTS = {"kinds": 5.0, "devices": 5.0}  # as the checks' grade cells give them (a test checks)
TOTAL = sum(POINTS.values())


@dataclass(frozen=True)
class CheckScore:
    """One student's score on one check."""

    passage: str
    points: float  # of TOTAL, as the grade cells give them
    kinds: dict[str, tuple[int, int]]  # key kind -> (sentences right, sentences of that kind)
    devices: dict[str, float]  # device -> the share of the key's phrases of it found


@dataclass
class StudentProgress:
    """One student's two checks."""

    id: str
    scores: dict[str, CheckScore] = field(default_factory=dict)  # "start", "end"
    status: dict[str, str] = field(default_factory=dict)  # graded, untouched, malformed, missing
    problems: list[str] = field(default_factory=list)

    @property
    def paired(self) -> bool:
        """Did both checks, on different passages: counted in the class's change."""
        start, end = self.scores.get("start"), self.scores.get("end")
        return bool(start and end and start.passage != end.passage)

    @property
    def change(self) -> float | None:
        return self.scores["end"].points - self.scores["start"].points if self.paired else None


@dataclass(frozen=True)
class Progress:
    """What the two checks show for a class."""

    course: Path
    students: list[StudentProgress]
    gain: Gain | None  # None until at least two students did both
    kinds: dict[str, tuple[float, float]]  # kind -> share right at the start, at the end
    devices: dict[str, tuple[float, float]]  # device -> share of its phrases found
    first: Counter[str]  # how many of the paired students started with each passage
    why_no_gain: str = ""

    def by_first(self) -> dict[str, tuple[int, float]]:
        """For each passage, the students counted who started with it and their mean
        change: if the two differ, part of the difference is the passages'."""
        out = {}
        for passage in PASSAGES:
            changes = [
                s.change
                for s in self.students
                if s.change is not None and s.scores["start"].passage == passage
            ]
            if changes:
                out[passage] = (len(changes), statistics.fmean(changes))
        return out

    @property
    def counts(self) -> dict[str, dict[str, int]]:
        """For each check, how many students' answers were read, untouched, ..."""
        return {
            when: {
                status: sum(s.status.get(when) == status for s in self.students)
                for status in STATUSES
            }
            for when in WHEN
        }

    def caveats(self) -> list[str]:
        """What the figures cannot show, in plain words."""
        lines = self.gain.caveats() if self.gain else []
        if self.gain:
            lines.append(
                "Each check is short: nine units to tag and three phrases to find, of three "
                "devices only (a loaded word, a guess at feelings, a vague source). Many "
                "students get most of the kinds right at the start, so the checks can show "
                "only part of what the course teaches, and none of intensifiers, judging "
                "reporting verbs or generalizations."
            )
        if self.gain and len(self.first) < 2:
            lines.append(
                "Every student started with the same passage, so the change includes any "
                "difference between the two passages; with each half of the class starting "
                "on a different one, that difference cancels out."
            )
        elif self.gain and min(self.first.values()) < self.gain.students / 3:
            lines.append(
                "Far more students started with one passage than with the other (the split "
                "follows from login names, and a small class can fall unevenly), so any "
                "difference between the passages cancels out only in part: compare the two "
                "groups' changes above."
            )
        twice = [s.id for s in self.students if s.scores.keys() == set(WHEN) and not s.paired]
        if twice:
            lines.append(
                f"{len(twice)} student(s) met the same passage twice and are not counted: "
                f"{', '.join(twice)} (a second try at one passage measures memory)."
            )
        return lines


def check_score(annotation: Annotation, key: Annotation, document: Document) -> CheckScore:
    """A check scored as its grade cells score it, with the kinds and devices apart."""
    result = score(annotation, key, document.text)
    total = points(result.kinds, POINTS["kinds"]) + points(result.spans.f1, POINTS["devices"])
    kinds = {}
    for kind in KINDS:
        labels = [label for label in key.scored_labels if label.kind == kind]
        if labels:
            right = sum(label.accepts(annotation.kinds.get(label.id, "")) for label in labels)
            kinds[kind] = (right, len(labels))
    devices = {}
    for device in DEVICES:
        spans = [s for s in key.spans if s.device == device]
        if spans:
            found = [
                result.found(*normalise(document.text, s.start, s.end), s.device) for s in spans
            ]
            devices[device] = sum(found) / len(found)
    return CheckScore(document.id, total, kinds, devices)


def load_progress(course: Path, confidence: float = 0.95) -> Progress:
    """Read and score both checks of every student of ``course``."""
    course = Path(course).resolve()
    documents = [load_document(p) for p in PASSAGES]
    keys = {p: load_key(p) for p in PASSAGES}
    submissions = course / "submitted"
    handed = {
        p.name
        for p in (submissions.iterdir() if submissions.is_dir() else [])
        if any((p / assignment).is_dir() for assignment in ASSIGNMENTS.values())
    }
    students = []
    for student_id in sorted(handed | set(roster(course))):
        student = StudentProgress(student_id)
        for when, assignment in ASSIGNMENTS.items():
            try:
                got = handed_in(course, assignment, student_id, documents)
            except OSError as error:
                student.status[when] = "malformed"
                student.problems.append(f"{assignment}: cannot be read ({os_problem(error)})")
                continue
            student.status[when] = got.status
            if got.problem and got.status != "missing":
                student.problems.append(f"{assignment}: {got.problem}")
            if got.answers is not None and got.document is not None:
                student.scores[when] = check_score(
                    got.answers.graded_tags, keys[got.document.id], got.document
                )
        students.append(student)
    return _figures(course, students, confidence)


def _figures(course: Path, students: list[StudentProgress], confidence: float) -> Progress:
    paired = [s for s in students if s.paired]
    gain, why = None, ""
    if len(paired) >= 2:
        gain = paired_gain(
            [s.scores["start"].points for s in paired],
            [s.scores["end"].points for s in paired],
            confidence,
        )
    else:
        why = (
            f"{len(paired)} student(s) have done both checks so far; the class's change is "
            "shown once at least two have."
        )

    def shares(pick: object) -> dict[str, tuple[float, float]]:
        out = {}
        for name in KINDS if pick == "kinds" else DEVICES:
            pair = []
            for when in WHEN:
                if pick == "kinds":
                    got = [s.scores[when].kinds.get(name) for s in paired]
                    right = sum(g[0] for g in got if g)
                    total = sum(g[1] for g in got if g)
                    pair.append(right / total if total else None)
                else:
                    found = [s.scores[when].devices.get(name) for s in paired]
                    known = [f for f in found if f is not None]
                    pair.append(statistics.fmean(known) if known else None)
            if None not in pair:
                out[name] = (pair[0], pair[1])
        return out

    return Progress(
        course,
        students,
        gain,
        shares("kinds"),
        shares("devices"),
        Counter(s.scores["start"].passage for s in paired),
        why,
    )


# --- writing ----------------------------------------------------------------------------


def write_progress(progress: Progress, out: Path) -> list[Path]:
    """Write report.html (the instructor's), students.csv and slips.html (one slip a
    student, each with only that student's two scores) into ``out``."""
    out = report_folder(Path(out))
    try:
        page, table, slips = out / "report.html", out / "students.csv", out / "slips.html"
        page.write_text(_html(progress), encoding="utf-8")
        _csv(progress, table)
        slips.write_text(_slips(progress), encoding="utf-8")
    except OSError as error:
        raise FramelabError(f"cannot write the report: {os_problem(error)}") from None
    return [page, table, slips]


def _csv(progress: Progress, path: Path) -> None:
    rows: list[list[object]] = [
        [
            "student_id",
            "start_status",
            "start_passage",
            "start_points",
            "end_status",
            "end_passage",
            "end_points",
            "change",
            "counted",
            "problems",
        ]
    ]
    for s in progress.students:
        row: list[object] = [s.id]
        for when in WHEN:
            got = s.scores.get(when)
            row += [
                s.status.get(when, ""),
                got.passage if got else "",
                f"{got.points:g}" if got else "",
            ]
        change = s.change
        row += ["" if change is None else f"{change:.2f}", "yes" if s.paired else "no"]
        rows.append([*row, " ".join(s.problems)])
    write_csv(path, rows)


def _names(passage: str) -> str:
    return f"passage {'AB'[PASSAGES.index(passage)]} ({passage})"


def summary_html(progress: Progress) -> str:
    """The class's figures as HTML (no student's own row): what the report page and the
    class view notebook show."""
    e = html.escape
    gain = progress.gain
    read = "; ".join(
        f"{ASSIGNMENTS[when]}: {c['graded']} read, {c['untouched']} untouched, "
        f"{c['malformed']} malformed, {c['missing']} missing"
        for when, c in progress.counts.items()
    )
    if gain is None:
        summary = f"<p><b>No change to show yet.</b> {e(progress.why_no_gain)}</p>"
    else:
        effect = (
            "none (every student changed by the same amount)"
            if gain.effect is None
            else f"{gain.effect:.2f}"
        )
        started = "; ".join(
            f"{n} started with {_names(p)}, their mean change {change:+.2f}"
            for p, (n, change) in progress.by_first().items()
        )
        summary = f"""<p>{gain.students} students did both checks, each on a different
passage. Mean score out of {TOTAL:g}: <b>{gain.mean_start:.2f}</b> at the start,
<b>{gain.mean_end:.2f}</b> at the end.</p>
<p>By the passage they started with: {e(started)}. Where these two differ, part of the
difference is the passages' (one a little easier than the other); the class's change below
mixes the two groups as they are.</p>
<p><b>Mean change: {gain.mean_change:+.2f} points</b>, with a {gain.confidence:.0%} confidence
interval from {gain.low:+.2f} to {gain.high:+.2f} (paired t). Effect size (mean change over
the spread of the changes, Cohen's d for paired scores): <b>{effect}</b>. As a rough guide,
0.2 is small, 0.5 medium and 0.8 large.</p>"""
    caveats = "".join(f"<li>{e(line)}</li>" for line in progress.caveats())

    def table(title: str, shares: dict[str, tuple[float, float]], what: str) -> str:
        if not shares:
            return ""
        rows = "".join(
            f"<tr><td>{e(name)}</td><td>{a:.0%}</td><td>{b:.0%}</td><td>{b - a:+.0%}</td></tr>"
            for name, (a, b) in sorted(shares.items(), key=lambda kv: kv[1][0] - kv[1][1])
        )
        return (
            f"<h2>{title}</h2><table><tr><th>{what}</th><th>start</th><th>end</th>"
            f"<th>change</th></tr>{rows}</table>"
        )

    return f"""<p>{e(read)}.</p>
{summary}
<h2>What these figures cannot show</h2>
<ul>{caveats or "<li>Nothing to show yet.</li>"}</ul>
{table("Sentence kinds: share of the class's sentences right", progress.kinds, "kind")}
{table("Devices: share of the key's phrases found", progress.devices, "device")}"""


def chart(progress: Progress) -> Chart:
    """Each counted student's two scores, joined by a line."""
    from framelab.teach.plots import start_end_chart

    return start_end_chart(
        [(s.scores["start"].points, s.scores["end"].points) for s in progress.students if s.paired],
        TOTAL,
    )


def _html(progress: Progress) -> str:
    e = html.escape
    picture = chart(progress) if progress.gain else None
    figure = (
        f"<figure><img src='data:image/png;base64,{png_data(picture)}' "
        f"alt='{e(picture.description)}'><figcaption>{e(picture.description)}"
        "</figcaption></figure>"
        if picture
        else ""
    )
    students = "".join(
        f"<tr><td>{e(s.id)}</td>"
        + "".join(
            f"<td>{s.scores[w].points:g}</td>"
            if w in s.scores
            else f"<td>{e(s.status.get(w, ''))}</td>"
            for w in WHEN
        )
        + f"<td>{'' if s.change is None else f'{s.change:+.2f}'}</td>"
        f"<td>{e(' '.join(s.problems))}</td></tr>"
        for s in progress.students
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Starting point and finishing point</title>
<style>{PAGE_STYLE}</style></head>
<body>
<h1>Starting point and finishing point</h1>
<p>Instructors only: this page shows every student's scores. To give students their own, hand
out slips.html (one slip a student).</p>
{summary_html(progress)}
{figure}
<h2>Each student</h2>
<table><tr><th>student</th><th>start (of {TOTAL:g})</th><th>end (of {TOTAL:g})</th>
<th>change</th><th>notes</th></tr>{students}</table>
<p>Made by framelab report. The same figures, a row a student: students.csv.</p>
</body></html>
"""


def _slips(progress: Progress) -> str:
    """One slip a student, a page each when printed, with only that student's scores."""
    e = html.escape
    slips = []
    for s in progress.students:
        if not s.scores:
            continue
        lines = []
        for when, name in (("start", "Starting point"), ("end", "Finishing point")):
            got = s.scores.get(when)
            lines.append(
                f"<li>{name}: <b>{got.points:g} of {TOTAL:g}</b></li>"
                if got
                else f"<li>{name}: not handed in</li>"
            )
        if s.change is not None:
            lines.append(f"<li>Change: <b>{s.change:+.2f}</b></li>")
        slips.append(
            f"<section><h2>{e(s.id)}</h2><ul>{''.join(lines)}</ul><p>Your two checks were "
            "on different short reports, so a change of a point or so either way can come "
            "from the reports themselves. What changed in how you read them?</p></section>"
        )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Your starting and finishing point</title>
<style>
body {{ font-family: sans-serif; }} section {{ break-after: page; margin-bottom: 2em; }}
</style></head><body>
{"".join(slips) or "<p>No student has handed in a check yet.</p>"}
</body></html>
"""
