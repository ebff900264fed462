"""Demo city, accounts and organisations (see ``manage.py seed_demo``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from .models import (
    City,
    CityRoleKind,
    District,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    User,
    UserKind,
    VerificationState,
)

CITY = {
    "slug": "riverbend",
    "name": "Riverbend",
    "country": "CA",
    "timezone": "America/Toronto",
    "languages": ["en", "fr"],
}
OTHER_CITY = {
    "slug": "port-lumiere",
    "name": "Port-Lumière",
    "country": "FR",
    "timezone": "Europe/Paris",
    "languages": ["fr", "en"],
}
DISTRICTS = ["North", "South", "Old Town", "Harbour", "University", "Riverside"]
OTHER_DISTRICTS = ["Centre", "Les Quais"]

ACCOUNTS = [
    # email, display name, kind, district, staff
    ("resident@example.org", "Amina Haddad", UserKind.RESIDENT, "North", False),
    ("startup@example.org", "Léo Martin", UserKind.STARTUP, "University", False),
    ("utility@example.org", "Grace Okafor", UserKind.UTILITY, "Harbour", False),
    ("realestate@example.org", "Tomás Ruiz", UserKind.REAL_ESTATE, "Old Town", False),
    (
        "official@example.org",
        "Claire Dubois",
        UserKind.CITY_OFFICIAL,
        "Old Town",
        False,
    ),
    ("moderator@example.org", "Sam Lee", UserKind.RESIDENT, "South", False),
    ("admin@example.org", "Site Admin", UserKind.RESIDENT, "", True),
]

# name, kind, sectors, state, description, demo member e-mail (owner)
ORGANISATIONS: list[tuple[str, str, list[str], str, str, str | None]] = [
    (
        "SolarRoof Collective",
        OrganisationKind.STARTUP,
        ["energy", "housing", "finance"],
        VerificationState.VERIFIED,
        "Designs, finances and installs rooftop solar on multi-family housing, "
        "and shares the power sold back to the grid with tenants.",
        "startup@example.org",
    ),
    (
        "Riverbend Energy & Water",
        OrganisationKind.UTILITY,
        ["energy", "water", "digital"],
        VerificationState.VERIFIED,
        "The city's electricity, district-heating and water utility: 240,000 "
        "connections, smart meters in every building since 2024.",
        "utility@example.org",
    ),
    (
        "Harbourline Homes",
        OrganisationKind.REAL_ESTATE,
        ["housing", "buildings"],
        VerificationState.VERIFIED,
        "Owns and manages 3,800 rental homes, a third of them social housing, "
        "mostly built between 1955 and 1980.",
        "realestate@example.org",
    ),
    (
        "Green Bridge Capital",
        OrganisationKind.INVESTOR,
        ["finance", "energy", "housing"],
        VerificationState.VERIFIED,
        "Impact investor structuring green and social bonds for municipal "
        "infrastructure and building retrofits.",
        None,
    ),
    (
        "Northgate Builders",
        OrganisationKind.CONSTRUCTION,
        ["buildings", "housing", "waste"],
        VerificationState.VERIFIED,
        "General contractor specialised in deep retrofits and modular timber "
        "extensions, with on-site material reuse.",
        None,
    ),
    (
        "Atelier Civitas Engineering",
        OrganisationKind.ENGINEERING,
        ["mobility", "water", "public_space"],
        VerificationState.VERIFIED,
        "Street design, storm-water and transport engineering; designed the "
        "Old Town rain gardens.",
        None,
    ),
    (
        "Cycle Together",
        OrganisationKind.CIVIL_SOCIETY,
        ["mobility", "health", "safety"],
        VerificationState.VERIFIED,
        "Residents' association for safe cycling and walking, 1,200 members.",
        "resident@example.org",
    ),
    (
        "Riverbend University Urban Lab",
        OrganisationKind.ACADEMIA,
        ["digital", "mobility", "energy", "education"],
        VerificationState.VERIFIED,
        "Research on urban data, travel behaviour and building energy use.",
        None,
    ),
    (
        "ShareWheels",
        OrganisationKind.STARTUP,
        ["mobility", "digital"],
        VerificationState.PENDING,
        "Neighbourhood car and cargo-bike sharing, booked from one app.",
        "startup@example.org",
    ),
    (
        "Compost & Co",
        OrganisationKind.STARTUP,
        ["waste", "food", "public_space"],
        VerificationState.PENDING,
        "Collects food waste from restaurants and turns it into compost for "
        "community gardens.",
        None,
    ),
    (
        "Healthy Streets Alliance",
        OrganisationKind.CIVIL_SOCIETY,
        ["health", "public_space", "mobility"],
        VerificationState.PENDING,
        "Doctors, nurses and parents working for cleaner air around schools.",
        None,
    ),
    (
        "Harbour Data Centre",
        OrganisationKind.UTILITY,
        ["digital", "energy"],
        VerificationState.VERIFIED,
        "Operates the harbour data centre, 12 MW of IT load, ready to export its "
        "waste heat.",
        "utility@example.org",
    ),
]


def _user(
    email: str, name: str, kind: str, city: City, district: str, staff: bool
) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=settings.DEMO_PASSWORD)
    else:
        user.set_password(settings.DEMO_PASSWORD)
    user.display_name = name
    user.kind = kind
    user.home_city = city
    user.district = District.objects.filter(city=city, name=district).first()
    user.is_staff = staff
    user.is_superuser = staff
    user.is_active = True
    user.save()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _set_totp(user: User) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    TOTP.activate(user, settings.DEMO_TOTP_SECRET)
    if not Authenticator.objects.filter(
        user=user, type=Authenticator.Type.RECOVERY_CODES
    ).exists():
        RecoveryCodes.activate(user)


def _city(spec: dict[str, Any], districts: list[str]) -> City:
    city, _ = City.objects.update_or_create(slug=spec["slug"], defaults=spec)
    from django.utils.text import slugify

    for name in districts:
        District.objects.update_or_create(
            city=city, slug=slugify(name), defaults={"name": name}
        )
    return city


def seed(stdout: Any) -> None:
    from projects.models import Sector

    from .services import city_role_grant

    city = _city(CITY, DISTRICTS)
    other = _city(OTHER_CITY, OTHER_DISTRICTS)
    users = {
        email: _user(email, name, kind, city, district, staff)
        for email, name, kind, district, staff in ACCOUNTS
    }
    official = users["official@example.org"]
    moderator = users["moderator@example.org"]
    city_role_grant(actor=None, user=official, city=city, role=CityRoleKind.OFFICIAL)
    city_role_grant(actor=None, user=official, city=city, role=CityRoleKind.COORDINATOR)
    city_role_grant(actor=None, user=moderator, city=city, role=CityRoleKind.MODERATOR)
    for user in (official, moderator, users["admin@example.org"]):
        _set_totp(user)

    sectors = {s.slug: s for s in Sector.objects.all()}
    for name, kind, sector_slugs, state, description, owner_email in ORGANISATIONS:
        org = Organisation.objects.filter(name=name).first()
        from django.utils.text import slugify

        if org is None:
            org = Organisation(name=name, slug=slugify(name))
        org.kind = kind
        org.description = description
        org.website = f"https://{slugify(name)}.example.org"
        org.verification_state = state
        if state == VerificationState.VERIFIED:
            org.verified_by = official
            from django.utils import timezone

            org.verified_at = org.verified_at or timezone.now()
        org.created_by = users.get(owner_email or "") or official
        org.save()
        org.sectors.set([sectors[s] for s in sector_slugs])
        org.cities.set([city] if "Port" not in name else [other])
        if owner_email:
            Membership.objects.update_or_create(
                user=users[owner_email],
                organisation=org,
                defaults={"role": MembershipRole.OWNER},
            )
    stdout.write(
        f"  city {city.name} with {len(DISTRICTS)} districts, {len(ACCOUNTS)} accounts, "
        f"{len(ORGANISATIONS)} organisations"
    )
