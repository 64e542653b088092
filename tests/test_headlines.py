"""Headlines (the annotation guide's rule K6): a headline that makes a claim gets a
claim kind in the key, and no exercise grades a headline's kind until a lesson teaches
headlines ("scored": false); the central article's headline, kept in its meta.json, is
keyed beside its units so that it can be compared with the other texts' headlines."""

import copy
import dataclasses
import json
from pathlib import Path

import pytest

from framelab.grading.agreement import key_agreement
from framelab.grading.scoring import score
from framelab.texts.corpus import key_path, load_document, load_key
from framelab.texts.model import Annotation, Label
from framelab.texts.validate import check_key

TEXT = "transfer-wildfire-chile"  # a development text whose s02 is its headline


@pytest.fixture(scope="module")
def document():
    return load_document(TEXT)


@pytest.fixture(scope="module")
def key_data():
    return json.loads(key_path(TEXT).read_text())


def _with_headline_kind(data, kind, scored):
    data = copy.deepcopy(data)
    unit = next(s for s in data["sentences"] if s["id"] == "s02")
    unit["kind"], unit["accept"] = kind, []
    unit.pop("scored", None)
    if not scored:
        unit["scored"] = False
    return data


def test_a_headline_may_have_a_claim_kind_only_when_it_is_not_scored(key_data):
    path = key_path(TEXT)
    refused = check_key(_with_headline_kind(key_data, "fact", scored=True), path)
    assert any("s02" in p.item and "K6" in p.message for p in refused), refused
    assert check_key(_with_headline_kind(key_data, "fact", scored=False), path) == []


def test_scored_false_is_refused_on_a_unit_that_is_not_a_headline(key_data):
    data = copy.deepcopy(key_data)
    next(s for s in data["sentences"] if s["id"] == "s04")["scored"] = False
    problems = check_key(data, key_path(TEXT))
    assert [p.item for p in problems] == ["sentences[3] (s04)"]
    assert "only for a headline" in problems[0].message


def test_an_unscored_unit_neither_earns_nor_costs_credit(document):
    key = load_key(TEXT)
    labels = tuple(
        dataclasses.replace(label, kind="fact", accept=(), scored=False)
        if label.id == "s02"
        else label
        for label in key.labels
    )
    key = dataclasses.replace(key, labels=labels)
    right = [Label(label.id, label.kind) for label in key.labels]
    for answer in ("fact", "opinion", None):
        mine = tuple(dataclasses.replace(a, kind=answer) if a.id == "s02" else a for a in right)
        result = score(Annotation(TEXT, mine), key, document.text)
        assert (result.kinds_right, result.kinds_total) == (len(labels) - 1, len(labels) - 1)
        assert not any(item.where == "s02" for item in result.items)
    # agreement with a key still counts every unit, headlines included: it measures the guide
    wrong = tuple(dataclasses.replace(a, kind="opinion") if a.id == "s02" else a for a in right)
    found = key_agreement(key, Annotation(TEXT, wrong), document.text)
    assert (found.sentences, found.within_accept, found.same_kind) == (
        len(labels),
        len(labels) - 1,
        len(labels) - 1,
    )


def test_scored_is_kept_through_a_round_trip_and_omitted_when_true(key_data):
    data = _with_headline_kind(key_data, "fact", scored=False)
    key = Annotation.from_dict(data, kind="key")
    assert [label.id for label in key.labels if not label.scored] == ["s02"]
    assert key.to_dict() == data
    assert "scored" not in json.dumps(key.to_dict()["sentences"][3])


SEED = "aleppo-2024-11-30"


def test_the_seed_key_holds_its_headline_and_validate_checks_it():
    data = json.loads(key_path(SEED).read_text())
    title = load_document(SEED).meta["title"]
    assert data["headline"]["text"] == title
    key = Annotation.from_dict(data, kind="key")
    assert key.to_dict() == data
    for span in key.headline.spans:
        assert title[span.start : span.end] == span.text
    path = key_path(SEED)
    assert check_key(data, path) == []
    wrong = copy.deepcopy(data)
    wrong["headline"]["text"] = title.upper()
    assert [p.item for p in check_key(wrong, path)] == ["headline"]
    moved = copy.deepcopy(data)
    moved["headline"]["spans"][0]["start"] += 1
    assert [p.item for p in check_key(moved, path)] == ["headline.spans[0]"]


def test_every_headline_unit_of_every_key_is_unscored():
    """Until a lesson teaches headlines (rule K6), no key grades a headline's kind."""
    for path in sorted(Path(key_path(SEED)).parent.glob("*.json")):
        document = load_document(path.stem)
        key = load_key(path.stem)
        for label in key.labels:
            unit = document.sentence(label.id)
            if label.kind != "structure":
                assert label.scored or unit.structure, (path.stem, label.id)
            if not label.scored:
                assert unit.structure, (path.stem, label.id)
