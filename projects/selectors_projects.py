"""Reads of projects: the public list (filters, bounded queries), one project with
everything its page shows, the financing mix, the milestone timeline, and the
proposals a coordinator may build a project from.

Every list costs a fixed number of queries whatever its length: the rows with
their city joined, plus one query per many-valued relation (prefetched).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from .models import (
    FinancingSource,
    Milestone,
    Priority,
    Project,
    ProjectPartner,
    ProjectRole,
    ProjectSource,
    ProjectUpdate,
    Proposal,
    Sector,
)
from .permissions_projects import PROJECT_SOURCE_STATUSES


@dataclass
class ProjectFilters:
    city: str = ""
    status: str = ""
    delivery_model: str = ""
    sector: str = ""


def project_list(*, filters: ProjectFilters | None = None) -> QuerySet[Project]:
    """Every project (projects are public), newest first, filtered. Rows join
    their city and district; sectors are prefetched (one query per page)."""
    filters = filters or ProjectFilters()
    rows = Project.objects.select_related("city", "district")
    if filters.city:
        rows = rows.filter(city__slug=filters.city)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.delivery_model:
        rows = rows.filter(delivery_model=filters.delivery_model)
    if filters.sector:
        rows = rows.filter(
            pk__in=Project.sectors.through.objects.filter(
                sector__slug=filters.sector
            ).values("project_id")
        )
    return rows.prefetch_related(
        Prefetch("sectors", queryset=Sector.objects.order_by("position"))
    ).order_by("-created_at", "-pk")


def project_detail(*, pk: int) -> Project:
    """One project with everything its page and the API show, in a fixed number
    of queries. Raises ``Project.DoesNotExist``."""
    return (
        Project.objects.select_related("city", "district", "created_by")
        .prefetch_related(
            Prefetch("sectors", queryset=Sector.objects.order_by("position")),
            Prefetch("priorities", queryset=Priority.objects.order_by("title")),
            Prefetch(
                "partners",
                queryset=ProjectPartner.objects.select_related("organisation").order_by(
                    "role", "organisation__name", "pk"
                ),
            ),
            Prefetch(
                "financing",
                queryset=FinancingSource.objects.select_related("organisation"),
            ),
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "pk")),
            Prefetch(
                "updates",
                queryset=ProjectUpdate.objects.select_related("author").order_by(
                    "-created_at", "-pk"
                ),
            ),
            "impacts",
            Prefetch(
                "sources",
                queryset=ProjectSource.objects.select_related(
                    "proposal", "proposal__lead_organisation"
                ).order_by("added_at", "pk"),
            ),
        )
        .get(pk=pk)
    )


# --- what the page shows --------------------------------------------------------------------


@dataclass
class FinancingSegment:
    kind: str
    label: str
    amount: Decimal
    percent: float  # of the bar (the budget, or the total when over budget)
    offset: float


@dataclass
class FinancingMix:
    budget: Decimal
    total: Decimal
    remaining: Decimal
    covered_percent: int
    segments: list[FinancingSegment] = field(default_factory=list)


def financing_mix(project: Project) -> FinancingMix:
    """The sources of money summed per kind, as segments of a bar whose length is
    the budget (what is left uncovered shows as the bar's empty end). Reads the
    prefetched ``financing`` rows."""
    by_kind: dict[str, Decimal] = {}
    labels: dict[str, str] = {}
    for source in project.financing.all():
        by_kind[source.kind] = by_kind.get(source.kind, Decimal(0)) + source.amount
        labels[source.kind] = str(source.get_kind_display())
    total = sum(by_kind.values(), Decimal(0))
    scale = max(project.budget, total)
    segments = []
    offset = 0.0
    for kind, amount in sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0])):
        percent = float(amount / scale * 100) if scale else 0.0
        segments.append(
            FinancingSegment(
                kind=kind,
                label=labels[kind],
                amount=amount,
                percent=round(percent, 2),
                offset=round(offset, 2),
            )
        )
        offset += percent
    covered = int(total / project.budget * 100) if project.budget else 0
    return FinancingMix(
        budget=project.budget,
        total=total,
        remaining=max(project.budget - total, Decimal(0)),
        covered_percent=covered,
        segments=segments,
    )


@dataclass
class TimelineEntry:
    milestone: Milestone
    state: str  # "done" | "late" | "upcoming"


def milestone_timeline(project: Project) -> list[TimelineEntry]:
    today = timezone.localdate()
    entries = []
    for milestone in project.milestones.all():
        if milestone.done_on is not None:
            state = "done"
        elif milestone.due_on < today:
            state = "late"
        else:
            state = "upcoming"
        entries.append(TimelineEntry(milestone=milestone, state=state))
    return entries


def partners_by_role(project: Project) -> list[tuple[str, list[ProjectPartner]]]:
    """The partners grouped by role, lead first (prefetched rows)."""
    groups: dict[str, list[ProjectPartner]] = {}
    for partner in project.partners.all():
        groups.setdefault(partner.role, []).append(partner)
    return [
        (str(ProjectRole(role).label), groups[role])
        for role in ProjectRole.values
        if role in groups
    ]


# --- proposals a project may be built from --------------------------------------------------


def eligible_proposals(*, city_id: int) -> QuerySet[Proposal]:
    """The city's proposals that may join a project: submitted to accepted, public,
    not already part of a project."""
    return (
        Proposal.objects.filter(
            city_id=city_id,
            status__in=PROJECT_SOURCE_STATUSES,
            hidden_at__isnull=True,
        )
        .filter(Q(project_source__isnull=True))
        .select_related("lead_organisation")
        .order_by("-submitted_at", "-pk")
    )


def source_of(proposal_id: int) -> ProjectSource | None:
    """The project a proposal became part of (one query)."""
    return (
        ProjectSource.objects.select_related("project")
        .filter(proposal_id=proposal_id)
        .first()
    )
