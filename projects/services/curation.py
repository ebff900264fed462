"""Review of proposals: reviewers, internal notes, recommendations, decisions.

Every function takes the acting user explicitly, checks
``projects.permissions_curation``, runs in one transaction and validates with
``full_clean()`` before writing; a refusal raises ``PermissionDenied`` or
``ValidationError`` (field errors where a field is at fault) and leaves the
database unchanged. Every write is audited; internal texts (notes, the reasons of
recommendations) never go into a notification or the audit log's data.

Conflicts of interest: a reviewer who belongs to an organisation of the
consortium (the lead, or a partner that did not decline) has a conflict. Lead
members are the proposal's authors and are never assigned (the internal review is
hidden from authors). A partner's member may be assigned only when the
coordinator overrides with a reason, which is stored in the audit log with the
conflicts; the conflicts stay on the assignment and are shown wherever it is.

Decisions go through ``proposals.proposal_transition`` (status, public answer,
timeline, audit, the notifications of the audience and of the assigned
reviewers, whichever page or endpoint the decision comes from);
``proposal_decide`` adds the refusals a coordinator needs to read (a withdrawn
proposal).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from stakeholders import permissions as sp
from stakeholders.models import CityRole, CityRoleKind, NotificationKind, User
from stakeholders.models import VerificationState as VS
from stakeholders.services import audit_record, coordinators_of, notify_on_commit

from .. import permissions_curation as cperms
from ..models import (
    InternalNote,
    Proposal,
    ProposalStatus,
    Recommendation,
    ReviewAssignment,
)
from ..selectors_curation import conflicts_of
from . import proposals as proposal_services

#: What a coordinator may decide, by the status the proposal moves to.
DECISIONS = (
    ProposalStatus.UNDER_REVIEW,
    ProposalStatus.SHORTLISTED,
    ProposalStatus.ACCEPTED,
    ProposalStatus.REJECTED,
)
BULK_ACTIONS = ("under_review", "shortlisted", "assign")
MAX_OVERRIDE_REASON = 2000


def _deny_unless_coordinator(actor: User, proposal: Proposal, message: str) -> None:
    if not sp.is_coordinator(actor, proposal.city_id):
        raise PermissionDenied(message)


def _require_reviewable(proposal: Proposal) -> None:
    if proposal.status not in cperms.REVIEWABLE:
        raise ValidationError(
            _(
                "This proposal is %(status)s: reviewers work only on submitted, "
                "under-review and shortlisted proposals."
            )
            % {"status": proposal.get_status_display()}
        )


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update()
        .select_related("city", "lead_organisation")
        .get(pk=proposal.pk)
    )


# --- Reviewers ---------------------------------------------------------------------


def review_assign(
    *,
    actor: User,
    proposal: Proposal,
    reviewer: User,
    override_reason: str = "",
) -> ReviewAssignment:
    """A coordinator of the proposal's city asks a verified official of that city to
    review it. The reviewer is notified (in the site; the notification names the
    proposal only)."""
    _deny_unless_coordinator(
        actor, proposal, _("Only a coordinator of this city can assign reviewers.")
    )
    if cperms.is_proposal_author(actor, proposal):
        raise PermissionDenied(
            _(
                "You belong to the proposal's lead organisation: another coordinator "
                "must organise its review."
            )
        )
    override = (override_reason or "").strip()
    if len(override) > MAX_OVERRIDE_REASON:
        raise ValidationError(
            {
                "override_reason": _("Keep the reason under %(n)d characters.")
                % {"n": MAX_OVERRIDE_REASON}
            }
        )
    with transaction.atomic():
        locked = _locked(proposal)
        _require_reviewable(locked)
        eligible = CityRole.objects.filter(
            user=reviewer,
            city_id=locked.city_id,
            state=VS.VERIFIED,
            role__in=[CityRoleKind.OFFICIAL, CityRoleKind.COORDINATOR],
        ).exists()
        if not eligible or not reviewer.is_active or reviewer.deleted_at:
            raise ValidationError(
                {
                    "reviewer": _(
                        "%(name)s is not a verified official of %(city)s: only "
                        "the city's verified officials review its proposals."
                    )
                    % {"name": reviewer.public_name, "city": locked.city.name}
                }
            )
        if ReviewAssignment.objects.filter(proposal=locked, reviewer=reviewer).exists():
            raise ValidationError(
                {
                    "reviewer": _("%(name)s already reviews this proposal.")
                    % {"name": reviewer.public_name}
                }
            )
        conflicts = conflicts_of([reviewer.pk], locked)[reviewer.pk]
        if locked.author_id == reviewer.pk or any(c["lead"] for c in conflicts):
            raise ValidationError(
                {
                    "reviewer": _(
                        "%(name)s is one of the proposal's authors (a member of "
                        "%(org)s) and cannot review it."
                    )
                    % {
                        "name": reviewer.public_name,
                        "org": locked.lead_organisation.name,
                    }
                }
            )
        if conflicts and not override:
            raise ValidationError(
                {
                    "override_reason": _(
                        "%(name)s belongs to %(orgs)s, in this proposal's consortium: "
                        "a conflict of interest. To assign them anyway, say why."
                    )
                    % {
                        "name": reviewer.public_name,
                        "orgs": ", ".join(c["name"] for c in conflicts),
                    }
                }
            )
        assignment = ReviewAssignment(
            proposal=locked,
            reviewer=reviewer,
            assigned_by=actor,
            conflicts=conflicts,
        )
        assignment.full_clean()
        try:
            with transaction.atomic():
                assignment.save()
        except IntegrityError as exc:
            raise ValidationError(
                {
                    "reviewer": _("%(name)s already reviews this proposal.")
                    % {"name": reviewer.public_name}
                }
            ) from exc
        audit_record(
            actor=actor,
            action="review.assign",
            target=locked,
            city=locked.city_id,
            reason=override if conflicts else "",
            data={
                "reviewer": reviewer.pk,
                "assignment": assignment.pk,
                "conflicts": conflicts,
                "override": bool(conflicts),
            },
        )
        notify_on_commit(
            recipient_ids=[reviewer.pk],
            kind=NotificationKind.STATUS,
            event_key=f"review-assigned:{assignment.pk}",
            message=gettext_noop("You are asked to review “%(title)s”."),
            params={"title": locked.title[:80]},
            url=locked.get_absolute_url(),
            actor=actor,
        )
    return assignment


def review_unassign(*, actor: User, assignment: ReviewAssignment) -> None:
    """A coordinator takes a reviewer off a proposal (their recommendation goes
    with the assignment; their notes stay)."""
    proposal = assignment.proposal
    _deny_unless_coordinator(
        actor, proposal, _("Only a coordinator of this city can unassign reviewers.")
    )
    with transaction.atomic():
        locked = (
            ReviewAssignment.objects.select_for_update()
            .filter(pk=assignment.pk)
            .first()
        )
        if locked is None:
            raise ValidationError(_("This reviewer was already unassigned."))
        audit_record(
            actor=actor,
            action="review.unassign",
            target=proposal,
            city=proposal.city_id,
            data={
                "reviewer": locked.reviewer_id,
                "assignment": locked.pk,
                "recommendation": locked.recommendation,
            },
        )
        reviewer_id = locked.reviewer_id
        locked.delete()
        notify_on_commit(
            recipient_ids=[reviewer_id],
            kind=NotificationKind.STATUS,
            event_key=f"review-unassigned:{assignment.pk}",
            message=gettext_noop("You no longer review “%(title)s”."),
            params={"title": proposal.title[:80]},
            url=proposal.get_absolute_url(),
            actor=actor,
        )


# --- Recommendations and notes -------------------------------------------------------


def review_recommend(
    *, actor: User, proposal: Proposal, recommendation: str, reason: str
) -> ReviewAssignment:
    """The assigned reviewer recommends (and may change their mind while the
    proposal is in review). The city's coordinators are told that a
    recommendation was recorded, not what it says."""
    assignment = (
        ReviewAssignment.objects.filter(proposal=proposal, reviewer=actor).first()
        if sp.is_signed_in(actor)
        else None
    )
    if (
        assignment is None
        or not cperms.is_eligible_reviewer(actor, proposal.city_id)
        or cperms.is_proposal_author(actor, proposal)
    ):
        raise PermissionDenied(
            _("Only a reviewer assigned to this proposal can recommend a decision.")
        )
    errors: dict[str, str] = {}
    if recommendation not in Recommendation.values or not recommendation:
        errors["recommendation"] = _(
            "Choose a recommendation: shortlist, accept, reject or ask for changes."
        )
    text = (reason or "").strip()
    if not text:
        errors["recommendation_reason"] = _("Say why you recommend this.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked_proposal = _locked(proposal)
        _require_reviewable(locked_proposal)
        locked = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
        locked.recommendation = recommendation
        locked.recommendation_reason = text
        locked.recommended_at = timezone.now()
        locked.full_clean()
        locked.save(
            update_fields=["recommendation", "recommendation_reason", "recommended_at"]
        )
        audit_record(
            actor=actor,
            action="review.recommend",
            target=locked_proposal,
            city=locked_proposal.city_id,
            data={"assignment": locked.pk, "recommendation": recommendation},
        )
        coordinators = coordinators_of([locked_proposal.city_id])
        notify_on_commit(
            recipient_ids=list(coordinators),
            kind=NotificationKind.STATUS,
            event_key=(
                f"review-recommended:{locked.pk}:"
                f"{int(locked.recommended_at.timestamp() * 1_000_000)}"
            ),
            message=gettext_noop("%(name)s recorded a recommendation on “%(title)s”."),
            params={"name": actor.public_name, "title": locked_proposal.title[:80]},
            url=locked_proposal.get_absolute_url(),
            actor=actor,
        )
    return locked


def internal_note_create(*, actor: User, proposal: Proposal, body: str) -> InternalNote:
    """A note by an assigned reviewer or a coordinator of the city. Nobody is
    notified (a note's text never leaves the internal review)."""
    if not cperms.can_write_note(actor, proposal):
        raise PermissionDenied(
            _(
                "Only the city's coordinators and the proposal's assigned reviewers "
                "write internal notes."
            )
        )
    text = (body or "").strip()
    if not text:
        raise ValidationError({"body": _("Write the note first.")})
    with transaction.atomic():
        note = InternalNote(proposal=proposal, author=actor, body=text)
        note.full_clean()
        note.save()
        audit_record(
            actor=actor,
            action="review.note",
            target=proposal,
            city=proposal.city_id,
            data={"note": note.pk},
        )
    return note


# --- Decisions ------------------------------------------------------------------------


def proposal_decide(
    *, actor: User, proposal: Proposal, decision: str, public_answer: str = ""
) -> Proposal:
    """A coordinator decides: back to review, shortlist, accept or reject, with a
    public answer (required to accept or reject). Through ``proposal_transition``,
    which tells the audience and the assigned reviewers of the decision."""
    _deny_unless_coordinator(
        actor, proposal, _("Only a coordinator of this city can decide on a proposal.")
    )
    if decision not in DECISIONS:
        raise ValidationError(
            {
                "decision": _(
                    "Choose a decision: under review, shortlisted, accepted or rejected."
                )
            }
        )
    if proposal.status == ProposalStatus.WITHDRAWN:
        when = proposal.decided_at or proposal.updated_at
        raise ValidationError(
            {
                "decision": _(
                    "The authors withdrew this proposal on %(day)s: it can no longer "
                    "be decided."
                )
                % {"day": date_format(timezone.localtime(when), "DATE_FORMAT")}
            }
        )
    if proposal.is_decided:
        raise ValidationError(
            {
                "decision": _(
                    "This proposal was already %(status)s; a decision is final."
                )
                % {"status": proposal.get_status_display().lower()}
            }
        )
    if proposal.status == decision:
        raise ValidationError(
            {
                "decision": _("This proposal is already %(status)s.")
                % {"status": proposal.get_status_display().lower()}
            }
        )
    with transaction.atomic():
        try:
            decided = proposal_services.proposal_transition(
                actor=actor,
                proposal=proposal,
                to_status=decision,
                public_answer=public_answer,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "to_status" in exc.error_dict:
                detail = exc.message_dict
                detail["decision"] = detail.pop("to_status")
                raise ValidationError(detail) from exc
            raise
    return decided


# --- Bulk actions of the queue ---------------------------------------------------------


@dataclass
class BulkResult:
    proposal: Proposal
    ok: bool
    message: str


def review_bulk(
    *,
    actor: User,
    proposals: Sequence[Proposal],
    action: str,
    reviewer: User | None = None,
    override_reason: str = "",
) -> list[BulkResult]:
    """Apply one queue action to several proposals, each through its service in
    its own transaction: one refusal leaves the others done, and each row gets its
    own result message."""
    if action not in BULK_ACTIONS:
        raise ValidationError({"action": _("Choose an action.")})
    if action == "assign" and reviewer is None:
        raise ValidationError({"reviewer": _("Choose the reviewer to assign.")})
    results = []
    for proposal in proposals:
        try:
            if action == "assign":
                assert reviewer is not None
                review_assign(
                    actor=actor,
                    proposal=proposal,
                    reviewer=reviewer,
                    override_reason=override_reason,
                )
                message = _("%(name)s assigned.") % {"name": reviewer.public_name}
            else:
                proposal_decide(actor=actor, proposal=proposal, decision=action)
                message = _("Now %(status)s.") % {
                    "status": ProposalStatus(action).label.lower()
                }
        except (ValidationError, PermissionDenied) as exc:
            text = (
                " ".join(str(m) for m in exc.messages)
                if isinstance(exc, ValidationError)
                else str(exc)
            )
            results.append(BulkResult(proposal, False, text))
        else:
            results.append(BulkResult(proposal, True, message))
    return results
