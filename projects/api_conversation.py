"""REST API of the conversation (``/api/v1/``): comments, votes, supports, follows,
flags and moderation.

Views parse and shape data; every write is a call to
``projects.services.conversation`` (which checks who may act, validates, applies the
rate limits and queues the notifications), every read a selector of
``projects.selectors_conversation``. Errors come from the project's one exception
handler: a service's ``ValidationError`` is 400 with field errors (429 with
``Retry-After`` when it is a rate limit), ``PermissionDenied`` 403, an unknown or
invisible object 404.
"""

from __future__ import annotations

from typing import Any

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
from rest_framework.request import Request
from rest_framework.response import Response

from stakeholders.api import ApiDefaults, _errors, _user
from stakeholders.api_permissions import IsSignedIn, ReadOrSignedIn
from stakeholders.models import City

from . import selectors_conversation as selectors
from .models import Comment, Project, Proposal, Support
from .serializers_conversation import (
    CommentCreateSerializer,
    CommentEditSerializer,
    CommentSerializer,
    CommentSortSerializer,
    CommentTreeSerializer,
    DecisionResultSerializer,
    DecisionSerializer,
    FlagCreateSerializer,
    FlagSerializer,
    FollowStateSerializer,
    ModerationQueueSerializer,
    ProjectFollowStateSerializer,
    SupportCountsSerializer,
    VoteResultSerializer,
    VoteSerializer,
)
from .services import conversation as services

PROPOSAL_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="Proposal id."
)
PROJECT_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="Project id."
)
COMMENT_ID = OpenApiParameter(
    "id", int, OpenApiParameter.PATH, description="Comment id."
)


def _rate_limited() -> dict[int, OpenApiResponse]:
    return {
        429: OpenApiResponse(
            description=_(
                "Too many in a short time; the message says when to retry and the "
                "Retry-After header gives the seconds."
            ),
            examples=[
                OpenApiExample(
                    "Sixth comment in a minute",
                    value={
                        "detail": "You can post at most 5 comments a minute and "
                        "100 a day. Try again in 42 seconds."
                    },
                    response_only=True,
                )
            ],
        )
    }


def _proposal(request: Request, pk: Any) -> Proposal:
    """The proposal, if the reader may see it (404 otherwise)."""
    return get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related("city"), pk=pk
    )


def _project(pk: Any) -> Project:
    """Projects are public: unknown is 404."""
    return get_object_or_404(Project.objects.select_related("city"), pk=pk)


def _comment(request: Request, pk: Any) -> Comment:
    try:
        return selectors.comment_for(user=request.user, pk=int(pk))
    except Comment.DoesNotExist as exc:
        raise drf_exceptions.NotFound() from exc


def _referenced(
    request: Request, *, comment_id: int | None, proposal_id: int | None
) -> tuple[Comment | None, Proposal | None]:
    """The comment or proposal named in a request body, if the reader may see it;
    otherwise a field error (it does not exist for them)."""
    if comment_id is not None:
        try:
            return selectors.comment_for(user=request.user, pk=comment_id), None
        except Comment.DoesNotExist as exc:
            raise drf_exceptions.ValidationError(
                {"comment": [_("There is no such comment.")]}
            ) from exc
    proposal = (
        Proposal.objects.visible_to(request.user)
        .select_related("city")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise drf_exceptions.ValidationError(
            {"proposal": [_("There is no such proposal.")]}
        )
    return None, proposal


# --- Comments ---------------------------------------------------------------------------


class CommentListView(ApiDefaults, GenericAPIView):
    """The comments of a proposal as a tree; post a comment or a reply."""

    permission_classes = [ReadOrSignedIn]
    serializer_class = CommentTreeSerializer
    queryset = Comment.objects.none()

    @extend_schema(
        summary="Read the comments of a proposal (a tree)",
        description=(
            "Top-level comments, paginated, each with its replies nested (three "
            "levels at most). `sort`: oldest (default), newest, or best (score, "
            "then oldest); replies always read oldest first. A deleted comment, or "
            "a hidden one you may not see, is kept as a `placeholder` (no author, "
            "no text) only when replies hang from it. Hidden comments are shown to "
            "their author and to the city's moderators."
        ),
        parameters=[PROPOSAL_ID, CommentSortSerializer],
        responses={200: CommentTreeSerializer(many=True), **_errors(400, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        query = CommentSortSerializer(data=request.query_params)
        target = self.target(request, pk)
        query.is_valid(raise_exception=True)
        thread = selectors.comment_thread(
            user=request.user, sort=query.validated_data["sort"], **target
        )
        page = self.paginate_queryset(thread.nodes)
        return self.get_paginated_response(CommentTreeSerializer(page, many=True).data)

    @extend_schema(
        summary="Post a comment or a reply",
        description=(
            "Markdown, rendered to sanitised HTML. At most 5 comments a minute and "
            "100 a day per person. Posting makes you follow the proposal. A member "
            "of the lead organisation or a coordinator of the city posts an "
            "official answer."
        ),
        parameters=[PROPOSAL_ID],
        request=CommentCreateSerializer,
        responses={
            201: CommentSerializer,
            **_errors(400, 401, 403, 404),
            **_rate_limited(),
        },
        examples=[
            OpenApiExample(
                "A reply",
                value={"body": "Who **operates** the panels?", "parent": 12},
                request_only=True,
            ),
            OpenApiExample(
                "Empty",
                value={"body": ["Write something before posting."]},
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def post(self, request: Request, pk: int) -> Response:
        target = self.target(request, pk)
        incoming = CommentCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        parent = None
        if data.get("parent") is not None:
            parent = Comment.objects.filter(pk=data["parent"]).first()
            if parent is None:
                raise drf_exceptions.ValidationError(
                    {"parent": [_("There is no such comment.")]}
                )
        comment = services.comment_create(
            actor=_user(request), body=data["body"], parent=parent, **target
        )
        node = selectors.comment_node(user=request.user, comment=comment)
        return Response(CommentSerializer(node).data, status=status.HTTP_201_CREATED)

    def target(self, request: Request, pk: Any) -> dict[str, Any]:
        """The proposal the comments are on (404 if the reader cannot see it)."""
        return {"proposal": _proposal(request, pk)}


class ProjectCommentListView(CommentListView):
    """The comments of a project as a tree; post a comment or a reply."""

    def target(self, request: Request, pk: Any) -> dict[str, Any]:
        return {"project": _project(pk)}

    @extend_schema(
        summary="Read the comments of a project (a tree)",
        description=(
            "As for a proposal's: top-level comments, paginated, replies nested "
            "(three levels at most); `sort`: oldest (default), newest or best."
        ),
        parameters=[PROJECT_ID, CommentSortSerializer],
        responses={200: CommentTreeSerializer(many=True), **_errors(400, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return super().get(request, pk)

    @extend_schema(
        summary="Comment on a project",
        description=(
            "Markdown, rendered to sanitised HTML. At most 5 comments a minute and "
            "100 a day per person. Posting makes you follow the project. A "
            "coordinator of the city posts an official answer."
        ),
        parameters=[PROJECT_ID],
        request=CommentCreateSerializer,
        responses={
            201: CommentSerializer,
            **_errors(400, 401, 404),
            **_rate_limited(),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class CommentDetailView(ApiDefaults, GenericAPIView):
    permission_classes = [ReadOrSignedIn]
    serializer_class = CommentSerializer

    @extend_schema(
        summary="One comment",
        parameters=[COMMENT_ID],
        responses={200: CommentSerializer, **_errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        comment = _comment(request, pk)
        return Response(
            CommentSerializer(
                selectors.comment_node(user=request.user, comment=comment)
            ).data
        )

    @extend_schema(
        summary="Edit my comment (within 15 minutes)",
        description="Marked as edited. Refused after 15 minutes.",
        parameters=[COMMENT_ID],
        request=CommentEditSerializer,
        responses={200: CommentSerializer, **_errors(400, 401, 403, 404)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        comment = _comment(request, pk)
        incoming = CommentEditSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.comment_edit(
            actor=_user(request), comment=comment, body=incoming.validated_data["body"]
        )
        return Response(
            CommentSerializer(
                selectors.comment_node(user=request.user, comment=comment)
            ).data
        )

    @extend_schema(
        summary="Delete my comment",
        description=(
            "With replies it stays as “comment deleted” (no author, no text) so "
            "the thread still reads; without, it goes."
        ),
        parameters=[COMMENT_ID],
        request=None,
        responses={204: None, **_errors(401, 403, 404)},
    )
    def delete(self, request: Request, pk: int) -> Response:
        comment = _comment(request, pk)
        services.comment_delete(actor=_user(request), comment=comment)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentVoteView(ApiDefaults, GenericAPIView):
    permission_classes = [IsSignedIn]
    serializer_class = VoteSerializer

    @extend_schema(
        summary="Vote on a comment",
        description="1 up, -1 down, 0 to take the vote back; not on your own comment.",
        parameters=[COMMENT_ID],
        request=VoteSerializer,
        responses={200: VoteResultSerializer, **_errors(400, 401, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        comment = _comment(request, pk)
        incoming = VoteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        value = int(incoming.validated_data["value"])
        comment = services.comment_vote(
            actor=_user(request), comment=comment, value=value
        )
        return Response(
            {
                "id": comment.pk,
                "upvotes": comment.upvotes,
                "downvotes": comment.downvotes,
                "score": comment.score,
                "my_vote": value,
            }
        )


# --- Supports and follows -------------------------------------------------------------------


def _support_counts(request: Request, proposal: Proposal) -> dict[str, Any]:
    proposal.refresh_from_db(
        fields=["resident_support_count", "organisation_support_count"]
    )
    return {
        "proposal": proposal.pk,
        "supported": Support.objects.filter(
            proposal=proposal, user_id=request.user.pk
        ).exists(),
        "resident_support_count": proposal.resident_support_count,
        "organisation_support_count": proposal.organisation_support_count,
        "support_count": proposal.support_count,
    }


class SupportView(ApiDefaults, GenericAPIView):
    permission_classes = [IsSignedIn]
    serializer_class = SupportCountsSerializer

    @extend_schema(
        summary="Support a proposal",
        description=(
            "Once per person. People who act for an organisation count as "
            "organisation support, everyone else as resident support. Supporting "
            "makes you follow the proposal."
        ),
        parameters=[PROPOSAL_ID],
        request=None,
        responses={201: SupportCountsSerializer, **_errors(400, 401, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        proposal = _proposal(request, pk)
        services.support_add(actor=_user(request), proposal=proposal)
        return Response(
            _support_counts(request, proposal), status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Take my support back",
        parameters=[PROPOSAL_ID],
        request=None,
        responses={200: SupportCountsSerializer, **_errors(400, 401, 404)},
    )
    def delete(self, request: Request, pk: int) -> Response:
        proposal = _proposal(request, pk)
        services.support_remove(actor=_user(request), proposal=proposal)
        return Response(_support_counts(request, proposal))


class FollowView(ApiDefaults, GenericAPIView):
    permission_classes = [IsSignedIn]
    serializer_class = FollowStateSerializer

    @extend_schema(
        summary="Follow a proposal",
        description="Its news reach you as notifications (and e-mail, as you chose).",
        parameters=[PROPOSAL_ID],
        request=None,
        responses={200: FollowStateSerializer, **_errors(401, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        proposal = _proposal(request, pk)
        services.follow_add(user=_user(request), proposal=proposal)
        return Response({"proposal": proposal.pk, "following": True})

    @extend_schema(
        summary="Stop following a proposal",
        parameters=[PROPOSAL_ID],
        request=None,
        responses={200: FollowStateSerializer, **_errors(401, 404)},
    )
    def delete(self, request: Request, pk: int) -> Response:
        proposal = _proposal(request, pk)
        services.follow_remove(user=_user(request), proposal=proposal)
        return Response({"proposal": proposal.pk, "following": False})


class ProjectFollowView(ApiDefaults, GenericAPIView):
    permission_classes = [IsSignedIn]
    serializer_class = ProjectFollowStateSerializer

    @extend_schema(
        summary="Follow a project",
        description=(
            "Its updates, milestones, measured impacts and status changes reach "
            "you as notifications (and e-mail, as you chose)."
        ),
        parameters=[PROJECT_ID],
        request=None,
        responses={200: ProjectFollowStateSerializer, **_errors(401, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        project = _project(pk)
        services.follow_add(user=_user(request), project=project)
        return Response({"project": project.pk, "following": True})

    @extend_schema(
        summary="Stop following a project",
        parameters=[PROJECT_ID],
        request=None,
        responses={200: ProjectFollowStateSerializer, **_errors(401, 404)},
    )
    def delete(self, request: Request, pk: int) -> Response:
        project = _project(pk)
        services.follow_remove(user=_user(request), project=project)
        return Response({"project": project.pk, "following": False})


# --- Flags and moderation -------------------------------------------------------------------


class FlagCreateView(ApiDefaults, GenericAPIView):
    permission_classes = [IsSignedIn]
    serializer_class = FlagCreateSerializer

    @extend_schema(
        summary="Flag a comment or a proposal",
        description=(
            "Give `comment` or `proposal` (an id), a `reason` and, for “other”, "
            "a `text`. Not your own content; once per item while your flag is "
            "open; at most 30 flags a day. Three open flags hide the content "
            "until a moderator decides."
        ),
        request=FlagCreateSerializer,
        responses={201: FlagSerializer, **_errors(400, 401), **_rate_limited()},
        examples=[
            OpenApiExample(
                "Spam",
                value={"comment": 12, "reason": "spam", "text": ""},
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        incoming = FlagCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        comment, proposal = _referenced(
            request, comment_id=data.get("comment"), proposal_id=data.get("proposal")
        )
        flag = services.flag_create(
            actor=_user(request),
            reason=data["reason"],
            text=data.get("text", ""),
            comment=comment,
            proposal=proposal,
        )
        return Response(FlagSerializer(flag).data, status=status.HTTP_201_CREATED)


def _moderated_city(request: Request) -> City:
    """The city of ``?city=slug``, or the only city the reader moderates."""
    slug = request.query_params.get("city")
    if slug:
        city = City.objects.filter(slug=slug).first()
        if city is None:
            raise drf_exceptions.ValidationError(
                {"city": [_("There is no city “%(slug)s”.") % {"slug": slug[:60]}]}
            )
    else:
        cities = list(selectors.moderation_cities(user=request.user)[:2])
        if len(cities) != 1:
            if not cities:
                raise drf_exceptions.PermissionDenied(
                    _("Only a city's moderators can read its moderation queue.")
                )
            raise drf_exceptions.ValidationError(
                {"city": [_("Choose a city: you moderate more than one.")]}
            )
        city = cities[0]
    if not services.can_moderate(request.user, city.pk):
        raise drf_exceptions.PermissionDenied(
            _(
                "Only a moderator of this city can read its moderation queue "
                "(with two-factor authentication set up)."
            )
        )
    return city


class ModerationQueueView(ApiDefaults, GenericAPIView):
    permission_classes = [IsSignedIn]
    serializer_class = ModerationQueueSerializer

    @extend_schema(
        summary="The moderation queue of a city",
        description=(
            "Flagged comments and proposals with open flags, first flagged first, "
            "with their context (the proposal, the comment answered), every flag "
            "and the past decisions. For the city's moderators (and staff), with "
            "two-factor authentication. `city` may be left out by someone who "
            "moderates one city only."
        ),
        parameters=[
            OpenApiParameter(
                "city", str, description="The city's slug.", required=False
            )
        ],
        responses={200: ModerationQueueSerializer, **_errors(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        city = _moderated_city(request)
        items = selectors.moderation_queue(city=city)
        return Response(
            ModerationQueueSerializer(
                {"city": city.slug, "count": len(items), "results": items}
            ).data
        )


class ModerationDecisionView(ApiDefaults, GenericAPIView):
    permission_classes = [IsSignedIn]
    serializer_class = DecisionSerializer

    @extend_schema(
        summary="Decide on flagged content",
        description=(
            "A moderator of the content's city hides, restores or dismisses, with "
            "a reason. Audited; the author is told when their content is hidden."
        ),
        request=DecisionSerializer,
        responses={200: DecisionResultSerializer, **_errors(400, 401, 403)},
        examples=[
            OpenApiExample(
                "Hide",
                value={
                    "comment": 12,
                    "action": "hide",
                    "reason": "Insults another resident.",
                },
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        incoming = DecisionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        comment_id, proposal_id = data.get("comment"), data.get("proposal")
        # Moderators see hidden content of their cities, so the target is looked up
        # without the reader's visibility; the service refuses other cities (403).
        comment = proposal = None
        if comment_id is not None:
            comment = (
                Comment.objects.select_related("proposal").filter(pk=comment_id).first()
            )
            if comment is None:
                raise drf_exceptions.ValidationError(
                    {"comment": [_("There is no such comment.")]}
                )
        else:
            proposal = Proposal.objects.filter(pk=proposal_id).first()
            if proposal is None:
                raise drf_exceptions.ValidationError(
                    {"proposal": [_("There is no such proposal.")]}
                )
        target = services.moderation_decide(
            actor=_user(request),
            action=data["action"],
            reason=data["reason"],
            comment=comment,
            proposal=proposal,
        )
        return Response(
            {
                "kind": "comment" if comment is not None else "proposal",
                "id": target.pk,
                "action": data["action"],
                "hidden": target.hidden_at is not None,
                "open_flag_count": target.open_flag_count,
            }
        )
