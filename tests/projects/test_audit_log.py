"""The city's audit log: page, filters, exports and API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from stakeholders.models import AuditEvent, City
from stakeholders.services import audit_record
from tests.factories import (
    CityFactory,
    OrganisationFactory,
    UserFactory,
    make_coordinator,
    role_users,
)
from tests.projects.dashboard_factories import at
from tests.projects.factories import ProposalFactory

pytestmark = pytest.mark.django_db

URL = "/cities/riverbend/audit/"


def _event(
    city: City, action: str, *, actor: Any = None, target: Any = None, **kw: Any
):
    event = audit_record(actor=actor, action=action, target=target, city=city, **kw)
    return event


@pytest.fixture
def world() -> dict[str, Any]:
    city = CityFactory(slug="riverbend", name="Riverbend")
    other = CityFactory(slug="lakeside-town")
    alice = UserFactory(display_name="Alice Coordinator")
    bob = UserFactory(display_name="Bob Moderator")
    proposal = ProposalFactory(city=city, title="Solar roofs")
    _event(
        city, "proposal.shortlisted", actor=alice, target=proposal, reason="Good fit"
    )
    _event(city, "review.assign", actor=alice, target=proposal)
    _event(
        city, "moderation.hide", actor=bob, target=proposal, reason="=cmd|' /C calc'!A0"
    )
    _event(city, "city_role.verified", actor=alice)
    _event(other, "proposal.accepted", actor=alice, reason="OTHER-CITY")
    old = _event(city, "match.confirmed", actor=alice)
    AuditEvent.objects.filter(pk=old.pk).update(created_at=at("2025-01-10"))
    return {"city": city, "alice": alice, "bob": bob, "proposal": proposal}


def _page(user: Any, **query: str) -> Any:
    client = Client()
    client.force_login(user)
    return client.get(URL, query)


def test_audit_page_permission_table(world: dict[str, Any]) -> None:
    users = role_users(world["city"], OrganisationFactory(), other_city_slug="lakeside")
    got = {}
    for role, user in users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        got[role] = client.get(URL).status_code
    assert got == {
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


def test_audit_page_lists_the_citys_decisions_newest_first(
    world: dict[str, Any],
) -> None:
    page = _page(make_coordinator(world["city"])).content.decode()
    assert "proposal.shortlisted" in page and "Good fit" in page
    assert "OTHER-CITY" not in page
    assert page.index("city_role.verified") < page.index("proposal.shortlisted")
    assert "5 entries" in page


@pytest.mark.parametrize(
    ("query", "actions"),
    [
        ({"group": "proposal"}, {"proposal.shortlisted"}),
        ({"group": "moderation"}, {"moderation.hide"}),
        ({"group": "verification"}, {"city_role.verified"}),
        ({"group": "match"}, {"match.confirmed"}),
        (
            {"target_type": "proposal"},
            {"proposal.shortlisted", "review.assign", "moderation.hide"},
        ),
        ({"start": "2025-01-01", "end": "2025-12-31"}, {"match.confirmed"}),
    ],
)
def test_audit_filters(
    world: dict[str, Any], query: dict[str, str], actions: set[str]
) -> None:
    coordinator = make_coordinator(world["city"])
    from projects import selectors_dashboard as sd
    from projects.views_dashboard import AuditFilterForm

    form = AuditFilterForm(query, actors=sd.audit_actors(world["city"]))
    assert form.is_valid(), form.errors
    found = {e.action for e in sd.audit_events(world["city"], form.filters())}
    assert found == actions
    assert _page(coordinator, **query).status_code == 200


def test_audit_actor_filter_and_bad_input(world: dict[str, Any]) -> None:
    coordinator = make_coordinator(world["city"])
    page = _page(coordinator, actor=str(world["bob"].pk)).content.decode()
    assert "moderation.hide" in page and "proposal.shortlisted" not in page
    response = _page(coordinator, actor="999999", target_id="abc", group="nonsense")
    assert response.status_code == 400
    body = response.content.decode()
    assert "An object number is made of digits." in body
    assert "Select a valid choice" in body


def test_audit_export_is_filtered_and_neutralised(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(make_coordinator(world["city"]))
    response = client.get("/cities/riverbend/audit/export.csv", {"group": "moderation"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "moderation.hide" in text and "proposal.shortlisted" not in text
    assert "'=cmd" in text
    rows = json.loads(
        b"".join(client.get("/cities/riverbend/audit/export.json").streaming_content)
    )
    assert len(rows) == 5 and rows[0]["action"] == "city_role.verified"
    outsider = Client()
    outsider.force_login(make_coordinator(CityFactory(slug="lakeside")))
    assert outsider.get("/cities/riverbend/audit/export.csv").status_code == 403


def test_audit_api(world: dict[str, Any]) -> None:
    client = APIClient()
    assert client.get("/api/v1/audit/", {"city": "riverbend"}).status_code == 401
    client.force_authenticate(make_coordinator(world["city"]))
    data = client.get(
        "/api/v1/audit/", {"city": "riverbend", "group": "proposal"}
    ).json()
    assert data["count"] == 1
    event = data["results"][0]
    assert event["action"] == "proposal.shortlisted"
    assert event["actor"] == "Alice Coordinator"
    assert event["target_type"] == "proposal"
    assert event["target_id"] == str(world["proposal"].pk)
    assert client.get("/api/v1/audit/").json() == {"city": ["This field is required."]}
    assert (
        client.get("/api/v1/audit/", {"city": "riverbend", "actor": "x"}).status_code
        == 400
    )
    assert client.get("/api/v1/audit/", {"city": "nowhere"}).status_code == 404
    outsider = APIClient()
    outsider.force_authenticate(make_coordinator(CityFactory(slug="lakeside")))
    assert outsider.get("/api/v1/audit/", {"city": "riverbend"}).status_code == 403


def test_audit_page_queries_do_not_grow(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(make_coordinator(world["city"]))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(20):
        _event(
            world["city"],
            "proposal.rejected",
            actor=UserFactory(),
            target=ProposalFactory(city=world["city"]),
            reason=f"Reason {i}",
        )
    assert count() == few
