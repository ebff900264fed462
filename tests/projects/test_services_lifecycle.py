"""Life cycle through the services: submit, withdraw, coordinator transitions;
events, revisions, audit and notifications (the audience, never the actor)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects.models import ProposalEventKind, ProposalStatus
from projects.services import proposals as services
from stakeholders.models import AuditEvent, Membership, MembershipRole, Notification
from tests.factories import CityFactory, UserFactory, make_coordinator
from tests.projects.factories import (
    DraftFactory,
    PartnerFactory,
    ProposalFactory,
    proposal_state,
    row_counts,
)

pytestmark = pytest.mark.django_db


def _colleague(proposal: Any) -> Any:
    user = UserFactory()
    Membership.objects.create(
        user=user, organisation=proposal.lead_organisation, role=MembershipRole.MEMBER
    )
    return user


def test_submit_records_revision_event_and_notifies_colleagues_not_the_actor(
    django_capture_on_commit_callbacks: Any,
) -> None:
    draft = DraftFactory()
    colleague = _colleague(draft)
    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.proposal_submit(actor=draft.author, proposal=draft)
    assert submitted.status == ProposalStatus.SUBMITTED
    assert submitted.submitted_at is not None
    revision = submitted.revisions.get()
    assert revision.number == 1
    assert revision.snapshot["sectors"] == ["energy", "housing"]
    event = submitted.events.get(kind=ProposalEventKind.STATUS)
    assert (event.from_status, event.to_status) == ("draft", "submitted")
    assert Notification.objects.filter(recipient=colleague, kind="status").count() == 1
    assert not Notification.objects.filter(recipient=draft.author).exists()


def test_submit_twice_is_refused() -> None:
    proposal = ProposalFactory()
    before, counts = proposal_state(proposal), row_counts()
    with pytest.raises(ValidationError):
        services.proposal_submit(actor=proposal.author, proposal=proposal)
    assert proposal_state(proposal) == before
    assert row_counts() == counts


def test_a_stranger_cannot_submit() -> None:
    draft = DraftFactory()
    with pytest.raises(PermissionDenied):
        services.proposal_submit(actor=UserFactory(), proposal=draft)
    draft.refresh_from_db()
    assert draft.status == ProposalStatus.DRAFT


def test_withdraw_keeps_the_reason_in_the_timeline(
    django_capture_on_commit_callbacks: Any,
) -> None:
    proposal = ProposalFactory(status=ProposalStatus.SHORTLISTED)
    colleague = _colleague(proposal)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_withdraw(
            actor=proposal.author, proposal=proposal, reason="  Joined forces.  "
        )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert proposal.decided_at is not None
    event = proposal.events.get(kind=ProposalEventKind.STATUS)
    assert (event.to_status, event.message) == ("withdrawn", "Joined forces.")
    assert Notification.objects.filter(recipient=colleague).count() == 1


@pytest.mark.parametrize(
    "status",
    [ProposalStatus.ACCEPTED, ProposalStatus.REJECTED, ProposalStatus.WITHDRAWN],
)
def test_a_decided_proposal_cannot_be_withdrawn(status: str) -> None:
    proposal = ProposalFactory(status=status)
    before = proposal_state(proposal)
    with pytest.raises(ValidationError):
        services.proposal_withdraw(actor=proposal.author, proposal=proposal)
    assert proposal_state(proposal) == before


def test_coordinator_transition_is_recorded_audited_and_notified(
    django_capture_on_commit_callbacks: Any,
) -> None:
    proposal = ProposalFactory()
    partner = PartnerFactory(proposal=proposal, state="accepted")
    partner_admin = UserFactory()
    Membership.objects.create(
        user=partner_admin, organisation=partner.organisation, role=MembershipRole.ADMIN
    )
    coordinator = make_coordinator(proposal.city)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_transition(
            actor=coordinator,
            proposal=proposal,
            to_status=ProposalStatus.REJECTED,
            public_answer="Outside the city's competence.",
        )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert proposal.public_answer == "Outside the city's competence."
    assert proposal.decided_at is not None
    event = proposal.events.get(kind=ProposalEventKind.STATUS)
    assert (event.actor, event.from_status, event.to_status) == (
        coordinator,
        "submitted",
        "rejected",
    )
    audit = AuditEvent.objects.get(action="proposal.rejected")
    assert audit.reason == "Outside the city's competence."
    notified = set(Notification.objects.values_list("recipient_id", flat=True))
    assert notified == {proposal.author_id, partner_admin.pk}


@pytest.mark.parametrize(
    ("status", "to_status", "answer", "field"),
    [
        (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED, "", "to_status"),
        (ProposalStatus.DRAFT, ProposalStatus.ACCEPTED, "Yes", "to_status"),
        (ProposalStatus.ACCEPTED, ProposalStatus.REJECTED, "No", "to_status"),
        (ProposalStatus.SUBMITTED, ProposalStatus.WITHDRAWN, "", "to_status"),
        (ProposalStatus.SUBMITTED, "funded", "", "to_status"),
        (ProposalStatus.UNDER_REVIEW, ProposalStatus.ACCEPTED, "  ", "public_answer"),
    ],
)
def test_transitions_not_allowed_change_nothing(
    status: str, to_status: str, answer: str, field: str
) -> None:
    proposal = ProposalFactory(status=status)
    coordinator = make_coordinator(proposal.city)
    before, counts = proposal_state(proposal), row_counts()
    with pytest.raises(ValidationError) as caught:
        services.proposal_transition(
            actor=coordinator,
            proposal=proposal,
            to_status=to_status,
            public_answer=answer,
        )
    assert field in caught.value.message_dict
    assert proposal_state(proposal) == before
    assert row_counts() == counts


@pytest.mark.parametrize("who", ["author", "elsewhere", "no_2fa"])
def test_only_a_coordinator_of_the_city_with_2fa_transitions(who: str) -> None:
    proposal = ProposalFactory()
    actor = {
        "author": lambda: proposal.author,
        "elsewhere": lambda: make_coordinator(CityFactory()),
        "no_2fa": lambda: make_coordinator(proposal.city, two_factor=False),
    }[who]()
    before = proposal_state(proposal)
    with pytest.raises(PermissionDenied):
        services.proposal_transition(
            actor=actor, proposal=proposal, to_status=ProposalStatus.UNDER_REVIEW
        )
    assert proposal_state(proposal) == before
