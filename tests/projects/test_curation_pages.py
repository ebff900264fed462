"""The Internal review panel of a proposal's page and its forms: what it shows,
bad input answered on the page (400, nothing written), and a page whose cost does
not grow with the number of notes and reviewers."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from projects.models import InternalNote, Proposal, ProposalStatus, ReviewAssignment
from stakeholders.models import AuditEvent
from tests.factories import CityFactory
from tests.projects.curation_factories import (
    SECRET,
    SECRET_REASON,
    AssignmentFactory,
    NoteFactory,
    join,
    make_official,
    review_world,
)

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _counts() -> tuple[int, int, int]:
    return (
        ReviewAssignment.objects.count(),
        InternalNote.objects.count(),
        AuditEvent.objects.count(),
    )


def test_coordinator_sees_queue_panel_and_suggestions() -> None:
    world = review_world()
    make_official(world.city, display_name="Olga Official")
    client = _client(world.users["coordinator"])
    response = client.get(f"/cities/{world.city.slug}/review/")
    assert response.status_code == 200
    assert world.proposal.title in response.content.decode()
    html = client.get(world.proposal.get_absolute_url()).content.decode()
    assert SECRET in html and SECRET_REASON in html
    assert "Internal review" in html and "Suggested reviewers" in html
    assert "Olga Official" in html
    assert f'action="/proposals/{world.proposal.pk}/review/assign/"' in html


def test_reviewer_sees_recommendation_form_but_not_assignment_form() -> None:
    world = review_world()
    html = _client(world.reviewer).get(world.proposal.get_absolute_url())
    text = html.content.decode()
    assert "Your recommendation" in text and "Change my recommendation" in text
    assert "/review/assign/" not in text
    assert "Suggested reviewers" not in text


def test_note_through_the_page() -> None:
    world = review_world()
    client = _client(world.reviewer)
    url = f"/proposals/{world.proposal.pk}/review/notes/"
    before = _counts()
    response = client.post(url, {"note-body": "   "})
    assert response.status_code == 400
    assert "Write the note first." in response.content.decode()
    assert _counts() == before
    response = client.post(url, {"note-body": "Call the utility."})
    assert response.status_code == 302
    assert response["Location"].endswith("#internal-review")
    assert InternalNote.objects.filter(body="Call the utility.").exists()


def test_assign_through_the_page_with_conflict_override() -> None:
    world = review_world()
    official = make_official(world.city, display_name="Paula Partner")
    join(official, world.partner_org)
    client = _client(world.users["coordinator"])
    url = f"/proposals/{world.proposal.pk}/review/assign/"
    before = _counts()
    response = client.post(url, {"assign-reviewer": official.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert "conflict of interest" in html and "Riverbend Energy &amp; Water" in html
    assert _counts() == before
    response = client.post(
        url,
        {"assign-reviewer": official.pk, "assign-override_reason": "Only expert."},
    )
    assert response.status_code == 302
    html = client.get(world.proposal.get_absolute_url()).content.decode()
    assert "Paula Partner" in html and "Conflict of interest" in html


@pytest.mark.parametrize("who", ["elsewhere", "unknown", "empty"])
def test_assign_bad_reviewer_on_the_page(who: str) -> None:
    world = review_world()
    value = {
        "elsewhere": lambda: make_official(CityFactory()).pk,
        "unknown": lambda: 999999,
        "empty": lambda: "",
    }[who]()
    before = _counts()
    response = _client(world.users["coordinator"]).post(
        f"/proposals/{world.proposal.pk}/review/assign/", {"assign-reviewer": value}
    )
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'")
    assert (
        "Choose one of the city's verified officials" in html
        or "Choose the reviewer to assign." in html
    )
    assert _counts() == before


def test_recommend_through_the_page() -> None:
    world = review_world()
    client = _client(world.reviewer)
    url = f"/proposals/{world.proposal.pk}/review/recommendation/"
    response = client.post(url, {"recommend-recommendation": "reject"})
    assert response.status_code == 400
    assert "Say why you recommend this." in response.content.decode()
    response = client.post(
        url,
        {
            "recommend-recommendation": "reject",
            "recommend-recommendation_reason": "No budget this year.",
        },
    )
    assert response.status_code == 302
    world.assignment.refresh_from_db()
    assert world.assignment.recommendation == "reject"
    Proposal.objects.filter(pk=world.proposal.pk).update(status=ProposalStatus.ACCEPTED)
    response = client.post(
        url,
        {
            "recommend-recommendation": "accept",
            "recommend-recommendation_reason": "Too late.",
        },
        follow=True,
    )
    assert "reviewers work only on submitted" in response.content.decode()
    world.assignment.refresh_from_db()
    assert world.assignment.recommendation == "reject"


def test_unassign_through_the_page() -> None:
    world = review_world()
    response = _client(world.users["coordinator"]).post(
        f"/proposals/{world.proposal.pk}/review/assignments/"
        f"{world.assignment.pk}/remove/",
        follow=True,
    )
    assert response.status_code == 200
    assert "no longer reviews this proposal" in response.content.decode()
    assert not ReviewAssignment.objects.exists()


def _page_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_panel_costs_the_same_for_2_and_20_notes_and_reviewers() -> None:
    world = review_world()
    client = _client(world.users["coordinator"])
    url = world.proposal.get_absolute_url()
    NoteFactory(proposal=world.proposal, author=world.users["coordinator"])
    make_official(world.city)
    client.get(url)
    small = _page_queries(client, url)
    for _ in range(18):
        NoteFactory(proposal=world.proposal, author=make_official(world.city))
        AssignmentFactory(proposal=world.proposal, reviewer=make_official(world.city))
    large = _page_queries(client, url)
    assert small == large, (small, large)
