"""The coordinators' CSV upload form. It only carries the file: the size, format
and every line are checked by ``projects.services.indicators``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class IndicatorImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, commas between fields, a point as decimal mark."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
