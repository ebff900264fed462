"""Invitation tokens: signed, single use, bound to an e-mail, valid seven days."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from stakeholders import services
from stakeholders.models import (
    Invitation,
    Membership,
    MembershipRole,
    Organisation,
    User,
)
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner() -> User:
    return UserFactory()


@pytest.fixture
def org(owner: User) -> Organisation:
    return OrganisationFactory(owner=owner)


def invite(
    owner: User, org: Organisation, email: str = "new@example.org", role: str = "member"
) -> Invitation:
    return services.invitation_create(
        actor=owner, organisation=org, email=email, role=role
    )


def test_invitation_expires_after_seven_days(owner: User, org: Organisation) -> None:
    newcomer = UserFactory(email="new@example.org")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        invitation = invite(owner, org)
        token = services.invitation_token(invitation)
    assert invitation.expires_at == start + timedelta(days=7)

    with time_machine.travel(start + timedelta(days=6, hours=23), tick=False):
        assert services.invitation_from_token(token).pk == invitation.pk

    with (
        time_machine.travel(start + timedelta(days=7, seconds=1), tick=False),
        pytest.raises(ValidationError, match="expired"),
    ):
        services.invitation_accept(user=newcomer, token=token)
    assert not Membership.objects.filter(user=newcomer).exists()


def test_expiry_is_checked_on_the_row_too(owner: User, org: Organisation) -> None:
    """A token whose signature is still fresh is refused once the invitation's own
    expiry has passed (e.g. shortened by an admin)."""
    newcomer = UserFactory(email="new@example.org")
    invitation = invite(owner, org)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(ValidationError, match="expired"):
        services.invitation_accept(
            user=newcomer, token=services.invitation_token(invitation)
        )


def test_token_is_single_use(owner: User, org: Organisation) -> None:
    newcomer = UserFactory(email="new@example.org")
    token = services.invitation_token(invite(owner, org, role="admin"))
    membership = services.invitation_accept(user=newcomer, token=token)
    assert membership.role == MembershipRole.ADMIN
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == newcomer
    assert invitation.accepted_at is not None

    services.membership_remove(actor=newcomer, membership=membership)
    with pytest.raises(ValidationError, match="already been used"):
        services.invitation_accept(user=newcomer, token=token)
    assert not Membership.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: "x" + t,
        lambda t: t.split(":")[0],
        lambda t: "",
    ],
    ids=["signature", "payload", "unsigned", "empty"],
)
def test_tampered_token_is_refused(
    owner: User, org: Organisation, tamper: Callable[[str], str]
) -> None:
    newcomer = UserFactory(email="new@example.org")
    token = services.invitation_token(invite(owner, org))
    with pytest.raises(ValidationError, match="not valid"):
        services.invitation_accept(user=newcomer, token=tamper(token))
    assert not Membership.objects.filter(user=newcomer).exists()


def test_token_signed_for_another_invitation_id_is_refused(
    owner: User, org: Organisation
) -> None:
    """A validly signed payload naming an invitation with another nonce."""
    newcomer = UserFactory(email="new@example.org")
    invitation = invite(owner, org)
    forged = signing.dumps(
        {"i": invitation.pk, "n": "guessed"}, salt=services.INVITATION_SALT
    )
    with pytest.raises(ValidationError, match="not valid"):
        services.invitation_accept(user=newcomer, token=forged)


def test_token_with_another_salt_is_refused(owner: User, org: Organisation) -> None:
    invitation = invite(owner, org)
    other_purpose = signing.dumps({"i": invitation.pk, "n": invitation.nonce})
    with pytest.raises(ValidationError, match="not valid"):
        services.invitation_from_token(other_purpose)


def test_email_mismatch_is_refused(owner: User, org: Organisation) -> None:
    intruder = UserFactory(email="intruder@example.org")
    token = services.invitation_token(invite(owner, org))
    with pytest.raises(ValidationError, match="another e-mail address"):
        services.invitation_accept(user=intruder, token=token)
    assert Invitation.objects.get().accepted_at is None
    assert not Membership.objects.filter(user=intruder).exists()


def test_email_match_ignores_case(owner: User, org: Organisation) -> None:
    newcomer = UserFactory(email="new@example.org")
    token = services.invitation_token(invite(owner, org, email="NEW@Example.ORG"))
    assert services.invitation_accept(user=newcomer, token=token).user == newcomer


def test_revoked_invitation_is_refused(owner: User, org: Organisation) -> None:
    newcomer = UserFactory(email="new@example.org")
    invitation = invite(owner, org)
    services.invitation_revoke(actor=owner, invitation=invitation)
    with pytest.raises(ValidationError, match="not valid"):
        services.invitation_accept(
            user=newcomer, token=services.invitation_token(invitation)
        )


def test_existing_member_cannot_be_invited(owner: User, org: Organisation) -> None:
    with pytest.raises(ValidationError) as caught:
        invite(owner, org, email=owner.email.upper())
    assert "email" in caught.value.message_dict
    assert Invitation.objects.count() == 0


def test_expired_invitation_can_be_sent_again(owner: User, org: Organisation) -> None:
    first = invite(owner, org)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        second = invite(owner, org)
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert second.pk != first.pk


def test_plain_member_cannot_invite(org: Organisation) -> None:
    member = UserFactory()
    Membership.objects.create(user=member, organisation=org)
    with pytest.raises(PermissionDenied):
        invite(member, org)
    assert Invitation.objects.count() == 0


def test_invitation_email_is_sent_with_the_link(
    owner: User,
    org: Organisation,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(owner, org)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new@example.org"]
    # The token carries its signing time, so read it back from the link.
    link = next(
        line for line in mailoutbox[0].body.splitlines() if "/invitations/" in line
    )
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert services.invitation_from_token(token).pk == invitation.pk
