"""Serializers of the matching API: priorities, matches, complements, jobs.

They shape and type-check data; every write goes through
``projects.services.matching``, which checks permissions and validates again.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stakeholders.models import City
from stakeholders.serializers import (
    CityRefSerializer,
    NamedChoiceField,
    SectorSerializer,
)

from .models import SECTOR_SLUGS, JobState, Match, MatchReview, Priority, RematchJob
from .serializers import StrictSerializer


class PrioritySerializer(serializers.ModelSerializer):
    city = CityRefSerializer(read_only=True)
    sectors = SectorSerializer(many=True, read_only=True)
    keywords = serializers.ListField(child=serializers.CharField(), read_only=True)
    target_indicators = serializers.ListField(
        child=serializers.CharField(), read_only=True
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Priority
        fields = [
            "id",
            "url",
            "city",
            "title",
            "description",
            "keywords",
            "sectors",
            "weight",
            "target_indicators",
            "active_from",
            "active_until",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_url(self, obj: Priority) -> str:
        return f"/priorities/{obj.pk}/"


class PriorityWriteSerializer(StrictSerializer):
    city = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=City.objects.all(),
        help_text=_("The city's slug (only when creating)."),
        required=False,
    )
    title = serializers.CharField(max_length=140)
    description = serializers.CharField(
        max_length=5000, required=False, allow_blank=True
    )
    keywords = serializers.ListField(
        child=serializers.CharField(max_length=60, allow_blank=True),
        max_length=20,
        required=False,
    )
    sectors = serializers.ListField(
        child=serializers.ChoiceField(choices=SECTOR_SLUGS),
        required=False,
        help_text=_("Sector slugs."),
    )
    weight = serializers.IntegerField(
        min_value=1, max_value=5, required=False, help_text=_("From 1 to 5.")
    )
    target_indicators = serializers.ListField(
        child=serializers.CharField(max_length=120, allow_blank=True),
        max_length=10,
        required=False,
        help_text=_("E.g. “−30 % CO2 by 2030”, “commute time −10 min”."),
    )
    active_from = serializers.DateField(required=False, allow_null=True)
    active_until = serializers.DateField(required=False, allow_null=True)


class ProposalRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    url = serializers.CharField(source="get_absolute_url")
    lead_organisation = serializers.CharField(source="lead_organisation.name")


class PriorityRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    weight = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj: Priority) -> str:
        return f"/priorities/{obj.pk}/"


class MatchSerializer(serializers.ModelSerializer):
    proposal = ProposalRefSerializer(read_only=True)
    priority = PriorityRefSerializer(read_only=True)
    components = serializers.SerializerMethodField()
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)
    review = NamedChoiceField(
        enum_name="MatchReviewEnum", choices=MatchReview.choices, read_only=True
    )

    class Meta:
        model = Match
        fields = [
            "id",
            "proposal",
            "priority",
            "score",
            "components",
            "reasons",
            "engine_version",
            "computed_at",
            "review",
            "reviewed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "additionalProperties": {"type": "number"},
            "description": "Parts of the explanation in [0, 1]: sectors (share of "
            "the priority's sectors covered) and impacts (claimed impacts fitting its "
            "targets).",
        }
    )
    def get_components(self, obj: Match) -> dict[str, Any]:
        return dict(obj.components or {})


class MatchReviewSerializer(StrictSerializer):
    decision = NamedChoiceField(
        enum_name="MatchDecisionEnum",
        choices=[
            (MatchReview.CONFIRMED, _("Confirm")),
            (MatchReview.REJECTED, _("Reject")),
            ("", _("Clear the review")),
        ],
        allow_blank=True,
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class MatchQuerySerializer(serializers.Serializer):
    min_score = serializers.FloatField(min_value=0.0, max_value=1.0, required=False)
    review = serializers.ChoiceField(
        choices=["any", "unreviewed", "confirmed", "rejected"], default="any"
    )


class ComplementSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="target.pk")
    name = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    score = serializers.FloatField()
    reason = serializers.CharField()

    def get_name(self, obj: Any) -> str:
        target = obj.target
        return str(getattr(target, "name", None) or getattr(target, "title", ""))

    def get_url(self, obj: Any) -> str:
        return str(obj.target.get_absolute_url())


class ComplementsSerializer(serializers.Serializer):
    organisations = ComplementSerializer(many=True)
    proposals = ComplementSerializer(many=True)


class JobSerializer(serializers.ModelSerializer):
    city = CityRefSerializer(read_only=True)
    state = NamedChoiceField(
        enum_name="JobStateEnum", choices=JobState.choices, read_only=True
    )
    percent = serializers.IntegerField(read_only=True)
    joined = serializers.SerializerMethodField()

    class Meta:
        model = RematchJob
        fields = [
            "id",
            "city",
            "state",
            "done",
            "total",
            "percent",
            "reason",
            "created_at",
            "started_at",
            "finished_at",
            "joined",
        ]
        read_only_fields = fields

    def get_joined(self, obj: RematchJob) -> bool:
        """True when the request joined a job that was already running."""
        return bool(self.context.get("joined", False))


class RematchRequestSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)
