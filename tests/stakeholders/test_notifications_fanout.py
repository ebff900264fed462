"""Notification fan-out of the conversation: once per recipient, never the actor,
idempotent when the task runs twice; immediate e-mails sent once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from projects.models import Follow
from projects.services.conversation import (
    comment_create,
    follow_add,
    support_add,
)
from stakeholders.models import (
    EmailFrequency,
    MembershipRole,
    Notification,
    NotificationKind,
    NotificationSetting,
)
from stakeholders.tasks import notify_users
from tests.factories import MembershipFactory, UserFactory, make_coordinator
from tests.projects.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def _recipients(kind: str) -> list[int]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True)
    )


def test_new_comment_notifies_the_authors_once_and_never_the_actor(
    django_capture_on_commit_callbacks: Any,
) -> None:
    proposal = ProposalFactory()
    colleague = MembershipFactory(organisation=proposal.lead_organisation).user
    follower = UserFactory()
    follow_add(user=follower, proposal=proposal)
    resident = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        comment_create(actor=resident, proposal=proposal, body="Good idea.")

    assert _recipients(NotificationKind.COMMENT) == sorted(
        [proposal.author_id, colleague.pk]
    )
    assert not Notification.objects.filter(recipient=resident).exists()
    assert not Notification.objects.filter(recipient=follower).exists()


def test_author_commenting_on_their_proposal_is_not_notified(
    django_capture_on_commit_callbacks: Any,
) -> None:
    proposal = ProposalFactory()
    colleague = MembershipFactory(organisation=proposal.lead_organisation).user
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(actor=proposal.author, proposal=proposal, body="We answer.")
    # An author speaks officially: the whole audience hears it, minus the actor.
    assert _recipients(NotificationKind.OFFICIAL_ANSWER) == [colleague.pk]
    assert not Notification.objects.filter(recipient=proposal.author).exists()


def test_reply_notifies_the_parent_author_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    proposal = ProposalFactory()
    asker = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        question = comment_create(actor=asker, proposal=proposal, body="Who pays?")
    Notification.objects.all().delete()
    answerer = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(
            actor=answerer, proposal=proposal, body="The utility.", parent=question
        )
    assert _recipients(NotificationKind.REPLY) == [asker.pk]
    assert _recipients(NotificationKind.COMMENT) == [proposal.author_id]
    assert Notification.objects.filter(recipient=asker).count() == 1
    assert not Notification.objects.filter(recipient=answerer).exists()


def test_official_answer_reaches_followers(
    django_capture_on_commit_callbacks: Any,
) -> None:
    proposal = ProposalFactory()
    supporter = UserFactory()
    support_add(actor=supporter, proposal=proposal)
    coordinator = make_coordinator(proposal.city)
    with django_capture_on_commit_callbacks(execute=True):
        answer = comment_create(
            actor=coordinator, proposal=proposal, body="The city will study it."
        )
    assert answer.is_official
    assert _recipients(NotificationKind.OFFICIAL_ANSWER) == sorted(
        [proposal.author_id, supporter.pk]
    )


def test_authors_supporters_and_commenters_follow_automatically() -> None:
    proposal = ProposalFactory()
    supporter, commenter = UserFactory(), UserFactory()
    support_add(actor=supporter, proposal=proposal)
    comment_create(actor=commenter, proposal=proposal, body="Yes.")
    followers = set(Follow.objects.values_list("user_id", flat=True))
    assert {supporter.pk, commenter.pk} <= followers
    # Authors and the lead organisation hear about everything without a Follow row.
    from projects.services.proposals import proposal_audience

    assert proposal.author_id in proposal_audience(proposal)


def test_task_run_twice_notifies_and_emails_once() -> None:
    proposal = ProposalFactory()
    admin = MembershipFactory(
        organisation=proposal.lead_organisation, role=MembershipRole.ADMIN
    ).user
    NotificationSetting.objects.create(
        user=admin, kind=NotificationKind.COMMENT, email=EmailFrequency.IMMEDIATE
    )
    actor = UserFactory()
    payload = {
        "recipient_ids": [proposal.author_id, admin.pk, actor.pk],
        "kind": NotificationKind.COMMENT,
        "event_key": "comment:777:new",
        "message": "%(name)s commented on “%(title)s”.",
        "params": {"name": actor.public_name, "title": proposal.title},
        "url": f"/proposals/{proposal.pk}/#comment-777",
        "actor_id": actor.pk,
    }

    first = notify_users.apply(kwargs=payload).get()
    second = notify_users.apply(kwargs=payload).get()

    assert (first, second) == (2, 0)
    assert Notification.objects.count() == 2
    assert not Notification.objects.filter(recipient=actor).exists()
    # Only the admin chose "at once"; the author gets the default (daily digest).
    assert [m.to for m in mail.outbox] == [[admin.email]]
    message = mail.outbox[0]
    assert proposal.title in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )


def test_inactive_recipients_get_nothing() -> None:
    gone = UserFactory(is_active=False)
    count = notify_users.apply(
        kwargs={
            "recipient_ids": [gone.pk],
            "kind": NotificationKind.STATUS,
            "event_key": "status:1",
            "message": "Status changed.",
            "params": {},
        }
    ).get()
    assert count == 0
    assert not Notification.objects.exists()
