"""HTML forms of the proposal pages. They shape and check input for people; the
rules themselves live in ``projects.services`` and the models, which the forms call
(``full_clean`` on an unsaved row) so a person sees the same message everywhere."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stakeholders.models import (
    City,
    District,
    Organisation,
    OrganisationKind,
    VerificationState,
)

from . import selectors
from .models import (
    COORDINATOR_TRANSITIONS,
    MAX_MONEY,
    Currency,
    DeliveryModel,
    ExpectedImpact,
    ImpactIndicator,
    ImpactUnit,
    PartnerRole,
    Proposal,
    ProposalStatus,
    Sector,
)
from .services.proposals import MAX_IMPACTS
from .uploads import MAX_BYTES

TEXTAREA_SMALL = {"rows": 3}

# --- list filters ----------------------------------------------------------------------

BREADTHS = {"2": (2, 2), "3": (3, 3), "4": (4, None)}
SORT_CHOICES = [
    ("newest", _("Newest")),
    ("supported", _("Most supported")),
    ("commented", _("Most commented")),
    ("breadth", _("Most sectors combined")),
]


class ProposalFilterForm(forms.Form):
    """The list's filters, read from the query string so a filtered list can be
    bookmarked, shared and exported. Unknown values are ignored, never an error."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    city = forms.ChoiceField(label=_("City"), required=False)
    sector = forms.MultipleChoiceField(
        label=_("Sectors"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Proposals combining all the sectors ticked."),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Organisation kind"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    delivery = forms.ChoiceField(label=_("Delivery model"), required=False)
    breadth = forms.ChoiceField(
        label=_("Sectors combined"),
        required=False,
        choices=[
            ("", _("Any number")),
            ("2", _("2 sectors")),
            ("3", _("3 sectors")),
            ("4", _("4 or more")),
        ],
    )
    partners = forms.ChoiceField(
        label=_("Partners"),
        required=False,
        choices=[
            ("", _("With or without")),
            ("yes", _("With partners")),
            ("no", _("Without partners")),
        ],
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        cities = list(City.objects.order_by("name").values_list("slug", "name"))
        self.fields["city"].choices = [("", _("All cities")), *cities]
        self.fields["sector"].choices = [(s.slug, s.name) for s in selectors.sectors()]
        self.fields["status"].choices = [
            ("", _("Any status")),
            *[
                (value, label)
                for value, label in ProposalStatus.choices
                if value != ProposalStatus.DRAFT
            ],
        ]
        self.fields["kind"].choices = [("", _("Any kind")), *OrganisationKind.choices]
        districts = District.objects.select_related("city").order_by(
            "city__name", "name"
        )
        city = (data or {}).get("city") if data is not None else None
        if city:
            districts = districts.filter(city__slug=city)
        self.fields["district"].choices = [
            ("", _("All districts")),
            *[
                (d.slug, d.name if city else f"{d.name} ({d.city.name})")
                for d in districts
            ],
        ]
        self.fields["delivery"].choices = [
            ("", _("Any delivery model")),
            *DeliveryModel.choices,
        ]
        sorts = list(SORT_CHOICES)
        if (data or {}).get("q"):
            sorts.insert(0, ("relevance", _("Relevance")))
        self.fields["sort"].choices = sorts

    def full_clean(self) -> None:
        super().full_clean()
        # A stale or hand-edited link keeps working: drop what does not validate.
        for name in list(self.errors):
            self.cleaned_data.pop(name, None)
        self._errors = ErrorDict()

    def to_filters(self) -> selectors.ProposalFilters:
        data = self.cleaned_data if self.is_bound else {}
        minimum, maximum = BREADTHS.get(data.get("breadth") or "", (None, None))
        q = (data.get("q") or "").strip()
        sort = data.get("sort") or ("relevance" if q else "newest")
        return selectors.ProposalFilters(
            city=data.get("city") or None,
            sectors=list(data.get("sector") or []),
            status=[data["status"]] if data.get("status") else [],
            organisation_kind=data.get("kind") or None,
            district=data.get("district") or None,
            delivery_model=data.get("delivery") or None,
            min_sectors=minimum,
            max_sectors=maximum,
            has_partners={"yes": True, "no": False}.get(data.get("partners") or ""),
            q=q or None,
            sort=sort,
        )

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(
            self.cleaned_data.get(name) for name in self.fields if name != "sort"
        )


# --- the multi-step proposal form -------------------------------------------------------


def _money_field(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=MAX_MONEY,
        help_text=help_text,
        error_messages={
            "max_value": _("Enter at most 999,999,999,999.99 (12 digits)."),
            "max_digits": _("Enter at most 999,999,999,999.99 (12 digits)."),
            "min_value": _("Enter a positive amount, or leave it empty."),
        },
        widget=forms.NumberInput(
            attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}
        ),
    )


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        if obj.verification_state == VerificationState.VERIFIED:
            return obj.name
        return f"{obj.name} ({_('unverified')})"


class BasicsForm(forms.Form):
    city = forms.ModelChoiceField(
        label=_("City"),
        queryset=City.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("Choose a city"),
    )
    lead_organisation = OrganisationChoiceField(
        label=_("Lead organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose one of your organisations"),
        error_messages={
            "invalid_choice": _("You can only lead with an organisation you belong to.")
        },
        help_text=_("The organisation that answers for the proposal."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=140,
        help_text=_("Up to 140 characters. Say what the solution does, and where."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Up to 500 characters: the problem, the combined solution, who gains."
        ),
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors combined"),
        queryset=Sector.objects.order_by("position"),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick two or more: Crosswalk is for solutions that cross sectors."),
        error_messages={"required": _("Choose at least two sectors.")},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = selectors.organisations_of(user)  # type: ignore[attr-defined]

    def clean_sectors(self) -> QuerySet[Sector]:
        from .services.proposals import _check_sectors

        sectors = self.cleaned_data["sectors"]
        try:
            _check_sectors(list(sectors))
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["sectors"]) from exc
        return sectors

    def clean_title(self) -> str:
        return _model_field_clean("title", self.cleaned_data["title"].strip())

    def clean_summary(self) -> str:
        return _model_field_clean("summary", self.cleaned_data["summary"].strip())


def _model_field_clean(name: str, value: Any) -> Any:
    """Run the model field's own validators (no HTML in a title…)."""
    return Proposal._meta.get_field(name).clean(value, None)


class DescriptionForm(forms.Form):
    body = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "true"}),
        help_text=_(
            "Markdown: ## headings, **bold**, *italic*, - lists, [links](https://…), "
            "tables. HTML is shown as text."
        ),
    )


class MoneyForm(forms.Form):
    delivery_model = forms.ChoiceField(
        label=_("Delivery model"),
        choices=DeliveryModel.choices,
        widget=forms.RadioSelect,
        help_text=_("How the city would deliver and finance it."),
    )
    currency = forms.ChoiceField(
        label=_("Currency"), choices=Currency.choices, initial=Currency.EUR
    )
    capital_cost = _money_field(_("Capital cost"), _("One-off investment."))
    operating_cost = _money_field(_("Yearly operating cost"))
    city_contribution = _money_field(
        _("Amount asked of the city"),
        _("At most the capital plus operating cost. Leave empty if none."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        total = (data.get("capital_cost") or 0) + (data.get("operating_cost") or 0)
        asked = data.get("city_contribution")
        if asked and asked > total:
            self.add_error(
                "city_contribution",
                _(
                    "The amount asked of the city cannot exceed the capital plus "
                    "operating cost."
                ),
            )
        return data


class PlaceForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("The whole city / several districts"),
        error_messages={
            "invalid_choice": _("This district is not in the proposal's city.")
        },
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
        widget=forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
        help_text=_("e.g. 45.764043"),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        validators=[
            MinValueValidator(Decimal(-180)),
            MaxValueValidator(Decimal(180)),
        ],
        widget=forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
        help_text=_("e.g. 4.835659"),
    )

    def __init__(self, *args: Any, city: City | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if city is not None:
            self.fields["district"].queryset = city.districts.order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("latitude") is None) != (data.get("longitude") is None) and not (
            self.has_error("latitude") or self.has_error("longitude")
        ):
            self.add_error(
                "latitude", _("Give both latitude and longitude, or neither.")
            )
        return data


class ImpactForm(forms.Form):
    indicator = forms.ChoiceField(
        label=_("Indicator"),
        choices=[("", "—"), *ImpactIndicator.choices],
        required=False,
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=MAX_MONEY,
        widget=forms.NumberInput(
            attrs={"step": "any", "min": "0", "inputmode": "decimal"}
        ),
    )
    unit = forms.ChoiceField(
        label=_("Unit"), choices=[("", "—"), *ImpactUnit.choices], required=False
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        filled = [
            data.get("indicator"),
            data.get("amount") is not None,
            data.get("unit"),
            data.get("year") is not None,
        ]
        if not any(filled):
            return data
        for name in ("indicator", "amount", "unit"):
            if data.get(name) in (None, ""):
                self.add_error(name, _("This field is required."))
        if self.errors:
            return data
        impact = ExpectedImpact(
            indicator=data["indicator"],
            amount=data["amount"],
            unit=data["unit"],
            year=data.get("year") or timezone.now().year,
        )
        try:
            impact.full_clean(exclude=["proposal"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return data

    def as_impact(self) -> dict[str, Any] | None:
        data = getattr(self, "cleaned_data", {})
        if not data.get("indicator"):
            return None
        return {
            "indicator": data["indicator"],
            "amount": str(data["amount"]),
            "unit": data["unit"],
            "year": data.get("year") or timezone.now().year,
        }


class BaseImpactFormSet(forms.BaseFormSet):
    def impacts(self) -> list[dict[str, Any]]:
        return [row for form in self.forms if (row := form.as_impact()) is not None]


ImpactFormSet = forms.formset_factory(
    ImpactForm,
    formset=BaseImpactFormSet,
    extra=3,
    max_num=MAX_IMPACTS,
    validate_max=True,
    absolute_max=MAX_IMPACTS,
)


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("What changed"),
        max_length=300,
        required=False,
        widget=forms.TextInput(),
        help_text=_("Shown with the revision, so readers see why it changed."),
    )

    def __init__(self, *args: Any, note_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required = note_required


# --- actions on a proposal ----------------------------------------------------------------


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    public_answer = forms.CharField(
        label=_("Public answer"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Everyone sees it on the proposal. Required for a decision."),
    )

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = COORDINATOR_TRANSITIONS.get(proposal.status, set())
        # Any known status validates here, so that a status not allowed from the
        # current one gets the service's own explanation; only allowed ones show.
        field = self.fields["to_status"]
        field.choices = ProposalStatus.choices
        field.widget.choices = [
            (value, label)
            for value, label in ProposalStatus.choices
            if value in allowed
        ]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA_SMALL),
        help_text=_("Shown in the proposal's timeline."),
    )


class PartnerInviteForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
        error_messages={
            "invalid_choice": _(
                "Choose an organisation from the directory that is not already in "
                "the consortium."
            )
        },
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=PartnerRole.choices, widget=forms.RadioSelect
    )
    contribution = forms.CharField(
        label=_("Contribution"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs=TEXTAREA_SMALL),
        help_text=_("What this organisation brings: money, land, operation, data…"),
    )

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.exclude(verification_state=VerificationState.REJECTED)
            .exclude(pk=proposal.lead_organisation_id)
            .exclude(partnerships__proposal=proposal)
            .order_by("name")
        )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG or JPEG, up to 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/png,image/jpeg"}
        ),
    )
    name = forms.CharField(
        label=_("Name shown"),
        required=False,
        max_length=200,
        help_text=_("Defaults to the file's name."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(
                _("The file is %(size).1f MB; the limit is 10 MB.")
                % {"size": upload.size / 1024 / 1024}
            )
        return upload
