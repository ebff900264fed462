"""HTML forms of the stakeholders app.

Forms only collect and shape input; the rules live in ``services`` (which raise
``ValidationError`` with field names that ``apply_validation_error`` puts back next to
the right field). Field validators mirror the model's so a person sees every mistake
at once, before a service is called.
"""

from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from projects.models import Sector

from .models import (
    ORGANISATION_USER_KINDS,
    City,
    CityRoleKind,
    District,
    Invitation,
    MembershipRole,
    Organisation,
    OrganisationKind,
    User,
    UserKind,
    VerificationState,
)
from .validators import validate_no_html, validate_not_blank

ORGANISATION_NAME_MAX = Organisation._meta.get_field("name").max_length
DESCRIPTION_MAX = Organisation._meta.get_field("description").max_length


def apply_validation_error(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: errors naming a field of
    the form go next to it, the rest at the top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def organisation_name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Organisation name"),
        max_length=ORGANISATION_NAME_MAX,
        validators=[validate_not_blank, validate_no_html, MinLengthValidator(2)],
        strip=True,
    )


class LoginForm(AllauthLoginForm):
    """allauth's login form with our wording; labels, not placeholders, name the
    fields (placeholders vanish while typing and often fail contrast)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mail address")
        # The page links to the password reset itself, after the button.
        self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me signed in on this device")
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)


class SignupForm(AllauthSignupForm):
    """allauth's sign-up (e-mail, password twice) plus who the person is."""

    CREATE = "create"
    JOIN = "join"

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        validators=[validate_not_blank, validate_no_html],
        help_text=_("Shown publicly with what you write. Your e-mail never is."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    kind = forms.ChoiceField(
        label=_("I am joining as"),
        choices=UserKind.choices,
        initial=UserKind.RESIDENT,
    )
    home_city = forms.ModelChoiceField(
        label=_("Home city"),
        queryset=City.objects.order_by("name"),
        required=False,
        empty_label=_("— Choose a city —"),
    )
    organisation_action = forms.ChoiceField(
        label=_("My organisation"),
        choices=[
            (CREATE, _("Create my organisation")),
            (JOIN, _("Ask to join an organisation already on Crosswalk")),
        ],
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "For startups, utilities, firms, investors, civil society and academia."
        ),
    )
    organisation_name = forms.CharField(
        label=_("Name of the organisation to create"),
        max_length=ORGANISATION_NAME_MAX,
        required=False,
        help_text=_(
            "It starts as “pending verification” until a city coordinator checks it."
        ),
    )
    join_organisation = forms.ModelChoiceField(
        label=_("Organisation to join"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— Choose an organisation —"),
        help_text=_("Its admins receive your request and answer it."),
    )
    official_city = forms.ModelChoiceField(
        label=_("City you work for"),
        queryset=City.objects.order_by("name"),
        required=False,
        empty_label=_("— Choose a city —"),
        help_text=_(
            "A coordinator of that city verifies you; until then you act as a resident."
        ),
    )
    official_position = forms.CharField(
        label=_("Position or department"),
        max_length=120,
        required=False,
        validators=[validate_no_html],
    )

    field_order = [
        "email",
        "password1",
        "password2",
        "display_name",
        "kind",
        "home_city",
        "organisation_action",
        "organisation_name",
        "join_organisation",
        "official_city",
        "official_position",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["join_organisation"].queryset = Organisation.objects.exclude(
            verification_state=VerificationState.REJECTED
        ).order_by("name")
        self.fields["email"].label = _("E-mail address")
        for name in ("email", "password1", "password2"):
            self.fields[name].widget.attrs.pop("placeholder", None)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in ORGANISATION_USER_KINDS:
            action = cleaned.get("organisation_action")
            if action == self.CREATE:
                name = (cleaned.get("organisation_name") or "").strip()
                raw = str(self.data.get(self.add_prefix("organisation_name"), ""))
                if raw and not raw.strip():
                    self.add_error(
                        "organisation_name", _("This cannot be only spaces.")
                    )
                elif not name and "organisation_name" not in self.errors:
                    self.add_error(
                        "organisation_name", _("Give the name of your organisation.")
                    )
                else:
                    try:
                        organisation_name_field().clean(name)
                    except ValidationError as error:
                        for message in error.messages:
                            self.add_error("organisation_name", message)
                cleaned["organisation_name"] = name
            elif action == self.JOIN:
                if not cleaned.get("join_organisation"):
                    self.add_error(
                        "join_organisation",
                        _("Choose the organisation you want to join."),
                    )
            else:
                self.add_error(
                    "organisation_action",
                    _("Create your organisation or ask to join one."),
                )
        elif kind == UserKind.CITY_OFFICIAL and not cleaned.get("official_city"):
            self.add_error("official_city", _("Choose the city you work for."))
        return cleaned

    def signup_data(self) -> dict[str, Any]:
        """Arguments for ``services.user_signup_complete``."""
        data = self.cleaned_data
        kind = data["kind"]
        is_org = kind in ORGANISATION_USER_KINDS
        action = data.get("organisation_action")
        official = kind == UserKind.CITY_OFFICIAL
        return {
            "kind": kind,
            "display_name": data["display_name"],
            "home_city": data.get("home_city"),
            "official_city": data.get("official_city") if official else None,
            "official_position": (data.get("official_position") or "")
            if official
            else "",
            "organisation_name": data.get("organisation_name") or ""
            if is_org and action == self.CREATE
            else "",
            "join_organisation": data.get("join_organisation")
            if is_org and action == self.JOIN
            else None,
        }


class DistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: District) -> str:
        return f"{obj.name} ({obj.city.name})"


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        validators=[validate_not_blank, validate_no_html],
        help_text=_("Shown publicly with what you write."),
    )
    kind = forms.ChoiceField(label=_("I take part as"))
    home_city = forms.ModelChoiceField(
        label=_("Home city"),
        queryset=City.objects.order_by("name"),
        required=False,
        empty_label=_("— None —"),
    )
    district = DistrictChoiceField(
        label=_("District"),
        queryset=District.objects.select_related("city").order_by("city__name", "name"),
        required=False,
        empty_label=_("— None —"),
        help_text=_("A district of your home city."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "display_name": user.display_name,
                "kind": user.kind,
                "home_city": user.home_city_id,
                "district": user.district_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.user = user
        choices = [
            (value, label)
            for value, label in UserKind.choices
            if value != UserKind.CITY_OFFICIAL or user.kind == UserKind.CITY_OFFICIAL
        ]
        self.fields["kind"].choices = choices
        if user.kind != UserKind.CITY_OFFICIAL:
            self.fields["kind"].help_text = _(
                "To act as a city official, ask for the role below."
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        city = cleaned.get("home_city")
        district = cleaned.get("district")
        if district is not None and (city is None or district.city_id != city.pk):
            self.add_error("district", _("This district is not in your home city."))
        return cleaned


class CityRoleRequestForm(forms.Form):
    city = forms.ModelChoiceField(
        label=_("City"),
        queryset=City.objects.order_by("name"),
        empty_label=_("— Choose a city —"),
    )
    role = forms.ChoiceField(label=_("Role"), choices=CityRoleKind.choices)
    position = forms.CharField(
        label=_("Position or department"),
        max_length=120,
        required=False,
        validators=[validate_no_html],
    )


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class OrganisationForm(forms.Form):
    name = organisation_name_field()
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.order_by("position"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX,
        required=False,
        validators=[validate_no_html],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain text: what the organisation does, for whom, where."),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=300,
        assume_scheme="https",
    )
    cities = forms.ModelMultipleChoiceField(
        label=_("Cities active in"),
        queryset=City.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Coordinators of these cities verify the organisation."),
    )

    @classmethod
    def initial_for(cls, organisation: Organisation) -> dict[str, Any]:
        return {
            "name": organisation.name,
            "kind": organisation.kind,
            "sectors": list(organisation.sectors.all()),
            "description": organisation.description,
            "website": organisation.website,
            "cities": list(organisation.cities.all()),
        }


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Invitation._meta.get_field("role").choices,
        initial=MembershipRole.MEMBER,
    )


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the admins (optional)"),
        max_length=1000,
        required=False,
        validators=[validate_no_html],
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (VerificationState.VERIFIED, _("Verify")),
            (VerificationState.REJECTED, _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to reject; the person sees it."),
    )


VERIFIED_CHOICES = [
    ("", _("Any")),
    ("yes", _("Verified only")),
    ("no", _("Not verified yet")),
]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Any kind"))] + list(OrganisationKind.choices),
        required=False,
    )
    sector = forms.MultipleChoiceField(
        label=_("Sectors"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    city = forms.ChoiceField(label=_("City"), required=False)
    verified = forms.ChoiceField(
        label=_("Verification"), choices=VERIFIED_CHOICES, required=False
    )

    def __init__(
        self,
        *args: Any,
        sectors: QuerySet[Sector],
        cities: QuerySet[City],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [(s.slug, s.name) for s in sectors]
        self.fields["city"].choices = [("", _("Any city"))] + [
            (c.slug, c.name) for c in cities
        ]

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ``selectors.organisation_directory``; invalid
        choices are ignored rather than failing the whole page."""
        data = self.cleaned_data if self.is_valid() else {}
        verified = {"yes": True, "no": False}.get(data.get("verified") or "")
        return {
            "kind": data.get("kind") or None,
            "sectors": data.get("sector") or None,
            "city": data.get("city") or None,
            "verified": verified,
            "search": (data.get("q") or "").strip() or None,
        }
