"""Template helpers for the proposal pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.http import urlencode

register = template.Library()

STATUS_TONES = {
    "draft": "neutral",
    "submitted": "info",
    "under_review": "info",
    "shortlisted": "accent",
    "accepted": "verified",
    "rejected": "danger",
    "withdrawn": "neutral",
}


@register.filter
def money(value: Decimal | int | None, currency: str = "") -> str:
    """1234567.5 → "1,234,567.50 EUR" (grouped as the active language groups);
    cents only when there are some."""
    if value in (None, ""):
        return ""
    amount = Decimal(value)
    places = 0 if amount == amount.to_integral_value() else 2
    text = number_format(amount, decimal_pos=places, force_grouping=True)
    return f"{text} {currency}".strip()


@register.filter
def amount(value: Decimal | int | None) -> str:
    """An impact amount: grouped, without trailing zero cents."""
    return money(value)


@register.filter
def status_tone(status: str) -> str:
    return STATUS_TONES.get(status, "neutral")


@register.filter
def diff_kind(line: str) -> str:
    """The kind of a unified-diff line: added, removed, hunk or context."""
    if line.startswith("@@"):
        return "hunk"
    if line.startswith("+"):
        return "added"
    if line.startswith("-"):
        return "removed"
    return "context"


@register.filter
def diff_text(line: str) -> str:
    """A diff line without its +/-/space marker (the marker is shown apart)."""
    return line[1:] if line[:1] in "+- " else line


@register.simple_tag(takes_context=True)
def proposal_query(context: template.Context, **changes: Any) -> str:
    """The current query string with some parameters replaced (``None`` or an
    empty value drops one); repeated parameters such as ``sector`` are kept."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else None
    if params is None:
        return "?" + urlencode(
            {k: v for k, v in changes.items() if v not in (None, "")}
        )
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def error_items(form: Any) -> list[dict[str, str]]:
    """A form's errors as the error summary lists them: a link to each field."""
    if form is None or not form.errors:
        return []
    items = [{"href": "", "text": str(e)} for e in form.non_field_errors()]
    for field in form:
        for error in field.errors:
            anchor = field.id_for_label or field.auto_id
            items.append({"href": f"#{anchor}", "text": f"{field.label}: {error}"})
    return items
