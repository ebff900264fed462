"""Organisation directory, page, create and edit forms."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stakeholders.models import (
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    User,
    VerificationState,
)
from tests.factories import (
    CityFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    sector,
)

pytestmark = pytest.mark.django_db


def directory_queries(client: Any, count: int, query: str = "") -> int:
    city = CityFactory(slug="riverbend", name="Riverbend")
    for n in range(count):
        org = OrganisationFactory(
            name=f"Org {n:02d}",
            verification_state=VerificationState.VERIFIED,
            cities=[city],
            sectors=["energy", "housing"],
        )
        MembershipFactory(organisation=org, role=MembershipRole.OWNER)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("organisation-list") + query)
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == count
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("query", ["", "?sector=energy&city=riverbend&verified=yes"])
def test_directory_costs_the_same_queries_for_2_and_20_organisations(
    client: Any, django_db_blocker: Any, signed_in: bool, query: str
) -> None:
    if signed_in:
        client.force_login(UserFactory())
    few = directory_queries(client, 2, query)
    Organisation.objects.all().delete()
    many = directory_queries(client, 20, query)
    assert few == many
    assert many <= 10


def test_directory_filters_and_keeps_them_in_the_url(client: Any) -> None:
    city = CityFactory(slug="riverbend")
    other_city = CityFactory(slug="port-lumiere")
    OrganisationFactory(
        name="SolarRoof",
        kind=OrganisationKind.STARTUP,
        sectors=["energy", "housing"],
        cities=[city],
        verification_state=VerificationState.VERIFIED,
    )
    OrganisationFactory(
        name="ShareWheels",
        kind=OrganisationKind.STARTUP,
        sectors=["mobility"],
        cities=[city],
    )
    OrganisationFactory(
        name="Harbour Utility",
        kind=OrganisationKind.UTILITY,
        sectors=["energy"],
        cities=[other_city],
        verification_state=VerificationState.VERIFIED,
    )

    def names(query: str) -> list[str]:
        response = client.get(reverse("organisation-list") + query)
        return [o.name for o in response.context["page_obj"]]

    assert names("") == ["Harbour Utility", "ShareWheels", "SolarRoof"]
    assert names("?kind=startup") == ["ShareWheels", "SolarRoof"]
    assert names("?sector=energy&sector=housing") == ["SolarRoof"]
    assert names("?city=port-lumiere") == ["Harbour Utility"]
    assert names("?verified=no") == ["ShareWheels"]
    assert names("?q=wheels") == ["ShareWheels"]
    assert names("?kind=not-a-kind") == ["Harbour Utility", "ShareWheels", "SolarRoof"]
    html = client.get(reverse("organisation-list") + "?sector=energy&kind=startup")
    page = html.content.decode()
    assert re.search(r'value="energy"[^>]*checked', page)
    assert not re.search(r'value="housing"[^>]*checked', page)
    assert '<option value="startup" selected>' in page


def test_directory_pagination_keeps_filters(client: Any) -> None:
    for n in range(25):
        OrganisationFactory(name=f"Org {n:02d}", kind=OrganisationKind.INVESTOR)
    response = client.get(reverse("organisation-list") + "?kind=investor")
    html = response.content.decode()
    assert "kind=investor&amp;page=2" in html
    response = client.get(reverse("organisation-list") + "?kind=investor&page=2")
    assert len(response.context["page_obj"].object_list) == 5


def test_rejected_organisations_are_hidden_from_outsiders(client: Any) -> None:
    org = OrganisationFactory(
        name="Refused Ltd", verification_state=VerificationState.REJECTED
    )
    assert (
        "Refused Ltd" not in client.get(reverse("organisation-list")).content.decode()
    )
    assert client.get(org.get_absolute_url()).status_code == 404


def test_unknown_slug_is_404(client: Any) -> None:
    response = client.get(reverse("organisation-detail", kwargs={"slug": "nobody"}))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_organisation_page_shows_sectors_badge_and_members(client: Any) -> None:
    owner = UserFactory(display_name="Léo Martin", email="leo@solar.example")
    org = OrganisationFactory(
        name="SolarRoof",
        sectors=["energy", "housing"],
        owner=owner,
        description="Rooftop solar <for> tenants",
    )
    html = client.get(org.get_absolute_url()).content.decode()
    assert "Unverified organisation" in html
    assert "Léo Martin" in html
    assert "Energy" in html and "Housing" in html
    assert "Rooftop solar &lt;for&gt; tenants" in html
    org.verification_state = VerificationState.VERIFIED
    org.save()
    html = client.get(org.get_absolute_url()).content.decode()
    assert "Unverified organisation" not in html
    assert "Verified organisation" in html


@pytest.mark.parametrize("viewer", ["anonymous", "outsider", "member"])
def test_member_emails_are_not_shown_to_non_admins(client: Any, viewer: str) -> None:
    owner = UserFactory(email="owner-secret@solar.example")
    org = OrganisationFactory(owner=owner)
    member = MembershipFactory(organisation=org, user__email="member@solar.example")
    if viewer == "outsider":
        client.force_login(UserFactory())
    elif viewer == "member":
        client.force_login(member.user)
    pages = [org.get_absolute_url(), reverse("organisation-list")]
    if viewer == "member":
        pages.append(reverse("organisation-members", kwargs={"slug": org.slug}))
    for url in pages:
        html = client.get(url).content.decode()
        assert "owner-secret@solar.example" not in html, url
        assert "member@solar.example" not in html or viewer == "member", url
        assert "@solar.example" not in html.replace("member@solar.example", ""), url


def test_admins_see_member_emails(client: Any) -> None:
    owner = UserFactory(email="owner@solar.example")
    org = OrganisationFactory(owner=owner)
    MembershipFactory(organisation=org, user__email="member@solar.example")
    client.force_login(owner)
    html = client.get(org.get_absolute_url()).content.decode()
    assert "member@solar.example" in html


def test_signed_in_outsider_can_ask_to_join(client: Any) -> None:
    org = OrganisationFactory(owner=UserFactory())
    person = UserFactory()
    client.force_login(person)
    html = client.get(org.get_absolute_url()).content.decode()
    assert "Ask to join" in html
    response = client.post(
        reverse("organisation-join", kwargs={"slug": org.slug}),
        {"message": "We run the harbour heat network."},
        follow=True,
    )
    assert "Your request is sent" in response.content.decode()
    assert "waiting for an answer" in response.content.decode()
    response = client.post(
        reverse("organisation-join", kwargs={"slug": org.slug}), {}, follow=True
    )
    assert "already waiting for an answer" in response.content.decode()
    assert org.join_requests.count() == 1


def test_anonymous_visitor_is_offered_sign_in_not_join(client: Any) -> None:
    org = OrganisationFactory()
    html = client.get(org.get_absolute_url()).content.decode()
    assert "Ask to join" not in html
    assert "Sign in to ask to join" in html


# --- Create and edit ------------------------------------------------------------------


def org_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Compost & Co",
        "kind": OrganisationKind.STARTUP,
        "sectors": [sector("waste").pk, sector("food").pk],
        "description": "Turns restaurant food waste into compost.",
        "website": "compost.example",
        "cities": [],
    }
    data.update(overrides)
    return data


def test_create_organisation_makes_me_owner_and_pending(client: Any) -> None:
    person = UserFactory()
    city = CityFactory()
    client.force_login(person)
    response = client.post(reverse("organisation-create"), org_data(cities=[city.pk]))
    org = Organisation.objects.get(name="Compost & Co")
    assert response.status_code == 302
    assert response["Location"] == org.get_absolute_url()
    assert org.verification_state == VerificationState.PENDING
    assert org.website == "https://compost.example"
    assert set(org.sectors.values_list("slug", flat=True)) == {"waste", "food"}
    assert Membership.objects.get(organisation=org).user == person
    assert Membership.objects.get(organisation=org).role == MembershipRole.OWNER


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "     "}, "name", "This field is required."),
        ({"name": "x" * 10_000}, "name", "at most 120 characters"),
        ({"name": "<script>x</script>"}, "name", "HTML is not allowed"),
        ({"description": "<img src=x onerror=alert(1)>"}, "description", "HTML"),
        ({"description": "d" * 4001}, "description", "at most 4000"),
        ({"kind": "spaceship"}, "kind", "Select a valid choice"),
        ({"website": "not a url at all"}, "website", "valid URL"),
    ],
)
def test_bad_organisation_input_gets_a_message_and_writes_nothing(
    client: Any, overrides: dict[str, Any], field: str, message: str
) -> None:
    client.force_login(UserFactory())
    response = client.post(reverse("organisation-create"), org_data(**overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert any(message in e for e in errors.get(field, [])), errors
    assert 'class="error-summary"' in response.content.decode()
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()


def test_create_needs_sign_in(client: Any) -> None:
    response = client.get(reverse("organisation-create"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def admin_and_org() -> tuple[User, Organisation]:
    admin = UserFactory()
    org = OrganisationFactory(name="SolarRoof")
    MembershipFactory(user=admin, organisation=org, role=MembershipRole.ADMIN)
    return admin, org


def test_admin_edits_organisation(client: Any) -> None:
    admin, org = admin_and_org()
    client.force_login(admin)
    url = reverse("organisation-edit", kwargs={"slug": org.slug})
    assert client.get(url).status_code == 200
    response = client.post(url, org_data(name="SolarRoof Collective"))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "SolarRoof Collective"


def test_edit_with_bad_name_changes_nothing(client: Any) -> None:
    admin, org = admin_and_org()
    client.force_login(admin)
    url = reverse("organisation-edit", kwargs={"slug": org.slug})
    response = client.post(url, org_data(name="   "))
    assert response.status_code == 400
    org.refresh_from_db()
    assert org.name == "SolarRoof"


@pytest.mark.parametrize("role", [None, MembershipRole.MEMBER])
def test_non_admins_cannot_edit(client: Any, role: str | None) -> None:
    _admin, org = admin_and_org()
    person = UserFactory()
    if role:
        MembershipFactory(user=person, organisation=org, role=role)
    client.force_login(person)
    url = reverse("organisation-edit", kwargs={"slug": org.slug})
    response = client.post(url, org_data(name="Hijacked"))
    assert response.status_code == 403
    assert "Only the organisation's admins" in unescape(response.content.decode())
    org.refresh_from_db()
    assert org.name == "SolarRoof"
