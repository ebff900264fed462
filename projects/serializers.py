"""Serializers of the proposals API.

They shape and type-check data only: every write goes through
``projects.services.proposals``, which holds the rules and validates the models again.
Only public fields are shown: an author appears by public name (never by e-mail), an
organisation as ``{id, name, slug, verified}``; money and amounts are decimal strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stakeholders.models import City, District, Organisation, VerificationState
from stakeholders.serializers import (
    CityRefSerializer,
    DistrictSerializer,
    NamedChoiceField,
    SectorSerializer,
)

from .models import (
    MAX_MONEY,
    Attachment,
    Currency,
    DeliveryModel,
    ExpectedImpact,
    ImpactIndicator,
    ImpactUnit,
    PartnerRole,
    PartnerState,
    Proposal,
    ProposalEvent,
    ProposalEventKind,
    ProposalPartner,
    ProposalStatus,
)
from .services.proposals import MAX_IMPACTS

# --- Input helpers ---------------------------------------------------------------------


class StrictSerializer(serializers.Serializer):
    """Refuses keys it does not know, instead of silently dropping them: a client
    that sends ``status`` in an edit, or misspells ``summary``, learns about it."""

    # The OpenAPI document says so: additionalProperties false (api_schema).
    refuses_unknown_fields = True

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {key: [_("Unknown field.")] for key in unknown}
                )
        return super().to_internal_value(data)


def money_field(label: str, **kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        max_value=MAX_MONEY,
        allow_null=True,
        required=False,
        label=label,
        help_text=_("Decimal string, at most 12 digits before the point."),
        **kwargs,
    )


class CoordinateField(serializers.DecimalField):
    """Rounds to six decimals (about 10 cm) instead of refusing a precise GPS
    reading; the range is checked as usual."""

    def validate_precision(self, value: Decimal) -> Decimal:
        if value.is_finite() and abs(value) < 1000:
            value = value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_EVEN)
        return super().validate_precision(value)


def coordinate_field(limit: int) -> serializers.DecimalField:
    return CoordinateField(
        max_digits=9,
        decimal_places=6,
        min_value=-limit,
        max_value=limit,
        allow_null=True,
        required=False,
    )


# --- Read: references -----------------------------------------------------------------


class OrganisationRefSerializer(serializers.ModelSerializer):
    verified = serializers.BooleanField(source="is_verified", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "slug", "verified"]
        read_only_fields = fields


class ImpactSerializer(serializers.ModelSerializer):
    indicator = NamedChoiceField(
        enum_name="ImpactIndicator", choices=ImpactIndicator.choices, read_only=True
    )
    unit = NamedChoiceField(
        enum_name="ImpactUnit", choices=ImpactUnit.choices, read_only=True
    )
    label = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = ExpectedImpact
        fields = ["indicator", "amount", "unit", "year", "label"]
        read_only_fields = fields


class PartnerSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)
    role = NamedChoiceField(
        enum_name="PartnerRole", choices=PartnerRole.choices, read_only=True
    )
    state = NamedChoiceField(
        enum_name="PartnerState", choices=PartnerState.choices, read_only=True
    )

    class Meta:
        model = ProposalPartner
        fields = [
            "id",
            "organisation",
            "role",
            "contribution",
            "state",
            "invited_at",
            "answered_at",
        ]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(
        help_text=_("The download page; files are served with a safe content type.")
    )

    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "url", "created_at"]
        read_only_fields = fields

    def get_url(self, obj: Attachment) -> str:
        return reverse("attachment-download", kwargs={"pk": obj.pk})


class EventSerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(
        enum_name="ProposalEventKind",
        choices=ProposalEventKind.choices,
        read_only=True,
    )
    actor = serializers.SerializerMethodField()
    from_status = serializers.CharField(read_only=True)
    to_status = serializers.CharField(read_only=True)

    class Meta:
        model = ProposalEvent
        fields = ["kind", "actor", "from_status", "to_status", "message", "created_at"]
        read_only_fields = fields

    def get_actor(self, obj: ProposalEvent) -> str | None:
        return obj.actor.public_name if obj.actor_id and obj.actor else None


# --- Read: proposals -----------------------------------------------------------------


class ProposalListSerializer(serializers.ModelSerializer):
    """A proposal in a list. Reads only what ``selectors.proposal_list`` joined or
    prefetched (and the impacts the view prefetches), so a page costs a fixed number
    of queries."""

    url = serializers.CharField(source="get_absolute_url", read_only=True)
    city = CityRefSerializer(read_only=True)
    district = DistrictSerializer(read_only=True, allow_null=True)
    sectors = SectorSerializer(many=True, read_only=True)
    lead_organisation = OrganisationRefSerializer(read_only=True)
    unverified_organisation = serializers.SerializerMethodField(
        help_text=_("The lead organisation is not verified (yet).")
    )
    partners = serializers.SerializerMethodField(
        help_text=_("Partners that accepted, in the order they were invited.")
    )
    author = serializers.SerializerMethodField(help_text=_("The author's public name."))
    status = NamedChoiceField(
        enum_name="ProposalStatus", choices=ProposalStatus.choices, read_only=True
    )
    delivery_model = NamedChoiceField(
        enum_name="DeliveryModel", choices=DeliveryModel.choices, read_only=True
    )
    currency = NamedChoiceField(
        enum_name="Currency", choices=Currency.choices, read_only=True
    )
    impacts = ImpactSerializer(many=True, read_only=True)
    support_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "url",
            "title",
            "summary",
            "status",
            "city",
            "district",
            "sectors",
            "lead_organisation",
            "unverified_organisation",
            "partners",
            "author",
            "delivery_model",
            "capital_cost",
            "operating_cost",
            "currency",
            "city_contribution",
            "impacts",
            "sector_count",
            "partner_count",
            "support_count",
            "resident_support_count",
            "organisation_support_count",
            "comment_count",
            "created_at",
            "submitted_at",
            "decided_at",
        ]
        read_only_fields = fields

    def get_unverified_organisation(self, obj: Proposal) -> bool:
        return obj.lead_organisation.verification_state != VerificationState.VERIFIED

    @extend_schema_field(PartnerSerializer(many=True))
    def get_partners(self, obj: Proposal) -> list[dict[str, Any]]:
        partners = getattr(obj, "accepted_partners", None)
        if partners is None:
            partners = [
                p
                for p in getattr(obj, "all_partners", None)
                or obj.partners.select_related("organisation")
                if p.state == PartnerState.ACCEPTED
            ]
        return PartnerSerializer(partners, many=True).data  # type: ignore[return-value]

    def get_author(self, obj: Proposal) -> str | None:
        return obj.author.public_name if obj.author_id and obj.author else None

    #: Rows are built by hand (``_lean_row``): the same output as the declared
    #: fields (which still describe the schema), without instantiating nested
    #: serializers and walking their fields for every row of a page. Subclasses that
    #: add fields turn it off. ``tests/projects/test_caching.py`` checks both agree.
    lean_rows = True

    def to_representation(self, instance: Proposal) -> dict[str, Any]:
        if not self.lean_rows:
            return super().to_representation(instance)
        return _lean_row(instance)


_DATETIME = serializers.DateTimeField()
_DECIMAL = serializers.DecimalField(max_digits=14, decimal_places=2)


def _when(value: Any) -> str | None:
    return _DATETIME.to_representation(value) if value is not None else None


def _decimal(value: Decimal | None) -> str | None:
    return _DECIMAL.to_representation(value) if value is not None else None


def _organisation_ref(org: Organisation) -> dict[str, Any]:
    return {
        "id": org.pk,
        "name": org.name,
        "slug": org.slug,
        "verified": bool(org.is_verified),
    }


def _lean_row(obj: Proposal) -> dict[str, Any]:
    """``ProposalListSerializer``'s output for one proposal, from what
    ``selectors.proposal_list`` joined and prefetched."""
    partners = getattr(obj, "accepted_partners", None)
    if partners is None:
        partners = [
            p
            for p in getattr(obj, "all_partners", None)
            or obj.partners.select_related("organisation")
            if p.state == PartnerState.ACCEPTED
        ]
    district = obj.district if obj.district_id else None
    org = obj.lead_organisation
    return {
        "id": obj.pk,
        "url": obj.get_absolute_url(),
        "title": obj.title,
        "summary": obj.summary,
        "status": str(obj.status),
        "city": {"slug": obj.city.slug, "name": obj.city.name},
        "district": {"id": district.pk, "name": district.name, "slug": district.slug}
        if district is not None
        else None,
        "sectors": [{"slug": s.slug, "name": str(s.name)} for s in obj.sectors.all()],
        "lead_organisation": _organisation_ref(org),
        "unverified_organisation": org.verification_state != VerificationState.VERIFIED,
        "partners": [
            {
                "id": p.pk,
                "organisation": _organisation_ref(p.organisation),
                "role": str(p.role),
                "contribution": p.contribution,
                "state": str(p.state),
                "invited_at": _when(p.invited_at),
                "answered_at": _when(p.answered_at),
            }
            for p in partners
        ],
        "author": obj.author.public_name if obj.author_id and obj.author else None,
        "delivery_model": str(obj.delivery_model),
        "capital_cost": _decimal(obj.capital_cost),
        "operating_cost": _decimal(obj.operating_cost),
        "currency": str(obj.currency),
        "city_contribution": _decimal(obj.city_contribution),
        "impacts": [
            {
                "indicator": str(i.indicator),
                "amount": _decimal(i.amount),
                "unit": str(i.unit),
                "year": i.year,
                "label": str(i),
            }
            for i in obj.impacts.all()
        ],
        "sector_count": obj.sector_count,
        "partner_count": obj.partner_count,
        "support_count": obj.support_count,
        "resident_support_count": obj.resident_support_count,
        "organisation_support_count": obj.organisation_support_count,
        "comment_count": obj.comment_count,
        "created_at": _when(obj.created_at),
        "submitted_at": _when(obj.submitted_at),
        "decided_at": _when(obj.decided_at),
    }


class ProposalPermissionsSerializer(serializers.Serializer):
    """What the reader may do with this proposal (for showing buttons)."""

    edit = serializers.BooleanField()
    submit = serializers.BooleanField()
    withdraw = serializers.BooleanField()
    transition = serializers.BooleanField()
    manage_partners = serializers.BooleanField()
    transitions = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Statuses the reader may move the proposal to."),
    )


class ProposalDetailSerializer(ProposalListSerializer):
    """One proposal with its body, consortium, attachments and timeline.

    Partners: everyone sees those that accepted; the proposal's authors (and staff)
    see every invitation with its state (context ``all_partners``)."""

    body_html = serializers.CharField(
        read_only=True, help_text=_("The body rendered to sanitised HTML.")
    )
    attachments = AttachmentSerializer(many=True, read_only=True)
    events = EventSerializer(many=True, read_only=True)
    permissions = serializers.SerializerMethodField()

    lean_rows = False

    class Meta(ProposalListSerializer.Meta):
        fields = [
            *ProposalListSerializer.Meta.fields,
            "body",
            "body_html",
            "latitude",
            "longitude",
            "public_answer",
            "attachments",
            "events",
            "revision_count",
            "updated_at",
            "permissions",
        ]
        read_only_fields = fields

    @extend_schema_field(PartnerSerializer(many=True))
    def get_partners(self, obj: Proposal) -> list[dict[str, Any]]:
        if not self.context.get("all_partners"):
            return super().get_partners(obj)
        partners = getattr(obj, "all_partners", None)
        if partners is None:
            partners = list(obj.partners.select_related("organisation"))
        return PartnerSerializer(partners, many=True).data  # type: ignore[return-value]

    @extend_schema_field(ProposalPermissionsSerializer)
    def get_permissions(self, obj: Proposal) -> dict[str, Any]:
        return dict(self.context.get("permissions") or {})


# --- Write: proposals --------------------------------------------------------------------


class ImpactInputSerializer(StrictSerializer):
    indicator = NamedChoiceField(
        enum_name="ImpactIndicator", choices=ImpactIndicator.choices
    )
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, max_value=MAX_MONEY
    )
    unit = NamedChoiceField(enum_name="ImpactUnit", choices=ImpactUnit.choices)
    year = serializers.IntegerField(
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("The year the impact is expected; this year when left out."),
    )


class ProposalWriteSerializer(StrictSerializer):
    """Input of create (all required fields) and of update (``partial=True``).

    ``district`` is a slug within the proposal's city, resolved here so that a
    district of another city is a field error. ``impacts``, when given, replace the
    proposal's impacts."""

    city = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=City.objects.all(),
        help_text=_("City slug; cannot change after creation."),
    )
    lead_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        help_text=_("Id of an organisation the author belongs to."),
    )
    title = serializers.CharField(max_length=140)
    summary = serializers.CharField(max_length=500)
    body = serializers.CharField(
        max_length=50_000,
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text=_(
            "Markdown; rendered to sanitised HTML (raw HTML is shown as text)."
        ),
    )
    sectors = serializers.ListField(
        child=serializers.CharField(max_length=40),
        max_length=20,
        help_text=_("Two or more sector slugs, e.g. energy, housing."),
    )
    delivery_model = NamedChoiceField(
        enum_name="DeliveryModel", choices=DeliveryModel.choices
    )
    capital_cost = money_field(_("capital cost"))
    operating_cost = money_field(_("yearly operating cost"))
    city_contribution = money_field(_("amount asked of the city"))
    currency = NamedChoiceField(
        enum_name="Currency", choices=Currency.choices, required=False
    )
    district = serializers.SlugField(
        max_length=80,
        allow_null=True,
        required=False,
        help_text=_("District slug within the proposal's city; null to clear."),
    )
    latitude = coordinate_field(90)
    longitude = coordinate_field(180)
    impacts = ImpactInputSerializer(
        many=True, required=False, max_length=MAX_IMPACTS, allow_empty=True
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        proposal: Proposal | None = self.context.get("proposal")
        if proposal is not None and "city" in attrs and attrs["city"] != proposal.city:
            raise serializers.ValidationError(
                {"city": [_("A proposal cannot move to another city.")]}
            )
        if proposal is not None and "lead_organisation" in attrs:
            raise serializers.ValidationError(
                {"lead_organisation": [_("The lead organisation cannot change.")]}
            )
        city = attrs.get("city") or (proposal.city if proposal else None)
        slug = attrs.get("district")
        if slug:
            district = District.objects.filter(city=city, slug=slug).first()
            if district is None:
                raise serializers.ValidationError(
                    {
                        "district": [
                            _("There is no district “%(slug)s” in %(city)s.")
                            % {"slug": slug, "city": city}
                        ]
                    }
                )
            attrs["district"] = district
        return attrs


class ProposalUpdateSerializer(ProposalWriteSerializer):
    note = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text=_("What changed, kept with the revision (after submission)."),
    )


class WithdrawSerializer(StrictSerializer):
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Shown in the proposal's public timeline."),
    )


class TransitionSerializer(StrictSerializer):
    to_status = NamedChoiceField(
        enum_name="ProposalStatus", choices=ProposalStatus.choices
    )
    public_answer = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required to accept or reject; shown to everyone."),
    )


class PartnerInviteSerializer(StrictSerializer):
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.exclude(
            verification_state=VerificationState.REJECTED
        ),
        help_text=_("Id of the organisation invited."),
    )
    role = NamedChoiceField(enum_name="PartnerRole", choices=PartnerRole.choices)
    contribution = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, default=""
    )


class AttachmentUploadSerializer(StrictSerializer):
    file = serializers.FileField(
        help_text=_(
            "PDF, PNG or JPEG, at most 10 MB; the type is read from the content."
        )
    )
    name = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text=_("Shown to readers; the file's own name when left out."),
    )


# --- Revisions and similar proposals -------------------------------------------------------


class RevisionChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    lines = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Unified diff lines (without file headers)."),
    )


class RevisionSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="revision.number")
    author = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(source="revision.created_at")
    note = serializers.CharField(source="revision.note")
    snapshot = serializers.DictField(
        source="revision.snapshot", help_text=_("The public fields at this revision.")
    )
    first = serializers.BooleanField(
        help_text=_("The first revision (at submission): nothing to compare with.")
    )
    changes = RevisionChangeSerializer(
        many=True, help_text=_("Fields changed since the previous revision.")
    )

    def get_author(self, obj: dict[str, Any]) -> str | None:
        author = obj["revision"].author
        return author.public_name if author else None


class SimilarProposalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    status = NamedChoiceField(
        enum_name="ProposalStatus", choices=ProposalStatus.choices
    )
    lead_organisation = serializers.CharField(help_text=_("Name."))
    similarity = serializers.FloatField(help_text=_("Cosine similarity in [0, 1]."))
    shared_terms = serializers.ListField(child=serializers.CharField())
    url = serializers.CharField()


class SimilarQuerySerializer(serializers.Serializer):
    city = serializers.SlugRelatedField(
        slug_field="slug", queryset=City.objects.all(), help_text=_("City slug.")
    )
    title = serializers.CharField(max_length=140)
    summary = serializers.CharField(max_length=500, required=False, default="")
    body = serializers.CharField(max_length=4000, required=False, default="")
    exclude = serializers.IntegerField(
        required=False, help_text=_("Id of the proposal being edited, left out.")
    )
