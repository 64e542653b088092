"""Segmentation and document loading."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framelab.texts.corpus import document_from_text, load_document, segment, tokens
from framelab.texts.model import FramelabError

from .conftest import DATASETS, SEED

SEED_STRUCTURE = [
    "date 2024-11-30",
    "What is happening in Syria",
    "Photo: open sources",
    "Share",
    "How Russia comments on the events in Syria",
    "Share",
]


def test_seed_segments_into_24_units_with_six_structural(seed_document):
    units = seed_document.sentences
    assert len(units) == 24
    assert [u.text for u in units if u.structure] == SEED_STRUCTURE
    assert [u.id for u in units] == [f"s{n:02d}" for n in range(1, 25)]


def test_dateline_is_split_from_the_first_sentence(seed_document):
    first, second = seed_document.sentences[:2]
    assert first.text == "date 2024-11-30" and first.structure
    assert second.text.startswith("On November 30, it became officially known")
    assert not second.structure


def test_stray_share_is_never_glued_to_a_sentence(seed_document):
    for unit in seed_document.sentences:
        if unit.text != "Share":
            assert not re.search(r"\bShare\b", unit.text), unit
    lied = next(u for u in seed_document.sentences if u.text.endswith("representative lied."))
    after = seed_document.sentences[seed_document.sentences.index(lied) + 1]
    assert after.text == "Share" and after.structure


def test_every_unit_quotes_the_text_at_its_offsets(seed_document):
    text = seed_document.text
    previous_end = 0
    for unit in seed_document.sentences:
        assert text[unit.start : unit.end] == unit.text
        assert unit.text == unit.text.strip()
        assert unit.start >= previous_end
        previous_end = unit.end


def test_segmentation_is_deterministic(seed_document):
    assert tuple(segment(seed_document.text)) == seed_document.sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Breaking news\n\nThe river rose. It fell.",
            [("Breaking news", True), ("The river rose.", False), ("It fell.", False)],
        ),
        (
            "Image credit: city council\nThe bridge opened on Monday.",
            [("Image credit: city council", True), ("The bridge opened on Monday.", False)],
        ),
        ("Prices rose by 3%. Share", [("Prices rose by 3%.", False), ("Share", True)]),
        (
            "Prices rose by 3%.\nAdvertisement\nThey fell later.",
            [("Prices rose by 3%.", False), ("Advertisement", True), ("They fell later.", False)],
        ),
        ("2025-03-01 The vote was held.", [("2025-03-01", True), ("The vote was held.", False)]),
        (
            "[Constructed for framelab: not a real article]\nA sentence.",
            [("[Constructed for framelab: not a real article]", True), ("A sentence.", False)],
        ),
        (
            'The mayor said: "We will rebuild." Work starts in May.',
            [('The mayor said: "We will rebuild."', False), ("Work starts in May.", False)],
        ),
    ],
)
def test_structure_rules_on_small_texts(text, expected):
    assert [(u.text, u.structure) for u in segment(text)] == expected


def test_a_short_paragraph_of_two_sentences_is_not_a_heading():
    units = segment("It rained. Share")
    assert [(u.text, u.structure) for u in units] == [("It rained.", False), ("Share", True)]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Ab .?!\n\"'1-:")), max_size=120))
def test_units_are_ordered_trimmed_and_quote_the_text(text):
    previous_end = 0
    for unit in segment(text):
        assert text[unit.start : unit.end] == unit.text
        assert unit.text and unit.text == unit.text.strip()
        assert unit.start >= previous_end
        previous_end = unit.end


def test_tokens_give_offsets_of_words_and_punctuation():
    text = "Al-Safira isn't far, 25 km."
    assert [text[a:b] for a, b in tokens(text)] == [
        "Al-Safira",
        "isn't",
        "far",
        ",",
        "25",
        "km",
        ".",
    ]


def test_document_from_text_needs_no_files():
    document = document_from_text("One. Two.", "demo")
    assert [s.text for s in document.sentences] == ["One.", "Two."]
    assert document.sentence("s02").text == "Two."
    assert document.sentence_at(5).id == "s02"


def test_loading_an_unknown_article_names_it_and_lists_what_exists():
    with pytest.raises(FramelabError, match=r"no article 'nope'.*aleppo-2024-11-30"):
        load_document("nope", DATASETS)


def test_bad_metadata_is_reported_with_its_file(tmp_path):
    folder = tmp_path / "articles" / SEED
    shutil.copytree(DATASETS / "articles" / SEED, folder)
    meta = json.loads((folder / "meta.json").read_text())
    del meta["licence"]
    (folder / "meta.json").write_text(json.dumps(meta))
    expected = r"meta\.json: top level: must contain \['licence'\] properties"
    with pytest.raises(FramelabError, match=expected):
        load_document(SEED, tmp_path)


def test_datasets_folder_can_be_set_by_environment(monkeypatch, tmp_path):
    from framelab.texts.corpus import datasets_dir

    monkeypatch.setenv("FRAMELAB_DATASETS", str(tmp_path / "missing"))
    with pytest.raises(FramelabError, match="FRAMELAB_DATASETS"):
        datasets_dir()
    monkeypatch.setenv("FRAMELAB_DATASETS", str(DATASETS))
    assert datasets_dir() == DATASETS
