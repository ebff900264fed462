"""Who may do what with a proposal through the API: one table of (role, action,
expected status).

The proposal is submitted (public) unless the action works on a draft; it is led by
an organisation with a member and an admin (both count as its authors), and has one
invited partner organisation with an admin. Coordinators, moderators and staff have
two-factor authentication set up, as their powers require.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from projects.models import Proposal, ProposalPartner, ProposalStatus
from stakeholders.models import (
    Membership,
    MembershipRole,
    User,
)
from tests.factories import (
    CityFactory,
    OrganisationFactory,
    UserFactory,
    make_coordinator,
    role_users,
)
from tests.projects.factories import (
    PartnerFactory,
    ProposalFactory,
    api_client,
    pdf_bytes,
    proposal_payload,
    upload,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "resident",
    "org_member",
    "org_admin",
    "partner_admin",
    "unverified_official",
    "official",
    "coordinator",
    "coordinator_elsewhere",
    "moderator",
    "staff",
]

# Expected status per action, in the order of ROLES.
#                         anon res  mem  adm  padm uoff off  coord celse mod  staff
MATRIX: dict[str, list[int]] = {
    "list": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "retrieve": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "retrieve_draft": [404, 404, 200, 200, 404, 404, 404, 404, 404, 404, 200],
    "create": [401, 400, 201, 201, 400, 400, 400, 400, 400, 400, 400],
    "update": [401, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403],
    "submit_draft": [401, 404, 200, 200, 404, 404, 404, 404, 404, 404, 403],
    "withdraw": [401, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403],
    "transition": [401, 403, 403, 403, 403, 403, 403, 200, 403, 403, 200],
    "invite_partner": [401, 403, 201, 201, 403, 403, 403, 403, 403, 403, 403],
    "accept_partner": [401, 403, 403, 403, 200, 403, 403, 403, 403, 403, 403],
    "remove_partner": [401, 403, 204, 204, 403, 403, 403, 403, 403, 403, 403],
    "upload_attachment": [401, 403, 201, 201, 403, 403, 403, 403, 403, 403, 403],
    "revisions": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "similar": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
}


@dataclass
class World:
    proposal: Proposal
    draft: Proposal
    partner: ProposalPartner
    users: dict[str, User | None]


def _world() -> World:
    city = CityFactory(slug="lyon")
    author = UserFactory()
    lead = OrganisationFactory(owner=author)
    proposal = ProposalFactory(city=city, author=author, lead_organisation=lead)
    draft = ProposalFactory(
        city=city,
        author=author,
        lead_organisation=lead,
        status=ProposalStatus.DRAFT,
    )
    partner = PartnerFactory(proposal=proposal)

    users = role_users(city, lead, other_city_slug="nantes")
    partner_admin = UserFactory()
    Membership.objects.create(
        user=partner_admin, organisation=partner.organisation, role=MembershipRole.ADMIN
    )
    users["partner_admin"] = partner_admin
    return World(proposal=proposal, draft=draft, partner=partner, users=users)


def _act(action: str, world: World, client: Any) -> Any:
    p, base = world.proposal, f"/api/v1/proposals/{world.proposal.pk}/"
    if action == "list":
        return client.get("/api/v1/proposals/")
    if action == "retrieve":
        return client.get(base)
    if action == "retrieve_draft":
        return client.get(f"/api/v1/proposals/{world.draft.pk}/")
    if action == "create":
        return client.post(
            "/api/v1/proposals/",
            proposal_payload(p.city, p.lead_organisation),
            format="json",
        )
    if action == "update":
        return client.patch(base, {"summary": "Shorter summary."}, format="json")
    if action == "submit_draft":
        return client.post(f"/api/v1/proposals/{world.draft.pk}/submit/")
    if action == "withdraw":
        return client.post(f"{base}withdraw/", {"reason": "x"}, format="json")
    if action == "transition":
        return client.post(
            f"{base}transition/", {"to_status": "under_review"}, format="json"
        )
    if action == "invite_partner":
        return client.post(
            f"{base}partners/",
            {"organisation": OrganisationFactory().pk, "role": "financer"},
            format="json",
        )
    if action == "accept_partner":
        return client.post(f"{base}partners/{world.partner.pk}/accept/")
    if action == "remove_partner":
        return client.delete(f"{base}partners/{world.partner.pk}/")
    if action == "upload_attachment":
        return client.post(
            f"{base}attachments/",
            {"file": upload("plan.pdf", pdf_bytes())},
            format="multipart",
        )
    if action == "revisions":
        return client.get(f"{base}revisions/")
    if action == "similar":
        return client.get(f"{base}similar/")
    raise AssertionError(action)


CASES = [
    pytest.param(role, action, expected, id=f"{action}-{role}")
    for action, statuses in MATRIX.items()
    for role, expected in zip(ROLES, statuses, strict=True)
]


@pytest.mark.parametrize(("role", "action", "expected"), CASES)
def test_permission_matrix(role: str, action: str, expected: int) -> None:
    world = _world()
    response = _act(action, world, api_client(world.users[role]))
    assert response.status_code == expected, response.content[:300]
    if expected == 403:
        assert response.json()["detail"]


def test_coordinator_without_two_factor_cannot_transition() -> None:
    world = _world()
    coordinator = make_coordinator(world.proposal.city, two_factor=False)
    response = _act("transition", world, api_client(coordinator))
    assert response.status_code == 403
    world.proposal.refresh_from_db()
    assert world.proposal.status == ProposalStatus.SUBMITTED
