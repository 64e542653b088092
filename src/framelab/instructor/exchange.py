"""nbgrader's exchange, made safe for a shared server: collect, release and feedback.

nbgrader's exchange trusts what students put in it. Its collect copies every
inbound folder whose name says ``<student>+<assignment>+<time>``, following links,
as the instructor; it only warns when the folder was made by someone else; it
takes the student's own timestamp; and a name it cannot parse stops the whole
class's collect. Its release_feedback publishes every HTML file in a feedback
folder. ``nbgrader_config.py`` replaces the three plugins with these:

- :class:`FramelabCollect` reads each inbound folder through one open descriptor
  without following links (:func:`framelab.grading.submission.read_tree`), so the folder
  it checks is the folder it copies, whatever is renamed meanwhile. It refuses a
  submission that is not the named student's own (by owner, on this server), that
  names no student of the gradebook, that holds a link, a special file or a file
  past the size limit, that is dated in the future, before the release or before
  its files last changed, or that carries another student's feedback secret. A
  refused submission is reported and left where it is; the student's newest
  acceptable one is collected instead. Accepted ones are copied into a private
  staging folder and moved into ``submitted/`` only when whole.
- :class:`FramelabReleaseAssignment` records when each exercise was first released.
- :class:`FramelabReleaseFeedback` publishes only ``<notebook>.html`` of the
  notebooks in the gradebook, read without following links.

``framelab collect`` runs nbgrader's collect with these, passes on the exchange
root and course id it was given, prints nbgrader's warnings and the refusals, and
exits 1 when it refused any.
"""

from __future__ import annotations

import glob
import json
import os
import pwd
import shutil
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.exchange.default.release_assignment import ExchangeReleaseAssignment
from nbgrader.exchange.default.release_feedback import ExchangeReleaseFeedback
from nbgrader.utils import notebook_hash, parse_utc
from traitlets import Float, Unicode

from framelab.grading.submission import Tree, owner_name, read_tree, write_tree
from framelab.texts.model import FramelabError, write_json_atomic

__all__ = [
    "FramelabCollect",
    "FramelabReleaseAssignment",
    "FramelabReleaseFeedback",
    "Refusal",
    "checked_collect",
]

RELEASES_FILE = "releases.json"  # in the course: when each exercise was first released
REFUSED_FOLDER = "refused-submissions"


@dataclass(frozen=True)
class Refusal:
    folder: str  # the inbound folder's name
    named: str  # the student id in the name ("" when the name does not parse)
    owner: str  # the user who made it
    reason: str

    def __str__(self) -> str:
        return f"refused {self.folder}: {self.reason}"


@dataclass
class _Candidate:
    name: str
    student: str
    timestamp: datetime
    tree: Tree | None = None
    owner: str = "?"


class FramelabCollect(ExchangeCollect):
    """nbgrader's collect, refusing what is not the named student's own plain files."""

    report = Unicode(
        "", help="Write the refusals of this collect to this file, as JSON (framelab collect)."
    ).tag(config=True)
    tolerance = Float(
        600.0,
        help="Seconds a submission's timestamp may differ from the times its files were "
        "last changed, or from now (nbgrader submit stamps the time, then copies).",
    ).tag(config=True)

    def init_src(self) -> None:
        if self.coursedir.course_id == "":
            self.fail("No course id specified. Re-run with --course flag.")
        self.course_path = os.path.join(self.root, self.coursedir.course_id)
        self.inbound_path = os.path.join(self.course_path, "inbound")
        if not os.path.isdir(self.inbound_path):
            self.fail(f"Course not found: {self.inbound_path}")
        assignment = self.coursedir.assignment_id
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            students = {student.id for student in gb.students}
            try:
                self.duedate = gb.find_assignment(assignment).duedate
            except MissingEntry:
                self.duedate = None
        only = self.coursedir.student_id if self.coursedir.student_id not in ("", "*") else None
        self.refusals: list[Refusal] = []
        self.candidates: dict[str, list[_Candidate]] = {}
        for name in sorted(os.listdir(self.inbound_path)):
            if f"+{assignment}+" not in name:
                continue
            parts = name.rsplit("+", 3)  # as nbgrader parses: a student id may hold "+"
            try:
                if len(parts) < 3 or parts[1] != assignment:
                    raise ValueError(name)
                timestamp = _utc(parse_utc(parts[2]))
            except (ValueError, OverflowError):
                self._refuse(name, "", "the name is not <student>+<exercise>+<time>+<random>")
                continue
            student = parts[0]
            if only is not None and student != only:
                continue
            if student not in students:
                self._refuse(
                    name,
                    student,
                    f"{student} is not a student of this course's gradebook"
                    + (
                        ""
                        if students
                        else " (it lists none: add the class with nbgrader db "
                        "student add ID, or nbgrader db student import FILE)"
                    ),
                )
                continue
            self.candidates.setdefault(student, []).append(_Candidate(name, student, timestamp))
        self.src_records = []  # nbgrader's; this collect works from self.candidates

    def copy_files(self) -> None:
        assignment = self.coursedir.assignment_id
        now = datetime.now(timezone.utc)
        released = first_release(Path(self.coursedir.root), assignment, self.course_path)
        inbound = os.open(self.inbound_path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        accepted: dict[str, _Candidate] = {}
        try:
            for student, found in sorted(self.candidates.items()):
                for candidate in self._in_order(found):  # all of them: report every forgery
                    reason = self._read(candidate, inbound, now, released)
                    if reason is not None:
                        self._refuse(candidate.name, student, reason, candidate.owner)
                    elif student not in accepted:  # the newest acceptable one
                        accepted[student] = candidate
                    else:
                        candidate.tree = None  # an older one: not kept in memory
        finally:
            os.close(inbound)
        for student, candidate in sorted(self._unique_secrets(accepted).items()):
            self._collect(student, candidate)
        if not accepted:
            self.log.warning(
                "No submissions of '%s' for course '%s' to collect",
                assignment,
                self.coursedir.course_id,
            )
        if self.report:
            write_json_atomic(Path(self.report), [asdict(r) for r in self.refusals])

    def _in_order(self, found: list[_Candidate]) -> list[_Candidate]:
        """Newest first; with --before-duedate, those on time first."""
        newest = sorted(found, key=lambda c: c.timestamp, reverse=True)
        if self.before_duedate and self.duedate is not None:
            due = _utc(self.duedate)
            return [c for c in newest if c.timestamp <= due] + [
                c for c in newest if c.timestamp > due
            ]
        return newest

    def _read(
        self, candidate: _Candidate, inbound: int, now: datetime, released: datetime | None
    ) -> str | None:
        """Read the candidate's folder; why it is refused, or None when it is accepted."""
        owner = None
        if self.check_owner:
            try:
                owner = pwd.getpwnam(candidate.student).pw_uid
            except KeyError:
                return f"there is no user {candidate.student} on this server"
        try:
            info = os.stat(candidate.name, dir_fd=inbound, follow_symlinks=False)
            candidate.owner = owner_name(info.st_uid)
            tree = read_tree(candidate.name, dir_fd=inbound, owner=owner)
        except OSError as error:
            return f"it cannot be read as a folder ({error.strerror})"
        candidate.tree = tree
        if tree.refused:
            problems = [f"{e.path or 'the folder'} {e.problem}" for e in tree.refused]
            more = f" (and {len(problems) - 2} more)" if len(problems) > 2 else ""
            return "; ".join(problems[:2]) + more
        stamp = tree.files.get("timestamp.txt", b"").decode("utf-8", "replace").strip()
        try:
            written = _utc(parse_utc(stamp))
        except (ValueError, OverflowError):
            return "its timestamp.txt is missing or not a time"
        if written != candidate.timestamp:
            return f"its timestamp.txt ({stamp}) is not the time in its name"
        seconds = self.tolerance
        if (candidate.timestamp - now).total_seconds() > seconds:
            return f"it is dated {stamp}, in the future"
        if released is not None and (released - candidate.timestamp).total_seconds() > seconds:
            return (
                f"it is dated {stamp}, before the exercise was released "
                f"({released:%Y-%m-%d %H:%M} UTC)"
            )
        changed = datetime.fromtimestamp(tree.last_change, timezone.utc)
        if (changed - candidate.timestamp).total_seconds() > seconds:
            return (
                f"it is dated {stamp}, but its files were last changed at "
                f"{changed:%Y-%m-%d %H:%M:%S} UTC: a submission's date is when it was made"
            )
        if "submission_secret.txt" not in tree.files:
            return "it has no submission_secret.txt (nbgrader submit writes one)"
        return None

    def _unique_secrets(self, accepted: dict[str, _Candidate]) -> dict[str, _Candidate]:
        """A feedback secret belongs to the submission that had it first: a later one
        carrying it (to receive or replace another's feedback) is refused."""
        holders: dict[bytes, str] = {}
        pattern = self.coursedir.format_path(
            self.coursedir.submitted_directory, "*", self.coursedir.assignment_id
        )
        for folder in sorted(glob.glob(pattern)):
            secret = Path(folder) / "submission_secret.txt"
            if secret.is_file() and not secret.is_symlink():
                holders.setdefault(secret.read_bytes().strip(), Path(folder).parent.name)

        def made(candidate: _Candidate) -> float:
            return next(
                e.ctime for e in candidate.tree.entries if e.path == "submission_secret.txt"
            )

        kept = {}
        for student, candidate in sorted(accepted.items(), key=lambda item: made(item[1])):
            holder = holders.setdefault(
                candidate.tree.files["submission_secret.txt"].strip(), student
            )
            if holder != student:
                reason = f"it carries the feedback secret of {holder}'s submission"
                self._refuse(candidate.name, student, reason, candidate.owner)
            else:
                kept[student] = candidate
        return kept

    def _collect(self, student: str, candidate: _Candidate) -> None:
        assignment = self.coursedir.assignment_id
        dest = Path(
            self.coursedir.format_path(self.coursedir.submitted_directory, student, assignment)
        )
        if dest.is_dir() and not dest.is_symlink():
            existing = self.coursedir.get_existing_timestamp(str(dest))
            existing = None if existing is None else _utc(existing)
            newer = existing is None or candidate.timestamp > existing
            if not (
                (self.update and newer) or (self.before_duedate and existing != candidate.timestamp)
            ):
                self.log.info("No newer submission to collect: %s %s", student, assignment)
                return
        dest.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(self.coursedir.root) / ".collect-staging"
        staging.mkdir(mode=0o700, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=f"{student}-", dir=staging))
        try:
            write_tree(candidate.tree, staged)
            if dest.exists() or dest.is_symlink():
                old = staged.with_name(staged.name + ".old")
                os.rename(dest, old)
                os.rename(staged, dest)
                _remove(old)
                self.log.info("Updated submission: %s %s", student, assignment)
            else:
                os.rename(staged, dest)
                self.log.info("Collected submission: %s %s", student, assignment)
        finally:
            if staged.exists():
                shutil.rmtree(staged)

    def _refuse(self, folder: str, named: str, reason: str, owner: str = "?") -> None:
        if owner == "?":
            try:
                info = os.stat(os.path.join(self.inbound_path, folder), follow_symlinks=False)
                owner = owner_name(info.st_uid)
            except OSError:
                pass
        refusal = Refusal(folder, named, owner, reason)
        self.refusals.append(refusal)
        self.log.warning("framelab %s (made by %s)", refusal, owner)
        record = Path(self.coursedir.root) / REFUSED_FOLDER / f"{self.coursedir.assignment_id}.txt"
        record.parent.mkdir(exist_ok=True)
        with open(record, "a", encoding="utf-8") as stream:
            stream.write(
                f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC {refusal} (made by {owner})\n"
            )


def _utc(when: datetime) -> datetime:
    """A time as an aware UTC datetime (nbgrader's are naive, in UTC)."""
    return (
        when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)
    )


def _remove(path: Path) -> None:
    """Remove a folder we wrote, or a link in its place, never following a link."""
    if path.is_symlink() or not path.is_dir():
        path.unlink()
    else:
        shutil.rmtree(path)


class FramelabReleaseAssignment(ExchangeReleaseAssignment):
    """nbgrader's release, recording in the course when each exercise was first
    released (collect refuses a submission dated before it)."""

    def copy_files(self) -> None:
        super().copy_files()
        path = Path(self.coursedir.root) / RELEASES_FILE
        try:
            releases = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        except ValueError:
            releases = {}
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        if self.coursedir.assignment_id not in releases:
            releases[self.coursedir.assignment_id] = stamp
            write_json_atomic(path, releases)


def first_release(
    course: Path, assignment: str, exchange_course: str | None = None
) -> datetime | None:
    """When ``assignment`` was first released: as recorded in the course, else the
    time of its folder in the exchange's outbound/ (None when neither is known)."""
    path = course / RELEASES_FILE
    try:
        recorded = json.loads(path.read_text(encoding="utf-8")).get(assignment)
        if recorded:
            return _utc(datetime.fromisoformat(recorded))
    except (OSError, ValueError, AttributeError):
        pass
    if exchange_course:
        outbound = Path(exchange_course) / "outbound" / assignment
        if outbound.is_dir():
            return datetime.fromtimestamp(outbound.stat().st_mtime, timezone.utc)
    return None


class FramelabReleaseFeedback(ExchangeReleaseFeedback):
    """nbgrader's release_feedback, publishing only the HTML page of each notebook
    in the gradebook, read without following links."""

    def copy_files(self) -> None:
        assignment = self.coursedir.assignment_id
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            try:
                notebooks = [nb.name for nb in gb.find_assignment(assignment).notebooks]
            except MissingEntry:
                self.fail(f"No assignment {assignment} in the gradebook")
            students = {student.id for student in gb.students}
        exclude = set(filter(None, (self.coursedir.student_id_exclude or "").split(",")))
        pages = [f"{name}.html" for name in notebooks]
        for folder in sorted(Path(p) for p in glob.glob(self.src_path)):
            student = folder.parent.name
            if student not in students or student in exclude:
                continue
            try:
                tree = read_tree(folder, only=(*pages, "submission_secret.txt"))
            except OSError as error:
                self.log.warning("No feedback released for %s: %s", student, error.strerror)
                continue
            secret = tree.files.get("submission_secret.txt")
            if not secret:
                self.log.warning("No feedback released for %s: no submission secret", student)
                continue
            for name in notebooks:
                page = tree.files.get(f"{name}.html")
                if page is None:
                    problem = tree.problem(f"{name}.html") or "is missing"
                    self.log.warning(
                        "No feedback released for %s: %s.html %s", student, name, problem
                    )
                    continue
                checksum = notebook_hash(secret=secret.decode("utf-8", "replace"), notebook_id=name)
                temporary = os.path.join(self.dest_path, f"{checksum}-tmp.html")
                with open(temporary, "wb") as stream:
                    stream.write(page)
                os.chmod(temporary, 0o644)
                os.replace(temporary, os.path.join(self.dest_path, f"{checksum}.html"))
                self.log.info("Released feedback for %s on %s/%s", student, assignment, name)


def checked_collect(
    assignment: str,
    course: Path,
    exchange: Path | None = None,
    course_id: str | None = None,
) -> tuple[list[Refusal], str]:
    """Collect ``assignment`` with :class:`FramelabCollect`, handing nbgrader the
    exchange root and course id given (else nbgrader's configured ones). Returns the
    refusals and nbgrader's warnings."""
    from framelab.instructor.course import check_exercise_id, nbgrader

    course = Path(course)
    if not (course / "nbgrader_config.py").is_file():
        raise FramelabError(
            f"{course} is not a course folder (it has no nbgrader_config.py); "
            "run framelab collect in your course, or give --course"
        )
    check_exercise_id(course, assignment)
    handle, report = tempfile.mkstemp(prefix="framelab-collect-", suffix=".json")
    os.close(handle)
    try:
        args = [
            "collect",
            assignment,
            "--update",
            "--ExchangeFactory.collect=framelab.instructor.exchange.FramelabCollect",
            f"--FramelabCollect.report={report}",
        ]
        if exchange is not None:
            args.append(f"--Exchange.root={exchange}")
        if course_id is not None:
            args.append(f"--CourseDirectory.course_id={course_id}")
        result = nbgrader(*args, cwd=course)
        warnings = "\n".join(
            line
            for line in result.stderr.splitlines()
            if ("WARNING" in line or "ERROR" in line or "CRITICAL" in line)
            and "framelab refused" not in line
            and "SAWarning" not in line
        )
        if result.returncode != 0:
            raise FramelabError(f"nbgrader collect failed:\n{result.stderr.strip()[-2000:]}")
        text = Path(report).read_text(encoding="utf-8")
        refusals = [Refusal(**item) for item in json.loads(text)] if text.strip() else []
    finally:
        os.unlink(report)
    return refusals, warnings
