"""Checks of our own, beside schemathesis' built-in ones.

Schemathesis' ``positive_data_acceptance`` wants every schema-valid request
accepted. A domain API refuses many of them for good reasons the schema cannot
carry — a city slug that names no city, a proposal that is no longer a draft,
a reason that is required only when rejecting, your own comment that you may
not vote on — so that check is off. What it was guarding stays guarded, more
precisely: a schema-valid request may be refused, but never for its *shape*.
When a positive case gets a 400 whose message is one of the generic messages a
serializer field gives for a shape it did not accept ("This field is required.",
"A valid integer is required.", "Ensure this field has no more than 80
characters.", "Unknown field.", "Null characters are not allowed."…), the
OpenAPI document lied about that field, and the check fails.

Schemathesis' ``negative_data_rejection`` wants every schema-invalid request
refused with a 4xx. It runs as is, but for two tolerances of query parameters the
API keeps on purpose: a bad ``page`` or ``page_size`` of a list falls back to the
first page and the default size (DRF's pagination), and an empty parameter
(``?kind=``, what an HTML form sends for "any") means the parameter is absent.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from django.core import validators as django_validators
from rest_framework import fields, relations
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.meta import negated_parameters
from schemathesis.specs.openapi.checks import negative_data_rejection

# Query parameters of DRF's page-number pagination, which tolerates bad values.
PAGINATION = frozenset({"page", "page_size"})

# Keys of field messages that speak about the data, not its shape: a valid slug or
# id whose row does not exist.
_ABOUT_THE_DATA = {"does_not_exist"}
# Messages of our own serializers for keys the schema forbids.
_OWN_SHAPE_MESSAGES = ["Unknown field.", "Unknown kind of notification."]


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def _as_pattern(message: str) -> str:
    """``Ensure this field has no more than {max_length} characters.`` → a regex
    with each placeholder matching anything."""
    parts = re.split(r"\{[^}]*\}|%\([^)]*\)[sd]", message)
    # Django's length messages are plural-aware: "character" or "characters".
    return ".*".join(re.escape(part) for part in parts).replace(
        "character", "characters?"
    )


@cache
def shape_messages() -> re.Pattern[str]:
    messages: set[str] = set(_OWN_SHAPE_MESSAGES)
    for cls in {
        fields.Field,
        *_subclasses(fields.Field),
        *_subclasses(relations.RelatedField),
    }:
        for key, message in getattr(cls, "default_error_messages", {}).items():
            if key not in _ABOUT_THE_DATA:
                messages.add(str(message))
    for name in dir(django_validators):
        validator = getattr(django_validators, name)
        message = getattr(validator, "message", None)
        if isinstance(validator, type) and message is not None:
            messages.add(str(message))
    return re.compile("|".join(f"(?:{_as_pattern(m)})" for m in sorted(messages)))


def _refused_shapes(body: Any, path: str = "") -> list[str]:
    """``field: message`` for each generic shape message in a 400 body (nested
    errors of nested serializers included)."""
    found: list[str] = []
    if isinstance(body, dict):
        for key, value in body.items():
            found += _refused_shapes(value, f"{path}.{key}" if path else str(key))
    elif isinstance(body, list):
        for index, value in enumerate(body):
            if isinstance(value, str):
                if shape_messages().fullmatch(value):
                    found.append(f"{path or 'body'}: {value}")
            else:
                found += _refused_shapes(value, f"{path}[{index}]")
    return found


def valid_input_is_not_refused_for_its_shape(
    ctx: Any, response: Any, case: Any
) -> bool | None:
    meta = case.meta
    if response.status_code != 400 or meta is None:
        return None
    if not meta.generation.mode.is_positive:
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    refused = _refused_shapes(body)
    if refused:
        raise AssertionError(
            "A request the schema calls valid was refused for its shape, so the "
            "schema does not say what the API accepts:\n  " + "\n  ".join(refused)
        )
    return None


def _tolerated(case: Any, name: str, location: ParameterLocation) -> bool:
    if location != ParameterLocation.QUERY:
        return False
    if name in PAGINATION:
        return True
    sent = (case.query or {}).get(name)
    values = sent if isinstance(sent, list) else [sent]
    return all(value == "" for value in values)


def invalid_input_is_refused(ctx: Any, response: Any, case: Any) -> bool | None:
    """``negative_data_rejection``, except for a case whose only invalid parts are
    query parameters the API tolerates (pagination, empty values)."""
    meta = case.meta
    if meta is not None and meta.generation.mode.is_negative:
        invalid = set(negated_parameters(meta))
        locations = {
            location
            for location, info in meta.components.items()
            if info.mode.is_negative
        }
        if (
            invalid
            and locations <= {ParameterLocation.QUERY}
            and all(_tolerated(case, name, where) for name, where in invalid)
        ):
            return None
    return negative_data_rejection(ctx, response, case)
