"""The data model: JSON in and out, one clear error type, atomic saving."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framelab.texts.model import Annotation, FramelabError, read_json, write_json_atomic
from framelab.texts.taxonomy import DEVICES, KINDS

from .conftest import DATASETS, SEED


def answers(**changes):
    data = {
        "taxonomy": "framelab-1",
        "document": SEED,
        "annotator": "student-1",
        "sentences": [{"id": "s02", "kind": "fact"}, {"id": "s03", "kind": None}],
        "spans": [{"start": 98, "end": 107, "device": "loaded"}],
    }
    data.update(changes)
    return data


def test_an_annotation_round_trips_through_json(tmp_path):
    annotation = Annotation.from_dict(answers())
    assert annotation.kinds == {"s02": "fact"}
    path = tmp_path / "answers" / "ex.json"
    annotation.save(path)
    assert Annotation.load(path) == annotation
    assert json.loads(path.read_text()) == answers()


def test_the_key_round_trips_and_keeps_its_rationales(seed_key):
    again = Annotation.from_dict(seed_key.to_dict(), kind="key")
    assert again == seed_key
    assert all(label.why for label in again.labels)
    assert again.status == "reviewed" and not again.is_draft


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "top level: [] must be object"),
        (
            answers(taxonomy="framelab-2"),
            "taxonomy: 'framelab-2' must be same as const definition: framelab-1",
        ),
        (answers(spans=[{"start": 1, "end": 5, "device": "spin"}]), "spans[0].device: 'spin'"),
        (answers(sentences=[{"id": "s02", "kind": "fakt"}]), "sentences[0].kind: 'fakt'"),
        (answers(sentences=[{"id": "s02"}]), "sentences[0]: must contain ['kind'] properties"),
        (answers(spans=[{"start": 9, "end": 4, "device": "loaded"}]), "spans[0] ends at 4"),
        (
            answers(sentences=[{"id": "s02", "kind": "fact"}, {"id": "s02", "kind": "opinion"}]),
            "sentence s02 is listed twice",
        ),
    ],
)
def test_malformed_annotations_raise_one_clear_error(data, message):
    with pytest.raises(FramelabError) as caught:
        Annotation.from_dict(data, source="answers/ex.json")
    assert str(caught.value).startswith("answers/ex.json: ")
    assert message in str(caught.value)


def test_a_key_needs_rationales_and_neutral_words():
    key = json.loads((DATASETS / "keys" / f"{SEED}.json").read_text())
    loaded = next(span for span in key["spans"] if span["device"] == "loaded")
    del loaded["neutral"]
    with pytest.raises(FramelabError, match=r"spans\[\d+\]: must contain \['neutral'\] properties"):
        Annotation.from_dict(key, kind="key")


def test_unreadable_files_are_named(tmp_path):
    with pytest.raises(FramelabError, match=r"gone\.json: file not found"):
        read_json(tmp_path / "gone.json")
    (tmp_path / "bad.json").write_text('{"taxonomy": ')
    with pytest.raises(FramelabError, match=r"bad\.json: not valid JSON \(line 1, column 14"):
        Annotation.load(tmp_path / "bad.json")
    (tmp_path / "latin1.json").write_bytes(b'{"a": "\xe9"}')
    with pytest.raises(FramelabError, match=r"latin1\.json: is not UTF-8 text"):
        read_json(tmp_path / "latin1.json")


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    path = tmp_path / "answers.json"
    write_json_atomic(path, {"version": 1})
    with pytest.raises(TypeError):
        write_json_atomic(path, {"version": 2, "bad": object()})
    assert json.loads(path.read_text()) == {"version": 1}
    assert os.listdir(tmp_path) == ["answers.json"]  # no temporary file left behind


@settings(max_examples=40, deadline=None)
@given(
    kinds=st.dictionaries(
        st.integers(1, 30).map(lambda n: f"s{n:02d}"), st.sampled_from([*KINDS, None])
    ),
    spans=st.lists(
        st.tuples(st.integers(0, 2000), st.integers(1, 200), st.sampled_from(DEVICES)),
        max_size=10,
    ),
)
def test_any_valid_annotation_survives_a_round_trip(kinds, spans):
    data = answers(
        sentences=[{"id": i, "kind": k} for i, k in kinds.items()],
        spans=[{"start": a, "end": a + n, "device": d} for a, n, d in spans],
    )
    annotation = Annotation.from_dict(data)
    assert Annotation.from_dict(json.loads(json.dumps(annotation.to_dict()))) == annotation
