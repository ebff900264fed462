"""The coordinators' dashboard page: who may open it, what it shows, what it costs."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from stakeholders.models import User
from tests.factories import OrganisationFactory, make_coordinator, role_users
from tests.projects.dashboard_factories import more_proposals, riverbend_world

pytestmark = pytest.mark.django_db

URL = "/cities/riverbend/dashboard/"


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def world() -> dict[str, Any]:
    return riverbend_world()


EXPECTED = {
    "anonymous": 302,
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


def test_dashboard_permission_table(world: dict[str, Any]) -> None:
    users = role_users(world["city"], OrganisationFactory(), other_city_slug="lakeside")
    got = {role: _client(user).get(URL).status_code for role, user in users.items()}
    assert got == EXPECTED


def test_coordinator_without_two_factor_is_told_to_set_it_up(
    world: dict[str, Any],
) -> None:
    person = make_coordinator(world["city"], two_factor=False)
    response = _client(person).get(URL)
    assert response.status_code == 403
    assert "two-factor" in response.content.decode()


def test_unknown_city_is_404(world: dict[str, Any]) -> None:
    person = make_coordinator(world["city"])
    assert _client(person).get("/cities/nowhere/dashboard/").status_code == 404


def _svgs(page: str) -> list[str]:
    return [
        base64.b64decode(m).decode()
        for m in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page)
    ]


def test_dashboard_draws_every_chart_with_its_text_alternative(
    world: dict[str, Any],
) -> None:
    page = _client(make_coordinator(world["city"])).get(URL).content.decode()
    # Eight charts, each an image with a sentence and a table of numbers.
    assert len(_svgs(page)) == 8
    assert page.count('class="chart__data"') == 8
    assert "6 proposals past the draft stage" in page
    assert "Energy with Housing (2 proposals)" in page
    assert "1 priority is answered well by no proposal: Move people differently" in (
        page
    )
    assert "Green bond 500,000 (53 %)" in page
    assert "CO2 avoided (t CO2 per year) 80 %" in page
    # The unanswered priority is highlighted apart from the chart.
    assert "dashboard-alert" in page
    # No script or inline style anywhere the CSP would refuse.
    assert "<script>" not in page and "style=" not in page
    # Internal notes never appear.
    assert "SECRET-NOTE" not in page


def test_dashboard_range_narrows_the_numbers(world: dict[str, Any]) -> None:
    client = _client(make_coordinator(world["city"]))
    page = client.get(URL, {"start": "2026-03-01", "end": "2026-03-31"}).content
    assert "2 proposals past the draft stage" in page.decode()


def test_dashboard_refuses_a_backwards_range_with_a_message(
    world: dict[str, Any],
) -> None:
    client = _client(make_coordinator(world["city"]))
    response = client.get(URL, {"start": "2026-05-01", "end": "2026-03-01"})
    assert response.status_code == 400
    assert "start of the range must come before its end" in response.content.decode()
    response = client.get(URL, {"start": "yesterday"})
    assert response.status_code == 400
    assert "Enter a valid date" in response.content.decode()


def test_empty_city_dashboard_says_there_is_nothing_yet() -> None:
    from tests.factories import CityFactory

    city = CityFactory(slug="riverbend")
    page = _client(make_coordinator(city)).get(URL).content.decode()
    assert "No proposal has been submitted in this period." in page
    assert "The city has no active priority." in page
    assert _svgs(page) == []


def _count(client: Client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_queries_do_not_grow_with_the_number_of_proposals(
    world: dict[str, Any],
) -> None:
    client = _client(make_coordinator(world["city"]))
    priority = world["priorities"][0]
    more_proposals(world["city"], 2, priority)
    few = _count(client)
    more_proposals(world["city"], 18, priority)
    many = _count(client)
    assert few == many
    assert many <= 20
