"""Assigned reviewers are told of every decision on their proposal, once, whichever
way the coordinator decides (the proposal page's card, the API's ``transition/``
or ``decision/``, the queue's bulk actions), and never of the review's internal
texts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from projects.models import Follow, Proposal, ProposalStatus
from projects.services import curation
from projects.services import proposals as proposal_services
from stakeholders.models import Notification, User
from tests.projects.curation_factories import (
    SECRET,
    SECRET_REASON,
    AssignmentFactory,
    make_official,
    review_world,
)
from tests.projects.factories import api_client

pytestmark = pytest.mark.django_db

ANSWER = "Accepted: it answers two of the city's priorities."


def _by_page(coordinator: User, proposal: Proposal, to_status: str) -> None:
    client = Client()
    client.force_login(coordinator)
    response = client.post(
        f"/proposals/{proposal.pk}/transition/",
        {"to_status": to_status, "public_answer": ANSWER},
    )
    assert response.status_code == 302, response.content


def _by_api_transition(coordinator: User, proposal: Proposal, to_status: str) -> None:
    response = api_client(coordinator).post(
        f"/api/v1/proposals/{proposal.pk}/transition/",
        {"to_status": to_status, "public_answer": ANSWER},
    )
    assert response.status_code == 200, response.content


def _by_api_decision(coordinator: User, proposal: Proposal, to_status: str) -> None:
    response = api_client(coordinator).post(
        f"/api/v1/proposals/{proposal.pk}/decision/",
        {"decision": to_status, "public_answer": ANSWER},
    )
    assert response.status_code == 200, response.content


def _by_bulk(coordinator: User, proposal: Proposal, to_status: str) -> None:
    [result] = curation.review_bulk(
        actor=coordinator, proposals=[proposal], action=to_status
    )
    assert result.ok, result.message


WAYS: dict[str, Callable[[User, Proposal, str], None]] = {
    "page card": _by_page,
    "api transition": _by_api_transition,
    "api decision": _by_api_decision,
}


def _assert_no_internal_text(notices: Any) -> None:
    for notice in notices:
        text = f"{notice.text} {notice.params} {notice.url}"
        assert SECRET not in text and SECRET_REASON not in text
    for message in mail.outbox:
        text = message.subject + message.body
        assert SECRET not in text and SECRET_REASON not in text


@pytest.mark.parametrize("way", list(WAYS), ids=list(WAYS))
def test_each_way_of_deciding_tells_the_assigned_reviewer_once(
    way: str, django_capture_on_commit_callbacks: Any
) -> None:
    world = review_world()
    second = make_official(world.city, display_name="Sam Second")
    AssignmentFactory(proposal=world.proposal, reviewer=second)
    with django_capture_on_commit_callbacks(execute=True):
        WAYS[way](world.users["coordinator"], world.proposal, "accepted")
    world.proposal.refresh_from_db()
    assert world.proposal.status == ProposalStatus.ACCEPTED
    for reviewer in (world.reviewer, second):
        notices = Notification.objects.filter(recipient=reviewer)
        assert notices.count() == 1, way
        notice = notices.get()
        assert world.proposal.title[:80] in notice.text
        assert "accepted" in notice.text
        assert notice.url == world.proposal.get_absolute_url()
    # The audience is told as before, once.
    assert Notification.objects.filter(recipient=world.users["author"]).count() == 1
    # Officials who do not review this proposal hear nothing.
    assert not Notification.objects.filter(recipient=world.users["official"]).exists()
    _assert_no_internal_text(Notification.objects.all())


@pytest.mark.parametrize("way", list(WAYS), ids=list(WAYS))
def test_a_reviewer_who_follows_the_proposal_is_told_once(
    way: str, django_capture_on_commit_callbacks: Any
) -> None:
    world = review_world()
    Follow.objects.create(user=world.reviewer, proposal=world.proposal)
    with django_capture_on_commit_callbacks(execute=True):
        WAYS[way](world.users["coordinator"], world.proposal, "shortlisted")
    assert Notification.objects.filter(recipient=world.reviewer).count() == 1


def test_every_step_of_the_review_is_told_to_the_reviewer(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Under review (bulk), shortlisted (page card), back to review (API
    transition), rejected (API decision): one notice per decision."""
    world = review_world()
    coordinator = world.users["coordinator"]
    steps = [
        (_by_bulk, "under_review"),
        (_by_page, "shortlisted"),
        (_by_api_transition, "under_review"),
        (_by_api_decision, "rejected"),
    ]
    for number, (decide, to_status) in enumerate(steps, start=1):
        with django_capture_on_commit_callbacks(execute=True):
            decide(coordinator, Proposal.objects.get(pk=world.proposal.pk), to_status)
        assert Notification.objects.filter(recipient=world.reviewer).count() == number
    _assert_no_internal_text(Notification.objects.filter(recipient=world.reviewer))


def test_a_refused_decision_tells_nobody(
    django_capture_on_commit_callbacks: Any,
) -> None:
    world = review_world()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError),
    ):
        proposal_services.proposal_transition(
            actor=world.users["coordinator"],
            proposal=world.proposal,
            to_status="rejected",
        )
    assert not Notification.objects.exists()


def test_a_proposal_without_reviewers_notifies_only_its_audience(
    django_capture_on_commit_callbacks: Any,
) -> None:
    world = review_world()
    world.assignment.delete()
    with django_capture_on_commit_callbacks(execute=True):
        _by_api_transition(world.users["coordinator"], world.proposal, "accepted")
    assert not Notification.objects.filter(recipient=world.reviewer).exists()
    assert Notification.objects.filter(recipient=world.users["author"]).count() == 1
