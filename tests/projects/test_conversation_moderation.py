"""Moderation end to end: flags hide content, moderators decide (audited, the
author told), and hidden content stays out of sight — in pages, API and exports —
for everyone but its author and the city's moderators."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from projects.exports import proposal_rows, public_record
from projects.models import Comment, Flag, FlagState, Proposal
from projects.selectors import ProposalFilters
from projects.services.conversation import flag_create, moderation_decide
from stakeholders.models import AuditEvent, Notification, NotificationKind
from tests.factories import UserFactory
from tests.projects.conversation_factories import CommentFactory, make_moderator
from tests.projects.factories import ProposalFactory, api_client

pytestmark = pytest.mark.django_db

SECRET = "Call my neighbour at 06 12 34 56 78"


def _flag_three_times(**target: Any) -> None:
    for _ in range(3):
        flag_create(actor=UserFactory(), reason="personal_data", **target)


def _page(user: Any, proposal: Proposal) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    # The thread as the pages render it (the fragment the proposal page includes
    # and fetches in place).
    response = client.get(f"/proposals/{proposal.pk}/conversation/")
    assert response.status_code == 200
    return response.content.decode()


def test_hidden_comment_is_out_of_pages_api_and_exports(
    django_capture_on_commit_callbacks: Any,
) -> None:
    proposal = ProposalFactory()
    author = UserFactory()
    comment = CommentFactory(proposal=proposal, author=author, body=SECRET)
    CommentFactory(proposal=proposal, body="A fine remark.")
    before = public_record(Proposal.objects.get(pk=proposal.pk))["comments"]
    with django_capture_on_commit_callbacks(execute=True):
        _flag_three_times(comment=comment)
    comment.refresh_from_db()
    assert comment.hidden_at is not None
    moderator = make_moderator(proposal.city)
    elsewhere = make_moderator(ProposalFactory().city)

    for viewer in (None, UserFactory(), elsewhere):
        assert SECRET not in _page(viewer, proposal)
        api = api_client(viewer).get(f"/api/v1/proposals/{proposal.pk}/comments/")
        assert SECRET not in api.content.decode()
        detail = api_client(viewer).get(f"/api/v1/comments/{comment.pk}/")
        assert detail.status_code == 404
    for viewer in (author, moderator):
        assert SECRET in _page(viewer, proposal)
        api = api_client(viewer).get(f"/api/v1/proposals/{proposal.pk}/comments/")
        assert SECRET in api.content.decode()
    # Exports carry the stored count, which no longer counts the hidden comment.
    after = public_record(Proposal.objects.get(pk=proposal.pk))["comments"]
    assert after == before - 1
    assert SECRET not in str(public_record(Proposal.objects.get(pk=proposal.pk)))
    # The author was told, with the reason.
    told = Notification.objects.get(recipient=author, kind=NotificationKind.HIDDEN)
    assert "3 flags" in told.text


def test_hidden_proposal_leaves_lists_and_exports_but_not_its_author() -> None:
    proposal = ProposalFactory(title="Parking on the river bank")
    _flag_three_times(proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.hidden_at is not None

    assert proposal not in proposal_rows(ProposalFilters())
    listed = api_client().get("/api/v1/proposals/").json()
    assert proposal.pk not in [p["id"] for p in listed["results"]]
    assert api_client().get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404
    assert (
        api_client(proposal.author).get(f"/api/v1/proposals/{proposal.pk}/").status_code
        == 200
    )
    # Hidden content cannot be discussed until restored.
    refused = api_client(UserFactory()).post(
        f"/api/v1/proposals/{proposal.pk}/comments/", {"body": "hm"}
    )
    assert refused.status_code == 404


@pytest.mark.parametrize("action", ["hide", "restore", "dismiss"])
def test_every_decision_is_audited(
    action: str, django_capture_on_commit_callbacks: Any
) -> None:
    author = UserFactory()
    comment = CommentFactory(author=author)
    flag_create(actor=UserFactory(), reason="spam", comment=comment)
    moderator = make_moderator(comment.proposal.city)
    with django_capture_on_commit_callbacks(execute=True):
        moderation_decide(
            actor=moderator, action=action, reason="Checked.", comment=comment
        )
    event = AuditEvent.objects.get(action=f"moderation.{action}")
    assert (event.actor_id, event.reason, event.target_id) == (
        moderator.pk,
        "Checked.",
        str(comment.pk),
    )
    assert event.city_id == comment.proposal.city_id
    flag = Flag.objects.get()
    expected = FlagState.UPHELD if action == "hide" else FlagState.DISMISSED
    assert (flag.state, flag.decided_by_id, flag.decision_reason) == (
        expected,
        moderator.pk,
        "Checked.",
    )
    comment.refresh_from_db()
    assert (comment.hidden_at is not None) is (action == "hide")
    told = Notification.objects.filter(recipient=author, kind=NotificationKind.HIDDEN)
    assert told.exists() is (action == "hide")
    if action == "hide":
        assert "Checked." in told.get().text


def test_restore_brings_the_comment_back_into_the_count() -> None:
    comment = CommentFactory()
    _flag_three_times(comment=comment)
    proposal = Proposal.objects.get(pk=comment.proposal_id)
    assert proposal.comment_count == 0
    moderation_decide(
        actor=make_moderator(proposal.city),
        action="restore",
        reason="Fine.",
        comment=comment,
    )
    proposal.refresh_from_db()
    assert proposal.comment_count == 1
    assert Comment.objects.get(pk=comment.pk).hidden_at is None


def test_unverified_or_two_factorless_moderator_cannot_decide() -> None:
    comment = CommentFactory()
    flag_create(actor=UserFactory(), reason="spam", comment=comment)
    no_2fa = make_moderator(comment.proposal.city, two_factor=False)
    response = api_client(no_2fa).post(
        "/api/v1/moderation/decisions/",
        {"comment": comment.pk, "action": "hide", "reason": "x"},
    )
    assert response.status_code == 403
    assert Flag.objects.get().state == FlagState.OPEN
