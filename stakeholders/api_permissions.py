"""DRF permission classes for the stakeholders API.

Each class only asks a predicate of ``stakeholders.permissions``: the rules are
written there once, and the services check them again, so a view that forgot a
class would still be refused by the service.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from . import permissions as perms


class IsSignedIn(BasePermission):
    message = _("Sign in first.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return perms.is_signed_in(request.user)


class ReadOrSignedIn(BasePermission):
    """Anyone reads; writing needs an active account."""

    message = _("Sign in first.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.method in SAFE_METHODS or perms.is_signed_in(request.user)


class CanEditOrganisation(BasePermission):
    """Unsafe methods on an organisation need its admins (or staff with 2FA)."""

    message = _("Only the organisation's admins can edit it.")

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return perms.can_edit_organisation(request.user, obj)


class CanVerifyOrganisation(BasePermission):
    message = _(
        "Only a coordinator of a city this organisation works in can verify it "
        "(with two-factor authentication set up)."
    )

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        return perms.can_verify_organisation(request.user, obj)


class CanManageMembers(BasePermission):
    """The view exposes the organisation as ``view.organisation``."""

    message = _("Only the organisation's admins can manage members and invitations.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return perms.can_manage_members(request.user, view.organisation)  # type: ignore[attr-defined]


class CanSeeVerificationQueue(BasePermission):
    message = _(
        "Only coordinators (with two-factor authentication set up) see the "
        "verification queue."
    )

    def has_permission(self, request: Request, view: APIView) -> bool:
        return perms.can_see_verification_queue(request.user)


class CanDecideCityRole(BasePermission):
    message = _("Only a coordinator of this city can verify its officials.")

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        return perms.can_decide_city_role(request.user, obj)
