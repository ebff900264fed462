"""Celery tasks: thin, JSON arguments only, safe to run twice."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone


@shared_task(name="stakeholders.tasks.purge_expired_sessions", acks_late=True)
def purge_expired_sessions() -> int:
    """Delete expired sessions; returns how many went."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(
    name="stakeholders.tasks.notify_users",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def notify_users(
    *,
    recipient_ids: list[int],
    kind: str,
    event_key: str,
    message: str,
    params: dict[str, Any],
    url: str = "",
    actor_id: int | None = None,
) -> int:
    from .notifications import notification_emails_send_immediate
    from .services import notification_fanout

    created = notification_fanout(
        recipient_ids=recipient_ids,
        kind=kind,
        event_key=event_key,
        message=message,
        params=params,
        url=url,
        actor_id=actor_id,
    )
    # Rows and e-mails are both claimed per recipient, so a redelivered task adds
    # nothing and sends nothing twice.
    notification_emails_send_immediate(event_key=event_key)
    return created


@shared_task(
    name="stakeholders.tasks.send_daily_digests",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def send_daily_digests() -> int:
    """Hourly: people whose local time is the digest hour get their digest."""
    from .notifications import notification_digests_send

    return notification_digests_send()


@shared_task(
    name="stakeholders.tasks.send_invitation_email",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=6,
)
def send_invitation_email(*, invitation_id: int) -> bool:
    from django.urls import reverse

    from .models import Invitation
    from .services import invitation_token

    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None:
        return False
    link = settings.SITE_URL + reverse(
        "invitation-accept", kwargs={"token": invitation_token(invitation)}
    )
    context = {"invitation": invitation, "link": link}
    send_mail(
        subject=render_to_string("emails/invitation_subject.txt", context).strip(),
        message=render_to_string("emails/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
    return True
