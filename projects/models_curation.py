"""Curation and projects: reviewers assigned to proposals, their internal notes, and
the projects coordinators build from the best proposals.

Imported by ``projects.models`` so that Django registers these models in the
``projects`` app; code imports them from ``projects.models``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import ImpactIndicator, ImpactUnit
from stakeholders.validators import validate_no_html, validate_not_blank

MAX_AMOUNT = Decimal("999999999999.99")


__all__ = [
    "Recommendation",
    "ReviewAssignment",
    "InternalNote",
    "ProjectStatus",
    "ProjectDelivery",
    "Project",
    "ProjectSource",
    "ProjectRole",
    "ProjectPartner",
    "FinancingKind",
    "FinancingStatus",
    "FinancingSource",
    "Milestone",
    "ProjectUpdate",
    "ProjectImpact",
    "MAX_AMOUNT",
    "PROJECT_STATUS_FLOW",
]


# --- Review of proposals -------------------------------------------------------------


class Recommendation(models.TextChoices):
    NONE = "", _("No recommendation yet")
    SHORTLIST = "shortlist", _("Shortlist")
    ACCEPT = "accept", _("Accept")
    REJECT = "reject", _("Reject")
    NEEDS_CHANGES = "needs_changes", _("Ask the authors for changes")


class ReviewAssignment(models.Model):
    """A verified official of the proposal's city asked by a coordinator to review
    it. Internal: never shown to the public or to the proposal's authors."""

    proposal = models.ForeignKey(
        "projects.Proposal", on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    # The organisations of the consortium the reviewer belongs to, found when the
    # assignment was made: [{"id": 3, "name": "…"}]. Empty means no conflict.
    conflicts = models.JSONField(default=list, blank=True)
    recommendation = models.CharField(
        _("recommendation"),
        max_length=16,
        choices=Recommendation.choices,
        default=Recommendation.NONE,
        blank=True,
    )
    recommendation_reason = models.TextField(
        _("why"), max_length=5000, blank=True, validators=[validate_no_html]
    )
    recommended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "reviewer"], name="assignment_once_per_reviewer"
            )
        ]
        indexes = [
            models.Index(
                fields=["reviewer", "recommendation"], name="assignment_reviewer"
            )
        ]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")

    def __str__(self) -> str:
        return f"{self.reviewer_id} reviews {self.proposal_id}"

    @property
    def has_conflict(self) -> bool:
        return bool(self.conflicts)


class InternalNote(models.Model):
    """A reviewer's or coordinator's note on a proposal. Seen only by the city's
    coordinators and the proposal's assigned reviewers: never by the public, the
    authors, in exports for the public or in notifications."""

    proposal = models.ForeignKey(
        "projects.Proposal", on_delete=models.CASCADE, related_name="internal_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(
        _("note"), max_length=10_000, validators=[validate_not_blank]
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["proposal", "created_at"], name="note_proposal")
        ]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self) -> str:
        return f"note #{self.pk} on {self.proposal_id}"


# --- Projects ----------------------------------------------------------------------


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PROCUREMENT = "procurement", _("In procurement")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


PROJECT_STATUS_FLOW: dict[str, set[str]] = {
    ProjectStatus.PLANNED: {
        ProjectStatus.PROCUREMENT,
        ProjectStatus.IN_PROGRESS,
        ProjectStatus.CANCELLED,
    },
    ProjectStatus.PROCUREMENT: {
        ProjectStatus.PLANNED,
        ProjectStatus.IN_PROGRESS,
        ProjectStatus.CANCELLED,
    },
    ProjectStatus.IN_PROGRESS: {ProjectStatus.COMPLETED, ProjectStatus.CANCELLED},
    ProjectStatus.COMPLETED: set(),
    ProjectStatus.CANCELLED: set(),
}


class ProjectDelivery(models.TextChoices):
    PUBLIC_PROCUREMENT = "public_procurement", _("Public procurement")
    PPP = "ppp", _("Public-private partnership")
    CONCESSION = "concession", _("Concession")
    PRIVATE = "private", _("Private delivery")
    GRANT = "grant", _("Grant")


class Project(models.Model):
    """A real project a city delivers, built by a coordinator from one or more
    proposals of the city."""

    city = models.ForeignKey(
        "stakeholders.City", on_delete=models.CASCADE, related_name="projects"
    )
    title = models.CharField(
        _("title"), max_length=140, validators=[validate_not_blank, validate_no_html]
    )
    summary = models.TextField(
        _("summary"), max_length=1000, validators=[validate_not_blank]
    )
    body = models.TextField(
        _("description"),
        max_length=50_000,
        blank=True,
        help_text=_("Markdown. Links, lists and emphasis are kept; HTML is removed."),
    )
    body_html = models.TextField(editable=False, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ProjectStatus.choices,
        default=ProjectStatus.PLANNED,
    )
    delivery_model = models.CharField(
        _("delivery model"), max_length=20, choices=ProjectDelivery.choices
    )
    procurement_reference = models.CharField(
        _("procurement reference"),
        max_length=80,
        blank=True,
        validators=[validate_no_html],
        help_text=_("The tender or contract number, when there is one."),
    )
    budget = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_AMOUNT)],
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    district = models.ForeignKey(
        "stakeholders.District",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
        verbose_name=_("district"),
    )
    priorities = models.ManyToManyField(
        "projects.Priority",
        related_name="projects",
        blank=True,
        verbose_name=_("priorities addressed"),
    )
    sectors = models.ManyToManyField(
        "projects.Sector",
        related_name="projects",
        blank=True,
        verbose_name=_("sectors"),
    )
    source_proposals = models.ManyToManyField(
        "projects.Proposal",
        through="ProjectSource",
        related_name="projects",
        verbose_name=_("source proposals"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    started_on = models.DateField(_("started"), null=True, blank=True)
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    follower_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["city", "status"], name="project_city_status"),
            models.Index(fields=["city", "-created_at"], name="project_city_created"),
            models.Index(
                fields=["city", "delivery_model"], name="project_city_delivery"
            ),
        ]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("project-detail", kwargs={"pk": self.pk})


class ProjectSource(models.Model):
    """A proposal that became part of a project. A proposal joins one project only."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="sources"
    )
    proposal = models.OneToOneField(
        "projects.Proposal", on_delete=models.CASCADE, related_name="project_source"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("source proposal")
        verbose_name_plural = _("source proposals")

    def __str__(self) -> str:
        return f"{self.proposal_id} → {self.project_id}"


class ProjectRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    PARTNER = "partner", _("Partner")
    FINANCER = "financer", _("Financer")
    OPERATOR = "operator", _("Operator")
    CONTRACTOR = "contractor", _("Contractor")


class ProjectPartner(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="partners"
    )
    organisation = models.ForeignKey(
        "stakeholders.Organisation",
        on_delete=models.CASCADE,
        related_name="project_roles",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=12, choices=ProjectRole.choices)
    contribution = models.TextField(
        _("contribution"), max_length=1000, blank=True, validators=[validate_no_html]
    )

    class Meta:
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation", "role"],
                name="project_partner_once_per_role",
            )
        ]
        indexes = [models.Index(fields=["organisation"], name="project_partner_org")]
        verbose_name = _("project partner")
        verbose_name_plural = _("project partners")

    def __str__(self) -> str:
        return f"{self.organisation_id} ({self.role}) in {self.project_id}"


class FinancingKind(models.TextChoices):
    CITY_BUDGET = "city_budget", _("City budget")
    NATIONAL_GRANT = "national_grant", _("National grant")
    EU_GRANT = "eu_grant", _("EU grant")
    GREEN_BOND = "green_bond", _("Green bond")
    SOCIAL_BOND = "social_bond", _("Social bond")
    PRIVATE_EQUITY = "private_equity", _("Private equity")
    PRIVATE_LOAN = "private_loan", _("Private loan")
    COOPERATIVE = "cooperative", _("Resident cooperative")


class FinancingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    COMMITTED = "committed", _("Committed")
    RECEIVED = "received", _("Received")


class FinancingSource(models.Model):
    """One source of a project's money. The sum of a project's sources may not
    exceed its budget (checked by the services, which see all sources at once)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="financing"
    )
    kind = models.CharField(_("source"), max_length=16, choices=FinancingKind.choices)
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AMOUNT)],
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=FinancingStatus.choices,
        default=FinancingStatus.PLANNED,
    )
    organisation = models.ForeignKey(
        "stakeholders.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("financer"),
    )
    note = models.CharField(
        _("note"), max_length=200, blank=True, validators=[validate_no_html]
    )

    class Meta:
        ordering = ["-amount", "pk"]
        indexes = [models.Index(fields=["project", "kind"], name="financing_kind")]
        verbose_name = _("financing source")
        verbose_name_plural = _("financing sources")

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


class Milestone(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(
        _("title"), max_length=140, validators=[validate_not_blank, validate_no_html]
    )
    due_on = models.DateField(_("due date"))
    done_on = models.DateField(_("done date"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["project", "due_on"], name="milestone_due")]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        created = timezone.localdate(self.created_at) if self.created_at else None
        if self.done_on and created and self.done_on < created:
            raise ValidationError(
                {
                    "done_on": _(
                        "A milestone cannot be done before it was created (%(day)s)."
                    )
                    % {"day": created.isoformat()}
                }
            )

    @property
    def is_late(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()


class ProjectUpdate(models.Model):
    """A public progress report; followers are notified."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(
        _("title"), max_length=140, validators=[validate_not_blank, validate_no_html]
    )
    body = models.TextField(_("text"), max_length=20_000)
    body_html = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["project", "-created_at"], name="update_project")
        ]
        verbose_name = _("project update")
        verbose_name_plural = _("project updates")

    def __str__(self) -> str:
        return self.title


class ProjectImpact(models.Model):
    """What a project promises (carried from its proposals) and, later, what it
    measured."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="impacts"
    )
    indicator = models.CharField(
        _("indicator"), max_length=24, choices=ImpactIndicator.choices
    )
    unit = models.CharField(_("unit"), max_length=20, choices=ImpactUnit.choices)
    expected = models.DecimalField(
        _("expected"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_AMOUNT)],
    )
    measured = models.DecimalField(
        _("measured"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_AMOUNT)],
    )
    measured_on = models.DateField(_("measured on"), null=True, blank=True)
    note = models.CharField(
        _("how it was measured"),
        max_length=300,
        blank=True,
        validators=[validate_no_html],
    )

    class Meta:
        ordering = ["indicator", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "indicator", "unit"], name="project_impact_once"
            ),
            models.CheckConstraint(
                condition=Q(measured__isnull=True) | Q(measured_on__isnull=False),
                name="project_impact_measured_has_date",
            ),
        ]
        verbose_name = _("project impact")
        verbose_name_plural = _("project impacts")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.expected} → {self.measured}"
