"""Serializers of the dashboard, audit log and exports API: the query parameters each
operation accepts, and the exact shape of what it answers (the OpenAPI document is
generated from them, and the API fuzzer holds the answers to it)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from . import exports
from . import selectors_dashboard as sd
from .models import (
    FinancingKind,
    ImpactIndicator,
    ImpactUnit,
    ProjectDelivery,
    ProposalStatus,
)

MAX_RANGE_DAYS = 366 * 10


class RangeQuerySerializer(serializers.Serializer):
    start = serializers.DateField(
        required=False, help_text=_("First day of the period (YYYY-MM-DD).")
    )
    end = serializers.DateField(
        required=False, help_text=_("Last day of the period, included (YYYY-MM-DD).")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("start"), attrs.get("end")
        if start and end and start > end:
            raise serializers.ValidationError(
                {"end": [_("The start of the range must come before its end.")]}
            )
        if start and end and (end - start).days > MAX_RANGE_DAYS:
            raise serializers.ValidationError(
                {"end": [_("Choose a range of ten years at most.")]}
            )
        return attrs

    def period(self) -> sd.DateRange:
        data = self.validated_data
        return sd.DateRange(data.get("start"), data.get("end"))


class DashboardQuerySerializer(RangeQuerySerializer):
    unit = serializers.ChoiceField(
        choices=list(sd.ACTIVITY_PERIODS),
        required=False,
        help_text=_(
            "Periods of the activity series; by default weeks for a range of up "
            "to 26 weeks, months otherwise."
        ),
    )


class AuditQuerySerializer(RangeQuerySerializer):
    city = serializers.SlugField(help_text=_("City slug (required)."))
    group = serializers.ChoiceField(
        choices=list(sd.AUDIT_GROUPS),
        required=False,
        help_text=_(
            "Kind of decision: proposal, review, project, match (priorities, "
            "matches, re-scores), moderation, verification (organisations, city "
            "roles)."
        ),
    )
    action = serializers.CharField(
        required=False, max_length=60, help_text=_("One exact action code.")
    )
    actor = serializers.IntegerField(
        required=False, min_value=1, help_text=_("Id of the person who acted.")
    )
    target_type = serializers.ChoiceField(
        choices=list(sd.AUDIT_TARGETS),
        required=False,
        help_text=_("Kind of object the decision is about."),
    )
    target_id = serializers.RegexField(
        r"^[0-9]{1,20}$",
        required=False,
        help_text=_("Id of the object the decision is about."),
    )

    def filters(self) -> sd.AuditFilters:
        data = self.validated_data
        return sd.AuditFilters(
            group=data.get("group", ""),
            action=data.get("action", ""),
            actor=data.get("actor"),
            target_type=data.get("target_type", ""),
            target_id=data.get("target_id", ""),
            period=self.period(),
        )


class ExportQuerySerializer(serializers.Serializer):
    city = serializers.SlugField(
        required=False,
        help_text=_(
            "City slug. Public exports of every city without it; required for the "
            "full variant and for the audit log."
        ),
    )
    variant = serializers.ChoiceField(
        choices=list(exports.VARIANTS),
        default="public",
        help_text=_(
            "public: open-data fields, for everyone. full: every field but internal "
            "notes, for the coordinators of the city (the audit log is always "
            "full)."
        ),
    )


# --- Answers -----------------------------------------------------------------------------


class AuditEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    action = serializers.CharField()
    actor_id = serializers.IntegerField(allow_null=True)
    actor = serializers.CharField(allow_null=True, help_text=_("Public name."))
    target_type = serializers.CharField(allow_null=True)
    target_id = serializers.CharField(allow_null=True)
    target = serializers.CharField(help_text=_("The object as it was named then."))
    reason = serializers.CharField(allow_blank=True)
    data = serializers.DictField()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return super().to_representation(exports.audit_record(instance))


class DashboardPeriodSerializer(serializers.Serializer):
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)


class DashboardHeadlineSerializer(serializers.Serializer):
    proposals = serializers.IntegerField()
    open_proposals = serializers.IntegerField()
    resident_supports = serializers.IntegerField()
    organisation_supports = serializers.IntegerField()
    comments = serializers.IntegerField()
    projects = serializers.IntegerField()
    active_projects = serializers.IntegerField()
    completed_projects = serializers.IntegerField()


class DashboardStatusCountSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ProposalStatus.choices)
    count = serializers.IntegerField()


class DashboardSectorCountSerializer(serializers.Serializer):
    sector = serializers.SlugField()
    count = serializers.IntegerField()


class DashboardSectorPairSerializer(serializers.Serializer):
    a = serializers.SlugField(help_text=_("The sector first in the taxonomy."))
    b = serializers.SlugField()
    count = serializers.IntegerField(help_text=_("Proposals combining both."))


class DashboardCoverageSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("Priority id."))
    title = serializers.CharField()
    weight = serializers.IntegerField()
    count = serializers.IntegerField(
        help_text=_("Proposals in the running scoring at least the threshold.")
    )


class DashboardActivityPeriodSerializer(serializers.Serializer):
    start = serializers.DateField(help_text=_("First day of the week or month."))
    supports = serializers.IntegerField()
    comments = serializers.IntegerField()


class DashboardActivitySerializer(serializers.Serializer):
    unit = serializers.ChoiceField(choices=list(sd.ACTIVITY_PERIODS))
    periods = DashboardActivityPeriodSerializer(many=True)


MONEY = {"max_digits": 20, "decimal_places": 2}


class DashboardDeliverySerializer(serializers.Serializer):
    delivery_model = serializers.ChoiceField(choices=ProjectDelivery.choices)
    count = serializers.IntegerField()
    budget = serializers.DecimalField(**MONEY)


class DashboardFinancingSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FinancingKind.choices)
    currency = serializers.CharField()
    amount = serializers.DecimalField(**MONEY)
    sources = serializers.IntegerField()


class DashboardImpactSerializer(serializers.Serializer):
    indicator = serializers.ChoiceField(choices=ImpactIndicator.choices)
    unit = serializers.ChoiceField(choices=ImpactUnit.choices)
    projects = serializers.IntegerField(help_text=_("Projects promising it."))
    expected = serializers.DecimalField(
        **MONEY, help_text=_("Promised by all those projects.")
    )
    measured_projects = serializers.IntegerField(
        help_text=_("Projects that measured it.")
    )
    expected_of_measured = serializers.DecimalField(
        **MONEY, help_text=_("Promised by the projects that measured it.")
    )
    measured = serializers.DecimalField(**MONEY)


class DashboardSerializer(serializers.Serializer):
    city = serializers.SlugField()
    period = DashboardPeriodSerializer()
    good_match = serializers.FloatField(
        help_text=_("Score from which a proposal answers a priority well.")
    )
    headline = DashboardHeadlineSerializer()
    pipeline = DashboardStatusCountSerializer(many=True)
    sectors = DashboardSectorCountSerializer(many=True)
    sector_pairs = DashboardSectorPairSerializer(many=True)
    priority_coverage = DashboardCoverageSerializer(many=True)
    activity = DashboardActivitySerializer()
    projects_by_delivery = DashboardDeliverySerializer(many=True)
    financing = DashboardFinancingSerializer(many=True)
    impacts = DashboardImpactSerializer(many=True)
