"""Admin for every stakeholder model. Decisions that have rules (verification,
roles) go through the services, so the admin enforces and audits them too."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    AuditEvent,
    City,
    CityRole,
    District,
    Invitation,
    JoinRequest,
    Membership,
    Notification,
    Organisation,
    User,
    VerificationState,
)


def _report(request: HttpRequest, exc: Exception) -> None:
    text = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
    messages.error(request, " ".join(str(t) for t in text))


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "display_name",
        "kind",
        "home_city",
        "is_staff",
        "is_active",
    ]
    list_filter = ["kind", "is_staff", "is_active", "home_city"]
    search_fields = ["email", "display_name"]
    readonly_fields = ["date_joined", "last_login", "deleted_at"]
    list_select_related = ["home_city"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "kind", "home_city", "district")}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Dates"), {"fields": ("date_joined", "last_login", "deleted_at")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),
    )


class DistrictInline(admin.TabularInline):
    model = District
    extra = 0
    prepopulated_fields = {"slug": ("name",)}


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "country", "timezone"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [DistrictInline]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "slug"]
    list_filter = ["city"]
    search_fields = ["name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "verification_state", "created_at"]
    list_filter = ["verification_state", "kind", "cities", "sectors"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ["sectors", "cities"]
    readonly_fields = [
        "verification_state",
        "verified_by",
        "verified_at",
        "verification_reason",
        "created_by",
        "created_at",
    ]
    inlines = [MembershipInline]
    actions = ["verify_selected"]

    @admin.action(description=_("Verify the selected organisations"))
    def verify_selected(
        self, request: HttpRequest, queryset: QuerySet[Organisation]
    ) -> None:
        done = 0
        for org in queryset:
            try:
                services.organisation_verify(
                    actor=request.user,  # type: ignore[arg-type]
                    organisation=org,
                    decision=VerificationState.VERIFIED,
                    reason=str(_("Verified by staff in the admin.")),
                )
                done += 1
            except (PermissionDenied, ValidationError) as exc:
                _report(request, exc)
        if done:
            messages.success(request, _("%(n)d organisations verified.") % {"n": done})


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    raw_id_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "organisation",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    search_fields = ["email", "organisation__name"]
    raw_id_fields = ["organisation", "invited_by", "accepted_by"]
    list_select_related = ["organisation"]
    readonly_fields = ["nonce"]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "created_at", "decided_at", "accepted"]
    raw_id_fields = ["user", "organisation", "decided_by"]
    list_select_related = ["user", "organisation"]


@admin.register(CityRole)
class CityRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "city", "role", "state", "decided_at"]
    list_filter = ["city", "role", "state"]
    raw_id_fields = ["user", "decided_by"]
    list_select_related = ["user", "city"]
    readonly_fields = ["state", "decided_by", "decided_at", "reason"]
    actions = ["verify_selected"]

    @admin.action(description=_("Verify the selected roles"))
    def verify_selected(
        self, request: HttpRequest, queryset: QuerySet[CityRole]
    ) -> None:
        for role in queryset.select_related("city"):
            try:
                services.city_role_decide(
                    actor=request.user,  # type: ignore[arg-type]
                    city_role=role,
                    decision=VerificationState.VERIFIED,
                    reason=str(_("Verified by staff in the admin.")),
                )
            except (PermissionDenied, ValidationError) as exc:
                _report(request, exc)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "city", "actor", "action", "target_repr"]
    list_filter = ["action", "city"]
    search_fields = ["target_repr", "reason"]
    list_select_related = ["city", "actor"]
    date_hierarchy = "created_at"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "message", "read_at"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient", "actor"]
    list_select_related = ["recipient"]
