"""The conversation on a page in one tag each, so a page template needs nothing
else: ``{% proposal_conversation proposal %}`` (the thread, read through the
selector in a fixed number of queries) and ``{% support_follow proposal %}``."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from stakeholders import permissions as sp
from stakeholders.models import CityRoleKind

from ..models import Proposal
from ..views_conversation import support_follow_context, thread_context

register = template.Library()


@register.inclusion_tag("partials/_conversation.html", takes_context=True)
def proposal_conversation(context: template.Context, proposal: Proposal) -> Any:
    return thread_context(context["request"], proposal)


@register.inclusion_tag("partials/_support_follow.html", takes_context=True)
def support_follow(context: template.Context, proposal: Proposal) -> Any:
    return support_follow_context(context["request"], proposal)


@register.simple_tag(takes_context=True)
def may_moderate_somewhere(context: template.Context) -> bool:
    """Staff, or a verified moderator of some city (with or without two-factor
    yet: the queue asks them to set it up). Costs no query once the header has
    read the person's roles."""
    user = getattr(context.get("request"), "user", None)
    if not sp.is_signed_in(user):
        return False
    return sp.is_staff(user) or any(
        role == CityRoleKind.MODERATOR for _city, role in sp._verified_roles(user)
    )


@register.filter
def ago(value: datetime | None) -> str:
    """ "just now", "4 minutes ago", "3 hours ago": one unit is enough in a thread
    (the exact time is in the element's title)."""
    if value is None:
        return ""
    if timezone.now() - value < timedelta(minutes=1):
        return _("just now")
    return _("%(when)s ago") % {"when": timesince(value, depth=1)}
