"""Indicators with generated series, for the signal service, page and API tests."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from projects.models import Indicator, IndicatorKind, Observation
from stakeholders.models import City, District
from tests.demand.series import months

START = (2024, 1)


def series_values(
    *, n: int = 24, seed: int = 0, level: float = 30.0, jump: float = 0.0, k: int = 6
) -> list[float]:
    rng = np.random.default_rng(seed)
    values = level * (1 + 0.02 * rng.standard_normal(n))
    if jump:
        values[n - k :] *= 1 + jump
    return [round(float(v), 3) for v in values]


def make_indicator(
    city: City,
    *,
    district: District | None = None,
    kind: str = IndicatorKind.COMMUTE,
    values: list[float] | None = None,
    unit: str = "min",
    **extra: Any,
) -> Indicator:
    values = values if values is not None else series_values()
    periods = months(len(values), START)
    indicator = Indicator.objects.create(
        city=city,
        district=district,
        kind=kind,
        code=kind,
        name=str(IndicatorKind(kind).label),
        unit=unit,
        observation_count=len(values),
        last_period=periods[-1] if periods else None,
        **extra,
    )
    Observation.objects.bulk_create(
        Observation(indicator=indicator, period=p, value=v)
        for p, v in zip(periods, values, strict=True)
    )
    return indicator


def last_period(n: int = 24) -> date:
    return months(n, START)[-1]
