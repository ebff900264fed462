"""Who may do what in the review of proposals: one table of (role, action, expected
status) for the API and one for the pages.

The proposal is submitted, led by an organisation whose member and admin are its
authors, with an accepted partner. ``official`` is a verified official of the city
who is not assigned; ``reviewer`` is one who is. Coordinators, moderators and staff
have two-factor authentication. Expected answers: 401 (API) or a redirect to the
sign-in page (pages) when anonymous; 403 when the proposal is visible but the
reader takes no part in its review (its authors included); 404 when the proposal
itself is not visible (see ``test_notes_of_a_draft_are_404``).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from projects.models import ProposalStatus
from tests.factories import UserFactory
from tests.projects.curation_factories import (
    SECRET,
    SECRET_REASON,
    ReviewWorld,
    make_official,
    review_world,
)
from tests.projects.factories import DraftFactory, api_client

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "resident",
    "org_member",
    "org_admin",
    "unverified_official",
    "official",
    "reviewer",
    "coordinator",
    "coordinator_elsewhere",
    "moderator",
    "staff",
]

# Expected status per action, in the order of ROLES.
#                      anon res  mem  adm  uoff off  rev  coord celse mod  staff
API_MATRIX: dict[str, list[int]] = {
    "queue": [401, 403, 403, 403, 403, 403, 403, 200, 403, 403, 200],
    "assignments": [401, 403, 403, 403, 403, 403, 200, 200, 403, 403, 200],
    "assign": [401, 403, 403, 403, 403, 403, 403, 201, 403, 403, 201],
    "unassign": [401, 403, 403, 403, 403, 403, 403, 204, 403, 403, 204],
    "suggestions": [401, 403, 403, 403, 403, 403, 403, 200, 403, 403, 200],
    "recommend": [401, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403],
    "notes": [401, 403, 403, 403, 403, 403, 200, 200, 403, 403, 200],
    "note_create": [401, 403, 403, 403, 403, 403, 201, 201, 403, 403, 201],
    "decide": [401, 403, 403, 403, 403, 403, 403, 200, 403, 403, 200],
}

# 302 to the sign-in page for anonymous readers ("login"); 302 elsewhere means done.
LOGIN = "login"
PAGE_MATRIX: dict[str, list[int | str]] = {
    "queue": [LOGIN, 403, 403, 403, 403, 403, 403, 200, 403, 403, 200],
    "assign": [LOGIN, 403, 403, 403, 403, 403, 403, 302, 403, 403, 302],
    "unassign": [LOGIN, 403, 403, 403, 403, 403, 403, 302, 403, 403, 302],
    "note": [LOGIN, 403, 403, 403, 403, 403, 302, 302, 403, 403, 302],
    "recommend": [LOGIN, 403, 403, 403, 403, 403, 302, 403, 403, 403, 403],
    "bulk": [LOGIN, 403, 403, 403, 403, 403, 403, 302, 403, 403, 302],
}

# Whether the proposal's page shows the Internal review panel (and its texts).
PANEL = [False, False, False, False, False, False, True, True, False, False, True]


def _api(action: str, world: ReviewWorld, client: Any) -> Any:
    p = world.proposal
    base = f"/api/v1/proposals/{p.pk}/"
    if action == "queue":
        return client.get("/api/v1/review/queue/", {"city": world.city.slug})
    if action == "assignments":
        return client.get(f"{base}assignments/")
    if action == "assign":
        official = make_official(world.city)
        return client.post(f"{base}assignments/", {"reviewer": official.pk})
    if action == "unassign":
        return client.delete(f"{base}assignments/{world.assignment.pk}/")
    if action == "suggestions":
        return client.get(f"{base}assignments/suggestions/")
    if action == "recommend":
        return client.put(
            f"{base}recommendation/",
            {"recommendation": "accept", "reason": "Ready to go."},
        )
    if action == "notes":
        return client.get(f"{base}notes/")
    if action == "note_create":
        return client.post(f"{base}notes/", {"body": "Checked the budget."})
    if action == "decide":
        return client.post(f"{base}decision/", {"decision": "shortlisted"})
    raise AssertionError(action)


API_CASES = [
    pytest.param(role, action, expected, id=f"{action}-{role}")
    for action, statuses in API_MATRIX.items()
    for role, expected in zip(ROLES, statuses, strict=True)
]


@pytest.mark.parametrize(("role", "action", "expected"), API_CASES)
def test_api_permission_matrix(role: str, action: str, expected: int) -> None:
    world = review_world()
    response = _api(action, world, api_client(world.users[role]))
    assert response.status_code == expected, response.content[:300]
    if expected in (401, 403):
        assert response.json()["detail"]
        assert SECRET not in response.content.decode()


def _page(action: str, world: ReviewWorld, client: Client) -> Any:
    p = world.proposal
    if action == "queue":
        return client.get(f"/cities/{world.city.slug}/review/")
    if action == "assign":
        official = make_official(world.city)
        return client.post(
            f"/proposals/{p.pk}/review/assign/", {"assign-reviewer": official.pk}
        )
    if action == "unassign":
        return client.post(
            f"/proposals/{p.pk}/review/assignments/{world.assignment.pk}/remove/"
        )
    if action == "note":
        return client.post(f"/proposals/{p.pk}/review/notes/", {"note-body": "Seen."})
    if action == "recommend":
        return client.post(
            f"/proposals/{p.pk}/review/recommendation/",
            {
                "recommend-recommendation": "accept",
                "recommend-recommendation_reason": "Ready.",
            },
        )
    if action == "bulk":
        return client.post(
            f"/cities/{world.city.slug}/review/bulk/",
            {"proposals": [p.pk], "action": "under_review"},
        )
    raise AssertionError(action)


PAGE_CASES = [
    pytest.param(role, action, expected, id=f"{action}-{role}")
    for action, statuses in PAGE_MATRIX.items()
    for role, expected in zip(ROLES, statuses, strict=True)
]


def _client(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(("role", "action", "expected"), PAGE_CASES)
def test_page_permission_matrix(role: str, action: str, expected: int | str) -> None:
    world = review_world()
    response = _page(action, world, _client(world.users[role]))
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:500]
    if response.status_code == 403:
        assert SECRET not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "shown"),
    [pytest.param(r, s, id=r) for r, s in zip(ROLES, PANEL, strict=True)],
)
def test_internal_review_panel_only_for_coordinators_and_reviewers(
    role: str, shown: bool
) -> None:
    world = review_world()
    response = _client(world.users[role]).get(world.proposal.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert (SECRET in html) is shown
    assert (SECRET_REASON in html) is shown
    assert ('id="internal-review"' in html) is shown


def test_author_of_the_proposal_never_sees_the_review_even_as_coordinator() -> None:
    world = review_world()
    coordinator = world.users["coordinator"]
    from stakeholders.models import Membership

    Membership.objects.create(user=coordinator, organisation=world.lead)
    html = _client(coordinator).get(world.proposal.get_absolute_url()).content.decode()
    assert SECRET not in html
    response = api_client(coordinator).get(
        f"/api/v1/proposals/{world.proposal.pk}/notes/"
    )
    assert response.status_code == 403


def test_notes_of_a_draft_are_404_for_those_who_cannot_see_it() -> None:
    world = review_world()
    draft = DraftFactory(city=world.city)
    for role in ("resident", "official", "reviewer", "coordinator"):
        response = api_client(world.users[role]).get(
            f"/api/v1/proposals/{draft.pk}/notes/"
        )
        assert response.status_code == 404, role
    response = api_client(world.users["coordinator"]).get(
        "/api/v1/proposals/999999/assignments/"
    )
    assert response.status_code == 404


def test_reviewer_whose_role_was_revoked_loses_access() -> None:
    world = review_world()
    from stakeholders.models import CityRole, VerificationState

    CityRole.objects.filter(user=world.reviewer).update(
        state=VerificationState.REJECTED
    )
    response = api_client(world.reviewer).get(
        f"/api/v1/proposals/{world.proposal.pk}/notes/"
    )
    assert response.status_code == 403


def test_coordinator_without_two_factor_has_no_queue() -> None:
    world = review_world()
    from tests.factories import make_coordinator

    coordinator = make_coordinator(world.city, two_factor=False)
    response = api_client(coordinator).get(
        "/api/v1/review/queue/", {"city": world.city.slug}
    )
    assert response.status_code == 403


def test_decision_page_flow_still_refuses_non_coordinators() -> None:
    world = review_world()
    stranger = UserFactory()
    response = api_client(stranger).post(
        f"/api/v1/proposals/{world.proposal.pk}/decision/",
        {"decision": "accepted", "public_answer": "Yes"},
    )
    assert response.status_code == 403
    world.proposal.refresh_from_db()
    assert world.proposal.status == ProposalStatus.SUBMITTED
