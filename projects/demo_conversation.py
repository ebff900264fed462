"""Demo conversation for the Riverbend proposals (see ``manage.py seed_demo``).

Twenty-five demo residents (``resident01@example.org`` … ``resident25@example.org``,
the demo password) discuss the public demo proposals with the organisations behind
them and the city's coordinator: questions about costs, works, bills, access,
parking and trees, answered with figures, in English and sometimes in French. Every
comment, vote, support, follow and flag goes through ``projects.services.
conversation`` so the same rules and stored counters apply as for a real person;
answers by a member of the lead organisation or by the coordinator get the
"official answer" mark from the service itself. One rude comment is flagged by three
residents, which hides it pending review: it waits in the moderators' queue.

The conversation stands for months of past activity, so while it is played the
services notify nobody and skip the per-person rate limits (see ``_muted``); the
rows are then dated after the fact: comments spread between the proposal's
submission and now (or its decision, for what was said before it), never before the
comment they answer; votes, supports, follows and flags after what they refer to.

Idempotent: a demo comment is identified by (proposal, author, body), a vote, a
support, a follow by their natural key, a flag by (comment, reporter) whatever its
state, so a second run adds nothing, and a moderator's later decision on the flagged
comment is not undone.
"""

from __future__ import annotations

import copy
import random
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from stakeholders import permissions as sp
from stakeholders.models import (
    ADMIN_ROLES,
    City,
    District,
    Membership,
    User,
    UserKind,
)

from . import demo_data as orgs
from .demo_data import PROPOSALS
from .models import (
    Comment,
    CommentVote,
    Flag,
    FlagReason,
    Follow,
    PartnerState,
    Proposal,
    ProposalPartner,
    ProposalStatus,
    Support,
    SupportKind,
)

CITY_SLUG = "riverbend"
COORDINATOR_EMAIL = "official@example.org"

Node = tuple[str, str, tuple[Any, ...]]


def _c(who: str, body: str, *replies: Node) -> Node:
    """A comment and its replies. ``who`` is a resident code (``r01`` … ``r25``),
    ``lead`` (the proposal's author, speaking for the lead organisation), an
    organisation code from ``VOICES`` or ``coord`` (the city's coordinator)."""
    return (who, body, replies)


# Threads after this marker were written after the proposal's decision.
DECIDED = "--decided--"

# code, display name, district
RESIDENTS: list[tuple[str, str, str]] = [
    ("r01", "Marie-Claude Gagnon", "Old Town"),
    ("r02", "Daniel Osei", "Riverside"),
    ("r03", "Fatima Benali", "Riverside"),
    ("r04", "Wei Chen", "University"),
    ("r05", "Jean-Philippe Roy", "North"),
    ("r06", "Olena Kovalenko", "South"),
    ("r07", "Raj Patel", "Harbour"),
    ("r08", "Sophie Lavallée", "South"),
    ("r09", "Miguel Santos", "Harbour"),
    ("r10", "Aisha Mohamud", "North"),
    ("r11", "Tom Fraser", "Old Town"),
    ("r12", "Nadia Rahman", "University"),
    ("r13", "Luc Bergeron", "Riverside"),
    ("r14", "Hannah Kowalski", "North"),
    ("r15", "Kenji Watanabe", "University"),
    ("r16", "Thandi Nkosi", "South"),
    ("r17", "Pierre-Olivier Côté", "Old Town"),
    ("r18", "Ana Ferreira", "Harbour"),
    ("r19", "Samir Khoury", "South"),
    ("r20", "Emily Nguyen", "Riverside"),
    ("r21", "Dmitri Volkov", "North"),
    ("r22", "Isabelle Ouellet", "University"),
    ("r23", "Connor Walsh", "Old Town"),
    ("r24", "Mei Lin Tan", "Harbour"),
    ("r25", "Ibrahim Diallo", "South"),
]

# Organisations speaking in the threads, by their admin (the demo's member).
VOICES: dict[str, str] = {
    "solar": orgs.SOLAR,
    "utility": orgs.UTILITY,
    "homes": orgs.HOMES,
    "capital": orgs.CAPITAL,
    "builders": orgs.BUILDERS,
    "civitas": orgs.CIVITAS,
    "cycle": orgs.CYCLE,
    "lab": orgs.LAB,
    "share": orgs.SHARE,
    "compost": orgs.COMPOST,
    "healthy": orgs.HEALTHY,
    "datacentre": orgs.DATA_CENTRE,
}

# Residents who argued against a proposal and so do not support it.
DOUBTERS: dict[str, set[str]] = {
    "Turn two floors": {"r23"},
    "Mobility pass": {"r23"},
    "A sustainability-linked bond": {"r23"},
    "Autonomous electric shuttle": {"r19", "r21"},
    "Floating solar": {"r24"},
}

# The comment three residents flag, and what they say.
RUDE = (
    "Turn two floors",
    "r23",
    "Another vanity project from people who have never carried groceries up Market "
    "Street in February. Whoever came up with this is a clown, and so is anyone at "
    "city hall who signs off on it.",
)
# reporter, reason, text, how long after the comment
RUDE_FLAGS: list[tuple[str, str, str, timedelta]] = [
    (
        "r17",
        FlagReason.OFFENSIVE,
        "Personal insults, nothing about the proposal.",
        timedelta(minutes=47),
    ),
    (
        "r11",
        FlagReason.OFFENSIVE,
        "Name-calling aimed at the author and city staff.",
        timedelta(hours=11, minutes=20),
    ),
    (
        "r01",
        FlagReason.OFFENSIVE,
        "Des insultes au lieu d'arguments.",
        timedelta(hours=15, minutes=5),
    ),
]

# Share of the residents supporting a proposal, by status (their district and
# having commented make it likelier).
SUPPORT_RATE = {
    ProposalStatus.SUBMITTED: 0.14,
    ProposalStatus.UNDER_REVIEW: 0.2,
    ProposalStatus.SHORTLISTED: 0.3,
    ProposalStatus.ACCEPTED: 0.36,
    ProposalStatus.REJECTED: 0.1,
    ProposalStatus.WITHDRAWN: 0.08,
}


# Local hours at which comments are written (weighted by repetition).
RESIDENT_HOURS = [7, 7, 8, 8, 9, 10, 11, 12, 12, 12, 13, 14, 15, 16, 17, 17, 18]
RESIDENT_HOURS += [18, 19, 19, 19, 20, 20, 20, 20, 21, 21, 21, 21, 22, 22, 23]
OFFICE_HOURS = [8, 9, 9, 10, 10, 10, 11, 11, 13, 14, 14, 15, 15, 16, 16, 17]


def _email(code: str) -> str:
    return f"resident{code[1:]}@example.org"


# --- people --------------------------------------------------------------------------


def _ensure_residents(city: City, now: datetime) -> dict[str, User]:
    """The demo residents, created in bulk with one password hash; the ones that
    exist are brought back to their name and district if they drifted."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    districts = {d.name: d for d in District.objects.filter(city=city)}
    emails = {_email(code): (code, name, d) for code, name, d in RESIDENTS}
    found = {u.email: u for u in User.objects.filter(email__in=list(emails))}
    missing = [e for e in emails if e not in found]
    if missing:
        password = make_password(settings.DEMO_PASSWORD)
        User.objects.bulk_create(
            [
                User(
                    email=email,
                    password=password,
                    display_name=emails[email][1],
                    kind=UserKind.RESIDENT,
                    home_city=city,
                    district=districts.get(emails[email][2]),
                    # Joined a little before the oldest demo proposal was written.
                    date_joined=now - timedelta(days=250 + 3 * int(email[8:10])),
                )
                for email in missing
            ]
        )
        found = {u.email: u for u in User.objects.filter(email__in=list(emails))}
    drifted = []
    for email, user in found.items():
        _code, name, district_name = emails[email]
        district = districts.get(district_name)
        wanted = {
            "display_name": name,
            "kind": UserKind.RESIDENT,
            "home_city_id": city.pk,
            "district_id": district.pk if district else None,
            "is_active": True,
        }
        if any(getattr(user, k) != v for k, v in wanted.items()):
            for key, value in wanted.items():
                setattr(user, key, value)
            drifted.append(user)
    if drifted:
        User.objects.bulk_update(
            drifted, ["display_name", "kind", "home_city", "district", "is_active"]
        )
    verified = set(
        EmailAddress.objects.filter(
            user__in=found.values(), email__in=list(emails)
        ).values_list("user_id", flat=True)
    )
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=user, email=email, verified=True, primary=True)
            for email, user in found.items()
            if user.pk not in verified
        ]
    )
    return {emails[email][0]: user for email, user in found.items()}


def _voices(residents: dict[str, User]) -> tuple[dict[str, User], dict[int, User]]:
    """Who speaks for each organisation code (its oldest admin), the coordinator,
    and one object per user so the permission caches are loaded once each."""
    by_id: dict[int, User] = {u.pk: u for u in residents.values()}
    voices: dict[str, User] = dict(residents)
    names = {name: code for code, name in VOICES.items()}
    memberships = (
        Membership.objects.filter(
            organisation__name__in=list(names), role__in=ADMIN_ROLES
        )
        .select_related("user", "organisation")
        .order_by("pk")
    )
    for membership in memberships:
        user = by_id.setdefault(membership.user_id, membership.user)
        voices.setdefault(names[membership.organisation.name], user)
    coordinator = User.objects.filter(email=COORDINATOR_EMAIL).first()
    if coordinator is not None:
        voices["coord"] = by_id.setdefault(coordinator.pk, coordinator)
    return voices, by_id


# --- planning ------------------------------------------------------------------------


@dataclass
class _Planned:
    proposal: Proposal
    author: User
    body: str
    parent: _Planned | None
    at: datetime
    comment: Comment | None = None


def _titles() -> dict[str, str]:
    """Each key of ``THREADS`` and ``DOUBTERS`` is the start of exactly one demo
    title."""
    titles = [spec["title"] for spec in PROPOSALS]
    resolved = {}
    for prefix in [*THREADS, *DOUBTERS, RUDE[0]]:
        matches = [t for t in titles if t.startswith(prefix)]
        if len(matches) != 1:
            raise RuntimeError(f"Demo thread key {prefix!r} matches {len(matches)}.")
        resolved[prefix] = matches[0]
    return resolved


def _timezone(city: City) -> tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(city.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


class _Clock:
    """Dates for one proposal's conversation: threads spread over the window, each
    in its own slot, replies a few hours to two days after what they answer,
    nobody writing between midnight and 7:00 local time, nothing in the future."""

    def __init__(self, proposal: Proposal, now: datetime, tz: tzinfo) -> None:
        self.rng = random.Random(zlib.crc32(proposal.title.encode()))
        self.tz = tz
        self.latest = now - timedelta(minutes=5)
        self.start = (proposal.submitted_at or proposal.created_at) + timedelta(hours=3)
        self.decided = proposal.decided_at
        self.end = now - timedelta(hours=2)

    def awake(self, moment: datetime, office: bool = False) -> datetime:
        """The same day at an hour people write: residents before work, at lunch
        and in the evening; organisations and the city in office hours."""
        hours = OFFICE_HOURS if office else RESIDENT_HOURS
        local = moment.astimezone(self.tz)
        return local.replace(
            hour=self.rng.choice(hours),
            minute=self.rng.randint(0, 59),
            second=self.rng.randint(0, 59),
        ).astimezone(moment.tzinfo)

    def slots(self, count: int, after: bool) -> list[tuple[datetime, datetime]]:
        low, high = self.start, self.end
        if self.decided is not None:
            if after:
                low = self.decided + timedelta(hours=2)
            else:
                high = self.decided
        if high - low < timedelta(hours=count):
            high = low + timedelta(hours=count)
        width = (high - low) / max(count, 1)
        return [(low + width * i, low + width * (i + 1)) for i in range(count)]


def _plan(
    proposal: Proposal,
    threads: list[Any],
    voices: dict[str, User],
    lead: User | None,
    clock: _Clock,
) -> list[_Planned]:
    """The proposal's comments in creation order (a parent before its replies)."""
    planned: list[_Planned] = []
    rng = clock.rng

    def walk(
        node: Node,
        parent: _Planned | None,
        at: datetime,
        floor: datetime,
        limit: datetime,
    ) -> None:
        """``floor``: the earliest it can be (the slot's start, or the parent);
        ``limit``: the end of the thread's slot, which replies try to keep to."""
        who, body, replies = node
        author = lead if who == "lead" else voices.get(who)
        if author is None:
            return
        at = clock.awake(at, office=not who.startswith("r"))
        if at <= floor:
            at = floor + timedelta(minutes=rng.randint(6, 150))
        at = max(min(at, clock.latest), floor + timedelta(minutes=2))
        item = _Planned(
            proposal=proposal, author=author, body=body, parent=parent, at=at
        )
        planned.append(item)
        for reply in replies:
            gap = timedelta(hours=rng.uniform(1.5, 44))
            room = max((limit - at) / 3, timedelta(minutes=20))
            walk(reply, item, at + min(gap, room), at, limit)

    if DECIDED in threads and proposal.decided_at is not None:
        split = threads.index(DECIDED)
        groups = [(threads[:split], False), (threads[split + 1 :], True)]
    else:
        groups = [([t for t in threads if t != DECIDED], False)]
    for nodes, after in groups:
        for node, (low, high) in zip(
            nodes, clock.slots(len(nodes), after), strict=True
        ):
            at = low + (high - low) * rng.uniform(0.05, 0.45)
            walk(node, None, at, low, high)
    return planned


# --- playing -------------------------------------------------------------------------


@contextmanager
def _muted() -> Iterator[None]:
    """The conversation stands for months of past activity: told now, it would
    flood the demo accounts' inboxes with stale notices dated today, and the
    per-person rate limits (5 comments a minute, 30 flags a day) would stop it
    after a few lines. While it is played the conversation services notify nobody
    and skip the rate limits; every other rule and counter applies."""
    from .services import conversation as services

    saved = (
        services.notify_on_commit,
        services.proposal_audience,
        services.rate_limit_check,
    )
    services.notify_on_commit = _nothing
    services.proposal_audience = _nobody
    services.rate_limit_check = _nothing
    try:
        yield
    finally:
        (
            services.notify_on_commit,
            services.proposal_audience,
            services.rate_limit_check,
        ) = saved


def _nothing(**kwargs: Any) -> None:
    return None


def _nobody(proposal: Proposal) -> list[int]:
    return []


def _as_open(proposal: Proposal) -> Proposal:
    """Supports on a decided proposal were given while it was open (they are dated
    before the decision): the service sees the proposal as it stood then."""
    if not proposal.is_decided:
        return proposal
    then = copy.copy(proposal)
    then.status = ProposalStatus.SUBMITTED
    return then


@dataclass
class _Tally:
    comments: int = 0
    comments_new: int = 0
    votes_new: int = 0
    supports_new: int = 0
    follows_new: int = 0
    flags_new: int = 0
    skipped: int = 0


def _post_comments(planned: list[_Planned], tally: _Tally) -> list[_Planned]:
    from .services.conversation import comment_create

    proposals = {p.proposal.pk for p in planned}
    authors = {p.author.pk for p in planned}
    existing = {
        (c.proposal_id, c.author_id, c.body): c
        for c in Comment.objects.filter(proposal__in=proposals, author__in=authors)
    }
    created: list[_Planned] = []
    for item in planned:
        key = (item.proposal.pk, item.author.pk, item.body.strip())
        item.comment = existing.get(key)
        if item.comment is not None:
            continue
        parent = item.parent.comment if item.parent is not None else None
        if item.parent is not None and parent is None:
            tally.skipped += 1
            continue
        try:
            item.comment = comment_create(
                actor=item.author, proposal=item.proposal, body=item.body, parent=parent
            )
        except (ValidationError, PermissionDenied):
            tally.skipped += 1
            continue
        existing[key] = item.comment
        created.append(item)
    for item in created:
        comment = item.comment
        assert comment is not None
        parent = item.parent.comment if item.parent is not None else None
        if parent is not None:
            item.at = max(item.at, parent.created_at + timedelta(minutes=2))
        comment.created_at = item.at
    Comment.objects.bulk_update([i.comment for i in created], ["created_at"])
    tally.comments = sum(1 for item in planned if item.comment is not None)
    tally.comments_new = len(created)
    return created


def _cast_votes(
    planned: list[_Planned],
    residents: dict[str, User],
    rude: Comment | None,
    now: datetime,
    tally: _Tally,
) -> None:
    """Residents vote on what they read: answers with figures more, a few
    downvotes on the sharper remarks."""
    from .services.conversation import comment_vote

    comments = [p for p in planned if p.comment is not None]
    done = set(
        CommentVote.objects.filter(
            comment__in=[p.comment for p in comments]
        ).values_list("comment_id", "user_id")
    )
    codes = sorted(residents)
    when: dict[tuple[int, int], datetime] = {}
    for item in comments:
        comment = item.comment
        assert comment is not None
        if comment.hidden_at or comment.deleted_at or comment == rude:
            continue
        rng = random.Random(zlib.crc32(item.body.encode()))
        ups = rng.choice([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 5])
        if comment.is_official:
            ups += rng.randint(0, 2)
        downs = 1 if rng.random() < 0.08 else 0
        if item.author in (residents.get("r21"), residents.get("r23")):
            downs += rng.randint(0, 2)
        voters = [residents[c] for c in codes if residents[c].pk != item.author.pk]
        chosen = rng.sample(voters, min(ups + downs, len(voters)))
        for index, voter in enumerate(chosen):
            if (comment.pk, voter.pk) in done:
                continue
            try:
                comment_vote(
                    actor=voter, comment=comment, value=-1 if index >= ups else 1
                )
            except ValidationError:
                tally.skipped += 1
                continue
            done.add((comment.pk, voter.pk))
            later = item.at + timedelta(hours=rng.uniform(0.5, 96))
            when[(comment.pk, voter.pk)] = min(later, now - timedelta(minutes=1))
    votes = [
        v
        for v in CommentVote.objects.filter(comment__in={k[0] for k in when})
        if (v.comment_id, v.user_id) in when
    ]
    for vote in votes:
        vote.created_at = when[(vote.comment_id, vote.user_id)]
    CommentVote.objects.bulk_update(votes, ["created_at"])
    tally.votes_new = len(votes)


def _window(proposal: Proposal, now: datetime) -> tuple[datetime, datetime]:
    start = (proposal.submitted_at or proposal.created_at) + timedelta(hours=4)
    end = proposal.decided_at or now - timedelta(hours=1)
    return start, max(end, start + timedelta(hours=1))


def _supports_and_follows(
    proposals: list[Proposal],
    planned: list[_Planned],
    residents: dict[str, User],
    voices: dict[str, User],
    doubters: dict[str, set[str]],
    now: datetime,
    tally: _Tally,
) -> dict[tuple[int, int], datetime]:
    """Residents support what they like (more often in their own district and
    after commenting); organisations back the consortia they are part of, and
    now and then others; some residents only follow. Returns when each person
    first took part in each proposal, to date their follows."""
    from .services.conversation import follow_add, support_add

    first: dict[tuple[int, int], datetime] = {}
    for item in planned:
        if item.comment is not None:
            key = (item.author.pk, item.proposal.pk)
            at = item.comment.created_at
            first[key] = min(first.get(key, at), at)
    supported = set(
        Support.objects.filter(proposal__in=proposals).values_list(
            "proposal_id", "user_id"
        )
    )
    following = set(
        Follow.objects.filter(proposal__in=proposals).values_list(
            "proposal_id", "user_id"
        )
    )
    commented = {(p.proposal.pk, p.author.pk) for p in planned}
    partners: dict[int, set[int]] = {}
    for proposal_id, organisation_id in ProposalPartner.objects.filter(
        proposal__in=proposals, state=PartnerState.ACCEPTED
    ).values_list("proposal_id", "organisation_id"):
        partners.setdefault(proposal_id, set()).add(organisation_id)
    speakers = {u.pk: u for code, u in voices.items() if code in VOICES}
    organisations = [speakers[pk] for pk in sorted(speakers)]
    support_at: dict[tuple[int, int], datetime] = {}
    for proposal in proposals:
        rng = random.Random(zlib.crc32(b"support:" + proposal.title.encode()))
        start, end = _window(proposal, now)
        rate = SUPPORT_RATE.get(proposal.status, 0.2)
        against = doubters.get(proposal.title, set())
        people: list[User] = []
        for code, user in sorted(residents.items()):
            chance = rate
            if user.district_id and user.district_id == proposal.district_id:
                chance += 0.25
            if (proposal.pk, user.pk) in commented:
                chance += 0.3
            if rng.random() < chance and code not in against:
                people.append(user)
        for user in organisations:
            member_of = set(sp._membership_roles(user))
            if proposal.lead_organisation_id in member_of:
                continue  # a consortium does not support its own proposal
            backs = member_of & partners.get(proposal.pk, set())
            if rng.random() < (0.6 if backs else 0.15):
                people.append(user)
        for user in people:
            at = start + (end - start) * rng.uniform(0.02, 0.95)
            if (proposal.pk, user.pk) in supported:
                continue
            try:
                support_add(actor=user, proposal=_as_open(proposal))
            except (ValidationError, PermissionDenied):
                tally.skipped += 1
                continue
            supported.add((proposal.pk, user.pk))
            support_at[(proposal.pk, user.pk)] = at
            key = (user.pk, proposal.pk)
            first[key] = min(first.get(key, at), at)
        for _code, user in sorted(residents.items()):
            # Drawn whatever happens next, so a second run makes the same choices.
            wants, at = rng.random() < 0.1, start + (end - start) * rng.random()
            seen = (proposal.pk, user.pk)
            if not wants or seen in following or seen in supported or seen in commented:
                continue
            follow_add(user=user, proposal=proposal)
            following.add(seen)
            first[(user.pk, proposal.pk)] = at
    supports = [
        s
        for s in Support.objects.filter(proposal__in=proposals)
        if (s.proposal_id, s.user_id) in support_at
    ]
    for support in supports:
        support.created_at = support_at[(support.proposal_id, support.user_id)]
    Support.objects.bulk_update(supports, ["created_at"])
    tally.supports_new = len(supports)
    return first


def _date_follows(
    proposals: list[Proposal],
    people: list[User],
    first: dict[tuple[int, int], datetime],
    since: datetime,
    now: datetime,
    tally: _Tally,
) -> None:
    """The follows made during this run (by commenting, supporting or following)
    take the date of the person's first step on the proposal."""
    by_id = {p.pk: p for p in proposals}
    follows = list(
        Follow.objects.filter(
            proposal__in=proposals, user__in=people, created_at__gte=since
        )
    )
    for follow in follows:
        at = first.get((follow.user_id, follow.proposal_id))
        if at is None:
            at = _window(by_id[follow.proposal_id], now)[0]
        follow.created_at = at
    Follow.objects.bulk_update(follows, ["created_at"])
    tally.follows_new = len(follows)


def _flag(
    comment: Comment,
    residents: dict[str, User],
    since: datetime,
    now: datetime,
    tally: _Tally,
) -> None:
    """Three residents flag the rude comment within a day; the third flag hides
    it pending review, which puts it in the moderators' queue."""
    from .services.conversation import flag_create

    reported = set(
        Flag.objects.filter(comment=comment).values_list("reporter_id", flat=True)
    )
    created: list[Flag] = []
    for code, reason, text, after in RUDE_FLAGS:
        reporter = residents[code]
        if reporter.pk in reported:
            continue
        try:
            flag = flag_create(
                actor=reporter, reason=reason, text=text, comment=comment
            )
        except (ValidationError, PermissionDenied):
            tally.skipped += 1
            continue
        flag.created_at = min(comment.created_at + after, now)
        created.append(flag)
    if not created:
        return
    Flag.objects.bulk_update(created, ["created_at"])
    tally.flags_new = len(created)
    # Hidden by this run: hidden when the last flag came in, not today.
    Comment.objects.filter(pk=comment.pk, hidden_at__gte=since).update(
        hidden_at=created[-1].created_at + timedelta(seconds=1)
    )


# --- entry point ---------------------------------------------------------------------


def seed(stdout: Any) -> None:
    began = time.monotonic()
    city = City.objects.filter(slug=CITY_SLUG).first()
    if city is None:
        stdout.write("  no Riverbend city: demo conversation skipped")
        return
    now = since = timezone.now()
    titles = _titles()
    residents = _ensure_residents(city, now)
    voices, by_id = _voices(residents)
    proposals: dict[str, Proposal] = {}
    for proposal in (
        Proposal.objects.filter(
            city=city,
            title__in=[spec["title"] for spec in PROPOSALS],
            hidden_at__isnull=True,
        )
        .exclude(status=ProposalStatus.DRAFT)
        .select_related("lead_organisation")
        .order_by("pk")
    ):
        proposals.setdefault(proposal.title, proposal)
    authors = {p.author_id for p in proposals.values()} - set(by_id) - {None}
    for author in User.objects.filter(pk__in=authors):
        by_id[author.pk] = author
    tz = _timezone(city)

    planned: list[_Planned] = []
    rude: _Planned | None = None
    for prefix, threads in THREADS.items():
        proposal = proposals.get(titles[prefix])
        if proposal is None:
            continue
        clock = _Clock(proposal, now, tz)
        lead = by_id.get(proposal.author_id or 0)
        for item in _plan(proposal, threads, voices, lead, clock):
            if titles[prefix] == titles[RUDE[0]] and item.body == RUDE[2]:
                # Posted three evenings ago: still waiting for a moderator.
                evening = (now - timedelta(days=3)).astimezone(tz)
                item.at = evening.replace(hour=21, minute=14, second=9)
                rude = item
            planned.append(item)

    tally = _Tally()
    doubters = {titles[k]: v for k, v in DOUBTERS.items()}
    with _muted():
        _post_comments(planned, tally)
        hidden = rude.comment if rude is not None else None
        _cast_votes(planned, residents, hidden, now, tally)
        first = _supports_and_follows(
            list(proposals.values()),
            planned,
            residents,
            voices,
            doubters,
            now,
            tally,
        )
        if hidden is not None:
            _flag(hidden, residents, since, now, tally)
    _date_follows(
        list(proposals.values()), list(by_id.values()), first, since, now, tally
    )
    supports = Support.objects.filter(proposal__in=proposals.values())
    stdout.write(
        f"  demo conversation: {tally.comments} comments on {len(proposals)} "
        f"proposals ({tally.comments_new} new), {tally.votes_new} new votes, "
        f"{supports.filter(kind=SupportKind.RESIDENT).count()} resident and "
        f"{supports.filter(kind=SupportKind.ORGANISATION).count()} organisation "
        f"supports ({tally.supports_new} new), {tally.follows_new} new follows, "
        f"{tally.flags_new} new flags"
        + (f", {tally.skipped} skipped" if tally.skipped else "")
        + f" ({time.monotonic() - began:.1f} s)"
    )


# --- the conversation ----------------------------------------------------------------
#
# Keyed by the start of the proposal's title; each list holds the threads in the
# order they were started. All figures are invented for the demo, consistent with
# projects/demo_data.py.

THREADS: dict[str, list[Any]] = {
    "Rooftop solar on 14 Harbourline": [
        _c(
            "r03",
            "I live in block 7. How much would the credit actually be on my bill? "
            "Our electricity is already around $110 a month in winter.",
            _c(
                "lead",
                "Our estimate is 12 to 16 CAD a month per household, the same for "
                "every flat whatever its size. It comes from 35 % of the net income "
                "from the power sold, after the loan repayment. We will publish the "
                "calculation for each block once the utility confirms the "
                "net-metering rate.",
                _c(
                    "r03",
                    "That's not nothing, it's about a month of electricity back every "
                    "year. Will it show as a separate line on the bill?",
                    _c(
                        "utility",
                        "Yes. It appears as **Solar credit – Riverside Roofs** on the "
                        "monthly bill, so you can check it every month. If the credit "
                        "is larger than the bill in a summer month, the difference "
                        "carries over to the next one.",
                    ),
                ),
            ),
        ),
        _c(
            "r13",
            "Les travaux de toiture vont durer combien de temps par immeuble ? Il y a "
            "beaucoup de personnes âgées dans mon bloc, et le bruit en été, fenêtres "
            "ouvertes, ça peut être dur.",
            _c(
                "lead",
                "Bonne question. Pour les neuf toits à refaire, comptez environ cinq "
                "semaines par immeuble, dont deux semaines bruyantes (l'arrachage de "
                "l'ancienne membrane). La pose des panneaux elle-même prend quatre à "
                "six jours. Nous travaillerons de 8 h à 17 h en semaine seulement, et "
                "chaque immeuble recevra le calendrier trois semaines à l'avance.",
                _c(
                    "r13",
                    "Merci. Et si possible, évitez juillet pour le bloc 2 : c'est là "
                    "qu'il y a la halte-garderie.",
                    _c(
                        "lead",
                        "C'est noté : le bloc 2 passera en septembre, après la "
                        "rentrée de la halte-garderie.",
                    ),
                ),
            ),
        ),
        _c(
            "r20",
            "Who owns the panels once the 18-year loan is repaid? I'd hate for this "
            "to end with a private company owning our roofs.",
            _c(
                "lead",
                "The panels belong to a project company owned 51 % by SolarRoof and "
                "49 % by Harbourline. Once the loan is repaid (year 18), the tenants' "
                "share of the income rises from 35 % to 50 % until the end of the "
                "25-year lease, and the panels then pass to Harbourline for free.",
                _c(
                    "r20",
                    "Good to know, thanks. Please put that in the letter to tenants, "
                    "people will ask.",
                ),
            ),
        ),
        _c(
            "r11",
            "Why should the city put in $750,000 when the project sells power at a "
            "profit? Let the investors carry it.",
            _c(
                "lead",
                "Fair question. Without the city's share the loan would have to cover "
                "more, and the tenants' share would drop to about 20 % to keep the "
                "project bankable. In effect the 750,000 CAD buys the tenants' "
                "credit: around 1,200 CAD per household over the life of the "
                "project.",
                _c(
                    "r03",
                    "As a tenant, that's exactly the part I care about. Keep the city "
                    "money in.",
                ),
                _c(
                    "r11",
                    "Fair enough, that's clearer than the summary. I'd still like to "
                    "see the yearly accounts published.",
                    _c(
                        "lead",
                        "They will be, every year on this page, audited.",
                    ),
                ),
            ),
        ),
        _c(
            "coord",
            "Update from the city: we received the structural survey of blocks 4 and "
            "11. Block 11 needs a reinforced roof deck on its east wing; the "
            "consortium is revising its cost estimate and we will post the updated "
            "figures here.",
            _c(
                "r02",
                "Will that extra cost come out of the tenants' credit?",
                _c(
                    "lead",
                    "No. The reinforcement (about 140,000 CAD) is paid from "
                    "Harbourline's roof renewal budget, as it would have been needed "
                    "anyway. The tenants' share stays at 35 %.",
                ),
            ),
        ),
    ],
    "Turn two floors of the Market Street": [
        _c(
            "r17",
            "I run the café across from the car park. Where will my customers park "
            "once two levels close? On Saturdays the ground floor alone is full by "
            "10 a.m.",
            _c(
                "lead",
                "We counted for eight weeks last spring: the busiest Saturday peak was "
                "212 cars. The ground floor keeps 128 public spaces plus the 12 shared "
                "cars, and the Harbour Street garage, 300 m away, had at least 150 "
                "free spaces at the same time. We will sign an agreement so that the "
                "first hour there costs the same as at Market Street.",
                _c(
                    "r17",
                    "128 is tight but workable if the signs to Harbour Street are "
                    "good. Please put a live counter at the entrance.",
                    _c(
                        "lead",
                        "Agreed: a live counter at the entrance and a sign at the "
                        "corner of Market and Bridge are now in the plan.",
                    ),
                ),
            ),
        ),
        _c(
            "r01",
            "Des studios dans un stationnement de 1974 : est-ce que la structure "
            "supporte vraiment des logements ? Et la lumière naturelle ? Je ne "
            "voudrais pas qu'on crée des logements sombres pour des jeunes qui n'ont "
            "pas le choix.",
            _c(
                "builders",
                "Les dalles ont été calculées pour des voitures, soit une charge plus "
                "élevée que celle d'un logement : la structure n'est pas le problème. "
                "Pour la lumière, nous ouvrons la façade sur toute la hauteur et nous "
                "créons deux puits de lumière au centre ; chaque logement aura une "
                "fenêtre d'au moins 2,4 m de large. Les plans seront présentés à la "
                "séance publique.",
                _c("r01", "Merci, c'est rassurant. J'irai voir les plans."),
            ),
        ),
        _c(
            "r23",
            "Old Town has lost something like 300 parking spaces to bike lanes in "
            'five years. Every "small" project takes a few more.',
            _c(
                "r04",
                "The car park is less than half full on weekdays though, the counts "
                "are in the proposal. Empty concrete isn't parking anyone.",
                _c(
                    "r23",
                    "Weekdays, sure. Come on a Saturday in December.",
                    _c(
                        "r11",
                        "Both true. That's why the overflow deal with Harbour Street "
                        "matters more than the headline numbers.",
                    ),
                ),
            ),
        ),
        _c(
            "r10",
            'What does "below-market rent" mean in numbers? In Old Town "below '
            'market" can still be $1,600 for a studio.',
            _c(
                "lead",
                "Rents are capped at 30 % of the district's median household income: "
                "today that is 1,050 CAD for a studio and 1,280 CAD for a one-bedroom, "
                "heating included. Half of the homes go to people on the city's "
                "housing waiting list.",
                _c(
                    "r10",
                    "That's meaningfully lower. Thanks for giving real figures.",
                ),
            ),
        ),
        _c(
            "r14",
            "Will the homes be accessible? The car park lift is out of order every "
            "other month.",
            _c(
                "lead",
                "The old lift is replaced by two new ones, so one always runs during "
                "maintenance. Twelve of the 48 homes are fully adapted (roll-in "
                "showers, lower counters) and all of them are reachable step-free.",
            ),
        ),
        _c(
            "coord",
            "The planning team has asked for a noise study of the ground-floor "
            "ventilation and a fire-safety review of the conversion before the review "
            "can be completed. Both are expected by the end of next month.",
        ),
        _c("r23", RUDE[2]),
    ],
    "District heat network for the Harbour": [
        _c(
            "r07",
            "How reliable is the heat if the data centre has an outage, or moves out "
            "in ten years? People can't be without heat in January.",
            _c(
                "lead",
                "The network has its own back-up: two electric boilers, and the gas "
                "boilers of the harbour pool stay in place for peaks and emergencies, "
                "sized for the full load. The data centre signs a 20-year heat supply "
                "agreement with a penalty if it leaves early, and its cooling runs on "
                "redundant chillers, so a partial outage reduces the heat we recover "
                "but does not stop it.",
                _c(
                    "r07",
                    "Makes sense. What share comes from the data centre versus the "
                    "back-up in a normal year?",
                    _c(
                        "lead",
                        "About 88 % recovered heat, 12 % from the electric boilers on "
                        "the coldest days.",
                    ),
                ),
            ),
        ),
        _c(
            "r09",
            "How long will our streets be dug up? Dock Road already had water main "
            "works two years ago.",
            _c(
                "lead",
                "The 6.2 km are built in four phases over three summers. A street "
                "segment is usually open for 3 to 5 weeks. We are coordinating with "
                "the sewer renewal on Dock Road so that it is opened only once.",
                _c(
                    "r18",
                    "I work nights and sleep during the day. Will works start at "
                    "7 a.m.?",
                    _c(
                        "lead",
                        "Works on residential streets run from 8 a.m. to 6 p.m., never "
                        "at night or on Sundays. The noisiest step (cutting the "
                        "asphalt) lasts two or three days per segment, and residents "
                        "get the dates two weeks ahead.",
                    ),
                ),
            ),
        ),
        _c(
            "r24",
            "Will connecting be mandatory for owners? And what will heat cost "
            "compared with gas?",
            _c(
                "lead",
                "Connecting is voluntary. The tariff is regulated and will be "
                "published for consultation before any contract is signed; our target "
                "is a total cost of heat 5 to 10 % below a new gas boiler over 20 "
                "years, with stable prices because we don't depend on gas markets.",
                _c(
                    "r21",
                    '"Target" is doing a lot of work in that sentence.',
                    _c(
                        "lead",
                        "Fair. The tariff cap will be in the concession contract, not "
                        "just a target: if costs rise above it, the utility carries "
                        "the difference, not the customers.",
                    ),
                ),
            ),
        ),
        _c(
            "coord",
            "Information evening on the district heat network: Thursday at 7 p.m. at "
            "the Harbour community centre, with the utility and the consortium. A "
            "second session is held online the week after for those who cannot come.",
            _c(
                "r18",
                "Thanks for the online session, it's the only way shift workers can "
                "join.",
            ),
        ),
        DECIDED,
        _c(
            "r09",
            "Great news. When do the works reach my street (Quay Street)?",
            _c(
                "lead",
                "Quay Street is in phase 2, the summer after next. Phase 1 (Dock Road, "
                "Harbour Avenue and the pool) starts next May. A map of the phases "
                "will be on this page next month.",
            ),
        ),
        _c(
            "r21",
            "Now that it's accepted: will the quarterly reports show cost overruns, "
            "not just kilometres built?",
            _c(
                "coord",
                "Yes. Each quarterly report will show spending against the budget for "
                "each phase, with an explanation of any gap above 5 %.",
            ),
        ),
    ],
    "Mill Street redesign": [
        _c(
            "r19",
            "I drive a cab and Mill Street is already a bottleneck at rush hour. How "
            "many lanes are left for cars?",
            _c(
                "lead",
                "One lane each way, as today between Elm and the station. What changes "
                "is parking: 74 of the 118 on-street spaces make way for the rain "
                "gardens and the cycle lane. All loading bays stay, and we add four "
                "taxi and drop-off spaces at the station.",
                _c(
                    "r19",
                    "Four taxi spaces at the station is actually an improvement. But "
                    "where do the 74 cars go?",
                    _c(
                        "lead",
                        "Our night-time counts found 41 residents' cars parked on "
                        "Mill Street overnight; the side streets (Elm, Birch, Ashdown) "
                        "have about 60 free spaces at night. Residents will be offered "
                        "permits there before the works begin.",
                    ),
                ),
            ),
        ),
        _c(
            "r08",
            "Très bon projet. Les jardins de pluie, est-ce que ça reste beau en "
            "hiver, ou ça devient des fossés pleins de neige sale ? Ailleurs, j'en ai "
            "vu beaucoup mal entretenus.",
            _c(
                "lead",
                "Bonne question. Nous choisissons des graminées et des vivaces qui "
                "gardent leur structure l'hiver, et les bassins reçoivent la neige "
                "propre des trottoirs, pas celle de la chaussée chargée de sel. "
                "L'entretien est inclus dans le contrat pendant trois ans, puis repris "
                "par la Ville avec un budget dédié.",
                _c(
                    "r08",
                    "Parfait, merci. Trois ans d'entretien garanti, c'est exactement "
                    "ce qui manque d'habitude.",
                ),
            ),
        ),
        _c(
            "r06",
            "There are two schools on Mill Street. How will kids cross the cycle lane "
            "safely? Cyclists come down that hill fast.",
            _c(
                "cycle",
                "We did the co-design walk with parents from both schools in October. "
                "The crossings in front of the schools will be raised, the lane "
                "narrows there with yield markings, and we will count speeds before "
                "and after. The slope is gentle, but we share the concern near Elm.",
                _c(
                    "healthy",
                    "We are also measuring noise and NO₂ at both schools before the "
                    "works, so parents will see the difference.",
                ),
                _c("r06", "Raised crossings are what we asked for. Thank you."),
            ),
        ),
        _c(
            "r21",
            "$4.3 million for 1.3 km of street is over $3,000 a metre. How does that "
            "compare with an ordinary rebuild?",
            _c(
                "lead",
                "A full rebuild of Mill Street (pavement, sidewalks, sewer "
                "connections) was already planned for 2029 at about 2.9 M CAD. The "
                "rain gardens and the cycle lane add roughly 1.4 M CAD, of which the "
                "utility pays 400,000 CAD because they keep storm water out of the "
                "combined sewer. The extra cost to the city is about 1 M CAD.",
                _c(
                    "r21",
                    "That's a much better way of presenting it. Put it in the summary.",
                    _c(
                        "lead",
                        "Good point, we will add the comparison at the next update of "
                        "the proposal.",
                    ),
                ),
            ),
        ),
        _c(
            "r25",
            "Pendant les travaux, les bus de la ligne 12 vont passer où ?",
            _c(
                "lead",
                "La ligne 12 reste sur Mill Street pendant tous les travaux : nous "
                "travaillons sur une demi-chaussée à la fois, par tronçons de 200 m. "
                "Des arrêts temporaires seront installés et bien indiqués.",
            ),
        ),
        _c(
            "coord",
            "The consortium presented the crossing designs to the South district "
            "council. The council asked for a second raised crossing at Birch "
            "Street; the revised drawings are expected next month.",
            _c("r16", "Good, Birch is where I see near-misses every week."),
        ),
    ],
    "Shift the Peak": [
        _c(
            "r15",
            "How is the fare-card data anonymised? A trip history is very identifying.",
            _c(
                "lead",
                "Employers never see trip data. The transit agency counts, per card, "
                "the off-peak trips of each month and sends only that number, linked "
                "to a random code the employee chooses to give to their employer. Our "
                "privacy impact assessment will be published before launch, and the "
                "Lab only receives totals per employer.",
                _c(
                    "r15",
                    "Good design. Please publish the data-sharing agreement too, not "
                    "only the assessment.",
                    _c("lead", "We will, as soon as the transit agency has signed it."),
                ),
            ),
        ),
        _c(
            "r12",
            "Flexible hours are great if you don't have school drop-off at 8:15. Is "
            "there anything for parents who can't shift their day?",
            _c(
                "lead",
                "Yes: the credit also counts trips made after 9:15, so parents who drop "
                "off first and travel later still earn it. And Cycle Together adds a "
                "cycling option for staff living within 8 km.",
            ),
        ),
        _c(
            "r22",
            "Est-ce que les écoles et les hôpitaux pourraient participer ? Les "
            "enseignants n'ont aucune flexibilité d'horaire.",
            _c(
                "lead",
                "Vous avez raison, les horaires fixes des écoles et des hôpitaux "
                "limitent ce qu'on peut faire. Nous visons d'abord les employeurs de "
                "bureau ; nous discutons avec le centre hospitalier pour déplacer "
                "certaines réunions et formations hors de la pointe, ce qui aide un "
                "peu.",
            ),
        ),
        _c(
            "r21",
            "Six minutes saved per trip seems optimistic with only 9,000 staff out of "
            "300,000 commuters.",
            _c(
                "lead",
                "The six minutes are for trips on the three most crowded lines, where "
                "these 9,000 staff make up about 12 % of peak riders, not for the "
                "whole network. We will report what we actually measure, including if "
                "it is less.",
            ),
        ),
    ],
    "Part-time teleworking hubs": [
        _c(
            "r10",
            "Who can use the hubs? Most people in North work in shops or care jobs "
            "that can't be done from a desk.",
            _c(
                "lead",
                "It is for desk jobs, you're right: our survey found about 3,800 North "
                "residents who telework at least some of the time. Ten of the 140 "
                "desks will be free for job seekers, with the employment office on "
                "site on Tuesdays.",
                _c(
                    "r10",
                    "The job-seeker desks are a good idea. Please advertise them at "
                    "the community centre, not just online.",
                ),
            ),
        ),
        _c(
            "r05",
            "L'ancienne annexe de la bibliothèque, ça veut dire qu'on ne retrouvera "
            "jamais de bibliothèque dans le quartier ?",
            _c(
                "coord",
                "La bibliothèque de quartier a déménagé pour de bon au centre "
                "communautaire en 2022, et l'annexe est vide depuis. Le projet prévoit "
                "un coin lecture et une chute à livres reliés à la bibliothèque.",
            ),
        ),
        _c(
            "r14",
            "Please make sure every hub has a ramp and an accessible washroom. The "
            "old library annex has four steps at the entrance.",
            _c(
                "builders",
                "The fit-out includes a ramp at the annex entrance and an accessible "
                "washroom in each of the three hubs; the annex also gets an automatic "
                "door.",
                _c("r14", "Thank you, that's exactly it."),
            ),
        ),
    ],
    "Preventive self-care stations": [
        _c(
            "r06",
            "As a nurse: a video call is fine for advice, but who follows up with "
            "someone who has a very high reading at 7 p.m.?",
            _c(
                "lead",
                "Very high readings trigger a call from the nurse the same day and, if "
                "needed, an appointment at a walk-in clinic the next morning; we have "
                "agreed a referral path with the two clinics in South. Emergencies go "
                "to 911 as always.",
                _c("r06", "Good, that was my main worry."),
            ),
        ),
        _c(
            "r21",
            'A social bond repaid from "avoided emergency visits". Who decides what '
            "was avoided? That sounds very hard to measure.",
            _c(
                "capital",
                "It is the hardest part, and investors are not paid on guesses. The "
                "Urban Lab compares the emergency visits of users with a matched group "
                "of residents from similar neighbourhoods, and an independent "
                "evaluator checks the numbers before any outcome payment.",
            ),
        ),
        _c(
            "r01",
            "Est-ce que les résultats seront expliqués en français aussi ? Beaucoup "
            "de personnes âgées lisent mal l'anglais.",
            _c(
                "lead",
                "Oui, bien sûr : l'écran, le résultat imprimé et l'appel vidéo sont "
                "offerts en français et en anglais, et le résultat imprimé aussi en "
                "arabe, en espagnol et en mandarin.",
            ),
        ),
    ],
    "Food-waste composting for Riverside": [
        _c(
            "r13",
            "Est-ce que ça va sentir mauvais près des jardins ? Mon jardin "
            "communautaire est juste à côté du site proposé.",
            _c(
                "lead",
                "The composting unit is closed, with a biofilter on the air outlet, so "
                "there is no open pile. We have run the same unit in Westport for two "
                "years without a single complaint from the neighbours 40 m away. "
                "Collection is by cargo bike, so no trucks either.",
                _c("r13", "D'accord. Je viendrai voir la démonstration."),
            ),
        ),
        _c(
            "r20",
            "How often will the bins in our building be collected? Food waste goes "
            "off fast in summer.",
            _c(
                "lead",
                "Twice a week all year, three times a week from June to September. The "
                "bins have lids and are washed at every collection.",
            ),
        ),
    ],
    "Modular timber classroom": [
        _c(
            "r12",
            "My son's class is in a portable that is freezing in winter and boiling "
            "in June. How warm will the new classrooms get in summer? Is there any "
            "cooling?",
            _c(
                "lead",
                "The modules are well insulated, with external blinds and cross "
                "ventilation, and each room has a heat pump that can also cool. The "
                "Urban Lab will measure temperature and CO₂ in new and old classrooms "
                "for two years.",
                _c(
                    "lab",
                    "We will publish the measurements every term; parents will find "
                    "them on the school's page.",
                ),
            ),
        ),
        _c(
            "r21",
            "Timber schools and fire. Convince me.",
            _c(
                "civitas",
                "Cross-laminated timber chars at a predictable rate, about 0.65 mm a "
                "minute, which keeps the structure standing well beyond the "
                "evacuation time. The modules are sprinklered and meet the same "
                "building code as concrete schools; the fire service reviewed the "
                "design in March.",
                _c("r21", "Sprinklers settle it for me. Thanks for the detail."),
            ),
        ),
        _c(
            "r22",
            "Comme enseignante : le bruit entre les classes, dans les modules, c'est "
            "souvent un problème. Qu'est-ce qui est prévu ?",
            _c(
                "lead",
                "Les cloisons entre les classes sont doubles, avec isolant acoustique, "
                "et les plafonds ont des panneaux absorbants. L'objectif est un bruit "
                "de fond de moins de 35 dB en classe, mesuré par le Labo à la "
                "livraison.",
            ),
        ),
        _c(
            "coord",
            "As announced, the finance department compared the availability-payment "
            "model with a conventional purchase. Over 25 years the two are within 4 % "
            "of each other in present value; the availability model moves the "
            "maintenance risk to the consortium.",
            _c(
                "r11",
                "Thanks for publishing this. Within 4 %, but which way?",
                _c(
                    "coord",
                    "The conventional purchase is 4 % cheaper on paper, before "
                    "counting the maintenance risk. That is why no decision has been "
                    "made yet.",
                ),
            ),
        ),
    ],
    "Smart water meters": [
        _c(
            "r01",
            "Un compteur qui transmet toutes les heures, c'est beaucoup "
            "d'information sur la vie privée : on peut savoir quand je suis chez moi.",
            _c(
                "lead",
                "Vous avez raison d'être prudente. Les données horaires restent chez "
                "nous et chez vous : elles ne sont ni vendues ni partagées, et ne "
                "servent qu'à la facturation et à la détection des fuites. Le Labo "
                "urbain fait une revue indépendante de la protection des données avant "
                "toute décision.",
                _c("r01", "Merci. J'attends de lire cette revue."),
            ),
        ),
        _c(
            "r11",
            "What's the payback? 9.6 million is a lot of money for meters.",
            _c(
                "lead",
                "Leaks on private pipes and on our mains cost about 2.4 M CAD a year "
                "in treated and pumped water. We expect to save 1.45 million m³ a "
                "year, which pays the meters back in about six years, well within "
                "their 15-year life.",
            ),
        ),
        _c(
            "lab",
            "Our privacy review is now published with the proposal. Two changes came "
            "out of it: hourly data is deleted after 13 months, and households can "
            "choose daily readings only.",
            _c("r15", "Deleting after 13 months is the right call. Good work."),
        ),
        DECIDED,
        _c(
            "r06",
            "We got the letter! The installation on our street is in three weeks. Do "
            "I need to be home?",
            _c(
                "lead",
                "Yes, someone aged 18 or over needs to be home for about 30 minutes. If "
                "the date doesn't suit you, the letter has a number and a link to "
                "change it; evening slots are available until 8 p.m.",
                _c("r06", "Evening slots, perfect."),
            ),
        ),
        _c(
            "r23",
            "Can I refuse the smart meter?",
            _c(
                "lead",
                "A meter is needed for billing, as today, but you can choose daily "
                "readings only: the meter then transmits once a day instead of every "
                "hour.",
                _c("r23", "Fine, daily it is."),
            ),
        ),
        _c(
            "r17",
            "Installé chez nous la semaine dernière : l'équipe était rapide et polie. "
            "Le tableau de bord a déjà trouvé une chasse d'eau qui fuyait au café !",
            _c(
                "lead",
                "Merci pour le retour ! Une chasse d'eau qui fuit, c'est jusqu'à "
                "200 litres par jour : belle prise.",
            ),
        ),
    ],
    "North Sun Co-op": [
        _c(
            "r05",
            "Je possède un triplex dans North. Si je prête mon toit, qui est "
            "responsable en cas d'infiltration d'eau ?",
            _c(
                "lead",
                "La coopérative : elle assure chaque toit et fait une inspection avant "
                "la pose. Si le toit doit être refait pendant le bail, la coopérative "
                "enlève et remet les panneaux à ses frais.",
                _c(
                    "r05",
                    "Et le loyer du toit, c'est combien ?",
                    _c(
                        "lead",
                        "Au choix : environ 400 $ par an, ou l'électricité gratuite "
                        "pour le logement du propriétaire jusqu'à 3 000 kWh par an.",
                    ),
                ),
            ),
        ),
        _c(
            "r14",
            "250 CAD per share is still a lot for many households in North. Could "
            "shares be paid in instalments?",
            _c(
                "lead",
                "Yes: 25 CAD a month over ten months, without interest. And 20 % of "
                "the shares are reserved for households in the energy assistance "
                "programme, whose first share is paid by the utility's fund.",
            ),
        ),
        _c(
            "r21",
            "What dividend do members get?",
            _c(
                "lead",
                "Our model gives 3 to 4 % a year once the bridge loan is repaid, "
                "capped at 5 % by the co-op's rules; anything above that goes into "
                "new roofs.",
            ),
        ),
    ],
    "Cargo-bike logistics hub": [
        _c(
            "r17",
            "I run a café and get six deliveries a day. Would all of them go through "
            "the hub?",
            _c(
                "lead",
                "Parcels from the big carriers, yes: they drop them at the depot at "
                "7 a.m. Fresh food and drinks still come by van, but in a morning "
                "window (7 to 10 a.m.) using the new loading bays.",
                _c(
                    "r17",
                    "If the vans stop double-parking in front of my terrace, I'm in.",
                ),
            ),
        ),
        _c(
            "r04",
            "Twenty cargo bikes in the cycle lanes at rush hour? Some of those "
            "trikes are a metre wide.",
            _c(
                "cycle",
                "We mapped the routes with ShareWheels so the widest trikes avoid the "
                "two narrow lanes on Bridge Street. Riders get a day of training, and "
                "we will publish the first six months of conflict reports.",
                _c("r04", "Publishing the conflict reports is the right move. Thanks."),
            ),
        ),
        _c(
            "r01",
            "Le vieux dépôt de tramway est un bâtiment patrimonial. Qu'est-ce qu'on "
            "va en faire exactement ?",
            _c(
                "civitas",
                "Nous utilisons la grande halle telle quelle, sans toucher à la "
                "charpente ni à la façade ; les aménagements (quais de chargement, "
                "supports à vélos) sont démontables. Le comité du patrimoine a vu les "
                "plans en juin.",
            ),
        ),
        _c(
            "r11",
            "640k a year in running costs for 20 bikes seems high.",
            _c(
                "lead",
                "Most of it is the 14 riders' wages, about 480k. Carriers pay a fee "
                "per parcel that covers the costs from year three; the city's 300k "
                "only pays for fitting out the depot.",
            ),
        ),
    ],
    "Heat-pump retrofits of 900 Harbourline": [
        _c(
            "r19",
            'I live in one of the 22 buildings. "Without raising rents": for how long?',
            _c(
                "homes",
                "Harbourline commits to no rent increase linked to the works for ten "
                "years, written into the agreement with the city. The normal yearly "
                "increases allowed by the rental board still apply.",
                _c(
                    "r19",
                    "So it's not a freeze, just no extra increase for the works. OK, "
                    "that's clearer.",
                    _c(
                        "lead",
                        "Exactly. And the bond is repaid from the energy savings, not "
                        "by the tenants.",
                    ),
                ),
            ),
        ),
        _c(
            "r08",
            "Les pompes à chaleur air-eau, c'est bruyant. Où seront les unités "
            "extérieures ? Les cours sont petites dans ce secteur.",
            _c(
                "builders",
                "Les unités extérieures vont sur les toits, jamais dans les cours, "
                "derrière des écrans acoustiques. Objectif : 40 dB la nuit à la "
                "fenêtre la plus proche, moins que le bruit de la rue.",
            ),
        ),
        _c(
            "r11",
            "What is the first-loss reserve the city is asked to fund, and how likely "
            "is it to be used?",
            _c(
                "lead",
                "It is 2.5 M CAD that absorbs the first losses if the savings fall "
                "short. Northgate guarantees the performance of the systems for ten "
                "years, so the reserve is only touched if both the savings and the "
                "guarantee fall short. In our stress case (energy prices 30 % lower) "
                "up to 40 % of the reserve is used.",
                _c(
                    "r11",
                    "I appreciate the stress case. I'd like to see the finance "
                    "department's opinion when it's out.",
                    _c(
                        "coord",
                        "The finance department's opinion will be posted here before "
                        "the Council committee meeting in two months.",
                    ),
                ),
            ),
        ),
        _c(
            "utility",
            "We will offer the off-peak heat pump tariff to all 900 homes. For a "
            "typical flat we estimate the heating bill goes from about 95 CAD to "
            "60 CAD a month.",
            _c(
                "r16",
                "From 95 to 60 is huge for families here. I hope this goes through.",
            ),
        ),
    ],
    "School streets with air-quality": [
        _c(
            "r12",
            "Our school has a special-needs programme and some parents drive from "
            "far away. Where do they drop their kids off?",
            _c(
                "lead",
                "Each school keeps a drop-off zone at the end of the closed section, "
                "one or two minutes' walk away, and families of children with "
                "disabilities get a permit to drive up to the gate.",
                _c(
                    "r12",
                    "A permit for children with disabilities, thank you. That was the "
                    "main worry at our parents' council.",
                ),
            ),
        ),
        _c(
            "r22",
            "Nous aurons besoin de bénévoles pour les barrières le matin. Comment "
            "s'inscrire ?",
            _c(
                "cycle",
                "Inscriptions sur le site de Cycle Together ou auprès du conseil "
                "d'établissement ; la formation dure une heure, un samedi par mois. "
                "Merci !",
            ),
        ),
        _c(
            "coord",
            "The fire service has confirmed that emergency access is kept with "
            "movable planters and a marshal at each closure. Thank you for the "
            "letters from five parents' councils.",
            _c("r04", "Great to see this moving."),
        ),
    ],
    "Riverside flood park": [
        _c(
            "r02",
            "My kids play football on that ground. Will the fields be usable most of "
            "the year?",
            _c(
                "lead",
                "Yes: the fields sit in the upper part of the basin and only flood in "
                "a storm bigger than a one-in-ten-year event; they drain within 24 to "
                "48 hours. The lower part becomes the wetland.",
                _c(
                    "r02",
                    "How many fields, though? There are four today.",
                    _c(
                        "lead",
                        "Three full-size fields, one of them synthetic with drainage, "
                        "and a smaller field for the under-10s. The club has agreed to "
                        "the layout.",
                    ),
                ),
            ),
        ),
        _c(
            "r13",
            "Et les moustiques, avec un marais à côté des maisons ?",
            _c(
                "lead",
                "Le milieu humide a de l'eau qui circule et des poissons, ce qui "
                "limite les larves, et le bassin de rétention se vide en moins de "
                "48 heures. Dans des parcs semblables, les suivis ne montrent pas plus "
                "de moustiques qu'autour de la rivière aujourd'hui.",
            ),
        ),
        _c(
            "r14",
            "Please make the wetland walk accessible: boardwalks with a proper edge, "
            "not gravel.",
            _c(
                "cycle",
                "Noted: the path design has a 2 m boardwalk with edge protection and a "
                "bench every 150 m.",
            ),
        ),
    ],
    "Prefabricated insulated facades": [
        _c(
            "r18",
            "Tenants stay home during three weeks of works. What about the noise? I "
            "work nights.",
            _c(
                "lead",
                "The noisy part is fixing the brackets to the old wall: about two days "
                "per flat, between 9 a.m. and 4 p.m. On those days we offer a quiet "
                "room with beds in the ground-floor lounge for shift workers.",
                _c(
                    "r18",
                    "A quiet room for shift workers is thoughtful. Thank you.",
                ),
            ),
        ),
        _c(
            "r07",
            "Panels hung over the old walls: what about moisture trapped behind? "
            "Those 1960s walls have thermal bridges everywhere.",
            _c(
                "lab",
                "We 3D-scan every facade and measure the moisture in the walls first; "
                "the panels are vapour-open and ventilated. Moisture sensors in 40 "
                "homes will be monitored for three years.",
                _c("r07", "Ventilated and vapour-open, good. The monitoring is key."),
            ),
        ),
        _c(
            "r21",
            '"Guaranteed savings", guaranteed by whom? And what happens if they '
            "don't materialise?",
            _c(
                "capital",
                "Northgate guarantees them for 20 years: if the measured savings fall "
                "short, Northgate pays Harbourline the difference every year. Green "
                "Bridge finances the contract and has the metering checked "
                "independently.",
            ),
        ),
    ],
    "Grey-water reuse": [
        _c(
            "r15",
            "Is grey water really fine for toilets? No smell, no colour?",
            _c(
                "utility",
                "It is filtered, treated with UV and lightly chlorinated, and tested "
                "every month. It is clear and odourless, and we will post the water "
                "quality results here monthly.",
            ),
        ),
        _c(
            "r22",
            "Les jardins des cours seront-ils ouverts aux voisins ?",
            _c(
                "lead",
                "Oui, les cours sont ouvertes aux voisins en journée, avec des bacs "
                "de jardinage pour les locataires et pour l'école voisine.",
            ),
        ),
        _c(
            "r12",
            "Love the savings display for tenants. Will tenants see the savings on "
            "what they pay?",
            _c(
                "lead",
                "Water is included in the rent in these buildings, so the savings come "
                "back as lower service charges: about 8 CAD a month per home.",
            ),
        ),
    ],
    "Batteries at two substations": [
        _c(
            "r02",
            "Tenants get to charge during the day, at what price?",
            _c(
                "lead",
                "At cost plus 10 %: about 0.12 CAD per kWh at the moment, cheaper than "
                "public fast chargers.",
            ),
        ),
        _c(
            "r20",
            "Is a battery at the substation safe? It's right next to my building.",
            _c(
                "lead",
                "The batteries are lithium iron phosphate, much less prone to fire "
                "than other chemistries, in separate fire-rated containers with gas "
                "detection and automatic suppression. The fire service reviewed the "
                "layout; the nearest home is 35 m away.",
                _c(
                    "r20",
                    "Thanks. Will there be an information session?",
                    _c(
                        "lead",
                        "Yes, at the Riverside community centre before any works; we "
                        "will post the date here.",
                    ),
                ),
            ),
        ),
        _c(
            "r13",
            "Et les places de stationnement ? On en manque déjà.",
            _c(
                "homes",
                "Les 60 bornes sont installées sur des places existantes, qui restent "
                "aux locataires le jour. Aucune place n'est supprimée.",
            ),
        ),
    ],
    "Open energy benchmarking": [
        _c(
            "r11",
            "Publishing energy use with the owners' consent: what share of owners do "
            "you expect to agree?",
            _c(
                "lead",
                "In similar voluntary programmes, 35 to 45 % join in the first year. "
                "Harbourline publishing its 60 buildings first helps. We hope to reach "
                "600 buildings by year three.",
            ),
        ),
        _c(
            "r07",
            'Ranking against "similar buildings" is tricky. Do you normalise for '
            "weather and occupancy?",
            _c(
                "lead",
                "Yes: weather-normalised with heating degree days, grouped by use and "
                "floor area, with occupancy hours for offices. The method will be "
                "open, with the code in a public repository.",
                _c("r07", "Open method, great."),
            ),
        ),
        _c(
            "r17",
            "Pour les petits commerces, est-ce que la visite gratuite existe aussi ?",
            _c(
                "lead",
                "Le programme vise d'abord les 1 200 plus grands bâtiments, mais les "
                "commerces qui s'y trouvent profitent de la visite. Nous étudions une "
                "version simplifiée pour les petits commerces la deuxième année.",
            ),
        ),
    ],
    "Deconstruction and materials reuse": [
        _c(
            "r25",
            "I work with young people in South. How do they apply, and is there a "
            "minimum age?",
            _c(
                "lead",
                "From 17, no diploma needed. Applications go through the youth "
                "employment centres in South and Harbour, and everyone starts with a "
                "paid two-week trial.",
                _c(
                    "r25",
                    "Parfait. Je vais en parler aux jeunes du centre dès la semaine "
                    "prochaine.",
                ),
            ),
        ),
        _c(
            "r09",
            "Deconstruction means asbestos in a lot of old buildings. How are workers "
            "protected?",
            _c(
                "lead",
                "Every building is surveyed for asbestos and lead first, and "
                "contaminated parts are removed by a licensed contractor before our "
                "teams go in. Trainees never handle hazardous materials.",
            ),
        ),
        _c(
            "r21",
            "1.1 million a year in running costs. How much of it comes from sales?",
            _c(
                "lead",
                "We expect sales of 780k in year two and 1.05 M CAD in year three; the "
                "rest is covered by training subsidies.",
            ),
        ),
    ],
    "Cool roofs, shade trees": [
        _c(
            "r16",
            "Where will the 400 trees go? Our sidewalks are narrow and full of "
            "utilities.",
            _c(
                "civitas",
                "We mapped every possible spot: about 260 trees go into depaved "
                "alleys and courtyards, 140 into sidewalks with soil cells under the "
                "pavement where the utilities allow. The species are chosen to "
                "tolerate drought and salt.",
                _c(
                    "r16",
                    "Soil cells, so they actually survive past five years. Great.",
                ),
            ),
        ),
        _c(
            "r06",
            "During the last heat wave, my elderly neighbours didn't leave their "
            "flats at all. Shade outside doesn't help them.",
            _c(
                "lead",
                "True. That's why the proposal also funds a summer check-in phone line "
                "run by volunteers, and fountains near the two seniors' buildings. The "
                "cool roofs also lower top-floor temperatures by 2 to 4 °C.",
                _c(
                    "r06",
                    "The phone line is key. Count me in as a volunteer.",
                ),
            ),
        ),
        _c(
            "r08",
            "Les toits blancs, ça marche aussi en hiver ? On perd la chaleur du "
            "soleil.",
            _c(
                "civitas",
                "L'effet en hiver est faible : le soleil est bas, les journées sont "
                "courtes et les toits souvent enneigés. À notre latitude, le bilan "
                "sur l'année reste positif pour des bâtiments bien isolés.",
            ),
        ),
        _c(
            "coord",
            "We applied for the provincial climate adaptation grant in September; an "
            "answer is expected in the spring.",
        ),
        _c(
            "r25",
            "Les fontaines seront ouvertes de quand à quand ?",
            _c(
                "utility",
                "Du 15 mai au 15 octobre, et plus tôt ou plus tard si une chaleur "
                "extrême est annoncée.",
            ),
        ),
    ],
    "Mobility pass instead of a parking": [
        _c(
            "r23",
            "So tenants of new buildings get no parking, and they'll park on our "
            "streets instead.",
            _c(
                "lead",
                "That's the risk we want to avoid: pass holders are not eligible for "
                "residential street permits, and the pass makes living without a car "
                "cheaper than owning one.",
                _c("r23", "We'll see if the city enforces it."),
            ),
        ),
        _c(
            "r04",
            "60,000 per underground space is insane. Love this.",
        ),
        _c(
            "r10",
            "Could the pass include taxis for people with reduced mobility?",
            _c(
                "lead",
                "Yes, the taxi credit is doubled for holders of a disability card.",
            ),
        ),
        _c(
            "r11",
            "Wouldn't this make more sense as part of the Market Street car park "
            "project? Same street, same tenants.",
        ),
    ],
    "Paid apprenticeships in solar": [
        _c(
            "r25",
            "Est-ce que les apprentis seront payés dès le premier jour ? Et combien ?",
            _c(
                "lead",
                "Oui, dès le premier jour : 19 $ de l'heure au départ, 22 $ après six "
                "mois, avec les outils et l'équipement fournis.",
                _c(
                    "r25",
                    "C'est plus que le salaire minimum, c'est bien. Les jeunes ont "
                    "besoin de ça.",
                ),
            ),
        ),
        _c(
            "r10",
            "Will you recruit young women too? The trades are very male.",
            _c(
                "lead",
                "We aim for at least a third women, with recruitment sessions run with "
                "the women in trades network, and the workshop has separate changing "
                "rooms.",
            ),
        ),
        _c(
            "r21",
            "What happens after the 12 months?",
            _c(
                "builders",
                "Northgate commits to hiring at least half of its apprentices who "
                "complete the programme.",
            ),
        ),
    ],
    "Adaptive LED street lighting": [
        _c(
            "r14",
            "Streets dimmed to 30 % feel unsafe for women walking alone. I'm worried "
            "about this.",
            _c(
                "lead",
                "The lights come up to full brightness in under a second when someone "
                "approaches, and stay bright 50 m ahead of you. Crossings, bus stops "
                "and park paths never dim below 50 %.",
                _c(
                    "r10",
                    "Please test it with women who walk home late. The night walks "
                    "with Cycle Together are a good start.",
                    _c(
                        "cycle",
                        "Our first night walk is on the 12th, from the Harbour "
                        "library at 9 p.m. Everyone is welcome.",
                    ),
                ),
            ),
        ),
        _c(
            "r07",
            "LEDs are often too blue and glaring. What colour temperature?",
            _c(
                "civitas",
                "2,700 K on residential streets, 3,000 K on main roads, with full "
                "cut-off optics so no light goes into bedrooms or the sky.",
                _c("r24", "Thank you for the warm light. Better for birds too."),
            ),
        ),
        _c(
            "r01",
            "Combien de temps avant que tout Riverbend soit équipé ?",
            _c(
                "lead",
                "Environ quatre ans, un quartier à la fois : Harbour d'abord, puis "
                "Old Town.",
            ),
        ),
        _c(
            "coord",
            "We received written confirmation that no sensor records images or "
            "sound, and the lighting levels for each street type. The review "
            "continues with the public works department.",
        ),
    ],
    "Shore power for ships": [
        _c(
            "r18",
            "I live on Quay Street and the ferries run their engines all night. This "
            "would change our lives.",
            _c(
                "healthy",
                "We start measuring NO₂ and fine particles in the three closest streets "
                "next month, with residents hosting the sensors. Volunteers welcome.",
                _c("r18", "I'll host one."),
            ),
        ),
        _c(
            "r11",
            "Will cruise lines actually pay the berth fee, or just go to another port?",
            _c(
                "lead",
                "Both ferry operators have committed to connect. Most large cruise "
                "ships now have shore power equipment, and several ports on the coast "
                "already require it; the electricity at berth costs about the same as "
                "running their engines.",
            ),
        ),
        _c(
            "r09",
            "A cruise ship needs a lot of power. Is the harbour's supply enough?",
            _c(
                "lead",
                "A cruise ship needs up to 12 MW. We will build a new 25 kV line to the "
                "berths from the Harbour substation, which has spare capacity since "
                "the old grain elevator closed.",
            ),
        ),
    ],
    "Secure bike rooms": [
        _c(
            "r03",
            "My kids' bikes were stolen twice from the basement. Will the rooms have "
            "cameras?",
            _c(
                "lead",
                "Badge access for each tenant, good lighting and individual racks with "
                "locks. Cameras only at the door, not inside, and only after "
                "consulting the tenants.",
                _c("r03", "Perfect, that's what we need."),
            ),
        ),
        _c(
            "r02",
            "Will there be room for adapted bikes and trailers? My neighbour rides a "
            "tricycle.",
            _c(
                "civitas",
                "10 % of the spaces are for larger bikes, trikes and trailers, at "
                "ground level with ramps.",
            ),
        ),
        _c(
            "r13",
            "Et pour les aînés qui ne font plus de vélo, on perd des espaces de "
            "rangement ?",
            _c(
                "homes",
                "Non : nous utilisons des locaux de rangement inutilisés, et les "
                "casiers des locataires restent en place.",
            ),
        ),
    ],
    "Senior co-living with telecare": [
        _c(
            "r01",
            "J'ai 74 ans et je vis seule dans un grand logement à Old Town. Ce projet "
            "m'intéresse beaucoup. Quel serait le loyer ?",
            _c(
                "lead",
                "Les loyers vont de 950 à 1 250 $ par mois, services du coordonnateur "
                "compris ; 20 des 64 logements sont réservés aux personnes à revenu "
                "modeste, avec un loyer de 25 % du revenu.",
                _c(
                    "r01",
                    "Merci. Et les animaux sont acceptés ? J'ai un chat.",
                    _c("lead", "Oui, les chats sont les bienvenus !"),
                ),
            ),
        ),
        _c(
            "r14",
            "Telecare with fall sensors: please make it opt-in, and let residents "
            "see what is recorded.",
            _c(
                "lab",
                "Opt-in only, and each resident gets a plain-language sheet listing "
                "what is recorded. The sensors detect falls; there are no cameras.",
            ),
        ),
    ],
    "Rooftop greenhouse on the harbour": [
        _c(
            "r24",
            "Will school classes be able to visit? A data centre roof sounds hard to "
            "get to.",
            _c(
                "lab",
                "Yes: the greenhouse has its own entrance and lift, away from the "
                "servers, and we plan school visits twice a week.",
            ),
        ),
        _c(
            "r21",
            "90 tonnes from 2,500 m² seems like a lot.",
            _c(
                "compost",
                "It's year-round growing with 10 to 12 harvests of leafy greens a "
                "year. Comparable greenhouses produce 35 to 45 kg per m² per year; we "
                "used 36.",
            ),
        ),
        _c(
            "r09",
            "Will the food bank get fresh vegetables every week?",
            _c(
                "lead",
                "Yes, about 400 kg a week on average, delivered every Tuesday.",
            ),
        ),
    ],
    "Depaving North district schoolyards": [
        _c(
            "r10",
            "Will the yards really be open after school? Who keeps an eye on them?",
            _c(
                "lead",
                "Open until dusk on weekdays and all day at weekends; the school board "
                "has agreed. The city's parks staff lock them at night, like any other "
                "park.",
            ),
        ),
        _c(
            "r05",
            "Mes enfants adorent le basket. Est-ce qu'on garde un terrain dur ?",
            _c(
                "lead",
                "Oui, chaque cour garde une surface dure pour le basket et les jeux au "
                "sol, plus petite et perméable.",
            ),
        ),
        _c(
            "r14",
            "Sand and play hills are wonderful, but is there a way round for a child "
            "in a wheelchair?",
            _c(
                "healthy",
                "Yes: every yard has a firm, accessible loop and at least one "
                "accessible play element, and children with disabilities take part in "
                "the design workshops.",
                _c(
                    "r14",
                    "Thank you for including them in the workshops, that matters.",
                ),
            ),
        ),
        _c(
            "r21",
            "Mud. Kids will bring mud into the classrooms all spring.",
            _c(
                "lead",
                "Some, yes: covered entrance mats and boot racks are included. Schools "
                "that did this elsewhere say it's manageable, and that the children "
                "are much calmer after play.",
                _c(
                    "r12",
                    "Honestly, a bit of mud is a small price for kids who actually "
                    "play outside.",
                ),
            ),
        ),
    ],
    "Peer energy coaches": [
        _c(
            "r10",
            "Great idea to hire tenants. How many hours a week, and what pay?",
            _c(
                "lead",
                "25 hours a week at 23 CAD an hour, on a two-year contract, with the "
                "training paid.",
            ),
        ),
        _c(
            "r05",
            "Est-ce que les coachs pourront aussi nous aider à comprendre les "
            "factures d'électricité ? Elles sont incompréhensibles.",
            _c(
                "utility",
                "Oui : ils sont formés sur nos factures et nos tarifs, et peuvent "
                "accélérer les demandes au programme d'aide énergétique.",
            ),
        ),
        _c(
            "r21",
            "1,700 MWh saved with draught strips and light bulbs? That sounds high "
            "for 1,500 homes.",
            _c(
                "lab",
                "It's about 1,100 kWh per household a year, mostly from thermostat "
                "settings and draught-proofing in electrically heated flats. We "
                "compare visited and not-yet-visited homes, so if the real figure is "
                "lower, you will see it.",
            ),
        ),
    ],
    "River flood early warning": [
        _c(
            "r13",
            "En 2019, l'eau est arrivée dans mon sous-sol en trois heures. Combien "
            "de temps d'avance aura-t-on ?",
            _c(
                "lead",
                "Le modèle vise 12 à 24 heures d'avance pour les crues de la rivière, "
                "et 1 à 3 heures pour les orages violents dans les égouts.",
                _c(
                    "r13",
                    "Douze heures, ça laisse le temps de tout monter à l'étage. Merci.",
                ),
            ),
        ),
        _c(
            "r03",
            "Many older people in my building don't have smartphones.",
            _c(
                "cycle",
                "That's why we are recruiting block volunteers who knock on doors; "
                "alerts also go out as automated calls to landlines.",
            ),
        ),
        _c(
            "r20",
            "Can we register for alerts in advance? In which languages?",
            _c(
                "lead",
                "Registration opens before launch: text, voice call or e-mail, in "
                "English, French, Arabic, Spanish and Vietnamese.",
            ),
        ),
    ],
    "Community land trust": [
        _c(
            "r04",
            'How does "affordable on resale" work? Do owners make any profit?',
            _c(
                "lead",
                "Owners buy the home but not the land, at about 65 % of the market "
                "price. When they sell, they get back what they paid plus a share of "
                "inflation and of their improvements, and the next buyer pays the same "
                "formula.",
                _c(
                    "r04",
                    "So it keeps the homes affordable for the next buyers too. "
                    "Interesting.",
                ),
            ),
        ),
        _c(
            "r22",
            "Qui pourra acheter ou louer ? Faut-il habiter le quartier ?",
            _c(
                "homes",
                "Des critères de revenu s'appliquent, et la moitié des logements va "
                "en priorité à des ménages qui habitent ou travaillent dans le "
                "district University.",
            ),
        ),
        _c(
            "r11",
            "$42 million, with 4.8 asked of the city. Who carries the risk if sales "
            "are slow?",
            _c(
                "lead",
                "Green Bridge finances the construction and carries that risk. The "
                "city's 4.8 M CAD buys the land into the trust, so it stays public "
                "value whatever happens.",
            ),
        ),
    ],
    "Heated, solar-powered bus shelters": [
        _c(
            "r06",
            "A heated bench! My mother takes the 14 in winter. When would it be done?",
            _c(
                "lead",
                "If the proposal is approved, routes 12 and 14 come first, the "
                "following autumn, and route 31 the year after.",
            ),
        ),
        _c(
            "r14",
            "Please leave room for a wheelchair inside the shelters, with a level "
            "approach.",
            _c(
                "lead",
                "Each shelter has 1.5 m of clear space inside, a level pad and a "
                "tactile strip at the boarding point.",
            ),
        ),
        _c(
            "solar",
            "The solar roof produces about 1.4 MWh per shelter per year, enough for "
            "the lighting, the screen and most of the bench heating.",
            _c(
                "r07",
                "Heating a bench from a battery in January sounds ambitious. What's "
                "the draw?",
                _c(
                    "solar",
                    "The bench heater draws 250 W and only runs when someone sits "
                    "down, on days below −10 °C. The 20 busiest shelters also have a "
                    "grid back-up.",
                ),
            ),
        ),
    ],
    "A sustainability-linked bond": [
        _c(
            "r04",
            "Could I buy in for $500 through my bank?",
            _c(
                "lead",
                "The retail tranche would be sold through the city's website and the "
                "main banks, from 500 CAD. The details depend on the finance "
                "department's review of the city's borrowing rules.",
            ),
        ),
        _c(
            "r23",
            "Lovely, so I pay interest to finance bike lanes that take away my "
            "parking.",
            _c(
                "r15",
                "Only if you choose to buy it. And the rate falls if more people "
                "cycle, which means fewer cars in your way.",
                _c("r23", "Fewer cars, more potholes in the bike lanes. We'll see."),
            ),
        ),
        _c(
            "r11",
            "How are the targets measured? If the city measures its own success, "
            "that's a conflict of interest.",
            _c(
                "cycle",
                "The counts come from 40 automatic counters and an independent yearly "
                "travel survey by the Urban Lab, and the impact committee includes "
                "residents who don't cycle.",
            ),
        ),
        _c(
            "r08",
            "Est-ce que les 38 km comprennent un lien entre South et le centre par "
            "le pont ?",
            _c(
                "civitas",
                "Oui, le lien par le pont Mill fait partie de la première phase.",
            ),
        ),
    ],
    "Food rescue from Old Town": [
        _c(
            "r01",
            "Les frigos communautaires, qui les nettoie ? J'en ai vu un dégoûtant "
            "dans une autre ville.",
            _c(
                "lead",
                "Des bénévoles formés à la salubrité par Healthy Streets vérifient et "
                "nettoient chaque frigo tous les jours ; ce qui a dépassé sa date part "
                "au compost.",
            ),
        ),
        _c(
            "r17",
            "As a café owner I'd happily give our unsold pastries. What time would "
            "you collect?",
            _c(
                "lead",
                "Between 7 and 9 p.m., so shops can give the day's leftovers. We bring "
                "the crates.",
                _c("r17", "Count me in. Bonne idée."),
            ),
        ),
    ],
    "Cooling and warming centres": [
        _c(
            "r14",
            "During the last ice storm the North library was closed. Will there be "
            "staff for 72 hours?",
            _c(
                "healthy",
                "Library staff and trained volunteers in shifts, and the Red Cross is "
                "part of the emergency plan.",
            ),
        ),
        _c(
            "r05",
            "Est-ce que les animaux seront acceptés ? Beaucoup de personnes âgées ne "
            "partent pas sans leur chat.",
            _c(
                "lead",
                "Oui, chaque bibliothèque aura un espace pour les animaux en cage.",
            ),
        ),
        _c(
            "r21",
            "Batteries running heat pumps for 72 hours in a heat wave? I doubt the "
            "numbers.",
            _c(
                "lead",
                "During an outage each library keeps a reduced cooled area of about "
                "300 m², which fits the 200 kWh battery with the solar roof. The whole "
                "building is cooled only when the grid is up.",
                _c("r21", "A reduced area makes the numbers work. OK."),
            ),
        ),
    ],
    "A digital twin of Old Town": [
        _c(
            "r17",
            "Mon sous-sol a été inondé deux fois. Est-ce que je pourrai voir si mon "
            "immeuble est à risque ?",
            _c(
                "lead",
                "Oui, la carte publique montrera le risque par rue, pas par adresse "
                "pour des raisons d'assurance, mais vous pourrez demander une "
                "évaluation gratuite de votre bâtiment.",
            ),
        ),
        _c(
            "r15",
            "Open model: will the code be open source too?",
            _c(
                "lead",
                "Yes, under an open licence, and the sensor data too. The hydraulic "
                "engine is an existing open-source tool.",
            ),
        ),
    ],
    "Heat recovery from the main sewer": [
        _c(
            "r12",
            "Does heat from sewage smell? The plant is next to the aquatic centre "
            "where my kids swim.",
            _c(
                "lead",
                "The heat exchangers sit inside the sewer pipe and pass the heat "
                "through a closed loop of clean water: no sewage ever leaves the "
                "sewer. The plant is an ordinary heat pump room.",
            ),
        ),
        _c(
            "r07",
            "Will cooling the sewage affect the treatment plant downstream?",
            _c(
                "lead",
                "We lower the sewage temperature by 1.5 °C at most; the treatment "
                "plant has confirmed this stays within the limits of its biological "
                "process.",
            ),
        ),
        _c(
            "r04",
            "Good use of existing infrastructure, and timed with the planned "
            "relining. Smart.",
        ),
    ],
    "Floating solar panels": [
        _c(
            "r09",
            "The eastern basin is where boats shelter in winter storms. Have you "
            "talked to the harbour authority?",
            _c(
                "lead",
                "Yes, the discussions have started: the array leaves a 60 m channel "
                "and part of it can be towed away in winter. We are waiting for their "
                "assessment.",
            ),
        ),
        _c(
            "r24",
            "What about fish and birds? There are herons there every summer.",
            _c(
                "lead",
                "An ecological survey is part of the review. The panels would cover "
                "30 % of the basin, leaving light for the rest.",
            ),
        ),
        DECIDED,
        _c(
            "r24",
            "Good decision, the spawning area matters. I hope the reservoir version "
            "goes ahead.",
            _c(
                "lead",
                "Thank you to everyone who commented. We have met the reservoir team "
                "and are preparing a new proposal for the North raw-water reservoir.",
                _c(
                    "r05",
                    "Un projet au réservoir de North ? Je serais partant pour "
                    "investir si c'est une coopérative.",
                ),
            ),
        ),
        _c(
            "r07",
            "Disappointed. 4.6 GWh a year of clean power is not nothing.",
        ),
    ],
    "Autonomous electric shuttle": [
        _c(
            "r19",
            "And the bus drivers? We keep hearing automation will cut jobs.",
            _c(
                "lead",
                "The pilot keeps a safety operator on board for the first year, and no "
                "existing bus route is cut.",
            ),
        ),
        _c(
            "r21",
            "Autonomous vehicles in a Riverbend winter? The sensors can't see through "
            "freezing rain.",
            _c(
                "lab",
                "That is exactly one of the questions the pilot would answer; until "
                "then the operator drives in bad weather.",
            ),
        ),
        DECIDED,
        _c(
            "r04",
            "Honestly, the bus lane on route 8 is the better use of the money. Good "
            "call.",
            _c(
                "r15",
                "Agreed, a bus every 10 minutes on the 8 would change my commute.",
            ),
        ),
        _c(
            "coord",
            "For those asking: the route 8 bus-priority lane is in next year's capital "
            "plan, and it will be presented publicly at the University library.",
        ),
    ],
}
