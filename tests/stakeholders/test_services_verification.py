"""Verification decisions: audited (who, what, when, why), the people concerned
notified, and refused outside the decider's city."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from stakeholders import services
from stakeholders.models import (
    AuditEvent,
    CityRoleKind,
    MembershipRole,
    Notification,
    NotificationKind,
    VerificationState,
)
from tests.factories import (
    CityFactory,
    CityRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    make_coordinator,
    make_staff,
)

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def team() -> dict[str, Any]:
    city = CityFactory()
    owner = UserFactory()
    org = OrganisationFactory(owner=owner, cities=[city], name="Solar Commons")
    admin = MembershipFactory(organisation=org, role=MembershipRole.ADMIN).user
    member = MembershipFactory(organisation=org, role=MembershipRole.MEMBER).user
    return {
        "city": city,
        "org": org,
        "owner": owner,
        "admin": admin,
        "member": member,
        "coordinator": make_coordinator(city),
    }


def test_rejection_is_audited_with_who_what_when_why(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with (
        time_machine.travel(WHEN, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.organisation_verify(
            actor=team["coordinator"],
            organisation=team["org"],
            decision=VerificationState.REJECTED,
            reason="  No registered company number.  ",
        )
    event = AuditEvent.objects.get(action="organisation.rejected")
    assert event.actor == team["coordinator"]
    assert event.target == team["org"]
    assert event.target_repr == "Solar Commons"
    assert event.city == team["city"]
    assert event.created_at == WHEN
    assert event.reason.strip() == "No registered company number."
    org = team["org"]
    org.refresh_from_db()
    assert (org.verification_state, org.verified_by, org.verified_at) == (
        VerificationState.REJECTED,
        team["coordinator"],
        WHEN,
    )
    assert org.verification_reason == "No registered company number."


def test_the_organisations_admins_are_notified_not_members_nor_the_actor(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    MembershipFactory(
        organisation=team["org"], user=team["coordinator"], role=MembershipRole.ADMIN
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_verify(
            actor=team["coordinator"],
            organisation=team["org"],
            decision=VerificationState.REJECTED,
            reason="Unknown company.",
        )
    notified = set(Notification.objects.values_list("recipient_id", flat=True))
    assert notified == {team["owner"].pk, team["admin"].pk}
    note = Notification.objects.get(recipient=team["owner"])
    assert note.kind == NotificationKind.VERIFICATION
    assert note.actor == team["coordinator"]
    assert note.text == "Solar Commons was not verified: Unknown company."
    assert note.url == team["org"].get_absolute_url()


def test_nothing_is_notified_when_the_decision_is_refused(
    team: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError),
    ):
        services.organisation_verify(
            actor=team["coordinator"],
            organisation=team["org"],
            decision=VerificationState.REJECTED,
            reason="",
        )
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="organisation.r").exists()


@pytest.mark.parametrize(
    "make_actor",
    [
        lambda: make_coordinator(CityFactory()),
        lambda: make_staff(two_factor=False),
        lambda: UserFactory(),
    ],
    ids=["coordinator-of-another-city", "staff-without-2fa", "resident"],
)
def test_verifying_outside_ones_powers_is_refused(
    team: dict[str, Any], make_actor: Any
) -> None:
    with pytest.raises(PermissionDenied):
        services.organisation_verify(
            actor=make_actor(),
            organisation=team["org"],
            decision=VerificationState.VERIFIED,
        )
    team["org"].refresh_from_db()
    assert team["org"].verification_state == VerificationState.PENDING
    assert not AuditEvent.objects.filter(action="organisation.verified").exists()


def test_official_decision_is_audited_and_the_person_notified(
    django_capture_on_commit_callbacks: Any,
) -> None:
    city = CityFactory(name="Lyon")
    role = CityRoleFactory(city=city, state=VerificationState.PENDING, decided_at=None)
    coordinator = make_coordinator(city)
    with (
        time_machine.travel(WHEN, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.city_role_decide(
            actor=coordinator,
            city_role=role,
            decision=VerificationState.VERIFIED,
            reason="Checked with HR.",
        )
    event = AuditEvent.objects.get(action="city_role.verified")
    assert (event.actor, event.city, event.created_at, event.reason) == (
        coordinator,
        city,
        WHEN,
        "Checked with HR.",
    )
    note = Notification.objects.get()
    assert note.recipient == role.user
    assert note.text == "You are now verified as city official in Lyon."


def test_coordinator_cannot_verify_another_citys_official() -> None:
    role = CityRoleFactory(state=VerificationState.PENDING, decided_at=None)
    with pytest.raises(PermissionDenied):
        services.city_role_decide(
            actor=make_coordinator(CityFactory()),
            city_role=role,
            decision=VerificationState.VERIFIED,
        )
    role.refresh_from_db()
    assert role.state == VerificationState.PENDING


def test_coordinator_cannot_make_coordinators() -> None:
    city = CityFactory()
    role = CityRoleFactory(
        city=city,
        role=CityRoleKind.COORDINATOR,
        state=VerificationState.PENDING,
        decided_at=None,
    )
    with pytest.raises(PermissionDenied):
        services.city_role_decide(
            actor=make_coordinator(city),
            city_role=role,
            decision=VerificationState.VERIFIED,
        )
