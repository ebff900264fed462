"""Notification e-mail: each person's choice per kind (at once, daily digest, never),
the daily digest, and signed one-click unsubscribe links.

Sending is claimed row by row with a conditional UPDATE (``emailed_at IS NULL``), so
a task that runs twice — a redelivery after a worker died — never e-mails twice.
"""

from __future__ import annotations

import logging
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import (
    EmailFrequency,
    Notification,
    NotificationKind,
    NotificationSetting,
    User,
)

log = logging.getLogger(__name__)
UNSUBSCRIBE_SALT = "crosswalk.unsubscribe"
ALL_KINDS = "all"

# What people get when they never chose: things that need an answer arrive at once,
# conversation news in the daily digest.
DEFAULT_FREQUENCY: dict[str, str] = {
    NotificationKind.VERIFICATION: EmailFrequency.IMMEDIATE,
    NotificationKind.INVITATION: EmailFrequency.IMMEDIATE,
    NotificationKind.MEMBERSHIP: EmailFrequency.DAILY,
    NotificationKind.JOIN_REQUEST: EmailFrequency.IMMEDIATE,
    NotificationKind.PARTNER: EmailFrequency.IMMEDIATE,
    NotificationKind.HIDDEN: EmailFrequency.IMMEDIATE,
    NotificationKind.COMMENT: EmailFrequency.DAILY,
    NotificationKind.REPLY: EmailFrequency.DAILY,
    NotificationKind.OFFICIAL_ANSWER: EmailFrequency.DAILY,
    NotificationKind.STATUS: EmailFrequency.DAILY,
    NotificationKind.MATCH: EmailFrequency.DAILY,
    NotificationKind.PROJECT: EmailFrequency.DAILY,
    NotificationKind.SIGNAL: EmailFrequency.DAILY,
}


def preferences_for(user_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """Each user's e-mail choice per kind, defaults filled in (one query)."""
    ids = list(user_ids)
    prefs = {uid: dict(DEFAULT_FREQUENCY) for uid in ids}
    for row in NotificationSetting.objects.filter(user_id__in=ids).values_list(
        "user_id", "kind", "email"
    ):
        prefs[row[0]][row[1]] = row[2]
    return prefs


def notification_settings_update(
    *, user: User, choices: dict[str, str]
) -> dict[str, str]:
    """Save a person's choices; unknown kinds or frequencies are refused."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    errors = {}
    for kind, freq in choices.items():
        if kind not in NotificationKind.values:
            errors[kind] = _("Unknown kind of notification.")
        elif freq not in EmailFrequency.values:
            errors[kind] = _("Choose immediate, daily or never.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for kind, freq in choices.items():
            NotificationSetting.objects.update_or_create(
                user=user, kind=kind, defaults={"email": freq}
            )
    return preferences_for([user.pk])[user.pk]


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(user_id: int, kind: str) -> str:
    return settings.SITE_URL + reverse(
        "notification-unsubscribe", kwargs={"token": unsubscribe_token(user_id, kind)}
    )


def unsubscribe(*, token: str) -> tuple[User, str]:
    """Apply a signed unsubscribe link: that kind (or every kind) goes to "never".
    A tampered token raises ``signing.BadSignature``."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    user = User.objects.get(pk=data["u"], is_active=True)
    kind = data["k"]
    kinds = NotificationKind.values if kind == ALL_KINDS else [kind]
    if kind != ALL_KINDS and kind not in NotificationKind.values:
        raise signing.BadSignature("unknown kind")
    with transaction.atomic():
        for k in kinds:
            NotificationSetting.objects.update_or_create(
                user=user, kind=k, defaults={"email": EmailFrequency.NEVER}
            )
    return user, kind


def _claim(ids: list[int]) -> list[int]:
    """Mark rows as e-mailed, returning only those this call claimed."""
    claimed = []
    now = timezone.now()
    for pk in ids:
        if Notification.objects.filter(pk=pk, emailed_at__isnull=True).update(
            emailed_at=now
        ):
            claimed.append(pk)
    return claimed


def _release(ids: list[int]) -> None:
    Notification.objects.filter(pk__in=ids).update(emailed_at=None)


def _language_for(user: User) -> str:
    languages = (user.home_city.languages if user.home_city_id else None) or [
        settings.LANGUAGE_CODE
    ]
    return languages[0]


def _send(
    user: User,
    subject: str,
    template: str,
    context: dict[str, Any],
    kind: str,
    connection: Any,
) -> None:
    with translation.override(_language_for(user)):
        context = {
            **context,
            "user": user,
            "site_url": settings.SITE_URL,
            "unsubscribe_url": unsubscribe_url(user.pk, kind),
            "settings_url": settings.SITE_URL + reverse("notification-settings"),
        }
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
        message = EmailMultiAlternatives(
            subject=subject, body=text, to=[user.email], connection=connection
        )
        message.attach_alternative(html, "text/html")
        message.extra_headers = {
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        message.send()


def notification_emails_send_immediate(*, event_key: str) -> int:
    """E-mail the notifications of one event to the people who want them at once."""
    rows = list(
        Notification.objects.filter(
            event_key=event_key, emailed_at__isnull=True
        ).select_related("recipient", "recipient__home_city")
    )
    if not rows:
        return 0
    prefs = preferences_for({n.recipient_id for n in rows})
    wanted = [
        n for n in rows if prefs[n.recipient_id].get(n.kind) == EmailFrequency.IMMEDIATE
    ]
    claimed = set(_claim([n.pk for n in wanted]))
    sent = 0
    connection = get_connection()
    for n in wanted:
        if n.pk not in claimed:
            continue
        try:
            with translation.override(_language_for(n.recipient)):
                subject = f"[Crosswalk] {n.text}"[:180]
            _send(
                n.recipient,
                subject,
                "notification",
                {"notification": n},
                n.kind,
                connection,
            )
            sent += 1
        except OSError:
            _release([n.pk])
            raise
    return sent


def _local_hour(user: User, now: datetime) -> int:
    name = user.home_city.timezone if user.home_city_id else settings.TIME_ZONE
    return now.astimezone(zoneinfo.ZoneInfo(name)).hour


def notification_digests_send(
    *, now: datetime | None = None, hour: int | None = None
) -> int:
    """Send each person whose local time is the digest hour one e-mail with the
    notifications they chose to get as a daily digest; returns digests sent."""
    now = now or timezone.now()
    hour = settings.DIGEST_HOUR if hour is None else hour
    pending = (
        Notification.objects.filter(emailed_at__isnull=True, created_at__lte=now)
        .select_related("recipient", "recipient__home_city")
        .order_by("recipient_id", "created_at")
    )
    by_user: dict[int, list[Notification]] = defaultdict(list)
    users: dict[int, User] = {}
    for n in pending.iterator(chunk_size=2000):
        by_user[n.recipient_id].append(n)
        users[n.recipient_id] = n.recipient
    prefs = preferences_for(by_user)
    sent = 0
    connection = get_connection()
    for uid, items in by_user.items():
        user = users[uid]
        if not user.is_active or user.deleted_at or _local_hour(user, now) != hour:
            continue
        digest = [n for n in items if prefs[uid].get(n.kind) == EmailFrequency.DAILY]
        never = [n.pk for n in items if prefs[uid].get(n.kind) == EmailFrequency.NEVER]
        if never:
            Notification.objects.filter(pk__in=never, emailed_at__isnull=True).update(
                emailed_at=now
            )
        claimed = set(_claim([n.pk for n in digest]))
        digest = [n for n in digest if n.pk in claimed]
        if not digest:
            continue
        try:
            with translation.override(_language_for(user)):
                from django.utils.translation import ngettext

                subject = ngettext(
                    "[Crosswalk] Your daily digest: %(n)d update",
                    "[Crosswalk] Your daily digest: %(n)d updates",
                    len(digest),
                ) % {"n": len(digest)}
            _send(
                user,
                subject,
                "digest",
                {"notifications": digest},
                ALL_KINDS,
                connection,
            )
            sent += 1
        except OSError:
            _release([n.pk for n in digest])
            log.warning("digest for user %s not sent", uid, exc_info=True)
    return sent
