"""The class's gain from the starting-point check to the finishing-point check: the paired
interval and effect size, worked by hand and recovered from simulated classes whose true gain
is known."""

from __future__ import annotations

import random
import statistics

import pytest

from framelab.instructor.gain import paired_gain, t_quantile
from framelab.texts.model import FramelabError

# Student's t quantiles from a printed table (two-sided 95 % and 99 %)
TABLE = [(0.975, 1, 12.706), (0.975, 4, 2.776), (0.975, 29, 2.045), (0.995, 5, 4.032)]


@pytest.mark.parametrize(("p", "df", "value"), TABLE)
def test_t_quantiles_are_the_tables(p, df, value):
    assert t_quantile(p, df) == pytest.approx(value, abs=5e-4)
    assert t_quantile(1 - p, df) == pytest.approx(-value, abs=5e-4)


def test_a_small_class_worked_by_hand():
    # changes 1, 2, 0, 2: mean 1.25, sd sqrt(2.75 / 3), t(0.975, 3) = 3.182
    gain = paired_gain([1, 2, 3, 4], [2, 4, 3, 6])
    sd = (2.75 / 3) ** 0.5
    assert (gain.students, gain.mean_start, gain.mean_end) == (4, 2.5, 3.75)
    assert gain.low == pytest.approx(1.25 - 3.182 * sd / 2, abs=1e-3)
    assert gain.high == pytest.approx(1.25 + 3.182 * sd / 2, abs=1e-3)
    assert gain.effect == pytest.approx(1.25 / sd)
    assert any("includes no change" in line for line in gain.caveats())  # -0.27 to 2.77
    assert any("With 4 students" in line for line in gain.caveats())


def test_the_interval_covers_the_true_gain_about_as_often_as_it_says():
    """500 simulated classes of 25, true gain 0.15 on a 0-1 score: a 95 % interval should
    cover it in about 95 % of classes (binomial spread: 93 % to 97 %), and the mean of the
    estimates sits on the true gain."""
    rng = random.Random(16)
    true_gain, covered, estimates = 0.15, 0, []
    for _ in range(500):
        skill = [rng.gauss(0.5, 0.15) for _ in range(25)]
        start = [s + rng.gauss(0, 0.1) for s in skill]
        end = [s + true_gain + rng.gauss(0, 0.1) for s in skill]
        gain = paired_gain(start, end)
        covered += gain.low <= true_gain <= gain.high
        estimates.append(gain.mean_change)
    assert 0.93 <= covered / 500 <= 0.97
    assert statistics.fmean(estimates) == pytest.approx(true_gain, abs=0.005)


def test_a_class_that_did_not_change_is_not_shown_to_improve():
    rng = random.Random(3)
    start = [rng.random() for _ in range(40)]
    end = [s + rng.gauss(0, 0.05) for s in start]
    gain = paired_gain(start, end)
    assert gain.low < 0 < gain.high
    assert abs(gain.effect) < 0.5


def test_equal_changes_give_no_effect_size_instead_of_dividing_by_zero():
    gain = paired_gain([1, 2, 3], [2, 3, 4])
    assert (gain.mean_change, gain.low, gain.high, gain.effect) == (1, 1, 1, None)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ([1, 2], [1], "got 2 at the start and 1 at the end"),
        ([1], [2], "at least 2 students; 1 did both"),
        ([], [], "at least 2 students; 0 did both"),
    ],
)
def test_too_little_to_work_with_is_one_clear_line(start, end, message):
    with pytest.raises(FramelabError, match=message):
        paired_gain(start, end)
