"""Reads of the demand indicators: series, observations and CSV imports.

Each list is one query (plus one per prefetched relation), whatever its length.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from stakeholders import permissions as sp
from stakeholders.models import City

from .models import Indicator, IndicatorImport, Observation

WHOLE_CITY = "all"


def indicators(
    *, city: str = "", district: str = "", kind: str = ""
) -> QuerySet[Indicator]:
    """Every series (public data), narrowed by city slug, district slug (``all``:
    the whole city's series) and kind."""
    qs = (
        Indicator.objects.select_related("city", "district")
        .prefetch_related("priorities", "sectors")
        .order_by("city__name", "code", "district__name", "pk")
    )
    if city:
        qs = qs.filter(city__slug=city)
    if district == WHOLE_CITY:
        qs = qs.filter(district__isnull=True)
    elif district:
        qs = qs.filter(district__slug=district)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def observations(indicator: Indicator | int) -> QuerySet[Observation]:
    return Observation.objects.filter(indicator=indicator).order_by("period")


def imports_visible_to(user: Any) -> QuerySet[IndicatorImport]:
    """Imports of the cities the person coordinates (every city for staff)."""
    qs = IndicatorImport.objects.select_related("city").order_by("-created_at", "-pk")
    if sp.staff_power(user):
        return qs
    return qs.filter(city_id__in=sp.coordinated_city_ids(user))


def recent_imports(city: City, *, limit: int = 10) -> list[IndicatorImport]:
    return list(
        IndicatorImport.objects.filter(city=city)
        .select_related("city", "uploaded_by")
        .defer("errors")
        .order_by("-created_at", "-pk")[:limit]
    )


def import_of_city(city: City, pk: int) -> IndicatorImport | None:
    return (
        IndicatorImport.objects.filter(city=city, pk=pk)
        .select_related("city", "uploaded_by")
        .first()
    )
