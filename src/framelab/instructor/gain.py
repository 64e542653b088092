"""A class's gain from the starting-point check to the finishing-point check.

Each student who did both checks gives a pair of scores. The class's gain is the mean of
their changes, with a confidence interval for paired scores (Student's t on the changes)
and an effect size (the mean change over the spread of the changes, Cohen's d for paired
scores). No control group is behind it, so it says how much the class changed, not how much
of that the kit caused: :meth:`Gain.caveats` says so in plain words.

>>> gain = paired_gain([1, 2, 3, 4], [2, 4, 3, 6])
>>> gain.students, gain.mean_change, round(gain.low, 2), round(gain.high, 2)
(4, 1.25, -0.27, 2.77)
>>> round(gain.effect, 2)
1.31
>>> round(t_quantile(0.975, 9), 3)
2.262
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from framelab.texts.model import FramelabError

__all__ = ["Gain", "paired_gain", "t_quantile"]


@dataclass(frozen=True)
class Gain:
    """The change from start to end of the students who did both checks."""

    students: int
    mean_start: float
    mean_end: float
    mean_change: float
    low: float  # the confidence interval of the mean change
    high: float
    confidence: float
    effect: (
        float | None
    )  # mean change / standard deviation of the changes; None if they are all equal

    def caveats(self) -> list[str]:
        """What the figures cannot show, in plain words, for the report."""
        lines = [
            "There is no control group: the change is the class's, and part of it would have "
            "come without the lessons (growing up, other classes, the news itself).",
            "Students had met the task once before, so some of the change is practice with "
            "the tagger and the kinds, not better reading.",
        ]
        if self.students < 20:
            lines.append(
                f"With {self.students} students the interval is wide: a class this small can "
                "move a good deal by chance."
            )
        else:
            lines.append(
                f"Even with {self.students} students, chance moves a class's mean a little: "
                "the interval shows how far, and any change inside it fits the scores as "
                "well as the mean does."
            )
        if self.low <= 0 <= self.high:
            lines.append(
                "The interval includes no change at all, so these figures do not show that "
                "the class improved."
            )
        return lines


def paired_gain(start: Sequence[float], end: Sequence[float], confidence: float = 0.95) -> Gain:
    """The gain of the students whose scores at the ``start`` and ``end`` are given, in
    the same order (one student a position)."""
    if len(start) != len(end):
        raise FramelabError(
            f"a gain needs each student's two scores: got {len(start)} at the start and "
            f"{len(end)} at the end"
        )
    if len(start) < 2:
        raise FramelabError(
            f"a gain needs both checks from at least 2 students; {len(start)} did both so far"
        )
    if not 0 < confidence < 1:
        raise FramelabError(f"a confidence level is between 0 and 1, not {confidence}")
    changes = [after - before for before, after in zip(start, end, strict=True)]
    n = len(changes)
    mean = statistics.fmean(changes)
    spread = statistics.stdev(changes)
    half = t_quantile((1 + confidence) / 2, n - 1) * spread / math.sqrt(n)
    return Gain(
        students=n,
        mean_start=statistics.fmean(start),
        mean_end=statistics.fmean(end),
        mean_change=mean,
        low=mean - half,
        high=mean + half,
        confidence=confidence,
        effect=mean / spread if spread > 0 else None,
    )


def t_quantile(p: float, df: int) -> float:
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom (0 < p < 1)."""
    if not 0 < p < 1 or df < 1:
        raise ValueError(f"t_quantile needs 0 < p < 1 and df >= 1, not p={p}, df={df}")
    if p < 0.5:
        return -t_quantile(1 - p, df)
    low, high = 0.0, 1.0
    while _t_cdf(high, df) < p:  # the quantile is below high
        low, high = high, high * 2
    for _ in range(200):  # bisection: 200 halvings are far below float precision
        middle = (low + high) / 2
        if _t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _t_cdf(t: float, df: int) -> float:
    """P(T <= t) for t >= 0, from the regularized incomplete beta function."""
    x = df / (df + t * t)
    return 1 - 0.5 * _betainc(df / 2, 0.5, x)


def _betainc(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b), by its continued fraction
    (Lentz's method), on the side where it converges fast."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    if x > (a + 1) / (a + b + 2):
        return 1 - _betainc(b, a, 1 - x)
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    fraction = d
    for m in range(1, 500):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            fraction *= c * d
        if abs(c * d - 1) < 1e-15:
            break
    return front * fraction / a
