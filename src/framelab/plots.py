"""Charts. Each function draws on a new (or given) matplotlib Axes and returns the
Figure; nothing here changes matplotlib's global settings.

Colours come from the Okabe-Ito palette, which stays distinct for the common
forms of colour blindness, and every colour is paired with a marker shape or a
text label, so no chart relies on colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from framelab.facts import USES, Fact, FactSheet
from framelab.model import Annotation, FramelabError

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not when framelab is
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["KIND_STYLE", "OKABE_ITO", "USE_STYLE", "Chart", "fact_matrix", "kind_bars"]

OKABE_ITO = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "grey": "#999999",
}

# How each use of a fact is drawn: marker, colour, and the word in the legend.
USE_STYLE: dict[str, dict[str, Any]] = {
    "states": {"marker": "o", "color": OKABE_ITO["blue"], "label": "states it"},
    "distorts": {"marker": "X", "color": OKABE_ITO["vermillion"], "label": "distorts it"},
    "omits": {"marker": "_", "color": OKABE_ITO["grey"], "label": "leaves it out"},
}


class Chart:
    """A chart that Jupyter shows as a picture without any matplotlib setup (no
    ``%matplotlib inline``), and that describes itself in words for screen readers
    and plain-text viewers. The matplotlib Figure is ``chart.figure``."""

    def __init__(self, figure: Figure, description: str) -> None:
        self.figure, self.description = figure, description

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        import io

        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=100)
        return {"image/png": buffer.getvalue(), "text/plain": self.description}

    def __repr__(self) -> str:
        return self.description


# Sentence kinds: colour plus hatching, so the bars differ in grey print too.
KIND_STYLE: dict[str, dict[str, str]] = {
    "fact": {"color": OKABE_ITO["blue"], "hatch": ""},
    "attributed": {"color": OKABE_ITO["bluish green"], "hatch": "//"},
    "opinion": {"color": OKABE_ITO["vermillion"], "hatch": ".."},
    "structure": {"color": OKABE_ITO["grey"], "hatch": "xx"},
}


def kind_bars(annotations: dict[str, Annotation], *, ax: Axes | None = None) -> Chart:
    """Bars of how many sentences each annotation gives each kind, side by side
    (for example ``{"you": mine, "key": key}``); counts are written on the bars."""
    if not annotations:
        raise FramelabError("kind_bars needs at least one annotation to draw")
    if ax is None:
        from matplotlib.figure import Figure

        figure = Figure(figsize=(2.5 + 1.4 * len(annotations), 3.4), layout="constrained")
        ax = figure.add_subplot()
    else:
        figure = ax.figure
    width = 0.8 / len(KIND_STYLE)
    for k, (kind, style) in enumerate(KIND_STYLE.items()):
        counts = [sum(1 for v in a.kinds.values() if v == kind) for a in annotations.values()]
        xs = [i + (k - 1.5) * width for i in range(len(annotations))]
        bars = ax.bar(
            xs,
            counts,
            width,
            label=kind,
            color=style["color"],
            hatch=style["hatch"],
            edgecolor="black",
        )
        ax.bar_label(bars, padding=1, fontsize=8)
    ax.set_xticks(range(len(annotations)), list(annotations))
    ax.set_ylabel("sentences")
    ax.set_title("How many sentences of each kind?")
    ax.legend(frameon=False, fontsize=8)
    counts = "; ".join(
        f"{kind}: "
        + ", ".join(
            f"{name} {sum(1 for v in a.kinds.values() if v == kind)}"
            for name, a in annotations.items()
        )
        for kind in KIND_STYLE
    )
    return Chart(figure, f"Bar chart of sentences of each kind. {counts}.")


def fact_matrix(
    sheet: FactSheet,
    versions: Sequence[str] | None = None,
    *,
    titles: dict[str, str] | None = None,
    ax: Axes | None = None,
) -> Chart:
    """Draw which version states, distorts or leaves out each fact.

    Rows are facts (id and the start of the statement), columns are versions
    (``titles`` may give them short names); a false-as-stated fact is marked so.
    """
    versions = list(versions if versions is not None else sheet.versions)
    unknown = [v for v in versions if v not in sheet.versions]
    if unknown:
        raise FramelabError(
            f"no alignment for {', '.join(unknown)}; versions here: {', '.join(sheet.versions)}"
        )
    titles = titles or {}
    if ax is None:
        from matplotlib.figure import Figure

        # Room for the fact labels on the left and the legend on the right.
        figure = Figure(
            figsize=(5 + 0.9 * len(versions), 1.2 + 0.3 * len(sheet.facts)), layout="constrained"
        )
        ax = figure.add_subplot()
    else:
        figure = ax.figure
    for column, version in enumerate(versions):
        uses = sheet.versions[version]
        for use in USES:
            rows = [row for row, fact in enumerate(sheet.facts) if uses[fact.id].use == use]
            style = USE_STYLE[use]
            ax.scatter(
                [column] * len(rows),
                rows,
                marker=style["marker"],
                color=style["color"],
                s=90,
                label=style["label"] if column == 0 else None,
                linewidths=2 if use == "omits" else 1,
            )
    ax.set_xticks(
        range(len(versions)), [titles.get(v, v) for v in versions], rotation=30, ha="right"
    )
    ax.set_yticks(range(len(sheet.facts)), [_fact_label(fact) for fact in sheet.facts])
    ax.set_ylim(len(sheet.facts) - 0.5, -0.5)
    ax.set_xlim(-0.5, len(versions) - 0.5)
    ax.grid(True, color=OKABE_ITO["grey"], alpha=0.25)
    ax.set_title("Which facts does each version keep, bend or drop?")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    summary = "; ".join(
        f"{titles.get(v, v)} states {c['states']}, distorts {c['distorts']}, omits {c['omits']}"
        for v in versions
        for c in [sheet.counts(v)]
    )
    return Chart(figure, f"Chart of {len(sheet.facts)} facts by version. {summary}.")


def _fact_label(fact: Fact) -> str:
    flag = " [false]" if fact.status == "false as stated" else ""
    return f"{fact.id} {fact.label}{flag}"
