"""Serializers of the conversation API: comments (as a tree), votes, supports,
follows, flags, the moderation queue and its decisions.

They shape and type-check data only; every rule lives in
``projects.services.conversation``. Comments are read from the nodes of
``selectors_conversation.comment_thread``: a placeholder (a deleted comment, or a
hidden one the reader may not see, kept because replies hang from it) carries no
author and no text. The Markdown source of a comment is returned only to its author
(to edit it); everyone reads the sanitised ``body_html``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stakeholders.serializers import NamedChoiceField

from .models import FlagReason, FlagState
from .selectors_conversation import COMMENT_SORTS, CommentNode


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text=_("Public name (never the e-mail)."))


def _person(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.public_name}


class CommentSerializer(serializers.Serializer):
    """One comment (a node of the tree) as the reader may see it."""

    id = serializers.IntegerField(source="comment.pk")
    proposal = serializers.IntegerField(
        source="comment.proposal_id",
        allow_null=True,
        help_text=_("The proposal it is on (null on a project)."),
    )
    project = serializers.IntegerField(
        source="comment.project_id",
        allow_null=True,
        help_text=_("The project it is on (null on a proposal)."),
    )
    parent = serializers.IntegerField(source="comment.parent_id", allow_null=True)
    depth = serializers.IntegerField(source="comment.depth")
    author = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField(
        help_text=_("The Markdown source, for its author only (null otherwise).")
    )
    body_html = serializers.CharField(
        source="comment.body_html", help_text=_("Sanitised HTML.")
    )
    is_official = serializers.SerializerMethodField(
        help_text=_(
            "Written by a member of the lead organisation or a coordinator of the city."
        )
    )
    created_at = serializers.DateTimeField(source="comment.created_at")
    edited_at = serializers.DateTimeField(source="comment.edited_at", allow_null=True)
    deleted = serializers.BooleanField(
        help_text=_("Deleted by its author; kept because replies hang from it.")
    )
    hidden = serializers.SerializerMethodField(
        help_text=_("Hidden by moderation (seen only by its author and moderators).")
    )
    hidden_reason = serializers.SerializerMethodField()
    placeholder = serializers.BooleanField(
        help_text=_("No author and no text to show: only its replies are.")
    )
    upvotes = serializers.IntegerField(source="comment.upvotes")
    downvotes = serializers.IntegerField(source="comment.downvotes")
    score = serializers.IntegerField(source="comment.score")
    reply_count = serializers.IntegerField(source="comment.reply_count")
    my_vote = serializers.IntegerField(help_text=_("1, -1, or 0 when none."))
    mine = serializers.BooleanField()
    can_edit = serializers.BooleanField(
        source="editable", help_text=_("Its author, within 15 minutes of posting.")
    )

    @extend_schema_field(PersonRefSerializer(allow_null=True))
    def get_author(self, node: CommentNode) -> dict[str, Any] | None:
        if node.placeholder:
            return None
        return _person(node.comment.author)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_body(self, node: CommentNode) -> str | None:
        return node.comment.body if node.mine and not node.placeholder else None

    @extend_schema_field(serializers.BooleanField())
    def get_is_official(self, node: CommentNode) -> bool:
        return node.comment.is_official and not node.placeholder

    @extend_schema_field(serializers.BooleanField())
    def get_hidden(self, node: CommentNode) -> bool:
        return node.hidden and not node.placeholder

    @extend_schema_field(serializers.CharField())
    def get_hidden_reason(self, node: CommentNode) -> str:
        return node.comment.hidden_reason if self.get_hidden(node) else ""


class CommentTreeSerializer(CommentSerializer):
    """A comment with its replies, nested (three levels at most)."""


CommentTreeSerializer._declared_fields["replies"] = CommentTreeSerializer(
    source="children", many=True, read_only=True
)


class ProjectFollowStateSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    following = serializers.BooleanField()


class CommentSortSerializer(serializers.Serializer):
    sort = serializers.ChoiceField(
        choices=COMMENT_SORTS, default="oldest", required=False
    )


class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text=_("Markdown, up to 10,000 characters."),
    )
    parent = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_(
            "The comment answered, on the same proposal. A reply to a comment at "
            "depth 3 is attached to that comment (threads never go deeper)."
        ),
    )


class CommentEditSerializer(serializers.Serializer):
    # The edit replaces the body: PATCH needs it (see stakeholders.api_schema).
    whole_on_patch = True

    body = serializers.CharField(allow_blank=True, trim_whitespace=False)


class VoteSerializer(serializers.Serializer):
    value = serializers.ChoiceField(
        choices=[(1, "up"), (-1, "down"), (0, "remove")],
        help_text=_("1 (up), -1 (down) or 0 to take the vote back."),
    )


class VoteResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    upvotes = serializers.IntegerField()
    downvotes = serializers.IntegerField()
    score = serializers.IntegerField()
    my_vote = serializers.IntegerField()


class SupportCountsSerializer(serializers.Serializer):
    proposal = serializers.IntegerField()
    supported = serializers.BooleanField(help_text=_("Whether the reader supports."))
    resident_support_count = serializers.IntegerField()
    organisation_support_count = serializers.IntegerField()
    support_count = serializers.IntegerField()


class FollowStateSerializer(serializers.Serializer):
    proposal = serializers.IntegerField()
    following = serializers.BooleanField()


class TargetSerializer(serializers.Serializer):
    """Exactly one of ``comment`` and ``proposal``."""

    comment = serializers.IntegerField(required=False, allow_null=True)
    proposal = serializers.IntegerField(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if (attrs.get("comment") is None) == (attrs.get("proposal") is None):
            raise serializers.ValidationError(
                _("Give either a comment or a proposal (one of the two).")
            )
        return attrs


class FlagCreateSerializer(TargetSerializer):
    reason = serializers.ChoiceField(choices=FlagReason.choices)
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_("What is wrong (required for “other”)."),
    )


class FlagSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    comment = serializers.IntegerField(source="comment_id", allow_null=True)
    proposal = serializers.IntegerField(source="proposal_id", allow_null=True)
    reason = serializers.ChoiceField(choices=FlagReason.choices)
    text = serializers.CharField()
    state = NamedChoiceField(enum_name="FlagState", choices=FlagState.choices)
    created_at = serializers.DateTimeField()


class QueueFlagSerializer(FlagSerializer):
    reporter = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reason = serializers.CharField()

    @extend_schema_field(PersonRefSerializer(allow_null=True))
    def get_reporter(self, flag: Any) -> dict[str, Any] | None:
        return _person(flag.reporter)

    @extend_schema_field(PersonRefSerializer(allow_null=True))
    def get_decided_by(self, flag: Any) -> dict[str, Any] | None:
        return _person(flag.decided_by)


class HistorySerializer(serializers.Serializer):
    action = serializers.CharField(help_text=_("moderation.hide, .restore, .dismiss"))
    actor = serializers.SerializerMethodField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()

    @extend_schema_field(PersonRefSerializer(allow_null=True))
    def get_actor(self, event: Any) -> dict[str, Any] | None:
        return _person(event.actor)


class CommentProposalRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(source="get_absolute_url")


class QueueContentSerializer(serializers.Serializer):
    author = PersonRefSerializer(allow_null=True)
    title = serializers.CharField(
        help_text=_("A proposal's title; empty for comments.")
    )
    text_html = serializers.CharField(help_text=_("Sanitised HTML of the content."))
    created_at = serializers.DateTimeField()
    hidden_at = serializers.DateTimeField(allow_null=True)
    hidden_reason = serializers.CharField()
    deleted = serializers.BooleanField()


class QueueParentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = PersonRefSerializer(allow_null=True)
    body_html = serializers.CharField()


class QueueItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("comment", "comment"), ("proposal", "p")])
    id = serializers.IntegerField(source="pk")
    proposal = CommentProposalRefSerializer()
    content = serializers.SerializerMethodField()
    parent = serializers.SerializerMethodField(
        help_text=_("The comment answered, for a reply.")
    )
    open_flags = QueueFlagSerializer(many=True)
    past_flags = QueueFlagSerializer(many=True)
    history = HistorySerializer(many=True)

    @extend_schema_field(QueueContentSerializer)
    def get_content(self, item: Any) -> dict[str, Any]:
        target = item.target
        is_comment = item.kind == "comment"
        return {
            "author": _person(target.author),
            "title": "" if is_comment else target.title,
            "text_html": target.body_html,
            "created_at": target.created_at,
            "hidden_at": target.hidden_at,
            "hidden_reason": target.hidden_reason,
            "deleted": bool(is_comment and target.deleted_at),
        }

    @extend_schema_field(QueueParentSerializer(allow_null=True))
    def get_parent(self, item: Any) -> dict[str, Any] | None:
        parent = item.parent
        if parent is None:
            return None
        return {
            "id": parent.pk,
            "author": _person(parent.author),
            "body_html": parent.body_html,
        }


class ModerationQueueSerializer(serializers.Serializer):
    city = serializers.CharField(help_text=_("The city's slug."))
    count = serializers.IntegerField()
    results = QueueItemSerializer(many=True)


class DecisionSerializer(TargetSerializer):
    action = serializers.ChoiceField(
        choices=[("hide", "hide"), ("restore", "restore"), ("dismiss", "dismiss")],
        help_text=_(
            "hide: upholds the open flags and hides the content (its author is "
            "told why); restore: dismisses them and shows it again; dismiss: "
            "dismisses the flags (and shows hidden content again)."
        ),
    )
    reason = serializers.CharField(
        allow_blank=True, max_length=2000, help_text=_("The author may read it.")
    )


class DecisionResultSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    action = serializers.CharField()
    hidden = serializers.BooleanField()
    open_flag_count = serializers.IntegerField()
