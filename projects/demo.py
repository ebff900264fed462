"""Demo proposals for Riverbend (see ``manage.py seed_demo``).

The proposals themselves live in ``projects.demo_data``; this module plays them
through the services (``proposal_create``, ``partner_invite``, ``partner_answer``,
``proposal_submit``, ``proposal_update``, ``proposal_transition``,
``proposal_withdraw``) so every rule and derived field applies, then moves the
timestamps into the past so the list looks like eight months of real activity.

Idempotent: a demo proposal is identified by its city and title. One that exists is
not played again; its content (summary, body, sectors, money, place, impacts) is
brought back in line with the data if it drifted, and partners added to the data
since are invited.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from stakeholders import permissions as sp
from stakeholders.models import (
    ADMIN_ROLES,
    AuditEvent,
    City,
    District,
    Membership,
    MembershipRole,
    Organisation,
    User,
    UserKind,
)

from .demo_data import PROPOSALS
from .models import (
    ExpectedImpact,
    PartnerState,
    Proposal,
    ProposalEvent,
    ProposalEventKind,
    ProposalPartner,
    ProposalRevision,
    ProposalStatus,
    Sector,
)
from .services.proposals import (
    _refresh_derived,
    partner_answer,
    partner_invite,
    proposal_create,
    proposal_submit,
    proposal_transition,
    proposal_update,
    proposal_withdraw,
)

CITY_SLUG = "riverbend"
CURRENCY = "CAD"
COORDINATOR_EMAIL = "official@example.org"

# Members for the demo organisations that stakeholders/demo.py leaves without one:
# email, display name, kind, home district, organisation (they own it).
DEMO_MEMBERS: list[tuple[str, str, str, str, str]] = [
    (
        "investor@example.org",
        "Priya Natarajan",
        UserKind.INVESTOR,
        "Old Town",
        "Green Bridge Capital",
    ),
    (
        "builder@example.org",
        "Marc-André Lavoie",
        UserKind.CONSTRUCTION,
        "North",
        "Northgate Builders",
    ),
    (
        "engineering@example.org",
        "Ingrid Solberg",
        UserKind.ENGINEERING,
        "Old Town",
        "Atelier Civitas Engineering",
    ),
    (
        "research@example.org",
        "Kwame Mensah",
        UserKind.ACADEMIA,
        "University",
        "Riverbend University Urban Lab",
    ),
    (
        "compost@example.org",
        "Rosa Bianchi",
        UserKind.STARTUP,
        "Riverside",
        "Compost & Co",
    ),
    (
        "health@example.org",
        "Hélène Tremblay",
        UserKind.CIVIL_SOCIETY,
        "South",
        "Healthy Streets Alliance",
    ),
]

# Days after creation at which each step happens (before scaling to the proposal's
# age, so a young proposal goes through its steps faster).
STEP_OFFSETS = {
    "invite": 0.05,
    "answer": 2.5,
    ProposalStatus.SUBMITTED: 6.0,
    "edit": 15.0,
    ProposalStatus.UNDER_REVIEW: 20.0,
    ProposalStatus.SHORTLISTED: 38.0,
    ProposalStatus.ACCEPTED: 60.0,
    ProposalStatus.REJECTED: 52.0,
    ProposalStatus.WITHDRAWN: 30.0,
}
PATHS: dict[str, list[str]] = {
    ProposalStatus.DRAFT: [],
    ProposalStatus.SUBMITTED: [ProposalStatus.SUBMITTED],
    ProposalStatus.UNDER_REVIEW: [
        ProposalStatus.SUBMITTED,
        ProposalStatus.UNDER_REVIEW,
    ],
    ProposalStatus.SHORTLISTED: [
        ProposalStatus.SUBMITTED,
        ProposalStatus.UNDER_REVIEW,
        ProposalStatus.SHORTLISTED,
    ],
    ProposalStatus.ACCEPTED: [
        ProposalStatus.SUBMITTED,
        ProposalStatus.UNDER_REVIEW,
        ProposalStatus.SHORTLISTED,
        ProposalStatus.ACCEPTED,
    ],
    ProposalStatus.REJECTED: [
        ProposalStatus.SUBMITTED,
        ProposalStatus.UNDER_REVIEW,
        ProposalStatus.REJECTED,
    ],
    ProposalStatus.WITHDRAWN: [
        ProposalStatus.SUBMITTED,
        ProposalStatus.WITHDRAWN,
    ],
}
# What the coordinator says when a proposal goes under review, unless the data says
# something more specific.
REVIEW_ANSWERS = [
    "Thank you. The proposal is assigned to the sustainability office for a first "
    "technical review; we will come back to the consortium within six weeks.",
    "Under review by the planning and mobility teams. We may ask for the detailed "
    "budget breakdown and the partners' letters of commitment.",
    "Thanks for the complete file. The infrastructure department is checking how "
    "this fits the capital plan and the works already scheduled in the district.",
    "We are reviewing this with the housing and environment departments and will "
    "publish our questions here so residents can follow.",
]


@dataclass
class _Context:
    city: City
    districts: dict[str, District]
    organisations: dict[str, Organisation]
    admins: dict[int, User]
    coordinator: User
    sectors: dict[str, Sector]
    now: datetime
    proposal_ct: ContentType
    tz: tzinfo


# --- accounts ------------------------------------------------------------------------


def _ensure_members(city: City, districts: dict[str, District]) -> None:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    # One hash for all the demo members: a strong hash costs about a second, and
    # these accounts share a published password anyway.
    password = make_password(settings.DEMO_PASSWORD)
    for email, name, kind, district, org_name in DEMO_MEMBERS:
        organisation = Organisation.objects.filter(name=org_name).first()
        if organisation is None:
            continue
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email)
        user.password = password
        user.display_name = name
        user.kind = kind
        user.home_city = city
        user.district = districts.get(district)
        user.is_active = True
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        Membership.objects.update_or_create(
            user=user,
            organisation=organisation,
            defaults={"role": MembershipRole.OWNER},
        )


def _organisation_admins(organisations: dict[str, Organisation]) -> dict[int, User]:
    """One admin (the oldest membership) per organisation: the demo's author for the
    proposals it leads and the person answering its partner invitations."""
    admins: dict[int, User] = {}
    memberships = (
        Membership.objects.filter(
            organisation__in=organisations.values(), role__in=ADMIN_ROLES
        )
        .select_related("user")
        .order_by("pk")
    )
    users: dict[int, User] = {}
    for membership in memberships:
        # One object per user, so the permission caches are shared and stay small.
        user = users.setdefault(membership.user_id, membership.user)
        admins.setdefault(membership.organisation_id, user)
    return admins


# --- timeline ------------------------------------------------------------------------


def _backdate(proposal: Proposal, when: dict[str, datetime], ctx: _Context) -> None:
    """Move what the services wrote (events, revisions, audit lines, partner
    answers) to the dates the steps are meant to have happened."""
    by_kind = {
        ProposalEventKind.CREATED: "create",
        ProposalEventKind.PARTNER_INVITED: "invite",
        ProposalEventKind.PARTNER_ACCEPTED: "answer",
        ProposalEventKind.PARTNER_DECLINED: "answer",
        ProposalEventKind.EDITED: "edit",
    }
    events = list(ProposalEvent.objects.filter(proposal=proposal).order_by("pk"))
    moment = when["create"]
    for event in events:
        step = event.to_status if event.kind == ProposalEventKind.STATUS else None
        step = step or by_kind.get(event.kind)
        # An event of a kind this module does not know keeps the previous date.
        moment = when.get(step or "", moment)
        event.created_at = moment
    ProposalEvent.objects.bulk_update(events, ["created_at"])
    revisions = list(ProposalRevision.objects.filter(proposal=proposal))
    for revision in revisions:
        revision.created_at = when[
            ProposalStatus.SUBMITTED if revision.number == 1 else "edit"
        ]
    ProposalRevision.objects.bulk_update(revisions, ["created_at"])
    audit = list(
        AuditEvent.objects.filter(
            target_type=ctx.proposal_ct, target_id=str(proposal.pk)
        )
    )
    for line in audit:
        line.created_at = when.get(line.action.removeprefix("proposal."), moment)
    AuditEvent.objects.bulk_update(audit, ["created_at"])
    ProposalPartner.objects.filter(proposal=proposal).update(invited_at=when["invite"])
    ProposalPartner.objects.filter(proposal=proposal, answered_at__isnull=False).update(
        answered_at=when["answer"]
    )


def _timezone(city: City) -> tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(city.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _office_hours(moment: datetime, tz: tzinfo, salt: int) -> datetime:
    """The same day, local time, somewhere between 9:00 and 17:00."""
    local = moment.astimezone(tz)
    return local.replace(
        hour=9 + salt % 8, minute=(salt >> 3) % 60, second=0, microsecond=0
    )


def _schedule(spec: dict[str, Any], now: datetime, tz: tzinfo) -> dict[str, datetime]:
    """When each step of this proposal happens: spread from its creation ``age``
    days ago to (at the latest) an hour ago, in office hours, in order."""
    path = PATHS[spec["status"]]
    steps = ["invite", "answer", *path[:1]]
    if spec.get("edit") and path:
        steps.append("edit")
    steps.extend(path[1:])
    seed = zlib.crc32(spec["title"].encode())
    start = _office_hours(now - timedelta(days=float(spec["age"])), tz, seed)
    ceiling = now - timedelta(hours=1)
    last = max(STEP_OFFSETS[s] for s in steps) + 1  # + 1: room for the jitter
    room = max((ceiling - start).total_seconds() / 86400, 0.1)
    scale = min(1.0, room / last)
    jitter = ((seed >> 10) % 100) / 100  # up to a day later, so steps do not align
    when = {"create": start}
    previous = start
    for index, step in enumerate(steps, start=1):
        offset = STEP_OFFSETS[step] * scale
        if step == "invite":
            moment = start + timedelta(days=offset)
        else:
            offset += 0 if step == "answer" else jitter * scale
            moment = _office_hours(start + timedelta(days=offset), tz, seed + index)
        if moment <= previous:
            moment = previous + timedelta(minutes=20 + (seed >> index) % 40)
        if moment > ceiling:
            moment = max(previous + timedelta(minutes=1), ceiling)
        when[step] = previous = moment
    return when


# --- creating ------------------------------------------------------------------------


def _money(value: Any) -> Decimal:
    # Two decimals, as stored: revisions then compare like with like.
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _degrees(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.000001"))


def _fields(spec: dict[str, Any], ctx: _Context) -> dict[str, Any]:
    """The proposal's editable fields as the services take them."""
    point = spec.get("point")
    return {
        "title": spec["title"],
        "summary": spec["summary"],
        "body": spec["body"].strip() + "\n",
        "delivery_model": spec["delivery"],
        "capital_cost": _money(spec["capital"]),
        "operating_cost": _money(spec["operating"]),
        "currency": CURRENCY,
        "city_contribution": _money(spec["ask"]),
        "district": ctx.districts.get(spec["district"]),
        "latitude": _degrees(point[0]) if point else None,
        "longitude": _degrees(point[1]) if point else None,
    }


def _impacts(rows: list[tuple[str, Any, str, int]]) -> list[dict[str, Any]]:
    return [
        {"indicator": i, "amount": Decimal(str(a)), "unit": u, "year": y}
        for i, a, u, y in rows
    ]


def _create(spec: dict[str, Any], ctx: _Context, index: int) -> Proposal:
    lead = ctx.organisations[spec["lead"]]
    author = ctx.admins[lead.pk]
    when = _schedule(spec, ctx.now, ctx.tz)
    final = _fields(spec, ctx)
    edit = spec.get("edit") or {}
    before = {**final, **edit.get("before", {})}
    for key in ("capital_cost", "operating_cost", "city_contribution"):
        before[key] = _money(before[key])
    for key in ("latitude", "longitude"):
        if before[key] is not None:
            before[key] = _degrees(before[key])
    proposal = proposal_create(
        actor=author,
        city=ctx.city,
        lead_organisation=lead,
        sectors=[ctx.sectors[s] for s in spec["sectors"]],
        impacts=_impacts(edit.get("impacts_before", spec["impacts"])),
        **before,
    )

    invited: list[tuple[ProposalPartner, str]] = []
    for org_name, role, contribution, answer in spec.get("partners", []):
        partner = partner_invite(
            actor=author,
            proposal=proposal,
            organisation=ctx.organisations[org_name],
            role=role,
            contribution=contribution,
        )
        invited.append((partner, answer))
    answered = False
    for partner, answer in invited:
        if answer == PartnerState.INVITED:
            continue
        partner_answer(
            actor=ctx.admins[partner.organisation_id],
            partner=partner,
            accept=answer == PartnerState.ACCEPTED,
        )
        answered = True

    stamps: dict[str, Any] = {"created_at": when["create"]}
    last = when["answer"] if answered else when["invite"] if invited else when["create"]
    answers = spec.get("answers", {})
    for step in PATHS[spec["status"]]:
        if step == ProposalStatus.SUBMITTED:
            proposal = proposal_submit(actor=author, proposal=proposal)
            stamps["submitted_at"] = last = when[step]
            if edit:
                proposal = proposal_update(
                    actor=author,
                    proposal=proposal,
                    note=edit["note"],
                    impacts=_impacts(spec["impacts"])
                    if "impacts_before" in edit
                    else None,
                    **{k: final[k] for k in edit.get("before", {})},
                )
                last = when["edit"]
        elif step == ProposalStatus.WITHDRAWN:
            proposal = proposal_withdraw(
                actor=author, proposal=proposal, reason=answers.get(step, "")
            )
            stamps["decided_at"] = last = when[step]
        else:
            answer = answers.get(step, "")
            if step == ProposalStatus.UNDER_REVIEW and not answer:
                answer = REVIEW_ANSWERS[index % len(REVIEW_ANSWERS)]
            proposal = proposal_transition(
                actor=ctx.coordinator,
                proposal=proposal,
                to_status=step,
                public_answer=answer,
            )
            last = when[step]
            if step in (ProposalStatus.ACCEPTED, ProposalStatus.REJECTED):
                stamps["decided_at"] = last
    _backdate(proposal, when, ctx)
    Proposal.objects.filter(pk=proposal.pk).update(updated_at=last, **stamps)
    return proposal


# --- refreshing ----------------------------------------------------------------------


def _refresh(proposal: Proposal, spec: dict[str, Any], ctx: _Context) -> bool:
    """Bring an existing demo proposal's content back to the data; invite partners
    the data gained since. True when anything changed."""
    changed = False
    wanted = _fields(spec, ctx)
    wanted.pop("title")
    district = wanted.pop("district")
    wanted["district_id"] = district.pk if district else None
    dirty = [k for k, v in wanted.items() if getattr(proposal, k) != v]
    if dirty:
        for key in dirty:
            setattr(proposal, key, wanted[key])
        proposal.save(update_fields=[*dirty, "updated_at"])
        changed = True
    sectors = {ctx.sectors[s].pk for s in spec["sectors"]}
    if set(proposal.sectors.values_list("pk", flat=True)) != sectors:
        proposal.sectors.set(sectors)
        changed = True
    impacts = [
        (row["indicator"], row["amount"], row["unit"], row["year"])
        for row in _impacts(spec["impacts"])
    ]
    current = list(proposal.impacts.values_list("indicator", "amount", "unit", "year"))
    if current != impacts:
        proposal.impacts.all().delete()
        ExpectedImpact.objects.bulk_create(
            ExpectedImpact(proposal=proposal, indicator=i, amount=a, unit=u, year=y)
            for i, a, u, y in impacts
        )
        changed = True
    if not proposal.is_decided:
        listed = set(proposal.partners.values_list("organisation__name", flat=True))
        author = ctx.admins[proposal.lead_organisation_id]
        for org_name, role, contribution, answer in spec.get("partners", []):
            if org_name in listed:
                continue
            partner = partner_invite(
                actor=author,
                proposal=proposal,
                organisation=ctx.organisations[org_name],
                role=role,
                contribution=contribution,
            )
            if answer != PartnerState.INVITED:
                partner_answer(
                    actor=ctx.admins[partner.organisation_id],
                    partner=partner,
                    accept=answer == PartnerState.ACCEPTED,
                )
            changed = True
    if changed:
        _refresh_derived(proposal)
    return changed


# --- entry point ---------------------------------------------------------------------


@contextmanager
def _history_muted() -> Iterator[None]:
    """The replay stands for eight months of past activity. Told now, it would fill
    the demo accounts' inboxes with hundreds of stale notices dated today (and
    e-mail them) and slow the seeding down; so, while it runs, the proposal
    services notify nobody (their audience is empty and nothing is queued).
    Everything else (follows, scoring, audit, events, revisions) goes through as
    usual."""
    from .services import proposals as services

    saved = services.notify_on_commit, services.proposal_audience
    services.notify_on_commit = _no_notification
    services.proposal_audience = _no_audience
    try:
        yield
    finally:
        services.notify_on_commit, services.proposal_audience = saved


def _no_notification(**kwargs: Any) -> None:
    return None


def _no_audience(proposal: Proposal) -> list[int]:
    return []


def seed(stdout: Any) -> None:
    city = City.objects.filter(slug=CITY_SLUG).first()
    if city is None:
        stdout.write("  no Riverbend city: demo proposals skipped")
        return
    districts = {d.name: d for d in District.objects.filter(city=city)}
    _ensure_members(city, districts)
    needed = {spec["lead"] for spec in PROPOSALS} | {
        p[0] for spec in PROPOSALS for p in spec.get("partners", [])
    }
    organisations = {
        o.name: o for o in Organisation.objects.filter(name__in=sorted(needed))
    }
    missing = needed - set(organisations)
    if missing:
        raise RuntimeError(
            "Demo organisations missing (run the stakeholders demo first): "
            + ", ".join(sorted(missing))
        )
    admins = _organisation_admins(organisations)
    leaderless = [o.name for o in organisations.values() if o.pk not in admins]
    if leaderless:
        raise RuntimeError(
            "Demo organisations without an admin: " + ", ".join(sorted(leaderless))
        )
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    if not sp.is_coordinator(coordinator, city):
        raise RuntimeError(
            f"{COORDINATOR_EMAIL} is not a coordinator of {city.name} (with TOTP)."
        )
    ctx = _Context(
        city=city,
        districts=districts,
        organisations=organisations,
        admins=admins,
        coordinator=coordinator,
        sectors={s.slug: s for s in Sector.objects.all()},
        now=timezone.now(),
        proposal_ct=ContentType.objects.get_for_model(Proposal),
        tz=_timezone(city),
    )
    existing: dict[str, Proposal] = {}
    for proposal in Proposal.objects.filter(
        city=city, title__in=[spec["title"] for spec in PROPOSALS]
    ).order_by("pk"):
        existing.setdefault(proposal.title, proposal)
    created = refreshed = 0
    with _history_muted():
        for index, spec in enumerate(PROPOSALS):
            proposal = existing.get(spec["title"])
            if proposal is None:
                _create(spec, ctx, index)
                created += 1
            elif _refresh(proposal, spec, ctx):
                refreshed += 1
    stdout.write(
        f"  {len(PROPOSALS)} demo proposals ({created} created, {refreshed} refreshed, "
        f"{len(PROPOSALS) - created - refreshed} unchanged)"
    )
    from .demo_conversation import seed as seed_conversation
    from .demo_matching import seed_priorities

    seed_conversation(stdout)
    seed_priorities(stdout)
    from .demo_curation import seed as seed_curation

    seed_curation(stdout)
    from .demo_indicators import seed as seed_indicators

    seed_indicators(stdout)
    from .demo_projects import seed as seed_projects

    seed_projects(stdout)
