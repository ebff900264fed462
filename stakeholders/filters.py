"""Query filters of the stakeholders API (django-filter).

The filter set declares and validates the query parameters (and documents them in
the OpenAPI schema); the filtering itself is ``selectors.organisation_directory``,
the same read the directory page uses.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from projects.models import SECTOR_SLUGS

from . import selectors
from .models import Organisation, OrganisationKind


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=OrganisationKind.choices, method="_noop", label=_("Kind")
    )
    sector = django_filters.MultipleChoiceFilter(
        choices=[(slug, slug) for slug in SECTOR_SLUGS],
        method="_noop",
        label=_("Sector slug; repeat for several (organisations in all of them)"),
    )
    city = django_filters.CharFilter(method="_noop", label=_("City slug"))
    verified = django_filters.BooleanFilter(
        method="_noop", label=_("true: verified only; false: not yet verified")
    )
    search = django_filters.CharFilter(
        method="_noop", max_length=100, label=_("Words in the name or description")
    )

    class Meta:
        model = Organisation
        fields: list[str] = []

    def _noop(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Organisation]:
        data = self.form.cleaned_data
        return selectors.organisation_directory(
            user=getattr(self.request, "user", None),
            kind=data.get("kind") or None,
            sectors=list(data.get("sector") or []) or None,
            city=data.get("city") or None,
            verified=data.get("verified"),
            search=(data.get("search") or "").strip() or None,
        )
