"""notification_fanout: one row per recipient and event, never to the actor, safe to
run twice (a redelivered task)."""

from __future__ import annotations

from typing import Any

import pytest

from stakeholders import services
from stakeholders.models import Notification, NotificationKind
from stakeholders.tasks import notify_users
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fanout(recipients: list[int], actor_id: int | None = None) -> int:
    return services.notification_fanout(
        recipient_ids=recipients,
        kind=NotificationKind.MEMBERSHIP,
        event_key="joined:42",
        message="%(name)s joined %(org)s.",
        params={"name": "Ana", "org": "Solar Commons"},
        url="/organisations/solar-commons/",
        actor_id=actor_id,
    )


def test_twice_gives_one_row_per_recipient_and_none_to_the_actor() -> None:
    actor, first, second = UserFactory(), UserFactory(), UserFactory()
    ids = [actor.pk, first.pk, second.pk, first.pk]
    assert fanout(ids, actor_id=actor.pk) == 2
    assert fanout(ids, actor_id=actor.pk) == 0
    rows = Notification.objects.order_by("recipient_id")
    assert [n.recipient_id for n in rows] == [first.pk, second.pk]
    assert all(n.actor_id == actor.pk for n in rows)
    assert rows[0].text == "Ana joined Solar Commons."


def test_a_new_recipient_on_the_second_run_gets_exactly_one() -> None:
    first, late = UserFactory(), UserFactory()
    fanout([first.pk])
    assert fanout([first.pk, late.pk]) == 1
    assert Notification.objects.filter(recipient=late).count() == 1
    assert Notification.objects.count() == 2


def test_inactive_and_deleted_accounts_are_skipped() -> None:
    inactive = UserFactory(is_active=False)
    gone = UserFactory()
    services.user_delete(actor=gone, user=gone)
    assert fanout([inactive.pk, gone.pk, 999_999]) == 0
    assert not Notification.objects.exists()


def test_the_task_is_idempotent_too() -> None:
    first = UserFactory()
    payload: dict[str, Any] = {
        "recipient_ids": [first.pk],
        "kind": NotificationKind.MEMBERSHIP,
        "event_key": "joined:7",
        "message": "Hello",
        "params": {},
    }
    assert notify_users.apply(kwargs=payload).get() == 1
    assert notify_users.apply(kwargs=payload).get() == 0
    assert Notification.objects.count() == 1


def test_notify_on_commit_runs_eagerly_after_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    actor, recipient = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify_on_commit(
            recipient_ids=[recipient.pk, actor.pk],
            kind=NotificationKind.MEMBERSHIP,
            event_key="evt:1",
            message="Hello",
            actor=actor,
        )
    assert not Notification.objects.exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    for callback in callbacks:
        callback()  # redelivery
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [
        recipient.pk
    ]
