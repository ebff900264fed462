"""Member and invitation management, invitation acceptance, verification queue."""

from __future__ import annotations

from datetime import timedelta
from html import unescape
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stakeholders.models import (
    AuditEvent,
    CityRole,
    CityRoleKind,
    Invitation,
    JoinRequest,
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
    make_coordinator,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner() -> User:
    return UserFactory(display_name="Léo Owner", email="leo@solar.example")


@pytest.fixture
def org(owner: User) -> Organisation:
    return OrganisationFactory(name="SolarRoof", owner=owner)


def members_url(org: Organisation) -> str:
    return reverse("organisation-members", kwargs={"slug": org.slug})


def page_text(response: Any) -> str:
    return unescape(response.content.decode())


# --- Members page ---------------------------------------------------------------------


def test_outsider_cannot_open_the_members_page(client: Any, org: Organisation) -> None:
    client.force_login(UserFactory())
    response = client.get(members_url(org))
    assert response.status_code == 403
    assert "Only the organisation's members" in page_text(response)


def test_member_sees_members_without_emails_and_can_leave(
    client: Any, org: Organisation
) -> None:
    member = MembershipFactory(organisation=org)
    client.force_login(member.user)
    response = client.get(members_url(org))
    html = page_text(response)
    assert "Léo Owner" in html
    assert "leo@solar.example" not in html
    assert "Invite someone" not in html
    response = client.post(
        reverse("membership-remove", kwargs={"slug": org.slug, "pk": member.pk})
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_admin_invites_by_email(
    client: Any, owner: User, org: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            members_url(org), {"email": "grace@utility.example", "role": "member"}
        )
    assert response.status_code == 302
    assert Invitation.objects.filter(organisation=org).count() == 1
    assert mail.outbox[-1].to == ["grace@utility.example"]
    html = page_text(client.get(members_url(org)))
    assert "grace@utility.example" in html
    assert "Expires in" in html


def test_inviting_an_existing_member_is_refused_next_to_the_field(
    client: Any, owner: User, org: Organisation
) -> None:
    MembershipFactory(organisation=org, user__email="grace@utility.example")
    client.force_login(owner)
    response = client.post(
        members_url(org), {"email": "Grace@Utility.example", "role": "member"}
    )
    assert response.status_code == 400
    assert response.context["invite_form"].errors["email"] == [
        "This person is already a member."
    ]
    assert 'id="id_email_error"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_twice_while_open_is_refused(
    client: Any, owner: User, org: Organisation
) -> None:
    client.force_login(owner)
    data = {"email": "grace@utility.example", "role": "member"}
    client.post(members_url(org), data)
    response = client.post(members_url(org), data)
    assert response.status_code == 400
    assert "already waiting for an answer" in page_text(response)
    assert Invitation.objects.count() == 1


def test_invalid_invitation_email_is_refused(
    client: Any, owner: User, org: Organisation
) -> None:
    client.force_login(owner)
    response = client.post(members_url(org), {"email": "not-an-email", "role": "x"})
    assert response.status_code == 400
    errors = response.context["invite_form"].errors
    assert "email" in errors and "role" in errors
    assert not Invitation.objects.exists()


def test_plain_member_cannot_invite(client: Any, org: Organisation) -> None:
    member = MembershipFactory(organisation=org)
    client.force_login(member.user)
    response = client.post(
        members_url(org), {"email": "grace@utility.example", "role": "member"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_admin_revokes_an_invitation(
    client: Any, owner: User, org: Organisation
) -> None:
    invitation = InvitationFactory(organisation=org, invited_by=owner)
    client.force_login(owner)
    client.post(
        reverse("invitation-revoke", kwargs={"slug": org.slug, "pk": invitation.pk})
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_owner_changes_a_role_and_removes_a_member(
    client: Any, owner: User, org: Organisation
) -> None:
    member = MembershipFactory(organisation=org)
    client.force_login(owner)
    client.post(
        reverse("membership-role", kwargs={"slug": org.slug, "pk": member.pk}),
        {"role": "admin"},
    )
    member.refresh_from_db()
    assert member.role == MembershipRole.ADMIN
    client.post(
        reverse("membership-remove", kwargs={"slug": org.slug, "pk": member.pk})
    )
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_removing_the_last_owner_is_refused_with_a_message(
    client: Any, owner: User, org: Organisation
) -> None:
    mine = Membership.objects.get(user=owner, organisation=org)
    client.force_login(owner)
    response = client.post(
        reverse("membership-remove", kwargs={"slug": org.slug, "pk": mine.pk}),
        follow=True,
    )
    assert "last owner" in page_text(response)
    assert Membership.objects.filter(pk=mine.pk).exists()
    response = client.post(
        reverse("membership-role", kwargs={"slug": org.slug, "pk": mine.pk}),
        {"role": "member"},
        follow=True,
    )
    assert "at least one owner" in page_text(response)
    mine.refresh_from_db()
    assert mine.role == MembershipRole.OWNER


def test_admin_cannot_remove_an_owner(
    client: Any, owner: User, org: Organisation
) -> None:
    admin = MembershipFactory(organisation=org, role=MembershipRole.ADMIN)
    client.force_login(admin.user)
    owner_membership = Membership.objects.get(user=owner)
    response = client.post(
        reverse(
            "membership-remove", kwargs={"slug": org.slug, "pk": owner_membership.pk}
        )
    )
    assert response.status_code == 403
    assert Membership.objects.filter(pk=owner_membership.pk).exists()


def test_admin_answers_a_join_request(
    client: Any, owner: User, org: Organisation
) -> None:
    asker = UserFactory(display_name="Grace")
    join_request = JoinRequest.objects.create(user=asker, organisation=org)
    client.force_login(owner)
    html = page_text(client.get(members_url(org)))
    assert "Requests to join" in html and "Grace" in html
    client.post(
        reverse(
            "join-request-decide", kwargs={"slug": org.slug, "pk": join_request.pk}
        ),
        {"accept": "yes"},
    )
    assert Membership.objects.filter(user=asker, organisation=org).exists()
    response = client.post(
        reverse(
            "join-request-decide", kwargs={"slug": org.slug, "pk": join_request.pk}
        ),
        {"accept": "no"},
        follow=True,
    )
    assert "already answered" in page_text(response)


def test_members_page_queries_do_not_grow_with_members(
    client: Any, owner: User, org: Organisation
) -> None:
    client.force_login(owner)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(members_url(org)).status_code == 200
        return len(queries)

    MembershipFactory(organisation=org)
    InvitationFactory(organisation=org, invited_by=owner)
    few = count()
    for _ in range(10):
        MembershipFactory(organisation=org)
        InvitationFactory(organisation=org, invited_by=owner)
        JoinRequest.objects.create(user=UserFactory(), organisation=org)
    assert count() == few


def test_unknown_organisation_members_page_is_404(client: Any, owner: User) -> None:
    client.force_login(owner)
    assert client.get("/organisations/nobody/members/").status_code == 404


# --- Accepting an invitation ----------------------------------------------------------


def invite(org: Organisation, email: str = "grace@utility.example") -> str:
    invitation = InvitationFactory(organisation=org, email=email)
    return reverse("invitation-accept", kwargs={"token": invitation_token(invitation)})


def test_anonymous_visitor_is_sent_to_sign_in_and_back(
    client: Any, org: Organisation
) -> None:
    url = invite(org)
    html = page_text(client.get(url))
    assert "Join SolarRoof" in html
    assert f"{reverse('account_login')}?next=" in html
    assert client.post(url).status_code == 200
    assert (
        not Membership.objects.filter(organisation=org)
        .exclude(role=MembershipRole.OWNER)
        .exists()
    )


def test_tampered_token_is_refused(client: Any, org: Organisation) -> None:
    url = invite(org)
    client.force_login(UserFactory(email="grace@utility.example"))
    response = client.post(url[:-3] + "xyz/")
    assert response.status_code == 400
    assert "This invitation link is not valid." in page_text(response)
    assert Membership.objects.filter(organisation=org).count() == 1


def test_expired_invitation_is_refused(client: Any, org: Organisation) -> None:
    url = invite(org)
    grace = UserFactory(email="grace@utility.example")
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        client.force_login(grace)
        response = client.post(url)
    assert response.status_code == 400
    assert "expired" in page_text(response)
    assert not Membership.objects.filter(user=grace).exists()


def test_invitation_for_another_email_is_refused(
    client: Any, org: Organisation
) -> None:
    url = invite(org)
    other = UserFactory(email="someone-else@example.org")
    client.force_login(other)
    html = page_text(client.get(url))
    assert "sent to another e-mail address" in html
    response = client.post(url)
    assert response.status_code == 400
    assert "sent to another e-mail address" in page_text(response)
    assert not Membership.objects.filter(user=other).exists()


def test_already_member_is_told_so(client: Any, org: Organisation) -> None:
    member = MembershipFactory(organisation=org, user__email="grace@utility.example")
    url = invite(org)
    client.force_login(member.user)
    response = client.post(url)
    assert response.status_code == 400
    assert "already a member" in page_text(response)


# --- Verification queue -----------------------------------------------------------------


@pytest.fixture
def city() -> Any:
    return CityFactory(name="Riverbend")


def test_queue_lists_pending_organisations_and_roles_of_my_city(
    client: Any, city: Any
) -> None:
    other_city = CityFactory(name="Elsewhere")
    OrganisationFactory(name="Mine Pending", cities=[city])
    OrganisationFactory(name="Other Pending", cities=[other_city])
    OrganisationFactory(
        name="Mine Verified", cities=[city], verification_state="verified"
    )
    CityRoleFactory(
        city=city, state=VerificationState.PENDING, user__display_name="Claire"
    )
    client.force_login(make_coordinator(city))
    html = page_text(client.get(reverse("verification-queue")))
    assert "Mine Pending" in html
    assert "Other Pending" not in html
    assert "Mine Verified" not in html
    assert "Claire" in html


def test_coordinator_verifies_and_rejects_with_reason(client: Any, city: Any) -> None:
    good = OrganisationFactory(name="Good", cities=[city], owner=UserFactory())
    bad = OrganisationFactory(name="Bad", cities=[city])
    client.force_login(make_coordinator(city))
    url = reverse("verification-organisation-decide", kwargs={"pk": good.pk})
    response = client.post(url, {f"org-{good.pk}-decision": "verified"})
    assert response.status_code == 302
    good.refresh_from_db()
    assert good.verification_state == VerificationState.VERIFIED
    assert AuditEvent.objects.filter(action="organisation.verified").exists()

    url = reverse("verification-organisation-decide", kwargs={"pk": bad.pk})
    response = client.post(url, {f"org-{bad.pk}-decision": "rejected"})
    assert response.status_code == 400
    assert "Say why" in page_text(response)
    bad.refresh_from_db()
    assert bad.verification_state == VerificationState.PENDING
    client.post(
        url,
        {f"org-{bad.pk}-decision": "rejected", f"org-{bad.pk}-reason": "Not real"},
    )
    bad.refresh_from_db()
    assert bad.verification_state == VerificationState.REJECTED
    assert bad.verification_reason == "Not real"


def test_verifying_in_another_city_is_refused(client: Any, city: Any) -> None:
    elsewhere = OrganisationFactory(cities=[CityFactory()])
    client.force_login(make_coordinator(city))
    response = client.post(
        reverse("verification-organisation-decide", kwargs={"pk": elsewhere.pk}),
        {f"org-{elsewhere.pk}-decision": "verified"},
    )
    assert response.status_code == 403
    assert "Only a coordinator of a city" in page_text(response)
    elsewhere.refresh_from_db()
    assert elsewhere.verification_state == VerificationState.PENDING


def test_coordinator_verifies_an_official(client: Any, city: Any) -> None:
    role = CityRoleFactory(city=city, state=VerificationState.PENDING)
    client.force_login(make_coordinator(city))
    client.post(
        reverse("verification-role-decide", kwargs={"pk": role.pk}),
        {f"role-{role.pk}-decision": "verified"},
    )
    role.refresh_from_db()
    assert role.state == VerificationState.VERIFIED


def test_coordinator_cannot_make_coordinators(client: Any, city: Any) -> None:
    role = CityRoleFactory(
        city=city, role=CityRoleKind.COORDINATOR, state=VerificationState.PENDING
    )
    client.force_login(make_coordinator(city))
    response = client.post(
        reverse("verification-role-decide", kwargs={"pk": role.pk}),
        {f"role-{role.pk}-decision": "verified"},
    )
    assert response.status_code == 403
    assert CityRole.objects.get(pk=role.pk).state == VerificationState.PENDING


def test_queue_queries_are_bounded(client: Any, city: Any) -> None:
    client.force_login(make_coordinator(city))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("verification-queue")).status_code == 200
        return len(queries)

    def add(n: int) -> None:
        for _ in range(n):
            org = OrganisationFactory(cities=[city], sectors=["energy"])
            MembershipFactory(organisation=org, role=MembershipRole.OWNER)
            CityRoleFactory(city=city, state=VerificationState.PENDING)

    add(2)
    few = count()
    add(18)
    assert count() == few
