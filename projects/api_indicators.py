"""REST API of demand indicators (``/api/v1/``): series, their observations and
CSV imports.

Everyone reads the series and their observations (public city data). The city's
coordinators (a verified role with two-factor authentication, or staff with it) add
series, add or correct observations and upload CSV files; imports are seen by the
coordinators of their city only (404 for anyone else). Writes are calls to
``projects.services.indicators``: the page, the command and this API share one set
of checks. Errors go through the project's one exception handler.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from stakeholders.api import ApiDefaults, _errors, _user
from stakeholders.api_permissions import IsSignedIn, ReadOrSignedIn
from stakeholders.models import City, District

from . import selectors_indicators as selectors
from .models import Indicator, IndicatorImport, IndicatorKind, Priority, Sector
from .serializers_indicators import (
    BatchResultSerializer,
    ImportSerializer,
    ImportUploadSerializer,
    IndicatorSerializer,
    IndicatorWriteSerializer,
    ObservationBatchSerializer,
    ObservationSerializer,
)
from .services import indicators as services

ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Indicator id.")
IMPORT_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Import id.")
LIST_FILTERS = [
    OpenApiParameter("city", str, description="City slug."),
    OpenApiParameter(
        "district",
        str,
        description="District slug; `all` for the whole city's series.",
    ),
    OpenApiParameter(
        "kind", str, enum=[k.value for k in IndicatorKind], description="Kind."
    ),
]


def _deny_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise drf_exceptions.PermissionDenied(detail=message)


class IndicatorListView(ApiDefaults, GenericAPIView):
    serializer_class = IndicatorSerializer
    permission_classes = [ReadOrSignedIn]
    queryset = Indicator.objects.none()

    @extend_schema(
        summary="Indicator series",
        description=(
            "Every series of every city (public data): a kind of measure for a "
            "district or for the whole city (`district` null), its unit, period "
            "kind, number of observations and latest period."
        ),
        parameters=LIST_FILTERS,
        responses={200: IndicatorSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        kind = params.get("kind", "")
        if kind and kind not in IndicatorKind.values:
            raise drf_exceptions.ValidationError({"kind": [_("Unknown kind.")]})
        qs = selectors.indicators(
            city=params.get("city", ""),
            district=params.get("district", ""),
            kind=kind,
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(IndicatorSerializer(page, many=True).data)

    @extend_schema(
        summary="Add a series (the city's coordinators)",
        description=(
            "A built-in kind takes its own code and unit. A custom kind needs a "
            "name and a unit; its code defaults to the name's slug and keeps one "
            "unit across the city's districts. Observations come by CSV import or "
            "by `POST /indicators/{id}/observations/`."
        ),
        request=IndicatorWriteSerializer,
        responses={201: IndicatorSerializer, **_errors(400, 401, 403)},
        examples=[
            OpenApiExample(
                "Commute in North",
                value={
                    "city": "riverbend",
                    "district": "north",
                    "kind": "commute_minutes",
                },
                request_only=True,
            ),
            OpenApiExample(
                "A custom series",
                value={
                    "city": "riverbend",
                    "kind": "custom",
                    "name": "Bus ridership",
                    "unit": "trips",
                    "period_kind": "quarter",
                },
                request_only=True,
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        incoming = IndicatorWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        city = data.pop("city")
        _deny_unless(
            services.can_import(request.user, city),
            _("Only the coordinators of %(city)s can add its indicators.")
            % {"city": city.name},
        )
        district = None
        slug = data.pop("district", None)
        if slug and slug != selectors.WHOLE_CITY:
            district = District.objects.filter(city=city, slug=slug).first()
            if district is None:
                raise drf_exceptions.ValidationError(
                    {
                        "district": [
                            _("%(city)s has no such district.") % {"city": city.name}
                        ]
                    }
                )
        priority_ids = data.pop("priorities", None) or []
        priorities = list(Priority.objects.filter(city=city, pk__in=priority_ids))
        if len(priorities) != len(set(priority_ids)):
            raise drf_exceptions.ValidationError(
                {"priorities": [_("Give priorities of this city (their ids).")]}
            )
        sector_slugs = data.pop("sectors", None) or []
        indicator = services.indicator_create(
            actor=_user(request),
            city=city,
            district=district,
            priorities=priorities,
            sectors=list(Sector.objects.filter(slug__in=sector_slugs)),
            **data,
        )
        fresh = selectors.indicators().get(pk=indicator.pk)
        return Response(IndicatorSerializer(fresh).data, status=status.HTTP_201_CREATED)


class IndicatorDetailView(ApiDefaults, GenericAPIView):
    serializer_class = IndicatorSerializer
    permission_classes = [ReadOrSignedIn]
    queryset = Indicator.objects.none()

    @extend_schema(
        summary="One indicator series",
        parameters=[ID],
        responses={200: IndicatorSerializer, **_errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        indicator = get_object_or_404(selectors.indicators(), pk=pk)
        return Response(IndicatorSerializer(indicator).data)


class ObservationListView(ApiDefaults, GenericAPIView):
    serializer_class = ObservationSerializer
    permission_classes = [ReadOrSignedIn]
    queryset = Indicator.objects.none()

    @extend_schema(
        summary="Observations of a series",
        description="Oldest period first; `label` writes the period as in a CSV.",
        parameters=[ID],
        responses={200: ObservationSerializer(many=True), **_errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        indicator = get_object_or_404(Indicator.objects.all(), pk=pk)
        page = self.paginate_queryset(selectors.observations(indicator))
        data = ObservationSerializer(
            page, many=True, context={"period_kind": indicator.period_kind}
        ).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="Add or correct observations (the city's coordinators)",
        description=(
            "Checked like the lines of a CSV import (period of the series' kind and "
            "not in the future, a finite value, each period once) and applied all "
            "or nothing. A corrected value keeps the old one in the history; the "
            "same value again changes nothing."
        ),
        parameters=[ID],
        request=ObservationBatchSerializer,
        responses={200: BatchResultSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Two months",
                value={
                    "observations": [
                        {"period": "2025-01", "value": 31.5},
                        {"period": "2025-02", "value": 32.0, "note": "Bridge closed"},
                    ]
                },
                request_only=True,
            ),
            OpenApiExample(
                "A bad item",
                value={"observations": ["item 2: 2999-01 is in the future"]},
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        indicator = get_object_or_404(
            Indicator.objects.select_related("city", "district"), pk=pk
        )
        _deny_unless(
            services.can_import(request.user, indicator.city_id),
            _("Only the coordinators of %(city)s can add or correct its observations.")
            % {"city": indicator.city.name},
        )
        incoming = ObservationBatchSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        outcome = services.observations_apply(
            actor=_user(request),
            indicator=indicator,
            rows=[dict(r) for r in incoming.validated_data["observations"]],
        )
        return Response(
            BatchResultSerializer(
                {
                    "created": outcome.created,
                    "updated": outcome.updated,
                    "unchanged": outcome.unchanged,
                }
            ).data
        )


class ImportListView(ApiDefaults, GenericAPIView):
    serializer_class = ImportSerializer
    permission_classes = [IsSignedIn]
    parser_classes = [MultiPartParser, FormParser]
    queryset = IndicatorImport.objects.none()

    def _visible(self) -> QuerySet[IndicatorImport]:
        return selectors.imports_visible_to(self.request.user)

    @extend_schema(
        summary="CSV imports of the cities I coordinate",
        description="Newest first; `city` narrows to one city.",
        parameters=[OpenApiParameter("city", str, description="City slug.")],
        responses={200: ImportSerializer(many=True), **_errors(401)},
    )
    def get(self, request: Request) -> Response:
        qs = self._visible()
        city = request.query_params.get("city")
        if city:
            qs = qs.filter(city__slug=city)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(ImportSerializer(page, many=True).data)

    @extend_schema(
        summary="Upload a CSV file of observations (the city's coordinators)",
        description=(
            "Multipart: `city` (slug) and `file`. Header "
            "`district,indicator,unit,period,value` (optionally `,note`), UTF-8 "
            "with or without BOM, commas, a decimal point; periods `YYYY-MM`, "
            "`YYYY-Qn` or `YYYY`. An empty file, one over the size limit (200 MB "
            "by default), one that is not CSV or uses semicolons is refused at "
            "once (400). Otherwise the import is queued (202): follow it at "
            "`/imports/{id}/`; when `rejected`, `errors` lists every bad line and "
            "nothing was changed."
        ),
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            202: OpenApiResponse(ImportSerializer, description=_("Queued.")),
            **_errors(400, 401, 403),
        },
        examples=[
            OpenApiExample(
                "Semicolons",
                value={
                    "file": [
                        "The fields are separated by semicolons; this format uses "
                        "commas. Save the file as “CSV UTF-8 (comma delimited)”, "
                        "with a point as decimal mark."
                    ]
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        too_big = services.upload_too_large(request.META.get("CONTENT_LENGTH"))
        if too_big:
            # Refused before the body is parsed: a huge upload never reaches disk.
            raise drf_exceptions.ValidationError({"file": [too_big]})
        city_slug = request.data.get("city")
        city = None
        if isinstance(city_slug, str) and city_slug:
            city = City.objects.filter(slug=city_slug).first()
        if city is not None:
            # Who may act is answered before what is wrong with the file.
            _deny_unless(
                services.can_import(request.user, city),
                _("Only the coordinators of %(city)s can import its indicators.")
                % {"city": city.name},
            )
        incoming = ImportUploadSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data: dict[str, Any] = incoming.validated_data
        imp = services.indicator_import_create(
            actor=_user(request), city=data["city"], upload=data["file"]
        )
        imp = IndicatorImport.objects.select_related("city").get(pk=imp.pk)
        return Response(ImportSerializer(imp).data, status=status.HTTP_202_ACCEPTED)


class ImportDetailView(ApiDefaults, GenericAPIView):
    serializer_class = ImportSerializer
    permission_classes = [IsSignedIn]
    queryset = IndicatorImport.objects.none()

    @extend_schema(
        summary="State of a CSV import",
        description=(
            "`rows_done` of `rows_total` while it is written (`percent` for a "
            "bar); counts of new, corrected and unchanged observations when "
            "`done`; every bad line (`errors`, the first 1,000, and "
            "`error_count`) when `rejected`. Coordinators of the city only."
        ),
        parameters=[IMPORT_ID],
        responses={200: ImportSerializer, **_errors(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        imp = get_object_or_404(selectors.imports_visible_to(request.user), pk=pk)
        return Response(ImportSerializer(imp).data)
