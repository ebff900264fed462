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
        """Drafts are seen by their lead organisation's members, the members of
        organisations invited into the consortium, and staff; every other status is
        public."""
        if getattr(user, "is_staff", False) and user.is_active:
            return self
        # Content hidden by moderation stays visible to its authors (and, through
        # the moderation queue, to the city's moderators).
        public = Q(status__in=PUBLIC_STATUSES, hidden_at__isnull=True)
        if getattr(user, "is_authenticated", False):
            from stakeholders.models import Membership

            # Subqueries, not joins: a join repeats a proposal once per matching
            # membership and needs DISTINCT over every column, which made a
            # signed-in reader's list of 10,000 proposals take seconds.
            organisations = Membership.objects.filter(user=user).values(
                "organisation_id"
            )
            return self.filter(
                public
                | Q(author=user)
                | Q(lead_organisation_id__in=organisations)
                # An invited partner's members read the draft they are asked to join.
                | Q(
                    pk__in=ProposalPartner.objects.filter(
                        organisation_id__in=organisations
                    ).values("proposal_id")
                )
            )
        return self.filter(public)

    def public(self) -> ProposalQuerySet:
        return self.filter(status__in=PUBLIC_STATUSES, hidden_at__isnull=True)


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
    open_flag_count = models.PositiveSmallIntegerField(default=0, editable=False)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True, editable=False)
    hidden_reason = models.TextField(_("why hidden"), blank=True, editable=False)
    # When the matching engine last scored this proposal; the beat sweep scores
    # every submitted proposal whose mark is missing or older than its last edit.
    scored_at = models.DateTimeField(null=True, blank=True, editable=False)
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
            # The default listing (newest first, every city) and its page count.
            models.Index(
                fields=["-submitted_at", "-created_at", "-id"], name="proposal_newest"
            ),
            models.Index(fields=["status", "hidden_at"], name="proposal_status_hidden"),
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


# --- Conversation ---------------------------------------------------------------------
#
# Comments, follows and flags point at a proposal today; projects get the same
# conversation through a second nullable foreign key when they exist, with a check
# constraint that exactly one target is set. Explicit keys (rather than a generic
# relation) keep the thread queries indexed and joinable.

COMMENT_MAX_DEPTH = 3


class CommentQuerySet(models.QuerySet["Comment"]):
    def visible_to(self, user: Any, *, moderator: bool = False) -> CommentQuerySet:
        """Hidden comments are seen only by their author and the moderators."""
        if moderator:
            return self
        if getattr(user, "is_authenticated", False):
            return self.filter(Q(hidden_at__isnull=True) | Q(author=user))
        return self.filter(hidden_at__isnull=True)


class Comment(models.Model):
    proposal = models.ForeignKey(
        Proposal,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    depth = models.PositiveSmallIntegerField(default=1)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    body = models.TextField(_("comment"), max_length=10_000)
    body_html = models.TextField(editable=False, blank=True)
    is_official = models.BooleanField(_("official answer"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(blank=True)
    open_flag_count = models.PositiveSmallIntegerField(default=0)
    upvotes = models.PositiveIntegerField(default=0)
    downvotes = models.PositiveIntegerField(default=0)
    score = models.IntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["proposal", "created_at"], name="comment_proposal_created"
            ),
            models.Index(fields=["proposal", "-score"], name="comment_proposal_score"),
            models.Index(
                fields=["author", "-created_at"], name="comment_author_created"
            ),
            models.Index(fields=["open_flag_count"], name="comment_open_flags"),
            models.Index(
                fields=["project", "created_at"], name="comment_project_created"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(proposal__isnull=False, project__isnull=True)
                    | Q(proposal__isnull=True, project__isnull=False)
                ),
                name="comment_exactly_one_target",
            ),
            models.CheckConstraint(
                condition=Q(depth__gte=1) & Q(depth__lte=COMMENT_MAX_DEPTH),
                name="comment_depth_range",
            ),
        ]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"#{self.pk} on {self.proposal_id or f'project {self.project_id}'}"


class CommentVote(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    value = models.SmallIntegerField(choices=[(1, "+1"), (-1, "-1")])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"], name="vote_once_per_comment"
            )
        ]
        verbose_name = _("comment vote")
        verbose_name_plural = _("comment votes")

    def __str__(self) -> str:
        return f"{self.user_id} {self.value:+d} on {self.comment_id}"


class SupportKind(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    ORGANISATION = "organisation", _("Organisation")


class Support(models.Model):
    """One per person per proposal. Supports from people who act for an
    organisation are counted apart from residents' (a city reads them differently)."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports"
    )
    kind = models.CharField(max_length=12, choices=SupportKind.choices)
    organisation = models.ForeignKey(
        "stakeholders.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "user"], name="support_once_per_person"
            )
        ]
        indexes = [models.Index(fields=["proposal", "kind"])]
        verbose_name = _("support")
        verbose_name_plural = _("supports")

    def __str__(self) -> str:
        return f"{self.user_id} supports {self.proposal_id}"


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    proposal = models.ForeignKey(
        Proposal,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follows",
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="follows",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "proposal"],
                condition=Q(proposal__isnull=False),
                name="follow_once_per_proposal",
            ),
            models.UniqueConstraint(
                fields=["user", "project"],
                condition=Q(project__isnull=False),
                name="follow_once_per_project",
            ),
            models.CheckConstraint(
                condition=(
                    Q(proposal__isnull=False, project__isnull=True)
                    | Q(proposal__isnull=True, project__isnull=False)
                ),
                name="follow_exactly_one_target",
            ),
        ]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.proposal_id or self.project_id}"


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    OFFENSIVE = "offensive", _("Offensive")
    OFF_TOPIC = "off_topic", _("Off-topic")
    PERSONAL_DATA = "personal_data", _("Personal data")
    OTHER = "other", _("Other")


class FlagState(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld: content hidden")
    DISMISSED = "dismissed", _("Dismissed")


FLAGS_TO_HIDE = 3


class Flag(models.Model):
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="flags",
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    city = models.ForeignKey(
        "stakeholders.City", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=FlagReason.choices)
    text = models.TextField(_("details"), blank=True, max_length=2000)
    state = models.CharField(
        max_length=10, choices=FlagState.choices, default=FlagState.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(comment__isnull=False) & Q(proposal__isnull=True))
                | (Q(comment__isnull=True) & Q(proposal__isnull=False)),
                name="flag_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(comment__isnull=False, state="open"),
                name="flag_once_per_comment",
            ),
            models.UniqueConstraint(
                fields=["reporter", "proposal"],
                condition=Q(proposal__isnull=False, state="open"),
                name="flag_once_per_proposal",
            ),
        ]
        indexes = [models.Index(fields=["city", "state", "created_at"])]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.state})"


# --- Priorities and matching --------------------------------------------------------------


class PriorityQuerySet(models.QuerySet["Priority"]):
    def active(self, on: Any = None) -> PriorityQuerySet:
        day = on or timezone.localdate()
        return self.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=day),
            Q(active_until__isnull=True) | Q(active_until__gte=day),
        )


class Priority(models.Model):
    """What a city says it needs. Every submitted proposal of the city is scored
    against every active priority."""

    city = models.ForeignKey(
        "stakeholders.City", on_delete=models.CASCADE, related_name="priorities"
    )
    title = models.CharField(
        _("title"), max_length=140, validators=[validate_not_blank, validate_no_html]
    )
    description = models.TextField(
        _("description"), max_length=5000, blank=True, validators=[validate_no_html]
    )
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    sectors = models.ManyToManyField(
        Sector, related_name="priorities", blank=True, verbose_name=_("sectors")
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("How much the city cares, from 1 to 5."),
    )
    target_indicators = models.JSONField(
        _("target indicators"), default=list, blank=True
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_until = models.DateField(_("active until"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PriorityQuerySet.as_manager()

    class Meta:
        ordering = ["city", "-weight", "title"]
        indexes = [models.Index(fields=["city", "active_from", "active_until"])]
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")

    def __str__(self) -> str:
        return self.title


class MatchReview(models.TextChoices):
    NONE = "", _("Not reviewed")
    CONFIRMED = "confirmed", _("Confirmed by a coordinator")
    REJECTED = "rejected", _("Rejected by a coordinator")


class Match(models.Model):
    """A proposal's score against a priority, with its parts and reasons. Upserted
    on (proposal, priority), so a repeated or redelivered scoring changes nothing."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="matches"
    )
    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, related_name="matches"
    )
    score = models.FloatField(
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )
    components = models.JSONField(default=dict)
    reasons = models.JSONField(default=list)
    engine_version = models.CharField(max_length=40)
    computed_at = models.DateTimeField(default=timezone.now)
    review = models.CharField(
        max_length=10, choices=MatchReview.choices, default=MatchReview.NONE, blank=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "priority"], name="match_once_per_pair"
            )
        ]
        indexes = [
            models.Index(fields=["priority", "-score"], name="match_priority_score"),
            models.Index(fields=["proposal", "-score"], name="match_proposal_score"),
            # The coordinators' reviews are the engine's feedback: read on every
            # scoring, a few rows among a city's hundreds of thousands of matches.
            models.Index(
                fields=["priority"],
                condition=~Q(review=""),
                name="match_reviewed",
            ),
        ]
        verbose_name = _("match")
        verbose_name_plural = _("matches")

    def __str__(self) -> str:
        return f"{self.proposal_id} × {self.priority_id}: {self.score:.2f}"


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RematchJob(models.Model):
    """A whole-city re-score, split into batches for several workers; ``done`` and
    ``total`` drive the progress bars. One open job per city at a time."""

    city = models.ForeignKey(
        "stakeholders.City", on_delete=models.CASCADE, related_name="rematch_jobs"
    )
    state = models.CharField(
        max_length=8, choices=JobState.choices, default=JobState.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    reason = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["city"],
                condition=Q(state__in=["queued", "running"]),
                name="rematch_one_open_job_per_city",
            )
        ]
        verbose_name = _("re-score job")
        verbose_name_plural = _("re-score jobs")

    def __str__(self) -> str:
        return f"{self.city_id} {self.state} {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return (
            int(100 * self.done / self.total)
            if self.total
            else (100 if self.state == JobState.DONE else 0)
        )


# Curation, projects and demand signals live in their own modules (this one would
# pass a thousand lines); importing them here registers them in the app.
from projects.models_curation import *  # noqa: E402, F403
from projects.models_indicators import *  # noqa: E402, F403
