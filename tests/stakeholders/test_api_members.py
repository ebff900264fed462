"""/api/v1/organisations/{id}/members/ and invitations, /api/v1/invitations/accept/."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from stakeholders.models import (
    Invitation,
    Membership,
    MembershipRole,
    User,
    VerificationState,
)
from stakeholders.services import invitation_token
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    make_staff,
)

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def members_url(org: Any, member: Any = None) -> str:
    base = f"/api/v1/organisations/{org.pk}/members/"
    return f"{base}{member.pk}/" if member else base


def invitations_url(org: Any, invitation: Any = None) -> str:
    base = f"/api/v1/organisations/{org.pk}/invitations/"
    return f"{base}{invitation.pk}/" if invitation else base


@pytest.fixture
def org_team() -> dict[str, Any]:
    owner = UserFactory(email="owner@example.org", display_name="Olga")
    org = OrganisationFactory(owner=owner)
    admin = MembershipFactory(
        organisation=org,
        role=MembershipRole.ADMIN,
        user=UserFactory(email="admin@example.org"),
    )
    member = MembershipFactory(
        organisation=org, user=UserFactory(email="member@example.org")
    )
    return {
        "org": org,
        "owner": owner,
        "owner_membership": Membership.objects.get(user=owner, organisation=org),
        "admin": admin.user,
        "admin_membership": admin,
        "member": member.user,
        "member_membership": member,
    }


def counts() -> tuple[int, int]:
    return Membership.objects.count(), Invitation.objects.count()


class TestMemberList:
    def test_public_names_roles_and_no_emails_for_outsiders(
        self, org_team: dict[str, Any]
    ) -> None:
        response = APIClient().get(members_url(org_team["org"]))
        assert response.status_code == 200
        rows = response.json()["results"]
        assert [r["role"] for r in rows] == ["owner", "admin", "member"]
        assert rows[0]["name"] == "Olga"
        assert all(r["email"] is None for r in rows)
        assert "@" not in json.dumps(response.json())

    @pytest.mark.parametrize("who", ["member", None])
    def test_members_and_outsiders_never_see_emails(
        self, org_team: dict[str, Any], who: str | None
    ) -> None:
        viewer = org_team[who] if who else UserFactory()
        response = signed_in(viewer).get(members_url(org_team["org"]))
        assert "@" not in json.dumps(response.json())

    @pytest.mark.parametrize("who", ["owner", "admin"])
    def test_admins_see_emails(self, org_team: dict[str, Any], who: str) -> None:
        response = signed_in(org_team[who]).get(members_url(org_team["org"]))
        emails = [r["email"] for r in response.json()["results"]]
        assert emails == [
            "owner@example.org",
            "admin@example.org",
            "member@example.org",
        ]

    def test_staff_without_two_factor_does_not_see_emails(
        self, org_team: dict[str, Any]
    ) -> None:
        response = signed_in(make_staff(two_factor=False)).get(
            members_url(org_team["org"])
        )
        assert "@example.org" not in json.dumps(response.json())

    def test_rejected_organisation_is_404_for_outsiders(self) -> None:
        org = OrganisationFactory(
            owner=UserFactory(), verification_state=VerificationState.REJECTED
        )
        assert APIClient().get(members_url(org)).status_code == 404
        assert (
            APIClient().get("/api/v1/organisations/999999/members/").status_code == 404
        )

    def test_query_count_does_not_grow_with_members(self) -> None:
        owner = UserFactory()
        org = OrganisationFactory(owner=owner)

        def measure() -> tuple[int, int]:
            # A fresh user object per request, as in production: permission
            # answers are cached on it.
            client = signed_in(User.objects.get(pk=owner.pk))
            with CaptureQueriesContext(connection) as queries:
                response = client.get(members_url(org))
            assert response.status_code == 200
            return len(queries), response.json()["count"]

        MembershipFactory(organisation=org)
        few, rows = measure()
        assert rows == 2
        for _ in range(18):
            MembershipFactory(organisation=org)
        many, rows = measure()
        assert rows == 20
        assert few == many


class TestMemberChanges:
    def test_admin_changes_a_role(self, org_team: dict[str, Any]) -> None:
        target = org_team["member_membership"]
        response = signed_in(org_team["admin"]).patch(
            members_url(org_team["org"], target), {"role": "admin"}
        )
        assert response.status_code == 200, response.json()
        assert response.json()["role"] == "admin"
        target.refresh_from_db()
        assert target.role == MembershipRole.ADMIN

    def test_member_cannot_change_roles(self, org_team: dict[str, Any]) -> None:
        target = org_team["admin_membership"]
        response = signed_in(org_team["member"]).patch(
            members_url(org_team["org"], target), {"role": "member"}
        )
        assert response.status_code == 403
        target.refresh_from_db()
        assert target.role == MembershipRole.ADMIN

    def test_admin_cannot_make_owners(self, org_team: dict[str, Any]) -> None:
        target = org_team["member_membership"]
        response = signed_in(org_team["admin"]).patch(
            members_url(org_team["org"], target), {"role": "owner"}
        )
        assert response.status_code == 403
        target.refresh_from_db()
        assert target.role == MembershipRole.MEMBER

    def test_last_owner_cannot_step_down(self, org_team: dict[str, Any]) -> None:
        target = org_team["owner_membership"]
        response = signed_in(org_team["owner"]).patch(
            members_url(org_team["org"], target), {"role": "member"}
        )
        assert response.status_code == 400
        assert response.json()["non_field_errors"]
        target.refresh_from_db()
        assert target.role == MembershipRole.OWNER

    def test_bad_role_is_a_field_error(self, org_team: dict[str, Any]) -> None:
        response = signed_in(org_team["owner"]).patch(
            members_url(org_team["org"], org_team["member_membership"]),
            {"role": "emperor"},
        )
        assert response.status_code == 400
        assert "role" in response.json()

    def test_admin_removes_a_member(self, org_team: dict[str, Any]) -> None:
        target = org_team["member_membership"]
        response = signed_in(org_team["admin"]).delete(
            members_url(org_team["org"], target)
        )
        assert response.status_code == 204
        assert not Membership.objects.filter(pk=target.pk).exists()

    def test_member_can_leave_but_not_remove_others(
        self, org_team: dict[str, Any]
    ) -> None:
        client = signed_in(org_team["member"])
        before = counts()
        refused = client.delete(
            members_url(org_team["org"], org_team["admin_membership"])
        )
        assert refused.status_code == 403
        assert counts() == before
        left = client.delete(
            members_url(org_team["org"], org_team["member_membership"])
        )
        assert left.status_code == 204
        assert not Membership.objects.filter(
            pk=org_team["member_membership"].pk
        ).exists()

    def test_last_owner_cannot_be_removed(self, org_team: dict[str, Any]) -> None:
        before = counts()
        response = signed_in(org_team["owner"]).delete(
            members_url(org_team["org"], org_team["owner_membership"])
        )
        assert response.status_code == 400
        assert "owner" in response.json()["non_field_errors"][0]
        assert counts() == before

    def test_membership_of_another_organisation_is_404(
        self, org_team: dict[str, Any]
    ) -> None:
        elsewhere = MembershipFactory()
        before = counts()
        response = signed_in(org_team["owner"]).delete(
            members_url(org_team["org"], elsewhere)
        )
        assert response.status_code == 404
        assert counts() == before

    def test_anonymous_gets_401(self, org_team: dict[str, Any]) -> None:
        response = APIClient().delete(
            members_url(org_team["org"], org_team["member_membership"])
        )
        assert response.status_code == 401


class TestInvitations:
    def test_admin_invites_lists_and_revokes(self, org_team: dict[str, Any]) -> None:
        client = signed_in(org_team["admin"])
        response = client.post(
            invitations_url(org_team["org"]), {"email": "New@Example.org"}
        )
        assert response.status_code == 201, response.json()
        assert response.json()["email"] == "new@example.org"
        assert response.json()["status"] == "open"
        assert "token" not in response.json()
        listing = client.get(invitations_url(org_team["org"])).json()
        assert [i["email"] for i in listing["results"]] == ["new@example.org"]

        invitation = Invitation.objects.get()
        assert (
            client.delete(invitations_url(org_team["org"], invitation)).status_code
            == 204
        )
        invitation.refresh_from_db()
        assert invitation.revoked_at is not None
        assert client.get(invitations_url(org_team["org"])).json()["count"] == 0

    @pytest.mark.parametrize("who", ["member", "outsider", "anonymous"])
    def test_non_admins_cannot_list_or_invite(
        self, org_team: dict[str, Any], who: str
    ) -> None:
        if who == "anonymous":
            client, expected = APIClient(), 401
        else:
            viewer = org_team["member"] if who == "member" else UserFactory()
            client, expected = signed_in(viewer), 403
        InvitationFactory(organisation=org_team["org"], email="secret@example.org")
        before = counts()
        listing = client.get(invitations_url(org_team["org"]))
        assert listing.status_code == expected
        assert "secret@example.org" not in json.dumps(listing.json())
        created = client.post(
            invitations_url(org_team["org"]), {"email": "x@example.org"}
        )
        assert created.status_code == expected
        assert counts() == before

    @pytest.mark.parametrize(
        "body, field",
        [
            ({"email": "member@example.org"}, "email"),
            ({"email": "not-an-email"}, "email"),
            ({}, "email"),
            ({"email": "x@example.org", "role": "owner"}, "role"),
            ({"email": ["x@example.org"]}, "email"),
        ],
    )
    def test_bad_invitations_are_field_errors(
        self, org_team: dict[str, Any], body: dict[str, Any], field: str
    ) -> None:
        before = counts()
        response = signed_in(org_team["owner"]).post(
            invitations_url(org_team["org"]), body, format="json"
        )
        assert response.status_code == 400
        assert field in response.json()
        assert counts() == before

    def test_second_open_invitation_to_the_same_address_is_refused(
        self, org_team: dict[str, Any]
    ) -> None:
        client = signed_in(org_team["owner"])
        url = invitations_url(org_team["org"])
        assert client.post(url, {"email": "new@example.org"}).status_code == 201
        before = counts()
        again = client.post(url, {"email": "new@example.org"})
        assert again.status_code == 400
        assert "email" in again.json()
        assert counts() == before

    def test_revoking_another_organisations_invitation_is_404(
        self, org_team: dict[str, Any]
    ) -> None:
        elsewhere = InvitationFactory()
        response = signed_in(org_team["owner"]).delete(
            invitations_url(org_team["org"], elsewhere)
        )
        assert response.status_code == 404
        elsewhere.refresh_from_db()
        assert elsewhere.revoked_at is None


class TestAccept:
    URL = "/api/v1/invitations/accept/"

    def test_the_invited_person_joins(self, org_team: dict[str, Any]) -> None:
        invitation = InvitationFactory(
            organisation=org_team["org"], email="new@example.org", role="admin"
        )
        newcomer = UserFactory(email="new@example.org")
        response = signed_in(newcomer).post(
            self.URL, {"token": invitation_token(invitation)}
        )
        assert response.status_code == 201, response.json()
        assert response.json()["role"] == "admin"
        assert response.json()["organisation"]["id"] == org_team["org"].pk
        assert Membership.objects.get(user=newcomer).role == MembershipRole.ADMIN

    def test_another_email_is_refused(self, org_team: dict[str, Any]) -> None:
        invitation = InvitationFactory(
            organisation=org_team["org"], email="new@example.org"
        )
        intruder = UserFactory(email="intruder@example.org")
        before = counts()
        response = signed_in(intruder).post(
            self.URL, {"token": invitation_token(invitation)}
        )
        assert response.status_code == 400
        assert "another e-mail" in response.json()["token"][0]
        assert "new@example.org" not in json.dumps(response.json())
        assert counts() == before

    @pytest.mark.parametrize("token", ["garbage", "", "x" * 501])
    def test_bad_tokens_are_field_errors(
        self, org_team: dict[str, Any], token: str
    ) -> None:
        before = counts()
        response = signed_in(UserFactory()).post(self.URL, {"token": token})
        assert response.status_code == 400
        assert "token" in response.json()
        assert counts() == before

    def test_expired_token_is_refused(self, org_team: dict[str, Any]) -> None:
        newcomer = UserFactory(email="new@example.org")
        invitation = InvitationFactory(
            organisation=org_team["org"], email="new@example.org"
        )
        token = invitation_token(invitation)
        before = counts()
        with time_machine.travel(timezone.now() + timedelta(days=8)):
            response = signed_in(newcomer).post(self.URL, {"token": token})
        assert response.status_code == 400
        assert "expired" in response.json()["token"][0]
        assert counts() == before

    def test_used_token_is_refused(self, org_team: dict[str, Any]) -> None:
        newcomer = UserFactory(email="new@example.org")
        invitation = InvitationFactory(
            organisation=org_team["org"], email="new@example.org"
        )
        client = signed_in(newcomer)
        token = invitation_token(invitation)
        assert client.post(self.URL, {"token": token}).status_code == 201
        again = client.post(self.URL, {"token": token})
        assert again.status_code == 400
        assert "already been used" in again.json()["token"][0]
        assert Membership.objects.filter(user=newcomer).count() == 1

    def test_anonymous_gets_401(self, org_team: dict[str, Any]) -> None:
        invitation = InvitationFactory(organisation=org_team["org"])
        response = APIClient().post(self.URL, {"token": invitation_token(invitation)})
        assert response.status_code == 401
