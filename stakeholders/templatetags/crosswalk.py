"""Template helpers for the stakeholders pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.timesince import timeuntil
from django.utils.translation import ngettext

register = template.Library()

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

# allauth rate-limit actions guarding each account page (settings.ACCOUNT_RATE_LIMITS).
_ACTIONS_BY_URL_NAME = {
    "account_signup": ("signup",),
    "account_reset_password": ("reset_password",),
    "account_reset_password_from_key": ("reset_password_from_key",),
    "account_login": ("login_failed",),
    "account_change_password": ("change_password",),
    "account_email": ("manage_email",),
    "account_confirm_email": ("confirm_email",),
}


@register.filter
def duration(value: timedelta | None) -> str:
    """A cool-off period in words: "15 minutes", "1 hour"."""
    if not value:
        return ""
    minutes = max(1, round(value.total_seconds() / 60))
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


@register.simple_tag
def moment_after(delta: timedelta | None) -> Any:
    """The moment ``delta`` from now (for "try again after 14:05")."""
    return timezone.localtime(timezone.now() + (delta or timedelta()))


def _rate_period_seconds(rate: str) -> int:
    """ "5/h/ip" → 3600; "10/5m/key" → 300."""
    parts = rate.strip().split("/")
    if len(parts) < 2:
        return 0
    spec = parts[1]
    unit = spec[-1]
    amount = spec[:-1] or "1"
    if unit not in _PERIODS or not amount.isdigit():
        return 0
    return int(amount) * _PERIODS[unit]


@register.simple_tag
def rate_limit_wait(request: HttpRequest | None) -> str:
    """How long to wait before retrying the throttled account action, in words."""
    name = getattr(getattr(request, "resolver_match", None), "url_name", None)
    actions = _ACTIONS_BY_URL_NAME.get(name or "", ())
    limits = getattr(settings, "ACCOUNT_RATE_LIMITS", {}) or {}
    seconds = 0
    for action in actions:
        for rate in str(limits.get(action) or "").split(","):
            if rate.strip():
                seconds = max(seconds, _rate_period_seconds(rate))
    if not seconds:
        seconds = 3600
    now = timezone.now()
    return timeuntil(now + timedelta(seconds=seconds), now)


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: Any) -> str:
    """The current query string with some parameters replaced (``None`` drops
    one); keeps repeated parameters such as several ``sector`` values."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else {}
    for key, value in changes.items():
        if hasattr(params, "setlist"):
            params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    if hasattr(params, "urlencode"):
        encoded = params.urlencode()
    else:
        encoded = urlencode(params)
    return f"?{encoded}" if encoded else "?"
