"""/api/v1/organisations/: directory, filters, create, edit, verify."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from stakeholders.models import (
    AuditEvent,
    Membership,
    MembershipRole,
    Notification,
    Organisation,
    User,
    VerificationState,
)
from tests.factories import (
    CityFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    make_coordinator,
    make_staff,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations/"


def signed_in(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def counts() -> tuple[int, int, int]:
    return (
        Organisation.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )


def names(response: Any) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


class TestDirectory:
    def test_anonymous_sees_verified_and_pending_not_rejected(self) -> None:
        OrganisationFactory(name="Alpha", verification_state=VerificationState.VERIFIED)
        OrganisationFactory(name="Beta", verification_state=VerificationState.PENDING)
        OrganisationFactory(name="Gamma", verification_state=VerificationState.REJECTED)
        assert names(APIClient().get(URL)) == ["Alpha", "Beta"]

    def test_members_see_their_rejected_organisation(self) -> None:
        member = UserFactory()
        OrganisationFactory(
            name="Gamma", verification_state=VerificationState.REJECTED, owner=member
        )
        assert names(signed_in(member).get(URL)) == ["Gamma"]

    def test_filters(self) -> None:
        lyon = CityFactory(slug="lyon")
        OrganisationFactory(
            name="Solar Commons",
            kind="startup",
            sectors=["energy", "housing"],
            cities=[lyon],
            verification_state=VerificationState.VERIFIED,
            description="Rooftop solar panels.",
        )
        OrganisationFactory(
            name="Water Works", kind="utility", sectors=["water", "energy"]
        )
        client = APIClient()
        assert names(client.get(URL, {"kind": "utility"})) == ["Water Works"]
        assert names(client.get(URL, {"sector": "energy"})) == [
            "Solar Commons",
            "Water Works",
        ]
        assert names(client.get(URL + "?sector=energy&sector=housing")) == [
            "Solar Commons"
        ]
        assert names(client.get(URL, {"city": "lyon"})) == ["Solar Commons"]
        assert names(client.get(URL, {"verified": "true"})) == ["Solar Commons"]
        assert names(client.get(URL, {"verified": "false"})) == ["Water Works"]
        assert names(client.get(URL, {"search": "rooftop"})) == ["Solar Commons"]

    def test_unknown_filter_value_is_a_400(self) -> None:
        response = APIClient().get(URL, {"kind": "wizard"})
        assert response.status_code == 400
        assert "kind" in response.json()
        assert APIClient().get(URL, {"sector": "magic"}).status_code == 400

    def test_retrieve_and_404s(self) -> None:
        org = OrganisationFactory(name="Alpha", sectors=["energy"])
        MembershipFactory(organisation=org)
        data = APIClient().get(f"{URL}{org.pk}/").json()
        assert data["name"] == "Alpha"
        assert data["sectors"] == [{"slug": "energy", "name": "Energy"}]
        assert data["member_count"] == 1
        assert APIClient().get(f"{URL}999999/").status_code == 404
        rejected = OrganisationFactory(verification_state=VerificationState.REJECTED)
        assert APIClient().get(f"{URL}{rejected.pk}/").status_code == 404

    def test_list_query_count_does_not_grow_with_rows(self) -> None:
        viewer = UserFactory()
        city = CityFactory()

        def make(n: int) -> None:
            for _ in range(n):
                org = OrganisationFactory(
                    sectors=["energy", "water"], cities=[city], owner=UserFactory()
                )
                MembershipFactory(organisation=org)

        def measure() -> tuple[int, int]:
            # A fresh user object per request, as in production: permission
            # answers are cached on it.
            client = signed_in(User.objects.get(pk=viewer.pk))
            with CaptureQueriesContext(connection) as queries:
                response = client.get(URL)
            assert response.status_code == 200
            return len(queries), response.json()["count"]

        make(2)
        few, rows = measure()
        assert rows == 2
        make(18)
        many, rows = measure()
        assert rows == 20
        assert few == many


class TestCreate:
    def test_creator_becomes_owner_and_it_waits_for_verification(self) -> None:
        user = UserFactory()
        lyon = CityFactory(slug="lyon")
        response = signed_in(user).post(
            URL,
            {
                "name": "  Solar Commons ",
                "kind": "startup",
                "sectors": ["energy", "housing"],
                "cities": ["lyon"],
                "description": "Rooftop solar.",
                "website": "https://solar.example",
            },
        )
        assert response.status_code == 201, response.json()
        data = response.json()
        assert data["name"] == "Solar Commons"
        assert data["verification_state"] == "pending"
        assert data["member_count"] == 1
        assert [c["slug"] for c in data["cities"]] == ["lyon"]
        org = Organisation.objects.get(pk=data["id"])
        assert org.cities.get() == lyon
        assert Membership.objects.get(organisation=org).user == user
        assert Membership.objects.get(organisation=org).role == MembershipRole.OWNER

    def test_anonymous_cannot_create(self) -> None:
        before = counts()
        response = APIClient().post(URL, {"name": "Solar", "kind": "startup"})
        assert response.status_code == 401
        assert counts() == before

    @pytest.mark.parametrize(
        "body, field",
        [
            ({"name": "     ", "kind": "startup"}, "name"),
            ({"name": "x" * 10_000, "kind": "startup"}, "name"),
            ({"name": "<script>alert(1)</script>", "kind": "startup"}, "name"),
            (
                {
                    "name": "Solar",
                    "kind": "startup",
                    "description": "Hello <img src=x onerror=alert(1)>",
                },
                "description",
            ),
            ({"name": "Solar", "kind": "wizard"}, "kind"),
            ({"name": "Solar", "kind": "startup", "sectors": ["magic"]}, "sectors"),
            ({"name": "Solar", "kind": "startup", "sectors": "energy"}, "sectors"),
            ({"name": "Solar", "kind": "startup", "cities": ["atlantis"]}, "cities"),
            ({"name": "Solar", "kind": "startup", "website": "not a url"}, "website"),
            ({"name": 12, "kind": ["startup"]}, "kind"),
            ({"name": {"a": 1}, "kind": "startup"}, "name"),
            ({"kind": "startup"}, "name"),
            ({"name": "Solar"}, "kind"),
            ({"name": "S", "kind": "startup"}, "name"),
        ],
    )
    def test_bad_input_is_a_field_error_and_nothing_is_saved(
        self, body: dict[str, Any], field: str
    ) -> None:
        user = UserFactory()
        before = counts()
        response = signed_in(user).post(URL, body, format="json")
        assert response.status_code == 400
        assert field in response.json(), response.json()
        assert all(isinstance(m, str) for m in response.json()[field])
        assert counts() == before

    def test_non_json_body_is_a_4xx(self) -> None:
        user = UserFactory()
        before = counts()
        response = signed_in(user).post(
            URL, "{not json", content_type="application/json"
        )
        assert response.status_code == 400
        assert counts() == before

    def test_same_name_gets_a_distinct_slug(self) -> None:
        user = UserFactory()
        client = signed_in(user)
        first = client.post(URL, {"name": "Solar", "kind": "startup"}).json()
        second = client.post(URL, {"name": "Solar", "kind": "startup"}).json()
        assert first["slug"] != second["slug"]


class TestEdit:
    def test_admin_edits(self) -> None:
        admin = UserFactory()
        org = OrganisationFactory(name="Solar")
        MembershipFactory(organisation=org, user=admin, role=MembershipRole.ADMIN)
        response = signed_in(admin).patch(
            f"{URL}{org.pk}/",
            {"description": "Now with batteries.", "sectors": ["energy"]},
        )
        assert response.status_code == 200, response.json()
        org.refresh_from_db()
        assert org.description == "Now with batteries."
        assert list(org.sectors.values_list("slug", flat=True)) == ["energy"]
        assert org.name == "Solar"

    def test_plain_member_gets_403_and_nothing_changes(self) -> None:
        member = UserFactory()
        org = OrganisationFactory(name="Solar")
        MembershipFactory(organisation=org, user=member)
        response = signed_in(member).patch(f"{URL}{org.pk}/", {"name": "Mine"})
        assert response.status_code == 403
        assert response.json()["detail"]
        org.refresh_from_db()
        assert org.name == "Solar"

    def test_bad_edit_is_400_and_nothing_changes(self) -> None:
        owner = UserFactory()
        org = OrganisationFactory(name="Solar", owner=owner)
        for body in ({"name": "   "}, {"description": "<b>bold</b>"}):
            response = signed_in(owner).patch(f"{URL}{org.pk}/", body)
            assert response.status_code == 400
        org.refresh_from_db()
        assert org.name == "Solar"
        assert org.description == "We build things a city needs."

    def test_put_and_delete_are_not_offered(self) -> None:
        owner = UserFactory()
        org = OrganisationFactory(owner=owner)
        client = signed_in(owner)
        assert client.put(f"{URL}{org.pk}/", {}).status_code == 405
        assert client.delete(f"{URL}{org.pk}/").status_code == 405
        assert Organisation.objects.filter(pk=org.pk).exists()


class TestVerify:
    def test_coordinator_of_its_city_verifies_audited_and_admins_notified(
        self, django_capture_on_commit_callbacks: Any
    ) -> None:
        city = CityFactory()
        owner = UserFactory()
        org = OrganisationFactory(cities=[city], owner=owner)
        coordinator = make_coordinator(city)
        with django_capture_on_commit_callbacks(execute=True):
            response = signed_in(coordinator).post(
                f"{URL}{org.pk}/verify/", {"decision": "verified"}
            )
        assert response.status_code == 200, response.json()
        assert response.json()["verification_state"] == "verified"
        org.refresh_from_db()
        assert org.verified_by == coordinator
        event = AuditEvent.objects.get(action="organisation.verified")
        assert event.actor == coordinator
        assert event.city == city
        assert Notification.objects.filter(recipient=owner).count() == 1

    def test_rejection_needs_a_reason(self) -> None:
        city = CityFactory()
        org = OrganisationFactory(cities=[city])
        coordinator = make_coordinator(city)
        response = signed_in(coordinator).post(
            f"{URL}{org.pk}/verify/", {"decision": "rejected", "reason": "  "}
        )
        assert response.status_code == 400
        assert "reason" in response.json()
        org.refresh_from_db()
        assert org.verification_state == VerificationState.PENDING
        assert not AuditEvent.objects.filter(action__startswith="organisation.r")

    def test_coordinator_of_another_city_gets_403(self) -> None:
        org = OrganisationFactory(cities=[CityFactory()])
        outsider = make_coordinator(CityFactory())
        response = signed_in(outsider).post(
            f"{URL}{org.pk}/verify/", {"decision": "verified"}
        )
        assert response.status_code == 403
        org.refresh_from_db()
        assert org.verification_state == VerificationState.PENDING

    def test_coordinator_without_two_factor_gets_403(self) -> None:
        city = CityFactory()
        org = OrganisationFactory(cities=[city])
        coordinator = make_coordinator(city, two_factor=False)
        response = signed_in(coordinator).post(
            f"{URL}{org.pk}/verify/", {"decision": "verified"}
        )
        assert response.status_code == 403
        assert "two-factor" in response.json()["detail"]

    def test_staff_with_two_factor_verifies_anywhere(self) -> None:
        org = OrganisationFactory()
        response = signed_in(make_staff()).post(
            f"{URL}{org.pk}/verify/", {"decision": "verified"}
        )
        assert response.status_code == 200

    def test_bad_decision_is_a_field_error(self) -> None:
        city = CityFactory()
        org = OrganisationFactory(cities=[city])
        response = signed_in(make_coordinator(city)).post(
            f"{URL}{org.pk}/verify/", {"decision": "maybe"}
        )
        assert response.status_code == 400
        assert "decision" in response.json()
