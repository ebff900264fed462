"""Demand signals: the city's indicator series, their observations, the imports
that bring them in and the shifts the detector raises.

Imported by ``projects.models`` so that Django registers these models in the
``projects`` app; code imports them from ``projects.models``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stakeholders.validators import validate_no_html, validate_not_blank

__all__ = [
    "IndicatorKind",
    "PeriodKind",
    "Indicator",
    "Observation",
    "ObservationRevision",
    "ImportState",
    "IndicatorImport",
    "SignalDirection",
    "SignalState",
    "SignalAction",
    "Signal",
    "KIND_UNITS",
    "indicator_import_path",
]


class IndicatorKind(models.TextChoices):
    COMMUTE = "commute_minutes", _("Average commute")
    ENERGY = "energy_mwh", _("Energy consumption")
    WATER = "water_m3", _("Water consumption")
    MODE_CAR = "mode_share_car", _("Mode share: car")
    MODE_PT = "mode_share_public_transport", _("Mode share: public transport")
    MODE_BIKE = "mode_share_bike", _("Mode share: bike")
    MODE_WALK = "mode_share_walk", _("Mode share: walk")
    PM25 = "pm25", _("PM2.5 concentration")
    NO2 = "no2", _("NO2 concentration")
    CO2 = "co2_emissions", _("CO2 emissions")
    CUSTOM = "custom", _("Custom")


# The one unit each built-in kind is measured in (the CSV's `unit` column must say
# it); a custom indicator states its own unit once and keeps it.
KIND_UNITS: dict[str, str] = {
    IndicatorKind.COMMUTE: "min",
    IndicatorKind.ENERGY: "MWh",
    IndicatorKind.WATER: "m3",
    IndicatorKind.MODE_CAR: "%",
    IndicatorKind.MODE_PT: "%",
    IndicatorKind.MODE_BIKE: "%",
    IndicatorKind.MODE_WALK: "%",
    IndicatorKind.PM25: "ug/m3",
    IndicatorKind.NO2: "ug/m3",
    IndicatorKind.CO2: "t",
}


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class Indicator(models.Model):
    """One series: a kind of measure for a district, or for the whole city when
    ``district`` is empty. ``code`` is the kind for built-in kinds and a slug of the
    name for custom ones; it is what the CSV's `indicator` column holds."""

    city = models.ForeignKey(
        "stakeholders.City", on_delete=models.CASCADE, related_name="indicators"
    )
    district = models.ForeignKey(
        "stakeholders.District",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("district"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=IndicatorKind.choices)
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(
        _("name"), max_length=120, validators=[validate_not_blank, validate_no_html]
    )
    unit = models.CharField(_("unit"), max_length=20, validators=[validate_not_blank])
    source = models.CharField(
        _("source"), max_length=200, blank=True, validators=[validate_no_html]
    )
    # Lower is better for most city measures (commute, consumption, pollution);
    # for mode shares of public transport, bike and walk, higher is better.
    higher_is_better = models.BooleanField(_("higher is better"), default=False)
    priorities = models.ManyToManyField(
        "projects.Priority",
        related_name="indicators",
        blank=True,
        verbose_name=_("priorities it informs"),
    )
    sectors = models.ManyToManyField(
        "projects.Sector",
        related_name="indicators",
        blank=True,
        verbose_name=_("sectors it informs"),
    )
    period_kind = models.CharField(
        _("period"), max_length=8, choices=PeriodKind.choices, default=PeriodKind.MONTH
    )
    observation_count = models.PositiveIntegerField(default=0, editable=False)
    last_period = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["city", "code", "district__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "district", "code"],
                condition=Q(district__isnull=False),
                name="indicator_once_per_district",
            ),
            models.UniqueConstraint(
                fields=["city", "code"],
                condition=Q(district__isnull=True),
                name="indicator_once_per_city",
            ),
        ]
        indexes = [models.Index(fields=["city", "kind"], name="indicator_city_kind")]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.name} ({self.district or _('whole city')})"


class Observation(models.Model):
    """The value of a series for one period (month, quarter or year), keyed by the
    period's first day."""

    # Imports write observations by the million: every index and foreign-key
    # check on this table costs at each row. The unique (indicator, period) index
    # already serves lookups by indicator, and the import that wrote a value is
    # a record of provenance, not a relation to enforce or search by.
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="observations",
        db_index=False,
    )
    period = models.DateField(_("period start"))
    value = models.FloatField(_("value"))
    note = models.CharField(
        _("note"), max_length=200, blank=True, validators=[validate_no_html]
    )
    source_import = models.ForeignKey(
        "projects.IndicatorImport",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="observation_once_per_period"
            )
        ]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period}: {self.value}"


class ObservationRevision(models.Model):
    """A value replaced by a corrected one: the history of an observation."""

    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, related_name="revisions"
    )
    old_value = models.FloatField()
    new_value = models.FloatField()
    source_import = models.ForeignKey(
        "projects.IndicatorImport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("observation revision")
        verbose_name_plural = _("observation revisions")

    def __str__(self) -> str:
        return f"{self.observation_id}: {self.old_value} → {self.new_value}"


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Checking and importing")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")


def indicator_import_path(instance: IndicatorImport, filename: str) -> str:
    import secrets

    return f"indicator-imports/{instance.city_id}/{secrets.token_hex(16)}.csv"


class IndicatorImport(models.Model):
    """One uploaded CSV file. Applied entirely or not at all; a rejected file keeps
    every bad line with its number and what is wrong."""

    city = models.ForeignKey(
        "stakeholders.City", on_delete=models.CASCADE, related_name="indicator_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField(upload_to=indicator_import_path, max_length=200)
    filename = models.CharField(_("file"), max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ImportState.choices,
        default=ImportState.QUEUED,
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    # [{"line": 12, "message": "…"}], capped; error_count holds the full number.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["city", "-created_at"], name="import_city")]
        verbose_name = _("indicator import")
        verbose_name_plural = _("indicator imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.state})"

    @property
    def percent(self) -> int:
        if self.state in (ImportState.DONE, ImportState.REJECTED):
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0


class SignalDirection(models.TextChoices):
    UP = "up", _("Up")
    DOWN = "down", _("Down")


class SignalState(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    DISMISSED = "dismissed", _("Dismissed")


class SignalAction(models.TextChoices):
    RAISE_WEIGHT = "raise_weight", _("Raise the priority's weight")
    LOWER_WEIGHT = "lower_weight", _("Lower the priority's weight")
    NEW_PRIORITY = "new_priority", _("Create a new priority")


class Signal(models.Model):
    """A sustained shift the detector found in one series. Re-detecting the same
    shift (same series, direction and start) updates the row instead of adding one."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="signals"
    )
    city = models.ForeignKey(
        "stakeholders.City", on_delete=models.CASCADE, related_name="signals"
    )
    direction = models.CharField(
        _("direction"), max_length=4, choices=SignalDirection.choices
    )
    # Relative change of the recent level against the baseline (0.12 = +12 %).
    size = models.FloatField(_("size"))
    since = models.DateField(_("since"))
    last_period = models.DateField(_("latest period"))
    confidence = models.FloatField(_("confidence"))
    method = models.CharField(_("method"), max_length=60)
    details = models.JSONField(default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=SignalState.choices, default=SignalState.OPEN
    )
    action = models.CharField(
        _("action"), max_length=16, choices=SignalAction.choices, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(
        _("reason"), max_length=2000, blank=True, validators=[validate_no_html]
    )
    priority = models.ForeignKey(
        "projects.Priority",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signals",
        verbose_name=_("priority changed or created"),
    )
    detected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-detected_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "direction", "since"], name="signal_once_per_shift"
            )
        ]
        indexes = [
            models.Index(fields=["city", "state", "-detected_at"], name="signal_inbox")
        ]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")

    def __str__(self) -> str:
        return (
            f"{self.indicator_id} {self.direction} {self.size:+.0%} since {self.since}"
        )
