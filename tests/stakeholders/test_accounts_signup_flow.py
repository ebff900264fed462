"""Sign-up through the pages, end to end: account, e-mail verification, organisation,
invitation of a partner who signs up with the invited address and accepts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from stakeholders.models import (
    CityRole,
    CityRoleKind,
    Invitation,
    JoinRequest,
    Membership,
    MembershipRole,
    Organisation,
    User,
    UserKind,
    VerificationState,
)
from tests.factories import CityFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase"


def signup_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "email": "lea@solar.example",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "display_name": "Léa Moreau",
        "kind": UserKind.RESIDENT,
        "home_city": "",
    }
    data.update(overrides)
    return data


def link_in_last_mail(pattern: str) -> str:
    body = mail.outbox[-1].body
    match = re.search(r"https?://[^/\s]+(" + pattern + r"[^\s]*)", body)
    assert match, body
    return match.group(1)


def confirm_email_from_outbox(client: Any) -> None:
    path = link_in_last_mail("/accounts/confirm-email/")
    response = client.get(path)
    assert response.status_code == 200
    response = client.post(path)
    assert response.status_code == 302


def test_startup_signs_up_verifies_invites_and_partner_joins(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    city = CityFactory(name="Riverbend", slug="riverbend")

    # 1. A startup founder signs up and creates their organisation.
    response = client.post(
        reverse("account_signup"),
        signup_data(
            kind=UserKind.STARTUP,
            home_city=city.pk,
            organisation_action="create",
            organisation_name="  SolarRoof Collective ",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    founder = User.objects.get(email="lea@solar.example")
    assert founder.kind == UserKind.STARTUP
    assert founder.display_name == "Léa Moreau"
    org = Organisation.objects.get(name="SolarRoof Collective")
    assert org.verification_state == VerificationState.PENDING
    assert list(org.cities.all()) == [city]
    assert Membership.objects.get(organisation=org).user == founder
    assert Membership.objects.get(organisation=org).role == MembershipRole.OWNER

    # 2. Not verified yet: signing in is refused until the link is followed.
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "lea@solar.example", "password": PASSWORD}
    )
    assert response["Location"] == reverse("account_email_verification_sent")
    confirm_email_from_outbox(client)
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "lea@solar.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("profile")).status_code == 200

    # 3. The founder invites a utility partner by e-mail.
    members_url = reverse("organisation-members", kwargs={"slug": org.slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            members_url, {"email": "Grace@Utility.example", "role": "admin"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(organisation=org)
    assert invitation.email == "grace@utility.example"
    invite_path = link_in_last_mail("/invitations/")
    assert mail.outbox[-1].to == ["grace@utility.example"]
    client.logout()

    # 4. The invitee opens the link anonymously: asked to sign in or sign up.
    response = client.get(invite_path)
    assert response.status_code == 200
    assert "SolarRoof Collective" in response.content.decode()
    assert reverse("account_signup") in response.content.decode()

    # 5. They sign up with the invited address (as a utility asking nothing else).
    response = client.post(
        reverse("account_signup"),
        signup_data(
            email="grace@utility.example",
            display_name="Grace Okafor",
            kind=UserKind.UTILITY,
            organisation_action="join",
            join_organisation=org.pk,
        ),
    )
    assert response.status_code == 302
    confirm_email_from_outbox(client)
    client.logout()
    client.post(
        reverse("account_login"),
        {"login": "grace@utility.example", "password": PASSWORD},
    )

    # 6. They open the invitation and accept it.
    response = client.get(invite_path)
    assert "Accept the invitation" in response.content.decode()
    response = client.post(invite_path)
    assert response.status_code == 302
    assert response["Location"] == org.get_absolute_url()
    grace = User.objects.get(email="grace@utility.example")
    membership = Membership.objects.get(organisation=org, user=grace)
    assert membership.role == MembershipRole.ADMIN
    invitation.refresh_from_db()
    assert invitation.accepted_by == grace
    # Using the link again says it was used.
    response = client.get(invite_path)
    assert response.status_code == 400
    assert "already been used" in response.content.decode()


def test_city_official_signup_creates_a_pending_role_and_no_power(client: Any) -> None:
    city = CityFactory()
    response = client.post(
        reverse("account_signup"),
        signup_data(
            kind=UserKind.CITY_OFFICIAL,
            official_city=city.pk,
            official_position="Mobility department",
        ),
    )
    assert response.status_code == 302
    user = User.objects.get(email="lea@solar.example")
    role = CityRole.objects.get(user=user)
    assert (role.city, role.role, role.state) == (
        city,
        CityRoleKind.OFFICIAL,
        VerificationState.PENDING,
    )
    assert role.position == "Mobility department"


def test_join_existing_organisation_at_signup_sends_a_join_request(
    client: Any,
) -> None:
    org = OrganisationFactory(owner=UserFactory())
    client.post(
        reverse("account_signup"),
        signup_data(
            kind=UserKind.INVESTOR, organisation_action="join", join_organisation=org.pk
        ),
    )
    user = User.objects.get(email="lea@solar.example")
    assert JoinRequest.objects.filter(user=user, organisation=org).exists()
    assert not Membership.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {
                "kind": UserKind.STARTUP,
                "organisation_action": "create",
                "organisation_name": "    ",
            },
            "organisation_name",
            "only spaces",
        ),
        (
            {
                "kind": UserKind.STARTUP,
                "organisation_action": "create",
                "organisation_name": "x" * 10_000,
            },
            "organisation_name",
            "at most 120 characters",
        ),
        (
            {
                "kind": UserKind.STARTUP,
                "organisation_action": "create",
                "organisation_name": "<b>Solar</b>",
            },
            "organisation_name",
            "HTML is not allowed",
        ),
        (
            {"kind": UserKind.STARTUP},
            "organisation_action",
            "Create your organisation or ask to join one",
        ),
        (
            {"kind": UserKind.UTILITY, "organisation_action": "join"},
            "join_organisation",
            "Choose the organisation you want to join",
        ),
        (
            {"kind": UserKind.CITY_OFFICIAL},
            "official_city",
            "Choose the city you work for",
        ),
        (
            {"display_name": "<script>alert(1)</script>"},
            "display_name",
            "HTML is not allowed",
        ),
        ({"password2": "something-else-entirely"}, "password2", "same password"),
    ],
)
def test_bad_signup_input_is_shown_next_to_the_field_and_nothing_is_written(
    client: Any, overrides: dict[str, Any], field: str, message: str
) -> None:
    response = client.post(reverse("account_signup"), signup_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert any(message in error for error in form.errors[field]), form.errors[field]
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert f'id="id_{field}_error"' in html
    assert not User.objects.filter(email="lea@solar.example").exists()
    assert not Organisation.objects.exists()


def test_duplicate_email_creates_nothing_and_tells_the_address_owner(
    client: Any,
) -> None:
    """The page does not reveal that the address is registered (that would leak who
    uses Crosswalk); the owner of the address is told by e-mail instead."""
    UserFactory(email="lea@solar.example")
    response = client.post(reverse("account_signup"), signup_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact="lea@solar.example").count() == 1
    assert mail.outbox[-1].to == ["lea@solar.example"]
    assert "already" in mail.outbox[-1].body.lower()
    page = client.get(response["Location"]).content.decode()
    assert "already has a Crosswalk account" in page
