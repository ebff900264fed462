"""Project services: creation from several proposals of one city (links, carried
partners, sectors, priorities and impacts, notifications, audit), the refusals that
leave the database unchanged, financing within the budget, milestone dates, the
status flow, measured impacts and updates."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from projects.models import (
    FinancingSource,
    Follow,
    Match,
    MatchReview,
    Milestone,
    PartnerState,
    Project,
    ProjectImpact,
    ProjectPartner,
    ProjectSource,
    ProjectStatus,
    ProposalStatus,
)
from projects.services import projects as services
from stakeholders.models import AuditEvent, Notification, NotificationKind
from tests.factories import CityFactory, UserFactory, make_coordinator
from tests.projects.factories import ImpactFactory, PartnerFactory, ProposalFactory
from tests.projects.matching_factories import PriorityFactory
from tests.projects.project_factories import project_from

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Project,
            ProjectSource,
            ProjectPartner,
            ProjectImpact,
            FinancingSource,
            Milestone,
            AuditEvent,
        )
    }


@pytest.fixture
def city():
    return CityFactory(slug="riverbend")


@pytest.fixture
def coordinator(city):
    return make_coordinator(city)


def test_project_from_two_proposals_links_carries_and_notifies(
    city, coordinator, django_capture_on_commit_callbacks
):
    first = ProposalFactory(city=city, status=ProposalStatus.SHORTLISTED)
    second = ProposalFactory(
        city=city, status=ProposalStatus.ACCEPTED, sectors=["water", "health"]
    )
    partner = PartnerFactory(
        proposal=first, state=PartnerState.ACCEPTED, role="financer"
    )
    PartnerFactory(proposal=second, state=PartnerState.INVITED)
    ImpactFactory(proposal=first, amount=Decimal("100"))
    ImpactFactory(proposal=second, amount=Decimal("50.5"))
    ImpactFactory(
        proposal=second, indicator="jobs_created", unit="jobs", amount=Decimal("12")
    )
    confirmed = PriorityFactory(city=city)
    strong = PriorityFactory(city=city)
    weak = PriorityFactory(city=city)
    Match.objects.create(
        proposal=first,
        priority=confirmed,
        score=0.4,
        engine_version="t",
        review=MatchReview.CONFIRMED,
    )
    Match.objects.create(
        proposal=second, priority=strong, score=0.9, engine_version="t"
    )
    Match.objects.create(proposal=second, priority=weak, score=0.55, engine_version="t")
    follower = UserFactory()
    Follow.objects.create(user=follower, proposal=second)

    with django_capture_on_commit_callbacks(execute=True):
        project = project_from(coordinator, [first, second])

    assert project.city == city
    assert project.title == first.title
    assert project.budget == first.capital_cost + second.capital_cost
    assert set(project.source_proposals.all()) == {first, second}
    assert {s.slug for s in project.sectors.all()} == {
        "energy",
        "housing",
        "water",
        "health",
    }
    assert set(project.priorities.all()) == {confirmed, strong}
    roles = {(p.organisation_id, p.role) for p in project.partners.all()}
    assert roles == {
        (first.lead_organisation_id, "lead"),
        (second.lead_organisation_id, "lead"),
        (partner.organisation_id, "financer"),
    }
    impacts = {(i.indicator, i.unit): i.expected for i in project.impacts.all()}
    assert impacts == {
        ("co2_avoided", "t_co2_per_year"): Decimal("150.50"),
        ("jobs_created", "jobs"): Decimal("12.00"),
    }
    told = set(
        Notification.objects.filter(kind=NotificationKind.PROJECT).values_list(
            "recipient_id", flat=True
        )
    )
    assert {first.author_id, second.author_id, follower.pk} <= told
    assert coordinator.pk not in told
    assert Follow.objects.filter(project=project, user=follower).exists()
    project.refresh_from_db()
    assert project.follower_count == Follow.objects.filter(project=project).count()
    event = AuditEvent.objects.get(action="project.create")
    assert event.data["proposals"] == [first.pk, second.pk]
    assert event.city_id == city.pk


def test_proposals_of_two_cities_are_refused_and_nothing_is_written(city, coordinator):
    here = ProposalFactory(city=city)
    there = ProposalFactory(city=CityFactory(slug="elsewhere"))
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        project_from(coordinator, [here, there])
    assert "different cities" in str(caught.value.message_dict["proposals"])
    assert _counts() == before


@pytest.mark.parametrize(
    "status",
    [ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN, ProposalStatus.REJECTED],
)
def test_closed_or_draft_proposals_cannot_become_a_project(city, coordinator, status):
    proposal = ProposalFactory(city=city, status=status)
    with pytest.raises(ValidationError) as caught:
        project_from(coordinator, [proposal])
    assert proposal.title in caught.value.message_dict["proposals"][0]
    assert not Project.objects.exists()


def test_a_proposal_joins_one_project_only(city, coordinator):
    proposal = ProposalFactory(city=city)
    project_from(coordinator, [proposal])
    with pytest.raises(ValidationError, match="one project only"):
        project_from(coordinator, [proposal, ProposalFactory(city=city)])
    assert Project.objects.count() == 1


def test_no_proposal_is_refused(coordinator):
    with pytest.raises(ValidationError):
        project_from(coordinator, [])


def test_only_a_coordinator_of_the_city_creates(city):
    proposal = ProposalFactory(city=city)
    for actor in (
        UserFactory(),
        proposal.author,
        make_coordinator(CityFactory(slug="other")),
        make_coordinator(city, two_factor=False),
    ):
        with pytest.raises(PermissionDenied):
            project_from(actor, [proposal])
    assert not Project.objects.exists()


def test_financing_may_not_exceed_the_budget(city, coordinator):
    project = project_from(coordinator, [ProposalFactory(city=city)], budget="1000000")
    services.financing_add(
        actor=coordinator, project=project, kind="city_budget", amount="600000"
    )
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        services.financing_add(
            actor=coordinator, project=project, kind="eu_grant", amount="500000"
        )
    message = caught.value.message_dict["amount"][0]
    assert "1,100,000.00 EUR" in message
    assert "1,000,000.00 EUR" in message
    assert "100,000.00 EUR too much" in message
    assert _counts() == before


def test_changing_a_source_is_checked_against_the_budget(city, coordinator):
    project = project_from(coordinator, [ProposalFactory(city=city)], budget="1000")
    source = services.financing_add(
        actor=coordinator, project=project, kind="green_bond", amount="800"
    )
    services.financing_add(
        actor=coordinator, project=project, kind="cooperative", amount="200"
    )
    with pytest.raises(ValidationError):
        services.financing_change(actor=coordinator, source=source, amount="900")
    source.refresh_from_db()
    assert source.amount == Decimal("800.00")
    changed = services.financing_change(
        actor=coordinator, source=source, amount="700", status="committed"
    )
    assert (changed.amount, changed.status) == (Decimal("700.00"), "committed")


def test_budget_cannot_fall_below_the_financing(city, coordinator):
    project = project_from(coordinator, [ProposalFactory(city=city)], budget="1000")
    services.financing_add(
        actor=coordinator, project=project, kind="city_budget", amount="900"
    )
    with pytest.raises(ValidationError) as caught:
        services.project_update(actor=coordinator, project=project, budget="800")
    assert "900.00 EUR" in caught.value.message_dict["budget"][0]
    project.refresh_from_db()
    assert project.budget == Decimal("1000.00")


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "1e400"])
def test_bad_amounts_are_refused(city, coordinator, amount):
    project = project_from(coordinator, [ProposalFactory(city=city)])
    with pytest.raises(ValidationError):
        services.financing_add(
            actor=coordinator, project=project, kind="city_budget", amount=amount
        )
    assert not FinancingSource.objects.exists()


def test_milestone_done_before_it_was_created_is_refused(city, coordinator):
    project = project_from(coordinator, [ProposalFactory(city=city)])
    milestone = services.milestone_add(
        actor=coordinator, project=project, title="Tender", due_on="2030-01-01"
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.milestone_mark_done(
            actor=coordinator, milestone=milestone, done_on=yesterday
        )
    assert "before it was created" in caught.value.message_dict["done_on"][0]
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="future"):
        services.milestone_mark_done(
            actor=coordinator, milestone=milestone, done_on=tomorrow
        )
    milestone.refresh_from_db()
    assert milestone.done_on is None
    done = services.milestone_mark_done(actor=coordinator, milestone=milestone)
    assert done.done_on == timezone.localdate()


def test_status_follows_the_flow_and_records_dates(city, coordinator):
    project = project_from(coordinator, [ProposalFactory(city=city)])
    with pytest.raises(ValidationError, match="cannot become"):
        services.project_set_status(
            actor=coordinator, project=project, to_status=ProjectStatus.COMPLETED
        )
    project = services.project_set_status(
        actor=coordinator, project=project, to_status=ProjectStatus.PROCUREMENT
    )
    project = services.project_set_status(
        actor=coordinator, project=project, to_status=ProjectStatus.IN_PROGRESS
    )
    assert project.started_on == timezone.localdate()
    project = services.project_set_status(
        actor=coordinator, project=project, to_status=ProjectStatus.COMPLETED
    )
    assert project.completed_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services.project_set_status(
            actor=coordinator, project=project, to_status=ProjectStatus.CANCELLED
        )
    assert AuditEvent.objects.filter(action="project.status").count() == 3


def test_measured_impact_needs_value_date_and_how(city, coordinator):
    proposal = ProposalFactory(city=city)
    ImpactFactory(proposal=proposal)
    project = project_from(coordinator, [proposal])
    impact = project.impacts.get()
    with pytest.raises(ValidationError) as caught:
        services.impact_report(
            actor=coordinator,
            impact=impact,
            measured="90",
            measured_on=timezone.localdate(),
            note=" ",
        )
    assert "note" in caught.value.message_dict
    reported = services.impact_report(
        actor=coordinator,
        impact=impact,
        measured="90",
        measured_on=timezone.localdate(),
        note="Meter readings",
    )
    assert reported.measured == Decimal("90.00")


def test_an_update_tells_the_followers_not_its_author(
    city, coordinator, django_capture_on_commit_callbacks
):
    project = project_from(coordinator, [ProposalFactory(city=city)])
    fan = UserFactory()
    Follow.objects.create(user=fan, project=project)
    with django_capture_on_commit_callbacks(execute=True):
        update = services.project_update_publish(
            actor=coordinator, project=project, title="Works begin", body="<b>Now</b>"
        )
    assert "<b>" not in update.body_html
    news = Notification.objects.filter(event_key=f"project-update:{update.pk}")
    assert set(news.values_list("recipient_id", flat=True)) >= {fan.pk}
    assert not news.filter(recipient=coordinator).exists()


def test_partner_twice_in_one_role_is_refused(city, coordinator):
    proposal = ProposalFactory(city=city)
    project = project_from(coordinator, [proposal])
    with pytest.raises(ValidationError, match="already"):
        services.project_partner_add(
            actor=coordinator,
            project=project,
            organisation=proposal.lead_organisation,
            role="lead",
        )
    contractor = services.project_partner_add(
        actor=coordinator,
        project=project,
        organisation=proposal.lead_organisation,
        role="contractor",
    )
    services.project_partner_remove(actor=coordinator, partner=contractor)
    assert project.partners.count() == 1


def test_source_proposal_page_is_retired_from_the_cache(city, coordinator, client):
    proposal = ProposalFactory(city=city)
    first = client.get(f"/proposals/{proposal.pk}/")
    assert b"Became part of" not in first.content
    project = project_from(coordinator, [proposal], title="Harbour heat network")
    page = client.get(f"/proposals/{proposal.pk}/")
    assert b"Became part of" in page.content
    assert project.get_absolute_url().encode() in page.content


def test_followers_read_a_status_change_in_words(
    city, coordinator, django_capture_on_commit_callbacks
):
    project = project_from(
        coordinator, [ProposalFactory(city=city)], title="Harbour heat network"
    )
    fan = UserFactory()
    Follow.objects.create(user=fan, project=project)
    with django_capture_on_commit_callbacks(execute=True):
        services.project_set_status(
            actor=coordinator, project=project, to_status=ProjectStatus.IN_PROGRESS
        )
    news = Notification.objects.get(recipient=fan, kind=NotificationKind.PROJECT)
    assert news.text == "Work on the project “Harbour heat network” began."
    assert news.url == project.get_absolute_url()
