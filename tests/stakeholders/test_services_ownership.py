"""Owners: an organisation always keeps one; deleting an account hands ownership
over or is refused with the reason."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.authtoken.models import Token

from stakeholders import services
from stakeholders.models import (
    AuditEvent,
    CityRole,
    Membership,
    MembershipRole,
    Notification,
    Organisation,
    User,
)
from tests.factories import (
    CityRoleFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    give_totp,
    make_staff,
)

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[Any, ...]:
    return (
        tuple(Membership.objects.order_by("pk").values_list("pk", "role")),
        User.objects.filter(deleted_at__isnull=False).count(),
        AuditEvent.objects.count(),
    )


class TestLastOwner:
    def test_last_owner_cannot_be_demoted(self) -> None:
        owner = UserFactory()
        org = OrganisationFactory(owner=owner)
        membership = Membership.objects.get(user=owner)
        before = snapshot()
        with pytest.raises(ValidationError, match="at least one owner"):
            services.membership_change_role(
                actor=owner, membership=membership, role=MembershipRole.ADMIN
            )
        assert snapshot() == before
        assert org.memberships.get().role == MembershipRole.OWNER

    def test_last_owner_cannot_be_removed_or_leave(self) -> None:
        owner = UserFactory()
        OrganisationFactory(owner=owner)
        membership = Membership.objects.get(user=owner)
        before = snapshot()
        with pytest.raises(ValidationError, match="last owner"):
            services.membership_remove(actor=owner, membership=membership)
        assert snapshot() == before

    def test_staff_cannot_remove_the_last_owner_either(self) -> None:
        owner = UserFactory()
        OrganisationFactory(owner=owner)
        with pytest.raises(ValidationError):
            services.membership_remove(
                actor=make_staff(), membership=Membership.objects.get(user=owner)
            )

    def test_with_a_second_owner_the_first_may_step_down(self) -> None:
        owner = UserFactory()
        org = OrganisationFactory(owner=owner)
        second = MembershipFactory(organisation=org, role=MembershipRole.ADMIN)
        services.membership_change_role(
            actor=owner, membership=second, role=MembershipRole.OWNER
        )
        mine = Membership.objects.get(user=owner)
        services.membership_change_role(
            actor=owner, membership=mine, role=MembershipRole.MEMBER
        )
        assert mine.role == MembershipRole.MEMBER
        event = AuditEvent.objects.filter(action="membership.role_changed").first()
        assert event is not None and event.actor == owner

    def test_admin_cannot_remove_an_owner(self) -> None:
        owner = UserFactory()
        org = OrganisationFactory(owner=owner)
        admin = MembershipFactory(organisation=org, role=MembershipRole.ADMIN)
        MembershipFactory(organisation=org, role=MembershipRole.OWNER)
        with pytest.raises(PermissionDenied):
            services.membership_remove(
                actor=admin.user, membership=Membership.objects.get(user=owner)
            )


class TestDeletion:
    def test_ownership_passes_to_the_longest_serving_admin(self) -> None:
        owner = UserFactory()
        org = OrganisationFactory(owner=owner, name="Solar Commons")
        MembershipFactory(organisation=org, role=MembershipRole.MEMBER)
        first_admin = MembershipFactory(organisation=org, role=MembershipRole.ADMIN)
        MembershipFactory(organisation=org, role=MembershipRole.ADMIN)

        services.user_delete(actor=owner, user=owner)

        first_admin.refresh_from_db()
        assert first_admin.role == MembershipRole.OWNER
        assert org.memberships.filter(role=MembershipRole.OWNER).count() == 1
        event = AuditEvent.objects.get(action="organisation.ownership_transferred")
        assert event.data == {"to_user": first_admin.user_id}
        assert event.target_id == str(org.pk)

    def test_co_owned_organisation_keeps_its_other_owner(self) -> None:
        owner = UserFactory()
        org = OrganisationFactory(owner=owner)
        other = MembershipFactory(organisation=org, role=MembershipRole.OWNER)
        admin = MembershipFactory(organisation=org, role=MembershipRole.ADMIN)
        services.user_delete(actor=owner, user=owner)
        admin.refresh_from_db()
        other.refresh_from_db()
        assert (other.role, admin.role) == (MembershipRole.OWNER, MembershipRole.ADMIN)

    def test_refused_when_no_admin_can_take_over_and_nothing_changes(self) -> None:
        owner = UserFactory(email="ana@example.org", display_name="Ana")
        handed = OrganisationFactory(owner=owner)
        heir = MembershipFactory(organisation=handed, role=MembershipRole.ADMIN)
        stuck = OrganisationFactory(owner=owner, name="Lonely Org")
        MembershipFactory(organisation=stuck, role=MembershipRole.MEMBER)
        before = snapshot()

        with pytest.raises(ValidationError) as caught:
            services.user_delete(actor=owner, user=owner)

        assert "Lonely Org" in caught.value.messages[0]
        assert "admin" in caught.value.messages[0]
        owner.refresh_from_db()
        assert (owner.email, owner.display_name, owner.deleted_at) == (
            "ana@example.org",
            "Ana",
            None,
        )
        heir.refresh_from_db()
        assert heir.role == MembershipRole.ADMIN  # the transfer was rolled back
        assert snapshot() == before

    def test_deletion_erases_personal_data_and_keeps_the_row(self) -> None:
        user = UserFactory(email="ana@example.org", display_name="Ana")
        give_totp(user)
        Token.objects.create(user=user)
        CityRoleFactory(user=user)
        MembershipFactory(user=user)
        Notification.objects.create(
            recipient=user, kind="membership", event_key="x", message="Hi"
        )

        services.user_delete(actor=user, user=user)

        user.refresh_from_db()
        assert user.email == f"deleted-{user.pk}@deleted.invalid"
        assert user.display_name == ""
        assert user.public_name == "Deleted account"
        assert not user.is_active
        assert not user.has_usable_password()
        for model in (Membership, CityRole, Token, EmailAddress, Authenticator):
            assert not model.objects.filter(user=user).exists(), model
        assert not Notification.objects.filter(recipient=user).exists()
        assert Organisation.objects.count() == 1

    def test_nobody_deletes_someone_else(self) -> None:
        victim = UserFactory()
        with pytest.raises(PermissionDenied):
            services.user_delete(actor=UserFactory(), user=victim)
        victim.refresh_from_db()
        assert victim.deleted_at is None
