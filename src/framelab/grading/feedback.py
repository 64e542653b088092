"""Points and feedback: one function turns a score into nbgrader points, another into
the lines that explain it.

>>> from framelab.grading.scoring import score
>>> from framelab.texts.model import Annotation, Label
>>> key = Annotation("demo", (Label("s01", "fact", why="It can be checked."),))
>>> points(score(key, key, "Rain fell.").overall, 3)
3.0
"""

from __future__ import annotations

import math

from framelab.grading.scoring import Score
from framelab.texts.model import FramelabError

__all__ = ["FEEDBACK_PARTS", "feedback_lines", "points"]

# What feedback can be about: one graded part ("kinds", "devices") or "all" of them.
FEEDBACK_PARTS = ("kinds", "devices", "all")


def points(fraction: float, max_points: float) -> float:
    """nbgrader points: ``fraction`` clamped to [0, 1] times ``max_points``,
    rounded to 2 decimals, as a plain float never above ``max_points``.

    >>> points(0.6666, 3), points(1.7, 2)
    (2.0, 2.0)
    """
    try:
        fraction, max_points = float(fraction), float(max_points)
    except (TypeError, ValueError):
        raise FramelabError("points needs numbers for fraction and max_points") from None
    if math.isnan(fraction):
        raise FramelabError("the score fraction is NaN; cannot turn it into points")
    if not (math.isfinite(max_points) and max_points > 0):
        raise FramelabError(f"max_points must be a positive number, not {max_points}")
    fraction = min(1.0, max(0.0, fraction))
    return float(min(round(fraction * max_points, 2), max_points))


def feedback_lines(
    score: Score, *, part: str = "all", reveal: bool = True, among: str = ""
) -> list[str]:
    """The lines a grading cell prints for ``part`` ("kinds", "devices" or "all").
        With ``reveal=False`` only counts, nothing that would give the key away.
        ``among`` says where the key's phrases were counted when it is not the whole
        text (" in them", after the tagger's line on the sentences a student tried).

        >>> from framelab.grading.scoring import score
    >>> from framelab.texts.model import Annotation, Label
        >>> key = Annotation("demo", (Label("s01", "opinion", why="A judgement."),))
        >>> for line in feedback_lines(score(Annotation("demo"), key, "Sad."), part="kinds"):
        ...     print(line)
        Sentence kinds: 0 of 1 right (0%)
        s01: you did not tag this sentence; the key says opinion. A judgement.
    """
    if part not in FEEDBACK_PARTS:
        raise FramelabError(f"part must be one of {', '.join(FEEDBACK_PARTS)}, not {part!r}")
    lines: list[str] = []
    if part in ("kinds", "all"):
        lines.append(
            f"Sentence kinds: {score.kinds_right} of {score.kinds_total} right ({score.kinds:.0%})"
        )
        items = [i for i in score.items if i.part == "kinds" and i.status != "right"]
        unscored = sum(i.status == "extra" for i in items)
        if reveal:
            lines += [item.message for item in items]
        elif unscored:
            lines.append(f"{unscored} of your tagged sentences are not in this text (not scored)")
    if part in ("devices", "all"):
        lines += _device_counts(score, among)
        if reveal:
            lines += [i.message for i in score.items if i.part == "devices"]
    return lines


def _device_counts(score: Score, among: str = "") -> list[str]:
    """Plain counts of the device marks: what was found, what had the right words but
    another device, what the key does not mark; then the same device by device. No
    F1 and no jargon: students read these lines."""
    spans = score.spans
    extra = sum(i.part == "devices" and i.status == "extra" for i in score.items)
    other = score.other_device
    marks = f"{spans.total_marked} mark" + ("" if spans.total_marked == 1 else "s")
    head = (
        f"Devices: you found {spans.found} of the {spans.total_key} phrases the key marks{among}."
    )
    if spans.total_marked:
        head += (
            f" Of your {marks}, {other} {'has' if other == 1 else 'have'} the key's words but "
            f"another device, and {extra} {'is' if extra == 1 else 'are'} on words the key "
            "leaves unmarked."
        )
    else:
        head += " You marked no phrases."
    lines = [head]
    for device, s in score.devices.items():
        if s.total_key or s.total_marked:
            found = f"found {s.found} of {s.total_key}"
            lines.append(f"  {device}: {found}; you marked {s.total_marked}")
    return lines
