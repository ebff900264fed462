"""The consortium through the services: invite, answer, remove; a partner is public
only after an admin of its organisation accepts; partner_count follows."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects import selectors
from projects.models import PartnerState, ProposalEventKind, ProposalStatus
from projects.services import proposals as services
from stakeholders.models import Membership, MembershipRole, Notification
from tests.factories import OrganisationFactory, UserFactory
from tests.projects.factories import (
    PartnerFactory,
    ProposalFactory,
    row_counts,
)

pytestmark = pytest.mark.django_db


def _with(organisation: Any, role: str) -> Any:
    user = UserFactory()
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def test_invite_records_an_event_and_notifies_the_admins_only(
    django_capture_on_commit_callbacks: Any,
) -> None:
    proposal = ProposalFactory()
    utility = OrganisationFactory()
    admin = _with(utility, MembershipRole.ADMIN)
    member = _with(utility, MembershipRole.MEMBER)
    with django_capture_on_commit_callbacks(execute=True):
        partner = services.partner_invite(
            actor=proposal.author,
            proposal=proposal,
            organisation=utility,
            role="operator",
            contribution="  Runs the grid.  ",
        )
    assert partner.state == PartnerState.INVITED
    assert partner.contribution == "Runs the grid."
    assert proposal.events.filter(kind=ProposalEventKind.PARTNER_INVITED).count() == 1
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [
        admin.pk
    ]
    assert member.pk not in Notification.objects.values_list("recipient_id", flat=True)
    proposal.refresh_from_db()
    assert proposal.partner_count == 0
    assert selectors.public_partners(proposal) == []


def test_accept_makes_the_partner_public_and_counts_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    partner = PartnerFactory()
    admin = _with(partner.organisation, MembershipRole.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        services.partner_answer(actor=admin, partner=partner, accept=True)
    proposal = partner.proposal
    proposal.refresh_from_db()
    assert proposal.partner_count == 1
    assert [p.pk for p in selectors.public_partners(proposal)] == [partner.pk]
    assert proposal.events.filter(kind=ProposalEventKind.PARTNER_ACCEPTED).exists()
    notified = set(Notification.objects.values_list("recipient_id", flat=True))
    assert proposal.author_id in notified
    assert admin.pk not in notified


def test_decline_keeps_the_partner_private() -> None:
    partner = PartnerFactory()
    admin = _with(partner.organisation, MembershipRole.OWNER)
    services.partner_answer(actor=admin, partner=partner, accept=False)
    partner.refresh_from_db()
    assert partner.state == PartnerState.DECLINED
    assert partner.proposal.partner_count == 0
    assert selectors.public_partners(partner.proposal) == []
    with pytest.raises(ValidationError):
        services.partner_answer(actor=admin, partner=partner, accept=True)


@pytest.mark.parametrize("who", ["member", "proposal_author", "stranger"])
def test_only_admins_of_the_invited_organisation_answer(who: str) -> None:
    partner = PartnerFactory()
    actor = {
        "member": lambda: _with(partner.organisation, MembershipRole.MEMBER),
        "proposal_author": lambda: partner.proposal.author,
        "stranger": UserFactory,
    }[who]()
    counts = row_counts()
    with pytest.raises(PermissionDenied):
        services.partner_answer(actor=actor, partner=partner, accept=True)
    assert row_counts() == counts
    partner.refresh_from_db()
    assert partner.state == PartnerState.INVITED


def test_no_answer_once_the_proposal_is_closed() -> None:
    partner = PartnerFactory(proposal=ProposalFactory(status=ProposalStatus.REJECTED))
    admin = _with(partner.organisation, MembershipRole.ADMIN)
    with pytest.raises(ValidationError):
        services.partner_answer(actor=admin, partner=partner, accept=True)


def test_refused_invitations_save_nothing() -> None:
    proposal = ProposalFactory()
    listed = PartnerFactory(proposal=proposal)
    cases: list[tuple[Any, dict[str, Any], type]] = [
        (proposal.author, {"organisation": listed.organisation}, ValidationError),
        (
            proposal.author,
            {"organisation": proposal.lead_organisation},
            ValidationError,
        ),
        (proposal.author, {"role": "sponsor"}, ValidationError),
        (proposal.author, {"contribution": "<script>x</script>"}, ValidationError),
        (UserFactory(), {}, PermissionDenied),
    ]
    for actor, overrides, error in cases:
        kwargs: dict[str, Any] = {
            "actor": actor,
            "proposal": proposal,
            "organisation": OrganisationFactory(),
            "role": "financer",
        } | overrides
        counts = row_counts()
        with pytest.raises(error):
            services.partner_invite(**kwargs)
        assert row_counts() == counts, overrides


def test_remove_recounts_accepted_partners() -> None:
    proposal = ProposalFactory()
    first = PartnerFactory(proposal=proposal, state=PartnerState.ACCEPTED)
    PartnerFactory(proposal=proposal, state=PartnerState.ACCEPTED)
    proposal.refresh_from_db()
    assert proposal.partner_count == 2
    with pytest.raises(PermissionDenied):
        services.partner_remove(actor=UserFactory(), partner=first)
    services.partner_remove(actor=proposal.author, partner=first)
    proposal.refresh_from_db()
    assert proposal.partner_count == 1
