"""Who may do what with proposals. Used by pages, API and services alike."""

from __future__ import annotations

from typing import Any

from stakeholders import permissions as sp

from .models import COORDINATOR_TRANSITIONS, WITHDRAWABLE, Proposal, ProposalStatus


def can_create_proposal(user: Any) -> bool:
    """Any signed-in member of an organisation (verified or not: an unverified
    organisation's proposals are labelled as such)."""
    return sp.is_signed_in(user) and bool(sp._membership_roles(user))


def can_lead_with(user: Any, organisation: Any) -> bool:
    return sp.is_member(user, organisation)


def is_proposal_author(user: Any, proposal: Proposal) -> bool:
    """The author, or any member of the lead organisation (they write together)."""
    if not sp.is_signed_in(user):
        return False
    return proposal.author_id == user.pk or sp.is_member(
        user, proposal.lead_organisation_id
    )


def can_view_proposal(user: Any, proposal: Proposal) -> bool:
    if proposal.status != ProposalStatus.DRAFT:
        return True
    if is_proposal_author(user, proposal) or sp.staff_power(user):
        return True
    return sp.is_signed_in(user) and any(
        sp.is_member(user, org_id)
        for org_id in proposal.partners.values_list("organisation_id", flat=True)
    )


def can_edit_proposal(user: Any, proposal: Proposal) -> bool:
    """Drafts are freely editable by their authors; after submission and before a
    decision, edits are allowed but kept as revisions."""
    if proposal.is_decided:
        return False
    return is_proposal_author(user, proposal)


def can_submit_proposal(user: Any, proposal: Proposal) -> bool:
    return proposal.status == ProposalStatus.DRAFT and is_proposal_author(
        user, proposal
    )


def can_withdraw_proposal(user: Any, proposal: Proposal) -> bool:
    return proposal.status in WITHDRAWABLE and is_proposal_author(user, proposal)


def can_transition_proposal(
    user: Any, proposal: Proposal, to_status: str | None = None
) -> bool:
    if not sp.is_coordinator(user, proposal.city_id):
        return False
    allowed = COORDINATOR_TRANSITIONS.get(proposal.status, set())
    return bool(allowed) if to_status is None else to_status in allowed


def can_manage_partners(user: Any, proposal: Proposal) -> bool:
    return not proposal.is_decided and is_proposal_author(user, proposal)


def can_answer_partnership(user: Any, organisation: Any) -> bool:
    """Only an admin of the invited organisation accepts or declines for it."""
    return sp.is_org_admin(user, organisation)


def can_manage_attachments(user: Any, proposal: Proposal) -> bool:
    return can_edit_proposal(user, proposal)
