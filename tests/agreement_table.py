"""The per-key agreement table of datasets/README.md: every key against its blind
second annotation (tests/fixtures/second-annotation/<id>.json, kept as it came).

    .venv/bin/python tests/agreement_table.py     # print the table for the keys as they are

tests/test_second_annotation.py checks that the README holds this table.
"""

from __future__ import annotations

import json
from pathlib import Path

from framelab.grading.agreement import KeyAgreement, key_agreement
from framelab.texts.authoring import annotation_from_quotes
from framelab.texts.corpus import article_ids, load_document, load_key
from framelab.texts.model import Label

SECOND = Path(__file__).parent / "fixtures" / "second-annotation"
HEADER = (
    "| key | units | same kind | kappa | kind the key accepts "
    "| key spans found | second spans in the key |\n"
    "|---|---:|---:|---:|---:|---:|---:|"
)


def figures(document_id: str) -> KeyAgreement:
    second = annotation_from_quotes(json.loads((SECOND / f"{document_id}.json").read_text()))
    return key_agreement(load_key(document_id), second, load_document(document_id).text)


def row(document_id: str, found: KeyAgreement) -> str:
    return (
        f"| {document_id} | {found.sentences} | {found.same_kind} | {found.kappa:.2f} "
        f"| {found.within_accept} ({found.kinds_within_accept:.2f}) "
        f"| {found.key_spans_found} of {found.key_spans} ({found.key_spans_share:.2f}) "
        f"| {found.second_spans_found} of {found.second_spans} ({found.second_spans_share:.2f}) |"
    )


def headlines() -> str:
    """The headlines apart (rule K6; their kinds are not scored): every headline unit of
    every key, and the central article's headline in its key's ``headline``."""
    same = accepted = total = 0
    for document_id in article_ids():
        key = load_key(document_id)
        raw = json.loads((SECOND / f"{document_id}.json").read_text())
        pairs = [
            (label, raw["sentences"][label.id]["kind"]) for label in key.labels if not label.scored
        ]
        if key.headline is not None and "headline" in raw:
            head = key.headline
            pairs.append((Label("headline", head.kind, head.accept), raw["headline"]["kind"]))
        for label, kind in pairs:
            total += 1
            same += kind == label.kind
            accepted += label.accepts(kind)
    return (
        f"Headlines alone: {same} of {total} the same preferred kind, "
        f"{accepted} of {total} a kind the key accepts."
    )


def graded(document_id: str) -> bool:
    return load_document(document_id).meta.get("graded") is True


def graded_row(document_id: str) -> str:
    """A graded text's row in the data card, which students get: no figure of its key."""
    return (
        f"| {document_id} | graded: its figures are for instructors, in "
        f"`docs/answers/adjudication/{document_id}.md` | | | | | |"
    )


def table() -> str:
    rows = [graded_row(i) if graded(i) else row(i, figures(i)) for i in article_ids()]
    return "\n".join([HEADER, *rows])


if __name__ == "__main__":
    print(table())
    print()
    print(headlines())
