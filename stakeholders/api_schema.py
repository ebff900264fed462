"""What the OpenAPI document says about every API view, whoever wrote it.

``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]`` points here. drf-spectacular describes
each operation from its ``@extend_schema``; a few answers, though, come from the
machinery every view shares rather than from the view, and the generated document
did not list them (the API fuzzer in ``tests/fuzz/`` caught each one):

- a public read accepts a call without credentials, even when the view's
  permission class is our own rather than DRF's ``AllowAny``;
- a bad token is refused (401) on every view that reads tokens, public or not;
- a session call without its CSRF token is refused (403) on writes;
- an out-of-range ``page`` of a paginated list is 404, and so is any operation
  whose path names an object (it may not exist); a checked query parameter
  (a filter) may be refused with a 400; a path id is a 64-bit integer;
- a throttled view answers 429;
- a body that is not JSON is 400 wherever a body is read;
- a ``StrictSerializer`` refuses unknown keys: its request schema says so;
- a text field refuses NUL characters, and (trimmed) blank text unless it
  allows blank; a decimal string has digits and bounds; a file may not be empty:
  each request schema says so;
- a serializer marked ``whole_on_patch`` needs its required fields on PATCH too.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.validators import MinLengthValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import SAFE_METHODS

from .serializers import ErrorDetailSerializer, FieldErrorsSerializer

# The largest id a row can have, as stakeholders.api.MAX_ID (which this module
# cannot import: the views there need this schema class as they are defined).
MAX_ID = 2**63 - 1


def text_pattern(field: serializers.CharField) -> str:
    """What a DRF ``CharField`` accepts, as a JSON-schema pattern: never a NUL
    character; with ``trim_whitespace`` (the default) the length limits and
    ``allow_blank=False`` apply to the text once trimmed, so a non-blank field
    needs a character that is not white space (and ``min_length`` counts from
    the first such character to the last)."""
    allowed = r"[^\u0000]"
    if field.allow_blank:
        return rf"^{allowed}*$"
    if not field.trim_whitespace:
        return rf"^{allowed}+$"
    solid = r"[^\s\u0000]"
    shortest = max(
        [1]
        + [
            int(v.limit_value)
            for v in field.validators
            if isinstance(v, MinLengthValidator) and isinstance(v.limit_value, int)
        ]
    )
    if shortest <= 1:
        return rf"^{allowed}*{solid}{allowed}*$"
    return rf"^{allowed}*{solid}{allowed}{{{shortest - 2},}}{solid}{allowed}*$"


def _up_to(limit: int) -> str:
    """A regex for the whole numbers 0 … ``limit`` written without leading zeros."""
    digits = str(limit)
    options = [r"[0-9]"] if len(digits) > 1 else [f"[0-{digits}]"]
    options += [rf"[1-9][0-9]{{{n - 1}}}" for n in range(2, len(digits))]
    if len(digits) > 1:
        for i, digit in enumerate(digits):
            low = 1 if i == 0 else 0
            if int(digit) > low:
                rest = len(digits) - i - 1
                tail = rf"[0-9]{{{rest}}}" if rest else ""
                options.append(f"{digits[:i]}[{low}-{int(digit) - 1}]{tail}")
        options.append(digits)
    return "(?:" + "|".join(options) + ")"


def decimal_pattern(field: serializers.DecimalField) -> str:
    """What a DRF ``DecimalField`` accepts as a decimal string: its digits, and
    its bounds where they are whole numbers a pattern can say (0 … N, or −N … N),
    as a JSON-schema pattern (``minimum``/``maximum`` do not apply to strings)."""
    places = field.decimal_places or 0
    whole_digits = (field.max_digits or 30) - places
    fraction = rf"(?:\.[0-9]{{1,{places}}})?" if places else ""
    zeros = rf"(?:\.0{{1,{places}}})?" if places else ""
    low, high = field.min_value, field.max_value
    sign = "" if low is not None and low >= 0 else "-?"
    magnitude = rf"[0-9]{{1,{whole_digits}}}{fraction}"
    bound = high if sign == "" else (high if low is not None and -low == high else None)
    if bound is not None and bound == int(bound) and bound < 10**whole_digits:
        top = int(bound)
        below = _up_to(top - 1) + fraction if top > 0 else None
        magnitude = f"(?:{below}|{top}{zeros})" if below else f"0{zeros}"
    return f"^{sign}{magnitude}$"


def _shared_answers() -> dict[str, OpenApiResponse]:
    return {
        "400": OpenApiResponse(
            FieldErrorsSerializer,
            description=_(
                "Refused input: one key per field (non_field_errors for the request "
                "as a whole), each with a list of messages; only detail for a body "
                "that is not JSON. Nothing was saved."
            ),
        ),
        "401": OpenApiResponse(
            ErrorDetailSerializer,
            description=_("Not signed in, or the token is not valid."),
        ),
        "403": OpenApiResponse(
            ErrorDetailSerializer,
            description=_(
                "Refused: signed in with a session cookie but without the CSRF "
                "token, or not allowed; the message says why."
            ),
        ),
        "404": OpenApiResponse(
            ErrorDetailSerializer,
            description=_(
                "No such object (or not visible to you), or no such page of results."
            ),
        ),
        "429": OpenApiResponse(
            ErrorDetailSerializer,
            description=_("Too many requests: wait (see Retry-After), then retry."),
        ),
    }


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for code in self._shared_codes(operation):
            if code not in responses:
                answer = _shared_answers()[code]
                responses[code] = self._get_response_for_code(answer, code)
        operation["responses"] = dict(sorted(responses.items()))
        self._bound_filter_parameters(operation)
        for parameter in operation.get("parameters", []):
            schema = parameter.get("schema", {})
            if parameter.get("in") == "path" and schema.get("type") == "integer":
                # ApiDefaults answers 404 beyond the largest id a row can have.
                schema.setdefault("minimum", 0)
                schema.setdefault("maximum", MAX_ID)
        return operation

    def _bound_filter_parameters(self, operation: dict[str, Any]) -> None:
        """A django-filter number filter's ``min_value``/``max_value`` (refused
        outside them with a 400) as the parameter's ``minimum``/``maximum``."""
        filterset = getattr(self.view, "filterset_class", None)
        filters = getattr(filterset, "base_filters", {})
        for parameter in operation.get("parameters", []):
            found = (
                filters.get(parameter.get("name"))
                if parameter.get("in") == "query"
                else None
            )
            schema = parameter.get("schema", {})
            if found is None or schema.get("type") not in ("number", "integer"):
                continue
            for bound, key in (("min_value", "minimum"), ("max_value", "maximum")):
                value = found.extra.get(bound)
                if value is not None and key not in schema:
                    schema[key] = value

    def _shared_codes(self, operation: dict[str, Any]) -> list[str]:
        codes = []
        if "requestBody" in operation:
            codes.append("400")
        authenticators = self.view.get_authenticators()
        if authenticators:
            # DRF answers 401 when the first authenticator offers a challenge
            # (``WWW-Authenticate: Token``), 403 otherwise.
            challenge = authenticators[0].authenticate_header(self.view.request)
            codes.append("401" if challenge else "403")
        if self.method not in SAFE_METHODS and any(
            isinstance(a, SessionAuthentication) for a in authenticators
        ):
            codes.append("403")
        pages = {
            getattr(self._get_paginator(), name, None)
            for name in ("page_query_param", "page_size_query_param")
        } - {None}
        queries = {
            p.get("name")
            for p in operation.get("parameters", [])
            if p.get("in") == "query"
        }
        if queries & pages:
            codes.append("404")
        if queries - pages:
            # Filters and options are checked: a value they refuse is a 400.
            codes.append("400")
        if any(p.get("in") == "path" for p in operation.get("parameters", [])):
            codes.append("404")
        if self.view.get_throttles():
            codes.append("429")
        return codes

    def get_auth(self) -> list[dict[str, Any]]:
        auths = super().get_auth()
        if {} not in auths and self._anonymous_allowed():
            auths.append({})
        return auths

    def _anonymous_allowed(self) -> bool:
        """Whether a call without credentials passes the view's permission classes
        for this method (object-level rules may still hide a row: that is a 404)."""
        anonymous = SimpleNamespace(
            method=self.method, user=AnonymousUser(), auth=None, query_params={}
        )
        try:
            return all(
                permission.has_permission(anonymous, self.view)
                for permission in self.view.get_permissions()
            )
        except Exception:  # a class that needs more than this: not public
            return False

    def _map_serializer(
        self, serializer: Any, direction: Any, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        if direction == "request" and getattr(
            serializer, "refuses_unknown_fields", False
        ):
            schema["additionalProperties"] = False
        return schema

    # --- Text fields: what DRF refuses, the request schema says -------------------

    def _map_basic_serializer(self, serializer: Any, direction: Any) -> Any:
        self._directions = [*getattr(self, "_directions", []), direction]
        try:
            return super()._map_basic_serializer(serializer, direction)
        finally:
            self._directions.pop()

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> Any:
        self._directions = [*getattr(self, "_directions", []), direction]
        try:
            return super()._map_serializer_field(field, direction, bypass_extensions)
        finally:
            self._directions.pop()

    def _insert_field_validators(self, field: Any, schema: dict[str, Any]) -> None:
        super()._insert_field_validators(field, schema)
        directions = getattr(self, "_directions", [])
        if not directions or directions[-1] != "request" or field.read_only:
            return
        if schema.get("type") != "string":
            return
        if isinstance(field, serializers.CharField) and not (
            "pattern" in schema or "format" in schema
        ):
            schema["pattern"] = text_pattern(field)
        elif isinstance(field, serializers.DecimalField):
            schema["pattern"] = decimal_pattern(field)
        elif isinstance(field, serializers.FileField) and not field.allow_empty_file:
            schema["minLength"] = 1

    def _get_request_for_media_type(
        self, serializer: Any, direction: Any = "request"
    ) -> Any:
        if self.method == "PATCH" and getattr(serializer, "whole_on_patch", False):
            # drf-spectacular documents every PATCH body as partial; this view
            # validates the whole serializer, so its required fields stay required.
            self.method = "PUT"
            try:
                return super()._get_request_for_media_type(serializer, direction)
            finally:
                self.method = "PATCH"
        return super()._get_request_for_media_type(serializer, direction)
