"""``/api/v1/dashboard/{city}/``: the numbers behind the charts, coordinators only."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.factories import OrganisationFactory, role_users
from tests.projects.dashboard_factories import EXPECTED, more_proposals, riverbend_world

pytestmark = pytest.mark.django_db

URL = "/api/v1/dashboard/riverbend/"


def _client(user: Any) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def world() -> dict[str, Any]:
    return riverbend_world()


@pytest.fixture
def users(world: dict[str, Any]) -> dict[str, Any]:
    return role_users(world["city"], OrganisationFactory(), other_city_slug="lakeside")


def test_dashboard_api_permission_table(users: dict[str, Any]) -> None:
    got = {role: _client(u).get(URL).status_code for role, u in users.items()}
    assert got == {
        "anonymous": 401,
        "resident": 403,
        "org_member": 403,
        "org_admin": 403,
        "unverified_official": 403,
        "official": 403,
        "coordinator": 200,
        "coordinator_elsewhere": 403,
        "moderator": 403,
        "staff": 200,
    }


def test_dashboard_api_numbers_match_the_hand_count(users: dict[str, Any]) -> None:
    data = _client(users["coordinator"]).get(URL).json()
    assert {r["status"]: r["count"] for r in data["pipeline"]} == EXPECTED["pipeline"]
    assert {r["sector"]: r["count"] for r in data["sectors"] if r["count"]} == (
        EXPECTED["sectors"]
    )
    assert {(p["a"], p["b"]): p["count"] for p in data["sector_pairs"]} == (
        EXPECTED["pairs"]
    )
    assert {r["title"]: r["count"] for r in data["priority_coverage"]} == (
        EXPECTED["coverage"]
    )
    assert data["good_match"] == 0.5
    assert {r["kind"]: r["amount"] for r in data["financing"]} == {
        "city_budget": "450000.00",
        "green_bond": "500000.00",
    }
    co2 = next(r for r in data["impacts"] if r["indicator"] == "co2_avoided")
    assert (co2["expected"], co2["measured"]) == ("150.00", "80.00")
    assert data["headline"]["proposals"] == 6


def test_dashboard_api_range_and_unit(users: dict[str, Any]) -> None:
    data = (
        _client(users["coordinator"])
        .get(URL, {"start": "2026-03-01", "end": "2026-05-31", "unit": "month"})
        .json()
    )
    assert data["period"] == {"start": "2026-03-01", "end": "2026-05-31"}
    months = {p["start"]: p["supports"] for p in data["activity"]["periods"]}
    assert months == {"2026-03-01": 2, "2026-04-01": 3, "2026-05-01": 0}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "2026-05-01", "end": "2026-03-01"}, "end"),
        ({"start": "not-a-date"}, "start"),
        ({"unit": "decade"}, "unit"),
        ({"start": "1990-01-01", "end": "2026-01-01"}, "end"),
    ],
)
def test_dashboard_api_refuses_bad_parameters_with_field_errors(
    users: dict[str, Any], query: dict[str, str], field: str
) -> None:
    response = _client(users["coordinator"]).get(URL, query)
    assert response.status_code == 400
    assert field in response.json()


def test_dashboard_api_unknown_city_is_404(users: dict[str, Any]) -> None:
    assert _client(users["staff"]).get("/api/v1/dashboard/nowhere/").status_code == 404


def test_dashboard_api_queries_do_not_grow(
    world: dict[str, Any], users: dict[str, Any]
) -> None:
    client = _client(users["coordinator"])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    count()  # the first call also reads the coordinator's roles, then kept
    more_proposals(world["city"], 2, world["priorities"][0])
    few = count()
    more_proposals(world["city"], 18, world["priorities"][0])
    assert count() == few
