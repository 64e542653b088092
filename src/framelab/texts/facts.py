"""Fact alignments: which version of a story states, distorts or omits each fact.

Framing by selection and omission cannot be tagged as a span: it is what a text
leaves out. ``datasets/facts/<topic>.json`` lists atomic facts and, for each
version of the story, how it uses each one; lesson 05 draws it as a matrix
(``framelab.teach.plots.fact_matrix``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from framelab.texts.corpus import datasets_dir
from framelab.texts.model import FramelabError, read_json, schema_problem

__all__ = ["USES", "Fact", "FactSheet", "Use", "fact_sheet_from_dict", "load_facts"]

USES = ("states", "distorts", "omits")


@dataclass(frozen=True)
class Fact:
    """One atomic fact, in the kit's own words, with its sources and status."""

    id: str
    label: str  # a short name for charts
    statement: str
    date: str
    sources: tuple[str, ...]
    status: str  # confirmed, partly confirmed, disputed, or false as stated


@dataclass(frozen=True)
class Use:
    """How one version uses one fact."""

    use: str  # states, distorts or omits
    sentences: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class FactSheet:
    """The facts of one set of events and each version's use of them."""

    topic: str
    facts: tuple[Fact, ...]
    versions: dict[str, dict[str, Use]]

    def fact(self, fact_id: str) -> Fact:
        for fact in self.facts:
            if fact.id == fact_id:
                return fact
        raise FramelabError(
            f"no fact {fact_id!r}; facts run {self.facts[0].id}-{self.facts[-1].id}"
        )

    def counts(self, version: str) -> dict[str, int]:
        """How many facts ``version`` states, distorts and omits."""
        uses = self.versions[version]
        return {use: sum(u.use == use for u in uses.values()) for use in USES}


def fact_sheet_from_dict(data: object, source: str = "facts") -> FactSheet:
    """Build a FactSheet from parsed JSON checked against facts.schema.json."""
    problem = schema_problem(data, "facts")
    if problem:
        raise FramelabError(f"{source}: {problem}")
    assert isinstance(data, dict)
    facts = tuple(
        Fact(f["id"], f["label"], f["statement"], f["date"], tuple(f["sources"]), f["status"])
        for f in data["facts"]
    )
    versions = {
        version: {
            fact_id: Use(u["use"], tuple(u["sentences"]), u.get("note", ""))
            for fact_id, u in uses.items()
        }
        for version, uses in data["versions"].items()
    }
    return FactSheet(data["topic"], facts, versions)


def load_facts(topic: str = "aleppo", root: Path | None = None) -> FactSheet:
    """Load ``datasets/facts/<topic>.json``."""
    path = (root or datasets_dir()) / "facts" / f"{topic}.json"
    return fact_sheet_from_dict(read_json(path), str(path))
