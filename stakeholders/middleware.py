"""Two-factor enforcement for people holding powers.

Staff, coordinators and moderators get no power without TOTP
(``permissions.has_two_factor``); this middleware makes that visible: when such a
person opens the admin or a coordinator/moderator page, they are sent to set up an
authenticator app, with a message saying why, instead of meeting a bare 403.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from . import permissions as perms

GUARDED_PREFIXES = ("/admin/",)
GUARDED_URL_NAMES = frozenset(
    {
        "verification-queue",
        "verification-organisation-decide",
        "verification-role-decide",
        "moderation-queue",
        "city-moderation-queue",
        "moderation-decide",
    }
)


def is_guarded_path(path: str) -> bool:
    """Pages that use staff, coordinator or moderator powers."""
    if path.startswith(GUARDED_PREFIXES):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.url_name in GUARDED_URL_NAMES


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            perms.is_signed_in(user)
            and is_guarded_path(request.path_info)
            and perms.needs_two_factor_setup(user)
        ):
            messages.warning(
                request,
                _(
                    "Your account holds staff, coordinator or moderator powers. Set "
                    "up an authenticator app (two-factor authentication) to use them: "
                    "it protects the people and decisions you are trusted with."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
