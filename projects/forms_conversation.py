"""Forms of the conversation pages: they collect and shape input; every rule (length,
rate limits, who may do what) lives in ``services.conversation`` and comes back as a
``ValidationError`` that ``apply_validation_error`` puts next to the right field.
The length limits below only repeat the service's so the browser can say it first."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FlagReason
from .services.conversation import COMMENT_MAX_CHARS

SORTS = {
    "oldest": _("Oldest"),
    "newest": _("Newest"),
    "best": _("Best"),
}
DEFAULT_SORT = "oldest"


def clean_sort(value: str | None) -> str:
    return value if value in SORTS else DEFAULT_SORT


class CommentForm(forms.Form):
    """A comment or a reply. The body is not stripped or checked here: the service
    says "write something" and "too long" in the same words for pages and API."""

    body = forms.CharField(
        label=_("Your comment"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX_CHARS}),
        help_text=_("Markdown works: **bold**, *italic*, lists and links."),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": COMMENT_MAX_CHARS}),
        help_text=_("Markdown works: **bold**, *italic*, lists and links."),
    )


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(
        choices=[("1", "+1"), ("-1", "-1"), ("0", "0")], coerce=int
    )


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"),
        choices=[("", _("Choose a reason"))] + list(FlagReason.choices),
        required=False,
    )
    text = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        help_text=_("Needed when the reason is “Other”. Moderators read it."),
    )


class ModerationDecisionForm(forms.Form):
    """Every decision is accepted; the page offers the two that make sense for the
    item's state (hidden: keep hidden or restore; visible: hide or dismiss)."""

    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("hide", _("Hide it")),
            ("restore", _("Restore it")),
            ("dismiss", _("Dismiss the flags")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 2000}),
        help_text=_("The author may read it when their content is hidden."),
    )

    def __init__(self, *args: Any, hidden: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].widget.choices = (
            [("restore", _("Restore it")), ("hide", _("Keep it hidden"))]
            if hidden
            else [("hide", _("Hide it")), ("dismiss", _("Dismiss the flags"))]
        )
