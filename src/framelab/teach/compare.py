"""Lesson 05's fact viewer: pick one fact and see, version by version, whether each
text states it, distorts it or leaves it out, with the sentences that carry it.

It reads the kit's fact list (``datasets/facts/<topic>.json``, owned by
:mod:`framelab.texts.facts`) and saves nothing: there is no answer in it to lose.
Each use is shown by a symbol and a word, in the theme's own colours.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from framelab.teach.items import KeyGuard
from framelab.teach.plots import USE_STYLE
from framelab.texts.corpus import load_document
from framelab.texts.facts import FactSheet, load_facts
from framelab.texts.model import Document, FramelabError

__all__ = ["FactViewer"]

# how each use is shown: a symbol and the fact matrix's word for it, in the theme's own
# text colour (a colour of ours could fail contrast in one theme, and must not carry meaning)
_SYMBOL = {"states": "\u2713", "distorts": "\u2248", "omits": "\u2013"}
_USE = {use: (_SYMBOL[use], USE_STYLE[use]["label"]) for use in _SYMBOL}


class FactViewer(widgets.VBox):
    """A list of the facts and, under it, what each version does with the chosen one.
    ``versions`` picks and orders the texts (default: every version the fact list of
    ``topic`` follows); ``titles`` gives them short names ("wire report"); ``fact``
    is the one shown first."""

    def __init__(
        self,
        versions: list[str] | None = None,
        *,
        topic: str = "aleppo",
        titles: dict[str, str] | None = None,
        fact: str | None = None,
    ) -> None:
        self.sheet: FactSheet = load_facts(topic)
        self.versions = list(versions or self.sheet.versions)
        unknown = [v for v in self.versions if v not in self.sheet.versions]
        if unknown:
            raise FramelabError(
                f"the fact list does not follow {unknown[0]!r}; it has "
                + ", ".join(self.sheet.versions)
            )
        self.titles = {v: (titles or {}).get(v, v) for v in self.versions}
        self.documents: dict[str, Document] = {v: load_document(v) for v in self.versions}
        self._pick = widgets.Dropdown(
            options=[(f"{f.id}  {f.label}", f.id) for f in self.sheet.facts],
            description="Fact",
            layout=widgets.Layout(width="auto", max_width="46em"),
        )
        self._panel = widgets.HTML()
        self._pick.observe(lambda change: self._draw(change["new"]), names="value")
        super().__init__([self._pick, self._panel, KeyGuard()])
        self.add_class("fl-guarded")
        self.add_class("fl-fact-viewer")
        self.show(fact or self.sheet.facts[0].id)

    def show(self, fact_id: str) -> None:
        """Choose a fact by its id ("F05"), as picking it in the list does."""
        self.sheet.fact(fact_id)  # FramelabError naming the range of ids
        if self._pick.value == fact_id:
            self._draw(fact_id)
        else:
            self._pick.value = fact_id

    @property
    def fact(self) -> str:
        """The id of the fact shown."""
        return str(self._pick.value)

    @property
    def text(self) -> str:
        """What the panel says, as plain text (for tests and screen-reader users)."""
        return "\n".join(self._lines(self.fact))

    def _lines(self, fact_id: str) -> list[str]:
        fact = self.sheet.fact(fact_id)
        lines = [f"{fact.id} ({fact.status}): {fact.statement} Sources: {', '.join(fact.sources)}."]
        for version in self.versions:
            use = self.sheet.versions[version].get(fact_id)
            how = use.use if use else "omits"
            symbol, words = _USE[how]
            line = f"{symbol} {self.titles[version]}: {words}."
            if use and use.sentences:
                document = self.documents[version]
                quoted = " ".join(f"[{s}] {document.sentence(s).text}" for s in use.sentences)
                line += f" {quoted}"
            if use and use.note:
                line += f" Note: {use.note}"
            lines.append(line)
        return lines

    def _draw(self, fact_id: str) -> None:
        fact = self.sheet.fact(fact_id)
        rows = []
        for version in self.versions:
            use = self.sheet.versions[version].get(fact_id)
            how = use.use if use else "omits"
            symbol, words = _USE[how]
            sentences = ""
            if use and use.sentences:
                document = self.documents[version]
                sentences = "".join(
                    f"<blockquote><span class='fl-q-id'>{html.escape(s)}</span> "
                    f"{html.escape(document.sentence(s).text)}</blockquote>"
                    for s in use.sentences
                )
            note = f"<p><i>{html.escape(use.note)}</i></p>" if use and use.note else ""
            rows.append(
                f"<tr><td style='text-align:left;vertical-align:top'>"
                f"<b>{html.escape(self.titles[version])}</b></td>"
                f"<td style='text-align:left;vertical-align:top;white-space:nowrap'>"
                f"<b>{symbol} {words}</b></td>"
                f"<td style='text-align:left;vertical-align:top'>{sentences}{note}</td></tr>"
            )
        self._panel.value = (
            f"<p><b>{html.escape(fact.id)}</b> ({html.escape(fact.status)}): "
            f"{html.escape(fact.statement)}<br><small>Sources: "
            f"{html.escape(', '.join(fact.sources))}</small></p>"
            f"<table><thead><tr><th>version</th><th>what it does</th><th>where</th></tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table>"
        )
