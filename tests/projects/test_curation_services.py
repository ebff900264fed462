"""The review services: conflicts of interest, reviewer suggestions, bad input
(refused with a clear message and nothing written), decisions, audit and
notifications."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects.models import (
    InternalNote,
    PartnerState,
    Proposal,
    ProposalEvent,
    ProposalStatus,
    Recommendation,
    ReviewAssignment,
)
from projects.selectors_curation import conflicts_of, reviewer_suggestions
from projects.services import curation as services
from stakeholders.models import (
    AuditEvent,
    CityRoleKind,
    Notification,
    VerificationState,
)
from tests.factories import (
    CityFactory,
    CityRoleFactory,
    OrganisationFactory,
    UserFactory,
    make_coordinator,
)
from tests.projects.curation_factories import (
    SECRET,
    AssignmentFactory,
    join,
    make_official,
    review_world,
)
from tests.projects.factories import PartnerFactory, ProposalFactory, api_client

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "assignments": ReviewAssignment.objects.count(),
        "notes": InternalNote.objects.count(),
        "audit": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
        "events": ProposalEvent.objects.count(),
    }


# --- Conflicts of interest -------------------------------------------------------------


def test_member_of_the_lead_organisation_has_a_conflict_and_is_refused() -> None:
    world = review_world()
    official = make_official(world.city)
    join(official, world.lead)
    found = conflicts_of([official.pk], world.proposal)[official.pk]
    assert found == [{"id": world.lead.pk, "name": "Solar Commons", "lead": True}]
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        services.review_assign(
            actor=world.users["coordinator"],
            proposal=world.proposal,
            reviewer=official,
            override_reason="I know, but still.",
        )
    assert "one of the proposal's authors" in exc.value.message_dict["reviewer"][0]
    assert _counts() == before


def test_partner_member_needs_an_override_reason_which_is_audited() -> None:
    world = review_world()
    official = make_official(world.city, display_name="Paula Partner")
    join(official, world.partner_org)
    coordinator = world.users["coordinator"]
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        services.review_assign(
            actor=coordinator, proposal=world.proposal, reviewer=official
        )
    message = exc.value.message_dict["override_reason"][0]
    assert "Riverbend Energy & Water" in message and "conflict of interest" in message
    assert _counts() == before

    assignment = services.review_assign(
        actor=coordinator,
        proposal=world.proposal,
        reviewer=official,
        override_reason="The only water engineer of the city.",
    )
    assert assignment.has_conflict
    assert assignment.conflicts == [
        {"id": world.partner_org.pk, "name": "Riverbend Energy & Water", "lead": False}
    ]
    audit = AuditEvent.objects.get(action="review.assign")
    assert audit.reason == "The only water engineer of the city."
    assert audit.data["override"] is True
    assert audit.actor == coordinator


def test_invited_partner_counts_but_declined_partner_does_not() -> None:
    world = review_world()
    invited = OrganisationFactory(name="Invited Builders")
    declined = OrganisationFactory(name="Declined Bank")
    PartnerFactory(proposal=world.proposal, organisation=invited)
    PartnerFactory(
        proposal=world.proposal, organisation=declined, state=PartnerState.DECLINED
    )
    a, b = make_official(world.city), make_official(world.city)
    join(a, invited)
    join(b, declined)
    found = conflicts_of([a.pk, b.pk], world.proposal)
    assert [c["name"] for c in found[a.pk]] == ["Invited Builders"]
    assert found[b.pk] == []
    assignment = services.review_assign(
        actor=world.users["coordinator"], proposal=world.proposal, reviewer=b
    )
    assert assignment.conflicts == [] and not assignment.has_conflict


def test_membership_of_an_unrelated_organisation_is_no_conflict() -> None:
    world = review_world()
    official = make_official(world.city)
    join(official, OrganisationFactory())
    assert conflicts_of([official.pk], world.proposal)[official.pk] == []


# --- Suggestions ------------------------------------------------------------------------


def test_suggestions_rank_by_past_reviews_of_the_proposal_sectors() -> None:
    world = review_world()
    city = world.city
    expert = make_official(city, display_name="Zoe Expert")  # 2 energy/housing reviews
    half = make_official(city, display_name="Yann Half")  # 1 review sharing one sector
    novice = make_official(city, display_name="Aaron Novice")  # reviews elsewhere only
    conflicted = make_official(city, display_name="Bea Conflicted")
    join(conflicted, world.partner_org)
    for sectors, reviewer in (
        (["energy", "housing"], expert),
        (["housing", "water"], expert),
        (["energy", "mobility"], half),
        (["health", "food"], novice),
        (["energy", "housing"], conflicted),
        (["energy", "housing"], conflicted),
        (["energy", "housing"], conflicted),
    ):
        AssignmentFactory(
            proposal=ProposalFactory(city=city, sectors=sectors),
            reviewer=reviewer,
            recommendation=Recommendation.ACCEPT,
        )
    # An assignment without a recommendation is not a past review, only a busy one.
    AssignmentFactory(
        proposal=ProposalFactory(city=city, sectors=["energy", "housing"]),
        reviewer=novice,
    )
    elsewhere = CityFactory()
    outsider = make_official(elsewhere)
    rows = reviewer_suggestions(world.proposal)
    names = [r.reviewer.public_name for r in rows]
    assert outsider.public_name not in names
    assert world.reviewer.public_name not in names  # already assigned
    assert names.index("Zoe Expert") < names.index("Yann Half")
    assert names.index("Yann Half") < names.index("Aaron Novice")
    assert names[-1] == "Bea Conflicted"  # conflicts come last, marked
    by_name = {r.reviewer.public_name: r for r in rows}
    assert by_name["Zoe Expert"].covered_reviews == 2
    assert by_name["Zoe Expert"].sector_overlaps == 3
    assert by_name["Yann Half"].covered_reviews == 1
    assert by_name["Aaron Novice"].covered_reviews == 0
    assert by_name["Aaron Novice"].open_reviews == 1
    assert by_name["Bea Conflicted"].has_conflict
    assert by_name["Bea Conflicted"].covered_reviews == 3


def test_suggestions_api_and_query_count(django_assert_max_num_queries: Any) -> None:
    world = review_world()
    for _ in range(5):
        make_official(world.city)
    client = api_client(world.users["coordinator"])
    url = f"/api/v1/proposals/{world.proposal.pk}/assignments/suggestions/"
    response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    assert all({"reviewer", "conflicts", "can_be_assigned"} <= set(r) for r in body)
    # Coordinators of the city count as reviewers too; the authors never.
    names = [r["reviewer"]["name"] for r in body]
    assert world.users["coordinator"].public_name in names
    with django_assert_max_num_queries(14):
        client.get(url)


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    ["resident", "unverified_official", "official_elsewhere", "moderator"],
)
def test_reviewer_who_is_not_a_verified_official_of_the_city_is_refused(
    who: str,
) -> None:
    world = review_world()
    if who == "official_elsewhere":
        person = make_official(CityFactory(name="Elsewhere"))
    else:
        person = world.users[who]
    before = _counts()
    response = api_client(world.users["coordinator"]).post(
        f"/api/v1/proposals/{world.proposal.pk}/assignments/",
        {"reviewer": person.pk},
    )
    assert response.status_code == 400
    message = response.json()["reviewer"][0]
    assert "is not a verified official of Riverbend" in message
    assert _counts() == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"reviewer": 999999}, "reviewer"),
        ({"reviewer": "abc"}, "reviewer"),
        ({}, "reviewer"),
        ({"reviewer": 1, "extra": True}, "extra"),
        ({"reviewer": 1, "override_reason": "x" * 2001}, "override_reason"),
    ],
)
def test_assign_bad_input_is_400_and_writes_nothing(
    payload: dict[str, Any], field: str
) -> None:
    world = review_world()
    before = _counts()
    response = api_client(world.users["coordinator"]).post(
        f"/api/v1/proposals/{world.proposal.pk}/assignments/", payload
    )
    assert response.status_code == 400
    assert field in response.json()
    assert _counts() == before


def test_assigning_twice_is_refused() -> None:
    world = review_world()
    response = api_client(world.users["coordinator"]).post(
        f"/api/v1/proposals/{world.proposal.pk}/assignments/",
        {"reviewer": world.reviewer.pk},
    )
    assert response.status_code == 400
    assert "already reviews" in response.json()["reviewer"][0]


def test_unknown_assignment_is_404() -> None:
    world = review_world()
    other = AssignmentFactory(reviewer=make_official(world.city))
    client = api_client(world.users["coordinator"])
    for aid in (999999, other.pk):
        response = client.delete(
            f"/api/v1/proposals/{world.proposal.pk}/assignments/{aid}/"
        )
        assert response.status_code == 404
    assert ReviewAssignment.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("body", ["", "   \n  ", None])
def test_empty_note_is_refused(body: Any) -> None:
    world = review_world()
    before = _counts()
    payload = {} if body is None else {"body": body}
    response = api_client(world.reviewer).post(
        f"/api/v1/proposals/{world.proposal.pk}/notes/", payload
    )
    assert response.status_code == 400
    assert response.json()["body"]
    assert _counts() == before
    with pytest.raises(ValidationError) as exc:
        services.internal_note_create(
            actor=world.reviewer, proposal=world.proposal, body=body or "  "
        )
    assert exc.value.message_dict["body"] == ["Write the note first."]


def test_recommendation_needs_a_choice_and_a_reason() -> None:
    world = review_world()
    client = api_client(world.reviewer)
    url = f"/api/v1/proposals/{world.proposal.pk}/recommendation/"
    for payload, field in (
        ({"recommendation": "accept", "reason": "  "}, "reason"),
        ({"recommendation": "", "reason": "ok"}, "recommendation"),
        ({"recommendation": "maybe", "reason": "ok"}, "recommendation"),
    ):
        response = client.put(url, payload)
        assert response.status_code == 400, payload
        assert field in response.json()
    world.assignment.refresh_from_db()
    assert world.assignment.recommendation == Recommendation.SHORTLIST


def test_decision_on_a_withdrawn_proposal_is_refused_clearly() -> None:
    world = review_world()
    Proposal.objects.filter(pk=world.proposal.pk).update(
        status=ProposalStatus.WITHDRAWN
    )
    before = _counts()
    response = api_client(world.users["coordinator"]).post(
        f"/api/v1/proposals/{world.proposal.pk}/decision/",
        {"decision": "accepted", "public_answer": "Great."},
    )
    assert response.status_code == 400
    assert "withdrew this proposal" in response.json()["decision"][0]
    assert _counts() == before
    world.proposal.refresh_from_db()
    assert world.proposal.status == ProposalStatus.WITHDRAWN


def test_recommendation_after_a_decision_is_refused() -> None:
    world = review_world()
    Proposal.objects.filter(pk=world.proposal.pk).update(status=ProposalStatus.REJECTED)
    response = api_client(world.reviewer).put(
        f"/api/v1/proposals/{world.proposal.pk}/recommendation/",
        {"recommendation": "accept", "reason": "Changed my mind."},
    )
    assert response.status_code == 400
    assert "Rejected" in response.json()["non_field_errors"][0]


def test_assigning_on_a_decided_proposal_is_refused() -> None:
    world = review_world()
    Proposal.objects.filter(pk=world.proposal.pk).update(status=ProposalStatus.ACCEPTED)
    with pytest.raises(ValidationError):
        services.review_assign(
            actor=world.users["coordinator"],
            proposal=Proposal.objects.get(pk=world.proposal.pk),
            reviewer=make_official(world.city),
        )


def test_accepting_needs_a_public_answer() -> None:
    world = review_world()
    response = api_client(world.users["coordinator"]).post(
        f"/api/v1/proposals/{world.proposal.pk}/decision/", {"decision": "accepted"}
    )
    assert response.status_code == 400
    assert response.json()["public_answer"]


def test_services_refuse_people_without_the_power() -> None:
    world = review_world()
    with pytest.raises(PermissionDenied):
        services.review_assign(
            actor=world.reviewer,
            proposal=world.proposal,
            reviewer=make_official(world.city),
        )
    with pytest.raises(PermissionDenied):
        services.review_recommend(
            actor=world.users["official"],
            proposal=world.proposal,
            recommendation="accept",
            reason="x",
        )
    with pytest.raises(PermissionDenied):
        services.internal_note_create(
            actor=world.users["org_admin"], proposal=world.proposal, body="x"
        )
    with pytest.raises(PermissionDenied):
        services.proposal_decide(
            actor=world.reviewer, proposal=world.proposal, decision="shortlisted"
        )


# --- What happens when it works ---------------------------------------------------------


def test_assignment_notifies_the_reviewer_without_internal_text(
    django_capture_on_commit_callbacks: Any,
) -> None:
    world = review_world()
    official = make_official(world.city)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(world.users["coordinator"]).post(
            f"/api/v1/proposals/{world.proposal.pk}/assignments/",
            {"reviewer": official.pk},
        )
    assert response.status_code == 201
    assert response.json()["has_conflict"] is False
    notice = Notification.objects.get(recipient=official)
    assert world.proposal.title in notice.text
    assert "review" in notice.text
    assert AuditEvent.objects.filter(action="review.assign").count() == 1


def test_recommendation_is_saved_audited_and_coordinators_told_without_reason(
    django_capture_on_commit_callbacks: Any,
) -> None:
    world = review_world()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(world.reviewer).put(
            f"/api/v1/proposals/{world.proposal.pk}/recommendation/",
            {"recommendation": "accept", "reason": "SECRET-NOTE why: fits the plan."},
        )
    assert response.status_code == 200
    assert response.json()["recommendation"] == "accept"
    world.assignment.refresh_from_db()
    assert world.assignment.recommendation_reason == "SECRET-NOTE why: fits the plan."
    audit = AuditEvent.objects.get(action="review.recommend")
    assert audit.data == {"assignment": world.assignment.pk, "recommendation": "accept"}
    assert SECRET not in audit.reason
    notice = Notification.objects.get(recipient=world.users["coordinator"])
    assert SECRET not in notice.text and "Rita Reviewer" in notice.text


def test_note_is_saved_and_audited_without_its_text_and_nobody_notified(
    django_capture_on_commit_callbacks: Any,
) -> None:
    world = review_world()
    before = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(world.users["coordinator"]).post(
            f"/api/v1/proposals/{world.proposal.pk}/notes/",
            {"body": "SECRET-NOTE: call the utility."},
        )
    assert response.status_code == 201
    assert response.json()["author"]["name"] == world.users["coordinator"].public_name
    assert Notification.objects.count() == before
    audit = AuditEvent.objects.get(action="review.note")
    assert SECRET not in audit.reason and SECRET not in str(audit.data)


def test_decision_goes_through_the_life_cycle_and_tells_reviewers(
    django_capture_on_commit_callbacks: Any,
) -> None:
    world = review_world()
    follower = UserFactory()
    from projects.models import Follow

    Follow.objects.create(user=follower, proposal=world.proposal)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(world.users["coordinator"]).post(
            f"/api/v1/proposals/{world.proposal.pk}/decision/",
            {
                "decision": "accepted",
                "public_answer": "Accepted: it fits two priorities.",
            },
        )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    world.proposal.refresh_from_db()
    assert world.proposal.public_answer == "Accepted: it fits two priorities."
    assert AuditEvent.objects.filter(action="proposal.accepted").count() == 1
    event = ProposalEvent.objects.filter(proposal=world.proposal).latest("pk")
    assert event.to_status == ProposalStatus.ACCEPTED
    for person in (world.users["author"], follower, world.reviewer):
        notice = Notification.objects.get(recipient=person)
        assert "accepted" in notice.text
        assert SECRET not in notice.text


def test_decision_back_to_review_from_shortlist() -> None:
    world = review_world()
    coordinator = world.users["coordinator"]
    services.proposal_decide(
        actor=coordinator, proposal=world.proposal, decision="shortlisted"
    )
    decided = services.proposal_decide(
        actor=coordinator,
        proposal=Proposal.objects.get(pk=world.proposal.pk),
        decision="under_review",
    )
    assert decided.status == ProposalStatus.UNDER_REVIEW
    with pytest.raises(ValidationError) as exc:
        services.proposal_decide(
            actor=coordinator, proposal=decided, decision="under_review"
        )
    assert "already under review" in exc.value.message_dict["decision"][0]


def test_unassign_removes_the_recommendation_keeps_notes_and_audits() -> None:
    world = review_world()
    response = api_client(world.users["coordinator"]).delete(
        f"/api/v1/proposals/{world.proposal.pk}/assignments/{world.assignment.pk}/"
    )
    assert response.status_code == 204
    assert not ReviewAssignment.objects.filter(pk=world.assignment.pk).exists()
    assert InternalNote.objects.filter(pk=world.note.pk).exists()
    audit = AuditEvent.objects.get(action="review.unassign")
    assert audit.data["recommendation"] == "shortlist"
    # The former reviewer no longer reads the review.
    response = api_client(world.reviewer).get(
        f"/api/v1/proposals/{world.proposal.pk}/notes/"
    )
    assert response.status_code == 403


def test_coordinator_of_the_city_may_review_too() -> None:
    world = review_world()
    other = make_coordinator(world.city)
    assignment = services.review_assign(
        actor=world.users["coordinator"], proposal=world.proposal, reviewer=other
    )
    assert assignment.reviewer == other


def test_pending_coordinator_role_is_not_enough() -> None:
    world = review_world()
    person = UserFactory()
    CityRoleFactory(
        user=person,
        city=world.city,
        role=CityRoleKind.COORDINATOR,
        state=VerificationState.PENDING,
    )
    with pytest.raises(ValidationError):
        services.review_assign(
            actor=world.users["coordinator"], proposal=world.proposal, reviewer=person
        )
