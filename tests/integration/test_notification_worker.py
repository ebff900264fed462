"""Notification fan-out through a real Celery worker: a comment posted through the
service enqueues ``stakeholders.tasks.notify_users`` after commit, routed to the
notifications queue; the worker writes one notification per recipient (none to the
actor) and e-mails those who chose "at once". Sending the same payload again adds
nothing and e-mails nobody twice.

E-mails go to a directory through ``EMAIL_URL=filemail:////path`` (django-environ's
file backend), so the test counts what the worker really sent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from config.celery import app as celery_app
from projects.services.conversation import comment_create, follow_add
from stakeholders.models import (
    EmailFrequency,
    Notification,
    NotificationKind,
    NotificationSetting,
)
from stakeholders.tasks import notify_users
from tests.factories import MembershipFactory, UserFactory
from tests.projects.factories import ProposalFactory

from .workers import (
    require_real_services,
    start_worker,
    stop_worker,
    unique_queue,
    wait_until,
    worker_env,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _sent(outbox: Path) -> list[str]:
    """The recipients of every e-mail the worker wrote (one ``To:`` per message)."""
    found = []
    for path in sorted(outbox.glob("*")):
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith("To: "):
                found.append(line.removeprefix("To: ").strip())
    return found


def _reset_router() -> None:
    # The app caches its router with the route table of the moment: rebuild both.
    celery_app.amqp.flush_routes()
    celery_app.amqp.router = celery_app.amqp.Router()


@pytest.fixture
def notifications_queue() -> Any:
    """The real route of ``notify_users`` is the "notifications" queue; each test
    run gets a queue of its own under that name, so parallel runs (or a developer's
    worker on the same Redis) never take each other's tasks."""
    route = celery_app.amqp.router.route({}, notify_users.name)
    assert route["queue"].name == "notifications"
    queue = unique_queue("notifications")
    previous = celery_app.conf.task_routes
    celery_app.conf.task_routes = {"stakeholders.tasks.notify_users": {"queue": queue}}
    _reset_router()
    try:
        yield queue
    finally:
        celery_app.conf.task_routes = previous
        _reset_router()


def test_worker_notifies_each_recipient_once_and_never_the_actor(
    tmp_path: Path, notifications_queue: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_real_services()
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    proposal = ProposalFactory()
    colleague = MembershipFactory(organisation=proposal.lead_organisation).user
    answerer = MembershipFactory(organisation=proposal.lead_organisation).user
    follower = UserFactory()
    follow_add(user=follower, proposal=proposal)
    NotificationSetting.objects.create(
        user=colleague,
        kind=NotificationKind.OFFICIAL_ANSWER,
        email=EmailFrequency.IMMEDIATE,
    )
    sent_payloads: list[dict[str, Any]] = []
    real_apply_async = notify_users.apply_async

    def recording_apply_async(*args: Any, **options: Any) -> Any:
        sent_payloads.append(options["kwargs"])
        return real_apply_async(*args, **options)

    monkeypatch.setattr(notify_users, "apply_async", recording_apply_async)
    worker = start_worker(
        [notifications_queue, "celery"],
        env=worker_env(EMAIL_URL=f"filemail:///{outbox}"),
    )
    try:
        # A member of the lead organisation answers: an official answer, whose
        # audience (authors, members, followers) includes the actor.
        comment = comment_create(
            actor=answerer, proposal=proposal, body="We start in **May**."
        )
        assert comment.is_official
        (payload,) = sent_payloads
        assert answerer.pk in payload["recipient_ids"]
        expected = sorted([proposal.author_id, colleague.pk, follower.pk])

        def arrived() -> bool:
            return Notification.objects.count() >= len(expected) and bool(_sent(outbox))

        assert wait_until(arrived, timeout=60), (
            f"notifications: {Notification.objects.count()}, e-mails: {_sent(outbox)}"
        )
        rows = list(
            Notification.objects.order_by("recipient_id").values_list(
                "recipient_id", "kind", "event_key"
            )
        )
        assert [r[0] for r in rows] == expected
        assert {r[1] for r in rows} == {NotificationKind.OFFICIAL_ANSWER}
        assert not Notification.objects.filter(recipient=answerer).exists()
        assert _sent(outbox) == [colleague.email]

        # A redelivery: the very same payload, through the broker again.
        again = notify_users.apply_async(kwargs=payload)
        assert again.get(timeout=60) == 0
        assert Notification.objects.count() == len(expected)
        assert _sent(outbox) == [colleague.email]
    finally:
        stop_worker(worker)
