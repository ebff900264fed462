"""The consortium through the API: invite, accept, decline, remove."""

from __future__ import annotations

from typing import Any

import pytest

from projects.models import PartnerState, Proposal, ProposalPartner
from stakeholders.models import Membership, MembershipRole, Notification
from tests.factories import OrganisationFactory, UserFactory
from tests.projects.factories import (
    DraftFactory,
    PartnerFactory,
    ProposalFactory,
    api_client,
    row_counts,
)

pytestmark = pytest.mark.django_db


def _url(proposal: Proposal, *rest: Any) -> str:
    tail = "".join(f"{part}/" for part in rest)
    return f"/api/v1/proposals/{proposal.pk}/partners/{tail}"


def _admin_of(organisation: Any) -> Any:
    admin = UserFactory()
    Membership.objects.create(
        user=admin, organisation=organisation, role=MembershipRole.ADMIN
    )
    return admin


def test_author_invites_and_only_the_author_sees_the_invitation(
    django_capture_on_commit_callbacks: Any,
) -> None:
    proposal = ProposalFactory()
    utility = OrganisationFactory(name="Lyon Energy Utility")
    admin = _admin_of(utility)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(proposal.author).post(
            _url(proposal),
            {"organisation": utility.pk, "role": "operator", "contribution": "Grid."},
            format="json",
        )
    assert response.status_code == 201, response.json()
    assert response.json()["state"] == "invited"
    assert response.json()["organisation"]["name"] == "Lyon Energy Utility"
    assert Notification.objects.filter(recipient=admin, kind="partner").count() == 1

    assert api_client().get(_url(proposal)).json() == []
    mine = api_client(proposal.author).get(_url(proposal)).json()
    assert [p["state"] for p in mine] == ["invited"]


def test_admin_of_the_invited_organisation_accepts() -> None:
    partner = PartnerFactory()
    admin = _admin_of(partner.organisation)
    response = api_client(admin).post(_url(partner.proposal, partner.pk, "accept"))
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "accepted"
    assert [p["id"] for p in api_client().get(_url(partner.proposal)).json()] == [
        partner.pk
    ]
    partner.proposal.refresh_from_db()
    assert partner.proposal.partner_count == 1

    again = api_client(admin).post(_url(partner.proposal, partner.pk, "decline"))
    assert again.status_code == 400
    assert "already answered" in again.json()["non_field_errors"][0]


def test_invited_admin_can_answer_on_a_draft_they_cannot_read() -> None:
    partner = PartnerFactory(proposal=DraftFactory())
    admin = _admin_of(partner.organisation)
    assert api_client(admin).get(f"/api/v1/proposals/{partner.proposal.pk}/")
    response = api_client(admin).post(_url(partner.proposal, partner.pk, "decline"))
    assert response.status_code == 200
    assert response.json()["state"] == "declined"


@pytest.mark.parametrize("who", ["member", "author", "stranger"])
def test_only_an_admin_of_the_invited_organisation_answers(who: str) -> None:
    partner = PartnerFactory()
    if who == "member":
        user = UserFactory()
        Membership.objects.create(user=user, organisation=partner.organisation)
    elif who == "author":
        user = partner.proposal.author
    else:
        user = UserFactory()
    counts = row_counts()
    response = api_client(user).post(_url(partner.proposal, partner.pk, "accept"))
    assert response.status_code == 403
    assert "admin of the invited organisation" in response.json()["detail"]
    assert row_counts() == counts
    partner.refresh_from_db()
    assert partner.state == PartnerState.INVITED


def test_answer_on_a_partner_of_another_proposal_is_404() -> None:
    partner = PartnerFactory()
    other = ProposalFactory()
    admin = _admin_of(partner.organisation)
    assert api_client(admin).post(_url(other, partner.pk, "accept")).status_code == 404


def _bad_invites(proposal: Proposal) -> list[tuple[dict[str, Any], str]]:
    listed = PartnerFactory(proposal=proposal)
    return [
        ({"organisation": 999999, "role": "partner"}, "organisation"),
        ({"organisation": listed.organisation_id, "role": "partner"}, "organisation"),
        (
            {"organisation": proposal.lead_organisation_id, "role": "partner"},
            "organisation",
        ),
        ({"organisation": OrganisationFactory().pk, "role": "sponsor"}, "role"),
        ({"organisation": "utility", "role": "partner"}, "organisation"),
        ({"role": "partner"}, "organisation"),
        (
            {
                "organisation": OrganisationFactory().pk,
                "role": "partner",
                "contribution": "x" * 1001,
            },
            "contribution",
        ),
    ]


def test_bad_invitations_are_field_errors_and_save_nothing() -> None:
    proposal = ProposalFactory()
    client = api_client(proposal.author)
    for body, field in _bad_invites(proposal):
        counts = row_counts()
        response = client.post(_url(proposal), body, format="json")
        assert response.status_code == 400, (body, response.json())
        assert field in response.json(), (body, response.json())
        assert row_counts() == counts


def test_someone_else_cannot_invite() -> None:
    proposal = ProposalFactory()
    counts = row_counts()
    response = api_client(UserFactory()).post(
        _url(proposal),
        {"organisation": OrganisationFactory().pk, "role": "partner"},
        format="json",
    )
    assert response.status_code == 403
    assert row_counts() == counts
    assert api_client().post(_url(proposal), {}, format="json").status_code == 401


def test_author_removes_a_partner() -> None:
    partner = PartnerFactory(state=PartnerState.ACCEPTED)
    proposal = partner.proposal
    stranger = api_client(UserFactory()).delete(_url(proposal, partner.pk))
    assert stranger.status_code == 403
    assert ProposalPartner.objects.filter(pk=partner.pk).exists()

    response = api_client(proposal.author).delete(_url(proposal, partner.pk))
    assert response.status_code == 204
    assert not ProposalPartner.objects.filter(pk=partner.pk).exists()
    proposal.refresh_from_db()
    assert proposal.partner_count == 0
    assert api_client(proposal.author).delete(_url(proposal, 999999)).status_code == 404
