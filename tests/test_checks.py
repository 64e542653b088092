"""Which matched passage a student meets at the start and at the end."""

from __future__ import annotations

import pytest

from framelab.teach.checks import PASSAGES, check_passage, student_id
from framelab.texts.corpus import load_document, load_key
from framelab.texts.model import FramelabError


def test_each_student_meets_one_passage_first_and_the_other_at_the_end():
    for student in ("amira", "ben", "chen", "s1234567", "Zoë"):
        start, end = check_passage(student, "start"), check_passage(student, "end")
        assert {start, end} == set(PASSAGES)
        assert check_passage(student, "start") == start  # the same every time


def test_the_id_decides_whatever_its_case_or_spaces():
    assert check_passage(" Amira ", "start") == check_passage("amira", "start")


def test_about_half_a_large_class_starts_with_each_passage():
    firsts = [check_passage(f"student{n:04d}", "start") for n in range(2000)]
    share = firsts.count(PASSAGES[0]) / len(firsts)
    assert 0.46 <= share <= 0.54


def test_both_passages_are_in_the_kit_with_their_keys():
    for passage in PASSAGES:
        document, key = load_document(passage), load_key(passage)
        assert len(document.sentences) == len(key.labels) == 10
        assert len(key.spans) == 3


def test_a_bad_check_is_one_clear_line():
    with pytest.raises(FramelabError, match="'start' or the 'end'"):
        check_passage("amira", "middle")
    with pytest.raises(FramelabError, match="student's id"):
        check_passage("  ", "start")


def test_the_student_is_the_hubs_user_on_a_server(monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "amira")
    assert student_id() == "amira"
    monkeypatch.delenv("JUPYTERHUB_USER")
    assert student_id()  # the computer's user name
