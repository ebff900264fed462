"""Profile page: editing, city-role requests, data export, account deletion,
notifications and the header bell."""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stakeholders.models import (
    CityRole,
    CityRoleKind,
    Membership,
    MembershipRole,
    Notification,
    User,
    UserKind,
    VerificationState,
)
from tests.factories import (
    CityFactory,
    DistrictFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    give_totp,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def person() -> User:
    return UserFactory(email="amina@example.org", display_name="Amina Haddad")


def test_profile_needs_sign_in(client: Any) -> None:
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_profile_edit_saves_name_city_and_district(client: Any, person: User) -> None:
    district = DistrictFactory(name="Old Town")
    client.force_login(person)
    response = client.post(
        reverse("profile"),
        {
            "display_name": "  Amina H. ",
            "kind": UserKind.CIVIL_SOCIETY,
            "home_city": district.city_id,
            "district": district.pk,
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.display_name == "Amina H."
    assert person.kind == UserKind.CIVIL_SOCIETY
    assert person.district == district


def test_district_of_another_city_is_refused_and_nothing_saved(
    client: Any, person: User
) -> None:
    district = DistrictFactory()
    other_city = CityFactory()
    client.force_login(person)
    response = client.post(
        reverse("profile"),
        {
            "display_name": "Changed",
            "kind": UserKind.RESIDENT,
            "home_city": other_city.pk,
            "district": district.pk,
        },
    )
    assert response.status_code == 400
    assert "not in your home city" in response.content.decode()
    person.refresh_from_db()
    assert person.display_name == "Amina Haddad"
    assert person.district is None


def test_becoming_city_official_from_profile_is_not_offered(
    client: Any, person: User
) -> None:
    client.force_login(person)
    response = client.post(
        reverse("profile"),
        {"display_name": "Amina", "kind": UserKind.CITY_OFFICIAL},
    )
    assert response.status_code == 400
    assert "kind" in response.context["form"].errors
    person.refresh_from_db()
    assert person.kind == UserKind.RESIDENT


def test_city_role_request_from_profile_is_pending(client: Any, person: User) -> None:
    city = CityFactory()
    client.force_login(person)
    data = {"city": city.pk, "role": CityRoleKind.OFFICIAL, "position": "Planning"}
    response = client.post(reverse("profile-role-request"), data)
    assert response.status_code == 302
    role = CityRole.objects.get(user=person)
    assert role.state == VerificationState.PENDING
    # Asking twice is refused with a message next to the form.
    response = client.post(reverse("profile-role-request"), data)
    assert response.status_code == 400
    assert "already asked for this role" in response.content.decode()
    assert CityRole.objects.filter(user=person).count() == 1


def test_profile_shows_roles_memberships_and_account_links(
    client: Any, person: User
) -> None:
    org = OrganisationFactory(name="Cycle Together")
    MembershipFactory(user=person, organisation=org, role=MembershipRole.ADMIN)
    client.force_login(person)
    html = client.get(reverse("profile")).content.decode()
    assert "Cycle Together" in html
    for name in ("account_email", "account_change_password", "mfa_index"):
        assert reverse(name) in html
    assert reverse("profile-export") in html
    assert reverse("profile-delete") in html


def test_export_is_a_json_attachment_with_my_data(client: Any, person: User) -> None:
    org = OrganisationFactory(name="Cycle Together")
    MembershipFactory(user=person, organisation=org)
    client.force_login(person)
    response = client.get(reverse("profile-export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["profile"]["email"] == "amina@example.org"
    assert data["profile"]["display_name"] == "Amina Haddad"
    assert data["memberships"][0]["organisation"] == "Cycle Together"
    assert "notifications" in data and "city_roles" in data


def test_delete_account_erases_personal_data_and_signs_out(
    client: Any, person: User
) -> None:
    org = OrganisationFactory()
    MembershipFactory(user=person, organisation=org, role=MembershipRole.OWNER)
    heir = MembershipFactory(organisation=org, role=MembershipRole.ADMIN)
    give_totp(person)
    client.force_login(person)
    assert client.get(reverse("profile-delete")).status_code == 200
    response = client.post(reverse("profile-delete"), {"confirm": "on"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email != "amina@example.org"
    assert person.display_name == ""
    assert person.public_name == "Deleted account"
    assert not person.is_active
    assert not Membership.objects.filter(user=person).exists()
    assert not Authenticator.objects.filter(user=person).exists()
    heir.refresh_from_db()
    assert heir.role == MembershipRole.OWNER
    assert "_auth_user_id" not in client.session


def test_delete_refused_for_last_owner_without_admin_shows_why(
    client: Any, person: User
) -> None:
    org = OrganisationFactory(name="Solo Startup")
    MembershipFactory(user=person, organisation=org, role=MembershipRole.OWNER)
    client.force_login(person)
    response = client.post(reverse("profile-delete"), {"confirm": "on"}, follow=True)
    html = response.content.decode()
    assert "only owner of “Solo Startup”" in html
    person.refresh_from_db()
    assert person.is_active and person.email == "amina@example.org"
    assert Membership.objects.filter(user=person, organisation=org).exists()


def test_delete_needs_the_confirmation_box(client: Any, person: User) -> None:
    client.force_login(person)
    response = client.post(reverse("profile-delete"), {})
    assert response.status_code == 400
    assert "Tick the box" in response.content.decode()
    person.refresh_from_db()
    assert person.is_active


# --- Notifications -------------------------------------------------------------------


def notify(user: User, n: int, **extra: Any) -> Notification:
    return Notification.objects.create(
        recipient=user,
        kind="membership",
        event_key=f"test:{n}",
        message="You are now a member of %(org)s.",
        params={"org": f"Org {n}"},
        url="/organisations/",
        **extra,
    )


def test_bell_shows_unread_count_in_one_query(client: Any, person: User) -> None:
    for n in range(3):
        notify(person, n)
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    assert "Notifications: 3 unread" in html
    counts = [q for q in queries if "stakeholders_notification" in q["sql"]]
    assert len(counts) == 1


def test_notifications_page_marks_one_and_all_read(client: Any, person: User) -> None:
    first = notify(person, 1)
    notify(person, 2)
    other = notify(UserFactory(), 3)
    client.force_login(person)
    html = client.get(reverse("notification-list")).content.decode()
    assert "You are now a member of Org 1." in html
    assert "Org 3" not in html
    client.post(reverse("notification-read", kwargs={"pk": first.pk}))
    first.refresh_from_db()
    assert first.read_at is not None
    assert Notification.objects.filter(recipient=person, read_at=None).count() == 1
    # Someone else's notification is not found.
    response = client.post(reverse("notification-read", kwargs={"pk": other.pk}))
    assert response.status_code == 404
    client.post(reverse("notification-read-all"))
    assert not Notification.objects.filter(recipient=person, read_at=None).exists()
    other.refresh_from_db()
    assert other.read_at is None
