"""The notifications API: my list with the unread count, mark read (some or all,
only mine), and my e-mail choices per kind."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stakeholders.models import (
    EmailFrequency,
    Notification,
    NotificationKind,
    NotificationSetting,
)
from tests.factories import UserFactory
from tests.projects.factories import api_client

pytestmark = pytest.mark.django_db


def _notes(user, n: int) -> list[Notification]:  # type: ignore[no-untyped-def]
    actor = UserFactory(display_name="Ana")
    return [
        Notification.objects.create(
            recipient=user,
            kind=NotificationKind.COMMENT,
            event_key=f"comment:{i}:new",
            actor=actor,
            message="%(name)s commented on “%(title)s”.",
            params={"name": "Ana", "title": f"Solar roofs {i}"},
            url="/proposals/1/",
        )
        for i in range(n)
    ]


def test_list_is_mine_only_with_unread_count() -> None:
    person = UserFactory()
    notes = _notes(person, 3)
    _notes(UserFactory(), 2)
    Notification.objects.filter(pk=notes[0].pk).update(read_at=timezone.now())

    body = api_client(person).get("/api/v1/notifications/").json()

    assert body["count"] == 3 and body["unread"] == 2
    first = body["results"][0]
    assert first["text"].startswith("Ana commented on “Solar roofs")
    assert first["actor"] == "Ana" and first["url"] == "/proposals/1/"
    unread = api_client(person).get("/api/v1/notifications/?unread=true").json()
    assert unread["count"] == 2
    assert all(not r["read"] for r in unread["results"])


def test_anonymous_gets_401() -> None:
    assert api_client().get("/api/v1/notifications/").status_code == 401
    assert (
        api_client().post("/api/v1/notifications/read/", {"all": True}).status_code
        == 401
    )
    assert api_client().get("/api/v1/me/notification-settings/").status_code == 401


def test_mark_some_read_ignores_other_peoples() -> None:
    person, other = UserFactory(), UserFactory()
    mine = _notes(person, 3)
    theirs = _notes(other, 1)
    response = api_client(person).post(
        "/api/v1/notifications/read/",
        {"ids": [mine[0].pk, theirs[0].pk]},
        format="json",
    )
    assert response.json() == {"marked": 1, "unread": 2}
    assert Notification.objects.get(pk=theirs[0].pk).read_at is None


def test_mark_all_read() -> None:
    person = UserFactory()
    _notes(person, 4)
    response = api_client(person).post(
        "/api/v1/notifications/read/", {"all": True}, format="json"
    )
    assert response.json() == {"marked": 4, "unread": 0}


@pytest.mark.parametrize(
    "payload", [{}, {"ids": []}, {"ids": ["x"]}, {"all": False}, {"ids": [0]}]
)
def test_mark_read_bad_input(payload: dict) -> None:  # type: ignore[type-arg]
    person = UserFactory()
    _notes(person, 1)
    response = api_client(person).post(
        "/api/v1/notifications/read/", payload, format="json"
    )
    assert response.status_code == 400
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def _queries(n: int) -> int:
    person = UserFactory()
    _notes(person, n)
    client = api_client(person)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/notifications/").status_code == 200
    return len(ctx.captured_queries)


def test_list_costs_the_same_queries_for_2_and_20() -> None:
    assert _queries(2) == _queries(20)


def test_settings_read_with_defaults_and_patch() -> None:
    person = UserFactory()
    client = api_client(person)
    current = client.get("/api/v1/me/notification-settings/").json()
    assert set(current) == set(NotificationKind.values)
    assert current["reply"] == EmailFrequency.DAILY
    assert current["hidden"] == EmailFrequency.IMMEDIATE

    changed = client.patch(
        "/api/v1/me/notification-settings/",
        {"reply": "immediate", "status": "never"},
        format="json",
    )
    assert changed.status_code == 200
    assert changed.json()["reply"] == "immediate"
    assert changed.json()["status"] == "never"
    assert changed.json()["comment"] == EmailFrequency.DAILY
    assert NotificationSetting.objects.filter(user=person).count() == 2


def test_settings_put_needs_every_kind() -> None:
    person = UserFactory()
    client = api_client(person)
    partial = client.put(
        "/api/v1/me/notification-settings/", {"reply": "never"}, format="json"
    )
    assert partial.status_code == 400
    everything = dict.fromkeys(NotificationKind.values, "never")
    full = client.put("/api/v1/me/notification-settings/", everything, format="json")
    assert full.status_code == 200 and full.json() == everything


@pytest.mark.parametrize(
    "payload", [{"reply": "hourly"}, {"sms": "never"}, {"reply": ["never"]}]
)
def test_settings_bad_input_changes_nothing(payload: dict) -> None:  # type: ignore[type-arg]
    person = UserFactory()
    response = api_client(person).patch(
        "/api/v1/me/notification-settings/", payload, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == set(payload)
    assert not NotificationSetting.objects.filter(user=person).exists()
