"""Serializers of the indicators API: series, observations and CSV imports.

They shape and type-check data; every write goes through
``projects.services.indicators``, which checks permissions and validates again
(the same checks as a CSV line).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from stakeholders.models import City, District
from stakeholders.serializers import CityRefSerializer, NamedChoiceField

from .models import (
    SECTOR_SLUGS,
    ImportState,
    Indicator,
    IndicatorImport,
    IndicatorKind,
    Observation,
    PeriodKind,
)
from .serializers import StrictSerializer
from .services.indicators import MAX_NOTE, period_label


class DistrictRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["id", "slug", "name"]


class IndicatorSerializer(serializers.ModelSerializer):
    city = CityRefSerializer(read_only=True)
    district = DistrictRefSerializer(
        read_only=True, allow_null=True, help_text=_("Null for the whole city.")
    )
    kind = NamedChoiceField(
        enum_name="IndicatorKindEnum", choices=IndicatorKind.choices, read_only=True
    )
    period_kind = NamedChoiceField(
        enum_name="PeriodKindEnum", choices=PeriodKind.choices, read_only=True
    )
    priorities = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    sectors = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")

    class Meta:
        model = Indicator
        fields = [
            "id",
            "city",
            "district",
            "kind",
            "code",
            "name",
            "unit",
            "source",
            "higher_is_better",
            "period_kind",
            "priorities",
            "sectors",
            "observation_count",
            "last_period",
            "created_at",
        ]
        read_only_fields = fields


class IndicatorWriteSerializer(StrictSerializer):
    city = serializers.SlugRelatedField(
        slug_field="slug", queryset=City.objects.all(), help_text=_("City slug.")
    )
    district = serializers.SlugField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=80,
        help_text=_("District slug in the city; empty or null for the whole city."),
    )
    kind = NamedChoiceField(
        enum_name="IndicatorKindEnum", choices=IndicatorKind.choices
    )
    code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=60,
        help_text=_(
            "Custom kinds only: lower-case letters, digits, _ and - (default: "
            "from the name). A built-in kind's code is the kind."
        ),
    )
    name = serializers.CharField(required=False, allow_blank=True, max_length=120)
    unit = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=_("Required for custom kinds; a built-in kind has its own."),
    )
    source = serializers.CharField(required=False, allow_blank=True, max_length=200)
    higher_is_better = serializers.BooleanField(required=False, allow_null=True)
    period_kind = NamedChoiceField(
        enum_name="PeriodKindEnum", choices=PeriodKind.choices, required=False
    )
    priorities = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=50,
        help_text=_("Ids of the city's priorities this series informs."),
    )
    sectors = serializers.ListField(
        child=serializers.ChoiceField(choices=SECTOR_SLUGS),
        required=False,
        max_length=20,
    )


class ObservationSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField(
        help_text=_("The period as written in a CSV file: 2025-03, 2025-Q1, 2025.")
    )

    class Meta:
        model = Observation
        fields = ["period", "label", "value", "note", "updated_at"]
        read_only_fields = fields

    def get_label(self, obj: Observation) -> str:
        kind = self.context.get("period_kind", PeriodKind.MONTH)
        return period_label(kind, obj.period)


class ObservationInputSerializer(StrictSerializer):
    period = serializers.CharField(
        max_length=10, help_text=_("YYYY-MM, YYYY-Qn or YYYY: the series' kind.")
    )
    value = serializers.FloatField(help_text=_("A finite number."))
    note = serializers.CharField(required=False, allow_blank=True, max_length=MAX_NOTE)


class ObservationBatchSerializer(StrictSerializer):
    observations = ObservationInputSerializer(
        many=True,
        max_length=5000,
        min_length=1,
        help_text=_(
            "Up to 5,000 periods; all are applied or none. A period already "
            "present is corrected (the old value is kept in its history)."
        ),
    )


class BatchResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class ImportErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text=_("Line number in the file (1: header)."))
    message = serializers.CharField()


class ImportSerializer(serializers.ModelSerializer):
    city = CityRefSerializer(read_only=True)
    state = NamedChoiceField(
        enum_name="ImportStateEnum", choices=ImportState.choices, read_only=True
    )
    percent = serializers.IntegerField(read_only=True)
    errors = ImportErrorSerializer(
        many=True,
        read_only=True,
        help_text=_("Every bad line (the first 1,000; error_count has them all)."),
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = IndicatorImport
        fields = [
            "id",
            "url",
            "city",
            "filename",
            "size",
            "sha256",
            "state",
            "rows_total",
            "rows_done",
            "percent",
            "created_count",
            "updated_count",
            "unchanged_count",
            "error_count",
            "errors",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_url(self, obj: IndicatorImport) -> str:
        return reverse(
            "indicator-import-detail", kwargs={"slug": obj.city.slug, "pk": obj.pk}
        )


class ImportUploadSerializer(StrictSerializer):
    city = serializers.SlugRelatedField(
        slug_field="slug", queryset=City.objects.all(), help_text=_("City slug.")
    )
    file = serializers.FileField(
        help_text=_(
            "CSV, UTF-8: district,indicator,unit,period,value[,note]; "
            "200 MB at most (INDICATOR_IMPORT_MAX_BYTES)."
        )
    )
