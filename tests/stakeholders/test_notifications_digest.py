"""The daily digest: built at the digest hour in each person's city time zone,
only the kinds chosen as "daily", "never" kinds left out, sent once."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from stakeholders.models import (
    EmailFrequency,
    Notification,
    NotificationKind,
    NotificationSetting,
)
from stakeholders.notifications import notification_digests_send
from stakeholders.tasks import send_daily_digests
from tests.factories import CityFactory, UserFactory

pytestmark = pytest.mark.django_db


def _note(user, kind: str, text: str) -> Notification:  # type: ignore[no-untyped-def]
    return Notification.objects.create(
        recipient=user,
        kind=kind,
        event_key=f"{kind}:{text}",
        message=text,
        url="/proposals/1/",
        created_at=timezone.now(),
    )


@pytest.fixture
def montreal_person(settings):  # type: ignore[no-untyped-def]
    settings.DIGEST_HOUR = 7
    city = CityFactory(slug="montreal", timezone="America/Montreal", languages=["en"])
    return UserFactory(home_city=city)


def test_digest_sent_at_the_hour_in_the_city_time_zone(montreal_person) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel("2030-05-01 09:00:00+00:00", tick=False):
        _note(montreal_person, NotificationKind.COMMENT, "New comment on solar roofs")
        _note(montreal_person, NotificationKind.STATUS, "Solar roofs shortlisted")
    # 10:00 UTC is 06:00 in Montreal (EDT): not yet.
    with time_machine.travel("2030-05-01 10:00:00+00:00", tick=False):
        assert send_daily_digests.apply().get() == 0
    assert mail.outbox == []
    # 11:00 UTC is 07:00 in Montreal: the digest hour.
    with time_machine.travel("2030-05-01 11:00:00+00:00", tick=False):
        assert send_daily_digests.apply().get() == 1
    (message,) = mail.outbox
    assert message.to == [montreal_person.email]
    assert "2 updates" in message.subject
    assert "New comment on solar roofs" in message.body
    assert "Solar roofs shortlisted" in message.body
    assert "/notifications/unsubscribe/" in message.body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_digest_leaves_out_never_and_immediate_kinds(montreal_person) -> None:  # type: ignore[no-untyped-def]
    NotificationSetting.objects.create(
        user=montreal_person, kind=NotificationKind.STATUS, email=EmailFrequency.NEVER
    )
    NotificationSetting.objects.create(
        user=montreal_person,
        kind=NotificationKind.REPLY,
        email=EmailFrequency.IMMEDIATE,
    )
    with time_machine.travel("2030-05-01 09:00:00+00:00", tick=False):
        _note(montreal_person, NotificationKind.COMMENT, "Daily kind")
        status = _note(montreal_person, NotificationKind.STATUS, "Never kind")
        reply = _note(montreal_person, NotificationKind.REPLY, "Immediate kind")
    with time_machine.travel("2030-05-01 11:00:00+00:00", tick=False):
        assert notification_digests_send() == 1
    (message,) = mail.outbox
    assert "Daily kind" in message.body
    assert "Never kind" not in message.body
    assert "Immediate kind" not in message.body
    assert "1 update" in message.subject
    status.refresh_from_db()
    reply.refresh_from_db()
    assert status.emailed_at is not None  # settled, never sent
    assert reply.emailed_at is None  # the immediate path sends it, not the digest


def test_digest_runs_twice_sends_once(montreal_person) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel("2030-05-01 09:00:00+00:00", tick=False):
        _note(montreal_person, NotificationKind.COMMENT, "Once only")
    with time_machine.travel("2030-05-01 11:00:00+00:00", tick=False):
        assert notification_digests_send() == 1
        assert notification_digests_send() == 0
    with time_machine.travel("2030-05-02 11:00:00+00:00", tick=False):
        assert notification_digests_send() == 0
    assert len(mail.outbox) == 1


def test_nothing_to_send_sends_nothing(montreal_person) -> None:  # type: ignore[no-untyped-def]
    NotificationSetting.objects.create(
        user=montreal_person, kind=NotificationKind.COMMENT, email=EmailFrequency.NEVER
    )
    with time_machine.travel("2030-05-01 09:00:00+00:00", tick=False):
        _note(montreal_person, NotificationKind.COMMENT, "Not wanted")
    with time_machine.travel("2030-05-01 11:00:00+00:00", tick=False):
        assert notification_digests_send() == 0
    assert mail.outbox == []


def test_each_city_gets_its_digest_at_its_own_hour(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DIGEST_HOUR = 7
    paris = UserFactory(home_city=CityFactory(timezone="Europe/Paris"))
    tokyo = UserFactory(home_city=CityFactory(timezone="Asia/Tokyo"))
    with time_machine.travel("2030-01-10 00:00:00+00:00", tick=False):
        _note(paris, NotificationKind.COMMENT, "for Paris")
        _note(tokyo, NotificationKind.COMMENT, "for Tokyo")
    # 22:00 UTC = 07:00 next morning in Tokyo (UTC+9).
    with time_machine.travel("2030-01-10 22:00:00+00:00", tick=False):
        assert notification_digests_send() == 1
    assert [m.to for m in mail.outbox] == [[tokyo.email]]
    # 06:00 UTC = 07:00 in Paris (CET).
    with time_machine.travel("2030-01-11 06:00:00+00:00", tick=False):
        assert notification_digests_send() == 1
    assert [m.to for m in mail.outbox] == [[tokyo.email], [paris.email]]
