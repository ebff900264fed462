"""Forms of the signal pages: accepting a signal, dismissing it, filtering the
indicator charts. They shape input; ``services.signals`` checks and applies it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Priority, Signal, SignalAction, SignalState


class SignalAcceptForm(forms.Form):
    action = forms.ChoiceField(
        label=_("What to do"),
        choices=SignalAction.choices,
        widget=forms.RadioSelect,
    )
    priority = forms.ModelChoiceField(
        label=_("Priority to reweight"),
        queryset=Priority.objects.none(),
        required=False,
        empty_label=None,
    )
    weight = forms.IntegerField(
        label=_("New weight"),
        min_value=1,
        max_value=5,
        required=False,
        help_text=_(
            "From 1 to 5. Leave empty to move the weight one step; a new "
            "priority starts at 3."
        ),
    )
    title = forms.CharField(
        label=_("Title of the new priority"), max_length=140, required=False
    )
    description = forms.CharField(
        label=_("Description of the new priority"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(
        label=_("Note for the record"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, signal: Signal, linked: list[Priority], **kwargs: Any
    ) -> None:
        super().__init__(*args, prefix="accept", **kwargs)
        field = self.fields["priority"]
        field.queryset = Priority.objects.filter(pk__in=[p.pk for p in linked])
        field.choices = [
            (p.pk, _("%(title)s (weight %(w)d)") % {"title": p.title, "w": p.weight})
            for p in linked
        ]
        if not linked:
            self.fields["action"].choices = [
                (SignalAction.NEW_PRIORITY.value, SignalAction.NEW_PRIORITY.label)
            ]
            del self.fields["priority"]
        if not self.is_bound:
            self.initial.setdefault(
                "action",
                SignalAction.RAISE_WEIGHT if linked else SignalAction.NEW_PRIORITY,
            )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "action": data["action"],
            "priority": data.get("priority"),
            "weight": data.get("weight"),
            "title": data.get("title") or "",
            "description": data.get("description") or "",
            "note": data.get("note") or "",
        }


class SignalDismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Why dismiss this signal?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Say why this signal is dismissed (for the record).")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="dismiss", **kwargs)


class InboxFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("All"))] + list(SignalState.choices),
        required=False,
    )
