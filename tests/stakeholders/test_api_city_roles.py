"""/api/v1/city-roles/: the coordinators' verification queue, and the schema."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from stakeholders.models import (
    AuditEvent,
    CityRole,
    CityRoleKind,
    Notification,
    User,
    VerificationState,
)
from tests.factories import (
    CityFactory,
    CityRoleFactory,
    UserFactory,
    make_coordinator,
    make_staff,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/city-roles/"


def signed_in(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def pending(city: Any, role: str = CityRoleKind.OFFICIAL, **user: Any) -> CityRole:
    return CityRoleFactory(
        city=city,
        role=role,
        state=VerificationState.PENDING,
        decided_at=None,
        user=UserFactory(kind="city_official", **user),
    )


class TestQueue:
    def test_coordinator_sees_pending_roles_of_their_city_only(self) -> None:
        city = CityFactory()
        mine = pending(city, email="official@example.org")
        pending(CityFactory())
        pending(city, role=CityRoleKind.COORDINATOR)
        CityRoleFactory(city=city)  # already verified
        response = signed_in(make_coordinator(city)).get(URL)
        assert response.status_code == 200
        rows = response.json()["results"]
        assert [r["id"] for r in rows] == [mine.pk]
        assert rows[0]["city"] == city.slug
        assert "official@example.org" not in json.dumps(response.json())

    def test_staff_sees_every_city_and_coordinator_requests(self) -> None:
        pending(CityFactory())
        pending(CityFactory(), role=CityRoleKind.COORDINATOR)
        response = signed_in(make_staff()).get(URL)
        assert response.json()["count"] == 2

    @pytest.mark.parametrize(
        "make",
        [
            lambda: UserFactory(),
            lambda: make_coordinator(CityFactory(), two_factor=False),
            lambda: make_staff(two_factor=False),
            lambda: CityRoleFactory(role=CityRoleKind.OFFICIAL).user,
        ],
        ids=["resident", "coordinator-without-2fa", "staff-without-2fa", "official"],
    )
    def test_others_get_403(self, make: Any) -> None:
        pending(CityFactory())
        assert signed_in(make()).get(URL).status_code == 403

    def test_anonymous_gets_401(self) -> None:
        assert APIClient().get(URL).status_code == 401


class TestDecide:
    def test_coordinator_verifies_an_official_audited_and_notified(
        self, django_capture_on_commit_callbacks: Any
    ) -> None:
        city = CityFactory()
        role = pending(city)
        coordinator = make_coordinator(city)
        with django_capture_on_commit_callbacks(execute=True):
            response = signed_in(coordinator).post(
                f"{URL}{role.pk}/decide/", {"decision": "verified"}
            )
        assert response.status_code == 200, response.json()
        assert response.json()["state"] == "verified"
        role.refresh_from_db()
        assert role.decided_by == coordinator
        event = AuditEvent.objects.get(action="city_role.verified")
        assert (event.actor, event.city) == (coordinator, city)
        assert Notification.objects.get(recipient=role.user).kind == "verification"

    def test_rejection_needs_a_reason(self) -> None:
        city = CityFactory()
        role = pending(city)
        response = signed_in(make_coordinator(city)).post(
            f"{URL}{role.pk}/decide/", {"decision": "rejected"}
        )
        assert response.status_code == 400
        assert "reason" in response.json()
        role.refresh_from_db()
        assert role.state == VerificationState.PENDING

    def test_coordinator_of_another_city_gets_403(self) -> None:
        role = pending(CityFactory())
        response = signed_in(make_coordinator(CityFactory())).post(
            f"{URL}{role.pk}/decide/", {"decision": "verified"}
        )
        assert response.status_code == 403
        role.refresh_from_db()
        assert role.state == VerificationState.PENDING
        assert not AuditEvent.objects.filter(action="city_role.verified").exists()

    def test_only_staff_makes_coordinators(self) -> None:
        city = CityFactory()
        role = pending(city, role=CityRoleKind.COORDINATOR)
        refused = signed_in(make_coordinator(city)).post(
            f"{URL}{role.pk}/decide/", {"decision": "verified"}
        )
        assert refused.status_code == 403
        granted = signed_in(make_staff()).post(
            f"{URL}{role.pk}/decide/", {"decision": "verified"}
        )
        assert granted.status_code == 200

    def test_unknown_id_is_404(self) -> None:
        response = signed_in(make_staff()).post(
            f"{URL}999999/decide/", {"decision": "verified"}
        )
        assert response.status_code == 404


def test_openapi_schema_is_valid_without_warnings(tmp_path: Any) -> None:
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in (
        "/api/v1/me/",
        "/api/v1/me/export/",
        "/api/v1/cities/{slug}/",
        "/api/v1/organisations/{id}/verify/",
        "/api/v1/organisations/{id}/members/{member_id}/",
        "/api/v1/organisations/{id}/invitations/{invitation_id}/",
        "/api/v1/invitations/accept/",
        "/api/v1/city-roles/{id}/decide/",
        "/api/v1/auth/token/",
    ):
        assert f"  {path}:" in text


def test_schema_is_served() -> None:
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert "/api/v1/organisations/" in schema["paths"]
