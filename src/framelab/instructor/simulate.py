"""A believable simulated class, so an instructor can try the whole route before
the first real class, and so tests and benchmarks have data.

Students differ in skill and make the mistakes real students make: opinions taken
for facts (the most common), attributions missed when the source comes late in the
sentence, headings tagged as facts, loaded words and judging verbs found more often
than speculation and generalizations, marks that stop a word short, a device
confused with its neighbour, extra marks on emphatic but neutral words. About one
in twelve does not hand in; a few hand in an untouched notebook or a broken
answers file (at least one of each in a class of four or more). Points are
computed by the grader's own function and recorded in nbgrader's gradebook
through its API, as autograde records them (and the written answer gets a mark,
as a teacher would give it).
"""

from __future__ import annotations

import ast
import contextlib
import json
import random
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framelab.grading.answers import answers_path
from framelab.grading.cells import grade
from framelab.instructor.classreport import exercise_document, grade_cells
from framelab.instructor.course import read_notebook, release
from framelab.texts.corpus import load_document, load_key, tokens
from framelab.texts.items import ItemSheet, Value, load_sheet, sheet_path
from framelab.texts.model import Annotation, FramelabError, Span, write_bytes_atomic
from framelab.texts.taxonomy import DEVICES

__all__ = ["SimulatedChecks", "simulate_checks", "simulate_class"]

# For a sentence whose key kind is the first, the wrong kinds students give, with weights.
CONFUSIONS = {
    "opinion": [("fact", 6), ("attributed", 2), ("structure", 1)],
    "attributed": [("fact", 5), ("opinion", 3)],
    "fact": [("opinion", 3), ("attributed", 3)],
    "structure": [("fact", 4), ("opinion", 1)],
}
# How much easier (+) or harder (-) each device is to find than the student's skill.
EASE = {
    "loaded": 0.15,
    "verb-bias": 0.1,
    "intensifier": 0.0,
    "vague-source": -0.1,
    "speculation": -0.2,
    "generalization": -0.25,
}
NEIGHBOUR = {
    "loaded": "intensifier",
    "intensifier": "loaded",
    "speculation": "generalization",
    "generalization": "speculation",
    "vague-source": "verb-bias",
    "verb-bias": "loaded",
}


MAX_STUDENTS = 10_000


def simulate_class(course: Path, assignment: str, students: int, seed: int = 0) -> dict[str, int]:
    """Fill ``course``'s submitted/ folder and gradebook with ``students`` simulated
    students for ``assignment`` (released first if need be). Returns how many of each
    status were made."""
    from nbgrader.api import Gradebook

    if not 1 <= students <= MAX_STUDENTS:
        raise FramelabError(
            f"a simulated class has 1 to {MAX_STUDENTS:,} students, not {students:,}"
        )
    course = Path(course).resolve()
    rng = random.Random(seed)
    document_id = exercise_document(course, assignment)
    document = load_document(document_id)
    key = load_key(document_id)
    release_folder = course / "exercises" / assignment
    if not release_folder.is_dir() or not (course / "gradebook.db").is_file():
        release(course, [assignment])
    notebooks = sorted(release_folder.glob("*.ipynb"))
    cells = grade_cells(course, assignment)
    offered = _offered(course, assignment, cells)
    sheet = load_sheet(assignment) if sheet_path(assignment).is_file() else None
    words = tokens(document.text)
    made = {"graded": 0, "untouched": 0, "malformed": 0, "missing": 0}
    width = len(str(students))
    # About 8% miss the deadline, 3% hand in an untouched notebook, 2% a broken file:
    # at least one of each in a class of four or more, given to students at random.
    shares = {"missing": 0.08, "untouched": 0.03, "malformed": 0.02}
    fates = [
        fate
        for fate, share in shares.items()
        for _ in range(max(1 if students >= 4 else 0, round(share * students)))
    ]
    fates += ["graded"] * (students - len(fates))
    rng.shuffle(fates)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for n, fate in enumerate(fates):
            student = f"sim{n + 1:0{width}d}"
            gradebook.update_or_create_student(student, first_name="Simulated", last_name=student)
            made[fate] += 1
            if fate == "missing":
                continue
            folder = course / "submitted" / student / assignment
            folder.mkdir(parents=True, exist_ok=True)
            for notebook in notebooks:
                shutil.copy(notebook, folder)
            if fate == "untouched":
                text = None
            elif fate == "malformed":
                text = rng.choice(
                    [
                        '{"taxonomy": "framelab-1", "document": "' + document_id + '", "sente',
                        json.dumps(
                            {
                                "taxonomy": "framelab-1",
                                "document": "another-text",
                                "sentences": [],
                                "spans": [],
                            }
                        ),
                    ]
                )
            else:
                answers = _answers(key, words, document.text, rng, offered)
                if sheet is not None:
                    answers["items"] = _items(sheet, document.sentence, rng)
                text = json.dumps(answers)
            if text is not None:  # as handed in, malformed ones included
                write_bytes_atomic(answers_path(assignment, folder), text.encode("utf-8"))
            _record(gradebook, assignment, student, text, cells, rng)
    return made


@dataclass(frozen=True)
class SimulatedChecks:
    """What :func:`simulate_checks` made."""

    made: dict[str, dict[str, int]]  # per check, how many of each status
    true_gain: float  # the mean expected change of the students who did both, in points


def simulate_checks(course: Path, students: int, gain: float, seed: int = 0) -> SimulatedChecks:
    """Fill ``course``'s submitted/ folder and gradebook with ``students`` simulated
    students' starting-point and finishing-point checks, each on the passage
    :func:`framelab.teach.checks.check_passage` gives them, with a true mean change of
    ``gain`` points (of the checks' 10).

    Each student has a share ``p`` of answers they get right: each scored unit's kind is
    right with chance ``p`` (else a kind the key does not accept), and each of the key's
    phrases is marked exactly, with its device, with chance ``p`` (no other marks). At the
    end their ``p`` is set so that their expected score is ``gain`` above their expected
    score at the start, on the other passage (worked out exactly from the scorer, so the
    passages' small differences are allowed for); where a student is too near the top or
    the bottom for that, the change is as near as it can be, and ``true_gain`` is the mean
    of the expected changes as made. About one in twenty misses a check, and a few hand in
    an untouched or a broken file."""
    from nbgrader.api import Gradebook

    from framelab.instructor.checkreport import POINTS, check_score
    from framelab.teach.checks import ASSIGNMENTS, PASSAGES, check_passage

    if not 1 <= students <= MAX_STUDENTS:
        raise FramelabError(
            f"a simulated class has 1 to {MAX_STUDENTS:,} students, not {students:,}"
        )
    top = sum(POINTS.values())
    if not -top < gain < top:
        raise FramelabError(f"a gain is between -{top:g} and {top:g} points, not {gain:g}")
    course = Path(course).resolve()
    rng = random.Random(seed)
    assignments = list(ASSIGNMENTS.values())
    missing = [a for a in assignments if not (course / "exercises" / a).is_dir()]
    if missing or not (course / "gradebook.db").is_file():
        release(course, assignments)
    passages = {p: (load_document(p), load_key(p)) for p in PASSAGES}
    expected = {
        p: _expected_points(document, key, check_score) for p, (document, key) in passages.items()
    }
    cells = {a: grade_cells(course, a) for a in assignments}
    made = {a: {"graded": 0, "untouched": 0, "malformed": 0, "missing": 0} for a in assignments}
    changes = []
    width = len(str(students))
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for n in range(students):
            student = f"sim{n + 1:0{width}d}"
            gradebook.update_or_create_student(student, first_name="Simulated", last_name=student)
            first, last = check_passage(student, "start"), check_passage(student, "end")
            skill = rng.betavariate(4, 3)
            aim = expected[first](skill) + gain
            end_skill = _solve(expected[last], aim)
            fates = [rng.choices(list(made[a]), [0.92, 0.02, 0.01, 0.05])[0] for a in assignments]
            if fates == ["graded", "graded"]:
                changes.append(expected[last](end_skill) - expected[first](skill))
            for assignment, passage, p, fate in zip(
                assignments, (first, last), (skill, end_skill), fates, strict=True
            ):
                made[assignment][fate] += 1
                if fate == "missing":
                    continue
                folder = course / "submitted" / student / assignment
                folder.mkdir(parents=True, exist_ok=True)
                for notebook in sorted((course / "exercises" / assignment).glob("*.ipynb")):
                    shutil.copy(notebook, folder)
                key = passages[passage][1]
                text = {
                    "untouched": None,
                    "malformed": '{"taxonomy": "framelab-1", "document": "' + passage,
                    "graded": json.dumps(_check_answers(key, p, rng)),
                }[fate]
                if text is not None:
                    write_bytes_atomic(answers_path(assignment, folder), text.encode("utf-8"))
                _record(gradebook, assignment, student, text, cells[assignment], rng)
    true_gain = sum(changes) / len(changes) if changes else gain
    return SimulatedChecks(made, true_gain)


def _simulated(document: str, sentences: list[Any], spans: list[Any]) -> dict[str, object]:
    """A simulated student's answers file, as the tagger writes one."""
    return {
        "taxonomy": "framelab-1",
        "document": document,
        "annotator": "simulated",
        "sentences": sentences,
        "spans": spans,
    }


def _check_answers(key: Annotation, p: float, rng: random.Random) -> dict[str, object]:
    """A check's answers by a student who gets each thing right with chance ``p``."""
    sentences = []
    for label in key.labels:
        wrong = [k for k in CONFUSIONS.get(label.kind or "", []) if not label.accepts(k[0])]
        if rng.random() < p or not wrong:
            sentences.append({"id": label.id, "kind": label.kind})
        else:
            options, weights = zip(*wrong, strict=True)
            sentences.append({"id": label.id, "kind": rng.choices(options, weights)[0]})
    spans = [
        {"start": s.start, "end": s.end, "device": s.device} for s in key.spans if rng.random() < p
    ]
    return _simulated(key.document, sentences, spans)


def _expected_points(document: Any, key: Annotation, check_score: Any) -> Any:
    """The expected check score, as a function of ``p``, of a student who answers as
    :func:`_check_answers` does: the kinds right follow a binomial law and the phrases
    found every subset's chance, each scored by the scorer itself."""
    import itertools
    import math

    from framelab.grading.feedback import points
    from framelab.instructor.checkreport import POINTS

    labels = key.scored_labels
    n = len(labels)
    kinds = [points(k / n, POINTS["kinds"]) for k in range(n + 1)]
    phrases = []
    for found in itertools.product((False, True), repeat=len(key.spans)):
        chosen = tuple(
            Span(s.start, s.end, s.device) for s, f in zip(key.spans, found, strict=True) if f
        )
        marked = Annotation(document=key.document, labels=(), spans=chosen)
        phrases.append((sum(found), check_score(marked, key, document).points))

    def expected(p: float) -> float:
        on_kinds = sum(math.comb(n, k) * p**k * (1 - p) ** (n - k) * kinds[k] for k in range(n + 1))
        on_phrases = sum(p**k * (1 - p) ** (len(key.spans) - k) * total for k, total in phrases)
        return on_kinds + on_phrases

    return expected


def _solve(expected: Any, aim: float) -> float:
    """The ``p`` whose expected score is ``aim`` (0 or 1 where it is out of reach);
    ``expected`` rises with ``p``."""
    if aim <= expected(0.0):
        return 0.0
    if aim >= expected(1.0):
        return 1.0
    low, high = 0.0, 1.0
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if expected(middle) < aim else (low, middle)
    return (low + high) / 2


def _offered(course: Path, assignment: str, cells: dict[str, dict[str, Any]]) -> tuple[str, ...]:
    """The devices the exercise's tagger lets students mark: the graded ones where a
    cell grades devices; otherwise what its ``Tagger.exam(..., devices=...)`` says (read
    as a literal, never run): none for the kinds-only exercises from 05 on, all six for
    exercise 01, which grades kinds but lets students mark phrases."""
    for call in cells.values():
        if call["part"] == "devices":
            return tuple(call.get("devices") or DEVICES)
    for notebook in sorted((course / "solutions" / assignment).glob("*.ipynb")):
        for cell in read_notebook(notebook).cells:
            if cell.cell_type != "code" or "Tagger.exam(" not in cell.source:
                continue
            with contextlib.suppress(SyntaxError, ValueError):
                for node in ast.walk(ast.parse(cell.source)):
                    if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "exam":
                        for keyword in node.keywords:
                            if keyword.arg == "devices":
                                value = ast.literal_eval(keyword.value)
                                if value is True:
                                    return DEVICES
                                return tuple(d for d in DEVICES if value and d in value)
    return DEVICES


def _answers(
    key: Annotation,
    words: list[tuple[int, int]],
    text: str,
    rng: random.Random,
    offered: tuple[str, ...] = DEVICES,
) -> dict[str, object]:
    skill = rng.betavariate(5, 2.5)  # most students fairly good, a long tail
    sentences = []
    for label in key.labels:
        if rng.random() < (1 - skill) * 0.08:
            continue  # forgot this one
        if rng.random() < skill or label.kind not in CONFUSIONS:
            kind = (
                rng.choice([label.kind, *label.accept])
                if label.accept and rng.random() < 0.3
                else label.kind
            )
        else:
            options, weights = zip(*CONFUSIONS[label.kind], strict=True)
            kind = rng.choices(options, weights)[0]
        sentences.append({"id": label.id, "kind": kind})
    spans = []
    for span in key.spans:
        if span.device not in offered or rng.random() > skill + EASE.get(span.device, 0) - 0.1:
            continue
        start, end, device = span.start, span.end, span.device
        inside = [w for w in words if start <= w[0] and w[1] <= end and text[w[0]].isalnum()]
        if len(inside) > 1 and rng.random() < 0.25:
            end = inside[-2][1]  # stopped a word short
        if rng.random() < 0.12 and NEIGHBOUR[device] in offered:
            device = NEIGHBOUR[device]
        spans.append({"start": start, "end": end, "device": device})
    alphabetic = [w for w in words if text[w[0]].isalpha() and w[1] - w[0] > 3]
    stray = [d for d in ("loaded", "intensifier") if d in offered] or list(offered)
    for _ in range(
        rng.choices([0, 1, 2, 3], [5, 3, 1, 1 - skill])[0] if alphabetic and stray else 0
    ):
        a, b = rng.choice(alphabetic)
        spans.append({"start": a, "end": b, "device": rng.choice(stray)})
    return _simulated(key.document, sentences, spans)


def _items(sheet: ItemSheet, sentence: Any, rng: random.Random) -> dict[str, Value]:
    """Answers to the short items: the key's for about two students in three, else a
    wrong or a half-right one; a few left unanswered."""
    from framelab.instructor.model_answers import full_mark_items

    right = full_mark_items(sheet.id)
    given: dict[str, Value] = {}
    for item in sheet.items:
        luck = rng.random()
        if luck < 0.05:
            continue  # not answered
        if luck < 0.7:
            given[item.id] = right[item.id]
        elif item.type == "choice" and not item.multiple:
            given[item.id] = rng.choice(item.option_ids)
        elif item.type in ("choice", "order"):
            options = list(item.option_ids)
            rng.shuffle(options)
            given[item.id] = options if item.type == "order" else options[: rng.randint(1, 3)]
        elif item.type == "line":
            given[item.id] = rng.choice(["not sure", "the same", str(right[item.id]).upper()])
        else:  # a rewrite that keeps the sentence's loaded words
            given[item.id] = sentence(item.sentence).text.replace(".", " indeed.")
    return given


def _record(
    gradebook: object,
    assignment: str,
    student: str,
    text: str | None,
    cells: dict[str, dict[str, Any]],
    rng: random.Random,
) -> None:
    """Write the student's points as autograde would, and a written-answer mark."""
    with warnings.catch_warnings():  # nbgrader's add_submission always warns (SAWarning)
        warnings.simplefilter("ignore")
        submission = gradebook.add_submission(assignment, student)  # type: ignore[attr-defined]
    for notebook in submission.notebooks:
        for item in notebook.grades:
            call = cells.get(item.name)
            if call is not None:
                item.auto_score = grade(
                    text,
                    exercise=assignment,
                    document=call["document"],
                    part=call["part"],
                    max_points=item.max_score,
                    item=call.get("item"),
                    devices=call.get("devices"),
                ).points
                item.needs_manual_grade = False
            elif item.name == "written_answer":
                top = int(item.max_score)
                marks = [0, *[m for m in range(1, top + 1) for _ in range(2)]]  # mostly good
                item.auto_score = 0.0 if text is None else None
                item.manual_score = None if text is None else float(rng.choice(marks))
                item.needs_manual_grade = False
    gradebook.db.commit()  # type: ignore[attr-defined]
