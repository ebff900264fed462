"""REST API of the review of proposals (``/api/v1/``).

Views parse and shape data; writes are calls to ``projects.services.curation`` and
"may they?" is asked of ``projects.permissions_curation``. Answers, in order:

* 401 without credentials;
* 404 when the proposal does not exist or the reader may not see it (a draft of
  someone else), or the assignment is not one of this proposal's;
* 403 when the reader sees the proposal but may not take part in its review:
  everyone but the city's coordinators and (for reading and notes) its assigned
  reviewers — the proposal's authors included;
* 400 with field errors for bad input, nothing written.

Internal notes, recommendations and assignments are never in any public answer.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from stakeholders.api import ApiDefaults, StandardPagination, _errors, _user
from stakeholders.api_permissions import IsSignedIn
from stakeholders.models import City, User

from . import permissions_curation as cperms
from . import selectors_curation as selectors
from .api import ProposalScoped, _deny_unless, _detail_response
from .forms_curation import ReviewQueueFilter
from .models import InternalNote, Proposal, ReviewAssignment
from .serializers import ProposalDetailSerializer
from .serializers_curation import (
    AssignmentSerializer,
    AssignSerializer,
    NoteSerializer,
    NoteWriteSerializer,
    ProposalDecisionSerializer,
    RecommendationWriteSerializer,
    ReviewQueueItemSerializer,
    SuggestionSerializer,
)
from .services import curation as services

ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Proposal id.")
ASSIGNMENT_ID = OpenApiParameter(
    "assignment_id", int, OpenApiParameter.PATH, description="Assignment id."
)
READ_MESSAGE = gettext_lazy(
    "Only the city's coordinators and the proposal's assigned reviewers take part "
    "in its review."
)


def _may_read(request: Request, proposal: Proposal) -> None:
    _deny_unless(cperms.can_read_internal(request.user, proposal), str(READ_MESSAGE))


def _may_coordinate(request: Request, proposal: Proposal) -> None:
    _deny_unless(
        cperms.can_assign_reviewers(request.user, proposal),
        _("Only a coordinator of this city can assign reviewers."),
    )


class QueueFilterBackend(DjangoFilterBackend):
    """django-filter with the city the view resolved (the queue is per city)."""

    def get_filterset_kwargs(
        self, request: Request, queryset: QuerySet[Any], view: Any
    ) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        kwargs["city"] = view.city
        return kwargs


class ReviewQueueView(ApiDefaults, GenericAPIView):
    serializer_class = ReviewQueueItemSerializer
    permission_classes = [IsSignedIn]
    filter_backends = [QueueFilterBackend]
    filterset_class = ReviewQueueFilter
    queryset = Proposal.objects.none()
    city: City

    @extend_schema(
        summary="Review queue of a city (its coordinators)",
        description=(
            "Submitted, under-review and shortlisted proposals of the city, waiting "
            "longest first, with their best match score, supports, open flags, age "
            "and assigned reviewers (with a conflict-of-interest flag). Hidden "
            "proposals are included (`hidden`). Needs two-factor authentication."
        ),
        responses={
            200: ReviewQueueItemSerializer(many=True),
            **_errors(400, 401, 403, 404),
        },
    )
    def get(self, request: Request) -> Response:
        slug = request.query_params.get("city", "").strip()
        if not slug:
            raise drf_exceptions.ValidationError(
                {"city": [_("Say which city (its slug).")]}
            )
        self.city = get_object_or_404(City.objects.all(), slug=slug[:60])
        _deny_unless(
            cperms.can_see_review_queue(request.user, self.city),
            _("Only the coordinators of %(city)s see its review queue.")
            % {"city": self.city.name},
        )
        queryset = self.filter_queryset(Proposal.objects.none())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(
            ReviewQueueItemSerializer(page, many=True).data
        )


class AssignmentListView(ProposalScoped, GenericAPIView):
    serializer_class = AssignmentSerializer
    permission_classes = [IsSignedIn]
    queryset = ReviewAssignment.objects.none()

    @extend_schema(
        summary="Reviewers of a proposal (coordinators and assigned reviewers)",
        description=(
            "Each assignment with its conflicts of interest and the reviewer's "
            "recommendation and reason."
        ),
        parameters=[ID],
        responses={200: AssignmentSerializer(many=True), **_errors(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        _may_read(request, self.proposal)
        rows = selectors.assignments_of_proposal(self.proposal)
        return Response(AssignmentSerializer(rows, many=True).data)

    @extend_schema(
        summary="Assign a reviewer (the city's coordinators)",
        description=(
            "The reviewer must be a verified official (or coordinator) of the "
            "proposal's city. A member of the lead organisation is an author and "
            "is refused. A member of a partner organisation (any state but "
            "declined) has a conflict of interest: refused unless "
            "`override_reason` says why, which goes to the audit log; the "
            "conflicts are stored on the assignment. The reviewer is notified."
        ),
        parameters=[ID],
        request=AssignSerializer,
        responses={201: AssignmentSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample("Assign", value={"reviewer": 12}, request_only=True),
            OpenApiExample(
                "Conflict of interest",
                value={
                    "override_reason": [
                        "Ana Lopes belongs to Riverbend Energy & Water, in this "
                        "proposal's consortium: a conflict of interest. To assign "
                        "them anyway, say why."
                    ]
                },
                response_only=True,
                status_codes=["400"],
            ),
            OpenApiExample(
                "Not an official of the city",
                value={
                    "reviewer": [
                        "Sam Lee is not a verified official of Riverbend: only the "
                        "city's verified officials review its proposals."
                    ]
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        _may_coordinate(request, self.proposal)
        incoming = AssignSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        reviewer = User.objects.filter(pk=data["reviewer"]).first()
        if reviewer is None:
            raise drf_exceptions.ValidationError(
                {"reviewer": [_("Nobody has this id.")]}
            )
        assignment = services.review_assign(
            actor=_user(request),
            proposal=self.proposal,
            reviewer=reviewer,
            override_reason=data["override_reason"],
        )
        fresh = selectors.assignments_of_proposal(self.proposal).get(pk=assignment.pk)
        return Response(
            AssignmentSerializer(fresh).data, status=status.HTTP_201_CREATED
        )


class AssignmentDetailView(ProposalScoped, GenericAPIView):
    serializer_class = AssignmentSerializer
    permission_classes = [IsSignedIn]
    queryset = ReviewAssignment.objects.none()

    @extend_schema(
        summary="Unassign a reviewer (the city's coordinators)",
        description="The reviewer's recommendation goes with it; notes stay.",
        parameters=[ID, ASSIGNMENT_ID],
        request=None,
        responses={204: None, **_errors(400, 401, 403, 404)},
    )
    def delete(self, request: Request, pk: int, assignment_id: int) -> Response:
        _may_coordinate(request, self.proposal)
        assignment = get_object_or_404(
            ReviewAssignment.objects.all(), pk=assignment_id, proposal=self.proposal
        )
        assignment.proposal = self.proposal
        services.review_unassign(actor=_user(request), assignment=assignment)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SuggestionListView(ProposalScoped, GenericAPIView):
    serializer_class = SuggestionSerializer
    permission_classes = [IsSignedIn]
    queryset = ReviewAssignment.objects.none()

    @extend_schema(
        summary="Reviewers to suggest for a proposal (the city's coordinators)",
        description=(
            "The city's verified officials not yet assigned, best first: most past "
            "reviews (with a recommendation) sharing a sector with the proposal, "
            "then most sectors shared, then fewest open reviews. People with a "
            "conflict of interest come last, with the organisations concerned."
        ),
        parameters=[ID],
        responses={200: SuggestionSerializer(many=True), **_errors(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        _may_coordinate(request, self.proposal)
        rows = selectors.reviewer_suggestions(self.proposal)
        return Response(SuggestionSerializer(rows, many=True).data)


class RecommendationView(ProposalScoped, GenericAPIView):
    serializer_class = RecommendationWriteSerializer
    permission_classes = [IsSignedIn]
    queryset = ReviewAssignment.objects.none()

    @extend_schema(
        summary="Record or change my recommendation (the assigned reviewer)",
        description=(
            "While the proposal is submitted, under review or shortlisted. The "
            "reason is internal: coordinators and reviewers read it, nobody else; "
            "the coordinators are told that a recommendation was recorded."
        ),
        parameters=[ID],
        request=RecommendationWriteSerializer,
        responses={200: AssignmentSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Shortlist",
                value={
                    "recommendation": "shortlist",
                    "reason": "Strong fit with the emissions priority.",
                },
                request_only=True,
            )
        ],
    )
    def put(self, request: Request, pk: int) -> Response:
        _deny_unless(
            cperms.is_assigned_reviewer(request.user, self.proposal)
            and not cperms.is_proposal_author(request.user, self.proposal),
            _("Only a reviewer assigned to this proposal can recommend a decision."),
        )
        incoming = RecommendationWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        assignment = services.review_recommend(
            actor=_user(request),
            proposal=self.proposal,
            recommendation=incoming.validated_data["recommendation"],
            reason=incoming.validated_data["reason"],
        )
        fresh = selectors.assignments_of_proposal(self.proposal).get(pk=assignment.pk)
        return Response(AssignmentSerializer(fresh).data)


class NoteListView(ProposalScoped, GenericAPIView):
    serializer_class = NoteSerializer
    permission_classes = [IsSignedIn]
    queryset = InternalNote.objects.none()
    pagination_class = StandardPagination

    @extend_schema(
        summary="Internal notes of a proposal (coordinators and assigned reviewers)",
        description="Oldest first. Never shown to the authors or the public.",
        parameters=[ID],
        responses={200: NoteSerializer(many=True), **_errors(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        _may_read(request, self.proposal)
        page = self.paginate_queryset(selectors.notes_of_proposal(self.proposal))
        return self.get_paginated_response(NoteSerializer(page, many=True).data)

    @extend_schema(
        summary="Write an internal note (coordinators and assigned reviewers)",
        description="Nobody is notified; the note never leaves the review.",
        parameters=[ID],
        request=NoteWriteSerializer,
        responses={201: NoteSerializer, **_errors(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Note",
                value={"body": "Ask the utility for the grid connection study."},
                request_only=True,
            ),
            OpenApiExample(
                "Empty",
                value={"body": ["Write the note first."]},
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        _may_read(request, self.proposal)
        incoming = NoteWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        note = services.internal_note_create(
            actor=_user(request),
            proposal=self.proposal,
            body=incoming.validated_data["body"],
        )
        fresh = selectors.notes_of_proposal(self.proposal).get(pk=note.pk)
        return Response(NoteSerializer(fresh).data, status=status.HTTP_201_CREATED)


class DecisionView(ProposalScoped, GenericAPIView):
    serializer_class = ProposalDecisionSerializer
    permission_classes = [IsSignedIn]
    queryset = Proposal.objects.none()

    @extend_schema(
        summary="Decide on a proposal (the city's coordinators)",
        description=(
            "Back to review, shortlist, accept or reject, with a public answer "
            "(required to accept or reject). Goes through the proposal's life "
            "cycle: timeline, audit log, and the authors, followers and assigned "
            "reviewers are notified. A withdrawn or already decided proposal is "
            "refused (400)."
        ),
        parameters=[ID],
        request=ProposalDecisionSerializer,
        responses={
            200: OpenApiResponse(
                ProposalDetailSerializer, description=_("The proposal, decided.")
            ),
            **_errors(400, 401, 403, 404),
        },
        examples=[
            OpenApiExample(
                "Accept",
                value={
                    "decision": "accepted",
                    "public_answer": "Accepted: it answers two of our priorities.",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Withdrawn",
                value={
                    "decision": [
                        "The authors withdrew this proposal on 3 March 2026: it can "
                        "no longer be decided."
                    ]
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        _deny_unless(
            cperms.can_decide(request.user, self.proposal),
            _("Only a coordinator of this city can decide on a proposal."),
        )
        incoming = ProposalDecisionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.proposal_decide(
            actor=_user(request),
            proposal=self.proposal,
            decision=incoming.validated_data["decision"],
            public_answer=incoming.validated_data["public_answer"],
        )
        return _detail_response(request, self.proposal.pk)
