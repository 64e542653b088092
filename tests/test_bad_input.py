"""Every bad input of reviews/bad-input.md that framelab's commands handle: one line
naming what is wrong and which file, the right exit status, never a traceback.

Each case builds its bad input in a scratch course (datasets/, nbgrader_config.py and
solutions/ copied from the checkout) and runs the real command there, as a teacher
would: ``framelab.cli.main`` in this process, or ``python -m framelab.cli`` where the
whole process matters (a device file, a deep file). The rows of the review's table
that the answers-file module owns (the tagger, type_in, grade and check_answers
reading the answers) are tested with that module.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from framelab.cli import main
from framelab.instructor.course import nbgrader_failure
from framelab.texts.model import (
    MAX_JSON_BYTES,
    FramelabError,
    read_bytes,
    read_json,
)

from .conftest import DATASETS, ROOT

EX = "01-fact-or-frame"
TEXT = "transfer-heatwave-spain"  # the text exercise 01 grades
DEEP = "[" * 100_000 + "]" * 100_000
LONG_NUMBER = '{"taxonomy": "framelab-1", "start": ' + "9" * 5000 + "}"
ARTICLE = "datasets/articles/aleppo-wire/article.txt"


@pytest.fixture
def course(tmp_path, monkeypatch) -> Path:
    """A scratch course, the current folder and the datasets in use."""
    root = tmp_path / "course"
    root.mkdir()
    shutil.copytree(DATASETS, root / "datasets")
    shutil.copy(ROOT / "nbgrader_config.py", root)
    shutil.copytree(ROOT / "solutions", root / "solutions")
    monkeypatch.chdir(root)
    # the scratch datasets are in use however the command finds them: through the
    # course it stands in, or through the variable (as before commands looked for one)
    monkeypatch.setenv("FRAMELAB_DATASETS", str(root / "datasets"))
    return root


def answers(document: str = TEXT) -> str:
    return json.dumps(
        {
            "taxonomy": "framelab-1",
            "document": document,
            "sentences": [{"id": "s01", "kind": "structure"}],
            "spans": [],
        }
    )


def hand_in(course: Path, student: str, text: str) -> None:
    folder = course / "submitted" / student / EX / "answers"
    folder.mkdir(parents=True)
    (folder / f"{EX}.json").write_text(text)


def write(relative: str, content: str | bytes) -> Callable[[Path], None]:
    """Set up: write ``content`` to ``relative`` in the course; nothing else."""

    def setup(course: Path) -> None:
        path = course / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)

    return setup


def edit_meta(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def setup(course: Path) -> None:
        path = course / "datasets/articles/aleppo-wire/meta.json"
        meta = json.loads(path.read_text())
        change(meta)
        path.write_text(json.dumps(meta))

    return setup


def lexicon(data: object) -> Callable[[Path], None]:
    return write("datasets/lexicons/en.json", json.dumps(data))


def splits(data: object) -> Callable[[Path], None]:
    return write("datasets/lexicons/splits.json", json.dumps(data))


def nothing(course: Path) -> None:
    pass


def a_class(course: Path) -> None:
    """Two students handed in: one good answers file, one 100,000 levels deep."""
    hand_in(course, "good", answers())
    hand_in(course, "deep", DEEP)


def a_class_with_a_long_number(course: Path) -> None:
    hand_in(course, "good", answers())
    hand_in(course, "long", LONG_NUMBER)


def an_exchange(course: Path) -> None:
    (course.parent / "exchange" / "framelab" / "inbound").mkdir(parents=True)


def both(*setups: Callable[[Path], None]) -> Callable[[Path], None]:
    def setup(course: Path) -> None:
        for step in setups:
            step(course)

    return setup


EXCHANGE = ["--exchange", "{tmp}/exchange"]
NOT_SQLITE = b"this is not a database\n" * 10
# id, setup, command ({course} and {tmp} are filled in), exit status, words of one line
CASES = [
    (
        "validate: a 100,000-deep JSON file",
        write("deep.json", DEEP),
        ["validate", "{course}/deep.json"],
        1,
        ["{course}/deep.json", "nested too deeply"],
    ),
    (
        "validate: a 5,000-digit integer",
        write("long.json", LONG_NUMBER),
        ["validate", "{course}/long.json"],
        1,
        ["{course}/long.json", "a number too long"],
    ),
    (
        "validate: a deep key among the keys",
        write("datasets/keys/aleppo-wire.json", DEEP),
        ["validate"],
        1,
        ["datasets/keys/aleppo-wire.json", "nested too deeply"],
    ),
    (
        "validate: a JSON file past the size limit",
        write("big.json", "[" + " " * MAX_JSON_BYTES + "]"),
        ["validate", "{course}/big.json"],
        1,
        ["{course}/big.json", "framelab reads JSON files of at most 10 MB"],
    ),
    (
        "validate: a data card that is not UTF-8",
        write("datasets/articles/aleppo-wire/README.md", "# Caf\u00e9 card\n".encode("latin-1")),
        ["validate", "{course}/datasets/articles/aleppo-wire"],
        1,
        ["aleppo-wire/README.md", "is not UTF-8 text", "save it as UTF-8"],
    ),
    (
        "validate: a data card that is a folder",
        both(
            lambda c: (c / "datasets/articles/aleppo-wire/README.md").unlink(),
            lambda c: (c / "datasets/articles/aleppo-wire/README.md").mkdir(),
        ),
        ["validate", "{course}/datasets/articles/aleppo-wire"],
        1,
        ["aleppo-wire/README.md", "is a folder"],
    ),
    (
        "validate: meta.json without an author or outlet",
        edit_meta(lambda meta: meta.pop("author")),
        ["validate", "{course}/datasets/articles/aleppo-wire"],
        1,
        ["aleppo-wire/meta.json", "needs 'outlet' or 'author'"],
    ),
    (
        "units: meta.json without an author or outlet",
        edit_meta(lambda meta: meta.pop("author")),
        ["units", "aleppo-wire"],
        2,
        ["aleppo-wire/meta.json", "needs 'outlet' or 'author'"],
    ),
    (
        "units: meta.json that is not UTF-8",
        write("datasets/articles/aleppo-wire/meta.json", b'{"id": "aleppo-wire", "title": "\xe9"}'),
        ["units", "aleppo-wire"],
        2,
        ["aleppo-wire/meta.json", "is not UTF-8 text"],
    ),
    (
        "suggest: /dev/zero",
        nothing,
        ["suggest", "/dev/zero"],
        2,
        ["/dev/zero", "not a regular file"],
    ),
    (
        "suggest: an article that is a link to itself (unreadable, even by root)",
        lambda course: (course / "loop.txt").symlink_to(course / "loop.txt"),
        ["suggest", "{course}/loop.txt"],
        2,
        ["{course}/loop.txt", "cannot be read", "too many links"],
    ),
    (
        "suggest: a named pipe (refused, never waited on)",
        lambda course: os.mkfifo(course / "pipe.txt"),
        ["suggest", "{course}/pipe.txt"],
        2,
        ["{course}/pipe.txt", "not a regular file"],
    ),
    (
        "suggest: a lexicon that is a list",
        lexicon([]),
        ["suggest", ARTICLE],
        2,
        ["lexicons/en.json", "not a framelab lexicon", "must be object"],
    ),
    (
        "suggest: a lexicon whose devices are a list",
        lexicon({"devices": [], "kinds": {}}),
        ["suggest", ARTICLE],
        2,
        ["lexicons/en.json", "not a framelab lexicon", "devices"],
    ),
    (
        "suggest: a lexicon entry that is a word, not an object",
        lexicon({"devices": {"loaded": ["regime"]}, "kinds": {}}),
        ["suggest", ARTICLE],
        2,
        ["lexicons/en.json", "devices.loaded[0]", "must be object"],
    ),
    (
        "suggest: a lexicon pattern that is a number",
        lexicon({"devices": {}, "kinds": {"opinion": [{"pattern": 3}]}}),
        ["suggest", ARTICLE],
        2,
        ["lexicons/en.json", "kinds.opinion[0].pattern", "must be string"],
    ),
    (
        "suggest: a lexicon whose kinds are a list",
        lexicon({"devices": {}, "kinds": []}),
        ["suggest", ARTICLE],
        2,
        ["lexicons/en.json", "kinds", "must be object"],
    ),
    (
        "suggest: a 100,000-deep lexicon",
        write("datasets/lexicons/en.json", DEEP),
        ["suggest", ARTICLE],
        2,
        ["lexicons/en.json", "nested too deeply"],
    ),
    (
        "evaluate: splits that are a list",
        splits([]),
        ["evaluate"],
        2,
        ["lexicons/splits.json", "not a list of held-out texts", "must be object"],
    ),
    (
        "evaluate: a held-out list that is a number",
        splits({"heldout": 3}),
        ["evaluate"],
        2,
        ["lexicons/splits.json", "heldout", "must be array"],
    ),
    (
        "evaluate: a held-out text that is a number",
        splits({"heldout": [1]}),
        ["evaluate"],
        2,
        ["lexicons/splits.json", "heldout[0]", "must be string"],
    ),
    (
        "evaluate: a key 100,000 levels deep",
        write(f"datasets/keys/{TEXT}.json", DEEP),
        ["evaluate"],
        2,
        [f"datasets/keys/{TEXT}.json", "nested too deeply"],
    ),
    (
        "evaluate: a key with a 5,000-digit number",
        write(f"datasets/keys/{TEXT}.json", LONG_NUMBER),
        ["evaluate"],
        2,
        [f"datasets/keys/{TEXT}.json", "a number too long"],
    ),
    (
        "report: --out an existing file",
        write("taken.txt", "a file"),
        ["report", "--assignment", EX, "--out", "{course}/taken.txt"],
        2,
        ["{course}/taken.txt", "is a file", "give --out a folder"],
    ),
    (
        "report: --out a path under a file",
        nothing,
        ["report", "--assignment", EX, "--out", "/dev/null/x"],
        2,
        ["/dev/null/x", "not a folder"],
    ),
    (
        "report: a gradebook.db that is not SQLite",
        write("gradebook.db", NOT_SQLITE),
        ["report", "--assignment", EX],
        2,
        ["{course}/gradebook.db", "not an nbgrader gradebook"],
    ),
    (
        "report: a gradebook.db that is a folder",
        lambda course: (course / "gradebook.db").mkdir(),
        ["report", "--assignment", EX],
        2,
        ["{course}/gradebook.db", "is not a file"],
    ),
    (
        "report: one student's answers 100,000 levels deep",
        a_class,
        ["report", "--assignment", EX, "--out", "{tmp}/out"],
        0,
        ["1 graded", "1 malformed"],
    ),
    (
        "report: one student's answers with a 5,000-digit number",
        a_class_with_a_long_number,
        ["report", "--assignment", EX, "--out", "{tmp}/out"],
        0,
        ["1 graded", "1 malformed"],
    ),
    (
        "simulate-class: a gradebook.db that is not SQLite",
        write("gradebook.db", NOT_SQLITE),
        ["simulate-class", "--assignment", EX, "--students", "3"],
        2,
        ["{course}/gradebook.db", "not an nbgrader gradebook"],
    ),
    (
        "release: a solution notebook that is not a notebook",
        write(f"solutions/{EX}/{EX}.ipynb", "{broken"),
        ["release", EX],
        2,
        [f"solutions/{EX}/{EX}.ipynb", "is not a notebook nbgrader can read"],
    ),
    (
        "collect: --course missing",
        nothing,
        ["collect", EX, "--course", "{tmp}/missing", *EXCHANGE],
        2,
        ["{tmp}/missing", "does not exist"],
    ),
    (
        "collect: --course a file",
        write("../course.txt", "a file"),
        ["collect", EX, "--course", "{tmp}/course.txt", *EXCHANGE],
        2,
        ["{tmp}/course.txt", "is a file"],
    ),
    (
        "collect: the exchange folder missing",
        nothing,
        ["collect", EX, *EXCHANGE],
        2,
        ["{tmp}/exchange", "does not exist", "--exchange"],
    ),
    (
        "collect: submitted/ is a file",
        both(an_exchange, write("submitted", "a file")),
        ["collect", EX, *EXCHANGE],
        2,
        ["{course}/submitted", "is a file where collect keeps a folder"],
    ),
    (
        "collect: the list of refused submissions is a folder",
        both(an_exchange, lambda c: (c / "refused-submissions" / f"{EX}.txt").mkdir(parents=True)),
        ["collect", EX, *EXCHANGE],
        2,
        [f"refused-submissions/{EX}.txt", "is a folder"],
    ),
    (
        "collect: a gradebook.db that is not SQLite",
        both(an_exchange, write("gradebook.db", NOT_SQLITE)),
        ["collect", EX, *EXCHANGE],
        2,
        ["{course}/gradebook.db", "not an nbgrader gradebook"],
    ),
]


def fill(value: str, course: Path) -> str:
    return value.format(course=course, tmp=course.parent)


def one_line_with(words: list[str], text: str) -> bool:
    return any(all(word in line for word in words) for line in text.splitlines())


@pytest.mark.parametrize(
    ("setup", "command", "status", "words"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_input_gets_one_line_naming_the_file(course, capsys, setup, command, status, words):
    setup(course)
    code = main([fill(part, course) for part in command])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert code == status, output
    assert "Traceback" not in output
    assert one_line_with([fill(word, course) for word in words], output), output


def test_one_bad_answers_file_never_stops_the_class_report(course, tmp_path, capsys):
    a_class(course)
    hand_in(course, "long", LONG_NUMBER)
    assert main(["report", "--assignment", EX, "--out", str(tmp_path / "out")]) == 0
    rows = (tmp_path / "out" / "students.csv").read_text().splitlines()
    by_student = {row.split(",")[0]: row for row in rows[1:]}
    assert by_student["good"].startswith("good,graded,")
    assert "malformed" in by_student["deep"] and "nested too deeply" in by_student["deep"]
    assert "malformed" in by_student["long"] and "a number too long" in by_student["long"]
    assert "sys.set_int_max_str_digits" not in by_student["long"]  # no advice to call Python


@pytest.mark.parametrize(
    ("content", "words"),
    [(DEEP, "nested too deeply"), (LONG_NUMBER, "a number too long")],
    ids=["100,000 deep", "5,000 digits"],
)
def test_read_json_names_the_file_and_what_is_wrong(tmp_path, content, words):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(FramelabError, match=rf"^{path}: .*{words}"):
        read_json(path)


def test_read_json_refuses_a_file_past_its_limit_before_reading_it(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as stream:
        stream.truncate(10 * MAX_JSON_BYTES)  # sparse: its size says it is too big
    with pytest.raises(
        FramelabError,
        match=rf"^{path}: is too large \(100\.0 MB\); framelab reads JSON files of at most 10 MB",
    ):
        read_json(path)


def test_the_largest_dataset_file_fits_the_json_limit_with_room():
    largest = max(p.stat().st_size for p in DATASETS.rglob("*.json"))
    assert largest * 100 < MAX_JSON_BYTES


@pytest.mark.skipif(not Path("/proc/self/maps").is_file(), reason="needs Linux's /proc")
def test_a_file_whose_size_says_nothing_is_read_only_to_the_limit():
    # /proc files report size 0 and hold more: reading stops at limit + 1 bytes
    with pytest.raises(FramelabError, match="framelab reads files of at most"):
        read_bytes("/proc/self/maps", 100)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its permissions")
def test_an_article_without_read_permission_is_one_line(course, capsys):
    article = course / "article.txt"
    article.write_text("A council met on Monday.\n")
    article.chmod(0)
    assert main(["suggest", str(article)]) == 2
    err = capsys.readouterr().err
    assert one_line_with([str(article), "permission denied"], err), err
    assert "Traceback" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes a folder whatever its permissions")
def test_collect_in_a_course_that_cannot_be_written_is_one_line(course, capsys):
    an_exchange(course)
    course.chmod(0o555)
    try:
        assert main(["collect", EX, "--exchange", str(course.parent / "exchange")]) == 2
    finally:
        course.chmod(0o755)
    err = capsys.readouterr().err
    assert one_line_with([str(course), "cannot be written"], err), err


@pytest.mark.slow
def test_an_nbgrader_failure_is_its_one_line_of_reason(course, capsys):
    (course.parent / "exchange").mkdir()  # no framelab/inbound in it
    assert main(["collect", EX, "--exchange", str(course.parent / "exchange")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert "nbgrader collect failed: Course not found" in err


def test_nbgrader_failure_keeps_the_reason_not_the_log():
    log = (
        "[CollectApp | WARNING] No gradebook\n"
        "[CollectApp | CRITICAL] Unwritable directory, please contact your instructor: /x\n"
        "[CollectApp | ERROR] nbgrader collect failed\n"
    )
    assert nbgrader_failure("collect", log) == (
        "nbgrader collect failed: Unwritable directory, please contact your instructor: /x"
    )
    crash = 'Traceback (most recent call last):\n  File "x.py"\nFileExistsError: [Errno 17] /y\n'
    assert nbgrader_failure("collect", crash) == (
        "nbgrader collect failed: FileExistsError: [Errno 17] /y"
    )


def test_an_os_error_anywhere_is_one_line_naming_the_file(course, capsys, monkeypatch):
    def fail(*args, **kwargs):
        raise PermissionError(13, "Permission denied", "/srv/course/submitted")

    monkeypatch.setattr("framelab.machine.suggest.suggest_text", fail)
    assert main(["suggest", str(course / ARTICLE)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        "framelab: /srv/course/submitted: permission denied; ask for access to it, "
        "or use another folder"
    )


def test_a_bug_is_one_line_that_says_so_and_verbose_shows_it(course, capsys, monkeypatch):
    def bug(*args, **kwargs):
        raise TypeError("unsupported operand type(s) for +: 'int' and 'str'")

    monkeypatch.setattr("framelab.machine.suggest.suggest_text", bug)
    assert main(["suggest", str(course / ARTICLE)]) == 3
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "unexpected error (TypeError: unsupported operand" in err
    assert "bug in framelab" in err and "--verbose" in err
    with pytest.raises(TypeError, match="unsupported operand"):
        main(["suggest", str(course / ARTICLE), "--verbose"])


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (["suggest", "/dev/zero"], ["/dev/zero", "not a regular file"]),
        (["validate", "{course}/deep.json"], ["{course}/deep.json", "nested too deeply"]),
    ],
    ids=["suggest /dev/zero", "validate deep.json"],
)
def test_as_a_process_no_traceback_and_little_memory(course, command, words):
    (course / "deep.json").write_text(DEEP)
    result = subprocess.run(
        [sys.executable, "-m", "framelab.cli", *[fill(part, course) for part in command]],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        # 1 GB of address space: reading /dev/zero to its end would need more
        preexec_fn=_limit_memory,
    )
    output = result.stdout + result.stderr
    assert result.returncode in (1, 2), output
    assert "Traceback" not in output
    assert one_line_with([fill(word, course) for word in words], output), output


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
