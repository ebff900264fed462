"""Proposals: drafting, consortium, attachments, life cycle.

Every function takes the acting user explicitly, checks ``projects.permissions``,
runs in one transaction and validates with ``full_clean()`` before writing; a
refusal raises ``PermissionDenied`` or ``ValidationError`` (field errors where a
field is at fault) and leaves the database unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from stakeholders import permissions as sp
from stakeholders.models import (
    ADMIN_ROLES,
    City,
    District,
    NotificationKind,
    Organisation,
    User,
)
from stakeholders.services import audit_record, notify_on_commit

from .. import caching
from .. import permissions as perms
from ..markdown import render_markdown
from ..models import (
    Attachment,
    ExpectedImpact,
    Follow,
    PartnerState,
    Proposal,
    ProposalEvent,
    ProposalEventKind,
    ProposalPartner,
    ProposalRevision,
    ProposalStatus,
    ReviewAssignment,
    Sector,
)
from ..uploads import check_upload

MIN_SECTORS = 2
MAX_ATTACHMENTS = 10
MAX_IMPACTS = 20
EDITABLE_FIELDS = (
    "title",
    "summary",
    "body",
    "delivery_model",
    "capital_cost",
    "operating_cost",
    "currency",
    "city_contribution",
    "district",
    "latitude",
    "longitude",
)


# --- helpers -------------------------------------------------------------------------


def sectors_from_slugs(slugs: Iterable[str]) -> list[Sector]:
    """The sectors named, or a field error naming the unknown ones."""
    wanted = [str(s).strip() for s in slugs if str(s).strip()]
    found = {s.slug: s for s in Sector.objects.filter(slug__in=wanted)}
    unknown = [s for s in wanted if s not in found]
    if unknown:
        raise ValidationError(
            {"sectors": _("Unknown sector: %(names)s.") % {"names": ", ".join(unknown)}}
        )
    return [found[s] for s in dict.fromkeys(wanted)]


def _check_sectors(sectors: Sequence[Sector]) -> None:
    if len({s.pk for s in sectors}) < MIN_SECTORS:
        raise ValidationError(
            {
                "sectors": _(
                    "Choose at least two sectors: Crosswalk is for solutions that "
                    "combine sectors (energy + housing, mobility + health…)."
                )
            }
        )


def _decimal(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: _("Enter a number.")}) from exc
    if not number.is_finite():
        raise ValidationError({field: _("Enter a number.")})
    return number


def _build_impacts(
    proposal: Proposal, impacts: Sequence[Mapping[str, Any]]
) -> list[ExpectedImpact]:
    if len(impacts) > MAX_IMPACTS:
        raise ValidationError(
            {"impacts": _("At most %(n)d impacts.") % {"n": MAX_IMPACTS}}
        )
    rows = []
    errors: dict[str, list[str]] = {}
    for index, item in enumerate(impacts):
        impact = ExpectedImpact(
            proposal=proposal,
            indicator=str(item.get("indicator", "")),
            unit=str(item.get("unit", "")),
            year=item.get("year") or timezone.now().year,
        )
        try:
            impact.amount = _decimal(item.get("amount"), "amount")  # type: ignore[assignment]
            impact.full_clean(exclude=["proposal"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault("impacts", []).extend(
                    f"{_('Impact')} {index + 1} ({field}): {m}" for m in messages
                )
            continue
        rows.append(impact)
    if errors:
        raise ValidationError(errors)
    return rows


def _refresh_derived(proposal: Proposal) -> None:
    """Values computed from the proposal's own fields: sanitised HTML, sector count,
    and (on PostgreSQL) the full-text search vector."""
    proposal.body_html = render_markdown(proposal.body)
    proposal.sector_count = proposal.sectors.count()
    proposal.partner_count = proposal.partners.filter(
        state=PartnerState.ACCEPTED
    ).count()
    proposal.save(
        update_fields=["body_html", "sector_count", "partner_count", "updated_at"]
    )
    proposal_search_index_update(proposal_ids=[proposal.pk])


def proposal_search_index_update(*, proposal_ids: Sequence[int]) -> None:
    """Refresh the PostgreSQL full-text vectors of these proposals (title weighs
    most, then summary, then body). A no-op on SQLite, which searches with LIKE."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    from django.contrib.postgres.search import SearchVector

    Proposal.objects.filter(pk__in=list(proposal_ids)).update(
        search_vector=SearchVector("title", weight="A", config="simple")
        + SearchVector("summary", weight="B", config="simple")
        + SearchVector("body", weight="C", config="simple")
    )
    for pk in proposal_ids:
        caching.bump(pk)


def proposal_snapshot(proposal: Proposal) -> dict[str, Any]:
    """The public fields, as stored in revisions and compared in their diffs."""
    return {
        "title": proposal.title,
        "summary": proposal.summary,
        "body": proposal.body,
        "sectors": sorted(proposal.sectors.values_list("slug", flat=True)),
        "delivery_model": proposal.delivery_model,
        "capital_cost": str(proposal.capital_cost)
        if proposal.capital_cost is not None
        else "",
        "operating_cost": str(proposal.operating_cost)
        if proposal.operating_cost is not None
        else "",
        "city_contribution": str(proposal.city_contribution)
        if proposal.city_contribution is not None
        else "",
        "currency": proposal.currency,
        "district": proposal.district.name if proposal.district_id else "",
        "impacts": [
            f"{i.get_indicator_display()}: {i.amount} {i.get_unit_display()} ({i.year})"
            for i in proposal.impacts.all()
        ],
    }


def _record_revision(proposal: Proposal, actor: User, note: str) -> ProposalRevision:
    number = (
        proposal.revisions.order_by("-number").values_list("number", flat=True).first()
        or 0
    ) + 1
    revision = ProposalRevision.objects.create(
        proposal=proposal,
        number=number,
        author=actor,
        note=(note or "")[:300],
        snapshot=proposal_snapshot(proposal),
    )
    Proposal.objects.filter(pk=proposal.pk).update(revision_count=number)
    caching.bump(proposal.pk)
    proposal.revision_count = number
    return revision


def proposal_audience(proposal: Proposal) -> list[int]:
    """Who hears about a proposal's news: its author, the lead organisation's members
    and the admins of partner organisations that accepted, plus its followers."""
    ids = set(proposal.lead_organisation.memberships.values_list("user_id", flat=True))
    if proposal.author_id:
        ids.add(proposal.author_id)
    from stakeholders.models import Membership

    ids.update(
        Membership.objects.filter(
            organisation__partnerships__proposal=proposal,
            organisation__partnerships__state=PartnerState.ACCEPTED,
            role__in=ADMIN_ROLES,
        ).values_list("user_id", flat=True)
    )
    ids.update(_follower_ids(proposal))
    return sorted(ids)


def _follower_ids(proposal: Proposal) -> list[int]:
    return list(
        Follow.objects.filter(proposal=proposal).values_list("user_id", flat=True)
    )


def _validate_place(proposal: Proposal) -> None:
    if proposal.district_id and proposal.district.city_id != proposal.city_id:
        raise ValidationError(
            {"district": _("This district is not in the proposal's city.")}
        )
    if (proposal.latitude is None) != (proposal.longitude is None):
        raise ValidationError(
            {"latitude": _("Give both latitude and longitude, or neither.")}
        )
    total = (proposal.capital_cost or 0) + (proposal.operating_cost or 0)
    if proposal.city_contribution and proposal.city_contribution > total:
        raise ValidationError(
            {
                "city_contribution": _(
                    "The amount asked of the city cannot exceed the capital plus "
                    "operating cost."
                )
            }
        )


# --- drafting -----------------------------------------------------------------------------


def proposal_create(
    *,
    actor: User,
    city: City,
    lead_organisation: Organisation,
    title: str,
    summary: str,
    sectors: Sequence[Sector],
    delivery_model: str,
    body: str = "",
    capital_cost: Any = None,
    operating_cost: Any = None,
    currency: str = "EUR",
    city_contribution: Any = None,
    district: District | None = None,
    latitude: Any = None,
    longitude: Any = None,
    impacts: Sequence[Mapping[str, Any]] = (),
) -> Proposal:
    """Create a draft led by one of the author's organisations."""
    if not sp.is_signed_in(actor):
        raise PermissionDenied(_("Sign in to write a proposal."))
    if not perms.can_lead_with(actor, lead_organisation):
        raise ValidationError(
            {
                "lead_organisation": _(
                    "You can only lead with an organisation you belong to."
                )
            }
        )
    _check_sectors(sectors)
    with transaction.atomic():
        proposal = Proposal(
            city=city,
            lead_organisation=lead_organisation,
            author=actor,
            title=(title or "").strip(),
            summary=(summary or "").strip(),
            body=body or "",
            delivery_model=delivery_model,
            capital_cost=_decimal(capital_cost, "capital_cost"),
            operating_cost=_decimal(operating_cost, "operating_cost"),
            currency=currency,
            city_contribution=_decimal(city_contribution, "city_contribution"),
            district=district,
            latitude=_decimal(latitude, "latitude"),
            longitude=_decimal(longitude, "longitude"),
        )
        proposal.full_clean()
        _validate_place(proposal)
        proposal.save()
        proposal.sectors.set(sectors)
        ExpectedImpact.objects.bulk_create(_build_impacts(proposal, impacts))
        _refresh_derived(proposal)
        ProposalEvent.objects.create(
            proposal=proposal, kind=ProposalEventKind.CREATED, actor=actor
        )
        # Authors follow what they write: they hear of comments and decisions.
        Follow.objects.get_or_create(user=actor, proposal=proposal)
    return proposal


def proposal_update(
    *,
    actor: User,
    proposal: Proposal,
    sectors: Sequence[Sector] | None = None,
    impacts: Sequence[Mapping[str, Any]] | None = None,
    note: str = "",
    **fields: Any,
) -> Proposal:
    """Change a proposal. Drafts change freely; after submission (and before a
    decision) every change is kept as a revision whose differences anyone can see,
    and the proposal is scored again."""
    if not perms.can_edit_proposal(actor, proposal):
        if proposal.is_decided:
            raise ValidationError(
                _("A decided or withdrawn proposal can no longer be edited.")
            )
        raise PermissionDenied(_("Only the proposal's authors can edit it."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({f: _("This field cannot be changed.") for f in unknown})
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        before = proposal_snapshot(locked)
        for key, value in fields.items():
            if key in (
                "capital_cost",
                "operating_cost",
                "city_contribution",
                "latitude",
                "longitude",
            ):
                value = _decimal(value, key)
            elif isinstance(value, str) and key != "body":
                value = value.strip()
            setattr(locked, key, value)
        locked.full_clean()
        _validate_place(locked)
        locked.save()
        if sectors is not None:
            _check_sectors(sectors)
            locked.sectors.set(sectors)
        if impacts is not None:
            rows = _build_impacts(locked, impacts)
            locked.impacts.all().delete()
            ExpectedImpact.objects.bulk_create(rows)
        _refresh_derived(locked)
        # Compare stored values (650000 and 650000.00 are the same amount).
        locked.refresh_from_db()
        if not locked.is_draft:
            after = proposal_snapshot(locked)
            if after != before:
                changed = [k for k in after if after[k] != before[k]]
                _record_revision(locked, actor, note)
                ProposalEvent.objects.create(
                    proposal=locked,
                    kind=ProposalEventKind.EDITED,
                    actor=actor,
                    message=note,
                    data={"fields": changed},
                )
                _schedule_scoring(locked)
    return locked


# --- life cycle ---------------------------------------------------------------------------------


def _schedule_scoring(proposal: Proposal) -> None:
    """Ask the matching engine to score the proposal once the change is committed.
    The matching tasks arrive with the matching feature; until then nothing to do."""
    try:
        from ..tasks import score_proposal  # type: ignore[attr-defined]
    except ImportError:
        return
    from stakeholders.services import _enqueue

    transaction.on_commit(
        lambda: _enqueue(score_proposal, {"proposal_id": proposal.pk})
    )


def _status_event(
    proposal: Proposal, actor: User, old: str, new: str, message: str = ""
) -> ProposalEvent:
    event = ProposalEvent.objects.create(
        proposal=proposal,
        kind=ProposalEventKind.STATUS,
        actor=actor,
        from_status=old,
        to_status=new,
        message=message,
    )
    notify_on_commit(
        recipient_ids=proposal_audience(proposal),
        kind=NotificationKind.STATUS,
        event_key=f"proposal-status:{proposal.pk}:{event.pk}",
        message=gettext_noop("“%(title)s” is now %(status)s."),
        params={"title": proposal.title[:80], "status": new},
        url=proposal.get_absolute_url(),
        actor=actor,
    )
    return event


def proposal_submit(*, actor: User, proposal: Proposal) -> Proposal:
    if not perms.can_submit_proposal(actor, proposal):
        if proposal.status != ProposalStatus.DRAFT:
            raise ValidationError(
                _("Only a draft can be submitted; this one is already %(s)s.")
                % {"s": proposal.get_status_display()}
            )
        raise PermissionDenied(_("Only the proposal's authors can submit it."))
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != ProposalStatus.DRAFT:
            raise ValidationError(_("This proposal was already submitted."))
        _check_sectors(list(locked.sectors.all()))
        locked.full_clean()
        locked.status = ProposalStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "submitted_at", "updated_at"])
        _record_revision(locked, actor, _("Submitted"))
        _status_event(locked, actor, ProposalStatus.DRAFT, ProposalStatus.SUBMITTED)
        _schedule_scoring(locked)
    return locked


def proposal_withdraw(*, actor: User, proposal: Proposal, reason: str = "") -> Proposal:
    if not perms.can_withdraw_proposal(actor, proposal):
        if proposal.is_decided:
            raise ValidationError(_("A decided proposal can no longer be withdrawn."))
        raise PermissionDenied(_("Only the proposal's authors can withdraw it."))
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        old = locked.status
        if old not in perms.WITHDRAWABLE:
            raise ValidationError(_("A decided proposal can no longer be withdrawn."))
        locked.status = ProposalStatus.WITHDRAWN
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_at", "updated_at"])
        _status_event(locked, actor, old, ProposalStatus.WITHDRAWN, reason.strip())
    return locked


def proposal_transition(
    *, actor: User, proposal: Proposal, to_status: str, public_answer: str = ""
) -> Proposal:
    """A coordinator of the proposal's city moves it along its life cycle, with a
    public answer (required for a decision) that the audience is told of. The
    proposal's assigned reviewers are told too, once each (those already in the
    audience hear it there); the notice names the proposal and its new status
    only, never the review's internal texts. Every decision goes through here: the
    proposal page's card, the API's ``transition/`` and ``decision/``."""
    if to_status not in ProposalStatus.values:
        raise ValidationError({"to_status": _("Unknown status.")})
    if not sp.is_coordinator(actor, proposal.city_id):
        raise PermissionDenied(
            _("Only a coordinator of this city can change a proposal's status.")
        )
    if not perms.can_transition_proposal(actor, proposal, to_status):
        raise ValidationError(
            {
                "to_status": _("A proposal that is %(from)s cannot become %(to)s.")
                % {
                    "from": proposal.get_status_display(),
                    "to": ProposalStatus(to_status).label,
                }
            }
        )
    answer = (public_answer or "").strip()
    if to_status in (ProposalStatus.ACCEPTED, ProposalStatus.REJECTED) and not answer:
        raise ValidationError(
            {"public_answer": _("Explain the decision in a public answer.")}
        )
    if len(answer) > 5000:
        raise ValidationError(
            {"public_answer": _("Keep the answer under 5,000 characters.")}
        )
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        old = locked.status
        if to_status not in perms.COORDINATOR_TRANSITIONS.get(old, set()):
            raise ValidationError(
                {"to_status": _("The proposal changed meanwhile; reload it.")}
            )
        locked.status = to_status
        if answer:
            locked.public_answer = answer
        if to_status in (ProposalStatus.ACCEPTED, ProposalStatus.REJECTED):
            locked.decided_at = timezone.now()
        locked.save(
            update_fields=["status", "public_answer", "decided_at", "updated_at"]
        )
        event = _status_event(locked, actor, old, to_status, answer)
        audit_record(
            actor=actor,
            action=f"proposal.{to_status}",
            target=locked,
            city=locked.city_id,
            reason=answer,
            data={"from": old, "to": to_status},
        )
        audience = set(proposal_audience(locked))
        reviewers = [
            uid
            for uid in ReviewAssignment.objects.filter(proposal=locked).values_list(
                "reviewer_id", flat=True
            )
            if uid not in audience
        ]
        notify_on_commit(
            recipient_ids=reviewers,
            kind=NotificationKind.STATUS,
            event_key=f"review-decision:{locked.pk}:{event.pk}",
            message=gettext_noop("“%(title)s” is now %(status)s."),
            params={"title": locked.title[:80], "status": to_status},
            url=locked.get_absolute_url(),
            actor=actor,
        )
    return locked


# --- consortium ------------------------------------------------------------------------------------


def partner_invite(
    *,
    actor: User,
    proposal: Proposal,
    organisation: Organisation,
    role: str,
    contribution: str = "",
) -> ProposalPartner:
    if not perms.can_manage_partners(actor, proposal):
        raise PermissionDenied(_("Only the proposal's authors can invite partners."))
    if organisation.pk == proposal.lead_organisation_id:
        raise ValidationError(
            {"organisation": _("The lead organisation is already in the consortium.")}
        )
    with transaction.atomic():
        if ProposalPartner.objects.filter(
            proposal=proposal, organisation=organisation
        ).exists():
            raise ValidationError(
                {"organisation": _("This organisation is already listed as a partner.")}
            )
        partner = ProposalPartner(
            proposal=proposal,
            organisation=organisation,
            role=role,
            contribution=(contribution or "").strip(),
            invited_by=actor,
        )
        partner.full_clean()
        try:
            with transaction.atomic():
                partner.save()
        except IntegrityError as exc:
            raise ValidationError(
                {"organisation": _("This organisation is already listed as a partner.")}
            ) from exc
        ProposalEvent.objects.create(
            proposal=proposal,
            kind=ProposalEventKind.PARTNER_INVITED,
            actor=actor,
            data={"organisation": organisation.pk, "role": role},
        )
        admins = organisation.memberships.filter(role__in=ADMIN_ROLES).values_list(
            "user_id", flat=True
        )
        notify_on_commit(
            recipient_ids=admins,
            kind=NotificationKind.PARTNER,
            event_key=f"partner-invited:{partner.pk}",
            message=gettext_noop("%(org)s is invited to join “%(title)s” as %(role)s."),
            params={
                "org": organisation.name,
                "title": proposal.title[:80],
                "role": role,
            },
            url=proposal.get_absolute_url(),
            actor=actor,
        )
    return partner


def partner_answer(
    *, actor: User, partner: ProposalPartner, accept: bool
) -> ProposalPartner:
    if not perms.can_answer_partnership(actor, partner.organisation_id):
        raise PermissionDenied(
            _("Only an admin of the invited organisation can answer.")
        )
    with transaction.atomic():
        locked = (
            ProposalPartner.objects.select_for_update()
            .select_related("proposal", "organisation")
            .get(pk=partner.pk)
        )
        if locked.state != PartnerState.INVITED:
            raise ValidationError(_("This invitation was already answered."))
        if locked.proposal.is_decided:
            raise ValidationError(_("This proposal is closed."))
        locked.state = PartnerState.ACCEPTED if accept else PartnerState.DECLINED
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.save(update_fields=["state", "answered_by", "answered_at"])
        proposal = locked.proposal
        _refresh_derived(proposal)
        if accept:
            Follow.objects.get_or_create(user=actor, proposal=proposal)
        ProposalEvent.objects.create(
            proposal=proposal,
            kind=ProposalEventKind.PARTNER_ACCEPTED
            if accept
            else ProposalEventKind.PARTNER_DECLINED,
            actor=actor,
            data={"organisation": locked.organisation_id, "role": locked.role},
        )
        notify_on_commit(
            recipient_ids=proposal_audience(proposal),
            kind=NotificationKind.PARTNER,
            event_key=f"partner-answered:{locked.pk}",
            message=gettext_noop("%(org)s joined “%(title)s”.")
            if accept
            else gettext_noop("%(org)s declined to join “%(title)s”."),
            params={"org": locked.organisation.name, "title": proposal.title[:80]},
            url=proposal.get_absolute_url(),
            actor=actor,
        )
        if accept and not proposal.is_draft:
            _schedule_scoring(proposal)
    return locked


def partner_remove(*, actor: User, partner: ProposalPartner) -> None:
    proposal = partner.proposal
    if not perms.can_manage_partners(actor, proposal):
        raise PermissionDenied(
            _("Only the proposal's authors can change the consortium.")
        )
    with transaction.atomic():
        partner.delete()
        _refresh_derived(proposal)


# --- attachments ----------------------------------------------------------------------------------


def attachment_add(
    *, actor: User, proposal: Proposal, upload: IO[bytes], name: str, size: int
) -> Attachment:
    if not perms.can_manage_attachments(actor, proposal):
        raise PermissionDenied(_("Only the proposal's authors can add attachments."))
    checked = check_upload(upload, size=size)
    with transaction.atomic():
        Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.attachments.count() >= MAX_ATTACHMENTS:
            raise ValidationError(
                {
                    "file": _("A proposal can have at most %(n)d attachments.")
                    % {"n": MAX_ATTACHMENTS}
                }
            )
        attachment = Attachment(
            proposal=proposal,
            name=(name or "").strip()[:200] or _("Attachment"),
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=actor,
        )
        attachment.full_clean(exclude=["file"])
        attachment.file.save("upload", File(upload), save=False)
        attachment.save()
    return attachment


def attachment_remove(*, actor: User, attachment: Attachment) -> None:
    if not perms.can_manage_attachments(actor, attachment.proposal):
        raise PermissionDenied(_("Only the proposal's authors can remove attachments."))
    storage, path = attachment.file.storage, attachment.file.name
    with transaction.atomic():
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(path))
