"""REST API of proposals (``/api/v1/proposals/``).

Views parse and shape data; every write is a call to ``projects.services.proposals``
and every "may they?" a predicate of ``projects.permissions``. Errors are answered by
the project's one exception handler (``stakeholders.api.exception_handler``): a
service's ``ValidationError`` becomes 400 with field errors, ``PermissionDenied`` 403
with the service's message, a missing or invisible row 404.

Who may act is asked before the input is validated, so a person who may not act
learns that (403) rather than what is wrong with their input; the services ask
again, so a view that forgot would still be refused.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions as drf_exceptions
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from stakeholders import permissions as sp
from stakeholders.api import ApiDefaults, _errors, _field_errors, _user
from stakeholders.api_permissions import IsSignedIn, ReadOrSignedIn

from . import caching, selectors
from . import permissions as perms
from .filters import ProposalFilter
from .models import (
    COORDINATOR_TRANSITIONS,
    Attachment,
    ExpectedImpact,
    Proposal,
    ProposalPartner,
)
from .serializers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    PartnerInviteSerializer,
    PartnerSerializer,
    ProposalDetailSerializer,
    ProposalListSerializer,
    ProposalUpdateSerializer,
    ProposalWriteSerializer,
    RevisionSerializer,
    SimilarProposalSerializer,
    SimilarQuerySerializer,
    TransitionSerializer,
    WithdrawSerializer,
)
from .services import proposals as services
from .similar import as_dict, similar_proposals, similar_to

ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Proposal id.")

# --- Examples ------------------------------------------------------------------------------

_ORG = {"id": 7, "name": "Solar Commons", "slug": "solar-commons", "verified": True}
_CREATE_EXAMPLE = {
    "city": "lyon",
    "lead_organisation": 7,
    "title": "Rooftop solar on social housing, sold back to the grid",
    "summary": (
        "A startup, the city's utility and a social landlord insulate 12 buildings "
        "and cover their roofs with solar panels; tenants share the revenue."
    ),
    "body": "## Plan\n\n1. Insulate the roofs.\n2. Install 1.4 MWp of panels.",
    "sectors": ["energy", "housing"],
    "delivery_model": "ppp",
    "capital_cost": "2400000.00",
    "operating_cost": "60000.00",
    "currency": "EUR",
    "city_contribution": "400000.00",
    "district": "la-duchere",
    "impacts": [
        {
            "indicator": "co2_avoided",
            "amount": "310.00",
            "unit": "t_co2_per_year",
            "year": 2028,
        },
        {"indicator": "homes", "amount": "420", "unit": "homes", "year": 2027},
    ],
}
_PROPOSAL_EXAMPLE = {
    "id": 42,
    "url": "/proposals/42/",
    "title": _CREATE_EXAMPLE["title"],
    "summary": _CREATE_EXAMPLE["summary"],
    "status": "submitted",
    "city": {"slug": "lyon", "name": "Lyon"},
    "district": {"id": 3, "name": "La Duchère", "slug": "la-duchere"},
    "sectors": [
        {"slug": "energy", "name": "Energy"},
        {"slug": "housing", "name": "Housing"},
    ],
    "lead_organisation": _ORG,
    "unverified_organisation": False,
    "partners": [
        {
            "id": 5,
            "organisation": {
                "id": 9,
                "name": "Lyon Energy Utility",
                "slug": "lyon-energy-utility",
                "verified": True,
            },
            "role": "operator",
            "contribution": "Connects the panels and buys the surplus.",
            "state": "accepted",
            "invited_at": "2025-03-02T09:10:00Z",
            "answered_at": "2025-03-03T14:00:00Z",
        }
    ],
    "author": "Ana Lopes",
    "delivery_model": "ppp",
    "capital_cost": "2400000.00",
    "operating_cost": "60000.00",
    "currency": "EUR",
    "city_contribution": "400000.00",
    "impacts": [
        {
            "indicator": "co2_avoided",
            "amount": "310.00",
            "unit": "t_co2_per_year",
            "year": 2028,
            "label": "CO2 avoided: 310.00 t CO2 per year",
        }
    ],
    "sector_count": 2,
    "partner_count": 1,
    "support_count": 38,
    "resident_support_count": 35,
    "organisation_support_count": 3,
    "comment_count": 12,
    "created_at": "2025-03-01T08:00:00Z",
    "submitted_at": "2025-03-04T10:00:00Z",
    "decided_at": None,
}
_FIELD_ERRORS_EXAMPLES = [
    OpenApiExample(
        "One sector",
        value={
            "sectors": [
                "Choose at least two sectors: Crosswalk is for solutions that "
                "combine sectors (energy + housing, mobility + health…)."
            ]
        },
        response_only=True,
        status_codes=["400"],
    ),
    OpenApiExample(
        "District of another city",
        value={"district": ["There is no district “vieux-port” in Lyon."]},
        response_only=True,
        status_codes=["400"],
    ),
]


# --- Helpers ---------------------------------------------------------------------------------


def _deny_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise drf_exceptions.PermissionDenied(detail=message)


def _reader_context(request: Request, proposal: Proposal) -> dict[str, Any]:
    """What the reader may see and do: every partner invitation for the authors
    (and staff), the actions they may take for the buttons of a client."""
    user = request.user
    author = perms.is_proposal_author(user, proposal)
    may_transition = perms.can_transition_proposal(user, proposal)
    return {
        "request": request,
        "all_partners": author or sp.staff_power(user),
        "permissions": {
            "edit": perms.can_edit_proposal(user, proposal),
            "submit": perms.can_submit_proposal(user, proposal),
            "withdraw": perms.can_withdraw_proposal(user, proposal),
            "transition": may_transition,
            "manage_partners": perms.can_manage_partners(user, proposal),
            "transitions": sorted(COORDINATOR_TRANSITIONS.get(proposal.status, ()))
            if may_transition
            else [],
        },
    }


def _visible(request: Request, pk: Any) -> Proposal:
    """The proposal, if the reader may see it (drafts: only their authors)."""
    return get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related(
            "city", "lead_organisation"
        ),
        pk=pk,
    )


def _detail_response(request: Request, pk: int, code: int = 200) -> Response:
    proposal = selectors.proposal_detail(user=request.user, pk=pk)
    serializer = ProposalDetailSerializer(
        proposal, context=_reader_context(request, proposal)
    )
    return Response(serializer.data, status=code)


def _impacts(data: dict[str, Any]) -> list[dict[str, Any]] | None:
    if "impacts" not in data:
        return None
    return [dict(item) for item in data["impacts"]]


# --- Proposals -----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Browse proposals",
        description=(
            "Public proposals (and the reader's own drafts), newest first. Several "
            "`sector` parameters: proposals in all of them; several `status`: any "
            "of them. `q` searches title, summary and description (PostgreSQL "
            "full-text search; word matching on SQLite). Money is given as decimal "
            "strings; `unverified_organisation` flags a lead organisation not yet "
            "verified."
        ),
        responses={200: ProposalListSerializer(many=True), **_errors(400)},
        examples=[
            OpenApiExample(
                "A page of proposals", value=[_PROPOSAL_EXAMPLE], response_only=True
            )
        ],
    ),
    retrieve=extend_schema(
        summary="One proposal",
        description=(
            "Drafts are seen only by their authors (404 for everyone else). "
            "Partners: everyone sees those that accepted; the authors see every "
            "invitation with its state. `permissions` says what the reader may do."
        ),
        responses={200: ProposalDetailSerializer, **_errors(404)},
    ),
)
class ProposalViewSet(ApiDefaults, viewsets.GenericViewSet):
    serializer_class = ProposalListSerializer
    permission_classes = [ReadOrSignedIn]
    filterset_class = ProposalFilter
    queryset = Proposal.objects.none()
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Proposal]:
        filters = selectors.ProposalFilters()
        return selectors.proposal_list(user=self.request.user, filters=filters)

    def get_serializer_class(self) -> type[Any]:
        if self.action == "retrieve":
            return ProposalDetailSerializer
        return ProposalListSerializer

    def list(self, request: Request) -> Response:
        # Anonymous readers share one rendered JSON page per URL, language and
        # media type, retired by any change to a proposal (``projects.caching``).
        renderer = request.accepted_renderer
        entry = (
            caching.list_entry(request, "api", request.accepted_media_type)
            if renderer.format == "json"
            else None
        )
        if (body := caching.cached(entry)) is not None:
            return HttpResponse(body, content_type=renderer.media_type)
        queryset = self.filter_queryset(self.get_queryset()).prefetch_related(
            Prefetch("impacts", queryset=ExpectedImpact.objects.order_by("pk"))
        )
        page = self.paginate_queryset(queryset)
        serializer = ProposalListSerializer(page, many=True)
        response = self.get_paginated_response(serializer.data)
        if entry is not None:
            caching.store(
                entry,
                renderer.render(
                    response.data,
                    request.accepted_media_type,
                    self.get_renderer_context(),
                ),
            )
        return response

    def retrieve(self, request: Request, pk: str) -> Response:
        return _detail_response(request, int(pk))

    @extend_schema(
        summary="Write a draft proposal",
        description=(
            "The author must belong to the lead organisation. Two or more sectors "
            "(slugs); the city and district by slug, the district within the city; "
            "impacts as rows of indicator, amount, unit and year. The draft is "
            "seen only by its authors until submitted."
        ),
        request=ProposalWriteSerializer,
        responses={201: ProposalDetailSerializer, **_errors(400, 401)},
        examples=[
            OpenApiExample("Solar + housing", value=_CREATE_EXAMPLE, request_only=True),
            *_FIELD_ERRORS_EXAMPLES,
        ],
    )
    def create(self, request: Request) -> Response:
        incoming = ProposalWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        proposal = services.proposal_create(
            actor=_user(request),
            city=data["city"],
            lead_organisation=data["lead_organisation"],
            title=data["title"],
            summary=data["summary"],
            body=data.get("body", ""),
            sectors=services.sectors_from_slugs(data["sectors"]),
            delivery_model=data["delivery_model"],
            capital_cost=data.get("capital_cost"),
            operating_cost=data.get("operating_cost"),
            currency=data.get("currency") or "EUR",
            city_contribution=data.get("city_contribution"),
            district=data.get("district"),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            impacts=_impacts(data) or [],
        )
        return _detail_response(request, proposal.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a proposal (its authors)",
        description=(
            "Drafts change freely. After submission (and before a decision) every "
            "change is kept as a revision whose differences anyone can read; "
            "`note` says what changed. `impacts`, when given, replace the list. "
            "The city and the lead organisation cannot change."
        ),
        parameters=[ID],
        request=ProposalUpdateSerializer,
        responses={200: ProposalDetailSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Lower the amount asked of the city",
                value={
                    "city_contribution": "250000.00",
                    "note": "The utility now finances the inverters.",
                },
                request_only=True,
            ),
            *_FIELD_ERRORS_EXAMPLES,
        ],
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        proposal = _visible(request, pk)
        _deny_unless(
            perms.is_proposal_author(request.user, proposal),
            _("Only the proposal's authors can edit it."),
        )
        incoming = ProposalUpdateSerializer(
            data=request.data, partial=True, context={"proposal": proposal}
        )
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        data.pop("city", None)
        note = data.pop("note", "")
        sectors = data.pop("sectors", None)
        impacts = _impacts(data)
        data.pop("impacts", None)
        services.proposal_update(
            actor=_user(request),
            proposal=proposal,
            sectors=services.sectors_from_slugs(sectors)
            if sectors is not None
            else None,
            impacts=impacts,
            note=note,
            **data,
        )
        return _detail_response(request, proposal.pk)

    @extend_schema(
        summary="Submit a draft (its authors)",
        description=(
            "The proposal becomes public; the first revision is recorded and the "
            "proposal is scored against the city's priorities in the background."
        ),
        parameters=[ID],
        request=None,
        responses={200: ProposalDetailSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Already submitted",
                value={
                    "non_field_errors": [
                        "Only a draft can be submitted; this one is already Submitted."
                    ]
                },
                response_only=True,
                status_codes=["400"],
            )
        ],
    )
    @action(detail=True, methods=["post"], permission_classes=[IsSignedIn])
    def submit(self, request: Request, pk: str) -> Response:
        proposal = _visible(request, pk)
        _deny_unless(
            perms.is_proposal_author(request.user, proposal),
            _("Only the proposal's authors can submit it."),
        )
        services.proposal_submit(actor=_user(request), proposal=proposal)
        return _detail_response(request, proposal.pk)

    @extend_schema(
        summary="Withdraw a proposal (its authors)",
        description="Possible until a decision; the reason is shown in public.",
        parameters=[ID],
        request=WithdrawSerializer,
        responses={200: ProposalDetailSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Joining forces",
                value={"reason": "We joined the district heat network proposal."},
                request_only=True,
            )
        ],
    )
    @action(detail=True, methods=["post"], permission_classes=[IsSignedIn])
    def withdraw(self, request: Request, pk: str) -> Response:
        proposal = _visible(request, pk)
        _deny_unless(
            perms.is_proposal_author(request.user, proposal),
            _("Only the proposal's authors can withdraw it."),
        )
        incoming = WithdrawSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.proposal_withdraw(
            actor=_user(request),
            proposal=proposal,
            reason=incoming.validated_data["reason"],
        )
        return _detail_response(request, proposal.pk)

    @extend_schema(
        summary="Move a proposal along its life cycle (coordinators of its city)",
        description=(
            "submitted → under_review → shortlisted → accepted | rejected (a "
            "shortlisted proposal may go back under review). Accepting or "
            "rejecting needs a public answer. Needs two-factor authentication; "
            "recorded in the timeline and the audit log, and the proposal's "
            "audience is notified."
        ),
        parameters=[ID],
        request=TransitionSerializer,
        responses={200: ProposalDetailSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Shortlist",
                value={
                    "to_status": "shortlisted",
                    "public_answer": "Strong fit with the energy-poverty priority.",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Not allowed from the current status",
                value={
                    "to_status": ["A proposal that is Draft cannot become Accepted."]
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    @action(detail=True, methods=["post"], permission_classes=[IsSignedIn])
    def transition(self, request: Request, pk: str) -> Response:
        proposal = _visible(request, pk)
        _deny_unless(
            sp.is_coordinator(request.user, proposal.city_id),
            _("Only a coordinator of this city can change a proposal's status."),
        )
        incoming = TransitionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.proposal_transition(
            actor=_user(request),
            proposal=proposal,
            to_status=incoming.validated_data["to_status"],
            public_answer=incoming.validated_data["public_answer"],
        )
        return _detail_response(request, proposal.pk)

    @extend_schema(
        summary="Revisions of a proposal, with what changed",
        description=(
            "One revision at submission and one per edit after it; each lists the "
            "fields changed since the previous one as unified diff lines."
        ),
        parameters=[ID],
        responses={200: RevisionSerializer(many=True), **_errors(404)},
        examples=[
            OpenApiExample(
                "Budget lowered",
                value=[
                    {
                        "number": 2,
                        "author": "Ana Lopes",
                        "created_at": "2025-03-10T09:00:00Z",
                        "note": "The utility now finances the inverters.",
                        "snapshot": {"city_contribution": "250000.00"},
                        "first": False,
                        "changes": [
                            {
                                "field": "city_contribution",
                                "lines": ["@@ -1 +1 @@", "-400000.00", "+250000.00"],
                            }
                        ],
                    }
                ],
                response_only=True,
            )
        ],
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def revisions(self, request: Request, pk: str) -> Response:
        proposal = _visible(request, pk)
        diffs = selectors.revision_diffs(proposal)
        return Response(RevisionSerializer(diffs, many=True).data)

    @extend_schema(
        summary="Proposals that look like this one",
        operation_id="proposals_similar_to",
        description=(
            "Public proposals of the same city with similar words, to join forces "
            "instead of duplicating."
        ),
        parameters=[ID],
        responses={200: SimilarProposalSerializer(many=True), **_errors(404)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def similar(self, request: Request, pk: str) -> Response:
        proposal = _visible(request, pk)
        items = [as_dict(item) for item in similar_to(proposal)]
        return Response(SimilarProposalSerializer(items, many=True).data)

    @extend_schema(
        summary="Proposals that look like a text being written",
        operation_id="proposals_similar_text",
        description=(
            "For a proposal not yet saved: public proposals of the city whose words "
            "are close to the title and summary given."
        ),
        parameters=[SimilarQuerySerializer],
        responses={200: SimilarProposalSerializer(many=True), **_errors(400)},
        examples=[
            OpenApiExample(
                "One close proposal",
                value=[
                    {
                        "id": 42,
                        "title": _CREATE_EXAMPLE["title"],
                        "summary": _CREATE_EXAMPLE["summary"],
                        "status": "submitted",
                        "lead_organisation": "Solar Commons",
                        "similarity": 0.41,
                        "shared_terms": ["solar", "housing", "roofs"],
                        "url": "/proposals/42/",
                    }
                ],
                response_only=True,
            )
        ],
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="similar",
        url_name="similar-text",
        pagination_class=None,
        filter_backends=[],
    )
    def similar_text(self, request: Request) -> Response:
        incoming = SimilarQuerySerializer(data=request.query_params)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        items = similar_proposals(
            city_id=data["city"].pk,
            title=data["title"],
            summary=data.get("summary", ""),
            body=data.get("body", ""),
            exclude=data.get("exclude"),
        )
        return Response(
            SimilarProposalSerializer([as_dict(i) for i in items], many=True).data
        )


# --- Consortium ---------------------------------------------------------------------------------


class ProposalScoped(ApiDefaults):
    # Views under ``proposals/{id}/``: the proposal must be visible to the reader,
    # or the answer is 404. (A comment, not a docstring: the schema would show it.)

    kwargs: dict[str, Any]
    request: Request
    pagination_class = None

    @cached_property
    def proposal(self) -> Proposal:
        return _visible(self.request, self.kwargs["pk"])


class PartnerListView(ProposalScoped, GenericAPIView):
    serializer_class = PartnerSerializer
    permission_classes = [ReadOrSignedIn]
    queryset = ProposalPartner.objects.none()

    @extend_schema(
        summary="Consortium of a proposal",
        description=(
            "Everyone sees the partners that accepted; the proposal's authors see "
            "every invitation with its state."
        ),
        parameters=[ID],
        responses={200: PartnerSerializer(many=True), **_errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        partners = self.proposal.partners.select_related("organisation").order_by(
            "invited_at", "pk"
        )
        if not (
            perms.is_proposal_author(request.user, self.proposal)
            or sp.staff_power(request.user)
        ):
            partners = partners.filter(state="accepted")
        return Response(PartnerSerializer(partners, many=True).data)

    @extend_schema(
        summary="Invite a partner organisation (the proposal's authors)",
        description=(
            "The organisation's admins are notified; it appears publicly only once "
            "one of them accepts."
        ),
        parameters=[ID],
        request=PartnerInviteSerializer,
        responses={201: PartnerSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Utility as operator",
                value={
                    "organisation": 9,
                    "role": "operator",
                    "contribution": "Connects the panels and buys the surplus.",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Already listed",
                value={
                    "organisation": [
                        "This organisation is already listed as a partner."
                    ]
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        _deny_unless(
            perms.is_proposal_author(request.user, self.proposal),
            _("Only the proposal's authors can invite partners."),
        )
        incoming = PartnerInviteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        partner = services.partner_invite(
            actor=_user(request),
            proposal=self.proposal,
            organisation=data["organisation"],
            role=data["role"],
            contribution=data["contribution"],
        )
        partner = ProposalPartner.objects.select_related("organisation").get(
            pk=partner.pk
        )
        return Response(PartnerSerializer(partner).data, status=status.HTTP_201_CREATED)


def _partner(request: Request, pk: int, partner_id: int) -> ProposalPartner:
    """The partner row. The invited organisation's members reach it even on a
    draft they cannot otherwise see: they must be able to answer."""
    partner = get_object_or_404(
        ProposalPartner.objects.select_related(
            "organisation", "proposal__city", "proposal__lead_organisation"
        ),
        pk=partner_id,
        proposal_id=pk,
    )
    if not (
        perms.can_view_proposal(request.user, partner.proposal)
        or sp.is_member(request.user, partner.organisation_id)
    ):
        raise Http404
    return partner


class PartnerDetailView(ApiDefaults, GenericAPIView):
    serializer_class = PartnerSerializer
    permission_classes = [IsSignedIn]

    @extend_schema(
        summary="Remove a partner or withdraw an invitation (the proposal's authors)",
        parameters=[ID],
        request=None,
        responses={204: None, **_errors(401, 403, 404)},
    )
    def delete(self, request: Request, pk: int, partner_id: int) -> Response:
        partner = _partner(request, pk, partner_id)
        services.partner_remove(actor=_user(request), partner=partner)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PartnerAnswerView(ApiDefaults, GenericAPIView):
    serializer_class = PartnerSerializer
    permission_classes = [IsSignedIn]
    accept: bool = True

    @extend_schema(
        parameters=[ID],
        request=None,
        responses={200: PartnerSerializer, **_errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, pk: int, partner_id: int) -> Response:
        partner = _partner(request, pk, partner_id)
        answered = services.partner_answer(
            actor=_user(request), partner=partner, accept=self.accept
        )
        answered.organisation = partner.organisation
        return Response(PartnerSerializer(answered).data)


@extend_schema_view(
    post=extend_schema(
        summary="Accept an invitation to join a proposal (admins of the invited "
        "organisation)",
        description="The partner becomes public; the proposal's audience is told.",
    )
)
class PartnerAcceptView(PartnerAnswerView):
    accept = True


@extend_schema_view(
    post=extend_schema(
        summary="Decline an invitation to join a proposal (admins of the invited "
        "organisation)",
    )
)
class PartnerDeclineView(PartnerAnswerView):
    accept = False


# --- Attachments -----------------------------------------------------------------------------------


class AttachmentListView(ProposalScoped, GenericAPIView):
    serializer_class = AttachmentSerializer
    permission_classes = [ReadOrSignedIn]
    parser_classes = [MultiPartParser, FormParser]
    queryset = Attachment.objects.none()

    @extend_schema(
        summary="Attachments of a proposal",
        description="Name, checked content type, size and download page of each.",
        parameters=[ID],
        responses={200: AttachmentSerializer(many=True), **_errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        attachments = self.proposal.attachments.order_by("created_at", "pk")
        return Response(AttachmentSerializer(attachments, many=True).data)

    @extend_schema(
        summary="Upload an attachment (the proposal's authors)",
        description=(
            "Multipart upload of a PDF, PNG or JPEG of at most 10 MB, ten per "
            "proposal. The type is read from the file's content, not its name: an "
            "executable or an archive is refused whatever it is called, and so is "
            "an image whose declared size is absurd."
        ),
        parameters=[ID],
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Uploaded",
                value={
                    "id": 3,
                    "name": "Roof survey.pdf",
                    "content_type": "application/pdf",
                    "size": 482113,
                    "url": "/attachments/3/",
                    "created_at": "2025-03-02T09:10:00Z",
                },
                response_only=True,
                status_codes=["201"],
            ),
            OpenApiExample(
                "Not a PDF",
                value={
                    "file": [
                        "Only PDF, PNG and JPEG files are accepted (checked from the "
                        "file's content, not its name)."
                    ]
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        _deny_unless(
            perms.is_proposal_author(request.user, self.proposal),
            _("Only the proposal's authors can add attachments."),
        )
        incoming = AttachmentUploadSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        upload = incoming.validated_data["file"]
        try:
            attachment = services.attachment_add(
                actor=_user(request),
                proposal=self.proposal,
                upload=upload,
                name=incoming.validated_data.get("name") or upload.name or "",
                size=upload.size,
            )
        except DjangoValidationError as exc:
            raise _field_errors(exc, "file") from exc
        return Response(
            AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED
        )


class AttachmentDetailView(ProposalScoped, GenericAPIView):
    serializer_class = AttachmentSerializer
    permission_classes = [IsSignedIn]

    @extend_schema(
        summary="Remove an attachment (the proposal's authors)",
        parameters=[ID],
        request=None,
        responses={204: None, **_errors(401, 403, 404)},
    )
    def delete(self, request: Request, pk: int, attachment_id: int) -> Response:
        attachment = get_object_or_404(
            Attachment, pk=attachment_id, proposal=self.proposal
        )
        attachment.proposal = self.proposal
        services.attachment_remove(actor=_user(request), attachment=attachment)
        return Response(status=status.HTTP_204_NO_CONTENT)
