"""Who may do what with projects, through the API and the pages: one table of
(role, action, expected status) each.

The project is built from a proposal of Lyon led by an organisation whose member
and admin are "org_member" and "org_admin". Every action runs on rows of its own
(a fresh proposal to build from, a fresh project to change), so one role's success
never changes what the next action meets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from projects.models import Project
from stakeholders.models import Organisation, User
from tests.factories import (
    PERMISSION_ROLES,
    CityFactory,
    OrganisationFactory,
    role_users,
)
from tests.projects.factories import ProposalFactory, api_client
from tests.projects.project_factories import (
    MilestoneFactory,
    ProjectFactory,
    ProjectImpactFactory,
)

pytestmark = pytest.mark.django_db

ROLES = PERMISSION_ROLES

# Expected status per action, in the order of ROLES.
#                   anon res  mem  adm  uoff off  coord celse mod  staff
API: dict[str, list[int]] = {
    "list": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "retrieve": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "create": [401, 403, 403, 403, 403, 403, 201, 403, 403, 201],
    "update": [401, 403, 403, 403, 403, 403, 200, 403, 403, 200],
    "status": [401, 403, 403, 403, 403, 403, 200, 403, 403, 200],
    "financing": [401, 403, 403, 403, 403, 403, 201, 403, 403, 201],
    "milestone": [401, 403, 403, 403, 403, 403, 201, 403, 403, 201],
    "milestone_done": [401, 403, 403, 403, 403, 403, 200, 403, 403, 200],
    "partner": [401, 403, 403, 403, 403, 403, 201, 403, 403, 201],
    "impact": [401, 403, 403, 403, 403, 403, 201, 403, 403, 201],
    "impact_report": [401, 403, 403, 403, 403, 403, 200, 403, 403, 200],
    "publish": [401, 403, 403, 403, 403, 403, 201, 403, 403, 201],
    "read_rows": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "comment": [401, 201, 201, 201, 201, 201, 201, 201, 201, 201],
    "follow": [401, 200, 200, 200, 200, 200, 200, 200, 200, 200],
}
PAGES: dict[str, list[int]] = {
    "list": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "detail": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "create_form": [302, 403, 403, 403, 403, 403, 200, 403, 403, 200],
    "create": [302, 403, 403, 403, 403, 403, 302, 403, 403, 302],
    "manage": [302, 403, 403, 403, 403, 403, 200, 403, 403, 200],
    "edit": [302, 403, 403, 403, 403, 403, 200, 403, 403, 200],
    "status": [302, 403, 403, 403, 403, 403, 302, 403, 403, 302],
    "financing": [302, 403, 403, 403, 403, 403, 302, 403, 403, 302],
    "milestone": [302, 403, 403, 403, 403, 403, 302, 403, 403, 302],
    "publish": [302, 403, 403, 403, 403, 403, 302, 403, 403, 302],
    "comment": [302, 302, 302, 302, 302, 302, 302, 302, 302, 302],
    "follow": [302, 302, 302, 302, 302, 302, 302, 302, 302, 302],
}


class World:
    def __init__(self) -> None:
        self.city = CityFactory(slug="lyon")
        self.lead: Organisation = OrganisationFactory()
        self.users = role_users(self.city, self.lead, other_city_slug="paris")

    def proposal(self) -> Any:
        return ProposalFactory(city=self.city, lead_organisation=self.lead)

    def project(self) -> Project:
        return ProjectFactory(city=self.city)


@pytest.fixture
def world() -> World:
    return World()


def _api_actions(world: World) -> dict[str, Callable[[Any], Any]]:
    def fresh() -> Project:
        return world.project()

    def with_milestone(c: Any) -> Any:
        m = MilestoneFactory(project=fresh())
        return c.patch(
            f"/api/v1/projects/{m.project_id}/milestones/{m.pk}/",
            {"done_on": None, "title": "Tender out"},
            format="json",
        )

    def with_impact(c: Any) -> Any:
        i = ProjectImpactFactory(project=fresh())
        return c.patch(
            f"/api/v1/projects/{i.project_id}/impacts/{i.pk}/",
            {"measured": "80", "measured_on": "2024-01-01", "note": "Meters"},
            format="json",
        )

    return {
        "list": lambda c: c.get("/api/v1/projects/"),
        "retrieve": lambda c: c.get(f"/api/v1/projects/{fresh().pk}/"),
        "create": lambda c: c.post(
            "/api/v1/projects/", {"proposals": [world.proposal().pk]}, format="json"
        ),
        "update": lambda c: c.patch(
            f"/api/v1/projects/{fresh().pk}/", {"title": "New name"}, format="json"
        ),
        "status": lambda c: c.post(
            f"/api/v1/projects/{fresh().pk}/status/",
            {"status": "procurement"},
            format="json",
        ),
        "financing": lambda c: c.post(
            f"/api/v1/projects/{fresh().pk}/financing/",
            {"kind": "eu_grant", "amount": "1000.00"},
            format="json",
        ),
        "milestone": lambda c: c.post(
            f"/api/v1/projects/{fresh().pk}/milestones/",
            {"title": "Tender", "due_on": "2031-01-01"},
            format="json",
        ),
        "milestone_done": with_milestone,
        "partner": lambda c: c.post(
            f"/api/v1/projects/{fresh().pk}/partners/",
            {"organisation": world.lead.pk, "role": "operator"},
            format="json",
        ),
        "impact": lambda c: c.post(
            f"/api/v1/projects/{fresh().pk}/impacts/",
            {"indicator": "jobs_created", "unit": "jobs", "expected": "12"},
            format="json",
        ),
        "impact_report": with_impact,
        "publish": lambda c: c.post(
            f"/api/v1/projects/{fresh().pk}/updates/",
            {"title": "Works begin", "body": "Dock Street closes."},
            format="json",
        ),
        "read_rows": lambda c: c.get(f"/api/v1/projects/{fresh().pk}/milestones/"),
        "comment": lambda c: c.post(
            f"/api/v1/projects/{fresh().pk}/comments/", {"body": "When?"}, format="json"
        ),
        "follow": lambda c: c.post(f"/api/v1/projects/{fresh().pk}/follow/"),
    }


def _page_actions(world: World) -> dict[str, Callable[[Client], Any]]:
    def fresh() -> Project:
        return world.project()

    return {
        "list": lambda c: c.get("/projects/"),
        "detail": lambda c: c.get(f"/projects/{fresh().pk}/"),
        "create_form": lambda c: c.get(
            f"/projects/new/?proposal={world.proposal().pk}"
        ),
        "create": lambda c: c.post(
            f"/projects/new/?proposal={world.proposal().pk}",
            {"proposals": [world.proposal().pk]},
        ),
        "manage": lambda c: c.get(f"/projects/{fresh().pk}/manage/"),
        "edit": lambda c: c.get(f"/projects/{fresh().pk}/edit/"),
        "status": lambda c: c.post(
            f"/projects/{fresh().pk}/status/", {"status-status": "procurement"}
        ),
        "financing": lambda c: c.post(
            f"/projects/{fresh().pk}/financing/",
            {
                "financing-kind": "eu_grant",
                "financing-amount": "1000",
                "financing-status": "planned",
            },
        ),
        "milestone": lambda c: c.post(
            f"/projects/{fresh().pk}/milestones/",
            {"milestone-title": "Tender", "milestone-due_on": "2031-01-01"},
        ),
        "publish": lambda c: c.post(
            f"/projects/{fresh().pk}/updates/",
            {"update-title": "Works begin", "update-body": "Dock Street closes."},
        ),
        "comment": lambda c: c.post(
            f"/projects/{fresh().pk}/comments/", {"body": "When does it start?"}
        ),
        "follow": lambda c: c.post(f"/projects/{fresh().pk}/follow/"),
    }


@pytest.mark.parametrize("role", ROLES)
def test_api_permission_matrix(world: World, role: str) -> None:
    user: User | None = world.users[role]
    client = api_client(user)
    actions = _api_actions(world)
    column = ROLES.index(role)
    got = {name: actions[name](client).status_code for name in API}
    expected = {name: codes[column] for name, codes in API.items()}
    assert got == expected


@pytest.mark.parametrize("role", ROLES)
def test_page_permission_matrix(world: World, role: str) -> None:
    user: User | None = world.users[role]
    client = Client()
    if user is not None:
        client.force_login(user)
    actions = _page_actions(world)
    column = ROLES.index(role)
    got = {name: actions[name](client).status_code for name in PAGES}
    expected = {name: codes[column] for name, codes in PAGES.items()}
    assert got == expected


def test_refused_writes_change_nothing(world: World) -> None:
    project = world.project()
    resident = api_client(world.users["resident"])
    resident.patch(f"/api/v1/projects/{project.pk}/", {"title": "X"}, format="json")
    resident.post(
        f"/api/v1/projects/{project.pk}/financing/",
        {"kind": "eu_grant", "amount": "1"},
        format="json",
    )
    project.refresh_from_db()
    assert project.title != "X"
    assert not project.financing.exists()
