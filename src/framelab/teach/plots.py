"""Charts. Each function draws on a new (or given) matplotlib Axes and returns the
Figure; nothing here changes matplotlib's global settings.

Colours come from the Okabe-Ito palette, which stays distinct for the common
forms of colour blindness, and every colour is paired with a marker shape or a
text label, so no chart relies on colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from framelab.texts.facts import USES, Fact, FactSheet
from framelab.texts.model import Annotation, FramelabError

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not when framelab is
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "KIND_STYLE",
    "OKABE_ITO",
    "USE_STYLE",
    "Chart",
    "agreement_bars",
    "confusion_matrix",
    "device_recall_bars",
    "fact_matrix",
    "kind_bars",
    "score_histogram",
]

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
    (``titles`` may give them short names); a false-as-stated or partly confirmed
    fact is marked so.
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
    flag = {"false as stated": " [false]", "partly confirmed": " [partly]"}.get(fact.status, "")
    return f"{fact.id} {fact.label}{flag}"


def _axes(width: float, height: float) -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    return figure, figure.add_subplot()


def score_histogram(points: list[float], max_points: float | None = None) -> Chart:
    """How many students earned how many points."""
    figure, ax = _axes(6, 3)
    top = max_points or (max(points) if points else 1)
    bins = [i * top / 10 for i in range(11)]
    ax.hist(points, bins=bins, color=OKABE_ITO["blue"], edgecolor="black", hatch="//")
    ax.set_xlabel(f"points (of {top:g})")
    ax.set_ylabel("students")
    ax.set_title("Score distribution")
    if points:
        ordered = sorted(points)
        median = ordered[len(ordered) // 2]
        ax.axvline(median, color="black", linestyle="--", label=f"median {median:g}")
        ax.legend(frameon=False)
        text = (
            f"Histogram of {len(points)} students' points out of {top:g}: "
            f"lowest {ordered[0]:g}, median {median:g}, highest {ordered[-1]:g}."
        )
    else:
        text = "Histogram of scores: no graded submissions yet."
    return Chart(figure, text)


def agreement_bars(agreement: dict[str, float]) -> Chart:
    """For each sentence, the share of the class whose kind the key accepts."""
    figure, ax = _axes(max(6, 0.32 * len(agreement) + 1.5), 3)
    ids = list(agreement)
    shares = [agreement[i] for i in ids]
    colours = [OKABE_ITO["vermillion"] if v < 0.5 else OKABE_ITO["bluish green"] for v in shares]
    hatches = ["xx" if v < 0.5 else "" for v in shares]
    bars = ax.bar(ids, shares, color=colours, edgecolor="black")
    for bar, hatch in zip(bars, hatches, strict=True):
        bar.set_hatch(hatch)
    ax.set_ylim(0, 1)
    ax.set_ylabel("share agreeing with the key")
    ax.set_title("Agreement with the key per sentence (hatched: under half)")
    ax.tick_params(axis="x", rotation=90, labelsize=8)
    low = [i for i in ids if agreement[i] < 0.5]
    return Chart(
        figure,
        "Bar chart of agreement with the key per sentence. Under half agreed on: "
        + (", ".join(low) if low else "none")
        + ".",
    )


def confusion_matrix(confusion: dict[str, Any]) -> Chart:
    """Key kinds (rows) against the kinds the class gave (columns), as counts."""
    figure, ax = _axes(6, 4)
    rows = [k for k in confusion]
    columns = [*rows, "untagged"]
    values = [[confusion[r].get(c, 0) for c in columns] for r in rows]
    ax.imshow(values, cmap="Blues")
    top = max((v for row in values for v in row), default=0)
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            ax.text(
                j,
                i,
                str(value),
                ha="center",
                va="center",
                color="white" if value > top / 2 else "black",
                fontsize=9,
            )
    ax.set_xticks(range(len(columns)), columns, rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    ax.set_xlabel("the class said")
    ax.set_ylabel("the key says")
    ax.set_title("Sentence kinds: key against class")
    worst = max(
        ((r, c, confusion[r].get(c, 0)) for r in rows for c in columns if c != r),
        key=lambda t: t[2],
        default=None,
    )
    summary = (
        f" The most common confusion: {worst[2]} answers of {worst[1]} where the key says "
        f"{worst[0]}."
        if worst and worst[2]
        else ""
    )
    return Chart(figure, "Confusion matrix of sentence kinds, key against class." + summary)


def device_recall_bars(recall: dict[str, float]) -> Chart:
    """The average share of the key's spans of each device that students found."""
    figure, ax = _axes(6, 3)
    devices = sorted(recall, key=lambda d: recall[d])
    values = [recall[d] for d in devices]
    bars = ax.barh(devices, values, color=OKABE_ITO["orange"], edgecolor="black")
    ax.bar_label(bars, labels=[f"{v:.0%}" for v in values], padding=2, fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the key's spans found (average over students)")
    ax.set_title("Which devices did the class miss?")
    text = "; ".join(f"{d} {v:.0%}" for d, v in zip(devices, values, strict=True))
    return Chart(figure, f"Bar chart of devices found, least found first: {text or 'none'}.")
