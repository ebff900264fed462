"""Demo indicators for Riverbend (see ``manage.py seed_demo``): two years of monthly
series for each district and the whole city — commute, energy, water, mode shares,
PM2.5 and NO2 — with seeded noise, a yearly cycle where a city has one, and a few
real shifts:

* commute time up in North after the Northgate bridge closed for repairs;
* energy consumption down in Harbour after the social-housing retrofit programme;
* the bike share up in University after the new protected cycle lanes.

The series are linked to the demo priorities, then the detector runs, so the signal
inbox is alive on first run. Idempotent: an observation that exists is never
rewritten (values are a pure function of district, kind and month), and detection
upserts; running it again changes nothing.
"""

from __future__ import annotations

import math
import zlib
from datetime import date
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from stakeholders.models import City, District

from .models import (
    KIND_UNITS,
    Indicator,
    IndicatorKind,
    Observation,
    Priority,
    Sector,
)
from .services.signals import signals_detect_city

CITY_SLUG = "riverbend"
MONTHS = 24
SOURCE = "Riverbend open data portal (demo)"

# kind: (level, noise as a share of the level, yearly amplitude as a share, month
# of the peak, how districts differ, aggregate: "sum" or "mean", priorities, sectors)
KINDS: dict[str, dict[str, Any]] = {
    IndicatorKind.COMMUTE: {
        "level": 31.0,
        "noise": 0.02,
        "season": 0.0,
        "peak": 1,
        "spread": 0.15,
        "total": "mean",
        "priorities": ["Move people differently"],
        "sectors": ["mobility"],
    },
    IndicatorKind.ENERGY: {
        "level": 6200.0,
        "noise": 0.02,
        "season": 0.22,
        "peak": 1,
        "spread": 0.35,
        "total": "sum",
        "priorities": ["Use much less energy and water", "Cut emissions"],
        "sectors": ["energy", "buildings"],
    },
    IndicatorKind.WATER: {
        "level": 41000.0,
        "noise": 0.025,
        "season": 0.08,
        "peak": 7,
        "spread": 0.3,
        "total": "sum",
        "priorities": ["Use much less energy and water"],
        "sectors": ["water"],
    },
    IndicatorKind.MODE_CAR: {
        "level": 44.0,
        "noise": 0.02,
        "season": 0.0,
        "peak": 1,
        "spread": 0.2,
        "total": "mean",
        "priorities": ["Move people differently"],
        "sectors": ["mobility"],
    },
    IndicatorKind.MODE_PT: {
        "level": 29.0,
        "noise": 0.025,
        "season": 0.0,
        "peak": 1,
        "spread": 0.2,
        "total": "mean",
        "priorities": ["Move people differently"],
        "sectors": ["mobility"],
    },
    IndicatorKind.MODE_BIKE: {
        "level": 9.0,
        "noise": 0.03,
        "season": 0.0,
        "peak": 6,
        "spread": 0.3,
        "total": "mean",
        "priorities": ["Move people differently"],
        "sectors": ["mobility", "health"],
    },
    IndicatorKind.MODE_WALK: {
        "level": 18.0,
        "noise": 0.025,
        "season": 0.0,
        "peak": 6,
        "spread": 0.2,
        "total": "mean",
        "priorities": ["Move people differently"],
        "sectors": ["mobility", "health"],
    },
    IndicatorKind.PM25: {
        "level": 11.0,
        "noise": 0.04,
        "season": 0.0,
        "peak": 1,
        "spread": 0.2,
        "total": "mean",
        "priorities": ["Reduce pollution", "Protect health"],
        "sectors": ["health"],
    },
    IndicatorKind.NO2: {
        "level": 24.0,
        "noise": 0.04,
        "season": 0.0,
        "peak": 1,
        "spread": 0.25,
        "total": "mean",
        "priorities": ["Reduce pollution", "Protect health"],
        "sectors": ["health", "mobility"],
    },
}
HIGHER_IS_BETTER = {
    IndicatorKind.MODE_PT,
    IndicatorKind.MODE_BIKE,
    IndicatorKind.MODE_WALK,
}

# (district, kind): (relative change, months before the end when it starts)
SHIFTS: dict[tuple[str, str], tuple[float, int]] = {
    ("North", IndicatorKind.COMMUTE): (0.18, 6),  # bridge closed for repairs
    ("Harbour", IndicatorKind.ENERGY): (-0.20, 6),  # retrofit programme
    ("University", IndicatorKind.MODE_BIKE): (0.30, 7),  # protected cycle lanes
}


def _months(end: date, count: int) -> list[date]:
    out = []
    year, month = end.year, end.month
    for _ in range(count):
        out.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(out))


def _value(district: str, kind: str, period: date, end: date) -> float:
    spec = KINDS[kind]
    seed = zlib.crc32(f"{district}|{kind}|{period.isoformat()}".encode())
    rng = np.random.default_rng(seed)
    offset = (zlib.crc32(f"{district}|{kind}".encode()) % 1000) / 1000 - 0.5
    level = spec["level"] * (1 + spec["spread"] * offset)
    season = spec["season"] * math.cos(2 * math.pi * (period.month - spec["peak"]) / 12)
    value = level * (1 + season) * (1 + spec["noise"] * rng.standard_normal())
    shift = SHIFTS.get((district, kind))
    if shift is not None:
        change, months_ago = shift
        age = (end.year - period.year) * 12 + end.month - period.month
        if age < months_ago:
            value *= 1 + change
    return round(value, 2)


def _last_complete_month(today: date) -> date:
    return date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)


def seed(stdout: Any) -> None:
    city = City.objects.filter(slug=CITY_SLUG).first()
    if city is None:
        stdout.write("  no Riverbend city: demo indicators skipped")
        return
    districts = list(District.objects.filter(city=city).order_by("name"))
    end = _last_complete_month(timezone.localdate())
    periods = _months(end, MONTHS)
    priorities = {p.title: p for p in Priority.objects.filter(city=city)}
    sectors = {s.slug: s for s in Sector.objects.all()}
    names = {k.value: str(k.label) for k in IndicatorKind}
    new_rows = 0
    with transaction.atomic():
        for kind, spec in KINDS.items():
            per_district: dict[str, list[float]] = {}
            places: list[District | None] = [*districts, None]
            for place in places:
                indicator, _created = Indicator.objects.get_or_create(
                    city=city,
                    district=place,
                    code=kind,
                    defaults={
                        "kind": kind,
                        "name": names[kind],
                        "unit": KIND_UNITS[kind],
                        "source": SOURCE,
                        "higher_is_better": kind in HIGHER_IS_BETTER,
                    },
                )
                indicator.priorities.add(
                    *[priorities[t] for t in spec["priorities"] if t in priorities]
                )
                indicator.sectors.add(
                    *[sectors[s] for s in spec["sectors"] if s in sectors]
                )
                if place is not None:
                    values = [_value(place.name, kind, p, end) for p in periods]
                    per_district[place.name] = values
                else:
                    columns = list(zip(*per_district.values(), strict=True))
                    values = [
                        round(sum(c) if spec["total"] == "sum" else sum(c) / len(c), 2)
                        for c in columns
                    ]
                have = set(
                    Observation.objects.filter(indicator=indicator).values_list(
                        "period", flat=True
                    )
                )
                missing = [
                    Observation(indicator=indicator, period=p, value=v)
                    for p, v in zip(periods, values, strict=True)
                    if p not in have
                ]
                if missing:
                    Observation.objects.bulk_create(missing)
                    new_rows += len(missing)
                    stats = Observation.objects.filter(indicator=indicator).aggregate(
                        n=Count("pk"), last=Max("period")
                    )
                    Indicator.objects.filter(pk=indicator.pk).update(
                        observation_count=stats["n"], last_period=stats["last"]
                    )
    found = signals_detect_city(city=city)
    stdout.write(
        f"  {len(KINDS) * (len(districts) + 1)} indicator series, {new_rows} new "
        f"observations; {len(found.created)} new demand signals"
    )
