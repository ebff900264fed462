"""Demo projects: Riverbend's coordinator has turned some of the demo proposals into
projects at different stages (planned, in procurement, in progress, completed),
with financing mixes, partners, milestones (some done, one late), updates and, for
the completed one, measured impacts. So the project pages and the dashboard are
alive on first run.

Called at the end of ``projects.demo.seed``. Everything goes through the project
services (permissions, checks, audit, notifications) as the coordinator. The past
is replayed: a project and its milestones are dated back once created, so that
work done months ago can be reported as done then, and nobody is notified of it. Idempotent: a project whose
title is already there is left as it is, so running it again changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from stakeholders import permissions as sp
from stakeholders.models import City, Organisation, User

from .demo_data import BUILDERS, CAPITAL, DATA_CENTRE, SOLAR, UTILITY
from .models import (
    Milestone,
    Project,
    ProjectImpact,
    ProjectSource,
    Proposal,
)
from .services import projects as services

CITY_SLUG = "riverbend"
COORDINATOR_EMAIL = "official@example.org"

HEAT = (
    "District heat network for the Harbour district, fed by the waste heat of the "
    "harbour data centre"
)
METERS = (
    "Smart water meters with leak detection and a residents' dashboard for Old "
    "Town and South"
)
HEAT_PUMPS = (
    "Heat-pump retrofits of 900 Harbourline homes in South, financed by a green "
    "bond repaid from energy savings"
)
FACADES = (
    "Prefabricated insulated facades and rooftop heat pumps for four 1960s towers, "
    "fitted with tenants at home"
)
ROOFTOP = (
    "Rooftop solar on 14 Harbourline social-housing blocks, with bill credits for "
    "tenants"
)
COOP = (
    "North Sun Co-op: residents own the solar panels on their street's roofs and "
    "sell the power back to the grid"
)

#: Days ago, turned into dates when seeding.
PROJECTS: list[dict[str, Any]] = [
    {
        "title": "Harbour heat network",
        "sources": [HEAT],
        "summary": (
            "A 6 km heat network carries the waste heat of the harbour data centre "
            "to 2,400 homes, two schools and the Harbour pool."
        ),
        "delivery_model": "concession",
        "procurement_reference": "RB-2024-031",
        "budget": "38500000",
        "created_days_ago": 720,
        "financing": [
            ("city_budget", "9500000", "received", None, "Capital budget 2024–2026"),
            ("green_bond", "18000000", "received", None, "Riverbend green bond 2024"),
            ("private_equity", "11000000", "received", DATA_CENTRE, ""),
        ],
        "partners": [(CAPITAL, "financer", "Arranged the green bond.")],
        "milestones": [
            ("Concession signed", 690, 688),
            ("Heat exchanger at the data centre", 520, 530),
            ("Network laid under Dock Street", 330, 320),
            ("First homes heated", 200, 195),
        ],
        "status": [("in_progress", 600), ("completed", 150)],
        "updates": [
            (
                500,
                "Dock Street reopened",
                "The pipes are in and **Dock Street is open again**, two weeks "
                "ahead of the plan.",
            ),
            (
                150,
                "The network is complete",
                "All 2,400 homes are connected. Heating bills in the first winter "
                "fell by a fifth on average.",
            ),
        ],
        "measured": [
            ("co2_avoided", "t_co2_per_year", "9340", 40, "Utility meter readings"),
            ("energy_saved", "mwh_per_year", "34800", 40, "Heat meters, first year"),
            ("residents_served", "people", "6620", 40, "Connected households"),
        ],
    },
    {
        "title": "Smart water meters for Old Town and South",
        "sources": [METERS],
        "delivery_model": "public_procurement",
        "procurement_reference": "RB-2025-007",
        "created_days_ago": 240,
        "financing": [
            ("eu_grant", "1200000", "committed", None, "EU cohesion fund"),
            ("city_budget", "900000", "received", None, ""),
            ("private_loan", "400000", "planned", None, "Utility's credit line"),
        ],
        "partners": [(BUILDERS, "contractor", "Installs the meters.")],
        "milestones": [
            ("Contract awarded", 200, 190),
            ("First 5,000 meters installed", 30, None),
            ("Residents' dashboard online", -60, None),
        ],
        "status": [("in_progress", 180)],
        "updates": [
            (
                90,
                "Installation under way",
                "Fitters are in Old Town this month; a leak was found in a school "
                "on the first day.",
            ),
        ],
    },
    {
        "title": "Heat pumps and new facades for South's housing",
        "sources": [HEAT_PUMPS, FACADES],
        "summary": (
            "Heat pumps for 900 Harbourline homes and prefabricated facades for four "
            "1960s towers, one tender, financed by a green bond repaid from the "
            "energy saved."
        ),
        "delivery_model": "ppp",
        "procurement_reference": "RB-2026-014",
        "created_days_ago": 60,
        "financing": [
            ("green_bond", "16000000", "committed", CAPITAL, ""),
            ("national_grant", "4500000", "planned", None, "Housing renovation fund"),
            ("cooperative", "500000", "planned", None, "Tenants' cooperative"),
        ],
        "partners": [],
        "milestones": [
            ("Tender published", 40, 38),
            ("Contractor chosen", -45, None),
            ("First tower fitted", -240, None),
        ],
        "status": [("procurement", 38)],
        "updates": [
            (
                38,
                "The tender is out",
                "The call for tenders RB-2026-014 is published; answers are due in "
                "six weeks.",
            ),
        ],
    },
    {
        "title": "Harbourline solar roofs, owned by residents",
        "sources": [ROOFTOP, COOP],
        "summary": (
            "Solar panels on 14 social-housing blocks and on the roofs of North's "
            "streets, part owned by a residents' cooperative that sells the power "
            "back to the grid."
        ),
        "delivery_model": "private",
        "created_days_ago": 14,
        "financing": [
            ("cooperative", "800000", "planned", None, "North Sun Co-op shares"),
            ("city_budget", "300000", "committed", None, ""),
            ("private_equity", "1500000", "planned", SOLAR, ""),
        ],
        "partners": [(UTILITY, "operator", "Connects and meters the roofs.")],
        "milestones": [
            ("Roof surveys", -30, None),
            ("Co-op share offer opens", -90, None),
        ],
        "status": [],
        "updates": [],
    },
]


@contextmanager
def _past_muted() -> Iterator[None]:
    """The replay stands for two years of past work: told now, it would fill the
    demo accounts' inboxes with stale news dated today. While it runs the project
    services notify nobody; follows, audit and everything else go through."""
    saved = services.notify_on_commit
    services.notify_on_commit = lambda **kwargs: None  # type: ignore[assignment]
    try:
        yield
    finally:
        services.notify_on_commit = saved


def _day(days_ago: int) -> date:
    return timezone.localdate() - timedelta(days=days_ago)


def _build(spec: dict[str, Any], coordinator: User, city: City) -> Project | None:
    proposals = list(
        Proposal.objects.filter(city=city, title__in=spec["sources"]).order_by("pk")
    )
    if len(proposals) != len(spec["sources"]):
        return None
    if ProjectSource.objects.filter(proposal__in=proposals).exists():
        return None
    names = {p[0] for p in spec["partners"]} | {f[3] for f in spec["financing"] if f[3]}
    organisations = {o.name: o for o in Organisation.objects.filter(name__in=names)}
    with transaction.atomic():
        project = services.project_create(
            actor=coordinator,
            proposals=proposals,
            title=spec["title"],
            summary=spec.get("summary", ""),
            delivery_model=spec["delivery_model"],
            procurement_reference=spec.get("procurement_reference", ""),
            budget=spec.get("budget"),
        )
        # The replayed past: the project was created months ago.
        created = timezone.now() - timedelta(days=spec["created_days_ago"])
        Project.objects.filter(pk=project.pk).update(created_at=created)
        project.refresh_from_db()
        total = services.financing_total(project)
        for kind, amount, status, financer, note in spec["financing"]:
            if total + Decimal(amount) > project.budget:
                continue
            services.financing_add(
                actor=coordinator,
                project=project,
                kind=kind,
                amount=amount,
                status=status,
                organisation=organisations.get(financer) if financer else None,
                note=note,
            )
            total += Decimal(amount)
        held = set(project.partners.values_list("organisation__name", "role"))
        for name, role, contribution in spec["partners"]:
            if name in organisations and (name, role) not in held:
                services.project_partner_add(
                    actor=coordinator,
                    project=project,
                    organisation=organisations[name],
                    role=role,
                    contribution=contribution,
                )
        for title, due_ago, done_ago in spec["milestones"]:
            milestone = services.milestone_add(
                actor=coordinator, project=project, title=title, due_on=_day(due_ago)
            )
            if done_ago is not None:
                Milestone.objects.filter(pk=milestone.pk).update(created_at=created)
                milestone.refresh_from_db()
                services.milestone_mark_done(
                    actor=coordinator, milestone=milestone, done_on=_day(done_ago)
                )
        for status, days_ago in spec["status"]:
            project = services.project_set_status(
                actor=coordinator, project=project, to_status=status, on=_day(days_ago)
            )
        for days_ago, title, body in spec["updates"]:
            update = services.project_update_publish(
                actor=coordinator, project=project, title=title, body=body
            )
            type(update).objects.filter(pk=update.pk).update(
                created_at=timezone.now() - timedelta(days=days_ago)
            )
        for indicator, unit, value, days_ago, note in spec.get("measured", []):
            impact = ProjectImpact.objects.filter(
                project=project, indicator=indicator, unit=unit
            ).first()
            if impact is None:
                impact = services.impact_add(
                    actor=coordinator,
                    project=project,
                    indicator=indicator,
                    unit=unit,
                    expected=value,
                )
            services.impact_report(
                actor=coordinator,
                impact=impact,
                measured=value,
                measured_on=_day(days_ago),
                note=note,
            )
    return project


def seed(stdout: Any) -> None:
    city = City.objects.filter(slug=CITY_SLUG).first()
    coordinator = User.objects.filter(email=COORDINATOR_EMAIL).first()
    if city is None or coordinator is None:
        stdout.write("  no Riverbend coordinator: demo projects skipped")
        return
    sp.forget_cached_powers(coordinator)
    if not sp.is_coordinator(coordinator, city):
        stdout.write(
            "  the demo coordinator has no two-factor authentication: demo projects "
            "skipped"
        )
        return
    existing = set(
        Project.objects.filter(
            city=city, title__in=[p["title"] for p in PROJECTS]
        ).values_list("title", flat=True)
    )
    created = 0
    with _past_muted():
        for spec in PROJECTS:
            if spec["title"] in existing:
                continue
            if _build(spec, coordinator, city) is not None:
                created += 1
    stdout.write(
        f"  {len(PROJECTS)} demo projects ({created} created, "
        f"{len(PROJECTS) - created} already there or without their proposals)"
    )
