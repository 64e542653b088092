"""The class view: where a class agreed with the key, where it went wrong, and what
to discuss next time.

:func:`load_class` reads every student's answers as handed in
(``submitted/<student>/<assignment>/answers/<assignment>.json``) and their points
from nbgrader's gradebook (through nbgrader's API); :func:`figures` turns them
into the figures; :func:`write_report` writes a self-contained HTML report
(charts embedded, readable offline and printable) and two CSV files. Missing
submissions, untouched notebooks and malformed answers files are listed, never fatal.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framelab.grading.agreement import class_alpha
from framelab.grading.answers import (
    ANSWERS_FOLDER,
    Answers,
    named_document,
    parse,
    relative_path,
    submitted,
)
from framelab.grading.cells import grade_call
from framelab.grading.items import normalise_answer, score_in_text
from framelab.grading.scoring import Score, normalise, score
from framelab.grading.submission import read_tree
from framelab.texts.corpus import load_document, load_key
from framelab.texts.items import (
    Item,
    ItemKey,
    ItemSheet,
    Value,
    answered,
    load_item_key,
    load_sheet,
)
from framelab.texts.model import Annotation, Document, FramelabError, os_problem
from framelab.texts.taxonomy import DEVICES, KINDS

__all__ = [
    "PAGE_STYLE",
    "ClassData",
    "ClassFigures",
    "HandedIn",
    "QuestionFigures",
    "Student",
    "exercise_devices",
    "exercise_document",
    "exercise_parts",
    "figures",
    "grade_calls",
    "grade_cells",
    "handed_in",
    "load_class",
    "machine_like",
    "png_data",
    "report_folder",
    "roster",
    "write_csv",
    "write_report",
]

STATUSES = ("graded", "untouched", "malformed", "missing")
_ADVICE = "restore it from a backup, or move it aside to make the report without points"
# The instructors' report pages, this one and the checks' (checkreport): one look, printable.
PAGE_STYLE = """
body { font-family: sans-serif; max-width: 60em; margin: 1em auto; padding: 0 1em; color: #111; }
table { border-collapse: collapse; margin: 0.5em 0; }
td, th { border: 1px solid #999; padding: 0.2em 0.6em; text-align: left; vertical-align: top; }
figure { margin: 1em 0; break-inside: avoid; } img { max-width: 100%; }
figcaption { font-size: 0.85em; color: #333; }
li { margin-bottom: 0.8em; break-inside: avoid; }
@media print { body { max-width: none; } h2 { break-after: avoid; } }
"""


@dataclass
class Student:
    """One student of the class and what they handed in."""

    id: str
    status: str  # graded, untouched (no answers file), malformed, or missing (no submission)
    problem: str = ""
    annotation: Annotation | None = None
    result: Score | None = None
    points: float | None = None  # from the gradebook
    max_points: float | None = None
    items: dict[str, Value] = field(default_factory=dict)  # short items' answers
    item_credit: dict[str, float] = field(default_factory=dict)  # share of each item's credit
    handed_in: bool = False  # tags handed in before the machine's guesses were shown


@dataclass
class ClassData:
    course: Path
    assignment: str
    document: Document
    key: Annotation
    students: list[Student] = field(default_factory=list)
    parts: tuple[str, ...] = ("kinds", "devices")  # what the exercise grades
    devices: tuple[str, ...] = DEVICES  # the devices it grades
    sheet: ItemSheet | None = None  # its short items, if it has any
    item_key: ItemKey | None = None

    @property
    def devices_graded(self) -> bool:
        """Whether the exercise grades framing devices: if not, the report does not show
        them, since students were told that marking phrases earns nothing there."""
        return "devices" in self.parts

    @property
    def graded(self) -> list[Student]:
        return [s for s in self.students if s.status == "graded"]


@dataclass(frozen=True)
class ClassFigures:
    """Everything the report shows, computed once."""

    counts: dict[str, int]
    alpha: float | None
    sentence_agreement: dict[str, float]  # share of graded students whose kind the key accepts
    wrong_answers: dict[
        str, Counter[str]
    ]  # per sentence, the kinds given that the key does not accept
    span_found: list[tuple[int, int, str, float]]  # key span and the share who found it
    device_recall: dict[str, float]  # mean recall per device over graded students
    confusion: dict[str, Counter[str]]  # key kind -> kinds the class gave (incl. untagged)
    hardest: list[str]  # the five sentences the class got most wrong
    questions: list[QuestionFigures] = field(default_factory=list)
    # students whose tags repeat most of the machine's own mistakes on this text:
    # (student, mistakes repeated, the machine's mistakes), most repeated first
    machine_like: list[tuple[str, int, int]] = field(default_factory=list)
    # where the exercise shows the machine's guesses after a hand-in (exercise 08): the
    # students whose answers hold no record of one
    no_hand_in: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class QuestionFigures:
    """How the class did on one short item."""

    item: Item
    key: str  # the key's answer, in words
    answered: int
    mean_credit: float  # over graded students, unanswered counted as 0
    common: list[tuple[str, int]]  # the most common answers, in words, with how many gave each


def exercise_document(course: Path, assignment: str) -> str:
    """The document an exercise grades, read from its source notebook's grade cells; for
    a check, whose passage depends on the student, the first of its two."""
    document = grade_calls(course, assignment)[0]["document"]
    return str(document if isinstance(document, str) else document[0])


def exercise_parts(course: Path, assignment: str) -> tuple[str, ...]:
    """The parts ("kinds", "devices", "item") an exercise's grade cells score."""
    return tuple(dict.fromkeys(str(call["part"]) for call in grade_calls(course, assignment)))


def exercise_devices(course: Path, assignment: str) -> tuple[str, ...]:
    """The devices an exercise's grade cells score (all six unless they say)."""
    for call in grade_calls(course, assignment):
        if call["part"] == "devices" and call.get("devices"):
            return tuple(d for d in DEVICES if d in call["devices"])
    return DEVICES


def grade_calls(course: Path, assignment: str) -> list[dict[str, Any]]:
    """The grade cells of an exercise's source notebooks, as grade_call reads them:
    {exercise, document, part, points} each, and item or devices where they say."""
    return list(grade_cells(course, assignment).values())


def grade_cells(course: Path, assignment: str) -> dict[str, dict[str, Any]]:
    """The framelab grade cells of an exercise's source notebooks by their nbgrader
    grade id, each as :func:`grade_calls` gives it."""
    from framelab.instructor.course import check_exercise_id, read_notebook

    folder = Path(course) / "solutions" / check_exercise_id(Path(course), assignment)
    calls = {
        cell.metadata.get("nbgrader", {}).get("grade_id", f"cell {n}"): call
        for notebook in sorted(folder.glob("*.ipynb"))
        for n, cell in enumerate(read_notebook(notebook).cells)
        if cell.cell_type == "code" and (call := grade_call(cell.source)) is not None
    }
    if not calls:
        raise FramelabError(
            f"{folder} has no notebook with a framelab grade cell; is {assignment!r} an "
            "exercise of this course?"
        )
    return calls


def load_class(
    course: Path, assignment: str, progress: Callable[[int, int], None] | None = None
) -> ClassData:
    """Read the class's answers and points. ``progress(done, total)`` is called as
    students are read."""
    course = Path(course).resolve()
    document_id = exercise_document(course, assignment)
    document = load_document(document_id)
    key = load_key(document_id)
    points, roster = _gradebook(course, assignment)
    submissions = course / "submitted"
    handed_in = (
        sorted(p.name for p in submissions.iterdir() if (p / assignment).is_dir())
        if submissions.is_dir()
        else []
    )
    everyone = sorted(set(handed_in) | set(roster))
    parts = exercise_parts(course, assignment)
    devices = exercise_devices(course, assignment)
    data = ClassData(course, assignment, document, key.only_devices(devices), parts=parts)
    data.devices = devices
    if "item" in parts:
        data.sheet, data.item_key = load_sheet(assignment), load_item_key(assignment)
    for done, student_id in enumerate(everyone, start=1):
        student = _isolated(course, assignment, student_id, document, data.key, points, devices)
        _score_items(data, student, key)
        data.students.append(student)
        if progress:
            progress(done, len(everyone))
    return data


def _score_items(data: ClassData, student: Student, text_key: Annotation) -> None:
    """The share of each short item's credit the student earned; ``text_key`` is the
    text's whole key (a rewrite is scored on its loaded spans, whatever devices the
    exercise grades)."""
    if data.sheet is None or data.item_key is None or student.status != "graded":
        return
    for item in data.sheet.items:
        answer, given = data.item_key.answer(item.id), student.items.get(item.id)
        result = score_in_text(item, answer, given, data.document, text_key)
        student.item_credit[item.id] = result.fraction


def _gradebook(
    course: Path, assignment: str | None
) -> tuple[dict[str, tuple[float, float]], list[str]]:
    """From one opening of the course's gradebook: each student's points for
    ``assignment`` (none when it is None) and every student's id."""
    from framelab.instructor.course import GRADEBOOK, check_gradebook, open_gradebook

    check_gradebook(course)
    if not (course / GRADEBOOK).is_file():
        return {}, []
    from nbgrader.api import MissingEntry

    with open_gradebook(course, _ADVICE) as gradebook:
        students = [student.id for student in gradebook.students]
        try:
            rows = gradebook.submission_dicts(assignment) if assignment else []
        except MissingEntry:
            rows = []
    return {row["student"]: (row["score"], row["max_score"]) for row in rows}, students


def roster(course: Path) -> list[str]:
    """The students in the course's gradebook (none when it has no gradebook yet)."""
    return _gradebook(course, None)[1]


def _isolated(
    course: Path,
    assignment: str,
    student_id: str,
    document: Document,
    key: Annotation,
    points: dict[str, tuple[float, float]],
    devices: tuple[str, ...] = DEVICES,
) -> Student:
    """One student as :func:`_student` reads them; a file of theirs that cannot be read
    makes that student malformed, with the reason, and never stops the class report."""
    try:
        return _student(course, assignment, student_id, document, key, points, devices)
    except (OSError, ValueError, RecursionError) as error:  # ValueError: FramelabError too
        if isinstance(error, OSError):
            reason = f"the submission cannot be read ({os_problem(error)})"
        elif isinstance(error, RecursionError):
            reason = "a file of the submission is nested too deeply to read"
        else:
            reason = str(error).split("\n")[0][:200]
        earned, most = points.get(student_id, (None, None))
        return Student(student_id, "malformed", reason, points=earned, max_points=most)


def _student(
    course: Path,
    assignment: str,
    student_id: str,
    document: Document,
    key: Annotation,
    points: dict[str, tuple[float, float]],
    devices: tuple[str, ...] = DEVICES,
) -> Student:
    """One student's answers, scored on the ``devices`` the exercise grades."""
    score_pair = points.get(student_id)
    got = handed_in(course, assignment, student_id, [document])
    student = Student(
        student_id,
        got.status,
        got.problem,
        points=score_pair[0] if score_pair else None,
        max_points=score_pair[1] if score_pair else None,
    )
    if got.answers is None:
        return student
    annotation = got.answers.graded_tags.only_devices(devices)
    student.result = score(annotation, key, document.text)
    student.annotation = annotation
    student.items = dict(got.answers.items)
    student.handed_in = got.answers.handed_in is not None
    return student


@dataclass(frozen=True)
class HandedIn:
    """What one student handed in for an assignment, read as the grader reads it."""

    status: str  # graded (read and scored), untouched, malformed or missing
    problem: str  # what was wrong, or the lines about items left out
    answers: Answers | None = None
    document: Document | None = None  # the text the answers are for


def handed_in(
    course: Path, assignment: str, student_id: str, documents: Sequence[Document]
) -> HandedIn:
    """A student's answers file from ``submitted/``, for one of ``documents`` (the one
    it names, when the text depends on the student: the checks). Raises OSError when
    the student's folder cannot be read (:func:`_isolated` turns that into a line)."""
    folder = course / "submitted" / student_id / assignment
    if not folder.is_dir():
        return HandedIn("missing", "no submission")
    try:  # as the grader reads it: never through a link
        content, problem = submitted(read_tree(folder, only=(ANSWERS_FOLDER,)), assignment)
    except OSError as error:
        content, problem = None, f"the submission cannot be read ({error.strerror})"
    if problem is not None:
        return HandedIn("malformed", f"{relative_path(assignment)} {problem}")
    if content is None:
        return HandedIn("untouched", "no answers file")
    by_id = {document.id: document for document in documents}
    document = by_id[named_document(content, list(by_id))]
    try:
        answers = parse(content, document, source=relative_path(assignment))
    except FramelabError as error:
        return HandedIn("malformed", str(error).split("\n")[0][:200])
    return HandedIn("graded", " ".join(answers.summary()), answers, document)


def figures(data: ClassData) -> ClassFigures:
    """The class's figures against the key."""
    graded = data.graded
    labels = data.key.scored_labels
    counts = {status: sum(s.status == status for s in data.students) for status in STATUSES}
    agreement: dict[str, float] = {}
    wrong: dict[str, Counter[str]] = {}
    confusion: dict[str, Counter[str]] = {kind: Counter() for kind in KINDS}
    for label in labels:
        given = [s.annotation.kinds.get(label.id, "untagged") for s in graded if s.annotation]
        right = sum(label.accepts(kind) for kind in given)
        agreement[label.id] = right / len(given) if given else 0.0
        wrong[label.id] = Counter(k for k in given if not label.accepts(k))
        confusion[label.kind or "untagged"].update(given)
    found = []
    results = [s.result for s in graded if s.result]
    for span in data.key.spans:  # "found" as the scorer counts it, trimmed edges and all
        start, end = normalise(data.document.text, span.start, span.end)
        hits = sum(r.found(start, end, span.device) for r in results)
        found.append((span.start, span.end, span.device, hits / len(results) if results else 0.0))
    recall = {}
    for device in DEVICES:
        values = [
            s.result.devices[device].recall
            for s in graded
            if s.result and s.result.devices[device].total_key
        ]
        if values:
            recall[device] = sum(values) / len(values)
    alpha = None
    annotations = [s.annotation for s in graded if s.annotation]
    if len(annotations) >= 2:
        try:
            alpha = class_alpha(annotations)
        except FramelabError:
            alpha = None
    hardest = sorted((label.id for label in labels if graded), key=lambda i: (agreement[i], i))[:5]
    questions = _question_figures(data) if data.sheet and data.item_key else []
    return ClassFigures(
        counts,
        alpha,
        agreement,
        wrong,
        found,
        recall,
        confusion,
        hardest,
        questions,
        machine_like(data),
        [s.id for s in graded if not s.handed_in] if shows_machine(data) else [],
    )


def shows_machine(data: ClassData) -> bool:
    """Whether the exercise's notebook shows the machine's guesses after a hand-in."""
    from framelab.instructor.course import read_notebook

    folder = Path(data.course) / "solutions" / data.assignment
    return any(
        "compare_machine(" in cell.source
        for notebook in sorted(folder.glob("*.ipynb"))
        for cell in read_notebook(notebook).cells
        if cell.cell_type == "code"
    )


def machine_like(data: ClassData) -> list[tuple[str, int, int]]:
    """The students whose graded tags repeat at least three quarters of the machine's own
    mistakes on this text (and at least two of them): its kinds the key does not accept,
    and its phrases the key does not mark with that device. Matching the machine where it
    is right says nothing; repeating its errors is worth a look (did they copy it?)."""
    from framelab.machine.suggest import suggest

    guess = suggest(data.document).annotation().only_devices(data.devices)
    labels = {label.id: label for label in data.key.scored_labels}
    wrong_kinds = {
        sid: kind
        for sid, kind in guess.kinds.items()
        if sid in labels and not labels[sid].accepts(kind)
    }
    text = data.document.text
    keyed = [(normalise(text, s.start, s.end), s.device) for s in data.key.spans]

    def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
        return a[0] < b[1] and b[0] < a[1]

    wrong_spans = [
        (normalise(text, s.start, s.end), s.device)
        for s in guess.spans
        if not any(d == s.device and overlaps(k, normalise(text, s.start, s.end)) for k, d in keyed)
    ]
    if not data.devices_graded:
        wrong_spans = []
    total = len(wrong_kinds) + len(wrong_spans)
    if total < 2:
        return []
    found = []
    for student in data.graded:
        if student.annotation is None:
            continue
        kinds = student.annotation.kinds
        marks = [(normalise(text, s.start, s.end), s.device) for s in student.annotation.spans]
        repeated = sum(kinds.get(sid) == kind for sid, kind in wrong_kinds.items()) + sum(
            any(d == device and overlaps(m, span) for m, d in marks) for span, device in wrong_spans
        )
        if repeated >= 2 and repeated >= 0.75 * total:
            found.append((student.id, repeated, total))
    return sorted(found, key=lambda row: (-row[1], row[0]))


def _question_figures(data: ClassData) -> list[QuestionFigures]:
    assert data.sheet is not None and data.item_key is not None
    graded = data.graded
    shown = []
    for item in data.sheet.items:
        given = [g for s in graded if answered(g := s.items.get(item.id))]
        credit = [s.item_credit.get(item.id, 0.0) for s in graded]
        right = data.item_key.answer(item.id).full_marks(item)
        rewrite = item.type == "rewrite"  # a rewrite is read in full, not counted
        shown.append(
            QuestionFigures(
                item=item,
                key=str(right) if rewrite else _in_words(item, right),
                answered=len(given),
                mean_credit=sum(credit) / len(credit) if credit else 0.0,
                common=[] if rewrite else Counter(_in_words(item, g) for g in given).most_common(3),
            )
        )
    return shown


def _in_words(item: Item, value: Value) -> str:
    """An answer as a teacher reads it: option texts rather than ids."""
    if item.type == "line":
        return normalise_answer(str(value))
    if isinstance(value, list):
        known = dict(item.options)
        return (
            " > ".join(known.get(v, v) for v in value)
            if item.type == "order"
            else "; ".join(known.get(v, v) for v in value)
        )
    return dict(item.options).get(str(value), str(value))


# --- writing --------------------------------------------------------------------------


def write_report(data: ClassData, out: Path) -> list[Path]:
    """Write report.html, students.csv and items.csv into ``out`` (made if missing);
    returns the paths. A folder that cannot be made or written is one FramelabError."""
    out = report_folder(Path(out))
    try:
        return _write_files(data, out)
    except OSError as error:
        raise FramelabError(f"cannot write the report: {os_problem(error)}") from None


def report_folder(out: Path) -> Path:
    """``out``, made if missing; a file there, or a path through a file, is one line."""
    if out.exists() and not out.is_dir():
        raise FramelabError(
            f"{out} is a file; give --out a folder to write the report into (it is made if "
            "it does not exist)"
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FramelabError(f"cannot make the report folder: {os_problem(error)}") from None
    return out


def _write_files(data: ClassData, out: Path) -> list[Path]:
    from framelab.teach import plots

    result = figures(data)
    charts = [
        plots.score_histogram(
            [s.points for s in data.students if s.points is not None],
            data.students[0].max_points if data.students else None,
        ),
        plots.agreement_bars(result.sentence_agreement),
        plots.confusion_matrix(result.confusion),
    ]
    if data.devices_graded:
        charts.append(plots.device_recall_bars(result.device_recall))
    page = out / "report.html"
    page.write_text(_html(data, result, charts), encoding="utf-8")
    students_csv, items_csv = out / "students.csv", out / "items.csv"
    _students_csv(data, students_csv)
    _items_csv(data, result, items_csv)
    return [page, students_csv, items_csv]


def write_csv(path: Path, rows: list[list[Any]]) -> None:
    """Write ``rows`` (the header first) as a UTF-8 CSV file a spreadsheet opens."""
    with open(path, "w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows(rows)


def _students_csv(data: ClassData, path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(
            [
                "student_id",
                "status",
                "problem",
                "points",
                "max_points",
                "kinds_right",
                "kinds_total",
                "kinds_share",
                "spans_f1",
                "kappa",
            ]
        )
        for s in data.students:
            r = s.result
            writer.writerow(
                [
                    s.id,
                    s.status,
                    s.problem,
                    "" if s.points is None else f"{s.points:g}",
                    "" if s.max_points is None else f"{s.max_points:g}",
                    r.kinds_right if r else "",
                    r.kinds_total if r else "",
                    f"{r.kinds:.3f}" if r else "",
                    f"{r.spans.f1:.3f}" if r else "",
                    f"{r.kappa:.3f}" if r else "",
                ]
            )


def _items_csv(data: ClassData, result: ClassFigures, path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(
            ["item", "type", "text", "key", "agreement", "most_common_wrong", "wrong_count"]
        )
        for label in data.key.scored_labels:
            common = result.wrong_answers[label.id].most_common(1)
            writer.writerow(
                [
                    label.id,
                    "sentence",
                    label.text,
                    label.kind,
                    f"{result.sentence_agreement[label.id]:.3f}",
                    common[0][0] if common else "",
                    common[0][1] if common else 0,
                ]
            )
        for q in result.questions:
            common = q.common[0] if q.common else ("", "")
            writer.writerow(
                [
                    q.item.id,
                    f"question ({q.item.type})",
                    q.item.prompt,
                    q.key,
                    f"{q.mean_credit:.3f}",
                    common[0],
                    common[1],
                ]
            )
        for start, end, device, share in result.span_found:
            writer.writerow(
                [
                    f"{start}-{end}",
                    "span",
                    data.document.text[start:end],
                    device,
                    f"{share:.3f}",
                    "",
                    "",
                ]
            )


def png_data(chart: Any) -> str:
    buffer = io.BytesIO()
    chart.figure.savefig(buffer, format="png", dpi=100)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _html(data: ClassData, result: ClassFigures, charts: list[Any]) -> str:
    e = html.escape
    c = result.counts
    alpha = "not enough graded answers" if result.alpha is None else f"{result.alpha:.2f}"
    images = "".join(
        f"<figure><img src='data:image/png;base64,{png_data(chart)}' alt='{e(chart.description)}'>"
        f"<figcaption>{e(chart.description)}</figcaption></figure>"
        for chart in charts
    )
    prompts = []
    for sentence_id in result.hardest:
        label = data.key.label(sentence_id)
        common = result.wrong_answers[sentence_id].most_common(1)
        wrong = f"{common[0][0]} ({common[0][1]} students)" if common else "none"
        prompts.append(
            f"<li><p><b>{e(sentence_id)}</b> &ldquo;{e(label.text or '')}&rdquo;</p>"
            f"<p>{result.sentence_agreement[sentence_id]:.0%} of the class agreed with the key "
            f"(<b>{e(label.kind or '')}</b>). Most common other answer: {e(wrong)}.</p>"
            f"<p>Why the key says so: {e(label.why)}</p>"
            f"<p><i>Ask:</i> what would you need to know to decide this sentence's kind?</p></li>"
        )
    missed = sorted(result.device_recall.items(), key=lambda kv: kv[1])
    missed_rows = "".join(
        f"<tr><td>{e(device)}</td><td>{share:.0%}</td></tr>" for device, share in missed
    )
    spans = sorted(result.span_found, key=lambda t: t[3])[:8]
    span_rows = "".join(
        f"<tr><td>&ldquo;{e(data.document.text[a:b])}&rdquo;</td><td>{e(d)}</td>"
        f"<td>{share:.0%}</td></tr>"
        for a, b, d, share in spans
    )
    devices = (
        f"""<h2>Most-missed devices</h2>
<table><tr><th>device</th><th>share of the key's spans found, on average</th></tr>
{missed_rows}</table>
<table><tr><th>key span</th><th>device</th><th>students who found it</th></tr>{span_rows}</table>"""
        if data.devices_graded
        else "<p>This exercise does not grade framing devices, so the report leaves them out.</p>"
    )
    questions = _questions_html(result.questions)
    copied = (
        "<h2>Answers that repeat the machine's mistakes</h2><p>These students' tags repeat "
        "most of the mistakes the kit's suggester makes on this text (its kinds the key does "
        "not accept, its phrases the key does not mark). Matching the machine where it is "
        "right says nothing; repeating its errors may mean its guesses were copied. Look at "
        "their work before you trust their tagging points.</p><table><tr><th>student</th>"
        "<th>the machine's mistakes repeated</th></tr>"
        + "".join(
            f"<tr><td>{e(who)}</td><td>{n} of {total}</td></tr>"
            for who, n, total in result.machine_like
        )
        + "</table>"
        if result.machine_like
        else ""
    )
    if result.no_hand_in:
        copied += (
            "<h2>Answers with no hand-in recorded</h2><p>This exercise shows the machine's "
            "guesses only after a student's tags are handed in, and records the hand-in in the "
            "answers file. These students' files hold no such record: they never opened the "
            "machine's guesses (then their written answer about the machine cannot rest on "
            "them), or the record was removed. Look at their work: "
            + ", ".join(e(who) for who in result.no_hand_in)
            + ".</p>"
        )
    problems = (
        "".join(
            f"<tr><td>{e(s.id)}</td><td>{e(s.status)}</td><td>{e(s.problem)}</td></tr>"
            for s in data.students
            if s.status != "graded" or s.problem
        )
        or "<tr><td colspan='3'>none</td></tr>"
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Class report: {e(data.assignment)}</title>
<style>{PAGE_STYLE}</style></head>
<body>
<h1>Class report: {e(data.assignment)}</h1>
<p>Text: <b>{e(data.document.title)}</b> ({e(data.document.id)}).
{c["graded"]} students' answers read; {c["untouched"]} untouched, {c["malformed"]} malformed,
{c["missing"]} missing. Krippendorff's alpha for the class's sentence kinds: <b>{alpha}</b>
(1 is full agreement among students, 0 is chance).</p>
<h2>Discuss next time: the five sentences the class found hardest</h2>
<ol>{"".join(prompts)}</ol>
<h2>Charts</h2>
{images}
{devices}
{questions}
{copied}
<h2>Submissions that could not be read, or were read in part</h2>
<table><tr><th>student</th><th>status</th><th>problem</th></tr>{problems}</table>
<p>Made by framelab report. Per-student and per-item figures: students.csv, items.csv.</p>
</body></html>
"""


def _questions_html(questions: list[QuestionFigures]) -> str:
    """The short items: the class's mean credit, the key's answer, the most common answers."""
    if not questions:
        return ""
    e = html.escape
    rows = "".join(
        f"<tr><td><b>{e(q.item.id)}</b> ({e(q.item.type)})<br>{e(q.item.prompt)}</td>"
        f"<td>{q.mean_credit:.0%}</td><td>{q.answered}</td><td>{e(q.key)}</td>"
        f"<td>{'<br>'.join(f'{e(text)} ({n})' for text, n in q.common) or '&mdash;'}</td></tr>"
        for q in questions
    )
    return (
        "<h2>Short questions</h2><table><tr><th>question</th><th>mean credit</th>"
        "<th>answered</th><th>the key's answer</th><th>most common answers</th></tr>"
        f"{rows}</table><p>Written answers and rewrites are read in Formgrader; the rewrites' "
        "automatic part is in each student's feedback.</p>"
    )


def progress_bar(stream: Any = sys.stderr) -> Callable[[int, int], None]:
    """A one-line progress bar for long runs (drawn only on a terminal)."""

    def show(done: int, total: int) -> None:
        if total < 100 or not getattr(stream, "isatty", lambda: False)():
            return
        if done == total or done % 25 == 0:
            filled = int(30 * done / total)
            stream.write(f"\rreading answers [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}")
            if done == total:
                stream.write("\n")
            stream.flush()

    return show


def _explore_checks(course: Path) -> None:
    """The class view of the two checks: the class's change, the caveats, the chart."""
    from IPython.display import HTML, display

    from framelab.instructor.checkreport import chart, load_progress, summary_html

    try:
        progress = load_progress(course)
    except FramelabError as error:
        print(f"Cannot read the checks: {error}")
        return
    display(HTML(summary_html(progress)))
    if progress.gain:
        display(chart(progress))
    else:
        print(
            "To try the view: framelab simulate-class "
            f"--course {course} --checks --students 30 --gain 1.5"
        )


def explore(course: str | Path = ".") -> Any:
    """An interactive class view for a notebook: choose an exercise, see the summary,
    the discussion prompts and the charts. Returns the widget."""
    import ipywidgets as widgets
    from IPython.display import HTML, display

    from framelab.instructor.course import exercise_ids
    from framelab.teach import plots
    from framelab.teach.checks import is_check

    course = Path(course)
    choices = exercise_ids(course)
    first = next((c for c in choices if not is_check(c)), choices[0] if choices else None)
    picker = widgets.Dropdown(options=choices, description="Exercise", value=first)
    shown = widgets.Output()

    def draw(_: Any = None) -> None:
        shown.clear_output()
        with shown:
            if not picker.value:
                print(f"No exercises in {course.resolve()}/solutions.")
                return
            if is_check(picker.value):
                _explore_checks(course)
                return
            try:
                data = load_class(course, picker.value)
            except FramelabError as error:
                print(f"Cannot read the class: {error}")
                return
            result = figures(data)
            c = result.counts
            alpha = "n/a" if result.alpha is None else f"{result.alpha:.2f}"
            display(
                HTML(
                    f"<p>{c['graded']} answers read; {c['untouched']} untouched, {c['malformed']} "
                    f"malformed, {c['missing']} missing. Krippendorff's alpha: {alpha}.</p>"
                )
            )
            if not data.graded:
                print(
                    "No graded answers yet. To try the view: framelab simulate-class "
                    f"--course {course} --assignment {picker.value} --students 30"
                )
                return
            rows = "".join(
                f"<li><b>{i}</b> {html.escape(data.key.label(i).text or '')} "
                f"({result.sentence_agreement[i]:.0%} agreed; key: {data.key.label(i).kind})</li>"
                for i in result.hardest
            )
            display(HTML(f"<p><b>Hardest sentences</b></p><ol>{rows}</ol>"))
            points = [s.points for s in data.students if s.points is not None]
            display(plots.score_histogram(points, data.students[0].max_points))
            display(plots.confusion_matrix(result.confusion))
            display(plots.agreement_bars(result.sentence_agreement))
            if data.devices_graded:
                display(plots.device_recall_bars(result.device_recall))
            if result.questions:
                display(HTML(_questions_html(result.questions)))

    picker.observe(draw, names="value")
    draw()
    return widgets.VBox([picker, shown])
