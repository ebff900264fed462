"""Projects API: reads in a bounded number of queries, writes through the services
with field errors a person understands (400, nothing saved), and the rows under a
project."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import FinancingSource, Milestone, Project, ProposalStatus
from tests.factories import CityFactory, make_coordinator
from tests.projects.factories import ImpactFactory, ProposalFactory, api_client
from tests.projects.project_factories import (
    MilestoneFactory,
    project_from,
    rich_project,
)

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def test_list_costs_the_same_for_2_and_20_projects() -> None:
    city = CityFactory(slug="riverbend")
    client = api_client()
    for _ in range(2):
        rich_project(city)
    two = _count(client, "/api/v1/projects/")
    for _ in range(18):
        rich_project(city)
    twenty = _count(client, "/api/v1/projects/")
    assert two == twenty
    assert client.get("/api/v1/projects/").json()["count"] == 20


def test_detail_costs_the_same_whatever_its_rows() -> None:
    project = rich_project()
    client = api_client()
    few = _count(client, f"/api/v1/projects/{project.pk}/")
    for _ in range(8):
        MilestoneFactory(project=project)
    many = _count(client, f"/api/v1/projects/{project.pk}/")
    assert few == many


def test_create_from_two_proposals_and_read_it_back() -> None:
    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    first = ProposalFactory(city=city, status=ProposalStatus.SHORTLISTED)
    second = ProposalFactory(city=city)
    ImpactFactory(proposal=first)
    ImpactFactory(proposal=second)
    client = api_client(coordinator)
    response = client.post(
        "/api/v1/projects/",
        {"proposals": [first.pk, second.pk], "title": "Solar and housing"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["title"] == "Solar and housing"
    assert [s["id"] for s in body["source_proposals"]] == [first.pk, second.pk]
    assert body["impacts"][0]["expected"] == "240.00"
    assert body["permissions"]["manage"] is True
    assert body["budget"] == "2400000.00"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "proposals"),
        ({"proposals": []}, "proposals"),
        ({"proposals": ["x"]}, "proposals"),
        ({"proposals": [999999]}, "proposals"),
        ({"proposals": "PLACEHOLDER", "budget": "-1"}, "budget"),
        ({"proposals": "PLACEHOLDER", "delivery_model": "barter"}, "delivery_model"),
        ({"proposals": "PLACEHOLDER", "colour": "green"}, "colour"),
    ],
)
def test_bad_create_input_is_a_field_error(payload, field) -> None:
    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    proposal = ProposalFactory(city=city)
    if payload.get("proposals") == "PLACEHOLDER":
        payload = {**payload, "proposals": [proposal.pk]}
    response = api_client(coordinator).post("/api/v1/projects/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Project.objects.exists()


def test_proposals_of_two_cities_are_a_field_error() -> None:
    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    here = ProposalFactory(city=city)
    there = ProposalFactory(city=CityFactory(slug="lyon"))
    response = api_client(coordinator).post(
        "/api/v1/projects/", {"proposals": [here.pk, there.pk]}, format="json"
    )
    assert response.status_code == 400
    assert "different cities" in response.json()["proposals"][0]
    assert not Project.objects.exists()


def test_a_draft_of_someone_else_does_not_exist_for_the_coordinator() -> None:
    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    draft = ProposalFactory(city=city, status=ProposalStatus.DRAFT)
    response = api_client(coordinator).post(
        "/api/v1/projects/", {"proposals": [draft.pk]}, format="json"
    )
    assert response.status_code == 400
    assert draft.title not in str(response.json())


def test_rows_of_a_project_through_the_api() -> None:
    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    proposal = ProposalFactory(city=city)
    ImpactFactory(proposal=proposal)
    project = project_from(coordinator, [proposal], budget="1000")
    client = api_client(coordinator)
    base = f"/api/v1/projects/{project.pk}"

    over = client.post(
        f"{base}/financing/", {"kind": "eu_grant", "amount": "1000.01"}, format="json"
    )
    assert over.status_code == 400
    assert "0.01 EUR too much" in over.json()["amount"][0]
    source = client.post(
        f"{base}/financing/",
        {"kind": "eu_grant", "amount": "600", "status": "committed"},
        format="json",
    ).json()
    changed = client.patch(
        f"{base}/financing/{source['id']}/", {"amount": "700"}, format="json"
    )
    assert changed.json()["amount"] == "700.00"
    lower = client.patch(f"{base}/", {"budget": "500"}, format="json")
    assert lower.status_code == 400 and "budget" in lower.json()
    assert client.delete(f"{base}/financing/{source['id']}/").status_code == 204
    assert not FinancingSource.objects.exists()

    milestone = client.post(
        f"{base}/milestones/",
        {"title": "Tender", "due_on": "2031-01-01"},
        format="json",
    ).json()
    assert milestone["state"] == "upcoming"
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    early = client.patch(
        f"{base}/milestones/{milestone['id']}/", {"done_on": past}, format="json"
    )
    assert early.status_code == 400
    assert "before it was created" in early.json()["done_on"][0]
    done = client.patch(
        f"{base}/milestones/{milestone['id']}/",
        {"done_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert done.json()["state"] == "done"
    assert Milestone.objects.get().done_on == timezone.localdate()

    impact = client.get(f"{base}/impacts/").json()[0]
    report = client.patch(
        f"{base}/impacts/{impact['id']}/",
        {"measured": "130", "measured_on": "2025-06-01", "note": "Meters"},
        format="json",
    )
    assert report.status_code == 200 and report.json()["measured"] == "130.00"
    missing = client.patch(
        f"{base}/impacts/{impact['id']}/", {"measured": "1"}, format="json"
    )
    assert missing.status_code == 400

    update = client.post(
        f"{base}/updates/",
        {"title": "Works", "body": "<script>x</script>Begun"},
        format="json",
    )
    assert update.status_code == 201 and "<script>" not in update.json()["body_html"]
    status = client.post(f"{base}/status/", {"status": "in_progress"}, format="json")
    assert status.json()["status"] == "in_progress"
    assert status.json()["started_on"] == timezone.localdate().isoformat()


def test_rows_of_another_project_are_404() -> None:
    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    one = project_from(coordinator, [ProposalFactory(city=city)])
    other = project_from(coordinator, [ProposalFactory(city=city)])
    milestone = MilestoneFactory(project=other)
    response = api_client(coordinator).patch(
        f"/api/v1/projects/{one.pk}/milestones/{milestone.pk}/",
        {"title": "Moved"},
        format="json",
    )
    assert response.status_code == 404
    assert api_client().get("/api/v1/projects/999999/").status_code == 404


def test_filters() -> None:
    city = CityFactory(slug="riverbend")
    rich_project(city, status="completed", budget=Decimal("5"))
    rich_project()
    client = api_client()
    assert client.get("/api/v1/projects/?city=riverbend").json()["count"] == 1
    assert client.get("/api/v1/projects/?status=completed").json()["count"] == 1
    assert client.get("/api/v1/projects/?status=nope").status_code == 400
