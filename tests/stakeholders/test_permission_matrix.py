"""The permission table of docs/permissions.md, checked against the API.

One row per (role, action, expected answer). Coordinators, moderators and staff have
two-factor authentication set up; two extra roles without it show that their powers
need it. The last test reads docs/permissions.md and checks that the document says
the same thing as this table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from stakeholders.models import (
    CityRole,
    CityRoleKind,
    Membership,
    MembershipRole,
    Organisation,
    User,
    VerificationState,
)
from stakeholders.services import invitation_token
from tests.factories import (
    CityFactory,
    CityRoleFactory,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    give_totp,
    make_coordinator,
    make_staff,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "resident",
    "member",
    "org_admin",
    "unverified_official",
    "official",
    "coordinator",
    "other_coordinator",
    "moderator",
    "staff",
    # Not columns of the document: its note on two-factor authentication.
    "coordinator_without_2fa",
    "staff_without_2fa",
]

A, U, F = 200, 401, 403  # allowed (GET/PATCH/POST), not signed in, forbidden
C, D, N = 201, 204, 404  # created, deleted, not found

# role order:               anon res mem adm uoff off coord ocoord mod staff c-2fa s-2fa
MATRIX: dict[str, tuple[Any, ...]] = {
    "view_directory":        (A, A, A, A, A, A, A, A, A, A, A, A),
    "view_organisation":     (A, A, A, A, A, A, A, A, A, A, A, A),
    "view_members":          (A, A, A, A, A, A, A, A, A, A, A, A),
    "create_organisation":   (U, C, C, C, C, C, C, C, C, C, C, C),
    "edit_organisation":     (U, F, F, A, F, F, F, F, F, A, F, F),
    "invite_member":         (U, F, F, C, F, F, F, F, F, C, F, F),
    "list_invitations":      (U, F, F, A, F, F, F, F, F, A, F, F),
    "revoke_invitation":     (U, F, F, D, F, F, F, F, F, D, F, F),
    "change_role":           (U, F, F, A, F, F, F, F, F, A, F, F),
    "remove_member":         (U, F, F, D, F, F, F, F, F, D, F, F),
    "leave_organisation":    (U, N, D, D, N, N, N, N, N, N, N, N),
    "accept_invitation":     (U, C, C, C, C, C, C, C, C, C, C, C),
    "verify_organisation":   (U, F, F, F, F, F, A, F, F, A, F, F),
    "verify_official":       (U, F, F, F, F, F, A, F, F, A, F, F),
    "grant_coordinator":     (U, F, F, F, F, F, F, F, F, A, F, F),
    "see_member_emails":     ("hidden",) * 3 + ("shown",) + ("hidden",) * 5
    + ("shown", "hidden", "hidden"),
    "export_own_data":       (U, A, A, A, A, A, A, A, A, A, A, A),
    "delete_own_account":    (U, D, D, D, D, D, D, D, D, D, D, D),
    "see_verification_queue": (U, F, F, F, F, F, A, A, F, A, F, F),
}  # fmt: skip

CASES = [
    pytest.param(role, action, expected, id=f"{action}-{role}")
    for action, row in MATRIX.items()
    for role, expected in zip(ROLES, row, strict=True)
]


@dataclass
class World:
    city: Any
    org: Organisation
    other_org: Organisation
    target: Membership
    victim: Membership
    official_request: CityRole
    coordinator_request: CityRole


def build_world() -> World:
    city = CityFactory()
    org = OrganisationFactory(
        cities=[city],
        owner=UserFactory(email="owner@example.org"),
        verification_state=VerificationState.PENDING,
    )
    return World(
        city=city,
        org=org,
        other_org=OrganisationFactory(owner=UserFactory()),
        target=MembershipFactory(organisation=org, user=UserFactory()),
        victim=MembershipFactory(organisation=org, user=UserFactory()),
        official_request=CityRoleFactory(
            city=city, state=VerificationState.PENDING, decided_at=None
        ),
        coordinator_request=CityRoleFactory(
            city=city,
            role=CityRoleKind.COORDINATOR,
            state=VerificationState.PENDING,
            decided_at=None,
        ),
    )


def build_role(role: str, world: World) -> User | None:
    def member(kind: str) -> User:
        user = UserFactory()
        MembershipFactory(organisation=world.org, user=user, role=kind)
        return user

    def city_role(kind: str, state: str, two_factor: bool) -> User:
        user = UserFactory(kind="city_official")
        CityRoleFactory(user=user, city=world.city, role=kind, state=state)
        if two_factor:
            give_totp(user)
        return user

    builders: dict[str, Callable[[], User | None]] = {
        "anonymous": lambda: None,
        "resident": lambda: UserFactory(),
        "member": lambda: member(MembershipRole.MEMBER),
        "org_admin": lambda: member(MembershipRole.ADMIN),
        "unverified_official": lambda: city_role(
            CityRoleKind.OFFICIAL, VerificationState.PENDING, False
        ),
        "official": lambda: city_role(
            CityRoleKind.OFFICIAL, VerificationState.VERIFIED, False
        ),
        "coordinator": lambda: make_coordinator(world.city),
        "other_coordinator": lambda: make_coordinator(CityFactory()),
        "moderator": lambda: city_role(
            CityRoleKind.MODERATOR, VerificationState.VERIFIED, True
        ),
        "staff": lambda: make_staff(),
        "coordinator_without_2fa": lambda: make_coordinator(
            world.city, two_factor=False
        ),
        "staff_without_2fa": lambda: make_staff(two_factor=False),
    }
    return builders[role]()


def perform(action: str, client: APIClient, user: User | None, world: World) -> Any:
    org = f"/api/v1/organisations/{world.org.pk}"
    if action == "view_directory":
        return client.get("/api/v1/organisations/").status_code
    if action == "view_organisation":
        return client.get(f"{org}/").status_code
    if action == "view_members":
        return client.get(f"{org}/members/").status_code
    if action == "create_organisation":
        body = {"name": "New Ventures", "kind": "startup"}
        return client.post("/api/v1/organisations/", body).status_code
    if action == "edit_organisation":
        return client.patch(f"{org}/", {"description": "Edited."}).status_code
    if action == "invite_member":
        body = {"email": "newcomer@example.org"}
        return client.post(f"{org}/invitations/", body).status_code
    if action == "list_invitations":
        return client.get(f"{org}/invitations/").status_code
    if action == "revoke_invitation":
        invitation = InvitationFactory(organisation=world.org)
        return client.delete(f"{org}/invitations/{invitation.pk}/").status_code
    if action == "change_role":
        body = {"role": "admin"}
        return client.patch(f"{org}/members/{world.target.pk}/", body).status_code
    if action == "remove_member":
        return client.delete(f"{org}/members/{world.victim.pk}/").status_code
    if action == "leave_organisation":
        own = Membership.objects.filter(organisation=world.org, user=user).first()
        return client.delete(f"{org}/members/{own.pk if own else 0}/").status_code
    if action == "accept_invitation":
        invitation = InvitationFactory(
            organisation=world.other_org,
            email=user.email if user else "nobody@example.org",
        )
        body = {"token": invitation_token(invitation)}
        return client.post("/api/v1/invitations/accept/", body).status_code
    if action == "verify_organisation":
        body = {"decision": "verified"}
        return client.post(f"{org}/verify/", body).status_code
    if action == "verify_official":
        url = f"/api/v1/city-roles/{world.official_request.pk}/decide/"
        return client.post(url, {"decision": "verified"}).status_code
    if action == "grant_coordinator":
        url = f"/api/v1/city-roles/{world.coordinator_request.pk}/decide/"
        return client.post(url, {"decision": "verified"}).status_code
    if action == "see_member_emails":
        rows = client.get(f"{org}/members/").json()["results"]
        return "shown" if any(r["email"] for r in rows) else "hidden"
    if action == "export_own_data":
        return client.get("/api/v1/me/export/").status_code
    if action == "delete_own_account":
        return client.delete("/api/v1/me/").status_code
    if action == "see_verification_queue":
        return client.get("/api/v1/city-roles/").status_code
    raise AssertionError(f"unknown action {action}")


@pytest.mark.parametrize("role, action, expected", CASES)
def test_permission_matrix(role: str, action: str, expected: Any) -> None:
    world = build_world()
    user = build_role(role, world)
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    assert perform(action, client, user, world) == expected


# --- The document says the same -------------------------------------------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
DOC_COLUMNS = ROLES[:10]
DOC_ROWS = {
    "View the organisation directory, an organisation and its members": [
        "view_directory",
        "view_organisation",
        "view_members",
    ],
    "Create an organisation": ["create_organisation"],
    "Edit an organisation": ["edit_organisation"],
    "Invite members, list and revoke invitations": [
        "invite_member",
        "list_invitations",
        "revoke_invitation",
    ],
    "Change a member's role, remove a member": ["change_role", "remove_member"],
    "Leave an organisation": ["leave_organisation"],
    "Accept an invitation": ["accept_invitation"],
    "Verify or reject an organisation": ["verify_organisation"],
    "Verify or reject an official or moderator": ["verify_official"],
    "Grant the coordinator role": ["grant_coordinator"],
    "See members' e-mail addresses": ["see_member_emails"],
    "Export own data": ["export_own_data"],
    "Delete own account": ["delete_own_account"],
    "See the verification queue": ["see_verification_queue"],
}


def _doc_table() -> dict[str, list[bool]]:
    rows: dict[str, list[bool]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 11 or cells[0] in ("Action", "---"):
            continue
        rows[cells[0]] = [c.startswith("yes") for c in cells[1:]]
    return rows


def _allowed(outcome: Any) -> bool:
    return outcome == "shown" or (isinstance(outcome, int) and outcome < 300)


def test_document_and_matrix_agree() -> None:
    table = _doc_table()
    assert set(table) == set(DOC_ROWS)
    assert set(MATRIX) == {a for actions in DOC_ROWS.values() for a in actions}
    for label, actions in DOC_ROWS.items():
        for action in actions:
            from_matrix = [_allowed(x) for x in MATRIX[action][: len(DOC_COLUMNS)]]
            assert table[label] == from_matrix, (label, action)
