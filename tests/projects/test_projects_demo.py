"""The demo projects: built through the services from the demo proposals, in
several stages, with financing mixes, milestones (one late) and measured impacts;
seeding again changes nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from projects import demo_projects
from projects.models import (
    FinancingSource,
    Milestone,
    Project,
    ProjectImpact,
    ProjectSource,
    ProjectStatus,
    ProjectUpdate,
)
from stakeholders.models import AuditEvent, Notification
from tests.factories import CityFactory, OrganisationFactory, make_coordinator
from tests.projects.factories import ImpactFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def _demo_world() -> None:
    city = CityFactory(slug=demo_projects.CITY_SLUG, name="Riverbend")
    make_coordinator(city, email=demo_projects.COORDINATOR_EMAIL)
    for name in (
        "Harbour Data Centre",
        "Green Bridge Capital",
        "Northgate Builders",
        "SolarRoof Collective",
        "Riverbend Energy & Water",
    ):
        OrganisationFactory(name=name)
    titles = {
        demo_projects.HEAT: Decimal("38500000"),
        demo_projects.METERS: Decimal("9600000"),
        demo_projects.HEAT_PUMPS: Decimal("24000000"),
        demo_projects.FACADES: Decimal("21600000"),
        demo_projects.ROOFTOP: Decimal("5400000"),
        demo_projects.COOP: Decimal("2300000"),
    }
    for title, cost in titles.items():
        proposal = ProposalFactory(city=city, title=title, capital_cost=cost)
        ImpactFactory(proposal=proposal, amount=Decimal("8900"))


def _state() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Project,
            ProjectSource,
            FinancingSource,
            Milestone,
            ProjectUpdate,
            ProjectImpact,
            AuditEvent,
            Notification,
        )
    }


def test_demo_projects_in_every_stage_and_idempotent() -> None:
    _demo_world()
    demo_projects.seed(io.StringIO())
    statuses = set(Project.objects.values_list("status", flat=True))
    assert statuses == {
        ProjectStatus.PLANNED,
        ProjectStatus.PROCUREMENT,
        ProjectStatus.IN_PROGRESS,
        ProjectStatus.COMPLETED,
    }
    kinds = set(FinancingSource.objects.values_list("kind", flat=True))
    assert {
        "city_budget",
        "eu_grant",
        "green_bond",
        "private_equity",
        "cooperative",
    } <= kinds
    assert any(m.is_late for m in Milestone.objects.all())
    assert Milestone.objects.filter(done_on__isnull=False).exists()
    completed = Project.objects.get(status=ProjectStatus.COMPLETED)
    assert completed.impacts.filter(measured__isnull=False).exists()
    for project in Project.objects.all():
        total = sum(f.amount for f in project.financing.all())
        assert total <= project.budget
    assert ProjectSource.objects.count() == 6
    before = _state()
    out = io.StringIO()
    demo_projects.seed(out)
    assert _state() == before
    assert "0 created" in out.getvalue()
