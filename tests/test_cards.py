"""A text's data card gives its key's counts as the key has them: a card that says
"26 units (3 structure, ...) and 9 device spans (...)" must agree with the key file."""

import re
from collections import Counter

import pytest

from framelab.texts.corpus import article_ids, load_document, load_key
from framelab.texts.taxonomy import DEVICES, KINDS

from .conftest import DATASETS

COUNTS = re.compile(
    r"(\d+) units \(([^)]*)\)[^.|]*?(?:(\d+) device spans \(([^)]*)\)|no device spans)"
)


def _counted(phrase: str) -> Counter[str]:
    return Counter({name: int(n) for n, name in re.findall(r"(\d+) ([a-z-]+)", phrase)})


@pytest.mark.parametrize("article_id", article_ids(DATASETS))
def test_the_cards_counts_are_the_keys(article_id):
    card = (DATASETS / "articles" / article_id / "README.md").read_text()
    if load_document(article_id, DATASETS).meta.get("graded"):
        return  # a graded text's card gives no figure of its key
    key = load_key(article_id, DATASETS)
    for match in COUNTS.finditer(card):
        units, kinds, spans, devices = match.groups()
        assert int(units) == len(key.labels), article_id
        assert _counted(kinds) == Counter(label.kind for label in key.labels), article_id
        assert set(_counted(kinds)) <= set(KINDS)
        if spans is None:
            assert not key.spans, article_id
        else:
            assert int(spans) == len(key.spans), article_id
            assert _counted(devices) == Counter(span.device for span in key.spans), article_id
            assert set(_counted(devices)) <= set(DEVICES)
