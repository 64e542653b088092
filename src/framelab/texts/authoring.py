"""Write a key by quoting words instead of counting characters.

A key stores character offsets, which no person should count by hand. An
authoring file names each sentence by id and each span by the words it quotes;
``key_from_quotes`` finds the words in their sentence and returns the key.

Authoring file (JSON)::

    {"document": "<article id>", "annotator": "...", "notes": "...",
     "status": "reviewed",
     "sentences": {"s01": {"kind": "structure", "accept": [], "why": "..."}, ...},
     "spans": [{"sentence": "s02", "quote": "liberated", "device": "loaded",
                "why": "...", "neutral": "took control of", "occurrence": 1}]}

``occurrence`` (default 1) picks the n-th appearance of the quote in its sentence.
A headline unit whose kind is not scored (the annotation guide's rule K6) adds
``"scored": false`` to its sentence entry. A headline kept in the text's ``meta.json``
(the central article's) is keyed in ``"headline": {"kind", "accept", "why", "spans":
[{"quote", "device", "why", "neutral", "occurrence"}]}``, its quotes placed in the title.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from framelab.texts.corpus import load_document
from framelab.texts.model import Annotation, Document, FramelabError, Sentence

__all__ = ["annotation_from_quotes", "key_from_quotes", "units_table"]


def key_from_quotes(authoring: dict[str, Any], root: Path | None = None) -> Annotation:
    """Build the key that ``authoring`` describes, against its article's text.

    Raises FramelabError naming the sentence or quote that cannot be placed.
    """
    document, written, spans = _placed(authoring, root)
    sentences = [
        {
            "id": unit.id,
            "start": unit.start,
            "end": unit.end,
            "text": unit.text,
            "kind": written[unit.id].get("kind"),
            "accept": written[unit.id].get("accept", []),
            "why": written[unit.id].get("why", ""),
        }
        for unit in document.sentences
    ]
    for sentence in sentences:
        if "scored" in written[sentence["id"]]:
            sentence["scored"] = written[sentence["id"]]["scored"]
    data = {
        "taxonomy": "framelab-1",
        "document": document.id,
        "annotator": authoring.get("annotator", ""),
        "status": authoring.get("status", "draft"),
        "sentences": sentences,
        "spans": spans,
    }
    if "headline" in authoring:
        data["headline"] = _headline(document, authoring["headline"])
    if authoring.get("notes"):
        data["notes"] = authoring["notes"]
    return Annotation.from_dict(data, kind="key", source=f"key of {document.id}")


def annotation_from_quotes(authoring: dict[str, Any], root: Path | None = None) -> Annotation:
    """The plain annotation (kinds and device spans, no reasons) that an authoring
    file describes: how a blind annotator's file is read to compare it with a key
    (``tests/fixtures/second-annotation/``). Its ``accept`` lists are not part of an
    annotation and are left out."""
    document, written, spans = _placed(authoring, root)
    data = {
        "taxonomy": "framelab-1",
        "document": document.id,
        "annotator": authoring.get("annotator", ""),
        "sentences": [
            {"id": unit.id, "kind": written[unit.id].get("kind")} for unit in document.sentences
        ],
        "spans": [{k: span[k] for k in ("start", "end", "device")} for span in spans],
    }
    return Annotation.from_dict(data, source=f"annotation of {document.id}")


def _placed(
    authoring: dict[str, Any], root: Path | None
) -> tuple[Document, dict[str, Any], list[dict[str, Any]]]:
    """The document, the entry of each unit and the placed spans of ``authoring``."""
    if not isinstance(authoring, dict) or not isinstance(authoring.get("document"), str):
        raise FramelabError("an authoring file is a JSON object whose 'document' is an article id")
    document = load_document(authoring["document"], root)
    written = authoring.get("sentences", {})
    if not isinstance(written, dict) or not all(isinstance(v, dict) for v in written.values()):
        raise FramelabError(
            "'sentences' must map each sentence id to an object such as "
            '{"kind": "fact", "why": "..."}'
        )
    if not isinstance(authoring.get("spans", []), list):
        raise FramelabError("'spans' must be a list of objects with sentence, quote and device")
    units = {unit.id: unit for unit in document.sentences}
    missing = [sid for sid in units if sid not in written]
    unknown = [sid for sid in written if sid not in units]
    if missing or unknown:
        raise FramelabError(
            f"{document.id}: sentences without an entry: {', '.join(missing) or 'none'}; "
            f"entries for sentences that do not exist: {', '.join(unknown) or 'none'} "
            f"(see `framelab units {document.id}`)"
        )
    spans = [_place(document, index, item) for index, item in enumerate(authoring.get("spans", []))]
    spans.sort(key=lambda span: (span["start"], span["end"], span["device"]))
    return document, written, spans


def _headline(document: Document, item: Any) -> dict[str, Any]:
    """The key's headline object from an authoring file's, its quotes placed in the
    title of the text's meta.json."""
    title = document.meta.get("title")
    if not isinstance(item, dict) or not isinstance(title, str):
        raise FramelabError(
            "'headline' must be an object with kind, accept, why and spans, for a text "
            "whose meta.json has a title"
        )
    heading = Sentence(id="headline", start=0, end=len(title), text=title)
    spans = []
    for index, span in enumerate(item.get("spans", [])):
        where = f"headline.spans[{index}]"
        if not isinstance(span, dict) or "quote" not in span:
            raise FramelabError(f"{where}: needs 'quote' (words of the headline)")
        spans.append(_span_in(heading, span, where))
    fields = {k: item[k] for k in ("kind", "accept", "why") if k in item}
    return {"text": title, **fields, "spans": spans}


def _place(document: Document, index: int, item: dict[str, Any]) -> dict[str, Any]:
    where = f"spans[{index}]"
    try:
        unit = document.sentence(item["sentence"])
        quote = item["quote"]
    except (KeyError, TypeError, FramelabError):
        raise FramelabError(
            f"{where}: needs 'sentence' (an id of {document.id}) and 'quote' (the words)"
        ) from None
    return _span_in(unit, {**item, "quote": quote}, where)


def _span_in(unit: Sentence, item: dict[str, Any], where: str) -> dict[str, Any]:
    """A key span for ``item``'s quote, placed in ``unit`` (a sentence, or a headline)."""
    quote = item["quote"]
    start, _ = place_words(
        unit, quote, item.get("occurrence", 1), f"{where}: ", ("'quote'", "'occurrence'")
    )
    span = {"start": start, "end": start + len(quote), "text": quote}
    span.update({k: item[k] for k in ("device", "why", "neutral") if k in item})
    return span


def place_words(
    unit: Sentence,
    words: Any,
    occurrence: Any = 1,
    where: str = "",
    called: tuple[str, str] = ("the words", "the occurrence"),
) -> tuple[int, int]:
    """The document offsets of the ``occurrence``-th time ``words`` appear in
    ``unit``, exactly as written. Words with no letter or digit, an occurrence that
    is not a whole number from 1, or words not there that often raise FramelabError,
    beginning with ``where`` and naming the words and the occurrence as ``called``.

    >>> from framelab.texts.model import Sentence
    >>> place_words(Sentence("s01", 100, 120, "the cat saw the dog"), "the", 2)
    (112, 115)
    """
    if not isinstance(words, str) or not any(c.isalnum() for c in words):
        raise FramelabError(f"{where}{called[0]} must be the exact words to mark, not {words!r}")
    if isinstance(occurrence, bool) or not isinstance(occurrence, int) or occurrence < 1:
        raise FramelabError(
            f"{where}{called[1]} must be a whole number from 1 (1 for the first time the "
            f"words appear in the sentence, 2 for the second), not {occurrence!r}"
        )
    position = -1
    for _ in range(occurrence):
        position = unit.text.find(words, position + 1)
        if position < 0:
            raise FramelabError(
                f"{where}{words!r} does not occur {occurrence} time(s) in {unit.id} "
                f"({unit.text[:60]!r}...); copy the words exactly as they appear"
            )
    return unit.start + position, unit.start + position + len(words)


def units_table(document: Document) -> str:
    """The units of ``document``, one line each: id, structural mark, text."""
    return "\n".join(
        f"{unit.id}{' [structure]' if unit.structure else ''}  {unit.text}"
        for unit in document.sentences
    )
