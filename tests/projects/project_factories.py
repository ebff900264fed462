"""Factories of projects, built on ``tests.factories`` and ``tests.projects.factories``.

``ProjectFactory`` writes rows directly (fast, for reads and permission tables);
``project_from`` builds one through ``project_create`` as a coordinator would.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from projects.models import (
    FinancingKind,
    FinancingSource,
    Milestone,
    Project,
    ProjectDelivery,
    ProjectImpact,
    ProjectStatus,
    ProjectUpdate,
    Proposal,
)
from projects.services import projects as services
from stakeholders.models import User
from tests.factories import CityFactory, sector


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    city = factory.SubFactory(CityFactory)
    title = factory.Sequence(lambda n: f"Harbour heat network {n}")
    summary = "Waste heat of the data centre warms 2,400 homes."
    body = "The **pipes** run under Dock Street."
    body_html = "<p>The <strong>pipes</strong> run under Dock Street.</p>"
    status = ProjectStatus.PLANNED
    delivery_model = ProjectDelivery.PPP
    budget = Decimal("1000000.00")
    currency = "EUR"

    @factory.post_generation
    def sectors(
        obj: Project,  # noqa: N805
        create: bool,
        extracted: list[str] | None,
        **kwargs: Any,
    ) -> None:
        if create:
            obj.sectors.set([sector(s) for s in (extracted or ["energy", "housing"])])


class FinancingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinancingSource

    project = factory.SubFactory(ProjectFactory)
    kind = FinancingKind.CITY_BUDGET
    amount = Decimal("100000.00")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class ProjectUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectUpdate

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Update {n}")
    body = "Work started."
    body_html = "<p>Work started.</p>"


class ProjectImpactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectImpact

    project = factory.SubFactory(ProjectFactory)
    indicator = "co2_avoided"
    unit = "t_co2_per_year"
    expected = Decimal("100.00")


def rich_project(city: Any = None, **fields: Any) -> Project:
    """A project with a row of everything its page shows."""
    from stakeholders.models import Organisation
    from tests.factories import OrganisationFactory

    project = ProjectFactory(**({"city": city} if city else {}), **fields)
    organisation: Organisation = OrganisationFactory()
    from projects.models import ProjectPartner

    ProjectPartner.objects.create(
        project=project, organisation=organisation, role="lead"
    )
    FinancingFactory(project=project, organisation=organisation)
    MilestoneFactory(project=project)
    ProjectUpdateFactory(project=project)
    ProjectImpactFactory(project=project)
    return project


def project_from(
    coordinator: User, proposals: list[Proposal], **fields: Any
) -> Project:
    return services.project_create(actor=coordinator, proposals=proposals, **fields)
