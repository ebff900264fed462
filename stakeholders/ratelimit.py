"""Per-person limits on actions (comments, flags…), enforced in the services so the
pages and the API share them. Fixed windows counted in the cache (Redis in
production, so every web process sees the same counts)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


def _wait_text(seconds: int) -> str:
    if seconds < 120:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    if seconds < 7200:
        minutes = (seconds + 59) // 60
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours = (seconds + 3599) // 3600
    return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}


def rate_limit_check(
    *, action: str, user_id: int, limits: list[Limit], message: str
) -> None:
    """Count one more ``action`` by the user; refuse with a message saying when to
    retry if any window is already full. A refused attempt is not counted."""
    now = int(time.time())
    windows = [
        (f"rl:{action}:{user_id}:{limit.seconds}:{now // limit.seconds}", limit)
        for limit in limits
    ]
    counts = cache.get_many([key for key, _limit in windows])  # one round trip
    keys = []
    for key, limit in windows:
        used = counts.get(key, 0)
        if used >= limit.count:
            retry = limit.seconds - (now % limit.seconds)
            raise ValidationError(
                _("%(message)s Try again in %(wait)s.")
                % {"message": message, "wait": _wait_text(retry)},
                code="rate_limited",
                params={"retry_after": retry},
            )
        keys.append((key, limit.seconds))
    for key, seconds in keys:
        if cache.add(key, 1, seconds + 5):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, seconds + 5)
