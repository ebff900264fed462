"""Reads of the projects app. Lists cost a fixed number of queries whatever their
length: foreign keys joined, many-to-many and reverse relations prefetched."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet

from stakeholders.models import City, Organisation

from .models import (
    Attachment,
    ExpectedImpact,
    PartnerState,
    Proposal,
    ProposalEvent,
    ProposalPartner,
    ProposalRevision,
    Sector,
)

SORTS = {
    "newest": ("-submitted_at", "-created_at", "-pk"),
    "oldest": ("submitted_at", "created_at", "pk"),
    "supported": ("-resident_support_count", "-organisation_support_count", "-pk"),
    "commented": ("-comment_count", "-pk"),
    "breadth": ("-sector_count", "-pk"),
}


@dataclass
class ProposalFilters:
    city: str | None = None
    sectors: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    organisation_kind: str | None = None
    organisation: int | None = None
    district: str | None = None
    delivery_model: str | None = None
    min_sectors: int | None = None
    max_sectors: int | None = None
    has_partners: bool | None = None
    q: str | None = None
    sort: str = "newest"


def _accepted_partners() -> Prefetch[ProposalPartner]:
    return Prefetch(
        "partners",
        queryset=ProposalPartner.objects.filter(
            state=PartnerState.ACCEPTED
        ).select_related("organisation"),
        to_attr="accepted_partners",
    )


def proposal_list(
    *, user: Any, filters: ProposalFilters, city: City | None = None
) -> QuerySet[Proposal]:
    """The proposals ``user`` may see that pass ``filters``; ``city`` is the
    city of ``filters.city`` when the caller has read it already."""
    qs = Proposal.objects.visible_to(user)
    if filters.city:
        # By a literal id rather than a join on the slug: the planner then reads
        # how many proposals the city has from the statistics of city_id. Joined
        # to a cities table too small ever to be analysed, it guessed a few
        # dozen, and a signed-in member's page 30 read and sorted all 10,000
        # proposals (48 ms, against 2 ms by id).
        if city is None or city.slug != filters.city:
            city = City.objects.filter(slug=filters.city).only("pk", "slug").first()
        qs = qs.filter(city_id=city.pk) if city is not None else qs.none()
    for slug in filters.sectors:
        qs = qs.filter(sectors__slug=slug)
    if filters.status:
        qs = qs.filter(status__in=filters.status)
    if filters.organisation_kind:
        qs = qs.filter(lead_organisation__kind=filters.organisation_kind)
    if filters.organisation:
        qs = qs.filter(
            Q(lead_organisation_id=filters.organisation)
            | Q(
                partners__organisation_id=filters.organisation,
                partners__state=PartnerState.ACCEPTED,
            )
        )
    if filters.district:
        qs = qs.filter(district__slug=filters.district)
    if filters.delivery_model:
        qs = qs.filter(delivery_model=filters.delivery_model)
    if filters.min_sectors:
        qs = qs.filter(sector_count__gte=filters.min_sectors)
    if filters.max_sectors:
        qs = qs.filter(sector_count__lte=filters.max_sectors)
    if filters.has_partners is True:
        qs = qs.filter(partner_count__gt=0)
    elif filters.has_partners is False:
        qs = qs.filter(partner_count=0)
    if filters.sectors or filters.organisation:
        qs = qs.distinct()
    ordering = SORTS.get(filters.sort, SORTS["newest"])
    if filters.q:
        qs = _search(qs, filters.q)
        if filters.sort == "relevance" and connection.vendor == "postgresql":
            ordering = ("-rank", "-pk")
    return (
        qs.select_related("city", "lead_organisation", "district", "author")
        .prefetch_related("sectors", _accepted_partners())
        # Lists never show the body; leaving it (and the search vector) out keeps
        # rows narrow when thousands are sorted.
        .defer("body", "body_html", "search_vector")
        .order_by(*ordering)
    )


def _search(qs: QuerySet[Proposal], text: str) -> QuerySet[Proposal]:
    text = text.strip()[:200]
    if not text:
        return qs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(text, config="simple", search_type="websearch")
        return qs.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
    condition = Q()
    for word in text.split()[:8]:
        condition &= (
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(body__icontains=word)
        )
    return qs.filter(condition)


def proposal_detail(*, user: Any, pk: int) -> Proposal:
    """One proposal with everything its page shows, in a fixed number of queries.
    Raises Proposal.DoesNotExist when the user may not see it."""
    return (
        Proposal.objects.visible_to(user)
        .select_related("city", "lead_organisation", "district", "author")
        .prefetch_related(
            "sectors",
            Prefetch(
                "partners",
                queryset=ProposalPartner.objects.select_related(
                    "organisation"
                ).order_by("invited_at", "pk"),
                to_attr="all_partners",
            ),
            Prefetch("impacts", queryset=ExpectedImpact.objects.order_by("pk")),
            Prefetch(
                "attachments", queryset=Attachment.objects.order_by("created_at", "pk")
            ),
            Prefetch(
                "events",
                queryset=ProposalEvent.objects.select_related("actor").order_by(
                    "created_at", "pk"
                ),
            ),
            Prefetch(
                "revisions",
                queryset=ProposalRevision.objects.select_related("author").order_by(
                    "number"
                ),
            ),
        )
        .get(pk=pk)
    )


def public_partners(proposal: Proposal) -> list[ProposalPartner]:
    partners = getattr(proposal, "all_partners", None)
    if partners is None:
        partners = list(proposal.partners.select_related("organisation"))
    return [p for p in partners if p.state == PartnerState.ACCEPTED]


def sectors() -> QuerySet[Sector]:
    return Sector.objects.order_by("position")


def organisations_of(user: Any) -> QuerySet[Organisation]:
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).order_by("name")


def pending_partnerships_for(user: Any) -> QuerySet[ProposalPartner]:
    """Partner invitations the user can answer for one of their organisations."""
    from stakeholders.models import ADMIN_ROLES

    if not getattr(user, "is_authenticated", False):
        return ProposalPartner.objects.none()
    return ProposalPartner.objects.filter(
        state=PartnerState.INVITED,
        organisation__memberships__user=user,
        organisation__memberships__role__in=ADMIN_ROLES,
    ).select_related("proposal", "organisation")


def revision_diffs(proposal: Proposal) -> list[dict[str, Any]]:
    """Each revision with the fields that changed since the previous one, as
    unified diff lines ready for display."""
    import difflib

    revisions = list(
        getattr(proposal, "_prefetched_objects_cache", {}).get("revisions", [])
        or proposal.revisions.select_related("author").order_by("number")
    )
    out = []
    previous: dict[str, Any] = {}
    for rev in revisions:
        changes = []
        for key, value in rev.snapshot.items():
            old = previous.get(key)
            if previous and old != value:
                a = old if isinstance(old, str) else "\n".join(map(str, old or []))
                b = (
                    value
                    if isinstance(value, str)
                    else "\n".join(map(str, value or []))
                )
                lines = list(
                    difflib.unified_diff(
                        a.splitlines(), b.splitlines(), lineterm="", n=1
                    )
                )[2:]
                changes.append({"field": key, "lines": lines})
        out.append({"revision": rev, "changes": changes, "first": not previous})
        previous = rev.snapshot
    return out


def proposals_of(*, user: Any) -> QuerySet[Proposal]:
    """Proposals the user's organisations lead (drafts included) or joined as an
    accepted partner, and those the user wrote; same joins as ``proposal_list``."""
    if not getattr(user, "is_authenticated", False):
        return Proposal.objects.none()
    org_ids = list(
        Organisation.objects.filter(memberships__user=user).values_list("pk", flat=True)
    )
    mine = Q(author=user) | Q(lead_organisation_id__in=org_ids)
    joined = Proposal.objects.filter(
        partners__organisation_id__in=org_ids, partners__state=PartnerState.ACCEPTED
    ).values("pk")
    return (
        Proposal.objects.visible_to(user)
        .filter(mine | Q(pk__in=joined))
        .select_related("city", "lead_organisation", "district", "author")
        .prefetch_related("sectors", _accepted_partners())
        .order_by("-updated_at", "-pk")
    )
