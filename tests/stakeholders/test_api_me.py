"""/api/v1/me/, /api/v1/me/export/ and /api/v1/cities/."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from stakeholders.models import Membership, MembershipRole, Organisation, User
from tests.factories import (
    CityFactory,
    CityRoleFactory,
    DistrictFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


class TestMe:
    def test_anonymous_gets_401(self) -> None:
        response = APIClient().get("/api/v1/me/")
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"

    def test_reads_own_profile_with_email(self) -> None:
        user = UserFactory(email="ana@example.org", display_name="Ana")
        data = signed_in(user).get("/api/v1/me/").json()
        assert data["email"] == "ana@example.org"
        assert data["display_name"] == "Ana"
        assert data["has_two_factor"] is False

    def test_updates_name_kind_city_and_district(self) -> None:
        user = UserFactory()
        district = DistrictFactory()
        response = signed_in(user).patch(
            "/api/v1/me/",
            {
                "display_name": "  Ana Li  ",
                "kind": "startup",
                "home_city": district.city.slug,
                "district": district.pk,
            },
        )
        assert response.status_code == 200, response.json()
        user.refresh_from_db()
        assert user.display_name == "Ana Li"
        assert user.kind == "startup"
        assert user.home_city == district.city
        assert user.district == district
        assert response.json()["district"]["slug"] == district.slug

    def test_district_null_clears_it(self) -> None:
        district = DistrictFactory()
        user = UserFactory(home_city=district.city, district=district)
        response = signed_in(user).patch("/api/v1/me/", {"district": None})
        assert response.status_code == 200
        user.refresh_from_db()
        assert user.district is None

    def test_cannot_become_city_official_by_editing(self) -> None:
        user = UserFactory(kind="resident")
        response = signed_in(user).patch("/api/v1/me/", {"kind": "city_official"})
        assert response.status_code == 400
        assert "kind" in response.json()
        user.refresh_from_db()
        assert user.kind == "resident"

    def test_district_of_another_city_is_refused(self) -> None:
        city = CityFactory()
        user = UserFactory(home_city=city)
        other = DistrictFactory()
        response = signed_in(user).patch("/api/v1/me/", {"district": other.pk})
        assert response.status_code == 400
        assert "district" in response.json()
        user.refresh_from_db()
        assert user.district is None

    @pytest.mark.parametrize(
        "body, field",
        [
            ({"kind": "wizard"}, "kind"),
            ({"home_city": "atlantis"}, "home_city"),
            ({"district": "north"}, "district"),
            ({"district": 999999}, "district"),
            ({"display_name": "x" * 81}, "display_name"),
            ({"display_name": "<b>Ana</b>"}, "display_name"),
            ({"display_name": ["Ana"]}, "display_name"),
        ],
    )
    def test_bad_input_is_a_field_error(self, body: dict, field: str) -> None:
        user = UserFactory(display_name="Ana", kind="resident")
        response = signed_in(user).patch("/api/v1/me/", body, format="json")
        assert response.status_code == 400
        assert field in response.json()
        user.refresh_from_db()
        assert (user.display_name, user.kind, user.home_city_id) == (
            "Ana",
            "resident",
            None,
        )

    def test_email_cannot_be_changed_here(self) -> None:
        user = UserFactory(email="ana@example.org")
        signed_in(user).patch("/api/v1/me/", {"email": "evil@example.org"})
        user.refresh_from_db()
        assert user.email == "ana@example.org"


class TestExport:
    def test_export_holds_profile_memberships_roles(self) -> None:
        user = UserFactory(email="ana@example.org", display_name="Ana")
        MembershipFactory(user=user, role=MembershipRole.ADMIN)
        CityRoleFactory(user=user)
        response = signed_in(user).get("/api/v1/me/export/")
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        data = response.json()
        assert data["profile"]["email"] == "ana@example.org"
        assert data["memberships"][0]["role"] == "admin"
        assert data["city_roles"][0]["role"] == "official"
        assert data["notifications"] == []

    def test_anonymous_cannot_export(self) -> None:
        assert APIClient().get("/api/v1/me/export/").status_code == 401


class TestDelete:
    def test_deletes_and_erases(self) -> None:
        user = UserFactory(email="ana@example.org", display_name="Ana")
        response = signed_in(user).delete("/api/v1/me/")
        assert response.status_code == 204
        user.refresh_from_db()
        assert user.deleted_at is not None
        assert user.email != "ana@example.org"
        assert user.is_active is False

    def test_sole_owner_without_admin_is_refused_with_the_reason(self) -> None:
        user = UserFactory(email="ana@example.org")
        org = OrganisationFactory(owner=user, name="Solar Commons")
        MembershipFactory(organisation=org, role=MembershipRole.MEMBER)
        response = signed_in(user).delete("/api/v1/me/")
        assert response.status_code == 409
        assert "Solar Commons" in response.json()["detail"]
        user.refresh_from_db()
        assert user.deleted_at is None
        assert user.email == "ana@example.org"
        assert Membership.objects.filter(user=user, organisation=org).exists()

    def test_ownership_passes_to_an_admin(self) -> None:
        user = UserFactory()
        org = OrganisationFactory(owner=user)
        heir = MembershipFactory(organisation=org, role=MembershipRole.ADMIN)
        assert signed_in(user).delete("/api/v1/me/").status_code == 204
        heir.refresh_from_db()
        assert heir.role == MembershipRole.OWNER
        assert Organisation.objects.filter(pk=org.pk).exists()


class TestCities:
    def test_list_and_retrieve_by_slug_with_districts(self) -> None:
        district = DistrictFactory(name="Croix-Rousse", slug="croix-rousse")
        CityFactory(name="Another")
        listing = APIClient().get("/api/v1/cities/").json()
        assert listing["count"] == 2
        detail = APIClient().get(f"/api/v1/cities/{district.city.slug}/").json()
        assert detail["districts"] == [
            {"id": district.pk, "name": "Croix-Rousse", "slug": "croix-rousse"}
        ]
        assert detail["organisation_count"] == 0

    def test_unknown_slug_is_404(self) -> None:
        assert APIClient().get("/api/v1/cities/atlantis/").status_code == 404

    def test_cities_are_read_only(self) -> None:
        user = UserFactory()
        response = signed_in(user).post("/api/v1/cities/", {"name": "X", "slug": "x"})
        assert response.status_code == 405
