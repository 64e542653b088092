"""The nbgrader course: shared settings, and releasing exercises from solutions.

``framelab release`` regenerates ``exercises/`` from ``solutions/`` with nbgrader's
own generate_assignment; CI runs it into a scratch copy and fails on any
difference from the committed release.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from framelab.grading.answers import ANSWERS_FOLDER
from framelab.grading.cells import grade_call, require_reviewed_key
from framelab.texts.corpus import (
    ARTICLE_FILE,
    ID_PATTERN,
    META_FILE,
    check_id,
    datasets_dir,
    document_from_text,
    key_path,
)
from framelab.texts.model import (
    Annotation,
    FramelabError,
    Label,
    Span,
    os_problem,
    read_json,
    write_json_atomic,
)

__all__ = [
    "GRADEBOOK",
    "IGNORE",
    "card_leaks",
    "check_collect_folders",
    "check_exercise_id",
    "check_gradebook",
    "exercise_ids",
    "exercise_notebook",
    "graded_key_leaks",
    "nbgrader",
    "nbgrader_failure",
    "new_exercise",
    "read_notebook",
    "release",
    "release_differences",
    "student_datasets",
]

# nbgrader's CourseDirectory.ignore (it replaces nbgrader's defaults). nbgrader copies
# files by it when it releases, autogrades, makes feedback and moves files through
# the exchange, so students' answers/ folders are not in it.
# .*.lock and .*.tmp: the answers file's lock and a save cut short (framelab.grading.answers)
IGNORE = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    "instructor_*",
    ".*.lock",
    ".*.tmp",
]
# A release also leaves out an instructor's own answers/ from trying the exercise.
RELEASE_IGNORE = [*IGNORE, ANSWERS_FOLDER]


def nbgrader(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run an nbgrader command in ``cwd`` with this environment's Python. Its bin/
    folder goes first on PATH: nbgrader runs helpers such as alembic by name."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


GRADEBOOK = "gradebook.db"
_SQLITE_HEADER = b"SQLite format 3\x00"


def nbgrader_failure(command: str, stderr: str) -> str:
    """One line saying why an nbgrader command failed, from its messages: its last
    error (or the last line of a Python error), not the whole log."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [
        line.split("]", 1)[1].strip()
        for line in lines
        if line.startswith("[") and ("| CRITICAL]" in line or "| ERROR]" in line)
    ]
    errors = [e for e in errors if e and not e.startswith(f"nbgrader {command} failed")]
    raised = [line for line in lines if re.match(r"^[A-Za-z_.]+(Error|Exception): ", line)]
    reason = (errors or raised or lines or ["no message"])[-1]
    return f"nbgrader {command} failed: {reason[:300]}"


def check_gradebook(course: Path) -> None:
    """Raise FramelabError, naming the file, when the course's gradebook.db is there
    but is not a file nbgrader can open (a folder, unreadable, not an SQLite database).
    No gradebook is fine: nbgrader makes one."""
    path = Path(course).absolute() / GRADEBOOK
    if not path.exists():
        return
    if not path.is_file():
        raise FramelabError(
            f"{path} is not a file; nbgrader keeps its gradebook there, so move it aside"
        )
    try:
        with open(path, "rb") as stream:
            head = stream.read(len(_SQLITE_HEADER))
    except OSError as error:
        raise FramelabError(f"cannot read nbgrader's gradebook: {os_problem(error)}") from None
    if head and head != _SQLITE_HEADER:
        raise FramelabError(
            f"{path} is not an nbgrader gradebook (it is not an SQLite database); restore it "
            "from a backup, or move it aside and nbgrader starts an empty one"
        )


def check_collect_folders(course: Path, assignment: str, exchange: Path | None) -> None:
    """Before nbgrader collect runs: the course folder and what collect reads and
    writes in it, and the exchange root if given, are what they should be; else
    FramelabError naming the one that is not."""
    from framelab.instructor.exchange import REFUSED_FOLDER  # nbgrader's exchange: slow import

    course = Path(course).absolute()
    if not course.is_dir():
        raise FramelabError(
            f"{course} is not a course folder: it "
            + ("is a file" if course.exists() else "does not exist")
            + "; run framelab collect in your course (the folder with nbgrader_config.py), "
            "or give it with --course"
        )
    if (course / "nbgrader_config.py").exists() and not (course / "nbgrader_config.py").is_file():
        raise FramelabError(
            f"{course / 'nbgrader_config.py'} is a folder; nbgrader reads its settings from a "
            "file of that name"
        )
    check_gradebook(course)
    for name in ("submitted", REFUSED_FOLDER, ".collect-staging"):
        folder = course / name
        if folder.exists() and not folder.is_dir():
            raise FramelabError(
                f"{folder} is a file where collect keeps a folder; move it aside and try again"
            )
        if not os.access(folder if folder.is_dir() else course, os.W_OK):
            raise FramelabError(
                f"{folder if folder.is_dir() else course} cannot be written, so collect could "
                "not keep what it collects; ask for write access, or run collect as the "
                "course's owner"
            )
    record = course / REFUSED_FOLDER / f"{assignment}.txt"
    if record.exists() and not record.is_file():
        raise FramelabError(
            f"{record} is a folder where collect lists refused submissions; move it aside"
        )
    if exchange is not None and not Path(exchange).is_dir():
        raise FramelabError(
            f"the exchange folder {exchange} "
            + ("is a file" if Path(exchange).exists() else "does not exist")
            + "; give --exchange the exchange root students submit to (nbgrader's "
            "c.Exchange.root)"
        )


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """A notebook of the course, read as nbgrader reads it; one that is not a
    notebook raises FramelabError naming it."""
    try:
        return nbformat.read(path, as_version=4)
    except OSError as error:
        raise FramelabError(f"cannot read the notebook: {os_problem(error)}") from None
    except (ValueError, AttributeError, KeyError, TypeError) as error:  # not a notebook's JSON
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0][:120]
        raise FramelabError(
            f"{path} is not a notebook nbgrader can read ({reason}); restore it from git or "
            "a backup"
        ) from None


def exercise_ids(course: Path) -> list[str]:
    """The exercises of a course: the folders of solutions/ whose names are ids."""
    solutions = Path(course) / "solutions"
    if not solutions.is_dir():
        return []
    return sorted(
        p.name
        for p in solutions.iterdir()
        if p.is_dir() and not p.is_symlink() and ID_PATTERN.fullmatch(p.name)
    )


def check_exercise_id(course: Path, exercise: object) -> str:
    """Return ``exercise`` if it names an exercise of ``course`` (a folder directly
    under solutions/), else raise FramelabError naming the exercises there. Every
    command that takes an exercise id checks it with this before it writes or
    deletes anything."""
    exercise = check_id(exercise, "an exercise id")
    if exercise not in exercise_ids(course):
        raise FramelabError(
            f"{exercise!r} is not an exercise of {course} (no folder solutions/{exercise}); "
            f"exercises here: {', '.join(exercise_ids(course)) or 'none'}"
        )
    return exercise


def release(course: Path, exercises: list[str] | None = None) -> list[Path]:
    """Regenerate ``exercises/<id>/`` from ``solutions/<id>/`` for each id (default
    all); returns the notebooks written. nbgrader's messages go to its log."""
    course = Path(course).resolve()
    if not (course / "nbgrader_config.py").is_file():
        raise FramelabError(
            f"{course} is not a course folder (it has no nbgrader_config.py); "
            "run framelab release in your course, or give --course"
        )
    ids = [check_exercise_id(course, i) for i in exercises] if exercises else exercise_ids(course)
    if not ids:
        raise FramelabError(f"no exercises in {course / 'solutions'}: nothing to release")
    for exercise in ids:  # every key reviewed before anything is generated
        for notebook in sorted((course / "solutions" / exercise).glob("*.ipynb")):
            for cell in read_notebook(notebook).cells:
                call = grade_call(cell.source) if cell.cell_type == "code" else None
                if call is not None:
                    require_reviewed_key(call["document"])
    written = []
    for exercise in ids:
        result = nbgrader(
            "generate_assignment",
            exercise,
            "--force",
            f"--CourseDirectory.ignore={RELEASE_IGNORE!r}",
            "--log-level=WARN",
            cwd=course,
        )
        if result.returncode != 0:
            raise FramelabError(
                f"{nbgrader_failure('generate_assignment', result.stderr)} (releasing {exercise})"
            )
        for notebook in sorted((course / "exercises" / exercise).glob("*.ipynb")):
            # one canonical layout, so that the committed release compares byte for byte
            nbformat.write(nbformat.read(notebook, as_version=4), notebook)
            written.append(notebook)
    return written


def release_differences(course: Path) -> list[str]:
    """Files that differ between the committed ``exercises/`` and a fresh release
    made in a scratch copy of the course (empty when they agree)."""
    course = Path(course).resolve()
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "course"
        copy.mkdir()
        shutil.copy(course / "nbgrader_config.py", copy)
        shutil.copytree(course / "solutions", copy / "solutions")
        release(copy)
        fresh, committed = copy / "exercises", course / "exercises"
        names = {p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()}
        names |= {p.relative_to(committed) for p in committed.rglob("*") if p.is_file()}
        return sorted(
            str(name)
            for name in names
            if not (fresh / name).is_file()
            or not (committed / name).is_file()
            or (fresh / name).read_bytes() != (committed / name).read_bytes()
        )


QUOTE_PAIRS = ('""', "''", "``", "\u201c\u201d", "\u2018\u2019")


def graded_ids(root: Path) -> list[str]:
    """The articles of ``root`` (a datasets folder) that graded exercises use."""
    graded = []
    for meta in sorted((Path(root) / "articles").glob(f"*/{META_FILE}")):
        try:
            if read_json(meta).get("graded") is True:
                graded.append(meta.parent.name)
        except (ValueError, AttributeError):  # ValueError: FramelabError too
            graded.append(meta.parent.name)  # unreadable: treat as graded, keep its key out
    return graded


def student_datasets(source: Path, dest: Path) -> list[str]:
    """Copy the datasets folder ``source`` to ``dest`` for students: every text, and
    every key but those of graded texts. Links are copied as links, never followed,
    and the copy is checked with :func:`graded_key_leaks` before it is kept. Returns
    the graded texts whose keys were left out."""
    source, dest = Path(source), Path(dest)
    graded = graded_ids(source)
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(
        source,
        dest,
        symlinks=True,
        ignore=lambda folder, names: [
            n for n in names if Path(folder).name == "keys" and n.removesuffix(".json") in graded
        ],
    )
    leaks = graded_key_leaks(dest, source)
    if leaks:
        shutil.rmtree(dest)
        raise FramelabError(
            "the students' copy of the datasets would give away a graded key:\n  "
            + "\n  ".join(leaks)
        )
    return graded


def graded_key_leaks(students: Path, full: Path) -> list[str]:
    """What in the students' datasets folder ``students`` gives away a key of a graded
    text (keys read from the full datasets folder ``full``): the key file itself, any of
    its reasons anywhere, and in the text's own folder (its data card and metadata) a
    sentence id or a quoted span of its key. Empty when nothing does."""
    students, full = Path(students), Path(full)
    found = []
    files = [p for p in students.rglob("*") if p.is_file() and not p.is_symlink()]
    texts = {p: p.read_bytes().decode("utf-8", errors="replace") for p in files}
    graded_texts = graded_ids(full)
    generic = set()  # reasons that other keys share (a dateline's, a heading's) say nothing
    for path in (full / "keys").glob("*.json"):
        if path.stem not in graded_texts:
            with contextlib.suppress(ValueError, AttributeError, TypeError, KeyError):
                data = read_json(path)
                generic |= {str(i.get("why"))[:40] for i in [*data["sentences"], *data["spans"]]}
    for graded in graded_texts:
        if (students / "keys" / f"{graded}.json").exists():
            found.append(f"keys/{graded}.json: the key of a graded text")
        try:
            key = read_json(full / "keys" / f"{graded}.json")
        except ValueError:  # FramelabError: missing or unreadable
            continue
        items = [*key.get("sentences", []), *key.get("spans", [])]
        reasons = [
            item["why"][:40]
            for item in items
            if len(item.get("why", "")) >= 20 and item["why"][:40] not in generic
        ]
        spans = [item["text"] for item in key.get("spans", []) if item.get("text")]
        own = students / "articles" / graded
        for path, text in texts.items():
            where = path.relative_to(students)
            if path == own / ARTICLE_FILE:
                continue
            for reason in reasons:
                if reason in text:
                    found.append(f"{where}: repeats a reason of the key of {graded}: {reason!r}")
            if own in path.parents:
                found += [f"{where}: {problem}" for problem in card_leaks(text, spans, graded)]
    return found


def card_leaks(text: str, spans: list[str], graded: str) -> list[str]:
    """What a graded text's data card or metadata (``text``) says of its answers: a
    sentence id, or a quoted span of its key (``spans``, the spans' words)."""
    found = [
        f"names sentence {sentence_id} of graded text {graded}"
        for sentence_id in sorted(set(re.findall(r"\bs\d{2}\b", text)))
    ]
    found += [
        f"quotes {span!r}, a span of the key of {graded}"
        for span in spans
        if any(f"{a}{span}{b}" in text for a, b in QUOTE_PAIRS)
    ]
    return found


FILL_IN = "FILL IN"
_KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def _cell_meta(
    grade_id: str,
    *,
    grade: bool = False,
    solution: bool = False,
    locked: bool = False,
    points: float | None = None,
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "schema_version": 3,
        "grade_id": grade_id,
        "grade": grade,
        "solution": solution,
        "locked": locked,
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def exercise_notebook(
    exercise: str,
    document: str,
    *,
    heading: str,
    about: str,
    last_id: str,
    points: tuple[float, float, float] = (5, 5, 2),
) -> nbformat.NotebookNode:
    """The nbgrader source notebook of a tagging exercise: instructions, the tagger
    (graded mode), a typed alternative, a completeness check, two grade cells
    (kinds, devices) whose hidden part calls ``grade_cell``, and a written answer
    marked by hand with the rubric in docs/rubrics/."""
    kinds, devices, written = points
    total = f"{kinds + devices + written:g}"
    cells = [
        new_markdown_cell(
            f"# {heading}\n\n"
            f"**Graded.** {total} points: sentence kinds {kinds:g}, framing devices {devices:g}, "
            f"a short written answer {written:g}. About 20 minutes.\n\n"
            "You will tag a news text you have not seen before, the way you tagged the "
            f"central article in lesson 01. {about}\n\n"
            "1. Run the next cell (Shift+Enter). The tagger appears.\n"
            "2. Give every sentence a kind: **fact**, **attributed**, **opinion** or "
            "**structure**. Click a chip, or use the keys 1-4; Tab or the arrow keys move "
            "between sentences.\n"
            "3. Mark the framing devices you find: drag over the words (or click the first word "
            "and shift-click the last), then choose the device. Click a marked word to remove "
            "its mark. The legend in the tagger gives every label's question.\n"
            f"4. Your answers are saved as you go, in `answers/{exercise}.json` next to this "
            "notebook. Closing the notebook or restarting loses nothing.\n"
            "5. Press **Check** in the tagger to see what is still untagged. It does not tell "
            "you what is right: that is for your teacher's grader.\n"
            "6. Answer the written question at the end, save the notebook, and hand it in "
            "together with the `answers` folder (with nbgrader, Submit does this for you).",
            metadata=_cell_meta("instructions", locked=True),
        ),
        new_code_cell(
            "from framelab import Tagger\n\n"
            f'tagger = Tagger.exam("{exercise}", "{document}")\n'
            "tagger",
            metadata=_cell_meta("tagger", locked=True),
        ),
        new_markdown_cell(
            "### No tagger on your screen?\n\n"
            "If you use a screen reader, a viewer that cannot show widgets, or simply prefer "
            "typing, give the same answers in the next cell instead. Remove the `#` signs, fill "
            f"in every sentence id (s01 to {last_id}) and run it. Sentence ids are listed in the "
            "tagger and by `print(tagger.document.sentences)`. Each span is written as (sentence "
            "id, the exact words, the device). Your answers go to the same file as the tagger's.",
            metadata=_cell_meta("typing_help", locked=True),
        ),
        new_code_cell(
            "# tagger.type_in(\n"
            '#     {"s01": "...", "s02": "...", "s03": "..."},  # every sentence: its kind\n'
            '#     [("s04", "the exact words", "device")],  # every mark: id, words, device\n'
            "# )"
        ),
        new_markdown_cell(
            "### Before you hand in\n\nRun the next cell. It checks that your answers file is "
            "there, readable and complete. It does not say what is right.",
            metadata=_cell_meta("before_hand_in", locked=True),
        ),
        new_code_cell(
            f'from framelab import check_answers\n\ncheck_answers("{exercise}", "{document}")',
            metadata=_cell_meta("check", locked=True),
        ),
    ]
    for part, label, value in (
        ("kinds", "Sentence kinds", kinds),
        ("devices", "Framing devices", devices),
    ):
        cells.append(
            new_code_cell(
                f'"""{label} ({value:g} points): scored by the grader from your saved answers."""\n'
                f'check_answers("{exercise}", "{document}")\n'
                "### BEGIN HIDDEN TESTS\n"
                "# nbgrader puts a grade cell's hidden part last, so its import follows the check\n"
                "from framelab import grade_cell  # noqa: E402\n\n"
                f'grade_cell("{exercise}", "{document}", part="{part}", points={value:g})\n'
                "### END HIDDEN TESTS",
                metadata=_cell_meta(f"score_{part}", grade=True, points=value),
            )
        )
    cells += [
        new_markdown_cell(
            f"### Written answer ({written:g} points)\n\n"
            "Choose the one sentence of this text that you found hardest to classify. In three "
            "to five sentences of your own: give its id, the kind you chose, the other kind you "
            "considered, and the question from the legend that decided it for you.",
            metadata=_cell_meta("written_prompt", locked=True),
        ),
        new_markdown_cell(
            "### BEGIN SOLUTION\n"
            "A full-mark answer names one sentence by its id, gives the kind chosen and the one "
            "considered, and shows a legend question deciding between them, in the student's own "
            "words. The rubric, with examples, is in docs/rubrics/01-fact-or-frame.md.\n"
            "### END SOLUTION",
            metadata=_cell_meta("written_answer", grade=True, solution=True, points=written),
        ),
    ]
    notebook = new_notebook(
        cells=cells, metadata={"kernelspec": _KERNELSPEC, "language_info": {"name": "python"}}
    )
    nbformat.validate(notebook)
    return notebook


def new_exercise(article: Path, exercise: str, course: Path) -> list[Path]:
    """Start an exercise on a teacher's own article: the article folder (text, metadata
    and data card to fill in), a draft key from the machine's suggestions, and
    ``solutions/<exercise>/``. The key stays a draft, and the exercise cannot be
    released, until a person has reviewed it. Returns the files written."""
    from framelab.machine.suggest import read_article, suggest

    check_id(exercise, "an exercise id")
    if not Path(course).is_dir():
        raise FramelabError(f"the course folder {course} does not exist or is not a folder")
    root = datasets_dir()
    folder = root / "articles" / exercise
    solution = Path(course) / "solutions" / exercise
    for existing in (folder, solution, key_path(exercise, root)):
        if existing.exists():
            raise FramelabError(f"{existing} already exists; choose another id or remove it")
    text = read_article(article)
    document = document_from_text(text, exercise)
    found = suggest(document)
    try:
        return _write_exercise(exercise, text, document, found, folder, solution, root)
    except BaseException as error:  # leave nothing half made: a retry would say "exists"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(solution, ignore_errors=True)
        key_path(exercise, root).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise FramelabError(
                f"could not write the exercise ({error.strerror}: {error.filename}); "
                "nothing was kept"
            ) from None
        raise


def _write_exercise(
    exercise: str,
    text: str,
    document: Any,
    found: Any,
    folder: Path,
    solution: Path,
    root: Path,
) -> list[Path]:
    title = next((u.text for u in document.sentences if u.structure), document.sentences[0].text)
    folder.mkdir(parents=True)
    written = [folder / ARTICLE_FILE, folder / META_FILE, folder / "README.md"]
    written[0].write_text(text, encoding="utf-8")
    write_json_atomic(
        written[1],
        {
            "id": exercise,
            "title": title[:200],
            "date": date.today().isoformat(),
            "outlet": f"{FILL_IN}: the outlet or author",
            "language": "en",
            "licence": f"{FILL_IN}: the text's licence or copyright status",
            "constructed": False,
            "provenance": f"{FILL_IN}: where the text comes from and how it was obtained",
            "graded": True,
        },
    )
    written[2].write_text(
        f"# {exercise}\n\n{FILL_IN}: the data card. Say where the text comes from, its date and "
        "licence, why it was chosen, and what it must not be used for (see "
        "datasets/articles/aleppo-2024-11-30/README.md for an example).\n",
        encoding="utf-8",
    )
    key = Annotation(
        document=exercise,
        labels=tuple(
            Label(
                s.id,
                s.kind,
                why=f"Machine suggestion, to review: {'; '.join(s.reasons)}.",
                start=s.start,
                end=s.end,
                text=s.text,
            )
            for s in found.sentences
        ),
        spans=tuple(
            Span(
                s.start,
                s.end,
                s.device,
                text=s.text,
                why=f"Machine suggestion, to review: {s.reason}.",
                neutral=s.neutral if s.device == "loaded" else None,
            )
            for s in found.spans
        ),
        annotator="framelab suggest (draft)",
        status="draft",
        notes="Made by framelab new-exercise from machine suggestions. Review every sentence and "
        "span, rewrite each reason for students, then set status to reviewed.",
    )
    key.save(key_path(exercise, root))
    written.append(key_path(exercise, root))
    solution.mkdir(parents=True)
    notebook = exercise_notebook(
        exercise,
        exercise,
        heading=f"Exercise: {title[:80]}",
        about="Your teacher chose this text; its key was made for this exercise.",
        last_id=document.sentences[-1].id,
    )
    nbformat.write(notebook, solution / f"{exercise}.ipynb")
    written.append(solution / f"{exercise}.ipynb")
    return written
