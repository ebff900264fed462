"""Exports of proposals, projects and matches: public ones leak nothing, the full
variant is for the coordinators of the city only, no export holds internal notes."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from projects.models import Proposal, ReviewAssignment
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    make_coordinator,
    role_users,
)
from tests.projects.dashboard_factories import more_proposals, riverbend_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    data = riverbend_world()
    p1, p2 = data["proposals"][:2]
    # A hidden proposal, and a reviewer's recommendation with its reason.
    Proposal.objects.filter(pk=p2.pk).update(
        hidden_at=timezone.now(), hidden_reason="Spam links"
    )
    ReviewAssignment.objects.create(
        proposal=p1,
        reviewer=UserFactory(display_name="Rita Reviewer"),
        recommendation="shortlist",
        recommendation_reason="SECRET-REASON",
    )
    return data


def _body(response: Any) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def _json(response: Any) -> list[dict[str, Any]]:
    return json.loads(_body(response))


def _csv(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_body(response))))


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Public --------------------------------------------------------------------------


def test_public_proposals_hold_no_draft_hidden_or_coordinator_field(
    world: dict[str, Any],
) -> None:
    rows = _json(Client().get("/exports/proposals.json?city=riverbend"))
    ids = {r["id"] for r in rows}
    p1, p2, *_ = world["proposals"]
    assert p1.pk in ids
    assert p2.pk not in ids  # hidden
    assert world["draft"].pk not in ids
    assert world["other"].pk not in ids
    text = json.dumps(rows)
    for secret in ("SECRET-NOTE", "SECRET-REASON", "Rita Reviewer", "Spam links"):
        assert secret not in text
    assert "reviewers" not in rows[0] and "hidden_reason" not in rows[0]


def test_public_projects_export_has_the_open_data_fields(world: dict[str, Any]) -> None:
    rows = _json(Client().get("/exports/projects.json?city=riverbend"))
    by_title = {r["title"]: r for r in rows}
    solar = by_title["Solar roofs"]
    assert solar["delivery_model"] == "ppp"
    assert solar["budget"] == "1000000.00"
    assert solar["financing_total"] == "800000.00"
    assert solar["financing"] == [
        {"kind": "green_bond", "amount": "500000.00", "status": "planned"},
        {"kind": "city_budget", "amount": "300000.00", "status": "planned"},
    ]
    assert solar["source_proposals"] == [world["proposals"][3].pk]
    assert {p["role"] for p in solar["partners"]} == {"lead", "operator"}
    assert solar["impacts"][0]["measured"] == "80.00"
    assert solar["milestones"] == 0
    # Coordinator-only fields stay out.
    assert "note" not in json.dumps(solar["financing"])
    assert "created_by" not in solar


def test_csv_cells_that_look_like_formulas_are_neutralised(
    world: dict[str, Any],
) -> None:
    rows = _csv(Client().get("/exports/projects.csv?city=riverbend"))
    solar = next(r for r in rows if r["title"] == "Solar roofs")
    assert solar["procurement_reference"].startswith("'=HYPERLINK")
    assert "green_bond" in solar["financing"]


def test_public_matches_only_of_public_proposals(world: dict[str, Any]) -> None:
    rows = _json(Client().get("/exports/matches.json?city=riverbend"))
    hidden = world["proposals"][1].pk
    assert hidden not in {r["proposal_id"] for r in rows}
    assert rows and set(rows[0]) == {
        "proposal_id",
        "priority_id",
        "score",
        "engine_version",
        "review",
    }
    assert world["other"].pk not in {r["proposal_id"] for r in rows}


def test_unknown_kind_or_format_is_404(world: dict[str, Any]) -> None:
    assert Client().get("/exports/notes.csv").status_code == 404
    assert Client().get("/exports/projects.xlsx").status_code == 404
    assert Client().get("/exports/projects.csv?city=nowhere").status_code == 404


# --- Full ----------------------------------------------------------------------------


FULL = "/cities/riverbend/exports/proposals.json"


def test_full_export_permission_table(world: dict[str, Any]) -> None:
    users = role_users(world["city"], OrganisationFactory(), other_city_slug="lakeside")
    got = {}
    for role, user in users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        got[role] = client.get(FULL).status_code
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


def test_full_proposals_hold_everything_but_internal_notes(
    world: dict[str, Any],
) -> None:
    rows = _json(_signed_in(make_coordinator(world["city"])).get(FULL))
    by_id = {r["id"]: r for r in rows}
    p1, p2 = world["proposals"][:2]
    assert by_id[p2.pk]["hidden"] is True
    assert by_id[p2.pk]["hidden_reason"] == "Spam links"
    assert by_id[p1.pk]["reviewers"] == [
        {
            "reviewer": "Rita Reviewer",
            "recommendation": "shortlist",
            "conflict_of_interest": False,
        }
    ]
    assert by_id[p1.pk]["best_match_score"] == 0.9
    assert by_id[world["proposals"][3].pk]["project_id"] == world["projects"][0].pk
    assert world["draft"].pk not in by_id
    assert world["other"].pk not in by_id
    text = json.dumps(rows)
    assert "SECRET-NOTE" not in text and "SECRET-REASON" not in text


def test_full_matches_and_projects_add_the_coordinators_fields(
    world: dict[str, Any],
) -> None:
    client = _signed_in(make_coordinator(world["city"]))
    matches = _json(client.get("/cities/riverbend/exports/matches.json"))
    assert world["proposals"][1].pk in {m["proposal_id"] for m in matches}
    assert matches[0]["components"] and matches[0]["reasons"]
    projects = _csv(client.get("/cities/riverbend/exports/projects.csv"))
    solar = next(r for r in projects if r["title"] == "Solar roofs")
    assert "Issued with the region" in solar["financing"]
    assert "created_by" in solar


def test_api_export_variants(world: dict[str, Any]) -> None:
    anonymous = APIClient()
    response = anonymous.get("/api/v1/exports/projects.csv", {"city": "riverbend"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert (
        anonymous.get(
            "/api/v1/exports/proposals.json", {"city": "riverbend", "variant": "full"}
        ).status_code
        == 401
    )
    elsewhere = APIClient()
    elsewhere.force_authenticate(make_coordinator(world["elsewhere"]))
    assert (
        elsewhere.get(
            "/api/v1/exports/proposals.json", {"city": "riverbend", "variant": "full"}
        ).status_code
        == 403
    )
    assert elsewhere.get(
        "/api/v1/exports/proposals.json", {"variant": "full"}
    ).json() == {"city": ["Say which city: the complete exports are per city."]}
    coordinator = APIClient()
    coordinator.force_authenticate(make_coordinator(world["city"]))
    rows = _json(
        coordinator.get(
            "/api/v1/exports/proposals.json", {"city": "riverbend", "variant": "full"}
        )
    )
    assert "SECRET-NOTE" not in json.dumps(rows)
    assert any(r["hidden"] for r in rows)
    assert coordinator.get("/api/v1/exports/notes.json").status_code == 404
    assert (
        coordinator.get(
            "/api/v1/exports/projects.json", {"variant": "everything"}
        ).status_code
        == 400
    )


@pytest.mark.parametrize("kind", ["proposals", "projects", "matches"])
def test_full_exports_cost_the_same_for_2_and_20_proposals(
    world: dict[str, Any], kind: str
) -> None:
    client = _signed_in(make_coordinator(world["city"]))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            _body(client.get(f"/cities/riverbend/exports/{kind}.csv"))
        return len(ctx.captured_queries)

    more_proposals(world["city"], 2, world["priorities"][0])
    few = count()
    more_proposals(world["city"], 18, world["priorities"][0])
    assert count() == few


def test_full_matches_explain_rows_stored_by_a_bulk_rescore(
    world: dict[str, Any],
) -> None:
    from projects.models import Match

    p1 = world["proposals"][0]
    Match.objects.filter(proposal=p1, priority=world["priorities"][0]).update(
        components={}, reasons=[]
    )
    client = _signed_in(make_coordinator(world["city"]))
    rows = _json(client.get("/cities/riverbend/exports/matches.json"))
    row = next(
        r
        for r in rows
        if r["proposal_id"] == p1.pk and r["priority_id"] == world["priorities"][0].pk
    )
    assert row["reasons"] and row["components"]
    assert row["score"] == 0.8
