"""The central article and its key: kept exactly, covered fully, written for students."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from framelab.grading.scoring import score
from framelab.texts.taxonomy import DEVICES, KINDS

from .conftest import DATASETS, ROOT, SEED

SEED_SHA256 = "ba23b37b72740e2b0b54462b89bc2d07d0afa50e1e4020c16f37b6f193ea55e9"


def test_article_is_kept_byte_for_byte():
    data = (DATASETS / "articles" / SEED / "article.txt").read_bytes()
    assert hashlib.sha256(data).hexdigest() == SEED_SHA256
    given = ROOT.parent / "shared" / "seed" / f"{SEED}.txt"
    if given.exists():  # beside the checkout on the project's machines
        assert data == given.read_bytes()


def test_key_has_a_kind_for_every_unit_and_structure_for_every_structural_one(
    seed_document, seed_key
):
    assert [label.id for label in seed_key.labels] == [s.id for s in seed_document.sentences]
    for unit in seed_document.sentences:
        assert (seed_key.label(unit.id).kind == "structure") == unit.structure, unit.id


def test_key_uses_every_kind_and_every_device(seed_key):
    kinds = Counter(label.kind for label in seed_key.labels)
    devices = Counter(span.device for span in seed_key.spans)
    assert set(kinds) == set(KINDS)
    assert set(devices) == set(DEVICES)
    assert len(seed_key.spans) >= 25


def test_every_loaded_span_offers_a_neutral_word_that_differs(seed_document, seed_key):
    for span in seed_key.spans:
        if span.device == "loaded":
            assert span.neutral and span.neutral != seed_document.text[span.start : span.end]


def test_devices_the_design_names_for_the_seed_are_in_the_key(seed_document, seed_key):
    marked = {(seed_document.text[s.start : s.end], s.device) for s in seed_key.spans}
    for quoted, device in [
        ("liberated", "loaded"),
        ("dictatorial regime", "loaded"),
        ("aggressor", "loaded"),
        ("In just", "intensifier"),
        ("What is important to understand is that", "intensifier"),
        ("actually", "intensifier"),
        ("was not ready for such a development", "speculation"),
        ("Panic", "speculation"),
        ("it became officially known", "vague-source"),
        ("Photo: open sources", "vague-source"),
        ("in social networks", "vague-source"),
        ("lied", "verb-bias"),
        ("Russian military bloggers", "generalization"),
    ]:
        assert (quoted, device) in marked


def test_quoted_speech_is_not_tagged_as_the_writers_framing(seed_document, seed_key):
    text = seed_document.text
    for quoted in ('"shameful surrender"', '"Syrian authorities quickly restore order"'):
        start = text.index(quoted)
        for span in seed_key.spans:
            assert span.end <= start or span.start >= start + len(quoted), quoted


def test_key_scores_one_against_itself(seed_document, seed_key):
    result = score(seed_key, seed_key, seed_document.text)
    assert (result.kinds, result.spans.f1, result.kappa) == (1.0, 1.0, 1.0)


def test_key_file_is_stored_in_its_canonical_form(seed_key):
    path = DATASETS / "keys" / f"{SEED}.json"
    assert json.loads(path.read_text()) == seed_key.to_dict()


def test_key_agreement_counts_what_the_second_annotator_added_and_missed(seed_document, seed_key):
    import dataclasses

    from framelab.grading.agreement import key_agreement
    from framelab.texts.model import Span

    spans = seed_key.spans
    fewer = dataclasses.replace(seed_key, spans=(*spans[1:], Span(0, 4, "loaded")))
    found = key_agreement(seed_key, fewer, seed_document.text)
    assert (found.key_spans_found, found.key_spans) == (len(spans) - 1, len(spans))
    assert (found.second_spans_found, found.second_spans) == (len(spans) - 1, len(spans))
    assert found.same_kind == found.within_accept == 24 and found.kappa == 1.0
