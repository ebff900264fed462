"""REST API of projects (``/api/v1/projects/``): the projects, their milestones,
updates, financing, partners and impacts; comments and follows are the
conversation API's (``api_conversation``), on a project.

Views parse and shape data; every write is a call to ``projects.services.projects``
and every "may they?" a predicate of ``projects.permissions_projects``, asked
before the input is validated (a person who may not act learns that, 403, rather
than what is wrong with their input). Errors come from the project's one exception
handler: a service's ``ValidationError`` is 400 with field errors, an unknown
project or row 404.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions as drf_exceptions
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from stakeholders import permissions as sp
from stakeholders.api import ApiDefaults, _errors, _user
from stakeholders.api_permissions import ReadOrSignedIn

from . import permissions_projects as perms
from . import selectors_projects as selectors
from .models import (
    FinancingSource,
    Milestone,
    Priority,
    Project,
    ProjectDelivery,
    ProjectImpact,
    ProjectPartner,
    ProjectStatus,
    ProjectUpdate,
    Proposal,
)
from .serializers_projects import (
    FinancingChangeSerializer,
    FinancingSerializer,
    FinancingWriteSerializer,
    ImpactReportSerializer,
    ImpactWriteSerializer,
    MilestoneChangeSerializer,
    MilestoneSerializer,
    MilestoneWriteSerializer,
    PartnerWriteSerializer,
    ProjectChangeSerializer,
    ProjectCreateSerializer,
    ProjectDetailSerializer,
    ProjectImpactSerializer,
    ProjectListSerializer,
    ProjectPartnerSerializer,
    ProjectUpdateSerializer,
    StatusChangeSerializer,
    UpdateWriteSerializer,
)
from .services import projects as services

PROJECT_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="Project id."
)


def _item_id(description: str) -> OpenApiParameter:
    return OpenApiParameter("item", int, OpenApiParameter.PATH, description=description)


MANAGE_REFUSED = _(
    "Only a coordinator of this city (with two-factor authentication) can change "
    "its projects."
)


def _deny_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise drf_exceptions.PermissionDenied(detail=message)


def _project(pk: Any) -> Project:
    return get_object_or_404(Project.objects.select_related("city"), pk=pk)


def _detail(request: Request, pk: int, code: int = 200) -> Response:
    try:
        project = selectors.project_detail(pk=pk)
    except Project.DoesNotExist as exc:
        raise drf_exceptions.NotFound() from exc
    signed_in = sp.is_signed_in(request.user)
    context = {
        "request": request,
        "permissions": {
            "manage": perms.can_manage_project(request.user, project),
            "comment": signed_in,
            "follow": signed_in,
        },
    }
    return Response(ProjectDetailSerializer(project, context=context).data, status=code)


class ProjectFilterSerializer(serializers.Serializer):
    # An empty parameter (``?city=``, as a form sends it) means no filter.
    city = serializers.CharField(
        required=False, allow_blank=True, max_length=60, help_text=_("A city's slug.")
    )
    status = serializers.ChoiceField(
        choices=ProjectStatus.choices, required=False, allow_blank=True
    )
    delivery_model = serializers.ChoiceField(
        choices=ProjectDelivery.choices, required=False, allow_blank=True
    )
    sector = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=60,
        help_text=_("A sector's slug."),
    )


_PROJECT_EXAMPLE = {
    "proposals": [12, 15],
    "title": "Solar roofs and heat pumps for Riverside housing",
    "delivery_model": "ppp",
    "budget": "2400000.00",
}


@extend_schema_view(
    list=extend_schema(
        summary="Browse projects",
        description=(
            "Every city's projects (projects are public), newest first, filtered "
            "by `city` (slug), `status`, `delivery_model` and `sector` (slug)."
        ),
        parameters=[ProjectFilterSerializer],
        responses={200: ProjectListSerializer(many=True), **_errors(400)},
    ),
    retrieve=extend_schema(
        summary="One project",
        description=(
            "With its partners, financing (and their total), milestones (done, "
            "late or upcoming), updates, impacts expected and measured, and the "
            "proposals it was built from. `permissions` says what the reader may do."
        ),
        parameters=[PROJECT_ID],
        responses={200: ProjectDetailSerializer, **_errors(404)},
    ),
)
class ProjectViewSet(ApiDefaults, viewsets.GenericViewSet):
    serializer_class = ProjectListSerializer
    permission_classes = [ReadOrSignedIn]
    queryset = Project.objects.none()
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self) -> type[Any]:
        if self.action == "retrieve":
            return ProjectDetailSerializer
        return ProjectListSerializer

    def list(self, request: Request) -> Response:
        query = ProjectFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = selectors.ProjectFilters(**query.validated_data)
        page = self.paginate_queryset(selectors.project_list(filters=filters))
        return self.get_paginated_response(ProjectListSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return _detail(request, int(pk))

    @extend_schema(
        summary="Create a project from proposals (a coordinator of their city)",
        description=(
            "From one or more proposals of one city, each submitted, under review, "
            "shortlisted or accepted and not yet part of a project. Left out, the "
            "title, summary, delivery model and budget (the capital costs added "
            "up) come from the proposals. Sectors, priorities confirmed or "
            "strongly matched, lead organisations and accepted partners, and "
            "expected impacts (summed per indicator and unit) are carried over. "
            "The proposals' authors and followers are notified and follow the "
            "project."
        ),
        request=ProjectCreateSerializer,
        responses={201: ProjectDetailSerializer, **_errors(400, 401, 403)},
        examples=[
            OpenApiExample("Two proposals", value=_PROJECT_EXAMPLE, request_only=True),
            OpenApiExample(
                "Two cities",
                value={
                    "proposals": [
                        "These proposals come from different cities; a project "
                        "belongs to one city and is built from that city's "
                        "proposals only."
                    ]
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def create(self, request: Request) -> Response:
        _deny_unless(
            sp.is_any_coordinator(request.user),
            _(
                "Only a city's coordinators (with two-factor authentication) can "
                "create projects."
            ),
        )
        incoming = ProjectCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        ids = list(dict.fromkeys(data.pop("proposals")))
        found = {
            p.pk: p
            for p in Proposal.objects.visible_to(request.user).filter(pk__in=ids)
        }
        missing = [str(i) for i in ids if i not in found]
        if missing:
            raise drf_exceptions.ValidationError(
                {
                    "proposals": [
                        _("There is no proposal %(ids)s.") % {"ids": ", ".join(missing)}
                    ]
                }
            )
        project = services.project_create(
            actor=_user(request), proposals=[found[i] for i in ids], **data
        )
        return _detail(request, project.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a project (a coordinator of its city)",
        description=(
            "Title, summary, description, delivery model, procurement reference, "
            "budget (never below the financing already recorded) and the "
            "priorities it addresses (ids of the city's priorities)."
        ),
        parameters=[PROJECT_ID],
        request=ProjectChangeSerializer,
        responses={200: ProjectDetailSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Budget below the financing",
                value={
                    "budget": [
                        "The financing already adds up to 1,500,000.00 EUR: the "
                        "budget cannot be lower. Remove or lower a source first."
                    ]
                },
                response_only=True,
                status_codes=["400"],
            )
        ],
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        project = _project(pk)
        _deny_unless(perms.can_manage_project(request.user, project), MANAGE_REFUSED)
        incoming = ProjectChangeSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        priorities = None
        if "priorities" in data:
            ids = list(dict.fromkeys(data.pop("priorities")))
            priorities = list(
                Priority.objects.filter(pk__in=ids, city_id=project.city_id)
            )
            if len(priorities) != len(ids):
                raise drf_exceptions.ValidationError(
                    {"priorities": [_("Choose priorities of the project's city.")]}
                )
        services.project_update(
            actor=_user(request), project=project, priorities=priorities, **data
        )
        return _detail(request, project.pk)

    @extend_schema(
        summary="Change a project's status (a coordinator of its city)",
        description=(
            "planned → procurement, in progress or cancelled; procurement → "
            "planned, in progress or cancelled; in progress → completed or "
            "cancelled. Starting records the start date, completing the "
            "completion date (`on`, today when left out). Followers are told."
        ),
        parameters=[PROJECT_ID],
        request=StatusChangeSerializer,
        responses={200: ProjectDetailSerializer, **_errors(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request: Request, pk: str) -> Response:
        project = _project(pk)
        _deny_unless(perms.can_manage_project(request.user, project), MANAGE_REFUSED)
        incoming = StatusChangeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.project_set_status(
            actor=_user(request),
            project=project,
            to_status=incoming.validated_data["status"],
            on=incoming.validated_data.get("on"),
        )
        return _detail(request, project.pk)


# --- Rows of a project --------------------------------------------------------------------


class ProjectScoped(ApiDefaults):
    # Views under ``projects/{id}/``: an unknown project is 404; reading is public,
    # writing needs a coordinator of the project's city (403).

    kwargs: dict[str, Any]
    request: Request
    pagination_class = None
    permission_classes = [ReadOrSignedIn]

    @cached_property
    def project(self) -> Project:
        return _project(self.kwargs["pk"])

    def require_manager(self) -> None:
        _deny_unless(
            perms.can_manage_project(self.request.user, self.project), MANAGE_REFUSED
        )

    def row(self, queryset: QuerySet[Any]) -> Any:
        return get_object_or_404(queryset, pk=self.kwargs["item"], project=self.project)


def _incoming(serializer_class: type[Any], request: Request, **kwargs: Any) -> dict:
    incoming = serializer_class(data=request.data, **kwargs)
    incoming.is_valid(raise_exception=True)
    return dict(incoming.validated_data)


class MilestoneListView(ProjectScoped, GenericAPIView):
    queryset = Milestone.objects.none()
    serializer_class = MilestoneSerializer

    @extend_schema(
        summary="The milestones of a project",
        parameters=[PROJECT_ID],
        responses={200: MilestoneSerializer(many=True), **_errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        rows = Milestone.objects.filter(project=self.project).order_by("due_on", "pk")
        return Response(MilestoneSerializer(rows, many=True).data)

    @extend_schema(
        summary="Add a milestone",
        description="`done_on` (optional): not before today, not in the future.",
        parameters=[PROJECT_ID],
        request=MilestoneWriteSerializer,
        responses={201: MilestoneSerializer, **_errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        self.require_manager()
        data = _incoming(MilestoneWriteSerializer, request)
        milestone = services.milestone_add(
            actor=_user(request), project=self.project, **data
        )
        return Response(
            MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED
        )


class MilestoneDetailView(ProjectScoped, GenericAPIView):
    queryset = Milestone.objects.none()
    serializer_class = MilestoneSerializer

    @extend_schema(
        summary="Change a milestone, or mark it done",
        description=(
            "A `done_on` on a milestone not done yet marks it done (followers are "
            "told); it may not be before the milestone was created, nor in the "
            "future. `done_on: null` marks it not done again."
        ),
        parameters=[PROJECT_ID, _item_id("Milestone id.")],
        request=MilestoneChangeSerializer,
        responses={200: MilestoneSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Done before it was created",
                value={
                    "done_on": [
                        "A milestone cannot be done before it was created (2026-03-02)."
                    ]
                },
                response_only=True,
                status_codes=["400"],
            )
        ],
    )
    def patch(self, request: Request, pk: int, item: int) -> Response:
        self.require_manager()
        milestone = self.row(Milestone.objects.select_related("project"))
        data = _incoming(MilestoneChangeSerializer, request, partial=True)
        done_on = data.pop("done_on", False)
        if done_on and milestone.done_on is None:
            if data:
                milestone = services.milestone_change(
                    actor=_user(request), milestone=milestone, **data
                )
            milestone = services.milestone_mark_done(
                actor=_user(request), milestone=milestone, done_on=done_on
            )
        else:
            milestone = services.milestone_change(
                actor=_user(request), milestone=milestone, done_on=done_on, **data
            )
        return Response(MilestoneSerializer(milestone).data)

    @extend_schema(
        summary="Remove a milestone",
        parameters=[PROJECT_ID, _item_id("Milestone id.")],
        request=None,
        responses={204: None, **_errors(401, 403, 404)},
    )
    def delete(self, request: Request, pk: int, item: int) -> Response:
        self.require_manager()
        milestone = self.row(Milestone.objects.select_related("project"))
        services.milestone_remove(actor=_user(request), milestone=milestone)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UpdateListView(ProjectScoped, GenericAPIView):
    queryset = ProjectUpdate.objects.none()
    serializer_class = ProjectUpdateSerializer

    @extend_schema(
        summary="The public updates of a project, newest first",
        parameters=[PROJECT_ID],
        responses={200: ProjectUpdateSerializer(many=True), **_errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        rows = self.project.updates.select_related("author").order_by(
            "-created_at", "-pk"
        )
        return Response(ProjectUpdateSerializer(rows, many=True).data)

    @extend_schema(
        summary="Publish an update",
        description="Markdown, sanitised. The project's followers are notified.",
        parameters=[PROJECT_ID],
        request=UpdateWriteSerializer,
        responses={201: ProjectUpdateSerializer, **_errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        self.require_manager()
        data = _incoming(UpdateWriteSerializer, request)
        update = services.project_update_publish(
            actor=_user(request), project=self.project, **data
        )
        return Response(
            ProjectUpdateSerializer(update).data, status=status.HTTP_201_CREATED
        )


class FinancingListView(ProjectScoped, GenericAPIView):
    queryset = FinancingSource.objects.none()
    serializer_class = FinancingSerializer

    @extend_schema(
        summary="The sources of money of a project",
        parameters=[PROJECT_ID],
        responses={200: FinancingSerializer(many=True), **_errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        rows = self.project.financing.select_related("organisation")
        return Response(FinancingSerializer(rows, many=True).data)

    @extend_schema(
        summary="Add a source of money",
        description=(
            "The sources together may not exceed the project's budget: the message "
            "gives the numbers."
        ),
        parameters=[PROJECT_ID],
        request=FinancingWriteSerializer,
        responses={201: FinancingSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Over the budget",
                value={
                    "amount": [
                        "The financing would add up to 2,600,000.00 EUR, more than "
                        "the project's budget of 2,400,000.00 EUR (200,000.00 EUR "
                        "too much). Lower the amount or raise the budget first."
                    ]
                },
                response_only=True,
                status_codes=["400"],
            )
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        self.require_manager()
        data = _incoming(FinancingWriteSerializer, request)
        source = services.financing_add(
            actor=_user(request), project=self.project, **data
        )
        return Response(
            FinancingSerializer(source).data, status=status.HTTP_201_CREATED
        )


class FinancingDetailView(ProjectScoped, GenericAPIView):
    queryset = FinancingSource.objects.none()
    serializer_class = FinancingSerializer

    @extend_schema(
        summary="Change a source of money",
        description="The sources together still may not exceed the budget.",
        parameters=[PROJECT_ID, _item_id("Financing source id.")],
        request=FinancingChangeSerializer,
        responses={200: FinancingSerializer, **_errors(400, 401, 403, 404)},
    )
    def patch(self, request: Request, pk: int, item: int) -> Response:
        self.require_manager()
        source = self.row(FinancingSource.objects.select_related("project"))
        data = _incoming(FinancingChangeSerializer, request, partial=True)
        source = services.financing_change(
            actor=_user(request),
            source=source,
            kind=data.get("kind"),
            amount=data.get("amount"),
            status=data.get("status"),
            organisation=data.get("organisation", False),
            note=data.get("note"),
        )
        return Response(FinancingSerializer(source).data)

    @extend_schema(
        summary="Remove a source of money",
        parameters=[PROJECT_ID, _item_id("Financing source id.")],
        request=None,
        responses={204: None, **_errors(401, 403, 404)},
    )
    def delete(self, request: Request, pk: int, item: int) -> Response:
        self.require_manager()
        source = self.row(FinancingSource.objects.select_related("project"))
        services.financing_remove(actor=_user(request), source=source)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PartnerListView(ProjectScoped, GenericAPIView):
    queryset = ProjectPartner.objects.none()
    serializer_class = ProjectPartnerSerializer

    @extend_schema(
        summary="The partners of a project, with their roles",
        parameters=[PROJECT_ID],
        responses={200: ProjectPartnerSerializer(many=True), **_errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        rows = self.project.partners.select_related("organisation").order_by(
            "role", "pk"
        )
        return Response(ProjectPartnerSerializer(rows, many=True).data)

    @extend_schema(
        summary="Add a partner",
        description="An organisation holds each role once in a project.",
        parameters=[PROJECT_ID],
        request=PartnerWriteSerializer,
        responses={201: ProjectPartnerSerializer, **_errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        self.require_manager()
        data = _incoming(PartnerWriteSerializer, request)
        partner = services.project_partner_add(
            actor=_user(request), project=self.project, **data
        )
        return Response(
            ProjectPartnerSerializer(partner).data, status=status.HTTP_201_CREATED
        )


class PartnerDetailView(ProjectScoped, GenericAPIView):
    queryset = ProjectPartner.objects.none()
    serializer_class = ProjectPartnerSerializer

    @extend_schema(
        summary="Remove a partner",
        parameters=[PROJECT_ID, _item_id("Project partner id.")],
        request=None,
        responses={204: None, **_errors(401, 403, 404)},
    )
    def delete(self, request: Request, pk: int, item: int) -> Response:
        self.require_manager()
        partner = self.row(ProjectPartner.objects.select_related("project"))
        services.project_partner_remove(actor=_user(request), partner=partner)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ImpactListView(ProjectScoped, GenericAPIView):
    queryset = ProjectImpact.objects.none()
    serializer_class = ProjectImpactSerializer

    @extend_schema(
        summary="The impacts of a project: expected and measured",
        parameters=[PROJECT_ID],
        responses={200: ProjectImpactSerializer(many=True), **_errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            ProjectImpactSerializer(self.project.impacts.all(), many=True).data
        )

    @extend_schema(
        summary="Add an expected impact",
        description="Once per indicator and unit; the unit must fit the indicator.",
        parameters=[PROJECT_ID],
        request=ImpactWriteSerializer,
        responses={201: ProjectImpactSerializer, **_errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        self.require_manager()
        data = _incoming(ImpactWriteSerializer, request)
        impact = services.impact_add(actor=_user(request), project=self.project, **data)
        return Response(
            ProjectImpactSerializer(impact).data, status=status.HTTP_201_CREATED
        )


class ImpactDetailView(ProjectScoped, GenericAPIView):
    queryset = ProjectImpact.objects.none()
    serializer_class = ProjectImpactSerializer

    @extend_schema(
        summary="Report what an impact measured",
        description=(
            "The value, the date of the measure (not in the future) and how it was "
            "measured, all three. Followers are told."
        ),
        parameters=[PROJECT_ID, _item_id("Project impact id.")],
        request=ImpactReportSerializer,
        responses={200: ProjectImpactSerializer, **_errors(400, 401, 403, 404)},
    )
    def patch(self, request: Request, pk: int, item: int) -> Response:
        self.require_manager()
        impact = self.row(ProjectImpact.objects.select_related("project"))
        data = _incoming(ImpactReportSerializer, request)
        impact = services.impact_report(actor=_user(request), impact=impact, **data)
        return Response(ProjectImpactSerializer(impact).data)
