"""factory_boy factories shared by every test.

Users get a verified primary e-mail address (allauth's ``EmailAddress``) unless built
with ``email_verified=False``, so they can sign in at once, as after the real flow.
``give_totp`` sets up two-factor authentication the way a person does it in the
authenticator-app page.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from projects.models import Sector
from stakeholders.models import (
    City,
    CityRole,
    CityRoleKind,
    District,
    Invitation,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    User,
    UserKind,
    VerificationState,
)

DEFAULT_PASSWORD = "correct-horse-battery-staple"
DEFAULT_TOTP_SECRET = "JBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    kind = UserKind.RESIDENT
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def email_verified(
        obj: User,  # noqa: N805
        create: bool,
        extracted: bool | None,
        **kwargs: Any,
    ) -> None:
        if not create or extracted is False:
            return
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(
            user=obj,
            email=obj.email,
            defaults={"verified": True, "primary": True},
        )


class StaffFactory(UserFactory):
    is_staff = True


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"City {n}")
    slug = factory.Sequence(lambda n: f"city-{n}")
    country = "FR"
    timezone = "Europe/Paris"
    languages = factory.LazyFunction(lambda: ["en", "fr"])


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    city = factory.SubFactory(CityFactory)
    name = factory.Sequence(lambda n: f"District {n}")
    slug = factory.Sequence(lambda n: f"district-{n}")


def sector(slug: str = "energy") -> Sector:
    """A sector of the fixed taxonomy (seeded by a data migration)."""
    return Sector.objects.get_or_create(slug=slug)[0]


class OrganisationFactory(factory.django.DjangoModelFactory):
    """An organisation. ``owner=user`` adds that user as owner; ``cities=[...]`` and
    ``sectors=[...]`` (Sector rows or slugs) set the many-to-many fields."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = OrganisationKind.STARTUP
    description = "We build things a city needs."
    verification_state = VerificationState.PENDING

    @factory.post_generation
    def cities(
        obj: Organisation,  # noqa: N805
        create: bool,
        extracted: list[City] | None,
        **kwargs: Any,
    ) -> None:
        if create and extracted:
            obj.cities.set(extracted)

    @factory.post_generation
    def sectors(
        obj: Organisation,  # noqa: N805
        create: bool,
        extracted: list[Sector | str] | None,
        **kwargs: Any,
    ) -> None:
        if create and extracted:
            obj.sectors.set([sector(s) if isinstance(s, str) else s for s in extracted])

    @factory.post_generation
    def owner(
        obj: Organisation,  # noqa: N805
        create: bool,
        extracted: User | None,
        **kwargs: Any,
    ) -> None:
        if create and extracted is not None:
            Membership.objects.create(
                user=extracted, organisation=obj, role=MembershipRole.OWNER
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MembershipRole.MEMBER


class CityRoleFactory(factory.django.DjangoModelFactory):
    """A verified city role by default; pass ``state=VerificationState.PENDING`` for
    one waiting in the queue."""

    class Meta:
        model = CityRole

    user = factory.SubFactory(UserFactory, kind=UserKind.CITY_OFFICIAL)
    city = factory.SubFactory(CityFactory)
    role = CityRoleKind.OFFICIAL
    state = VerificationState.VERIFIED
    position = "Urban planning department"
    decided_at = factory.LazyFunction(timezone.now)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = MembershipRole.MEMBER
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


def give_totp(user: User, secret: str = DEFAULT_TOTP_SECRET) -> Any:
    """Activate TOTP two-factor authentication for ``user`` with ``secret``; returns
    the allauth ``Authenticator``. Cached permission answers are forgotten."""
    from allauth.mfa.totp.internal.auth import TOTP

    from stakeholders.permissions import forget_cached_powers

    authenticator = TOTP.activate(user, secret).instance
    forget_cached_powers(user)
    return authenticator


def totp_code(secret: str = DEFAULT_TOTP_SECRET) -> str:
    """The six-digit code an authenticator app shows for ``secret`` right now."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def make_coordinator(city: City, *, two_factor: bool = True, **user: Any) -> User:
    """A verified coordinator of ``city`` (with TOTP set up unless told not to)."""
    person = UserFactory(kind=UserKind.CITY_OFFICIAL, **user)
    CityRoleFactory(user=person, city=city, role=CityRoleKind.COORDINATOR)
    if two_factor:
        give_totp(person)
    return person


def make_staff(*, two_factor: bool = True, **user: Any) -> User:
    """A staff member (with TOTP set up unless told not to)."""
    person = StaffFactory(**user)
    if two_factor:
        give_totp(person)
    return person


# The ten columns of the permission tables, in their order (role_users keys).
PERMISSION_ROLES = [
    "anonymous",
    "resident",
    "org_member",
    "org_admin",
    "unverified_official",
    "official",
    "coordinator",
    "coordinator_elsewhere",
    "moderator",
    "staff",
]


def role_users(
    city: City,
    organisation: Organisation,
    *,
    other_city_slug: str,
    member_kind: str | None = None,
) -> dict[str, User | None]:
    """One person per role of the permission tables, around ``city`` and the
    ``organisation`` whose members are "org_member" and "org_admin". Coordinators,
    moderators and staff have TOTP, as their powers require."""

    def member_of(role: str) -> User:
        person = UserFactory(**({"kind": member_kind} if member_kind else {}))
        Membership.objects.create(user=person, organisation=organisation, role=role)
        return person

    def city_role(role: str, state: str = VerificationState.VERIFIED) -> User:
        person = UserFactory(kind=UserKind.CITY_OFFICIAL)
        CityRoleFactory(user=person, city=city, role=role, state=state)
        if role != CityRoleKind.OFFICIAL:
            give_totp(person)
        return person

    return {
        "anonymous": None,
        "resident": UserFactory(),
        "org_member": member_of(MembershipRole.MEMBER),
        "org_admin": member_of(MembershipRole.ADMIN),
        "unverified_official": city_role(
            CityRoleKind.OFFICIAL, VerificationState.PENDING
        ),
        "official": city_role(CityRoleKind.OFFICIAL),
        "coordinator": make_coordinator(city),
        "coordinator_elsewhere": make_coordinator(CityFactory(slug=other_city_slug)),
        "moderator": city_role(CityRoleKind.MODERATOR),
        "staff": make_staff(),
    }
