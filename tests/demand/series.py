"""Generated series for the detector tests (seeded, so every run sees the same)."""

from __future__ import annotations

from datetime import date

import numpy as np


def months(n: int, start: tuple[int, int] = (2023, 1)) -> list[date]:
    year, month = start
    out = []
    for _ in range(n):
        out.append(date(year, month, 1))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return out


def as_series(values: np.ndarray | list[float], dates: list[date] | None = None):
    values = list(np.asarray(values, dtype=float))
    dates = dates or months(len(values))
    return list(zip(dates, values, strict=True))


def noise(
    rng: np.random.Generator,
    rows: int,
    n: int = 36,
    level: float = 100.0,
    sd: float = 5.0,
) -> np.ndarray:
    return level + sd * rng.standard_normal((rows, n))
