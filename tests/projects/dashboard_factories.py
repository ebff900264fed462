"""A small city whose dashboard numbers are counted by hand, and helpers that write
projects, financing, impacts, supports, comments and audit events directly.

``riverbend_world()`` builds (every number of ``EXPECTED`` follows from it):

=====  ============  =========================  ==========  =====================
name   status        sectors                    submitted   matches (Pr1, Pr2)
=====  ============  =========================  ==========  =====================
P1     submitted     energy, housing            2026-03-10  0.80, –
P2     under_review  energy, housing, mobility  2026-03-20  0.60, –
P3     shortlisted   mobility, health           2026-04-05  –,    0.40
P4     accepted      energy, water              2026-04-15  0.50, –
P5     rejected      housing, mobility          2026-04-20  0.90, –
P6     withdrawn     water, health              2026-05-02  –,    –
D1     draft         energy, housing            –           (never counted)
X1     submitted     energy, housing  (another city: never counted)
=====  ============  =========================  ==========  =====================

Pr1 (weight 5) and Pr2 (weight 3) are active; Pr3 ended last year (0.9 with P1).
Projects: A (ppp, in progress, budget 1,000,000: city budget 300,000 + green
bond 500,000; CO2 promised 100, measured 80), B (public procurement, planned,
budget 200,000: city budget 150,000; CO2 promised 50, jobs promised 10), C
(concession, cancelled: private loan 900,000; CO2 promised 999).
Supports: 2 in March 2026, 3 in April. Comments: 1 in March (P1), 2 in April
(P3 and project A), plus a deleted one in April (not counted).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.utils import timezone

from projects.models import (
    Comment,
    FinancingKind,
    FinancingSource,
    ImpactIndicator,
    ImpactUnit,
    InternalNote,
    Match,
    Priority,
    Project,
    ProjectDelivery,
    ProjectImpact,
    ProjectPartner,
    ProjectRole,
    ProjectSource,
    ProjectStatus,
    Proposal,
    ProposalStatus,
    Support,
    SupportKind,
)
from stakeholders.models import City
from tests.factories import CityFactory, OrganisationFactory, UserFactory
from tests.projects.factories import ProposalFactory
from tests.projects.matching_factories import PriorityFactory


def at(day: str, hour: int = 12) -> dt.datetime:
    """Noon (by default) of an ISO day in the site's time zone."""
    return timezone.make_aware(
        dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour))
    )


def proposal(city: City, status: str, sectors: list[str], day: str | None, **kw: Any):
    row = ProposalFactory(city=city, status=status, sectors=sectors, **kw)
    Proposal.objects.filter(pk=row.pk).update(submitted_at=at(day) if day else None)
    row.refresh_from_db()
    return row


def match(proposal: Proposal, priority: Priority, score: float, **kw: Any) -> Match:
    return Match.objects.create(
        proposal=proposal,
        priority=priority,
        score=score,
        components={"text": score, "sectors": 1.0},
        reasons=["Both are about energy."],
        engine_version="test-1",
        **kw,
    )


def project(
    city: City,
    *,
    title: str,
    delivery: str,
    status: str,
    budget: str,
    created: str = "2026-05-10",
    **kw: Any,
) -> Project:
    row = Project.objects.create(
        city=city,
        title=title,
        summary=f"{title}: what the city builds.",
        delivery_model=delivery,
        status=status,
        budget=Decimal(budget),
        **kw,
    )
    Project.objects.filter(pk=row.pk).update(created_at=at(created))
    row.refresh_from_db()
    return row


def financing(project: Project, kind: str, amount: str, **kw: Any) -> FinancingSource:
    return FinancingSource.objects.create(
        project=project, kind=kind, amount=Decimal(amount), **kw
    )


def impact(
    project: Project,
    indicator: str,
    unit: str,
    expected: str,
    measured: str | None = None,
) -> ProjectImpact:
    return ProjectImpact.objects.create(
        project=project,
        indicator=indicator,
        unit=unit,
        expected=Decimal(expected),
        measured=Decimal(measured) if measured is not None else None,
        measured_on=dt.date(2026, 6, 1) if measured is not None else None,
    )


def support(proposal: Proposal, day: str) -> Support:
    """A resident's support, counted in the proposal's stored counter as the
    service would."""
    row = Support.objects.create(
        proposal=proposal,
        user=UserFactory(),
        kind=SupportKind.RESIDENT,
        created_at=at(day),
    )
    Proposal.objects.filter(pk=proposal.pk).update(
        resident_support_count=F("resident_support_count") + 1
    )
    return row


def comment(day: str, *, deleted: bool = False, **target: Any) -> Comment:
    row = Comment.objects.create(
        author=UserFactory(),
        body="Good idea.",
        body_html="<p>Good idea.</p>",
        created_at=at(day),
        deleted_at=at(day) if deleted else None,
        **target,
    )
    if not deleted and "proposal" in target:
        Proposal.objects.filter(pk=target["proposal"].pk).update(
            comment_count=F("comment_count") + 1
        )
    return row


EXPECTED = {
    "pipeline": {
        "submitted": 1,
        "under_review": 1,
        "shortlisted": 1,
        "accepted": 1,
        "rejected": 1,
        "withdrawn": 1,
    },
    "sectors": {"energy": 3, "housing": 3, "mobility": 3, "health": 2, "water": 2},
    "pairs": {
        ("energy", "housing"): 2,
        ("mobility", "housing"): 2,
        ("energy", "mobility"): 1,
        ("energy", "water"): 1,
        ("mobility", "health"): 1,
        ("water", "health"): 1,
    },
    # Pr1: P1 0.8, P2 0.6, P4 0.5 (P5 is rejected: out of the running); Pr2: none.
    "coverage": {"Cut emissions from homes": 3, "Move people differently": 0},
    "supports": {"2026-03-01": 2, "2026-04-01": 3},
    "comments": {"2026-03-01": 1, "2026-04-01": 2},
    "delivery": {"ppp": 1, "public_procurement": 1},
    "financing": {"city_budget": Decimal("450000"), "green_bond": Decimal("500000")},
}


def riverbend_world(city: City | None = None) -> dict[str, Any]:
    city = city or CityFactory(slug="riverbend", name="Riverbend")
    elsewhere = CityFactory(slug="elsewhere", name="Elsewhere")
    p1 = proposal(
        city,
        ProposalStatus.SUBMITTED,
        ["energy", "housing"],
        "2026-03-10",
        title="Rooftop solar on social housing",
    )
    p2 = proposal(
        city,
        ProposalStatus.UNDER_REVIEW,
        ["energy", "housing", "mobility"],
        "2026-03-20",
    )
    p3 = proposal(
        city, ProposalStatus.SHORTLISTED, ["mobility", "health"], "2026-04-05"
    )
    p4 = proposal(city, ProposalStatus.ACCEPTED, ["energy", "water"], "2026-04-15")
    p5 = proposal(city, ProposalStatus.REJECTED, ["housing", "mobility"], "2026-04-20")
    p6 = proposal(city, ProposalStatus.WITHDRAWN, ["water", "health"], "2026-05-02")
    draft = proposal(city, ProposalStatus.DRAFT, ["energy", "housing"], None)
    other = proposal(
        elsewhere, ProposalStatus.SUBMITTED, ["energy", "housing"], "2026-03-11"
    )

    today = timezone.localdate()
    pr1 = PriorityFactory(city=city, weight=5)
    pr2 = PriorityFactory(
        city=city,
        weight=3,
        title="Move people differently",
        sectors=["mobility", "health"],
    )
    pr3 = PriorityFactory(
        city=city,
        title="Last year's plan",
        active_until=today - dt.timedelta(days=200),
    )
    match(p1, pr1, 0.8)
    match(p2, pr1, 0.6)
    match(p4, pr1, 0.5)
    match(p5, pr1, 0.9)
    match(p3, pr2, 0.4)
    match(p1, pr3, 0.9)
    match(other, PriorityFactory(city=elsewhere), 0.95)

    a = project(
        city,
        title="Solar roofs",
        delivery=ProjectDelivery.PPP,
        status=ProjectStatus.IN_PROGRESS,
        budget="1000000",
        procurement_reference='=HYPERLINK("http://x")',
    )
    b = project(
        city,
        title="Cycle lanes",
        delivery=ProjectDelivery.PUBLIC_PROCUREMENT,
        status=ProjectStatus.PLANNED,
        budget="200000",
    )
    c = project(
        city,
        title="Cancelled tram",
        delivery=ProjectDelivery.CONCESSION,
        status=ProjectStatus.CANCELLED,
        budget="900000",
    )
    ProjectSource.objects.create(project=a, proposal=p4)
    ProjectPartner.objects.create(
        project=a, organisation=p4.lead_organisation, role=ProjectRole.LEAD
    )
    ProjectPartner.objects.create(
        project=a,
        organisation=OrganisationFactory(name="Grid Co"),
        role=ProjectRole.OPERATOR,
    )
    financing(a, FinancingKind.CITY_BUDGET, "300000")
    financing(a, FinancingKind.GREEN_BOND, "500000", note="Issued with the region")
    financing(b, FinancingKind.CITY_BUDGET, "150000")
    financing(c, FinancingKind.PRIVATE_LOAN, "900000")
    impact(a, ImpactIndicator.CO2, ImpactUnit.T_CO2_YEAR, "100", "80")
    impact(b, ImpactIndicator.CO2, ImpactUnit.T_CO2_YEAR, "50")
    impact(b, ImpactIndicator.JOBS, ImpactUnit.JOBS, "10")
    impact(c, ImpactIndicator.CO2, ImpactUnit.T_CO2_YEAR, "999")

    support(p1, "2026-03-12")
    support(p2, "2026-03-25")
    support(p1, "2026-04-02")
    support(p3, "2026-04-10")
    support(p4, "2026-04-28")
    support(other, "2026-04-28")
    comment("2026-03-15", proposal=p1)
    comment("2026-04-07", proposal=p3)
    comment("2026-04-11", project=a)
    comment("2026-04-12", proposal=p3, deleted=True)
    comment("2026-04-12", proposal=other)

    note = InternalNote.objects.create(
        proposal=p1, author=UserFactory(), body="SECRET-NOTE: the lead is late."
    )
    return {
        "city": city,
        "elsewhere": elsewhere,
        "proposals": [p1, p2, p3, p4, p5, p6],
        "draft": draft,
        "other": other,
        "priorities": [pr1, pr2, pr3],
        "projects": [a, b, c],
        "note": note,
    }


def more_proposals(city: City, n: int, priority: Priority | None = None) -> None:
    """``n`` more submitted proposals, each with a support, a comment and a match:
    what a query-count test adds to see that nothing grows."""
    for i in range(n):
        row = proposal(
            city,
            ProposalStatus.SUBMITTED,
            ["energy", "water"],
            "2026-04-01",
            title=f"Extra proposal {i}",
        )
        support(row, "2026-04-03")
        comment("2026-04-04", proposal=row)
        if priority is not None:
            match(row, priority, 0.7)
