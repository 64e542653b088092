"""Printable handouts (framelab handout): what the page holds, what it never holds, how the
command refuses bad input, and the page printed to PDF by Debian's Chromium."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import time
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest

from framelab.cli import main
from framelab.instructor.handouts import make_handout
from framelab.texts.corpus import load_document, load_key, segment
from framelab.texts.taxonomy import DEVICES, KINDS, describe

from .conftest import CHROMIUM, CHROMIUM_FLAGS, DATASETS, SEED

GRADED = "transfer-heatwave-spain"  # meta.json "graded": true
CONSTRUCTED = "aleppo-column"


class Units(HTMLParser):
    """Each unit section of a handout: its id, its text as a reader sees it, its boxes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.units: list[dict] = []
        self._in_text = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "section" and "unit" in classes:
            self.units.append({"id": attrs["id"], "text": "", "boxes": [], "class": classes})
        elif self.units and "text" in classes:
            self._in_text = 1
        elif self._in_text and tag == "span":
            self._in_text += 1
        if self.units and "box" in classes:
            self.units[-1]["boxes"].append(" ".join(classes))

    def handle_endtag(self, tag):
        if self._in_text and tag == "span":
            self._in_text -= 1

    def handle_data(self, data):
        if self._in_text:
            self.units[-1]["text"] += data


def units_of(page: str) -> list[dict]:
    parser = Units()
    parser.feed(page)
    return parser.units


def unmarked(text: str) -> str:
    """A unit's text on the teacher's copy without the markers after its spans."""
    return re.sub(rf"\d+\u202f(?:{'|'.join(DEVICES)})", "", text)


def one_line_with(words: list[str], text: str) -> bool:
    lines = text.strip().splitlines()
    return len(lines) == 1 and all(w in lines[0] for w in words)


@pytest.mark.parametrize("article", [SEED, GRADED, CONSTRUCTED, "aleppo-headlines"])
def test_the_students_copy_holds_every_unit_in_order_with_four_empty_boxes(article):
    document = load_document(article, DATASETS)
    units = units_of(make_handout(article, root=DATASETS).html)
    assert [u["id"] for u in units] == [s.id for s in document.sentences]
    assert [u["text"] for u in units] == [s.text for s in document.sentences]
    for unit in units:
        assert unit["boxes"] == ["box"] * 4, unit
    # a structural unit looks like any other: the segmenter's flag would give its kind away
    assert {tuple(u["class"]) for u in units} == {("unit",)}


@pytest.mark.parametrize("article", [SEED, GRADED])
def test_the_students_copy_holds_nothing_of_the_key(article):
    page = make_handout(article, root=DATASETS).html
    key = load_key(article, DATASETS)
    for label in key.labels:
        assert html.escape(label.why) not in page and label.why not in page, label.id
    for span in key.spans:
        assert html.escape(span.why) not in page and span.why not in page, span.text
    telltales = ("also defensible", "neutral choice", "Key:", "box ticked", 'class="framed')
    for telltale in (*telltales, 'class="tag"', 'class="key"'):
        assert telltale not in page, telltale


def test_the_seeds_headline_is_keyed_in_the_teachers_copy_only():
    head = load_key(SEED, DATASETS).headline
    teacher = make_handout(SEED, key=True, root=DATASETS).html
    student = make_handout(SEED, root=DATASETS).html
    assert f"not scored): {head.kind}</b>" in teacher
    assert html.escape(head.why) in teacher and head.why not in student
    for span in head.spans:
        assert html.escape(span.why) in teacher, span.text
        assert html.escape(span.why) not in student and span.why not in student, span.text
    assert "headline-key" not in student


def test_the_teachers_copy_ticks_the_keys_kind_and_gives_every_reason_and_span():
    made = make_handout(SEED, key=True, root=DATASETS)
    page = made.html
    key = load_key(SEED, DATASETS)
    units = units_of(page)
    assert [u["id"] for u in units] == [label.id for label in key.labels]
    for unit, label in zip(units, key.labels, strict=True):
        expected = [
            "box ticked"
            if kind == label.kind
            else "box ticked also"
            if kind in label.accept
            else "box"
            for kind in KINDS
        ]
        assert unit["boxes"] == expected, label.id
        assert html.escape(label.why) in page, label.id
        # the text reads the same with the spans underlined (markers aside)
        assert unmarked(unit["text"]) == label.text, label.id
    assert "also defensible: attributed" in page  # s02 accepts attributed
    assert page.count('<sup class="tag">') == len(key.spans) == made.spans == 31
    document = load_document(SEED, DATASETS)
    for span in key.spans:
        assert html.escape(span.why) in page, span.text
        assert f"<b>\u201c{html.escape(document.text[span.start : span.end])}\u201d</b>" in page
        if span.neutral:
            assert f"(a neutral choice: {html.escape(span.neutral)})" in page
    # overlapping spans are marked as such: the seed's s23 "Russian military bloggers" is
    # both a generalization and the vague source of s24; the column's s24 has two as well
    assert page.count('class="framed twice"') == 1
    column = make_handout("aleppo-column", key=True, root=DATASETS).html
    assert 'class="framed twice"' in column


def test_the_page_says_what_the_text_is_and_how_to_use_it():
    seed = make_handout(SEED, root=DATASETS).html
    assert html.escape("It's shameful: the Russians are panicking over the loss of Aleppo") in seed
    assert "OnLine.ua (English edition) \u00b7 30 November 2024" in seed
    assert "A real article" in seed and "Constructed" not in seed
    assert "Name <span" in seed  # room for the student's name
    for kind in KINDS:  # each kind with the question the tagger's legend asks
        assert f"<dt>{kind}</dt>" in seed
        assert html.escape(describe(kind).question) in seed
    assert "Could a record, witness, photo or number confirm or refute the main claim" in seed
    column = make_handout(CONSTRUCTED, root=DATASETS).html
    assert "Tomas Ardeley (constructed) \u00b7 1 December 2024" in column
    assert "Constructed for framelab: written for teaching, not a real article." in column
    graded_key = make_handout(GRADED, key=True, root=DATASETS)
    assert "Teacher\u2019s copy" in graded_key.html and "<b>graded</b>" in graded_key.html
    assert "Teacher\u2019s copy" not in make_handout(GRADED, root=DATASETS).html


@pytest.mark.parametrize("key", [False, True])
def test_the_page_is_self_contained_and_print_ready(key):
    page = make_handout(SEED, key=key, root=DATASETS).html
    lowered = page.lower()
    for loads_something in (
        "<script",
        "<img",
        "<link",
        "<iframe",
        "src=",
        "href=",
        "url(",
        "@import",
    ):
        assert loads_something not in lowered, loads_something
    assert "default-src 'none'" in page  # and the browser is told to load nothing
    assert "@page" in page and "size: A4" in page and "@media print" in page
    assert re.search(r"\.unit \{[^}]*break-inside: avoid", page)


def make_course(folder: Path, title: str, text: str, why: str) -> str:
    """A course folder holding one article and a key whose every reason is ``why``."""
    article = "tricky-text"
    where = folder / "datasets" / "articles" / article
    where.mkdir(parents=True)
    (where / "article.txt").write_text(text, encoding="utf-8")
    meta = {
        "id": article,
        "title": title,
        "date": "2025-01-31",
        "author": "A & B <editors>",
        "language": "en",
        "licence": "CC BY 4.0 (framelab)",
        "constructed": True,
        "provenance": "Written for a test.",
        "graded": True,
    }
    (where / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    units = segment(text)
    first = units[0]
    key = {
        "taxonomy": "framelab-1",
        "document": article,
        "annotator": "a test",
        "status": "draft",
        "sentences": [
            {
                "id": u.id,
                "start": u.start,
                "end": u.end,
                "text": u.text,
                "kind": "fact",
                "accept": [],
                "why": why,
            }
            for u in units
        ],
        "spans": [
            {
                "start": first.start,
                "end": first.start + 8,
                "text": text[first.start : first.start + 8],
                "device": "loaded",
                "why": why,
                "neutral": "<i>plain</i>",
            }
        ],
    }
    (folder / "datasets" / "keys").mkdir()
    (folder / "datasets" / "keys" / f"{article}.json").write_text(json.dumps(key))
    return article


def test_every_piece_of_text_is_escaped(tmp_path, monkeypatch, capsys):
    title = 'Budget "cuts" </style><script>alert(1)</script> & more'
    text = "A <b>council</b> & co met on Monday. It said </section><script>x()</script> no.\n"
    article = make_course(tmp_path, title, text, "Because <u>this</u> & that matter.")
    monkeypatch.chdir(tmp_path)
    assert main(["handout", article]) == 0
    assert main(["handout", article, "--key"]) == 0
    for name in (f"{article}.html", f"{article}-key.html"):
        page = (tmp_path / "handouts" / name).read_text(encoding="utf-8")
        assert "<script" not in page and "<b>council" not in page and "<u>this" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the title, in the page
        assert page.count("</style>") == 1  # and in the running head, escaped for CSS
        assert "A &amp; B &lt;editors&gt;" in page
        texts = [unmarked(u["text"]) for u in units_of(page)]
        assert texts == [u.text for u in segment(text)], texts
    key_page = (tmp_path / "handouts" / f"{article}-key.html").read_text(encoding="utf-8")
    assert "Because &lt;u&gt;this&lt;/u&gt; &amp; that matter." in key_page
    assert "(a neutral choice: &lt;i&gt;plain&lt;/i&gt;)" in key_page
    err = capsys.readouterr().err
    assert "graded text" in err and "draft" in err  # said to the teacher, on stderr


def test_the_command_writes_to_handouts_and_never_overwrites_silently(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    assert main(["handout", SEED]) == 0
    out = capsys.readouterr()
    assert out.out.startswith(f"wrote handouts/{SEED}.html: 24 units, for students") and not out.err
    assert main(["handout", SEED, "--key"]) == 0
    assert "31 framing phrases" in capsys.readouterr().out
    first = tmp_path / "handouts" / f"{SEED}.html"
    first.write_text("the teacher's own edits")
    assert main(["handout", SEED]) == 2
    err = capsys.readouterr().err
    assert one_line_with([f"handouts/{SEED}.html", "already exists", "--force"], err), err
    assert first.read_text() == "the teacher's own edits"
    assert main(["handout", SEED, "--force"]) == 0
    assert first.read_text().startswith("<!DOCTYPE html>")
    (tmp_path / "usb").mkdir()
    assert main(["handout", SEED, "--key", "--out", "usb"]) == 0  # a folder: the default name
    assert (tmp_path / "usb" / f"{SEED}-key.html").is_file()
    assert main(["handout", SEED, "--out", "mine.html"]) == 0
    assert (tmp_path / "mine.html").read_text().startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == sorted(
        [f"{SEED}.html", f"{SEED}-key.html", f"{SEED}-key.html", "mine.html"]
    )  # no temporary file left behind


def test_the_key_of_a_graded_text_comes_with_a_warning_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["handout", GRADED]) == 0
    assert capsys.readouterr().err == ""
    assert main(["handout", GRADED, "--key"]) == 0
    err = capsys.readouterr().err
    assert one_line_with(["warning", GRADED, "graded", "answer key", "students"], err), err


@pytest.mark.parametrize(
    "args, words",
    [
        (["handout", "no-such-text"], ["no article 'no-such-text'", "articles here"]),
        (["handout", "../keys"], ["'../keys' cannot be an article id"]),
        (["handout", SEED, "--out", "afile/x.html"], ["afile", "is a file, not a folder"]),
        (["handout", SEED, "--out", "afile/deeper/x.html"], ["cannot write", "not a folder"]),
    ],
)
def test_bad_input_is_one_line_and_no_traceback(tmp_path, monkeypatch, capsys, args, words):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("not a folder")
    assert main(args) == 2
    err = capsys.readouterr().err
    assert one_line_with(words, err), err
    assert "Traceback" not in err


def test_a_text_without_a_key_cannot_have_a_teachers_copy(tmp_path, monkeypatch, capsys):
    article = make_course(tmp_path, "A title", "A council met on Monday.\n", "Because it can.")
    (tmp_path / "datasets" / "keys" / f"{article}.json").unlink()
    monkeypatch.chdir(tmp_path)
    assert main(["handout", article]) == 0
    assert main(["handout", article, "--key"]) == 2
    err = capsys.readouterr().err
    assert one_line_with([f"{article}.json"], err) and "Traceback" not in err, err
    assert not (tmp_path / "handouts" / f"{article}-key.html").exists()


def test_a_key_that_no_longer_matches_the_text_is_refused(tmp_path, monkeypatch, capsys):
    article = make_course(tmp_path, "A title", "A council met. It voted.\n", "Because it can.")
    (tmp_path / "datasets" / "articles" / article / "article.txt").write_text(
        "A council met on Monday. It voted. Then it rested.\n"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["handout", article, "--key"]) == 2
    err = capsys.readouterr().err
    assert one_line_with(["does not match the text", "framelab validate"], err), err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes a folder whatever its permissions")
def test_a_folder_that_cannot_be_written_is_one_line(tmp_path, monkeypatch, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    monkeypatch.chdir(locked)
    try:
        assert main(["handout", SEED]) == 2
    finally:
        locked.chmod(0o755)
    err = capsys.readouterr().err
    assert one_line_with(["cannot write handouts/", "permission denied"], err), err


def flat(text: str) -> str:
    """Text as a PDF extractor gives it back, compared without ligatures, whitespace or
    the teacher's copy's span markers ("1 vague-source")."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return re.sub(rf"\d+(?:{'|'.join(DEVICES)})", "", text)


@pytest.mark.slow
@pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (.ci/run installs it)",
)
@pytest.mark.parametrize("key, pages", [(False, range(3, 7)), (True, range(4, 8))])
def test_chromium_prints_the_handout_on_a4_without_splitting_a_unit(tmp_path, key, pages):
    import pypdf

    page = make_handout(SEED, key=key, root=DATASETS)
    source = tmp_path / "handout.html"
    source.write_text(page.html, encoding="utf-8")
    pdf = tmp_path / "handout.pdf"
    started = time.monotonic()
    subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            source.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    seconds = time.monotonic() - started
    assert pdf.read_bytes()[:5] == b"%PDF-"
    reader = pypdf.PdfReader(pdf)
    print(
        f"\n{SEED} {'key' if key else 'students'}: {len(reader.pages)} pages, "
        f"{pdf.stat().st_size} bytes, printed in {seconds:.1f} s"
    )
    assert len(reader.pages) in pages
    for sheet in reader.pages:  # A4 is 595 x 842 points
        assert (round(float(sheet.mediabox.width)), round(float(sheet.mediabox.height))) == (
            595,
            842,
        )
    texts = [flat(sheet.extract_text()) for sheet in reader.pages]
    document = load_document(SEED, DATASETS)
    assert flat(document.sentences[0].text) in texts[0]
    assert flat(document.sentences[-1].text) in texts[-1]
    for unit in document.sentences:
        on = [n for n, text in enumerate(texts) if unit.id in text]
        assert len(on) == 1, f"{unit.id} is on pages {on}"
        assert flat(unit.text) in texts[on[0]], f"{unit.id} is split across pages"
    head = "Teacher\u2019s copy: answer key"
    assert (flat(head) in texts[0]) == key  # the running head marks every sheet of the key
    assert all((flat(head) in text) == key for text in texts)


def test_a_refused_write_names_the_handout_not_its_temporary_file(tmp_path, monkeypatch, capsys):
    """(Root writes anywhere, so the refusal is staged: as a student account or a read-only
    share would refuse it.)"""
    import framelab.instructor.handouts as handouts

    def refuse(path, content):
        raise PermissionError(13, "Permission denied", str(Path(path).parent / ".x.html.tmp"))

    monkeypatch.setattr(handouts, "write_bytes_atomic", refuse)
    monkeypatch.chdir(tmp_path)
    assert main(["handout", SEED]) == 2
    err = capsys.readouterr().err
    assert one_line_with([f"cannot write handouts/{SEED}.html", "permission denied"], err), err
    assert ".tmp" not in err
