"""Reads of the stakeholders app: querysets with the right joins, used by pages and
API alike so both cost the same bounded number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from . import permissions as perms
from .models import (
    City,
    CityRole,
    CityRoleKind,
    Invitation,
    JoinRequest,
    Membership,
    Notification,
    Organisation,
    VerificationState,
)


def organisation_directory(
    *,
    user: Any,
    kind: str | None = None,
    sectors: list[str] | None = None,
    city: str | None = None,
    verified: bool | None = None,
    search: str | None = None,
) -> QuerySet[Organisation]:
    """The organisation directory: visible organisations, filtered; sectors and
    cities prefetched and members counted in the same query."""
    qs = Organisation.objects.visible_to(user)
    if kind:
        qs = qs.filter(kind=kind)
    if sectors:
        for slug in sectors:
            qs = qs.filter(sectors__slug=slug)
    if city:
        qs = qs.filter(cities__slug=city)
    if verified is True:
        qs = qs.filter(verification_state=VerificationState.VERIFIED)
    elif verified is False:
        qs = qs.exclude(verification_state=VerificationState.VERIFIED)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(description__icontains=search))
    return (
        qs.annotate(member_count=Count("memberships", distinct=True))
        .prefetch_related("sectors", "cities")
        .order_by("name", "pk")
    )


def organisation_members(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def organisation_open_invitations(
    *, organisation: Organisation
) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(
            organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .select_related("invited_by")
        .order_by("-created_at")
    )


def organisation_open_join_requests(
    *, organisation: Organisation
) -> QuerySet[JoinRequest]:
    return (
        JoinRequest.objects.filter(organisation=organisation, decided_at__isnull=True)
        .select_related("user")
        .order_by("created_at")
    )


def verification_queue(*, user: Any) -> dict[str, QuerySet[Any]]:
    """Pending organisations and city roles the user may decide on."""
    if perms.staff_power(user):
        city_ids = None
    else:
        city_ids = perms.coordinated_city_ids(user)
    orgs = Organisation.objects.filter(verification_state=VerificationState.PENDING)
    roles = CityRole.objects.filter(state=VerificationState.PENDING)
    if city_ids is not None:
        orgs = orgs.filter(cities__in=city_ids).distinct()
        roles = roles.filter(city_id__in=city_ids).exclude(
            role=CityRoleKind.COORDINATOR
        )
    return {
        "organisations": orgs.prefetch_related(
            "sectors",
            "cities",
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("user"),
                to_attr="member_list",
            ),
        ).order_by("created_at", "pk"),
        "roles": roles.select_related("user", "city").order_by("created_at", "pk"),
    }


def cities_with_counts() -> QuerySet[City]:
    return City.objects.annotate(
        organisation_count=Count("organisations", distinct=True)
    ).order_by("name")


def user_notifications(*, user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("actor")


def unread_notification_count(*, user: Any) -> int:
    if not perms.is_signed_in(user):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
