"""Serializers of the review API (queue, assignments, recommendations, notes,
decisions). They shape and type-check data only; the rules are in
``projects.services.curation``. People appear by public name, never by e-mail.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stakeholders.serializers import (
    DistrictSerializer,
    NamedChoiceField,
    SectorSerializer,
)

from .models import ProposalStatus, Recommendation
from .serializers import OrganisationRefSerializer, StrictSerializer
from .serializers_conversation import PersonRefSerializer, _person
from .services.curation import DECISIONS, MAX_OVERRIDE_REASON


class ConflictSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("Organisation id."))
    name = serializers.CharField()
    lead = serializers.BooleanField(help_text=_("The lead organisation."))


class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reviewer = PersonRefSerializer()
    assigned_by = PersonRefSerializer(allow_null=True)
    assigned_at = serializers.DateTimeField()
    conflicts = ConflictSerializer(
        many=True,
        help_text=_(
            "Organisations of the consortium the reviewer belongs to, found when "
            "assigned (empty: no conflict of interest)."
        ),
    )
    has_conflict = serializers.BooleanField()
    recommendation = NamedChoiceField(
        enum_name="Recommendation",
        choices=Recommendation.choices,
        help_text=_("Empty until the reviewer recommends."),
    )
    recommendation_reason = serializers.CharField()
    recommended_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return {
            "id": instance.pk,
            "reviewer": _person(instance.reviewer),
            "assigned_by": _person(instance.assigned_by),
            "assigned_at": serializers.DateTimeField().to_representation(
                instance.assigned_at
            ),
            "conflicts": [
                {
                    "id": c.get("id"),
                    "name": c.get("name", ""),
                    "lead": bool(c.get("lead")),
                }
                for c in instance.conflicts or []
            ],
            "has_conflict": instance.has_conflict,
            "recommendation": instance.recommendation,
            "recommendation_reason": instance.recommendation_reason,
            "recommended_at": serializers.DateTimeField().to_representation(
                instance.recommended_at
            )
            if instance.recommended_at
            else None,
        }


class QueueAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reviewer = PersonRefSerializer()
    has_conflict = serializers.BooleanField()
    recommendation = NamedChoiceField(
        enum_name="Recommendation", choices=Recommendation.choices
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return {
            "id": instance.pk,
            "reviewer": _person(instance.reviewer),
            "has_conflict": instance.has_conflict,
            "recommendation": instance.recommendation,
        }


class ReviewQueueItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    title = serializers.CharField()
    status = NamedChoiceField(
        enum_name="ProposalStatus", choices=ProposalStatus.choices
    )
    lead_organisation = OrganisationRefSerializer()
    district = DistrictSerializer(allow_null=True)
    sectors = SectorSerializer(many=True)
    best_score = serializers.FloatField(
        allow_null=True,
        help_text=_("Best match score against the city's priorities (0–1)."),
    )
    support_count = serializers.IntegerField()
    open_flag_count = serializers.IntegerField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    age_days = serializers.SerializerMethodField(help_text=_("Days since submission."))
    hidden = serializers.SerializerMethodField(
        help_text=_("Hidden by moderation (the public does not see it).")
    )
    assignments = QueueAssignmentSerializer(many=True, source="review_assignments")

    def get_url(self, obj: Any) -> str:
        return reverse("proposal-detail", kwargs={"pk": obj.pk})

    def get_age_days(self, obj: Any) -> int:
        from .selectors_curation import queue_age_days

        return queue_age_days(obj)

    def get_hidden(self, obj: Any) -> bool:
        return obj.hidden_at is not None


class SuggestionSerializer(serializers.Serializer):
    reviewer = serializers.SerializerMethodField()
    covered_reviews = serializers.IntegerField(
        help_text=_("Past reviews (with a recommendation) sharing a sector.")
    )
    sector_overlaps = serializers.IntegerField(
        help_text=_("Sectors shared, summed over those reviews.")
    )
    open_reviews = serializers.IntegerField(
        help_text=_("Reviews assigned and not yet recommended.")
    )
    conflicts = ConflictSerializer(many=True)
    has_conflict = serializers.BooleanField()
    can_be_assigned = serializers.SerializerMethodField(
        help_text=_(
            "False for the proposal's authors (lead organisation). A partner's "
            "member can be assigned only with an override reason."
        )
    )

    @extend_schema_field(PersonRefSerializer)
    def get_reviewer(self, obj: Any) -> dict[str, Any] | None:
        return _person(obj.reviewer)

    def get_can_be_assigned(self, obj: Any) -> bool:
        return not obj.is_author


class NoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = PersonRefSerializer(allow_null=True)
    body = serializers.CharField()
    created_at = serializers.DateTimeField()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return {
            "id": instance.pk,
            "author": _person(instance.author),
            "body": instance.body,
            "created_at": serializers.DateTimeField().to_representation(
                instance.created_at
            ),
        }


# --- Input ------------------------------------------------------------------------------


class AssignSerializer(StrictSerializer):
    reviewer = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("Id of a verified official of the proposal's city."),
    )
    override_reason = serializers.CharField(
        max_length=MAX_OVERRIDE_REASON,
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "Required when the reviewer belongs to a partner organisation of the "
            "consortium (a conflict of interest); kept in the audit log."
        ),
    )


class RecommendationWriteSerializer(StrictSerializer):
    recommendation = NamedChoiceField(
        enum_name="RecommendationWrite",
        choices=[c for c in Recommendation.choices if c[0]],
    )
    reason = serializers.CharField(
        max_length=5000,
        help_text=_("Why: seen by the coordinators and the other reviewers only."),
        error_messages={"blank": _("Say why you recommend this.")},
    )


class NoteWriteSerializer(StrictSerializer):
    body = serializers.CharField(
        max_length=10_000,
        help_text=_("Plain text; never shown to the authors or the public."),
        error_messages={"blank": _("Write the note first.")},
    )


class ProposalDecisionSerializer(StrictSerializer):
    decision = NamedChoiceField(
        enum_name="ProposalDecision",
        choices=[(s, ProposalStatus(s).label) for s in DECISIONS],
        help_text=_(
            "The status the proposal moves to (under_review sends a shortlisted "
            "proposal back to review)."
        ),
    )
    public_answer = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required to accept or reject; shown to everyone."),
    )
