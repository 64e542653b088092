"""Work that is never lost: two writers on one answers file, the typed route,
and failures inside the widget's callbacks."""

from __future__ import annotations

import errno
import multiprocessing
import os
import tempfile
import time

import pytest

from framelab.grading.answers import AnswersFile, answers_path, merge, parse
from framelab.teach.tagger import Tagger
from framelab.texts.corpus import load_document
from framelab.texts.model import Annotation, FramelabError, Label, Span

from .conftest import DATASETS, SEED

EX = "99-test"
DOCUMENT = load_document(SEED, DATASETS)


def on_disk(folder) -> Annotation:
    return parse(answers_path(EX, folder).read_bytes(), DOCUMENT).annotation


# --- two writers ------------------------------------------------------------------------


def test_two_taggers_on_one_file_keep_both_students_tags(tmp_path):
    first = Tagger.exam(EX, SEED, folder=tmp_path)  # the notebook
    second = Tagger.exam(EX, SEED, folder=tmp_path)  # its "-Copy1", or a second tab
    first.core.kinds = {"s02": "fact"}
    second.core.kinds = {"s03": "opinion"}
    second.core.spans = [[98, 107, "loaded"]]
    first.core.kinds = {**first.core.kinds, "s04": "attributed"}
    assert on_disk(tmp_path).kinds == {"s02": "fact", "s03": "opinion", "s04": "attributed"}
    assert [(s.start, s.end, s.device) for s in on_disk(tmp_path).spans] == [(98, 107, "loaded")]
    # the first tagger now shows the second's answers too, and says why
    assert first.core.kinds == {"s02": "fact", "s03": "opinion", "s04": "attributed"}
    assert first.core.spans == [(98, 107, "loaded")]
    assert "merged" in first.notice and "nothing was lost" in first.notice


def test_a_removal_in_one_tagger_is_not_undone_by_the_other(tmp_path):
    first = Tagger.exam(EX, SEED, folder=tmp_path)
    first.core.spans = [[98, 107, "loaded"], [0, 5, "loaded"]]
    second = Tagger.exam(EX, SEED, folder=tmp_path)  # loads both marks
    second.core.spans = [[0, 5, "loaded"]]  # removes one
    first.core.kinds = {"s02": "fact"}  # knows nothing of the removal
    assert [(s.start, s.end) for s in on_disk(tmp_path).spans] == [(0, 5)]
    assert on_disk(tmp_path).kinds == {"s02": "fact"}


def test_when_both_change_one_sentence_the_later_wins_and_says_what_it_replaced(tmp_path):
    first = Tagger.exam(EX, SEED, folder=tmp_path)
    second = Tagger.exam(EX, SEED, folder=tmp_path)
    first.core.kinds = {"s02": "fact"}
    second.core.kinds = {"s02": "opinion"}
    assert on_disk(tmp_path).kinds == {"s02": "opinion"}
    assert "s02: the other copy said fact, this one opinion" in second.notice


def test_merge_applies_our_changes_to_theirs():
    base = Annotation(SEED, (Label("s01", "fact"),), (Span(0, 5, "loaded"),))
    ours = Annotation(SEED, (Label("s01", "fact"), Label("s02", "opinion")), ())
    theirs = Annotation(SEED, (Label("s01", "structure"),), (Span(0, 5, "loaded"),))
    merged, notes = merge(base, ours, theirs)
    assert merged.kinds == {"s01": "structure", "s02": "opinion"}
    assert merged.spans == ()  # we removed it; they had not touched it
    assert notes == []


def _save_many(folder: str, offset: int, count: int) -> None:
    """One writer in its own process: ``count`` saves, each adding one mark."""
    handle = AnswersFile(answers_path(EX, folder), DOCUMENT)
    loaded, _ = handle.load()  # as a tagger does: start from what is on disk
    spans = list(loaded.annotation.spans) if loaded else []
    for n in range(count):
        spans.append(Span(offset + 10 * n, offset + 10 * n + 5, "loaded"))
        current = handle.save(Annotation(SEED, (), tuple(spans)))
        spans = list(current.annotation.spans)


def test_two_processes_saving_at_once_lose_nothing(tmp_path):
    context = multiprocessing.get_context("fork")
    writers = [
        context.Process(target=_save_many, args=(str(tmp_path), offset, 40)) for offset in (0, 1000)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(60)
        assert writer.exitcode == 0
    starts = sorted(s.start for s in on_disk(tmp_path).spans)
    assert starts == sorted([10 * n for n in range(40)] + [1000 + 10 * n for n in range(40)])


# --- the typed route --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kinds", "spans", "says"),
    [
        ({}, [("s02", "", "loaded")], "must be the exact words to mark"),
        ({}, [("s02", "  ,", "loaded")], "must be the exact words to mark"),
        ({}, [("s02", "liberated", "loaded", 0)], "a whole number from 1"),
        ({}, [("s02", "liberated", "loaded", -1)], "a whole number from 1"),
        ({}, [("s02", "liberated", "loaded", "2")], "a whole number from 1"),
        ({}, [("s02", "liberated", "loaded", True)], "a whole number from 1"),
        ({}, [("s02", 7, "loaded")], "must be the exact words to mark"),
        ({}, [(2, "liberated", "loaded")], "is not a sentence id"),
        ({}, [("s02", "liberated", "spin")], "'spin' is not a device"),
        ({}, "s02 liberated loaded", "spans must be a list"),
        ([("s02", "fact")], [], "kinds must map sentence ids"),
        ({"s02": "facts"}, [], "'facts' is not a kind"),
        ({2: "fact"}, [], "is not a sentence id"),
    ],
)
def test_type_in_refuses_what_it_cannot_place_and_saves_nothing(tmp_path, kinds, spans, says):
    tagger = Tagger.exam(EX, SEED, folder=tmp_path)
    tagger.type_in({"s01": "structure"})
    before = answers_path(EX, tmp_path).read_bytes()
    with pytest.raises(FramelabError, match=says):
        # a good entry first: it must not be saved either
        tagger.type_in({"s03": "fact", **kinds} if isinstance(kinds, dict) else kinds, spans)
    assert answers_path(EX, tmp_path).read_bytes() == before
    assert tagger.core.kinds == {"s01": "structure"}


def test_check_takes_one_sentence_id_as_a_string(tmp_path):
    tagger = Tagger.exam(EX, SEED, folder=tmp_path)
    tagger.check("s02")
    assert tagger.core.marks["sentences"] == {"s02": "untagged"}
    with pytest.raises(FramelabError, match="no sentence 's99'"):
        tagger.check(["s02", "s99"])


# --- failures inside callbacks ----------------------------------------------------------


def test_a_change_the_front_end_cannot_make_is_refused_and_said(tmp_path):
    tagger = Tagger.exam(EX, SEED, folder=tmp_path)
    tagger.core.kinds = {"s02": "fact"}
    before = answers_path(EX, tmp_path).read_bytes()
    # as the front end would send them: a span past the end, then a kind that is not one
    tagger.core.set_state({"spans": [[98, 10**6, "loaded"]]})
    assert "outside the text" in tagger.notice
    tagger.core.set_state({"kinds": {"s02": "gossip"}})
    assert tagger.core.kinds == {"s02": "fact"} and tagger.core.spans == []
    assert answers_path(EX, tmp_path).read_bytes() == before


def test_an_unexpected_failure_while_saving_is_shown_not_hidden(tmp_path, monkeypatch):
    tagger = Tagger.exam(EX, SEED, folder=tmp_path)

    def broken(annotation):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(tagger._file, "save", broken)
    tagger.core.kinds = {"s02": "fact"}
    assert "disk on fire" in tagger.notice
    assert tagger.saved == "Not saved"


def test_a_read_only_answers_folder_is_said_in_a_sentence(tmp_path, monkeypatch):
    tagger = Tagger.exam(EX, SEED, folder=tmp_path)
    tagger.core.kinds = {"s02": "fact"}

    def refused(*args, **kwargs):  # what a read-only folder does (root is never refused)
        raise PermissionError(errno.EACCES, "Permission denied", "answers/.99-test.json.x.tmp")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    tagger.core.kinds = {"s02": "opinion"}
    message = tagger.notice
    assert f"cannot save to {tmp_path / 'answers'}: you may not write there" in message
    assert ".tmp" not in message and "Errno" not in message
    assert tagger.saved == "Not saved"
    assert on_disk(tmp_path).kinds == {"s02": "fact"}


def test_answers_that_is_a_file_is_said_in_a_sentence(tmp_path):
    (tmp_path / "answers").write_text("not a folder")
    tagger = Tagger.exam(EX, SEED, folder=tmp_path)
    tagger.core.kinds = {"s02": "fact"}
    message = tagger.notice
    assert "is a file, not a folder" in message and "Errno" not in message
    assert tagger.saved == "Not saved"
    assert (tmp_path / "answers").read_text() == "not a folder"


def test_a_corrupt_file_that_cannot_be_moved_aside_still_opens_the_tagger(tmp_path, monkeypatch):
    answers_path(EX, tmp_path).parent.mkdir()
    answers_path(EX, tmp_path).write_text('{"taxonomy": "framelab-1", "docu')

    def refused(*args, **kwargs):  # a read-only answers folder (root is never refused)
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "rename", refused)
    tagger = Tagger.exam(EX, SEED, folder=tmp_path)
    message = tagger.notice
    assert "could not be used" in message and "could not be moved aside" in message
    assert tagger.core.kinds == {}
    tagger.core.kinds = {"s02": "fact"}  # a save must not write over the file it could not keep
    assert "could not be moved aside" in tagger.notice
    assert tagger.saved == "Not saved"
    assert answers_path(EX, tmp_path).read_text() == '{"taxonomy": "framelab-1", "docu'


def test_what_a_save_cut_short_left_behind_is_cleared_when_old(tmp_path):
    folder = answers_path(EX, tmp_path).parent
    folder.mkdir()
    old, fresh = folder / f".{EX}.json.a1b2.tmp", folder / f".{EX}.json.c3d4.tmp"
    old.write_text("{")
    fresh.write_text("{")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    Tagger.exam(EX, SEED, folder=tmp_path)
    assert not old.exists() and fresh.exists()
