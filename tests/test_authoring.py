"""Keys written by quoting words: placed exactly, and refused clearly when they cannot be."""

from __future__ import annotations

import json
import re

import pytest

from framelab.cli import main
from framelab.texts.authoring import key_from_quotes, units_table
from framelab.texts.model import FramelabError

from .conftest import DATASETS, SEED


def authoring_of(key, document):
    """The authoring file that describes ``key`` (the inverse of key_from_quotes)."""
    spans = []
    for span in key.spans:
        unit = document.sentence_at(span.start)
        quote = document.text[span.start : span.end]
        before = document.text[unit.start : span.start]
        item = {
            "sentence": unit.id,
            "quote": quote,
            "occurrence": before.count(quote) + 1,
            "device": span.device,
            "why": span.why,
        }
        if span.neutral:
            item["neutral"] = span.neutral
        spans.append(item)
    sentences = {
        label.id: {"kind": label.kind, "accept": list(label.accept), "why": label.why}
        for label in key.labels
    }
    for label in key.labels:
        if not label.scored:
            sentences[label.id]["scored"] = False
    authoring = {
        "document": key.document,
        "annotator": key.annotator,
        "status": key.status,
        "notes": key.notes,
        "sentences": sentences,
        "spans": spans,
    }
    if key.headline is not None:
        head = key.headline
        authoring["headline"] = {
            "kind": head.kind,
            "accept": list(head.accept),
            "why": head.why,
            "spans": [
                {"quote": span.text, "device": span.device, "why": span.why}
                | ({"neutral": span.neutral} if span.neutral else {})
                | {"occurrence": head.text[: span.start].count(span.text) + 1}
                for span in head.spans
            ],
        }
    return authoring


def test_quoting_the_seed_keys_words_rebuilds_it_exactly(seed_document, seed_key):
    assert key_from_quotes(authoring_of(seed_key, seed_document), DATASETS) == seed_key


def test_quoting_rebuilds_a_key_with_unscored_headline_units():
    from framelab.texts.corpus import load_document, load_key

    key = load_key("aleppo-headlines", DATASETS)
    assert not any(label.scored for label in key.labels if label.kind != "structure")
    document = load_document("aleppo-headlines", DATASETS)
    assert key_from_quotes(authoring_of(key, document), DATASETS) == key


def test_a_headline_quote_not_in_the_title_is_refused(seed_document, seed_key):
    authoring = authoring_of(seed_key, seed_document)
    authoring["headline"]["spans"][0]["quote"] = "It is shameful"
    with pytest.raises(
        FramelabError, match=re.escape("headline.spans[0]: 'It is shameful' does not occur")
    ):
        key_from_quotes(authoring, DATASETS)


def test_occurrence_picks_the_nth_appearance(seed_document, seed_key):
    authoring = authoring_of(seed_key, seed_document)
    authoring["spans"] = [
        {
            "sentence": "s05",
            "quote": "the",
            "occurrence": 2,
            "device": "intensifier",
            "why": "A test span on the second 'the'.",
        }
    ]
    (span,) = key_from_quotes(authoring, DATASETS).spans
    unit = seed_document.sentence("s05")
    assert span.start == unit.start + unit.text.index("the", unit.text.index("the") + 1)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: a["sentences"].pop("s10"), "sentences without an entry: s10"),
        (lambda a: a["sentences"].update(s99={"kind": "fact"}), "do not exist: s99"),
        (
            lambda a: a["spans"].append({"sentence": "s02", "quote": "freed", "device": "loaded"}),
            "'freed' does not occur 1 time(s) in s02",
        ),
        (lambda a: a["spans"].append({"quote": "freed"}), "needs 'sentence'"),
        (lambda a: a["spans"][0].pop("why"), "spans[0]: must contain ['why'] properties"),
    ],
)
def test_authoring_mistakes_are_named(seed_document, seed_key, change, message):
    authoring = authoring_of(seed_key, seed_document)
    change(authoring)
    with pytest.raises(FramelabError, match=re.escape(message)):
        key_from_quotes(authoring, DATASETS)


def test_units_table_marks_structure(seed_document):
    lines = units_table(seed_document).splitlines()
    assert lines[0] == "s01 [structure]  date 2024-11-30"
    assert lines[9] == "s10  There was no resistance."


def test_key_from_quotes_command_writes_and_validates(tmp_path, seed_document, seed_key, capsys):
    source = tmp_path / "author.json"
    source.write_text(json.dumps(authoring_of(seed_key, seed_document)))
    out = tmp_path / "keys" / f"{SEED}.json"
    assert main(["key-from-quotes", str(source), "--out", str(out)]) == 0
    assert json.loads(out.read_text()) == seed_key.to_dict()
    assert f"24 sentences, {len(seed_key.spans)} spans" in capsys.readouterr().out


def test_unknown_article_in_units_command_is_one_line(capsys):
    assert main(["units", "no-such-article"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("framelab: no article 'no-such-article'") and "Traceback" not in err
