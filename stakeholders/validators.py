from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


def validate_not_blank(value: str) -> None:
    if not str(value).strip():
        raise ValidationError(_("This cannot be only spaces."), code="blank")


def validate_no_html(value: str) -> None:
    if _TAG.search(str(value)):
        raise ValidationError(
            _("HTML is not allowed here: write plain text."), code="html"
        )
