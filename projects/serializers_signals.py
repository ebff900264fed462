"""Serializers of the signals API. They shape and type-check data; accepting and
dismissing go through ``projects.services.signals``, which checks again."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stakeholders.serializers import CityRefSerializer, NamedChoiceField

from .models import (
    Indicator,
    IndicatorKind,
    Priority,
    Signal,
    SignalAction,
    SignalDirection,
    SignalState,
)
from .serializers import StrictSerializer
from .serializers_matching import JobSerializer


class SignalIndicatorSerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(
        enum_name="IndicatorKindEnum", choices=IndicatorKind.choices, read_only=True
    )
    district = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = ["id", "code", "name", "kind", "unit", "district", "higher_is_better"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_district(self, obj: Indicator) -> str | None:
        return obj.district.name if obj.district_id else None


class SignalPrioritySerializer(serializers.ModelSerializer):
    class Meta:
        model = Priority
        fields = ["id", "title", "weight"]
        read_only_fields = fields


class SignalSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    city = CityRefSerializer(read_only=True)
    indicator = SignalIndicatorSerializer(read_only=True)
    direction = NamedChoiceField(
        enum_name="SignalDirectionEnum",
        choices=SignalDirection.choices,
        read_only=True,
    )
    state = NamedChoiceField(
        enum_name="SignalStateEnum", choices=SignalState.choices, read_only=True
    )
    action = serializers.CharField(
        read_only=True,
        help_text=_(
            "raise_weight, lower_weight or new_priority once accepted; empty otherwise."
        ),
    )
    sentence = serializers.CharField(
        read_only=True, help_text=_("The signal in words, in the reader's language.")
    )
    method_text = serializers.CharField(
        read_only=True, help_text=_("How it was detected, in words.")
    )
    current = serializers.BooleanField(
        read_only=True,
        help_text=_("False when the latest data no longer shows the shift."),
    )
    size = serializers.FloatField(
        read_only=True,
        help_text=_("Relative change of the recent level (0.12 = +12 %)."),
    )
    confidence = serializers.FloatField(read_only=True, help_text=_("From 0 to 1."))
    details = serializers.DictField(
        read_only=True,
        help_text=_("The numbers behind the signal (baseline, recent level, test)."),
    )
    priority = SignalPrioritySerializer(read_only=True, allow_null=True)
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = Signal
        fields = [
            "id",
            "url",
            "city",
            "indicator",
            "direction",
            "size",
            "since",
            "last_period",
            "confidence",
            "method",
            "method_text",
            "sentence",
            "current",
            "details",
            "state",
            "action",
            "priority",
            "decided_by",
            "decided_at",
            "decision_reason",
            "detected_at",
        ]
        read_only_fields = fields

    def get_url(self, obj: Signal) -> str:
        return f"/signals/{obj.pk}/"

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_decided_by(self, obj: Signal) -> str | None:
        user = obj.decided_by
        return (user.display_name or str(_("A coordinator"))) if user else None


class SignalDecisionSerializer(SignalSerializer):
    """An accepted signal, with the city's re-score job to follow."""

    job = serializers.SerializerMethodField()

    class Meta(SignalSerializer.Meta):
        fields = [*SignalSerializer.Meta.fields, "job"]
        read_only_fields = fields

    @extend_schema_field(JobSerializer(allow_null=True))
    def get_job(self, obj: Signal) -> dict[str, Any] | None:
        job = self.context.get("job")
        return JobSerializer(job).data if job is not None else None


class SignalQuerySerializer(serializers.Serializer):
    city = serializers.SlugField(required=False, help_text=_("City slug."))
    state = NamedChoiceField(
        enum_name="SignalStateEnum", choices=SignalState.choices, required=False
    )
    indicator = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text=_("Indicator id.")
    )


class SignalAcceptSerializer(StrictSerializer):
    action = NamedChoiceField(
        enum_name="SignalActionEnum",
        choices=SignalAction.choices,
        help_text=_(
            "raise_weight or lower_weight (a priority the indicator informs), or "
            "new_priority."
        ),
    )
    priority = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**31 - 1,
        help_text=_(
            "For raise/lower: which linked priority (needed when there are several)."
        ),
    )
    weight = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=5,
        help_text=_(
            "The new weight (1–5). Default: one step up or down; a new priority "
            "starts at 3."
        ),
    )
    title = serializers.CharField(
        required=False, allow_blank=True, max_length=140, help_text=_("New priority.")
    )
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text=_("New priority.")
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_("Why, for the audit log."),
    )


class SignalDismissSerializer(StrictSerializer):
    reason = serializers.CharField(
        max_length=2000, help_text=_("Why the signal is dismissed (required).")
    )
