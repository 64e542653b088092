"""What lessons show besides the tagger: the text, and the key revealed step by step.

Each function returns an object that Jupyter displays as HTML (and that prints as
plain text elsewhere); nothing is displayed or changed on import.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from framelab.corpus import datasets_dir, load_document
from framelab.model import Annotation

__all__ = ["Shown", "show_key", "show_text"]


class Shown:
    """HTML for Jupyter with a plain-text twin for terminals and screen readers."""

    def __init__(self, html_text: str, plain: str) -> None:
        self.html_text, self.plain = html_text, plain

    def _repr_html_(self) -> str:
        return self.html_text

    def __repr__(self) -> str:
        return self.plain


def show_text(document_id: str) -> Shown:
    """The article, one numbered unit a line, structural lines in italics."""
    document = load_document(document_id)
    rows = []
    plain = [document.title]
    for unit in document.sentences:
        words = html.escape(unit.text)
        rows.append(
            f"<tr><td>{unit.id}</td><td>{'<i>' + words + '</i>' if unit.structure else words}"
            "</td></tr>"
        )
        plain.append(f"{unit.id}  {unit.text}")
    table = f"<table><tbody>{''.join(rows)}</tbody></table>"
    return Shown(f"<h4>{html.escape(document.title)}</h4>{table}", "\n".join(plain))


def show_key(
    document_id: str,
    sentences: Iterable[str] | None = None,
    devices: Iterable[str] | None = None,
) -> Shown:
    """The key's kinds and reasons for ``sentences`` (default all), and its device
    spans of the given ``devices`` (default none) with their reasons."""
    document = load_document(document_id)
    key = Annotation.load(datasets_dir() / "keys" / f"{document_id}.json", kind="key")
    wanted = None if sentences is None else set(sentences)
    rows, plain = [], []
    for label in key.labels:
        if wanted is not None and label.id not in wanted:
            continue
        also = f" (also defensible: {', '.join(label.accept)})" if label.accept else ""
        rows.append(
            f"<tr><td>{label.id}</td><td>{html.escape(label.text or '')}</td>"
            f"<td><b>{label.kind}</b>{html.escape(also)}</td><td>{html.escape(label.why)}</td></tr>"
        )
        plain.append(f"{label.id} [{label.kind}{also}] {label.text}\n    {label.why}")
    parts = []
    if rows:
        parts.append(
            "<table><thead><tr><th>id</th><th>sentence</th><th>kind</th><th>why</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    chosen = set(devices or ())
    span_rows = []
    for span in key.spans:
        if span.device not in chosen:
            continue
        words = document.text[span.start : span.end]
        neutral = f" (a neutral choice: {span.neutral})" if span.neutral else ""
        span_rows.append(
            f"<tr><td>{html.escape(words)}</td><td><b>{span.device}</b></td>"
            f"<td>{html.escape(span.why + neutral)}</td></tr>"
        )
        plain.append(f'"{words}" [{span.device}] {span.why}{neutral}')
    if span_rows:
        parts.append(
            "<table><thead><tr><th>words</th><th>device</th><th>why</th></tr></thead>"
            f"<tbody>{''.join(span_rows)}</tbody></table>"
        )
    return Shown("".join(parts), "\n".join(plain))
