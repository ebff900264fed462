"""Serializers of the projects API (``/api/v1/projects/``).

They shape and type-check data only; every rule (who may act, proposals of one
city, financing within the budget, milestone dates, the status flow) lives in
``projects.services.projects`` and comes back as a 400 with field errors. Money
is a decimal string; dates are ``YYYY-MM-DD``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stakeholders.models import Organisation
from stakeholders.serializers import NamedChoiceField

from .models import (
    MAX_AMOUNT,
    FinancingKind,
    FinancingStatus,
    ImpactIndicator,
    ImpactUnit,
    Milestone,
    Project,
    ProjectDelivery,
    ProjectRole,
    ProjectStatus,
)
from .serializers import OrganisationRefSerializer, StrictSerializer

#: The largest id a row can have (PostgreSQL ``integer``).
MAX_ID = 2**31 - 1


def _amount(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        max_value=MAX_AMOUNT,
        help_text=_("Decimal string, at most 12 digits before the point."),
        **kwargs,
    )


# --- reading ----------------------------------------------------------------------------------


class ProjectRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(source="get_absolute_url")


class ProjectPartnerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = OrganisationRefSerializer()
    role = NamedChoiceField(enum_name="ProjectRole", choices=ProjectRole.choices)
    contribution = serializers.CharField()


class FinancingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = NamedChoiceField(enum_name="FinancingKind", choices=FinancingKind.choices)
    amount = _amount()
    status = NamedChoiceField(
        enum_name="FinancingStatus", choices=FinancingStatus.choices
    )
    organisation = OrganisationRefSerializer(allow_null=True)
    note = serializers.CharField()


class MilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    due_on = serializers.DateField()
    done_on = serializers.DateField(allow_null=True)
    state = serializers.SerializerMethodField(
        help_text=_("done, late (due date passed, not done) or upcoming.")
    )
    created_at = serializers.DateTimeField()

    @extend_schema_field(serializers.ChoiceField(choices=["done", "late", "upcoming"]))
    def get_state(self, milestone: Milestone) -> str:
        if milestone.done_on is not None:
            return "done"
        return "late" if milestone.is_late else "upcoming"


class ProjectUpdateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body_html = serializers.CharField(help_text=_("Sanitised HTML."))
    author = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_author(self, update: Any) -> str | None:
        return update.author.public_name if update.author else None


class ProjectImpactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    indicator = NamedChoiceField(
        enum_name="ImpactIndicator", choices=ImpactIndicator.choices
    )
    unit = NamedChoiceField(enum_name="ImpactUnit", choices=ImpactUnit.choices)
    expected = _amount()
    measured = _amount(allow_null=True)
    measured_on = serializers.DateField(allow_null=True)
    note = serializers.CharField(help_text=_("How it was measured."))


class ProposalSourceSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="proposal.pk")
    title = serializers.CharField(source="proposal.title")
    url = serializers.CharField(source="proposal.get_absolute_url")
    added_at = serializers.DateTimeField()


class ProjectPriorityRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ProjectListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField(source="get_absolute_url")
    city = serializers.SlugField(source="city.slug")
    title = serializers.CharField()
    summary = serializers.CharField()
    status = NamedChoiceField(enum_name="ProjectStatus", choices=ProjectStatus.choices)
    delivery_model = NamedChoiceField(
        enum_name="ProjectDelivery", choices=ProjectDelivery.choices
    )
    procurement_reference = serializers.CharField()
    budget = _amount()
    currency = serializers.CharField()
    district = serializers.SerializerMethodField()
    sectors = serializers.SerializerMethodField()
    started_on = serializers.DateField(allow_null=True)
    completed_on = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    comment_count = serializers.IntegerField()
    follower_count = serializers.IntegerField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_district(self, project: Project) -> str | None:
        return project.district.name if project.district_id else None

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_sectors(self, project: Project) -> list[str]:
        return [s.slug for s in project.sectors.all()]


class ProjectPermissionsSerializer(serializers.Serializer):
    manage = serializers.BooleanField(
        help_text=_("The reader is a coordinator of the city: may change it.")
    )
    comment = serializers.BooleanField()
    follow = serializers.BooleanField()


class ProjectDetailSerializer(ProjectListSerializer):
    body = serializers.CharField(help_text=_("Markdown source."))
    body_html = serializers.CharField(help_text=_("Sanitised HTML."))
    priorities = ProjectPriorityRefSerializer(many=True, source="priorities.all")
    partners = ProjectPartnerSerializer(many=True, source="partners.all")
    financing = FinancingSerializer(many=True, source="financing.all")
    financing_total = serializers.SerializerMethodField()
    milestones = MilestoneSerializer(many=True, source="milestones.all")
    updates = ProjectUpdateSerializer(many=True, source="updates.all")
    impacts = ProjectImpactSerializer(many=True, source="impacts.all")
    source_proposals = ProposalSourceSerializer(many=True, source="sources.all")
    permissions = serializers.SerializerMethodField()

    @extend_schema_field(_amount())
    def get_financing_total(self, project: Project) -> str:
        total = sum((f.amount for f in project.financing.all()), start=0)
        return f"{total:.2f}"

    @extend_schema_field(ProjectPermissionsSerializer)
    def get_permissions(self, project: Project) -> dict[str, bool]:
        return self.context.get(
            "permissions", {"manage": False, "comment": False, "follow": False}
        )


# --- writing ---------------------------------------------------------------------------------


class ProjectCreateSerializer(StrictSerializer):
    proposals = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=20,
        help_text=_(
            "Ids of the proposals the project is built from: all of one city, "
            "submitted to accepted, none already part of a project."
        ),
    )
    title = serializers.CharField(
        max_length=140,
        required=False,
        allow_blank=True,
        help_text=_("Left out: the first proposal's title."),
    )
    summary = serializers.CharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        help_text=_("Left out: the first proposal's summary."),
    )
    body = serializers.CharField(
        max_length=50_000, required=False, allow_blank=True, trim_whitespace=False
    )
    delivery_model = NamedChoiceField(
        enum_name="ProjectDelivery",
        choices=ProjectDelivery.choices,
        required=False,
        help_text=_("Left out: read from the first proposal's delivery model."),
    )
    procurement_reference = serializers.CharField(
        max_length=80, required=False, allow_blank=True
    )
    budget = _amount(
        required=False,
        allow_null=True,
    )


class ProjectChangeSerializer(StrictSerializer):
    title = serializers.CharField(max_length=140, required=False)
    summary = serializers.CharField(max_length=1000, required=False)
    body = serializers.CharField(
        max_length=50_000, required=False, allow_blank=True, trim_whitespace=False
    )
    delivery_model = NamedChoiceField(
        enum_name="ProjectDelivery", choices=ProjectDelivery.choices, required=False
    )
    procurement_reference = serializers.CharField(
        max_length=80, required=False, allow_blank=True
    )
    budget = _amount(required=False)
    priorities = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=100,
        help_text=_("Ids of the city's priorities the project addresses."),
    )


class StatusChangeSerializer(StrictSerializer):
    status = NamedChoiceField(enum_name="ProjectStatus", choices=ProjectStatus.choices)
    on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("When it happened (not in the future); today when left out."),
    )


class PartnerWriteSerializer(StrictSerializer):
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), help_text=_("Id of the organisation.")
    )
    role = NamedChoiceField(enum_name="ProjectRole", choices=ProjectRole.choices)
    contribution = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, default=""
    )


class FinancingWriteSerializer(StrictSerializer):
    kind = NamedChoiceField(enum_name="FinancingKind", choices=FinancingKind.choices)
    amount = _amount()
    status = NamedChoiceField(
        enum_name="FinancingStatus",
        choices=FinancingStatus.choices,
        required=False,
        default=FinancingStatus.PLANNED,
    )
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Id of the financer, if an organisation."),
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class FinancingChangeSerializer(StrictSerializer):
    kind = NamedChoiceField(
        enum_name="FinancingKind", choices=FinancingKind.choices, required=False
    )
    amount = _amount(required=False)
    status = NamedChoiceField(
        enum_name="FinancingStatus", choices=FinancingStatus.choices, required=False
    )
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class MilestoneWriteSerializer(StrictSerializer):
    title = serializers.CharField(max_length=140)
    due_on = serializers.DateField()
    done_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("Not before the milestone is created, not in the future."),
    )


class MilestoneChangeSerializer(StrictSerializer):
    title = serializers.CharField(max_length=140, required=False)
    due_on = serializers.DateField(required=False)
    done_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("null marks it not done again."),
    )


class UpdateWriteSerializer(StrictSerializer):
    title = serializers.CharField(max_length=140)
    body = serializers.CharField(
        max_length=20_000, help_text=_("Markdown; followers are told.")
    )


class ImpactWriteSerializer(StrictSerializer):
    indicator = NamedChoiceField(
        enum_name="ImpactIndicator", choices=ImpactIndicator.choices
    )
    unit = NamedChoiceField(enum_name="ImpactUnit", choices=ImpactUnit.choices)
    expected = _amount()


class ImpactReportSerializer(StrictSerializer):
    # A report is the three together: PATCH needs them all.
    whole_on_patch = True

    measured = _amount()
    measured_on = serializers.DateField(help_text=_("Not in the future."))
    note = serializers.CharField(max_length=300, help_text=_("How it was measured."))
