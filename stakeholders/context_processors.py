"""Values every page's header needs. They are memoised callables, so a page that
never shows them (an error page, a download) pays nothing, and one that shows them
pays one query each however often the template reads them."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from . import permissions as perms
from . import selectors


def header(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not perms.is_signed_in(user):
        return {"unread_notification_count": 0, "show_verification_nav": False}

    @cache
    def unread_notification_count() -> int:
        return selectors.unread_notification_count(user=user)

    @cache
    def show_verification_nav() -> bool:
        return perms.may_coordinate_somewhere(user)

    return {
        "unread_notification_count": unread_notification_count,
        "show_verification_nav": show_verification_nav,
    }
