"""Shared cache of what anonymous readers get: the list API's JSON, the list page's
content and the public fragments of a proposal's page.

Entries are never invalidated one by one: each is stored with the version
counters read before it was rendered (and the time of that read), a change bumps
the counters, and an entry whose counters are no longer current is not served:
the next read renders from the database. (Counters and entry are read in one
round trip.)

* ``all``: bumped when something every page may show changes (an organisation, a
  city, a district, a sector, a person's public name);
* ``list``: bumped by any change to any proposal (lists, counts, pages);
* ``list-hard``: bumped when a proposal leaves public view for safety
  (moderation hides it) or is deleted;
* ``proposal:<id>``: bumped by a change to that proposal or what hangs on it
  (partners, impacts, attachments, events, revisions, sectors, counters,
  comments, votes, supports).

A proposal's page is exact: it checks ``all`` and its own counter, so a comment
on one proposal leaves the other pages cached and shows on its own page at once.

Lists may lag, by at most ``PROPOSAL_LIST_LAG_SECONDS`` (30 s): they check
``all`` and ``list-hard`` exactly, but an entry read before the last ``list``
bump is still served until it is that old. On a busy evening comments and
supports arrive several times a second, and each one changes a count that lists
show (and sort by); re-rendering every page of every list after each would mean
never serving one from the cache. So a new comment, support or submission shows
on its proposal's page at once and in the lists within 30 s, while a proposal
hidden by moderation, a renamed organisation or a changed city leaves every list
at once.

Bumps come from two places: model signals (any ``save()``/``delete()``, whoever
calls it: services, admin, shell, factories) and explicit ``bump()`` calls in the
services after ``QuerySet.update()`` (counters), which sends no signal. A bump
happens at once *and* again after the transaction commits: a reader that read the
new counter before the commit may have cached the old rows under it; the second
bump retires that entry.

Two layers: the public parts of a page (the list's results; a proposal's header,
main column and key facts), and, for anonymous readers with no pending message,
the whole HTML page with a placeholder where the CSRF token goes
(``anonymous_page``), replaced by the reader's own token when served, so a cached
page never carries anyone's token.

Entries are shared by anonymous readers and by the signed-in readers who see the
same thing (``sees_public_only``: no organisation, city role or proposal of their
own, not staff; a signed-in reader with any of them may see drafts, actions and
forms of their own and gets everything rendered), keyed by language and the full
URL (host and query string included). Whole pages are for anonymous readers only.
Counters live in the cache itself, so with Redis every worker process shares them.
Counters that are missing (evicted, flushed) start again from the current time in
nanoseconds, above any value used before, so an old entry can never match a new
counter.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

log = logging.getLogger(__name__)

PREFIX = "proposals:v1"
ALL = f"{PREFIX}:ver:all"
LIST = f"{PREFIX}:ver:list"
LIST_HARD = f"{PREFIX}:ver:list-hard"


def _proposal_version_key(proposal_id: int) -> str:
    return f"{PREFIX}:ver:proposal:{proposal_id}"


def enabled() -> bool:
    return bool(getattr(settings, "PROPOSAL_CACHE_ENABLED", True))


def timeout() -> int:
    return int(getattr(settings, "PROPOSAL_CACHE_SECONDS", 600))


def list_lag() -> float:
    """How long a list may go on showing what it showed before a change."""
    return float(getattr(settings, "PROPOSAL_LIST_LAG_SECONDS", 30))


def _now() -> float:
    return time.time()


# --- Versions ------------------------------------------------------------------------


def _fresh() -> int:
    return time.time_ns()


def _incr(keys: Iterable[str]) -> None:
    keys = list(keys)
    bump_counters = getattr(cache, "bump_counters", None)
    if bump_counters is not None:  # Redis: one round trip
        try:
            bump_counters(keys, _fresh())
        except Exception:  # the cache being down must not break a write
            log.exception("Could not bump the proposal cache versions %s", keys)
        return
    for key in keys:
        try:
            try:
                cache.incr(key)
            except ValueError:  # missing: start above every earlier value
                if not cache.add(key, _fresh(), timeout=None):
                    cache.incr(key)
        except Exception:  # the cache being down must not break a write
            log.exception("Could not bump the proposal cache version %s", key)


def bump(proposal_id: int | None = None, *, hard: bool = False) -> None:
    """Retire the cached copies a change may affect: those of the proposal's page
    at once and every list within the lag (``hard``: at once too, for a
    proposal that must leave public view); with no proposal, everything at once.
    Call it (or let the signals call it) whenever public data changes; it bumps
    at once and after commit."""
    if proposal_id:
        keys = [LIST, _proposal_version_key(proposal_id)]
        if hard:
            keys.append(LIST_HARD)
    else:
        keys = [ALL, LIST]
    _incr(keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _incr(keys))


# --- Entries ---------------------------------------------------------------------------


def sees_public_only(user: Any) -> bool:
    """A signed-in reader who sees exactly what an anonymous reader sees of
    proposals: not staff, in no organisation (no drafts, no invitations, no
    author's view), no city role (no review, curation or complements), author of
    no proposal. Most residents. One query, remembered on the user object."""
    known = getattr(user, "_sees_public_only", None)
    if known is not None:
        return bool(known)
    if user.is_staff or user.is_superuser:
        result = False
    else:
        from django.contrib.auth import get_user_model
        from django.db.models import Exists, OuterRef

        from stakeholders.models import CityRole, Membership

        from .models import Proposal

        result = not (
            get_user_model()
            .objects.filter(pk=user.pk)
            .filter(
                Exists(Membership.objects.filter(user=OuterRef("pk")))
                | Exists(CityRole.objects.filter(user=OuterRef("pk")))
                | Exists(Proposal.objects.filter(author=OuterRef("pk")))
            )
            .exists()
        )
    user._sees_public_only = result
    return result


def cacheable(request: HttpRequest) -> bool:
    """GET/HEAD requests of anonymous readers share cached copies, and so do
    signed-in readers who see what they see (``sees_public_only``): the cached
    parts hold nothing of the reader. Whole pages (``anonymous_page``) stay for
    anonymous readers only: they carry the header of the person signed in."""
    if not enabled() or request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return True
    return sees_public_only(user)


@dataclass
class Entry:
    """One cached rendering: its key (kind, full URL, language), the counters
    read with it and when, and the value if it was stored under those same
    counters (or, for ``lagging`` counters, read less than the lag ago)."""

    key: str
    versions: tuple[int, ...]
    read_at: float
    value: Any = None


def _lookup(
    kind: str,
    request: HttpRequest,
    version_keys: list[str],
    extra: tuple[str, ...],
    lagging: tuple[str, ...] = (),
) -> Entry | None:
    """The entry of this request; ``lagging`` counters may have moved on since
    it was stored if it was read less than ``list_lag()`` seconds ago."""
    if not cacheable(request):
        return None
    url = request.build_absolute_uri()  # scheme, host, path and query string
    digest = hashlib.sha256(
        "\n".join([url, translation.get_language() or "", *extra]).encode()
    ).hexdigest()[:32]
    key = f"{PREFIX}:{kind}:{digest}"
    exact = len(version_keys)
    version_keys = [*version_keys, *lagging]
    try:
        # The counters and the entry in one round trip.
        found = cache.get_many([*version_keys, key])
        versions = []
        for version_key in version_keys:
            value = found.get(version_key)
            if value is None:
                value = _fresh()
                if not cache.add(version_key, value, timeout=None):
                    value = cache.get(version_key)
                if value is None:
                    return None
            versions.append(int(value))
    except Exception:
        log.exception("Proposal cache unavailable")
        return None
    entry = Entry(key, tuple(versions), _now())
    stored = found.get(key)
    if not (isinstance(stored, tuple) and len(stored) == 3):
        return entry
    stored_versions, stored_at, value = stored
    if stored_versions == entry.versions or (
        stored_versions[:exact] == entry.versions[:exact]
        and entry.read_at - stored_at < list_lag()
    ):
        entry.value = value
    return entry


def list_entry(request: HttpRequest, kind: str, *extra: str) -> Entry | None:
    """The cached rendering of a list (``kind``: api, page) for this request;
    None when it must not be cached. It may lag (see the module's docstring)."""
    return _lookup(kind, request, [ALL, LIST_HARD], extra, lagging=(LIST,))


def detail_entry(request: HttpRequest, proposal_id: int, *extra: str) -> Entry | None:
    return _lookup("detail", request, [ALL, _proposal_version_key(proposal_id)], extra)


def cached(entry: Entry | None) -> Any:
    return entry.value if entry is not None else None


def store(entry: Entry | None, value: Any) -> None:
    """Keep ``value`` under the counters read *before* it was rendered: if a
    change bumped them meanwhile, the entry is already out of date and never
    served."""
    if entry is None:
        return
    try:
        cache.set(entry.key, (entry.versions, entry.read_at, value), timeout=timeout())
    except Exception:
        log.exception("Proposal cache unavailable")


def get_or_render(entry: Entry | None, render: Callable[[], Any]) -> Any:
    value = cached(entry)
    if value is None:
        value = render()
        store(entry, value)
    return value


# --- Whole pages for anonymous readers ---------------------------------------------------

#: Stands for the CSRF token in a cached page; each reader's own token replaces it
#: when the page is served (the language switcher posts a form). A masked token is
#: 64 letters and digits; so is this, and it never occurs otherwise.
CSRF_HOLE = "csrfHOLE" + "x" * 48 + "csrfHOLE"


def _has_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def anonymous_page(
    request: HttpRequest,
    entry: Entry | None,
    render: Callable[[dict[str, Any]], HttpResponse],
) -> HttpResponse:
    """Serve a whole HTML page to an anonymous reader from the cache, rendering and
    storing it on a miss. ``render(extra_context)`` renders the page as usual;
    it gets the CSRF placeholder to render instead of a token. Nothing that
    differs between anonymous readers may be in such a page but the token (and
    pending messages: with messages the page is rendered, not cached)."""
    signed_in = getattr(getattr(request, "user", None), "is_authenticated", False)
    if entry is None or signed_in or _has_messages(request):
        return render({})
    html = cached(entry)
    if html is None:
        response = render({"csrf_token": CSRF_HOLE})
        html = response.content.decode(response.charset)
        if response.status_code == 200:
            store(entry, html)
    else:
        response = HttpResponse()
    if CSRF_HOLE in html:
        html = html.replace(CSRF_HOLE, get_token(request))
    response.content = html
    return response


# --- Signals ----------------------------------------------------------------------------


def _on_proposal(
    sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any
) -> None:
    # Hidden by moderation (or restored) or deleted: every list at once.
    hard = (
        kwargs.get("signal") is post_delete
        or getattr(instance, "hidden_at", None) is not None
        or bool(update_fields and "hidden_at" in update_fields)
    )
    bump(instance.pk, hard=hard)


def _bump_target(proposal_id: int | None, project_id: int | None) -> None:
    # A comment, follow or flag about a project shows on no proposal page or
    # list: retiring every cached proposal page for it would be waste.
    if proposal_id is None and project_id is not None:
        return
    bump(proposal_id or None)


def _on_child(sender: Any, instance: Any, **kwargs: Any) -> None:
    _bump_target(
        getattr(instance, "proposal_id", None), getattr(instance, "project_id", None)
    )


def _on_vote(sender: Any, instance: Any, **kwargs: Any) -> None:
    from .models import Comment

    target = (
        Comment.objects.filter(pk=instance.comment_id)
        .values_list("proposal_id", "project_id")
        .first()
    )
    if target is None:
        bump()
        return
    _bump_target(*target)


def _on_shared(sender: Any, instance: Any, **kwargs: Any) -> None:
    bump()


def _on_user(
    sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any
) -> None:
    # A sign-in saves last_login: nothing public changed.
    if update_fields and set(update_fields) <= {"last_login", "password"}:
        return
    bump()


def _on_sectors(
    sender: Any, instance: Any, action: str, reverse: bool, **kwargs: Any
) -> None:
    if not action.startswith("post_"):
        return
    if reverse:
        bump()
    else:
        bump(instance.pk)


def connect() -> None:
    """Called from ``ProjectsConfig.ready``."""
    from django.contrib.auth import get_user_model

    from stakeholders.models import City, District, Organisation

    from .models import (
        Attachment,
        Comment,
        CommentVote,
        ExpectedImpact,
        Proposal,
        ProposalEvent,
        ProposalPartner,
        ProposalRevision,
        Sector,
        Support,
    )

    uid = "projects.caching"
    for signal in (post_save, post_delete):
        signal.connect(_on_proposal, sender=Proposal, dispatch_uid=f"{uid}.proposal")
        for model in (
            ProposalPartner,
            ExpectedImpact,
            Attachment,
            ProposalEvent,
            ProposalRevision,
            Comment,
            Support,
        ):
            signal.connect(
                _on_child, sender=model, dispatch_uid=f"{uid}.{model.__name__}"
            )
        for model in (Organisation, City, District, Sector):
            signal.connect(
                _on_shared, sender=model, dispatch_uid=f"{uid}.{model.__name__}"
            )
        signal.connect(_on_vote, sender=CommentVote, dispatch_uid=f"{uid}.vote")
        signal.connect(_on_user, sender=get_user_model(), dispatch_uid=f"{uid}.user")
    m2m_changed.connect(
        _on_sectors, sender=Proposal.sectors.through, dispatch_uid=f"{uid}.sectors"
    )
