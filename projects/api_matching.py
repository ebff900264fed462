"""REST API of priorities, matches, complements and re-score jobs (``/api/v1/``).

Views parse and shape data; writes are calls to ``projects.services.matching`` and
"may they?" is asked of ``projects.permissions_matching`` before the input is
validated (a person who may not act learns that, 403, rather than what is wrong
with their input). Errors go through the project's one exception handler.
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
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from stakeholders.api import ApiDefaults, _errors, _user
from stakeholders.api_permissions import IsSignedIn, ReadOrSignedIn
from stakeholders.models import City

from . import permissions_matching as mperms
from . import selectors_matching as selectors
from .models import Match, Priority, Proposal, RematchJob, Sector
from .serializers_matching import (
    ComplementsSerializer,
    JobSerializer,
    MatchQuerySerializer,
    MatchReviewSerializer,
    MatchSerializer,
    PrioritySerializer,
    PriorityWriteSerializer,
    RematchRequestSerializer,
)
from .services import matching as services

ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Priority id.")
MATCH_FILTERS = [
    OpenApiParameter(
        "min_score",
        {"type": "number", "minimum": 0, "maximum": 1},
        description="Only matches scoring at least this (0–1).",
    ),
    OpenApiParameter(
        "review",
        str,
        enum=list(selectors.REVIEW_FILTERS),
        description="Coordinators' review state (default: any).",
    ),
]
_PRIORITY_EXAMPLE = {
    "city": "riverbend",
    "title": "Cut emissions",
    "description": "Halve the emissions of buildings and transport by 2035.",
    "keywords": ["heat pump", "retrofit", "electric bus"],
    "sectors": ["energy", "buildings", "mobility"],
    "weight": 5,
    "target_indicators": ["−30 % CO2 by 2030"],
    "active_from": "2026-01-01",
    "active_until": None,
}


def _deny_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise drf_exceptions.PermissionDenied(detail=message)


def _sectors(slugs: list[str] | None) -> list[Sector] | None:
    if slugs is None:
        return None
    rows = {s.slug: s for s in Sector.objects.filter(slug__in=slugs)}
    return [rows[s] for s in dict.fromkeys(slugs) if s in rows]


def _match_page(
    view: GenericAPIView, request: Request, qs: QuerySet[Match]
) -> Response:
    page = view.paginate_queryset(qs)
    rows = selectors.explained(list(page if page is not None else qs))
    data = MatchSerializer(rows, many=True).data
    return view.get_paginated_response(data)


def _filters(request: Request) -> dict[str, Any]:
    incoming = MatchQuerySerializer(data=request.query_params)
    incoming.is_valid(raise_exception=True)
    return dict(incoming.validated_data)


@extend_schema_view(
    list=extend_schema(
        summary="A city's priorities",
        description="Everyone reads them; `city` (slug) narrows to one city.",
        parameters=[OpenApiParameter("city", str, description="City slug.")],
        responses={200: PrioritySerializer(many=True)},
    ),
    retrieve=extend_schema(
        summary="One priority",
        parameters=[ID],
        responses={200: PrioritySerializer, **_errors(404)},
    ),
)
class PriorityViewSet(ApiDefaults, viewsets.GenericViewSet):
    serializer_class = PrioritySerializer
    permission_classes = [ReadOrSignedIn]
    queryset = Priority.objects.none()
    lookup_value_regex = r"\d+"
    filter_backends: list[Any] = []
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Priority]:
        qs = (
            Priority.objects.select_related("city")
            .prefetch_related("sectors")
            .order_by("city__name", "-weight", "title", "pk")
        )
        city = self.request.query_params.get("city")
        if city:
            qs = qs.filter(city__slug=city)
        return qs

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PrioritySerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        priority = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(PrioritySerializer(priority).data)

    @extend_schema(
        summary="State a priority (the city's coordinators)",
        description=(
            "Title required; weight 1–5 (default 3); sectors by slug. Every "
            "proposal of the city is then re-scored in the background."
        ),
        request=PriorityWriteSerializer,
        responses={201: PrioritySerializer, **_errors(400, 401, 403)},
        examples=[
            OpenApiExample("Cut emissions", value=_PRIORITY_EXAMPLE, request_only=True),
            OpenApiExample(
                "Weight out of range",
                value={"weight": ["Ensure this value is less than or equal to 5."]},
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def create(self, request: Request) -> Response:
        incoming = PriorityWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        city: City | None = data.pop("city", None)
        if city is None:
            raise drf_exceptions.ValidationError(
                {"city": [_("Say which city (its slug).")]}
            )
        _deny_unless(
            mperms.can_manage_priorities(request.user, city),
            _("Only the city's coordinators can set its priorities."),
        )
        priority = services.priority_create(
            actor=_user(request),
            city=city,
            sectors=_sectors(data.pop("sectors", [])) or [],
            **data,
        )
        fresh = self.get_queryset().get(pk=priority.pk)
        return Response(PrioritySerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit or reweight a priority (the city's coordinators)",
        description="Only the fields given change; the city is then re-scored.",
        parameters=[ID],
        request=PriorityWriteSerializer(partial=True),
        responses={200: PrioritySerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample("Reweight", value={"weight": 5}, request_only=True),
        ],
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        priority = get_object_or_404(self.get_queryset(), pk=pk)
        _deny_unless(
            mperms.can_edit_priority(request.user, priority),
            _("Only the coordinators of %(city)s can change its priorities.")
            % {"city": priority.city.name},
        )
        incoming = PriorityWriteSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        if "city" in data:
            raise drf_exceptions.ValidationError(
                {"city": [_("A priority cannot move to another city.")]}
            )
        services.priority_update(
            actor=_user(request),
            priority=priority,
            sectors=_sectors(data.pop("sectors", None)),
            **data,
        )
        return Response(PrioritySerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(
        summary="Remove a priority (the city's coordinators)",
        description="Its matches go with it; the city is re-scored.",
        parameters=[ID],
        request=None,
        responses={204: None, **_errors(401, 403, 404)},
    )
    def destroy(self, request: Request, pk: str) -> Response:
        priority = get_object_or_404(self.get_queryset(), pk=pk)
        _deny_unless(
            mperms.can_edit_priority(request.user, priority),
            _("Only the coordinators of %(city)s can change its priorities.")
            % {"city": priority.city.name},
        )
        services.priority_delete(actor=_user(request), priority=priority)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Ranked proposals of a priority",
        description=(
            "Best first. Each match has its score in [0, 1], its components and "
            "the reasons in words; `review` says whether a coordinator confirmed "
            "or rejected it."
        ),
        parameters=[ID, *MATCH_FILTERS],
        responses={200: MatchSerializer(many=True), **_errors(400, 404)},
    )
    @action(detail=True, methods=["get"], serializer_class=MatchSerializer)
    def matches(self, request: Request, pk: str) -> Response:
        priority = get_object_or_404(Priority.objects.all(), pk=pk)
        filters = _filters(request)
        qs = selectors.matches_of_priority(
            priority, min_score=filters.get("min_score"), review=filters["review"]
        )
        return _match_page(self, request, qs)


class ProposalMatchesView(ApiDefaults, GenericAPIView):
    serializer_class = MatchSerializer
    permission_classes = [ReadOrSignedIn]
    queryset = Match.objects.none()

    @extend_schema(
        summary="How a proposal matches its city's priorities",
        description="Best first; drafts are seen only by their authors (404).",
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="Proposal.")
        ],
        responses={200: MatchSerializer(many=True), **_errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        proposal = get_object_or_404(Proposal.objects.visible_to(request.user), pk=pk)
        return _match_page(self, request, selectors.matches_of_proposal(proposal))


class MatchReviewView(ApiDefaults, GenericAPIView):
    serializer_class = MatchReviewSerializer
    permission_classes = [IsSignedIn]
    queryset = Match.objects.none()

    @extend_schema(
        summary="Confirm or reject a match (the city's coordinators)",
        description=(
            "The decision teaches the engine: confirmed and rejected proposals "
            "refine the priority for all future scoring. An empty decision clears "
            "the review."
        ),
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="Match.")
        ],
        request=MatchReviewSerializer,
        responses={200: MatchSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Confirm",
                value={"decision": "confirmed", "note": "Exactly what we need."},
                request_only=True,
            )
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        match = get_object_or_404(
            Match.objects.select_related("priority", "proposal", "priority__city"),
            pk=pk,
        )
        _deny_unless(
            mperms.can_review_match(request.user, match),
            _("Only the coordinators of the priority's city can review its matches."),
        )
        incoming = MatchReviewSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.match_review(
            actor=_user(request),
            match=match,
            decision=incoming.validated_data["decision"],
            note=incoming.validated_data.get("note", ""),
        )
        fresh = selectors.matches_of_proposal(match.proposal_id).get(pk=match.pk)
        return Response(MatchSerializer(selectors.explained([fresh])[0]).data)


class ProposalComplementsView(ApiDefaults, GenericAPIView):
    serializer_class = ComplementsSerializer
    permission_classes = [IsSignedIn]
    queryset = Proposal.objects.none()

    @extend_schema(
        summary="Partners and proposals that would complete a proposal",
        description=(
            "For the proposal's authors and its city's coordinators: verified "
            "organisations that bring what the proposal lacks for its best "
            "priorities (a financer, an operator, a missing sector), and other "
            "proposals of the city that combine well, each with the reason."
        ),
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="Proposal.")
        ],
        responses={200: ComplementsSerializer, **_errors(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        proposal = get_object_or_404(Proposal.objects.visible_to(request.user), pk=pk)
        found = services.proposal_complements(user=request.user, proposal=proposal)
        return Response(ComplementsSerializer(found).data)


class CityRematchView(ApiDefaults, GenericAPIView):
    serializer_class = RematchRequestSerializer
    permission_classes = [IsSignedIn]
    queryset = RematchJob.objects.none()

    @extend_schema(
        summary="Re-score every proposal of a city (its coordinators)",
        description=(
            "Starts a background job and answers at once with it (202). While a "
            "job of the city is open, the same job is returned (`joined`: true): "
            "a city is never re-scored twice at once. Follow it at `/jobs/{id}/`."
        ),
        parameters=[
            OpenApiParameter("slug", str, OpenApiParameter.PATH, description="City.")
        ],
        request=RematchRequestSerializer,
        responses={
            202: OpenApiResponse(JobSerializer, description=_("Started or joined.")),
            **_errors(400, 401, 403, 404),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        city = get_object_or_404(City.objects.all(), slug=slug)
        _deny_unless(
            mperms.can_start_rematch(request.user, city),
            _("Only the city's coordinators can re-score its proposals."),
        )
        incoming = RematchRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        started = services.city_rematch_start(
            actor=_user(request),
            city=city,
            reason=incoming.validated_data.get("reason", "")
            or _("Requested through the API"),
        )
        job = selectors.job_detail(started.job.pk)
        return Response(
            JobSerializer(job, context={"joined": not started.created}).data,
            status=status.HTTP_202_ACCEPTED,
        )


class JobView(ApiDefaults, GenericAPIView):
    serializer_class = JobSerializer
    permission_classes = [ReadOrSignedIn]
    queryset = RematchJob.objects.none()

    @extend_schema(
        summary="Progress of a re-score job",
        description="`done` of `total` proposals; `percent` for a progress bar.",
        parameters=[
            OpenApiParameter("id", int, OpenApiParameter.PATH, description="Job.")
        ],
        responses={200: JobSerializer, **_errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        job = get_object_or_404(RematchJob.objects.select_related("city"), pk=pk)
        return Response(JobSerializer(job).data)
