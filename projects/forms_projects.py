"""Forms of the project pages. They collect and shape input; every rule (who may
act, the budget, dates, the status flow) lives in ``services.projects`` and comes
back as a ``ValidationError`` that ``apply_validation_error`` puts next to the
right field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stakeholders.models import City, Organisation

from .models import (
    PROJECT_STATUS_FLOW,
    FinancingKind,
    FinancingStatus,
    ImpactIndicator,
    ImpactUnit,
    Priority,
    ProjectDelivery,
    ProjectRole,
    ProjectStatus,
    Proposal,
    Sector,
)

MONEY = {"step": "0.01", "min": "0", "inputmode": "decimal"}
DATE = {"type": "date"}


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class ProjectFilterForm(forms.Form):
    city = forms.ChoiceField(label=_("City"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_blank(_("Any status")) + ProjectStatus.choices,
    )
    delivery = forms.ChoiceField(
        label=_("Delivery model"),
        required=False,
        choices=_blank(_("Any delivery model")) + ProjectDelivery.choices,
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = _blank(_("Every city")) + list(
            City.objects.order_by("name").values_list("slug", "name")
        )
        self.fields["sector"].choices = _blank(_("Any sector")) + [
            (s.slug, s.name) for s in Sector.objects.order_by("position")
        ]


class ProposalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Proposal) -> str:
        return (
            f"{obj.title} — {obj.lead_organisation.name} ({obj.get_status_display()})"
        )


class ProjectCreateForm(forms.Form):
    proposals = ProposalChoiceField(
        label=_("Proposals the project is built from"),
        queryset=Proposal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Submitted, under review, shortlisted or accepted proposals of the city "
            "that are not part of a project yet. Their partners, sectors, matched "
            "priorities and expected impacts are carried over."
        ),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=140,
        required=False,
        help_text=_("Left empty: the first proposal's title."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Left empty: the first proposal's summary."),
    )
    delivery_model = forms.ChoiceField(
        label=_("Delivery model"),
        required=False,
        choices=_blank(_("As the first proposal proposes")) + ProjectDelivery.choices,
    )
    procurement_reference = forms.CharField(
        label=_("Procurement reference"), max_length=80, required=False
    )
    budget = forms.DecimalField(
        label=_("Budget"),
        required=False,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs=MONEY),
        help_text=_("Left empty: the proposals' capital costs added up."),
    )
    body = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown. Links, lists and emphasis are kept; HTML is removed."),
    )

    def __init__(self, *args: Any, city_id: int, user: Any, **kwargs: Any) -> None:
        from .selectors_projects import eligible_proposals

        super().__init__(*args, **kwargs)
        # Any proposal the coordinator can read may be posted; the service says why
        # one cannot be used (another city, withdrawn, already in a project), so the
        # message is the same for pages and API.
        self.fields["proposals"].queryset = Proposal.objects.visible_to(
            user
        ).select_related("lead_organisation")
        self.eligible = list(eligible_proposals(city_id=city_id))
        self.fields["proposals"].choices = [
            (p.pk, self.fields["proposals"].label_from_instance(p))
            for p in self.eligible
        ]


class ProjectEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=140)
    summary = forms.CharField(
        label=_("Summary"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown. Links, lists and emphasis are kept; HTML is removed."),
    )
    delivery_model = forms.ChoiceField(
        label=_("Delivery model"), choices=ProjectDelivery.choices
    )
    procurement_reference = forms.CharField(
        label=_("Procurement reference"),
        max_length=80,
        required=False,
        help_text=_("The tender or contract number, when there is one."),
    )
    budget = forms.DecimalField(
        label=_("Budget"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs=MONEY),
    )
    priorities = forms.ModelMultipleChoiceField(
        label=_("Priorities addressed"),
        queryset=Priority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, city_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priorities"].queryset = Priority.objects.filter(
            city_id=city_id
        ).order_by("title")


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    on = forms.DateField(
        label=_("On"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
        help_text=_("Left empty: today. A past date when the news is late."),
    )

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = PROJECT_STATUS_FLOW.get(current, set())
        self.fields["status"].choices = [
            (value, label) for value, label in ProjectStatus.choices if value in allowed
        ]


class PartnerForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name")
    )
    role = forms.ChoiceField(label=_("Role"), choices=ProjectRole.choices)
    contribution = forms.CharField(
        label=_("Contribution"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FinancingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Source"), choices=FinancingKind.choices)
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs=MONEY),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=FinancingStatus.choices,
        initial=FinancingStatus.PLANNED,
    )
    organisation = forms.ModelChoiceField(
        label=_("Financer"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class FinancingChangeForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs=MONEY),
    )
    status = forms.ChoiceField(label=_("Status"), choices=FinancingStatus.choices)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=140)
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs=DATE))


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(
        label=_("Done on"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
        help_text=_("Left empty: today."),
    )


class ImpactForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=ImpactIndicator.choices)
    unit = forms.ChoiceField(label=_("Unit"), choices=ImpactUnit.choices)
    expected = forms.DecimalField(
        label=_("Expected"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs=MONEY),
    )


class ImpactReportForm(forms.Form):
    measured = forms.DecimalField(
        label=_("Measured"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs=MONEY),
    )
    measured_on = forms.DateField(
        label=_("Measured on"), widget=forms.DateInput(attrs=DATE)
    )
    note = forms.CharField(
        label=_("How it was measured"),
        max_length=300,
        help_text=_("Meter readings, a survey, the operator's report…"),
    )


class UpdateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=140)
    body = forms.CharField(
        label=_("What happened"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown. Followers of the project are told."),
    )
