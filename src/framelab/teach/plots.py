"""Charts. Each function draws on a new (or given) matplotlib Axes and returns the
Figure; nothing here changes matplotlib's global settings.

Colours come from the Okabe-Ito palette, which stays distinct for the common
forms of colour blindness, and every colour is paired with a marker shape or a
text label, so no chart relies on colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from framelab.texts.facts import USES, Fact, FactSheet
from framelab.texts.model import Annotation, FramelabError

if TYPE_CHECKING:
    from framelab.texts.style import Style

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
    "device_bars",
    "device_recall_bars",
    "fact_matrix",
    "kind_bars",
    "places_map",
    "score_histogram",
    "start_end_chart",
    "style_chart",
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


# One look for each annotation in a device chart: a colour and a hatch, so the bars
# differ in grey print too; the legend names them.
_SERIES = [
    {"color": OKABE_ITO["orange"], "hatch": ""},
    {"color": OKABE_ITO["blue"], "hatch": "//"},
    {"color": OKABE_ITO["bluish green"], "hatch": ".."},
    {"color": OKABE_ITO["reddish purple"], "hatch": "xx"},
]


def device_bars(
    annotations: dict[str, Annotation],
    devices: Sequence[str] | None = None,
    *,
    title: str = "How many phrases of each device?",
    ax: Axes | None = None,
) -> Chart:
    """Bars of how many spans each annotation marks with each device, side by side
    (for example ``{"central article": key, "state-media version": other}``);
    counts are written beside the bars. ``devices`` picks and orders the devices
    (default: all six)."""
    from framelab.texts.taxonomy import DEVICES

    if not annotations:
        raise FramelabError("device_bars needs at least one annotation to draw")
    if len(annotations) > len(_SERIES):
        raise FramelabError(f"device_bars draws at most {len(_SERIES)} annotations side by side")
    devices = list(devices or DEVICES)
    unknown = [d for d in devices if d not in DEVICES]
    if unknown:
        raise FramelabError(f"{unknown[0]!r} is not a device ({', '.join(DEVICES)})")
    counts = {
        name: [sum(1 for s in a.spans if s.device == d) for d in devices]
        for name, a in annotations.items()
    }
    if ax is None:
        from matplotlib.figure import Figure

        figure = Figure(
            figsize=(6.4, 1.0 + 0.32 * len(devices) * len(annotations)), layout="constrained"
        )
        ax = figure.add_subplot()
    else:
        figure = ax.figure
    height = 0.8 / len(annotations)
    for k, (name, values) in enumerate(counts.items()):
        ys = [i + (k - (len(annotations) - 1) / 2) * height for i in range(len(devices))]
        bars = ax.barh(ys, values, height, label=name, edgecolor="black", **_SERIES[k])
        ax.bar_label(bars, padding=2, fontsize=8)
    ax.set_yticks(range(len(devices)), devices)
    ax.invert_yaxis()  # the first device on top
    ax.set_xlabel("phrases marked")
    ax.set_title(title)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    said = "; ".join(
        f"{device}: " + ", ".join(f"{name} {counts[name][i]}" for name in counts)
        for i, device in enumerate(devices)
    )
    return Chart(figure, f"Bar chart. {title} {said}.")


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


def start_end_chart(pairs: list[tuple[float, float]], max_points: float) -> Chart:
    """Each student's score at the starting point and the finishing point, joined by a
    line (solid where it rose, dashed where it fell), with the class's means in black."""
    figure, ax = _axes(4.5, 4)
    up = down = same = 0
    for start, end in pairs:
        rose = end > start
        up, down, same = up + rose, down + (end < start), same + (end == start)
        ax.plot(
            [0, 1],
            [start, end],
            color=OKABE_ITO["blue"] if rose else OKABE_ITO["vermillion"],
            linestyle="-" if rose else "--",
            alpha=0.5,
            marker="o",
            markersize=3,
        )
    if pairs:
        means = [sum(p[0] for p in pairs) / len(pairs), sum(p[1] for p in pairs) / len(pairs)]
        ax.plot([0, 1], means, color="black", linewidth=3, marker="s", label="class mean")
        ax.legend(frameon=False, loc="lower right")
    ax.set_xlim(-0.2, 1.2)
    ax.set_ylim(0, max_points)
    ax.set_xticks([0, 1], ["starting point", "finishing point"])
    ax.set_ylabel(f"points (of {max_points:g})")
    ax.set_title("Each student's two checks")
    if not pairs:
        return Chart(figure, "Chart of each student's two checks: none has done both yet.")
    return Chart(
        figure,
        f"Chart of {len(pairs)} students' scores at the start and the end, one line each: "
        f"{up} rose (solid), {down} fell (dashed), {same} stayed the same; the class mean "
        f"went from {means[0]:.1f} to {means[1]:.1f} of {max_points:g}.",
    )


# Where a place's label sits beside its point: offset in points, and alignment.
_LABEL_OFFSETS = {
    "right": ((7, 0), "left", "center"),
    "left": ((-7, 0), "right", "center"),
    "above": ((0, 7), "center", "bottom"),
    "below": ((0, -7), "center", "top"),
}


def places_map(
    names: Sequence[str] | None = None,
    *,
    highlight: str | None = None,
    bearing: tuple[str, str] | None = None,
    ax: Axes | None = None,
) -> Chart:
    """A schematic map of the places the Aleppo texts name (``datasets/places``), drawn
    from their coordinates alone: points and labels, a north arrow and a scale bar in
    km. No map tiles, no network and no country outline (the kit found none with a
    clear licence).

    ``names`` picks places by id or by the spelling in the texts (all of them if
    omitted); ``highlight`` marks one place; ``bearing=("Aleppo", "al-Safira")`` draws
    an arrow between two places and writes the distance and compass direction on it.
    """
    from framelab.texts.places import bearing_degrees, compass_point, distance_km, load_places

    places = load_places()
    lookup = {p.id: p for p in places.values()} | {p.spelling: p for p in places.values()}

    def find(name: str) -> Any:
        if name not in lookup:
            known = ", ".join(p.spelling for p in places.values())
            raise FramelabError(f"no place called {name!r} on the map; places: {known}")
        return lookup[name]

    if isinstance(names, str):
        names = [names]
    if bearing is not None and (isinstance(bearing, str) or len(bearing) != 2):
        raise FramelabError(
            f"bearing must be two places, such as ('Aleppo', 'al-Safira'), not {bearing!r}"
        )
    shown = [find(n) for n in names] if names is not None else list(places.values())
    shown = list(dict.fromkeys(shown))  # each place once, in the order asked
    marked = find(highlight) if highlight is not None else None
    pair = (find(bearing[0]), find(bearing[1])) if bearing is not None else None
    for extra in ([marked] if marked else []) + list(pair or []):
        if extra not in shown:
            shown.append(extra)
    if not shown:
        raise FramelabError("places_map needs at least one place to draw")

    # An equirectangular projection around the places' middle latitude, in km: at
    # this scale (a few hundred km) distances and directions stay close to true.
    mid_lat = sum(p.latitude for p in shown) / len(shown)
    mid_lon = sum(p.longitude for p in shown) / len(shown)
    x_km = 111.32 * math.cos(math.radians(mid_lat))

    def xy(place: Any) -> tuple[float, float]:
        return (place.longitude - mid_lon) * x_km, (place.latitude - mid_lat) * 110.57

    points = [xy(p) for p in shown]
    span = max(
        max(x for x, _ in points) - min(x for x, _ in points),
        max(y for _, y in points) - min(y for _, y in points),
        20.0,
    )
    if ax is None:
        from matplotlib.figure import Figure

        figure = Figure(figsize=(6.4, 5.6), layout="constrained")
        ax = figure.add_subplot()
    else:
        figure = ax.figure
    for place, (x, y) in zip(shown, points, strict=True):
        is_marked = place is marked or (pair is not None and place in pair)
        ax.scatter(
            [x],
            [y],
            marker="*" if is_marked else "o",
            s=220 if is_marked else 45,
            color=OKABE_ITO["vermillion"] if is_marked else OKABE_ITO["blue"],
            edgecolors="black",
            linewidths=0.8,
            zorder=3,
        )
        offset, ha, va = _LABEL_OFFSETS[place.label]
        ax.annotate(
            place.name,
            (x, y),
            xytext=offset,
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=9,
            fontweight="bold" if is_marked else "normal",
            gid=f"place-{place.id}",
        )
    words = ""
    if pair is not None:
        start, end = pair
        degrees = bearing_degrees(start, end)
        km = distance_km(start, end)
        words = f"{end.spelling} is {km:.0f} km {compass_point(degrees)} of {start.spelling}"
        ax.annotate(
            "",
            xy(end),
            xytext=xy(start),
            arrowprops={
                "arrowstyle": "-|>",
                "color": OKABE_ITO["vermillion"],
                "linestyle": "--",
                "linewidth": 1.8,
            },
            zorder=2,
        )
        ax.set_title(f"{words} (bearing {degrees:.0f}°)", fontsize=10)
    else:
        ax.set_title("Places the Aleppo texts name", fontsize=10)

    # Room around the points for labels (more across, where labels run), then the
    # north arrow and the scale bar.
    xs, ys = [x for x, _ in points], [y for _, y in points]
    half_w = max(max(xs) - min(xs), 0.6 * span) / 2 + 0.3 * span
    half_h = max(max(ys) - min(ys), 0.6 * span) / 2 + 0.15 * span
    mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    left, right = mid_x - half_w, mid_x + half_w
    bottom, top = mid_y - half_h, mid_y + half_h
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.annotate(
        "N",
        xy=(0.95, 0.95),
        xytext=(0.95, 0.83),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=11,
        fontweight="bold",
        arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.5},
    )
    bar = _scale_length(span)
    x0, y0 = left + 0.05 * (right - left), bottom + 0.06 * (top - bottom)
    ax.plot([x0, x0 + bar], [y0, y0], color="black", linewidth=3, solid_capstyle="butt")
    ax.text(x0 + bar / 2, y0 + 0.02 * (top - bottom), f"{bar:g} km", ha="center", va="bottom")
    ax.set_xlabel(
        "Schematic: points from sourced coordinates (datasets/places); no borders drawn",
        fontsize=7,
        color="#555555",
    )
    listed = ", ".join(p.spelling for p in shown)
    text = f"Schematic map of {len(shown)} places named in the Aleppo texts: {listed}."
    if marked is not None:
        text += f" Highlighted: {marked.spelling}."
    if words:
        text += f" {words}."
    return Chart(figure, text)


def _scale_length(span_km: float) -> float:
    """A round scale-bar length, about a fifth of the map's width."""
    target = span_km / 5
    for length in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500):
        if length >= target:
            return float(length)
    return 1000.0


_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]


def style_chart(
    styles: dict[str, Style | str],
    *,
    title: str = "Reading ease and framing, text by text",
    ax: Axes | None = None,
) -> Chart:
    """One point for each text (``{"wire report": "aleppo-wire", ...}``: a text's id,
    measured with its key, or a Style): across, Flesch reading ease (easier to the
    right); up, framing devices per 100 words. Each point has its own marker and its
    name beside it."""
    from framelab.texts.style import measured

    styles = {name: measured(style) for name, style in styles.items()}
    if not styles:
        raise FramelabError("style_chart needs at least one text to draw")
    if len(styles) > len(_MARKERS):
        raise FramelabError(f"style_chart draws at most {len(_MARKERS)} texts")
    missing = [name for name, style in styles.items() if style.density is None]
    if missing:
        raise FramelabError(
            f"{missing[0]}: no device density (measure the text with its key to draw it)"
        )
    if ax is None:
        from matplotlib.figure import Figure

        figure = Figure(figsize=(6.4, 4.2), layout="constrained")
        ax = figure.add_subplot()
    else:
        figure = ax.figure
    colours = list(OKABE_ITO.values())
    for k, (name, style) in enumerate(styles.items()):
        ax.scatter(
            [style.reading_ease],
            [style.density],
            s=70,
            marker=_MARKERS[k],
            color=colours[k],
            edgecolor="black",
            label=name,
            zorder=3,
        )
        ax.annotate(
            name,
            (style.reading_ease, style.density),
            xytext=(7, 4),
            textcoords="offset points",
            fontsize=8,
        )
    ax.set_xlabel("Flesch reading ease (higher is easier to read)")
    ax.set_ylabel("framing devices per 100 words")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.margins(x=0.25, y=0.2)
    top = ax.get_ylim()[1]
    ax.set_ylim(bottom=-0.05 * top)  # a text with no devices sits just above the axis line,
    # whole, and the axis still starts at no devices: no tick below 0
    ax.set_yticks([tick for tick in ax.get_yticks() if 0 <= tick <= top])
    said = "; ".join(
        f"{name}: reading ease {style.reading_ease}, {style.density} devices per 100 words"
        for name, style in styles.items()
    )
    return Chart(figure, f"Scatter chart. {title}. {said}.")
