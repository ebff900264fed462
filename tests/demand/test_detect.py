"""The shift detector on generated series: steps found with their direction and
start, noise and single outliers ignored, trends, seasons, degenerate input."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest

from projects.demand.detect import (
    DOWN,
    LEVEL_SHIFT,
    TREND,
    UP,
    YEAR_OVER_YEAR,
    detect_many,
    detect_shifts,
)
from tests.demand.series import as_series, months, noise


def _step(rng: np.random.Generator, *, n: int = 36, k: int = 6, jump: float = 20.0):
    values = noise(rng, 1, n)[0]
    values[n - k :] += jump
    return values


def test_step_up_is_found_with_direction_start_and_size() -> None:
    rng = np.random.default_rng(1)
    values = _step(rng, k=6, jump=20)
    dates = months(36)
    shifts = detect_shifts(as_series(values, dates))
    assert len(shifts) == 1
    shift = shifts[0]
    assert shift.direction == UP and shift.method == LEVEL_SHIFT
    assert abs((shift.since - dates[30]).days) <= 31
    assert shift.last_period == dates[-1]
    assert 0.12 < shift.size < 0.28
    assert 0.99 <= shift.confidence <= 1.0
    assert shift.recent_mean > shift.baseline_mean
    assert not shift.improvement  # higher is not better by default


def test_step_down_of_a_measure_where_higher_is_better_is_a_worsening() -> None:
    rng = np.random.default_rng(2)
    values = _step(rng, k=8, jump=-25)
    (shift,) = detect_shifts(as_series(values), higher_is_better=True)
    assert shift.direction == DOWN and shift.size < -0.15
    assert shift.improvement is False
    (same,) = detect_shifts(as_series(values), higher_is_better=False)
    assert same.improvement is True


@pytest.mark.parametrize("seed", range(20))
def test_pure_noise_raises_nothing(seed: int) -> None:
    rng = np.random.default_rng(1000 + seed)
    assert detect_shifts(as_series(noise(rng, 1)[0])) == []


@pytest.mark.parametrize("position", [-1, -2, -3])
def test_one_noisy_point_never_fires(position: int) -> None:
    rng = np.random.default_rng(3)
    values = noise(rng, 1, sd=2.0)[0]
    values[position] += 80  # a huge outlier: +40 noise standard deviations
    assert [
        s for s in detect_shifts(as_series(values)) if s.method == LEVEL_SHIFT
    ] == []


def test_two_recent_outliers_are_not_a_shift_either() -> None:
    rng = np.random.default_rng(4)
    values = noise(rng, 1, sd=2.0)[0]
    values[-1] += 30
    values[-3] += 30
    assert detect_shifts(as_series(values)) == []


def test_a_steady_trend_over_the_last_year_is_found() -> None:
    rng = np.random.default_rng(5)
    values = 100 + 1.0 * rng.standard_normal(36)
    values[24:] += np.arange(12) * 1.5  # +18 % over the last year
    shifts = detect_shifts(as_series(values))
    assert shifts and shifts[0].direction == UP
    assert shifts[0].method in (TREND, LEVEL_SHIFT)


def test_mann_kendall_alone_dates_the_trend_to_the_start_of_its_window() -> None:
    values = [100.0] * 24 + [
        100 + 1.5 * i + (0.4 if i % 2 else -0.4) for i in range(12)
    ]
    shifts = detect_many(
        [as_series(values)],
    )[0]
    trend = [s for s in shifts if s.method == TREND]
    level = [s for s in shifts if s.method == LEVEL_SHIFT]
    assert trend or level
    if trend:
        assert trend[0].since == months(36)[24] and trend[0].periods == 12


def test_short_series_are_not_judged() -> None:
    assert detect_shifts(as_series([10, 10, 10, 10, 10, 50, 50, 50])) == []
    assert detect_shifts([]) == []


def test_constant_series_has_no_shift() -> None:
    assert detect_shifts(as_series([42.0] * 36)) == []


def test_a_clean_step_without_noise_is_exact() -> None:
    dates = months(24)
    (shift,) = detect_shifts(as_series([50.0] * 20 + [60.0] * 4, dates))
    assert shift.direction == UP and shift.since == dates[20]
    assert shift.size == pytest.approx(0.2)
    assert shift.confidence == 1.0


def test_zero_baseline_has_no_relative_change() -> None:
    assert detect_shifts(as_series([0.0] * 20 + [5.0] * 4)) == []


def test_nan_and_infinity_are_dropped_and_order_does_not_matter() -> None:
    rng = np.random.default_rng(6)
    values = _step(rng, k=6, jump=20)
    series = as_series(values)
    messy = list(reversed(series)) + [
        (date(2020, 1, 1), math.nan),
        (date(2020, 2, 1), math.inf),
    ]
    assert detect_shifts(messy) == detect_shifts(series)


def _seasonal(rng: np.random.Generator, n: int = 36) -> np.ndarray:
    return 100 + 25 * np.sin(2 * np.pi * np.arange(n) / 12) + 2 * rng.standard_normal(n)


def test_a_yearly_cycle_alone_is_not_a_shift() -> None:
    for seed in range(10):
        rng = np.random.default_rng(200 + seed)
        assert detect_shifts(as_series(_seasonal(rng))) == []
        assert detect_shifts(as_series(_seasonal(rng, 24))) == []


def test_a_step_in_a_seasonal_series_is_found_against_last_year() -> None:
    rng = np.random.default_rng(7)
    values = _seasonal(rng)
    values[-6:] -= 18
    shifts = detect_shifts(as_series(values))
    assert shifts and shifts[0].direction == DOWN and shifts[0].seasonal
    assert shifts[0].method in (LEVEL_SHIFT, YEAR_OVER_YEAR)


def test_quarterly_series_are_read_with_their_own_cadence() -> None:
    quarters = [date(2017 + i // 4, 1 + 3 * (i % 4), 1) for i in range(20)]
    values = [80.0 + (i % 3) * 0.5 for i in range(16)] + [100.0, 100.4, 99.6, 100.2]
    (shift,) = detect_shifts(list(zip(quarters, values, strict=True)))
    assert shift.direction == UP and shift.since == quarters[16]


def test_detect_many_equals_detect_shifts_one_by_one() -> None:
    rng = np.random.default_rng(8)
    batch = [as_series(_step(rng, k=k, jump=j)) for k, j in [(4, 20), (9, -20)]]
    batch += [as_series(noise(rng, 1)[0]), as_series(noise(rng, 1, 24)[0])]
    assert detect_many(batch) == [detect_shifts(s) for s in batch]
    flags = [True, False, True, False]
    assert detect_many(batch, higher_is_better=flags)[0][0].improvement is True


def test_detect_many_wants_one_flag_per_series() -> None:
    with pytest.raises(ValueError):
        detect_many([as_series([1.0] * 12)], higher_is_better=[True, False])


def test_details_are_json_ready() -> None:
    import json

    (shift,) = detect_shifts(as_series([50.0] * 20 + [60.0] * 4))
    assert json.loads(json.dumps(shift.as_details()))["method"] == LEVEL_SHIFT
