"""Project pages: the list (filters, pagination, query count), the detail page
(financing bar, timeline, impacts, sources, conversation, follow), the
coordinator's pages (create from proposals, pre-selected from a proposal page;
manage; refusals shown next to the field, nothing saved), and the proposal page's
"became part of"."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import (
    FinancingSource,
    Follow,
    Milestone,
    Project,
    ProjectStatus,
    ProposalStatus,
)
from projects.services import projects as services
from tests.factories import CityFactory, UserFactory, make_coordinator
from tests.projects.factories import ProposalFactory
from tests.projects.project_factories import (
    FinancingFactory,
    MilestoneFactory,
    ProjectFactory,
    project_from,
    rich_project,
)

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_costs_the_same_for_2_and_12_projects(client) -> None:
    city = CityFactory(slug="riverbend")
    for _ in range(2):
        rich_project(city)
    two = _queries(client, "/projects/")
    for _ in range(10):
        rich_project(city)
    twelve = _queries(client, "/projects/")
    assert two == twelve
    assert twelve <= 6


def test_detail_costs_the_same_for_few_and_many_rows(client) -> None:
    project = rich_project()
    few = _queries(client, f"/projects/{project.pk}/")
    for _ in range(10):
        rich = rich_project(project.city)
        FinancingFactory(
            project=project, organisation=rich.financing.first().organisation
        )
        MilestoneFactory(project=project)
    many = _queries(client, f"/projects/{project.pk}/")
    assert few == many


def test_list_filters_by_city_status_delivery_and_sector(client) -> None:
    river = CityFactory(slug="riverbend")
    lyon = CityFactory(slug="lyon")
    a = ProjectFactory(city=river, title="Heat network", status="in_progress")
    b = ProjectFactory(
        city=lyon, title="Water meters", delivery_model="concession", sectors=["water"]
    )
    page = client.get("/projects/?city=riverbend").content.decode()
    assert a.title in page and b.title not in page
    page = client.get("/projects/?status=in_progress").content.decode()
    assert a.title in page and b.title not in page
    page = client.get("/projects/?delivery=concession").content.decode()
    assert b.title in page and a.title not in page
    page = client.get("/projects/?sector=water").content.decode()
    assert b.title in page and a.title not in page
    assert client.get("/projects/?status=bogus").status_code == 400


def test_detail_shows_financing_timeline_impacts_and_sources(client) -> None:
    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    proposal = ProposalFactory(city=city, title="Solar roofs for Harbourline")
    project = project_from(coordinator, [proposal], budget="1000000")
    services.financing_add(
        actor=coordinator, project=project, kind="city_budget", amount="250000"
    )
    services.financing_add(
        actor=coordinator, project=project, kind="green_bond", amount="500000"
    )
    done = MilestoneFactory(
        project=project, title="Contract signed", done_on=timezone.localdate()
    )
    late = MilestoneFactory(
        project=project,
        title="Roof survey",
        due_on=timezone.localdate() - timedelta(days=3),
    )
    MilestoneFactory(project=project, title="Panels installed")
    page = client.get(project.get_absolute_url()).content.decode()
    assert 'class="financing-city_budget" x="50.00" y="0" width="25.00"' in page
    assert 'class="financing-green_bond" x="0.00" y="0" width="50.00"' in page
    assert "Not financed yet" in page
    assert "750,000 EUR" in page
    assert "milestone milestone-done" in page and done.title in page
    assert "milestone milestone-late" in page and late.title in page
    assert "milestone milestone-upcoming" in page
    assert proposal.title in page
    assert 'id="comments"' in page
    assert "Sign in to follow" in page
    assert "style=" not in page and "<script>" not in page


def test_proposal_page_offers_coordinators_to_create_a_project(client) -> None:
    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    proposal = ProposalFactory(city=city, status=ProposalStatus.SHORTLISTED)
    client.force_login(coordinator)
    page = client.get(proposal.get_absolute_url()).content.decode()
    link = f"/projects/new/?proposal={proposal.pk}"
    assert link in page
    form = client.get(link).content.decode()
    assert f'value="{proposal.pk}"' in form and "checked" in form
    response = client.post(
        link, {"proposals": [proposal.pk], "title": "Solar roofs", "budget": "900000"}
    )
    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    assert project.budget == Decimal("900000.00")
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Became part of a project" in page and "Solar roofs" in page
    assert link not in page


def test_create_page_shows_refusals_and_saves_nothing(client) -> None:
    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    here = ProposalFactory(city=city)
    there = ProposalFactory(city=CityFactory(slug="lyon"))
    client.force_login(coordinator)
    response = client.post(
        f"/projects/new/?city={city.slug}", {"proposals": [here.pk, there.pk]}
    )
    assert response.status_code == 400
    assert "different cities" in response.content.decode()
    assert not Project.objects.exists()
    response = client.post(f"/projects/new/?city={city.slug}", {})
    assert response.status_code == 400
    assert not Project.objects.exists()


def test_manage_page_refuses_financing_over_budget_with_the_numbers(client) -> None:
    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    project = project_from(coordinator, [ProposalFactory(city=city)], budget="1000")
    client.force_login(coordinator)
    response = client.post(
        f"/projects/{project.pk}/financing/",
        {
            "financing-kind": "eu_grant",
            "financing-amount": "1500",
            "financing-status": "planned",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "1,500.00 EUR" in text and "500.00 EUR too much" in text
    assert not FinancingSource.objects.exists()
    ok = client.post(
        f"/projects/{project.pk}/financing/",
        {
            "financing-kind": "eu_grant",
            "financing-amount": "600",
            "financing-status": "planned",
        },
    )
    assert ok.status_code == 302
    assert FinancingSource.objects.get().amount == Decimal("600.00")


def test_manage_page_refuses_a_milestone_done_before_it_was_created(client) -> None:
    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    project = project_from(coordinator, [ProposalFactory(city=city)])
    milestone = MilestoneFactory(project=project)
    client.force_login(coordinator)
    before = (timezone.localdate() - timedelta(days=10)).isoformat()
    response = client.post(
        f"/projects/{project.pk}/milestones/{milestone.pk}/done/",
        {f"milestone-{milestone.pk}-done_on": before},
    )
    assert response.status_code == 400
    assert "before it was created" in response.content.decode()
    assert Milestone.objects.get().done_on is None


def test_status_change_page(client) -> None:
    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    project = project_from(coordinator, [ProposalFactory(city=city)])
    client.force_login(coordinator)
    refused = client.post(
        f"/projects/{project.pk}/status/", {"status-status": "completed"}
    )
    assert refused.status_code == 400
    client.post(f"/projects/{project.pk}/status/", {"status-status": "in_progress"})
    project.refresh_from_db()
    assert project.status == ProjectStatus.IN_PROGRESS


def test_follow_and_comment_on_a_project_page(client) -> None:
    project = ProjectFactory()
    resident = UserFactory()
    client.force_login(resident)
    client.post(f"/projects/{project.pk}/follow/")
    project.refresh_from_db()
    assert project.follower_count == 1
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Following" in page
    client.post(f"/projects/{project.pk}/follow/", {"action": "remove"})
    project.refresh_from_db()
    assert project.follower_count == 0
    assert not Follow.objects.exists()
    response = client.post(
        f"/projects/{project.pk}/comments/", {"body": "Will the **street** close?"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(f"/projects/{project.pk}/#comment-")
    page = client.get(project.get_absolute_url()).content.decode()
    assert "<strong>street</strong>" in page
    project.refresh_from_db()
    assert project.comment_count == 1
    assert project.follower_count == 1
    empty = client.post(f"/projects/{project.pk}/comments/", {"body": "  "})
    assert empty.status_code == 400


def test_manage_page_changes_a_milestone_and_refuses_a_blank_title(client) -> None:
    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    project = project_from(coordinator, [ProposalFactory(city=city)])
    milestone = MilestoneFactory(project=project, title="Tender")
    client.force_login(coordinator)
    url = f"/projects/{project.pk}/milestones/{milestone.pk}/change/"
    page = client.get(f"/projects/{project.pk}/manage/").content.decode()
    assert url in page
    refused = client.post(
        url, {f"change-{milestone.pk}-title": " ", f"change-{milestone.pk}-due_on": ""}
    )
    assert refused.status_code == 400
    milestone.refresh_from_db()
    assert milestone.title == "Tender"
    done = client.post(
        url,
        {
            f"change-{milestone.pk}-title": "Tender published",
            f"change-{milestone.pk}-due_on": "2031-03-01",
        },
    )
    assert done.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_on.isoformat()) == (
        "Tender published",
        "2031-03-01",
    )
