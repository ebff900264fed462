"""The public city page: priorities with their good answers, open proposals,
projects, headline numbers; links for coordinators; bounded queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from projects.models import Proposal
from tests.factories import CityFactory, UserFactory, make_coordinator
from tests.projects.dashboard_factories import more_proposals, riverbend_world

pytestmark = pytest.mark.django_db

URL = "/cities/riverbend/"


@pytest.fixture
def world() -> dict[str, Any]:
    return riverbend_world()


def test_city_page_is_public_and_summarises_the_city(world: dict[str, Any]) -> None:
    Proposal.objects.filter(pk=world["proposals"][2].pk).update(
        resident_support_count=42
    )
    response = Client().get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cut emissions from homes" in page
    assert "3 proposals answer it well" in page
    assert "No good answer yet" in page  # the priority nobody answers
    assert "Last year&#x27;s plan" not in page  # inactive priority
    # Open proposals only: the rejected and withdrawn ones and drafts are not listed.
    assert "Rooftop solar on social housing" in page
    assert world["draft"].title not in page
    assert world["proposals"][4].title not in page
    assert "42 supports" in page
    # Projects by status, and the open-data links.
    assert "Solar roofs" in page and "In progress: 1" in page
    assert "/exports/projects.csv?city=riverbend" in page
    # Coordinators' links and full exports are not shown to the public.
    assert "/cities/riverbend/dashboard/" not in page
    assert "/cities/riverbend/exports/" not in page
    assert "/cities/riverbend/signals/" not in page
    assert "SECRET-NOTE" not in page
    # The city's indicators are public data.
    assert "/cities/riverbend/indicators/" in page


def test_coordinators_see_links_to_dashboard_audit_and_full_exports(
    world: dict[str, Any],
) -> None:
    client = Client()
    client.force_login(make_coordinator(world["city"]))
    page = client.get(URL).content.decode()
    assert "/cities/riverbend/dashboard/" in page
    assert "/cities/riverbend/audit/" in page
    assert "/cities/riverbend/exports/proposals.csv" in page
    assert "/cities/riverbend/signals/" in page


def test_empty_city_page_says_so() -> None:
    CityFactory(slug="riverbend", name="Riverbend")
    page = Client().get(URL).content.decode()
    assert "Riverbend has not stated its priorities yet." in page
    assert "No proposal is open at the moment." in page
    assert "No project yet" in page


def test_unknown_city_is_404() -> None:
    assert Client().get("/cities/nowhere/").status_code == 404


def test_city_home_redirects_to_the_readers_city(world: dict[str, Any]) -> None:
    assert Client().get("/city/").url == "/cities/riverbend/"
    reader = UserFactory(home_city=world["elsewhere"])
    client = Client()
    client.force_login(reader)
    assert client.get("/city/").url == "/cities/elsewhere/"


def test_city_page_queries_do_not_grow(world: dict[str, Any]) -> None:
    client = Client()

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    more_proposals(world["city"], 2, world["priorities"][0])
    few = count()
    more_proposals(world["city"], 18, world["priorities"][0])
    assert count() == few
    assert few <= 12
