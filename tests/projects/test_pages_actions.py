"""Submit, withdraw, coordinator transitions and the consortium, through the
pages: POST-redirect-GET with a message, refusals leave the database unchanged."""

from __future__ import annotations

import pytest
from django.test import Client

from projects.models import PartnerState, ProposalPartner, ProposalStatus
from stakeholders.models import MembershipRole, VerificationState
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    make_coordinator,
)
from tests.projects.factories import (
    DraftFactory,
    PartnerFactory,
    ProposalFactory,
    proposal_state,
    row_counts,
)

pytestmark = pytest.mark.django_db


def _messages(response: object) -> list[str]:
    return [str(m) for m in response.context["messages"]]  # type: ignore[attr-defined]


def test_author_submits_a_draft(client: Client) -> None:
    draft = DraftFactory()
    client.force_login(draft.author)
    response = client.post(f"/proposals/{draft.pk}/submit/", follow=True)
    draft.refresh_from_db()
    assert draft.status == ProposalStatus.SUBMITTED
    assert any("Submitted" in m for m in _messages(response))


def test_submit_needs_post_and_an_author(client: Client) -> None:
    draft = DraftFactory()
    client.force_login(draft.author)
    assert client.get(f"/proposals/{draft.pk}/submit/").status_code == 405
    public = ProposalFactory(status=ProposalStatus.SUBMITTED)
    client.force_login(UserFactory())
    before = proposal_state(public)
    assert client.post(f"/proposals/{public.pk}/submit/").status_code == 403
    assert proposal_state(public) == before


def test_submitting_twice_says_so(client: Client) -> None:
    proposal = ProposalFactory()
    client.force_login(proposal.author)
    response = client.post(f"/proposals/{proposal.pk}/submit/", follow=True)
    assert any("Only a draft can be submitted" in m for m in _messages(response))


def test_withdraw_asks_for_confirmation_then_withdraws(client: Client) -> None:
    proposal = ProposalFactory()
    client.force_login(proposal.author)
    page = client.get(f"/proposals/{proposal.pk}/withdraw/")
    assert page.status_code == 200
    assert "Withdraw this proposal?" in page.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    response = client.post(
        f"/proposals/{proposal.pk}/withdraw/", {"reason": "Merged with another"}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    detail = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Merged with another" in detail


def test_others_cannot_withdraw(client: Client) -> None:
    proposal = ProposalFactory()
    client.force_login(UserFactory())
    assert client.post(f"/proposals/{proposal.pk}/withdraw/").status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_coordinator_transition_with_public_answer(client: Client) -> None:
    proposal = ProposalFactory()
    coordinator = make_coordinator(proposal.city)
    client.force_login(coordinator)
    response = client.post(
        f"/proposals/{proposal.pk}/transition/",
        {"to_status": "accepted", "public_answer": "Funded in the 2027 budget."},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.public_answer == "Funded in the 2027 budget."
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "The city&#x27;s answer" in page or "The city's answer" in page
    assert "Funded in the 2027 budget." in page
    assert "Submitted → Accepted" in page


def test_decision_without_public_answer_is_refused_next_to_the_field(
    client: Client,
) -> None:
    proposal = ProposalFactory()
    client.force_login(make_coordinator(proposal.city))
    before = row_counts()
    response = client.post(
        f"/proposals/{proposal.pk}/transition/", {"to_status": "rejected"}
    )
    assert response.status_code == 400
    assert "Explain the decision in a public answer." in response.content.decode()
    assert row_counts() == before


def test_transition_not_allowed_from_the_current_status(client: Client) -> None:
    proposal = ProposalFactory(status=ProposalStatus.REJECTED)
    client.force_login(make_coordinator(proposal.city))
    before = proposal_state(proposal)
    response = client.post(
        f"/proposals/{proposal.pk}/transition/",
        {"to_status": "accepted", "public_answer": "Changed our mind"},
    )
    assert response.status_code == 400
    assert "cannot become Accepted" in response.content.decode()
    assert proposal_state(proposal) == before


def test_only_a_coordinator_of_this_city_transitions(client: Client) -> None:
    proposal = ProposalFactory()
    before = proposal_state(proposal)
    for person in (
        proposal.author,
        UserFactory(),
        make_coordinator(ProposalFactory().city),
        make_coordinator(proposal.city, two_factor=False),
    ):
        client.force_login(person)
        response = client.post(
            f"/proposals/{proposal.pk}/transition/",
            {"to_status": "under_review", "public_answer": ""},
        )
        assert response.status_code == 403
    assert proposal_state(proposal) == before


def test_author_invites_a_partner_and_sees_its_state(client: Client) -> None:
    proposal = ProposalFactory()
    utility = OrganisationFactory(
        name="City Power", verification_state=VerificationState.VERIFIED
    )
    client.force_login(proposal.author)
    page = client.get(f"/proposals/{proposal.pk}/partners/").content.decode()
    assert "City Power" in page
    response = client.post(
        f"/proposals/{proposal.pk}/partners/",
        {"organisation": utility.pk, "role": "operator", "contribution": "Runs it"},
        follow=True,
    )
    partner = ProposalPartner.objects.get(proposal=proposal)
    assert partner.state == PartnerState.INVITED and partner.role == "operator"
    assert "Invited" in response.content.decode()


def test_invite_refusals(client: Client) -> None:
    proposal = ProposalFactory()
    rejected = OrganisationFactory(verification_state=VerificationState.REJECTED)
    already = PartnerFactory(proposal=proposal).organisation
    client.force_login(proposal.author)
    before = row_counts()
    for data in (
        {"organisation": proposal.lead_organisation_id, "role": "partner"},
        {"organisation": already.pk, "role": "partner"},
        {"organisation": rejected.pk, "role": "partner"},
        {"organisation": 999999, "role": "partner"},
        {"organisation": OrganisationFactory().pk, "role": "landlord"},
        {
            "organisation": OrganisationFactory().pk,
            "role": "partner",
            "contribution": "<script>x</script>",
        },
    ):
        response = client.post(f"/proposals/{proposal.pk}/partners/", data)
        assert response.status_code == 400, data
        assert 'class="error-summary"' in response.content.decode()
    assert row_counts() == before


def test_non_author_cannot_manage_partners(client: Client) -> None:
    proposal = ProposalFactory()
    client.force_login(UserFactory())
    assert client.get(f"/proposals/{proposal.pk}/partners/").status_code == 403


def test_author_removes_a_partner(client: Client) -> None:
    proposal = ProposalFactory()
    partner = PartnerFactory(proposal=proposal, state=PartnerState.ACCEPTED)
    client.force_login(proposal.author)
    client.post(f"/proposals/{proposal.pk}/partners/", {"remove": partner.pk})
    assert not ProposalPartner.objects.filter(pk=partner.pk).exists()
    proposal.refresh_from_db()
    assert proposal.partner_count == 0


def test_partner_admin_accepts_and_the_partner_becomes_public(client: Client) -> None:
    proposal = ProposalFactory()
    partner = PartnerFactory(
        proposal=proposal, organisation=OrganisationFactory(name="Green Bank")
    )
    admin = UserFactory()
    MembershipFactory(
        user=admin, organisation=partner.organisation, role=MembershipRole.ADMIN
    )
    client.force_login(admin)
    url = f"/proposals/{proposal.pk}/partners/{partner.pk}/answer/"
    response = client.post(url, {"decision": "accept"})
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.state == PartnerState.ACCEPTED
    client.logout()
    assert "Green Bank" in client.get(f"/proposals/{proposal.pk}/").content.decode()


def test_partner_answer_refusals(client: Client) -> None:
    proposal = ProposalFactory()
    partner = PartnerFactory(proposal=proposal)
    member = UserFactory()
    MembershipFactory(user=member, organisation=partner.organisation)
    url = f"/proposals/{proposal.pk}/partners/{partner.pk}/answer/"
    client.force_login(member)
    assert client.post(url, {"decision": "accept"}).status_code == 403
    client.force_login(proposal.author)
    assert client.post(url, {"decision": "accept"}).status_code == 403
    other = ProposalFactory()
    assert (
        client.post(
            f"/proposals/{other.pk}/partners/{partner.pk}/answer/",
            {"decision": "accept"},
        ).status_code
        == 404
    )
    partner.refresh_from_db()
    assert partner.state == PartnerState.INVITED


def test_partner_admin_declines_a_draft_invitation(client: Client) -> None:
    draft = DraftFactory()
    partner = PartnerFactory(proposal=draft)
    admin = UserFactory()
    MembershipFactory(
        user=admin, organisation=partner.organisation, role=MembershipRole.OWNER
    )
    client.force_login(admin)
    response = client.post(
        f"/proposals/{draft.pk}/partners/{partner.pk}/answer/",
        {"decision": "decline"},
    )
    # Members of an invited organisation read the draft they are asked to join.
    assert response["Location"] == f"/proposals/{draft.pk}/"
    partner.refresh_from_db()
    assert partner.state == PartnerState.DECLINED
