"""REST API of the dashboard, the audit log and the exports (``/api/v1/``).

* ``dashboard/{city_slug}/``: the numbers behind each chart of the dashboard page,
  for the city's coordinators (and staff), with two-factor authentication.
* ``audit/?city=…``: the city's audit log, filtered and paginated, for the same.
* ``exports/{kind}.{fmt}``: streamed CSV or JSON; ``variant=public`` (open data,
  anyone) or ``variant=full`` (every field but internal notes, coordinators of the
  city). Nothing is held in memory: rows are read and written a chunk at a time.

Errors go through the project's one exception handler (``stakeholders.api``).
"""

from __future__ import annotations

from typing import Any

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import exceptions as drf_exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from stakeholders import permissions as sp
from stakeholders.api import ApiDefaults, _errors
from stakeholders.api_permissions import IsSignedIn
from stakeholders.models import City

from . import exports
from . import selectors_dashboard as sd
from .serializers_dashboard import (
    AuditEventSerializer,
    AuditQuerySerializer,
    DashboardQuerySerializer,
    DashboardSerializer,
    ExportQuerySerializer,
)


def _coordinator_or_deny(request: Request, city: City) -> None:
    if sp.is_coordinator(request.user, city):
        return
    if sp.holds_role(request.user, city, "coordinator"):
        raise drf_exceptions.PermissionDenied(
            _("Set up two-factor authentication to use your coordinator powers.")
        )
    raise drf_exceptions.PermissionDenied(
        _("Only the coordinators of %(city)s can read this.") % {"city": city.name}
    )


def _query(request: Request) -> dict[str, str]:
    """The query string as a plain dict: DRF reads a ``QueryDict`` like a form and
    takes ``?unit=`` for "not given"; as a dict an empty value is refused like any
    other bad one."""
    return request.query_params.dict()


def _range_parameters() -> list[OpenApiParameter]:
    return [
        OpenApiParameter(
            "start", OpenApiTypes.DATE, description=_("First day (YYYY-MM-DD).")
        ),
        OpenApiParameter(
            "end", OpenApiTypes.DATE, description=_("Last day, included.")
        ),
    ]


class DashboardView(ApiDefaults, APIView):
    permission_classes = [IsSignedIn]

    @extend_schema(
        operation_id="dashboard_retrieve",
        summary="The numbers behind a city's dashboard",
        description=(
            "Coordinators of the city (and staff), with two-factor authentication. "
            "Each list is what one chart of the dashboard page draws: proposals by "
            "status, per sector, pairs of sectors combined, active priorities with "
            "the number of proposals answering them well (score ≥ `good_match`), "
            "supports and comments per week or month, projects by delivery model, "
            "financing by kind of source, impact promised and measured. `start` and "
            "`end` narrow every series to a period (proposals by submission day, "
            "supports and comments by the day given, projects by creation day)."
        ),
        parameters=[
            OpenApiParameter(
                "city_slug", str, OpenApiParameter.PATH, description=_("City slug.")
            ),
            *_range_parameters(),
            OpenApiParameter(
                "unit",
                str,
                enum=list(sd.ACTIVITY_PERIODS),
                description=_("Periods of the activity series."),
            ),
        ],
        responses={200: DashboardSerializer, **_errors(400, 401, 403, 404)},
    )
    def get(self, request: Request, city_slug: str) -> Response:
        city = get_object_or_404(City, slug=city_slug)
        _coordinator_or_deny(request, city)
        query = DashboardQuerySerializer(data=_query(request))
        query.is_valid(raise_exception=True)
        period = query.period()
        data = sd.dashboard(city, period, unit=query.validated_data.get("unit"))
        data.update(
            {
                "city": city.slug,
                "period": {"start": period.start, "end": period.end},
                "good_match": sd.GOOD_MATCH,
            }
        )
        return Response(DashboardSerializer(data).data)


class AuditListView(ApiDefaults, GenericAPIView):
    permission_classes = [IsSignedIn]
    serializer_class = AuditEventSerializer
    filter_backends: list[Any] = []

    @extend_schema(
        operation_id="audit_list",
        summary="A city's audit log",
        description=(
            "Every curation, verification and moderation decision taken for the "
            "city, newest first: coordinators of the city (and staff), with "
            "two-factor authentication. The same filters as the audit log page; "
            "`exports/audit.{fmt}?city=…` downloads the whole log."
        ),
        parameters=[AuditQuerySerializer],
        responses={
            200: AuditEventSerializer(many=True),
            **_errors(400, 401, 403, 404),
        },
    )
    def get(self, request: Request) -> Response:
        query = AuditQuerySerializer(data=_query(request))
        query.is_valid(raise_exception=True)
        city = get_object_or_404(City, slug=query.validated_data["city"])
        _coordinator_or_deny(request, city)
        page = self.paginate_queryset(sd.audit_events(city, query.filters()))
        return self.get_paginated_response(AuditEventSerializer(page, many=True).data)


class IgnoreAccept(BaseContentNegotiation):
    """Downloads are CSV or JSON by their address, whatever ``Accept`` says; errors
    are JSON."""

    def select_renderer(
        self, request: Request, renderers: list[Any], format_suffix: Any = None
    ) -> tuple[Any, str]:
        return renderers[0], renderers[0].media_type

    def select_parser(self, request: Request, parsers: list[Any]) -> Any:
        return parsers[0] if parsers else None


_ROWS = {"type": "array", "items": {"type": "object", "additionalProperties": True}}


class ExportView(ApiDefaults, APIView):
    permission_classes = [AllowAny]
    content_negotiation_class = IgnoreAccept
    pagination_class = None

    @extend_schema(
        operation_id="exports_retrieve",
        summary="Download proposals, projects, matches or the audit log",
        description=(
            "Streamed CSV (UTF-8 with a byte-order mark; cells a spreadsheet "
            "would read as formulas start with an apostrophe) or JSON (an array "
            "of objects). `variant=public` (default): the open-data fields, for "
            "everyone — proposals and matches of public proposals only, never a "
            "draft or a hidden proposal. `variant=full`: every field but internal "
            "notes (which no export holds), for the coordinators of `city`. The "
            "audit log exists only as `full`."
        ),
        parameters=[
            OpenApiParameter(
                "kind", str, OpenApiParameter.PATH, enum=list(exports.KINDS)
            ),
            OpenApiParameter(
                "fmt", str, OpenApiParameter.PATH, enum=list(exports.FORMATS)
            ),
            ExportQuerySerializer,
        ],
        responses={
            (200, "text/csv"): OpenApiResponse(
                {"type": "string"}, description=_("CSV, one row per record.")
            ),
            (200, "application/json"): OpenApiResponse(
                _ROWS, description=_("A JSON array, one object per record.")
            ),
            **_errors(400, 401, 403, 404),
        },
    )
    def get(self, request: Request, kind: str, fmt: str) -> StreamingHttpResponse:
        if kind not in exports.KINDS or fmt not in exports.FORMATS:
            raise drf_exceptions.NotFound(
                _(
                    "Exports exist for proposals, projects, matches and the audit "
                    "log, as csv or json."
                )
            )
        query = ExportQuerySerializer(data=_query(request))
        query.is_valid(raise_exception=True)
        slug = query.validated_data.get("city")
        full = query.validated_data["variant"] == "full" or kind == "audit"
        if full and not slug:
            raise drf_exceptions.ValidationError(
                {"city": [_("Say which city: the complete exports are per city.")]}
            )
        city = get_object_or_404(City, slug=slug) if slug else None
        if full:
            if not sp.is_signed_in(request.user):
                raise drf_exceptions.NotAuthenticated()
            _coordinator_or_deny(request, city)  # type: ignore[arg-type]
        base_url = request.build_absolute_uri("/").rstrip("/")
        if kind == "audit":
            return exports.stream_response(
                exports.audit_records(sd.audit_events(city)),  # type: ignore[arg-type]
                fmt,
                name=f"audit-{city.slug}",  # type: ignore[union-attr]
                columns=exports.AUDIT_COLUMNS,
            )
        return exports.kind_response(kind, fmt, city=city, full=full, base_url=base_url)
