"""Every key has a blind second annotation, kept as it came, and datasets/README.md
reports each key's agreement with it (the figures tests/agreement_table.py prints)."""

import json
from pathlib import Path

from framelab.texts.authoring import annotation_from_quotes
from framelab.texts.corpus import article_ids, load_document

from .agreement_table import SECOND, figures, graded, row, table

README = Path(__file__).resolve().parents[1] / "datasets" / "README.md"


def test_every_key_has_a_blind_second_annotation_of_every_unit():
    assert sorted(p.stem for p in SECOND.glob("*.json")) == article_ids()
    for document_id in article_ids():
        data = json.loads((SECOND / f"{document_id}.json").read_text())
        assert data["annotator"].startswith(("blind annotator", "pilot annotator")), document_id
        assert "(blind" in data["annotator"] or "(the guide and the text only)" in data["annotator"]
        second = annotation_from_quotes(data)
        units = [s.id for s in load_document(document_id).sentences]
        assert sorted(second.kinds) == units, document_id


def test_the_data_card_reports_every_keys_agreement_with_its_blind_annotation():
    assert table() in README.read_text()


def test_a_graded_texts_figures_are_kept_for_instructors_only():
    """The data card goes to students, so a graded text's row there gives no figure of
    its key (such as its number of spans); the instructors' adjudication log has it."""
    readme = README.read_text()
    for document_id in (i for i in article_ids() if graded(i)):
        line = row(document_id, figures(document_id))
        assert line not in readme
        log = README.parents[1] / "docs" / "answers" / "adjudication" / f"{document_id}.md"
        assert line in log.read_text()
