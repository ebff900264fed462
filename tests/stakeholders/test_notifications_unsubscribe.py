"""Signed one-click unsubscribe links: a valid link sets the kind to "never" (GET
from a person, POST from a mail client), a tampered one is refused (400) and
changes nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from stakeholders.models import (
    EmailFrequency,
    Notification,
    NotificationKind,
    NotificationSetting,
)
from stakeholders.notifications import (
    ALL_KINDS,
    notification_emails_send_immediate,
    unsubscribe_token,
    unsubscribe_url,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _path(token: str) -> str:
    return f"/notifications/unsubscribe/{token}/"


def _choices(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return dict(
        NotificationSetting.objects.filter(user=user).values_list("kind", "email")
    )


def test_valid_link_sets_never_for_that_kind() -> None:
    person = UserFactory()
    response = Client().get(_path(unsubscribe_token(person.pk, NotificationKind.REPLY)))
    assert response.status_code == 200
    assert _choices(person) == {NotificationKind.REPLY: EmailFrequency.NEVER}


def test_all_kinds_link_sets_every_kind_to_never() -> None:
    person = UserFactory()
    Client().get(_path(unsubscribe_token(person.pk, ALL_KINDS)))
    assert _choices(person) == dict.fromkeys(
        NotificationKind.values, EmailFrequency.NEVER
    )


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: "x" + t,
        lambda t: t.split(":")[0],
        lambda t: "not-a-token",
    ],
)
def test_tampered_link_is_refused_and_nothing_changes(tamper) -> None:  # type: ignore[no-untyped-def]
    person = UserFactory()
    token = unsubscribe_token(person.pk, NotificationKind.REPLY)
    for method in ("get", "post"):
        response = getattr(Client(), method)(_path(tamper(token)))
        assert response.status_code == 400
    assert _choices(person) == {}


def test_link_for_another_kind_name_is_refused() -> None:
    from django.core import signing

    from stakeholders.notifications import UNSUBSCRIBE_SALT

    person = UserFactory()
    forged = signing.dumps({"u": person.pk, "k": "everything"}, salt=UNSUBSCRIBE_SALT)
    assert Client().get(_path(forged)).status_code == 400
    assert _choices(person) == {}


def test_one_click_post_from_a_mail_client_works_without_csrf_token() -> None:
    person = UserFactory()
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        _path(unsubscribe_token(person.pk, NotificationKind.COMMENT)),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert _choices(person) == {NotificationKind.COMMENT: EmailFrequency.NEVER}


def test_the_link_in_an_email_unsubscribes(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://crosswalk.example"
    person = UserFactory()
    Notification.objects.create(
        recipient=person,
        kind=NotificationKind.HIDDEN,
        event_key="hidden:comment:1:1",
        message="Your comment was hidden.",
    )
    assert notification_emails_send_immediate(event_key="hidden:comment:1:1") == 1
    (message,) = mail.outbox
    link = unsubscribe_url(person.pk, NotificationKind.HIDDEN)
    assert link in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    path = link.removeprefix("https://crosswalk.example")
    assert Client().post(path).status_code == 200
    assert _choices(person) == {NotificationKind.HIDDEN: EmailFrequency.NEVER}
