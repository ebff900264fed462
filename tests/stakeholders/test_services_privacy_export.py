"""user_export_data: everything the site holds about a person, and only theirs."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from stakeholders import services
from stakeholders.models import CityRoleKind, MembershipRole, Notification
from tests.factories import (
    CityFactory,
    CityRoleFactory,
    DistrictFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_export_holds_profile_memberships_roles_and_notifications() -> None:
    district = DistrictFactory(name="Part-Dieu")
    user = UserFactory(
        email="ana@example.org",
        display_name="Ana",
        kind="startup",
        home_city=district.city,
        district=district,
    )
    org = OrganisationFactory(name="Solar Commons", slug="solar-commons")
    MembershipFactory(user=user, organisation=org, role=MembershipRole.ADMIN)
    CityRoleFactory(
        user=user, city=CityFactory(slug="lyon"), role=CityRoleKind.OFFICIAL
    )
    Notification.objects.create(
        recipient=user,
        kind="membership",
        event_key="joined:1",
        message="%(name)s joined %(org)s.",
        params={"name": "Bo", "org": "Solar Commons"},
        url="/organisations/solar-commons/",
        read_at=timezone.now(),
    )

    data = services.user_export_data(user=user)

    assert data["profile"] == {
        "id": user.pk,
        "email": "ana@example.org",
        "display_name": "Ana",
        "kind": "startup",
        "home_city": district.city.slug,
        "district": "Part-Dieu",
        "date_joined": user.date_joined.isoformat(),
        "last_login": None,
    }
    assert data["memberships"] == [
        {
            "organisation": "Solar Commons",
            "organisation_slug": "solar-commons",
            "role": "admin",
            "since": user.memberships.get().created_at.isoformat(),
        }
    ]
    assert [(r["city"], r["role"], r["state"]) for r in data["city_roles"]] == [
        ("lyon", "official", "verified")
    ]
    [notification] = data["notifications"]
    assert notification["text"] == "Bo joined Solar Commons."
    assert notification["read_at"] is not None
    json.dumps(data)  # JSON-ready as it is


def test_export_holds_nothing_of_other_people() -> None:
    user = UserFactory(email="ana@example.org")
    other = UserFactory(email="bo@example.org", display_name="Bo Secret")
    org = OrganisationFactory(owner=other)
    MembershipFactory(user=user, organisation=org)
    Notification.objects.create(
        recipient=other, kind="membership", event_key="k", message="For Bo only"
    )
    text = json.dumps(services.user_export_data(user=user))
    assert "bo@example.org" not in text
    assert "Bo Secret" not in text
    assert "For Bo only" not in text
