"""Query filters of the proposals API (django-filter).

The filter set declares and validates the query parameters (and documents them in
the OpenAPI schema); the filtering itself is ``selectors.proposal_list``, the same
read the list page uses, so both answer the same question the same way.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from stakeholders.models import OrganisationKind

from . import selectors
from .models import SECTOR_SLUGS, DeliveryModel, Proposal, ProposalStatus

ORDERINGS = [
    ("newest", _("Newest first")),
    ("oldest", _("Oldest first")),
    ("supported", _("Most supported")),
    ("commented", _("Most commented")),
    ("breadth", _("Most sectors combined")),
    ("relevance", _("Best match for q (PostgreSQL; newest elsewhere)")),
]


class ProposalFilter(django_filters.FilterSet):
    city = django_filters.CharFilter(
        method="_text", max_length=60, label=_("City slug")
    )
    sector = django_filters.MultipleChoiceFilter(
        choices=[(slug, slug) for slug in SECTOR_SLUGS],
        method="_choices",
        label=_("Sector slug; repeat for several (proposals in all of them)"),
    )
    status = django_filters.MultipleChoiceFilter(
        choices=ProposalStatus.choices,
        method="_choices",
        label=_("Status; repeat for several (any of them)"),
    )
    organisation_kind = django_filters.ChoiceFilter(
        choices=OrganisationKind.choices,
        method="_text",
        label=_("Kind of the lead organisation"),
    )
    organisation = django_filters.NumberFilter(
        method="_number",
        min_value=1,
        label=_("Organisation id: proposals it leads or joined as a partner"),
    )
    district = django_filters.CharFilter(
        method="_text", max_length=80, label=_("District slug")
    )
    delivery_model = django_filters.ChoiceFilter(
        choices=DeliveryModel.choices, method="_text", label=_("Delivery model")
    )
    min_sectors = django_filters.NumberFilter(
        method="_number",
        min_value=2,
        max_value=len(SECTOR_SLUGS),
        label=_("Cross-sector breadth: at least this many sectors"),
    )
    has_partners = django_filters.BooleanFilter(
        method="_flag",
        label=_("true: with at least one accepted partner; false: without"),
    )
    q = django_filters.CharFilter(
        method="_text",
        max_length=200,
        label=_("Words in the title, summary or description (full-text search)"),
    )
    ordering = django_filters.ChoiceFilter(
        choices=ORDERINGS, method="_text", label=_("Order (newest by default)")
    )

    class Meta:
        model = Proposal
        fields: list[str] = []

    # The filtering is done at once in ``filter_queryset``; these only let each
    # parameter be declared, validated and typed (the schema reads ``value``'s hint).
    def _text(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset

    def _number(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return queryset

    def _flag(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        return queryset

    def _choices(
        self, queryset: QuerySet[Any], name: str, value: list[str]
    ) -> QuerySet[Any]:
        return queryset

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Proposal]:
        data = self.form.cleaned_data
        organisation = data.get("organisation")
        min_sectors = data.get("min_sectors")
        filters = selectors.ProposalFilters(
            city=data.get("city") or None,
            sectors=list(data.get("sector") or []),
            status=list(data.get("status") or []),
            organisation_kind=data.get("organisation_kind") or None,
            organisation=int(organisation) if organisation is not None else None,
            district=data.get("district") or None,
            delivery_model=data.get("delivery_model") or None,
            min_sectors=int(min_sectors) if min_sectors is not None else None,
            has_partners=data.get("has_partners"),
            q=(data.get("q") or "").strip() or None,
            sort=data.get("ordering") or "newest",
        )
        return selectors.proposal_list(
            user=getattr(self.request, "user", None), filters=filters
        )
