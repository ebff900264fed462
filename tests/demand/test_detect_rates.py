"""Measured error rates of the detector, seeded and deterministic: the bounds the
README and the module docstring state.

Gaussian noise with a 5 % coefficient of variation, 36 monthly periods."""

from __future__ import annotations

import numpy as np

from projects.demand.detect import UP, detect_many
from tests.demand.series import as_series, months, noise

N = 36
DATES = months(N)


def _rates(values: np.ndarray, start: int) -> tuple[float, float]:
    found = detect_many([as_series(row, DATES) for row in values])
    hits = [next((s for s in shifts if s.direction == UP), None) for shifts in found]
    detected = sum(h is not None for h in hits) / len(hits)
    dated = sum(
        h is not None and abs((h.since - DATES[start]).days) <= 31 for h in hits
    ) / len(hits)
    return detected, dated


def test_false_alarm_rate_on_pure_noise_is_under_one_percent() -> None:
    rng = np.random.default_rng(20261125)
    found = detect_many([as_series(row, DATES) for row in noise(rng, 10_000, N)])
    rate = sum(bool(shifts) for shifts in found) / len(found)
    assert rate < 0.01, rate


def test_false_alarm_rate_on_seasonal_noise_is_under_one_percent() -> None:
    rng = np.random.default_rng(20261126)
    season = 20 * np.sin(2 * np.pi * np.arange(N) / 12)
    found = detect_many(
        [as_series(row + season, DATES) for row in noise(rng, 10_000, N)]
    )
    rate = sum(bool(shifts) for shifts in found) / len(found)
    assert rate < 0.01, rate


def test_a_four_sigma_step_six_periods_old_is_found_and_dated() -> None:
    rng = np.random.default_rng(11)
    values = noise(rng, 2_000, N)
    values[:, N - 6 :] += 20  # 4 noise standard deviations, +20 %
    detected, dated = _rates(values, N - 6)
    assert detected >= 0.92, detected
    assert dated >= 0.85, dated


def test_a_three_sigma_step_nine_periods_old_is_found_and_dated() -> None:
    rng = np.random.default_rng(12)
    values = noise(rng, 2_000, N)
    values[:, N - 9 :] += 15
    detected, dated = _rates(values, N - 9)
    assert detected >= 0.85, detected
    assert dated >= 0.80, dated
