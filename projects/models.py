from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stakeholders.validators import validate_no_html, validate_not_blank


class Sector(models.Model):
    """The fixed taxonomy of sectors, seeded by a data migration.

    Names are translated through the catalogue (``SECTOR_NAMES``) rather than stored
    per language, so a new language needs no data change.
    """

    slug = models.SlugField(_("code"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return str(self.name)

    @property
    def name(self) -> str:
        return str(SECTOR_NAMES.get(self.slug, self.slug))


SECTOR_NAMES = {
    "energy": _("Energy"),
    "water": _("Water"),
    "mobility": _("Mobility"),
    "housing": _("Housing"),
    "buildings": _("Buildings & construction"),
    "waste": _("Waste & circular economy"),
    "health": _("Health"),
    "digital": _("Digital & data"),
    "finance": _("Finance"),
    "public_space": _("Public space & nature"),
    "food": _("Food"),
    "education": _("Education"),
    "safety": _("Safety"),
}
SECTOR_SLUGS = list(SECTOR_NAMES)


# --- Proposals ---------------------------------------------------------------------

MAX_MONEY = Decimal("999999999999.99")  # 12 digits before the point


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


PUBLIC_STATUSES = [s for s in ProposalStatus.values if s != ProposalStatus.DRAFT]
DECIDED_STATUSES = {
    ProposalStatus.ACCEPTED,
    ProposalStatus.REJECTED,
    ProposalStatus.WITHDRAWN,
}
# Which statuses a coordinator may move a proposal to, from each status.
COORDINATOR_TRANSITIONS: dict[str, set[str]] = {
    ProposalStatus.SUBMITTED: {
        ProposalStatus.UNDER_REVIEW,
        ProposalStatus.SHORTLISTED,
        ProposalStatus.ACCEPTED,
        ProposalStatus.REJECTED,
    },
    ProposalStatus.UNDER_REVIEW: {
        ProposalStatus.SHORTLISTED,
        ProposalStatus.ACCEPTED,
        ProposalStatus.REJECTED,
    },
    ProposalStatus.SHORTLISTED: {
        ProposalStatus.UNDER_REVIEW,
        ProposalStatus.ACCEPTED,
        ProposalStatus.REJECTED,
    },
}
WITHDRAWABLE = {
    ProposalStatus.DRAFT,
    ProposalStatus.SUBMITTED,
    ProposalStatus.UNDER_REVIEW,
    ProposalStatus.SHORTLISTED,
}


class DeliveryModel(models.TextChoices):
    PUBLIC_PROCUREMENT = "public_procurement", _("Public procurement")
    PPP = "ppp", _("Public-private partnership")
    CONCESSION = "concession", _("Concession")
    PRIVATE_INVESTMENT = "private_investment", _("Private investment")
    BOND = "bond", _("Green or social bond")
    GRANT = "grant", _("Grant")
    COOPERATIVE = "cooperative", _("Resident cooperative")


class Currency(models.TextChoices):
    EUR = "EUR", "EUR"
    CAD = "CAD", "CAD"
    USD = "USD", "USD"
    GBP = "GBP", "GBP"
    CHF = "CHF", "CHF"


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def visible_to(self, user: Any) -> ProposalQuerySet:
        """Drafts are seen by their lead organisation's members (and staff); every
        other status is public."""
        if getattr(user, "is_staff", False) and user.is_active:
            return self
        public = Q(status__in=PUBLIC_STATUSES)
        if getattr(user, "is_authenticated", False):
            return self.filter(
                public | Q(author=user) | Q(lead_organisation__memberships__user=user)
            ).distinct()
        return self.filter(public)

    def public(self) -> ProposalQuerySet:
        return self.filter(status__in=PUBLIC_STATUSES)


class Proposal(models.Model):
    city = models.ForeignKey(
        "stakeholders.City",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("city"),
    )
    title = models.CharField(
        _("title"), max_length=140, validators=[validate_not_blank, validate_no_html]
    )
    summary = models.TextField(
        _("summary"), max_length=500, validators=[validate_not_blank]
    )
    body = models.TextField(
        _("description"),
        max_length=50_000,
        blank=True,
        help_text=_("Markdown: headings, lists, links, emphasis, tables."),
    )
    body_html = models.TextField(editable=False, blank=True)
    sectors = models.ManyToManyField(
        Sector, related_name="proposals", verbose_name=_("sectors")
    )
    sector_count = models.PositiveSmallIntegerField(
        default=0, editable=False, db_index=True
    )
    lead_organisation = models.ForeignKey(
        "stakeholders.Organisation",
        on_delete=models.PROTECT,
        related_name="led_proposals",
        verbose_name=_("lead organisation"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="proposals",
        verbose_name=_("author"),
    )
    delivery_model = models.CharField(
        _("delivery model"), max_length=24, choices=DeliveryModel.choices, db_index=True
    )
    capital_cost = models.DecimalField(
        _("capital cost"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_MONEY)],
    )
    operating_cost = models.DecimalField(
        _("yearly operating cost"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_MONEY)],
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.EUR
    )
    city_contribution = models.DecimalField(
        _("amount asked of the city"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_MONEY)],
    )
    district = models.ForeignKey(
        "stakeholders.District",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("district"),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=ProposalStatus.choices,
        default=ProposalStatus.DRAFT,
    )
    public_answer = models.TextField(_("public answer"), blank=True, max_length=5000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # Stored counters: kept by the services that change them, never recounted per page.
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    resident_support_count = models.PositiveIntegerField(default=0, editable=False)
    organisation_support_count = models.PositiveIntegerField(default=0, editable=False)
    partner_count = models.PositiveSmallIntegerField(default=0, editable=False)
    revision_count = models.PositiveIntegerField(default=0, editable=False)
    # PostgreSQL full-text search: filled by the services, GIN-indexed by a
    # PostgreSQL-only migration; unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        indexes = [
            models.Index(
                fields=["city", "status", "-submitted_at"], name="proposal_city_status"
            ),
            models.Index(fields=["city", "-created_at"], name="proposal_city_created"),
            models.Index(
                fields=["lead_organisation", "status"], name="proposal_lead_status"
            ),
            models.Index(
                fields=["district", "status"], name="proposal_district_status"
            ),
            models.Index(
                fields=["city", "-resident_support_count"], name="proposal_city_support"
            ),
            models.Index(
                fields=["city", "-comment_count"], name="proposal_city_comments"
            ),
        ]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("proposal-detail", kwargs={"pk": self.pk})

    @property
    def support_count(self) -> int:
        return self.resident_support_count + self.organisation_support_count

    @property
    def is_draft(self) -> bool:
        return self.status == ProposalStatus.DRAFT

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED_STATUSES


class PartnerRole(models.TextChoices):
    PARTNER = "partner", _("Partner")
    FINANCER = "financer", _("Financer")
    OPERATOR = "operator", _("Operator")
    RESEARCH = "research", _("Research")


class PartnerState(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ProposalPartner(models.Model):
    """An organisation in the consortium. Listed publicly only once an admin of that
    organisation accepted."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="partners"
    )
    organisation = models.ForeignKey(
        "stakeholders.Organisation",
        on_delete=models.CASCADE,
        related_name="partnerships",
    )
    role = models.CharField(_("role"), max_length=10, choices=PartnerRole.choices)
    contribution = models.TextField(
        _("contribution"), max_length=1000, blank=True, validators=[validate_no_html]
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=PartnerState.choices,
        default=PartnerState.INVITED,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "organisation"], name="partner_once_per_proposal"
            )
        ]
        indexes = [models.Index(fields=["organisation", "state"])]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class ImpactIndicator(models.TextChoices):
    CO2 = "co2_avoided", _("CO2 avoided")
    ENERGY = "energy_saved", _("Energy saved")
    ENERGY_PRODUCED = "energy_produced", _("Renewable energy produced")
    WATER = "water_saved", _("Water saved")
    JOBS = "jobs_created", _("Jobs created")
    RESIDENTS = "residents_served", _("Residents served")
    COMMUTE = "commute_minutes_saved", _("Commute time saved")
    HOMES = "homes", _("Homes built or renovated")
    GREEN_AREA = "green_area", _("Green or permeable area")
    WASTE = "waste_diverted", _("Waste diverted from landfill")
    TRIPS = "car_trips_avoided", _("Car trips avoided")


class ImpactUnit(models.TextChoices):
    T_CO2_YEAR = "t_co2_per_year", _("t CO2 per year")
    MWH_YEAR = "mwh_per_year", _("MWh per year")
    M3_YEAR = "m3_per_year", _("m³ per year")
    JOBS = "jobs", _("jobs")
    PEOPLE = "people", _("people")
    MIN_DAY = "minutes_per_day", _("minutes per person per day")
    MIN_TRIP = "minutes_per_trip", _("minutes per trip")
    HOMES = "homes", _("homes")
    M2 = "m2", _("m²")
    T_YEAR = "t_per_year", _("tonnes per year")
    TRIPS_YEAR = "trips_per_year", _("trips per year")


IMPACT_UNITS: dict[str, set[str]] = {
    ImpactIndicator.CO2: {ImpactUnit.T_CO2_YEAR},
    ImpactIndicator.ENERGY: {ImpactUnit.MWH_YEAR},
    ImpactIndicator.ENERGY_PRODUCED: {ImpactUnit.MWH_YEAR},
    ImpactIndicator.WATER: {ImpactUnit.M3_YEAR},
    ImpactIndicator.JOBS: {ImpactUnit.JOBS},
    ImpactIndicator.RESIDENTS: {ImpactUnit.PEOPLE},
    ImpactIndicator.COMMUTE: {ImpactUnit.MIN_DAY, ImpactUnit.MIN_TRIP},
    ImpactIndicator.HOMES: {ImpactUnit.HOMES},
    ImpactIndicator.GREEN_AREA: {ImpactUnit.M2},
    ImpactIndicator.WASTE: {ImpactUnit.T_YEAR},
    ImpactIndicator.TRIPS: {ImpactUnit.TRIPS_YEAR},
}


class ExpectedImpact(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="impacts"
    )
    indicator = models.CharField(
        _("indicator"), max_length=24, choices=ImpactIndicator.choices
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_MONEY)],
    )
    unit = models.CharField(_("unit"), max_length=20, choices=ImpactUnit.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("expected impact")
        verbose_name_plural = _("expected impacts")

    def __str__(self) -> str:
        return (
            f"{self.get_indicator_display()}: {self.amount} {self.get_unit_display()}"
        )

    def clean(self) -> None:
        allowed = IMPACT_UNITS.get(self.indicator)
        if allowed is not None and self.unit not in allowed:
            raise ValidationError(
                {
                    "unit": _(
                        "%(unit)s is not a unit of %(indicator)s; use %(allowed)s."
                    )
                    % {
                        "unit": self.unit,
                        "indicator": self.get_indicator_display(),
                        "allowed": ", ".join(
                            str(ImpactUnit(u).label) for u in sorted(allowed)
                        ),
                    }
                }
            )


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name never comes from the user: a random token plus the checked
    # extension, so nothing uploaded can choose where it lands or how it is served.
    ext = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(
        instance.content_type, "bin"
    )
    return f"proposals/{instance.proposal_id}/{secrets.token_hex(16)}.{ext}"


class Attachment(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(_("name"), max_length=200, validators=[validate_no_html])
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class ProposalEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    STATUS = "status", _("Status changed")
    EDITED = "edited", _("Edited after submission")
    PARTNER_INVITED = "partner_invited", _("Partner invited")
    PARTNER_ACCEPTED = "partner_accepted", _("Partner joined")
    PARTNER_DECLINED = "partner_declined", _("Partner declined")


class ProposalEvent(models.Model):
    """The proposal's public timeline: who, when, from which status to which, and
    the public answer given."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=ProposalEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(
        max_length=14, choices=ProposalStatus.choices, blank=True
    )
    to_status = models.CharField(
        max_length=14, choices=ProposalStatus.choices, blank=True
    )
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["proposal", "created_at"])]
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.kind} {self.created_at:%Y-%m-%d}"


class ProposalRevision(models.Model):
    """A snapshot of the public fields, taken at submission and at each edit after
    it; consecutive snapshots give the differences anyone can view."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    snapshot = models.JSONField()

    class Meta:
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "number"], name="revision_unique_number"
            )
        ]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self) -> str:
        return f"{self.proposal_id} r{self.number}"
