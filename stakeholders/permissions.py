"""Who may do what, written once.

Every predicate takes the acting user first and is used by the HTML views, the DRF
permission classes and the services alike. City powers (official, coordinator,
moderator) count only when the role is verified; coordinator, moderator and staff
powers also need two-factor authentication (``has_two_factor``). ``docs/permissions.md``
is the same rules as a table.
"""

from __future__ import annotations

from typing import Any

from .models import (
    ADMIN_ROLES,
    City,
    CityRole,
    CityRoleKind,
    Membership,
    MembershipRole,
    Organisation,
    VerificationState,
)

POWERS_NEEDING_2FA = {CityRoleKind.COORDINATOR, CityRoleKind.MODERATOR}


def is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def has_two_factor(user: Any) -> bool:
    if not is_signed_in(user):
        return False
    cached = getattr(user, "_cw_has_2fa", None)
    if cached is None:
        from allauth.mfa.models import Authenticator

        cached = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists()
        user._cw_has_2fa = cached
    return cached


def _verified_roles(user: Any) -> set[tuple[int, str]]:
    """(city_id, role) pairs of the user's verified roles, loaded once per user
    object so a page asking many questions costs one query."""
    if not is_signed_in(user):
        return set()
    cached = getattr(user, "_cw_roles", None)
    if cached is None:
        cached = set(
            CityRole.objects.filter(
                user=user, state=VerificationState.VERIFIED
            ).values_list("city_id", "role")
        )
        user._cw_roles = cached
    return cached


def forget_cached_powers(user: Any) -> None:
    for attr in ("_cw_roles", "_cw_has_2fa", "_cw_memberships"):
        if hasattr(user, attr):
            delattr(user, attr)


def _city_id(city: City | int) -> int:
    return city if isinstance(city, int) else city.pk


def is_staff(user: Any) -> bool:
    return is_signed_in(user) and user.is_staff


def staff_power(user: Any) -> bool:
    """Staff act as staff only with 2FA set up."""
    return is_staff(user) and has_two_factor(user)


def holds_role(user: Any, city: City | int, role: str) -> bool:
    """The role is verified, whether or not 2FA is set up yet."""
    return (_city_id(city), role) in _verified_roles(user)


def holds_any_power_needing_2fa(user: Any) -> bool:
    return is_staff(user) or any(
        r in POWERS_NEEDING_2FA for _c, r in _verified_roles(user)
    )


def needs_two_factor_setup(user: Any) -> bool:
    return holds_any_power_needing_2fa(user) and not has_two_factor(user)


def is_official(user: Any, city: City | int) -> bool:
    """A verified official or coordinator of the city."""
    return holds_role(user, city, CityRoleKind.OFFICIAL) or is_coordinator(user, city)


def is_coordinator(user: Any, city: City | int) -> bool:
    return (
        holds_role(user, city, CityRoleKind.COORDINATOR) and has_two_factor(user)
    ) or staff_power(user)


def is_moderator(user: Any, city: City | int) -> bool:
    return (
        holds_role(user, city, CityRoleKind.MODERATOR) and has_two_factor(user)
    ) or staff_power(user)


def coordinated_city_ids(user: Any) -> set[int]:
    if not has_two_factor(user):
        return set()
    return {c for c, r in _verified_roles(user) if r == CityRoleKind.COORDINATOR}


def is_any_coordinator(user: Any) -> bool:
    return staff_power(user) or bool(coordinated_city_ids(user))


# --- Organisations -------------------------------------------------------------------


def _membership_roles(user: Any) -> dict[int, str]:
    if not is_signed_in(user):
        return {}
    cached = getattr(user, "_cw_memberships", None)
    if cached is None:
        cached = dict(
            Membership.objects.filter(user=user).values_list("organisation_id", "role")
        )
        user._cw_memberships = cached
    return cached


def membership_role(user: Any, organisation: Organisation | int) -> str | None:
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    return _membership_roles(user).get(org_id)


def is_member(user: Any, organisation: Organisation | int) -> bool:
    return membership_role(user, organisation) is not None


def is_org_admin(user: Any, organisation: Organisation | int) -> bool:
    return membership_role(user, organisation) in ADMIN_ROLES


def is_org_owner(user: Any, organisation: Organisation | int) -> bool:
    return membership_role(user, organisation) == MembershipRole.OWNER


def can_create_organisation(user: Any) -> bool:
    return is_signed_in(user)


def can_edit_organisation(user: Any, organisation: Organisation) -> bool:
    return is_org_admin(user, organisation) or staff_power(user)


def can_manage_members(user: Any, organisation: Organisation) -> bool:
    return is_org_admin(user, organisation) or staff_power(user)


def can_see_member_emails(user: Any, organisation: Organisation) -> bool:
    """E-mail addresses are personal data: only the organisation's admins see them."""
    return can_manage_members(user, organisation)


def can_verify_organisation(user: Any, organisation: Organisation) -> bool:
    """Coordinators of a city the organisation is active in, or staff."""
    if staff_power(user):
        return True
    cities = coordinated_city_ids(user)
    if not cities:
        return False
    return organisation.cities.filter(pk__in=cities).exists()


def can_decide_city_role(user: Any, role: CityRole) -> bool:
    """Coordinators verify officials (and moderators) of their own city; only staff
    make coordinators."""
    if staff_power(user):
        return True
    if role.role == CityRoleKind.COORDINATOR:
        return False
    return is_coordinator(user, role.city_id)


def can_see_verification_queue(user: Any) -> bool:
    return is_any_coordinator(user)


def can_see_audit_log(user: Any, city: City | int) -> bool:
    return is_coordinator(user, city)


def may_coordinate_somewhere(user: Any) -> bool:
    """Holds a verified coordinator role somewhere, or is staff, with or without
    2FA yet: such a person is shown the way to the verification queue, where they
    are asked to set up 2FA first if needed."""
    return is_staff(user) or any(
        r == CityRoleKind.COORDINATOR for _c, r in _verified_roles(user)
    )
