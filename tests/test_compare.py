"""Lesson 05's fact viewer: one fact, and what every version does with it."""

from __future__ import annotations

import pytest

from framelab import FactViewer
from framelab.texts.corpus import load_document
from framelab.texts.facts import load_facts
from framelab.texts.model import FramelabError

from .conftest import DATASETS

TITLES = {"aleppo-2024-11-30": "central article", "aleppo-wire": "wire report"}


def test_each_version_says_what_it_does_with_the_fact_and_where():
    sheet = load_facts("aleppo", DATASETS)
    viewer = FactViewer(titles=TITLES)
    assert viewer.fact == sheet.facts[0].id  # the first fact, until one is chosen
    viewer._pick.value = "F05"  # as choosing it in the list does
    assert viewer.fact == "F05"
    lines = viewer.text.splitlines()
    assert lines[0].startswith("F05 (") and sheet.fact("F05").statement in lines[0]
    assert len(lines) == 1 + len(sheet.versions)
    for version, line in zip(sheet.versions, lines[1:], strict=True):
        use = sheet.versions[version].get("F05")
        word = {"states": "states it", "distorts": "distorts it", "omits": "leaves it out"}
        assert f"{TITLES.get(version, version)}: {word[use.use if use else 'omits']}." in line
        document = load_document(version, DATASETS)
        for sentence in use.sentences if use else ():
            assert f"[{sentence}] {document.sentence(sentence).text}" in line
    shown = viewer._panel.value
    assert "\u2248 distorts it" in shown and "\u2713 states it" in shown  # a symbol and a word
    assert "central article" in shown and "s11" in shown


def test_a_fact_a_version_leaves_out_says_so_with_no_sentence():
    sheet = load_facts("aleppo", DATASETS)
    left_out = next(
        f.id for f in sheet.facts if sheet.versions["aleppo-2024-11-30"][f.id].use == "omits"
    )
    viewer = FactViewer(["aleppo-2024-11-30"], titles=TITLES, fact=left_out)
    (line,) = viewer.text.splitlines()[1:]
    assert line.startswith("\u2013 central article: leaves it out.") and "[s" not in line


def test_an_unknown_fact_or_version_is_named():
    with pytest.raises(FramelabError, match="no fact 'F99'; facts run F01-"):
        FactViewer().show("F99")
    with pytest.raises(FramelabError, match="does not follow 'aleppo-headlines'"):
        FactViewer(["aleppo-headlines"])
