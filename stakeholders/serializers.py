"""Serializers of the stakeholders API.

They shape and type-check data only: every write goes through a service of
``stakeholders.services``, which holds the rules and validates the models.
E-mail addresses appear only where ``stakeholders.permissions`` says the reader may
see them (their own profile; the members list for the organisation's admins).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import (
    OpenApiSerializerExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from projects.models import Sector

from . import permissions as perms
from .models import (
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

# --- Choices with a stable name in the OpenAPI document ------------------------------


class NamedChoiceField(serializers.ChoiceField):
    """A choice field whose choice set is one named schema component (``kind`` of a
    person and ``kind`` of an organisation are different sets; left to itself the
    schema generator would give them hashed names)."""

    def __init__(self, *, enum_name: str, **kwargs: Any) -> None:
        self.enum_name = enum_name
        super().__init__(**kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "stakeholders.serializers.NamedChoiceField"

    def get_name(self) -> str | None:
        return str(self.target.enum_name)

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        choices = self.target.choices
        return {
            "type": "string",
            "enum": list(choices),
            "description": "\n".join(
                f"* `{value}` - {label}" for value, label in choices.items()
            ),
        }


# What Django's URLValidator accepts, in the words of a JSON-schema pattern.
WEBSITE_PATTERN = (
    r"^(https?|ftps?)://([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}(:[0-9]{1,5})?([/?#][^\s]*)?$"
)


# No "type" at the top: drf-spectacular would add "format: uri" there, which
# refuses the empty string.
@extend_schema_field(
    {
        "anyOf": [
            {
                "type": "string",
                "format": "uri",
                "pattern": WEBSITE_PATTERN,
                "maxLength": 300,
            },
            {"type": "string", "maxLength": 0},
        ],
        "description": "A web address (http, https, ftp or ftps), or empty.",
    }
)
class WebsiteField(serializers.URLField):
    """An organisation's website as written: a web address Django's URL validator
    accepts, or "" for none (the OpenAPI document says both)."""


@extend_schema_field(
    {"anyOf": [{"type": "string", "format": "uri"}, {"type": "string", "maxLength": 0}]}
)
class WebsiteReadField(serializers.URLField):
    """An organisation's website as read: an address, or "" when it has none."""


# --- Errors (for the OpenAPI document) -------------------------------------------


class ErrorDetailSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What went wrong, for a person."))


class FieldErrorsSerializer(serializers.Serializer):
    """A 400 answer: one key per field that was refused (``non_field_errors`` for
    errors about the request as a whole), each with a list of messages."""

    non_field_errors = serializers.ListField(
        child=serializers.CharField(), required=False
    )


class FieldErrorsExtension(OpenApiSerializerExtension):
    """Documents the open set of keys (one per refused field)."""

    target_class = "stakeholders.serializers.FieldErrorsSerializer"

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        messages = {"type": "array", "items": {"type": "string"}}
        # A list or nested object field is refused item by item: its errors are the
        # same shape again, keyed by position (a list) or by field (an object).
        nested = {"$ref": "#/components/schemas/FieldErrors"}
        return {
            "type": "object",
            "description": (
                "One key per refused field (`non_field_errors` for the request as "
                "a whole), each with a list of messages; for a list or an object, "
                "the same shape for each refused item (keyed by its position). A "
                "body that could not be read at all (not JSON) gets `detail` instead."
            ),
            "properties": {
                "non_field_errors": messages,
                "detail": {"type": "string"},
            },
            "additionalProperties": {
                "anyOf": [messages, nested, {"type": "array", "items": nested}]
            },
        }


# --- Cities ---------------------------------------------------------------------------


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["id", "name", "slug"]


class CitySerializer(serializers.ModelSerializer):
    districts = DistrictSerializer(many=True, read_only=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    organisation_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = City
        fields = [
            "slug",
            "name",
            "country",
            "timezone",
            "languages",
            "districts",
            "organisation_count",
        ]


# --- Me -------------------------------------------------------------------------------------


class MeSerializer(serializers.ModelSerializer):
    """The signed-in person's own profile (the only place their e-mail is shown)."""

    home_city = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    district = DistrictSerializer(read_only=True, allow_null=True)
    public_name = serializers.CharField(read_only=True)
    kind = NamedChoiceField(
        enum_name="UserKind", choices=UserKind.choices, read_only=True
    )
    has_two_factor = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "display_name",
            "public_name",
            "kind",
            "home_city",
            "district",
            "has_two_factor",
            "date_joined",
        ]
        read_only_fields = fields

    def get_has_two_factor(self, obj: User) -> bool:
        return perms.has_two_factor(obj)


class MeUpdateSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=80, allow_blank=True)
    kind = NamedChoiceField(
        enum_name="UserKind",
        choices=UserKind.choices,
        help_text=_(
            "Not “city_official”: officials ask for a city role and are verified."
        ),
    )
    home_city = serializers.SlugRelatedField(
        slug_field="slug", queryset=City.objects.all(), help_text=_("City slug.")
    )
    district = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.all(),
        allow_null=True,
        help_text=_("District id in the home city; null to clear."),
    )


# --- Organisations ------------------------------------------------------------------------


class SectorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Sector
        fields = ["slug", "name"]


class CityRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = City
        fields = ["slug", "name"]


class OrganisationSerializer(serializers.ModelSerializer):
    sectors = SectorSerializer(many=True, read_only=True)
    cities = CityRefSerializer(many=True, read_only=True)
    kind = NamedChoiceField(
        enum_name="OrganisationKind", choices=OrganisationKind.choices, read_only=True
    )
    verification_state = NamedChoiceField(
        enum_name="VerificationState",
        choices=VerificationState.choices,
        read_only=True,
    )
    is_verified = serializers.BooleanField(read_only=True)
    website = WebsiteReadField(read_only=True)
    member_count = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "slug",
            "kind",
            "sectors",
            "description",
            "website",
            "cities",
            "verification_state",
            "is_verified",
            "verified_at",
            "verification_reason",
            "member_count",
            "created_at",
        ]
        read_only_fields = fields

    def get_member_count(self, obj: Organisation) -> int:
        count = getattr(obj, "member_count", None)
        if count is None:
            count = obj.memberships.count()
        return int(count)


class OrganisationWriteSerializer(serializers.ModelSerializer):
    """Input of create and update. The model's validators (not blank, no HTML,
    lengths) run here for early field errors, and again in the service."""

    sectors = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Sector.objects.all(),
        many=True,
        required=False,
        help_text=_("Sector slugs, e.g. energy, housing."),
    )
    cities = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=City.objects.all(),
        many=True,
        required=False,
        help_text=_("Slugs of the cities the organisation works in."),
    )
    kind = NamedChoiceField(
        enum_name="OrganisationKind", choices=OrganisationKind.choices
    )
    website = WebsiteField(max_length=300, required=False, allow_blank=True)

    class Meta:
        model = Organisation
        fields = ["name", "kind", "sectors", "description", "website", "cities"]


class VerifyDecisionSerializer(serializers.Serializer):
    decision = NamedChoiceField(
        enum_name="Decision",
        choices=[
            (VerificationState.VERIFIED, _("Verified")),
            (VerificationState.REJECTED, _("Rejected")),
        ],
    )
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required when rejecting; shown to the organisation's admins."),
    )


# --- Members and invitations ------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    user_id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="user.public_name", read_only=True)
    joined = serializers.DateTimeField(source="created_at", read_only=True)
    role = NamedChoiceField(
        enum_name="MembershipRole", choices=MembershipRole.choices, read_only=True
    )
    email = serializers.SerializerMethodField(
        help_text=_("Only the organisation's admins see it; null for everyone else.")
    )

    class Meta:
        model = Membership
        fields = ["id", "user_id", "name", "role", "joined", "email"]
        read_only_fields = fields

    def get_email(self, obj: Membership) -> str | None:
        if self.context.get("show_emails"):
            return obj.user.email
        return None


class MemberRoleSerializer(serializers.Serializer):
    # PATCH changes the role, so it needs one (see stakeholders.api_schema).
    whole_on_patch = True

    role = NamedChoiceField(enum_name="MembershipRole", choices=MembershipRole.choices)


class InvitationSerializer(serializers.ModelSerializer):
    status = NamedChoiceField(
        enum_name="InvitationStatus",
        choices=[
            ("open", _("Open")),
            ("expired", _("Expired")),
            ("accepted", _("Accepted")),
            ("revoked", _("Revoked")),
        ],
        read_only=True,
    )
    role = NamedChoiceField(
        enum_name="InvitationRole",
        choices=[
            (MembershipRole.ADMIN, _("Admin")),
            (MembershipRole.MEMBER, _("Member")),
        ],
        read_only=True,
    )
    invited_by = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "role",
            "status",
            "invited_by",
            "created_at",
            "expires_at",
        ]
        read_only_fields = fields

    def get_invited_by(self, obj: Invitation) -> str | None:
        return obj.invited_by.public_name if obj.invited_by_id else None


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    role = NamedChoiceField(
        enum_name="InvitationRole",
        choices=[
            (MembershipRole.ADMIN, _("Admin")),
            (MembershipRole.MEMBER, _("Member")),
        ],
        default=MembershipRole.MEMBER,
    )


class InvitationAcceptSerializer(serializers.Serializer):
    token = serializers.CharField(
        max_length=500, help_text=_("The token from the invitation link.")
    )


class MembershipCreatedSerializer(serializers.ModelSerializer):
    organisation = OrganisationSerializer(read_only=True)
    role = NamedChoiceField(
        enum_name="MembershipRole", choices=MembershipRole.choices, read_only=True
    )

    class Meta:
        model = Membership
        fields = ["id", "role", "organisation", "created_at"]
        read_only_fields = fields


# --- City roles -------------------------------------------------------------------------------


class CityRoleSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.public_name", read_only=True)
    user_id = serializers.IntegerField(read_only=True)
    city = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    role = NamedChoiceField(
        enum_name="CityRoleKind", choices=CityRoleKind.choices, read_only=True
    )
    state = NamedChoiceField(
        enum_name="VerificationState",
        choices=VerificationState.choices,
        read_only=True,
    )

    class Meta:
        model = CityRole
        fields = [
            "id",
            "user_id",
            "name",
            "city",
            "role",
            "position",
            "state",
            "reason",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields


# --- Privacy and tokens ---------------------------------------------------------------------


class ExportProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    display_name = serializers.CharField()
    kind = serializers.CharField()
    home_city = serializers.CharField(allow_null=True)
    district = serializers.CharField(allow_null=True)
    date_joined = serializers.DateTimeField()
    last_login = serializers.DateTimeField(allow_null=True)


class ExportMembershipSerializer(serializers.Serializer):
    organisation = serializers.CharField()
    organisation_slug = serializers.CharField()
    role = serializers.CharField()
    since = serializers.DateTimeField()


class ExportCityRoleSerializer(serializers.Serializer):
    city = serializers.CharField()
    role = serializers.CharField()
    state = serializers.CharField()
    since = serializers.DateTimeField()


class ExportNotificationSerializer(serializers.Serializer):
    kind = serializers.CharField()
    text = serializers.CharField()
    url = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class ExportSerializer(serializers.Serializer):
    """The personal-data export (documentation only: the service builds it). Other
    apps add their own sections (proposals, comments, supports…) next to these."""

    exported_at = serializers.DateTimeField()
    profile = ExportProfileSerializer()
    memberships = ExportMembershipSerializer(many=True)
    city_roles = ExportCityRoleSerializer(many=True)
    notifications = ExportNotificationSerializer(many=True)


class TokenObtainSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(
        trim_whitespace=False, style={"input_type": "password"}
    )
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=12,
        help_text=_(
            "For accounts with two-factor authentication: the current six-digit "
            "code of the authenticator app."
        ),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
