"""Forms of the priority pages. They parse input; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MatchReview, Priority, Sector
from .selectors_matching import REVIEW_FILTERS


class SectorChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Sector) -> str:
        return str(obj.name)


class PriorityForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=140,
        help_text=_("What the city needs, in a few words: “Cut emissions”."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Plain text: what would count as an answer, and why it matters."),
    )
    keywords = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=1300,
        help_text=_("Separated by commas: heat pump, retrofit, car sharing."),
    )
    sectors = SectorChoice(
        label=_("Sectors"),
        queryset=Sector.objects.order_by("position"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="slug",
    )
    weight = forms.TypedChoiceField(
        label=_("Weight"),
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
        initial=3,
        help_text=_("How much the city cares, from 1 to 5."),
    )
    target_indicators = forms.CharField(
        label=_("Targets"),
        required=False,
        max_length=1300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: “−30 % CO2 by 2030”, “commute time −10 min”."),
    )
    active_from = forms.DateField(
        label=_("Active from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    active_until = forms.DateField(
        label=_("Active until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    @classmethod
    def initial_of(cls, priority: Priority) -> dict[str, Any]:
        return {
            "title": priority.title,
            "description": priority.description,
            "keywords": ", ".join(priority.keywords or []),
            "sectors": [s.slug for s in priority.sectors.all()],
            "weight": priority.weight,
            "target_indicators": "\n".join(priority.target_indicators or []),
            "active_from": priority.active_from,
            "active_until": priority.active_until,
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data.get("description") or "",
            "keywords": (data.get("keywords") or "").split(","),
            "sectors": list(data.get("sectors") or []),
            "weight": data["weight"],
            "target_indicators": (data.get("target_indicators") or "").splitlines(),
            "active_from": data.get("active_from"),
            "active_until": data.get("active_until"),
        }


class MatchFilterForm(forms.Form):
    min_score = forms.TypedChoiceField(
        label=_("Score at least"),
        required=False,
        coerce=float,
        empty_value=None,
        choices=[
            ("", _("Any score")),
            ("0.25", "25 %"),
            ("0.5", "50 %"),
            ("0.75", "75 %"),
        ],
    )
    review = forms.ChoiceField(
        label=_("Review"),
        required=False,
        choices=list(
            zip(
                REVIEW_FILTERS,
                [
                    _("Any"),
                    _("Not reviewed"),
                    _("Confirmed"),
                    _("Rejected"),
                ],
                strict=True,
            )
        ),
    )

    def values(self) -> dict[str, Any]:
        if not self.is_valid():
            return {"min_score": None, "review": "any"}
        return {
            "min_score": self.cleaned_data.get("min_score"),
            "review": self.cleaned_data.get("review") or "any",
        }


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (MatchReview.CONFIRMED, _("Confirm")),
            (MatchReview.REJECTED, _("Reject")),
            ("", _("Clear")),
        ],
        required=False,
    )
    next = forms.CharField(required=False, max_length=500)
