"""Forms of the review of proposals, and the review queue's filters (django-filter,
shared by the queue page and ``/api/v1/review/queue/``).

The filter set declares and validates the query parameters (and documents them in
the OpenAPI schema); the filtering itself is ``selectors_curation.review_queue``.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from stakeholders.models import City, District

from . import selectors_curation as selectors
from .models import (
    SECTOR_NAMES,
    SECTOR_SLUGS,
    Proposal,
    ProposalStatus,
    Recommendation,
)
from .permissions_curation import REVIEWABLE
from .services.curation import MAX_OVERRIDE_REASON

QUEUE_SORTS = [
    ("age", _("Waiting longest")),
    ("newest", _("Newest first")),
    ("score", _("Best match score")),
    ("supports", _("Most supported")),
]
REVIEW_STATUSES = [(s, ProposalStatus(s).label) for s in REVIEWABLE]


class ReviewQueueFilter(django_filters.FilterSet):
    city = django_filters.CharFilter(
        method="_ignore", required=True, max_length=60, label=_("City slug")
    )
    status = django_filters.MultipleChoiceFilter(
        choices=REVIEW_STATUSES,
        method="_ignore",
        label=_("Status; repeat for several (any of them)"),
        widget=forms.CheckboxSelectMultiple,
    )
    sector = django_filters.ChoiceFilter(
        choices=[(slug, SECTOR_NAMES[slug]) for slug in SECTOR_SLUGS],
        method="_ignore",
        label=_("Sector"),
        empty_label=_("Any sector"),
    )
    district = django_filters.CharFilter(
        method="_ignore", max_length=80, label=_("District slug")
    )
    reviewer = django_filters.NumberFilter(
        method="_ignore", min_value=1, label=_("Assigned reviewer (person id)")
    )
    has_conflict = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="_ignore",
        label=_("true: a reviewer has a conflict of interest; false: none has"),
    )
    min_score = django_filters.NumberFilter(
        method="_ignore",
        min_value=0,
        max_value=1,
        label=_("Best match score at least (0–1)"),
    )
    ordering = django_filters.ChoiceFilter(
        choices=QUEUE_SORTS,
        method="_ignore",
        label=_("Order (waiting longest by default)"),
        empty_label=None,
    )

    class Meta:
        model = Proposal
        fields: list[str] = []

    def __init__(self, *args: Any, city: City | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.city = city

    # The filtering is done at once in ``filter_queryset``; these only let each
    # parameter be declared, validated and typed.
    def _ignore(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset

    def to_filters(self) -> selectors.QueueFilters:
        data = self.form.cleaned_data if self.form.is_valid() else {}
        reviewer = data.get("reviewer")
        min_score = data.get("min_score")
        return selectors.QueueFilters(
            status=list(data.get("status") or []),
            sector=data.get("sector") or None,
            district=data.get("district") or None,
            reviewer=int(reviewer) if reviewer is not None else None,
            has_conflict={"true": True, "false": False}.get(
                data.get("has_conflict") or ""
            ),
            min_score=float(min_score) if min_score is not None else None,
            sort=data.get("ordering") or "age",
        )

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Proposal]:
        assert self.city is not None
        return selectors.review_queue(city=self.city, filters=self.to_filters())


class QueueFilterForm(forms.Form):
    """The queue page's filters: the same parameters as the API, with choices a
    person can pick (the city's districts and reviewers by name)."""

    status = forms.MultipleChoiceField(
        label=_("Status"),
        required=False,
        choices=REVIEW_STATUSES,
        widget=forms.CheckboxSelectMultiple,
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    reviewer = forms.TypedChoiceField(
        label=_("Reviewer"), required=False, coerce=int, empty_value=None
    )
    has_conflict = forms.ChoiceField(
        label=_("Conflicts of interest"),
        required=False,
        choices=[
            ("", _("With or without")),
            ("true", _("A reviewer has a conflict")),
            ("false", _("No conflict")),
        ],
    )
    min_score = forms.DecimalField(
        label=_("Best score at least (%)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=0,
        widget=forms.NumberInput(attrs={"step": "5", "inputmode": "numeric"}),
    )
    ordering = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=QUEUE_SORTS
    )

    def __init__(
        self,
        data: Any = None,
        *,
        city: City,
        reviewers: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.fields["sector"].choices = [
            ("", _("Any sector")),
            *[(slug, SECTOR_NAMES[slug]) for slug in SECTOR_SLUGS],
        ]
        self.fields["district"].choices = [
            ("", _("All districts")),
            *District.objects.filter(city=city)
            .order_by("name")
            .values_list("slug", "name"),
        ]
        self.fields["reviewer"].choices = [
            ("", _("Anyone")),
            *(reviewers if reviewers is not None else selectors.reviewer_choices(city)),
        ]

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(
            self.data.get(name) for name in self.fields if name != "ordering"
        )

    def to_filters(self) -> selectors.QueueFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        conflict = data.get("has_conflict")
        score = data.get("min_score")
        return selectors.QueueFilters(
            status=list(data.get("status") or []),
            sector=data.get("sector") or None,
            district=data.get("district") or None,
            reviewer=data.get("reviewer"),
            has_conflict={"true": True, "false": False}.get(conflict or ""),
            min_score=float(score) / 100 if score is not None else None,
            sort=data.get("ordering") or "age",
        )


class ReviewerField(forms.TypedChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            coerce=int,
            empty_value=None,
            error_messages={
                "invalid_choice": _(
                    "Choose one of the city's verified officials from the list."
                ),
                "required": _("Choose the reviewer to assign."),
            },
            **kwargs,
        )


OVERRIDE_HELP = _(
    "Needed only when the reviewer belongs to an organisation of the consortium: "
    "say why they should review it anyway. Kept in the audit log."
)


class AssignForm(forms.Form):
    reviewer = ReviewerField(label=_("Reviewer"))
    override_reason = forms.CharField(
        label=_("Reason to assign despite a conflict of interest"),
        required=False,
        max_length=MAX_OVERRIDE_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=OVERRIDE_HELP,
    )

    def __init__(self, *args: Any, city: City, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [
            ("", _("Choose an official")),
            *selectors.reviewer_choices(city),
        ]


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Internal note"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Seen only by the city's coordinators and the assigned reviewers; never "
            "by the authors or the public."
        ),
        error_messages={"required": _("Write the note first.")},
    )


class RecommendationForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=_("Your recommendation"),
        choices=[c for c in Recommendation.choices if c[0]],
        widget=forms.RadioSelect,
        error_messages={
            "required": _(
                "Choose a recommendation: shortlist, accept, reject or ask for changes."
            )
        },
    )
    recommendation_reason = forms.CharField(
        label=_("Why"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why you recommend this.")},
    )


BULK_CHOICES = [
    ("under_review", _("Move to under review")),
    ("shortlisted", _("Shortlist")),
    ("assign", _("Assign a reviewer")),
]


class IdsField(forms.TypedMultipleChoiceField):
    """Ticked proposal ids. Any positive id validates here: one that is no longer
    in the queue gets its own result line from the services instead of failing
    the whole batch."""

    def valid_value(self, value: Any) -> bool:
        return str(value).isdigit() and 0 < int(value) < 2**31


class BulkForm(forms.Form):
    proposals = IdsField(
        label=_("Proposals"),
        coerce=int,
        error_messages={
            "required": _("Tick at least one proposal."),
            "invalid_choice": _("Tick proposals from the list."),
        },
    )
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[("", _("Choose an action")), *BULK_CHOICES],
        error_messages={"required": _("Choose an action.")},
    )
    reviewer = ReviewerField(label=_("Reviewer (to assign)"), required=False)
    override_reason = forms.CharField(
        label=_("Reason to assign despite a conflict of interest"),
        required=False,
        max_length=MAX_OVERRIDE_REASON,
        help_text=OVERRIDE_HELP,
    )

    def __init__(
        self,
        *args: Any,
        city: City,
        reviewers: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [
            ("", _("Choose an official")),
            *(reviewers if reviewers is not None else selectors.reviewer_choices(city)),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") == "assign" and not data.get("reviewer"):
            self.add_error("reviewer", _("Choose the reviewer to assign."))
        return data
