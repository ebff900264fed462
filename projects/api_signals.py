"""REST API of demand signals (``/api/v1/signals/``): the inbox of the cities a
coordinator coordinates, and accepting or dismissing a signal.

A signal is visible to the coordinators of its city (and staff with two-factor
authentication): anyone else gets an empty list and 404 for one signal. Writes are
calls to ``projects.services.signals``; errors go through the project's exception
handler.
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
    extend_schema_view,
)
from rest_framework import exceptions as drf_exceptions
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from stakeholders import permissions as sp
from stakeholders.api import ApiDefaults, _errors, _user
from stakeholders.api_permissions import IsSignedIn

from . import selectors_matching
from . import selectors_signals as selectors
from .models import Signal, SignalState
from .serializers_signals import (
    SignalAcceptSerializer,
    SignalDecisionSerializer,
    SignalDismissSerializer,
    SignalQuerySerializer,
    SignalSerializer,
)
from .services import signals as services

ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Signal id.")


class Decided(drf_exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "decided"


def visible_signals(user: Any) -> QuerySet[Signal]:
    """Signals of the cities ``user`` coordinates (every city for staff)."""
    qs = selectors.signals_inbox_all()
    if sp.staff_power(user):
        return qs
    return qs.filter(city_id__in=sorted(sp.coordinated_city_ids(user)))


@extend_schema_view(
    list=extend_schema(
        summary="Demand signals (the cities you coordinate)",
        description=(
            "Open signals first, most confident first. Filters: `city` (slug), "
            "`state`, `indicator` (id). Each signal says in words what shifted "
            "(`sentence`), by how much (`size`), since when, how sure the detector "
            "is (`confidence`) and how it found it."
        ),
        parameters=[SignalQuerySerializer],
        responses={200: SignalSerializer(many=True), **_errors(400, 401)},
    ),
    retrieve=extend_schema(
        summary="One demand signal",
        description=(
            "Seen by the coordinators of the signal's city (and staff); 404 for "
            "anyone else."
        ),
        parameters=[ID],
        responses={200: SignalSerializer, **_errors(401, 404)},
    ),
)
class SignalViewSet(ApiDefaults, viewsets.GenericViewSet):
    serializer_class = SignalSerializer
    permission_classes = [IsSignedIn]
    queryset = Signal.objects.none()
    lookup_value_regex = r"\d+"
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Signal]:
        return visible_signals(self.request.user)

    def _signal(self, pk: str) -> Signal:
        return get_object_or_404(self.get_queryset(), pk=pk)

    def list(self, request: Request) -> Response:
        incoming = SignalQuerySerializer(data=request.query_params)
        incoming.is_valid(raise_exception=True)
        filters = incoming.validated_data
        qs = self.get_queryset()
        if filters.get("city"):
            qs = qs.filter(city__slug=filters["city"])
        if filters.get("state"):
            qs = qs.filter(state=filters["state"])
        if filters.get("indicator"):
            qs = qs.filter(indicator_id=filters["indicator"])
        page = self.paginate_queryset(qs)
        rows = selectors.annotate(list(page if page is not None else qs))
        return self.get_paginated_response(SignalSerializer(rows, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        signal = self._signal(pk)
        return Response(SignalSerializer(selectors.annotate([signal])[0]).data)

    def _open(self, signal: Signal) -> None:
        if signal.state != SignalState.OPEN:
            raise Decided(
                detail=_(
                    "This signal was already %(state)s; it cannot be decided again."
                )
                % {"state": signal.get_state_display().lower()}
            )

    @extend_schema(
        summary="Accept a signal (the city's coordinators)",
        description=(
            "Raise or lower the weight of a priority the indicator informs, or "
            "create a new priority from the signal (title and description default "
            "to the signal's words). Every proposal of the city is then re-scored "
            "in the background: follow `job` at `/api/v1/jobs/{id}/`."
        ),
        parameters=[ID],
        request=SignalAcceptSerializer,
        responses={
            200: OpenApiResponse(
                SignalDecisionSerializer, description=_("Accepted; re-score started.")
            ),
            **_errors(400, 401, 404, 409),
        },
        examples=[
            OpenApiExample(
                "Raise the weight",
                value={"action": "raise_weight", "note": "Commuters need it."},
                request_only=True,
            ),
            OpenApiExample(
                "New priority",
                value={"action": "new_priority", "weight": 4},
                request_only=True,
            ),
        ],
    )
    @action(detail=True, methods=["post"], serializer_class=SignalAcceptSerializer)
    def accept(self, request: Request, pk: str) -> Response:
        signal = self._signal(pk)
        incoming = SignalAcceptSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        self._open(signal)
        data = dict(incoming.validated_data)
        accepted = services.signal_accept(
            actor=_user(request),
            signal=signal,
            action=data["action"],
            priority=data.get("priority"),
            weight=data.get("weight"),
            title=data.get("title", ""),
            description=data.get("description", ""),
            note=data.get("note", ""),
        )
        fresh = selectors.annotate([selectors.signal_detail(accepted.pk)])[0]
        job = selectors_matching.open_job(fresh.city_id) or selectors_matching.last_job(
            fresh.city_id
        )
        return Response(SignalDecisionSerializer(fresh, context={"job": job}).data)

    @extend_schema(
        summary="Dismiss a signal with the reason (the city's coordinators)",
        parameters=[ID],
        request=SignalDismissSerializer,
        responses={200: SignalSerializer, **_errors(400, 401, 404, 409)},
        examples=[
            OpenApiExample(
                "Dismiss",
                value={"reason": "Road works ended last week; the commute is back."},
                request_only=True,
            )
        ],
    )
    @action(detail=True, methods=["post"], serializer_class=SignalDismissSerializer)
    def dismiss(self, request: Request, pk: str) -> Response:
        signal = self._signal(pk)
        incoming = SignalDismissSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        self._open(signal)
        services.signal_dismiss(
            actor=_user(request),
            signal=signal,
            reason=incoming.validated_data["reason"],
        )
        fresh = selectors.annotate([selectors.signal_detail(signal.pk)])[0]
        return Response(SignalSerializer(fresh).data)
