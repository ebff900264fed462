"""Helpers of the indicator tests: a city with districts, CSV files in memory."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from stakeholders.models import City
from tests.factories import CityFactory, DistrictFactory

HEADER = "district,indicator,unit,period,value"


def city_with_districts(slug: str = "riverbend") -> City:
    city = CityFactory(slug=slug, name=slug.title())
    DistrictFactory(city=city, name="North", slug="north")
    DistrictFactory(city=city, name="South Bank", slug="south-bank")
    return city


def csv_bytes(*lines: str, header: str = HEADER, bom: bool = False) -> bytes:
    text = "\n".join([header, *lines]) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


def upload(data: bytes, name: str = "indicators.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def monthly_rows(
    district: str = "north",
    indicator: str = "commute_minutes",
    unit: str = "min",
    *,
    months: int = 12,
    start_year: int = 2024,
    base: float = 30.0,
) -> list[str]:
    rows = []
    for i in range(months):
        year, month = start_year + i // 12, i % 12 + 1
        rows.append(f"{district},{indicator},{unit},{year}-{month:02d},{base + i}")
    return rows


def run_import(city: City, data: bytes, *, actor: Any = None) -> Any:
    """Upload and run in-process (eager tasks); returns the refreshed import."""
    from projects.services import indicators

    imp = indicators.indicator_import_create(
        actor=actor, city=city, upload=upload(data)
    )
    imp.refresh_from_db()
    return imp
