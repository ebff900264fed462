"""Who may do what in the review of proposals. Used by pages, API and services.

* The city's **coordinators** (verified role with two-factor authentication, or
  staff with it) see the review queue, assign and unassign reviewers, write
  internal notes and decide.
* An **assigned reviewer** (a verified official or coordinator of the proposal's
  city whom a coordinator assigned) writes internal notes and one recommendation.
* Internal notes, recommendations and assignments are never shown to the public or
  to the proposal's **authors** (its author and the lead organisation's members),
  even when an author also holds a city role: they are excluded first.
"""

from __future__ import annotations

from typing import Any

from stakeholders import permissions as sp
from stakeholders.models import City, CityRoleKind

from .models import Proposal, ProposalStatus, ReviewAssignment
from .permissions import is_proposal_author

#: Statuses in which a proposal is reviewed: reviewers are assigned and recommend.
REVIEWABLE = (
    ProposalStatus.SUBMITTED,
    ProposalStatus.UNDER_REVIEW,
    ProposalStatus.SHORTLISTED,
)


def can_see_review_queue(user: Any, city: City | int) -> bool:
    return sp.is_coordinator(user, city)


def is_eligible_reviewer(user: Any, city: City | int) -> bool:
    """A verified official or coordinator of the city (two-factor authentication is
    not needed to review, only to coordinate)."""
    return sp.is_signed_in(user) and (
        sp.holds_role(user, city, CityRoleKind.OFFICIAL)
        or sp.holds_role(user, city, CityRoleKind.COORDINATOR)
    )


def assignment_of(user: Any, proposal: Proposal) -> ReviewAssignment | None:
    """The user's assignment on this proposal, if they are still a verified
    official of its city (a revoked role ends the access). Loaded once per user
    and proposal."""
    if not sp.is_signed_in(user):
        return None
    cache: dict[int, ReviewAssignment | None] = user.__dict__.setdefault(
        "_cw_assignments", {}
    )
    if proposal.pk not in cache:
        cache[proposal.pk] = (
            ReviewAssignment.objects.filter(proposal=proposal, reviewer=user).first()
            if is_eligible_reviewer(user, proposal.city_id)
            else None
        )
    return cache[proposal.pk]


def forget_assignments(user: Any) -> None:
    user.__dict__.pop("_cw_assignments", None)


def is_assigned_reviewer(user: Any, proposal: Proposal) -> bool:
    return assignment_of(user, proposal) is not None


def can_read_internal(user: Any, proposal: Proposal) -> bool:
    """Internal notes, recommendations and assignments of a proposal."""
    if not sp.is_signed_in(user) or proposal.is_draft:
        return False
    if is_proposal_author(user, proposal):
        return False
    return sp.is_coordinator(user, proposal.city_id) or is_assigned_reviewer(
        user, proposal
    )


def can_write_note(user: Any, proposal: Proposal) -> bool:
    return can_read_internal(user, proposal)


def can_assign_reviewers(user: Any, proposal: Proposal) -> bool:
    return not is_proposal_author(user, proposal) and sp.is_coordinator(
        user, proposal.city_id
    )


def can_recommend(user: Any, proposal: Proposal) -> bool:
    """The assigned reviewer, while the proposal is in review."""
    return (
        proposal.status in REVIEWABLE
        and not is_proposal_author(user, proposal)
        and is_assigned_reviewer(user, proposal)
    )


def can_decide(user: Any, proposal: Proposal) -> bool:
    return sp.is_coordinator(user, proposal.city_id)
