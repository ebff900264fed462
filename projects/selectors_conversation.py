"""Reads of the conversation: the comment tree of a proposal and the moderation queue.

Both cost a fixed number of queries whatever the size of the thread or the queue:
the comment tree is one query for the comments (authors joined) and one for the
viewer's votes, built into a tree in Python; the queue is one query per kind of
target, one for their flags and one per kind for their audit history. Who may see a
hidden comment (its author and the city's moderators) is decided here, once, for
pages, API and exports alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from stakeholders import permissions as sp
from stakeholders.models import AuditEvent, City

from .models import Comment, CommentVote, Flag, FlagState, Project, Proposal
from .services.conversation import EDIT_WINDOW, can_moderate


def _target(proposal: Proposal | None, project: Project | None) -> Any:
    target = proposal if proposal is not None else project
    if target is None or (proposal is not None and project is not None):
        raise TypeError("Give either a proposal or a project.")
    return target


def _on(target: Any, prefix: str = "") -> dict[str, int]:
    """The lookup of the comments of a proposal or a project."""
    key = "project_id" if isinstance(target, Project) else "proposal_id"
    return {f"{prefix}{key}": target.pk}


COMMENT_SORTS = ("oldest", "newest", "best")
DEFAULT_COMMENT_SORT = "oldest"


@dataclass
class CommentNode:
    """One comment as the viewer may see it.

    ``placeholder`` is true for a comment kept only so that its replies still read
    (deleted by its author, or hidden from this viewer by moderation): its body and
    author must then not be shown. ``hidden`` is true when a moderator hid it and the
    viewer may still read it (its author, a moderator)."""

    comment: Comment
    children: list[CommentNode] = field(default_factory=list)
    my_vote: int = 0
    mine: bool = False
    hidden: bool = False
    deleted: bool = False
    placeholder: bool = False
    editable: bool = False

    @property
    def pk(self) -> int:
        return self.comment.pk

    @property
    def depth(self) -> int:
        return self.comment.depth


@dataclass
class CommentThread:
    nodes: list[CommentNode]
    sort: str
    moderator: bool
    count: int  # nodes the viewer sees with content (placeholders not counted)

    def __iter__(self) -> Any:
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)

    def walk(self) -> Iterable[CommentNode]:
        """Every node, depth first, in display order."""
        stack = list(reversed(self.nodes))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


def _sort_key(sort: str) -> Any:
    if sort == "newest":
        return lambda n: (-n.comment.created_at.timestamp(), -n.comment.pk)
    if sort == "best":
        return lambda n: (
            -n.comment.score,
            -n.comment.upvotes,
            n.comment.created_at,
            n.comment.pk,
        )
    return lambda n: (n.comment.created_at, n.comment.pk)


def comment_thread(
    *,
    user: Any,
    proposal: Proposal | None = None,
    project: Project | None = None,
    sort: str = DEFAULT_COMMENT_SORT,
) -> CommentThread:
    """The comments of a proposal (or of a project) as a tree, for this viewer.

    Top-level comments follow ``sort`` (oldest, newest, best: score, then oldest);
    replies always read oldest first, as a conversation does. A comment hidden by
    moderation is shown only to its author and the city's moderators; to anyone
    else it is left out, or kept as an empty placeholder when replies hang from it.
    A deleted comment likewise stays only as a placeholder for its replies.

    Queries: one for the comments, one for the viewer's votes (none when signed
    out), plus the viewer's roles, cached on the user object."""
    if sort not in COMMENT_SORTS:
        sort = DEFAULT_COMMENT_SORT
    signed_in = sp.is_signed_in(user)
    user_id = user.pk if signed_in else None
    target = _target(proposal, project)
    moderator = signed_in and can_moderate(user, target.city_id)
    comments = list(
        Comment.objects.filter(**_on(target))
        .select_related("author")
        .order_by("created_at", "pk")
    )
    votes: dict[int, int] = {}
    if signed_in and comments:
        votes = dict(
            CommentVote.objects.filter(
                user_id=user_id, **_on(target, "comment__")
            ).values_list("comment_id", "value")
        )
    now = timezone.now()
    nodes: dict[int, CommentNode] = {}
    for c in comments:
        mine = user_id is not None and c.author_id == user_id
        deleted = c.deleted_at is not None
        hidden = c.hidden_at is not None
        nodes[c.pk] = CommentNode(
            comment=c,
            my_vote=votes.get(c.pk, 0),
            mine=mine,
            hidden=hidden,
            deleted=deleted,
            placeholder=deleted or (hidden and not (mine or moderator)),
            editable=mine and not deleted and now - c.created_at <= EDIT_WINDOW,
        )
    roots: list[CommentNode] = []
    for c in comments:
        node = nodes[c.pk]
        parent = nodes.get(c.parent_id) if c.parent_id else None
        if parent is None:
            roots.append(node)
        else:
            parent.children.append(node)
    roots = _prune(roots)
    roots.sort(key=_sort_key(sort))
    count = 0
    thread = CommentThread(nodes=roots, sort=sort, moderator=moderator, count=0)
    for node in thread.walk():
        if not node.placeholder:
            count += 1
        else:
            _blank(node)
    thread.count = count
    return thread


def _prune(nodes: list[CommentNode]) -> list[CommentNode]:
    """Drop placeholders that no longer carry any visible reply (bottom up)."""
    kept = []
    for node in nodes:
        node.children = _prune(node.children)
        if node.placeholder and not node.children:
            continue
        kept.append(node)
    return kept


def _blank(node: CommentNode) -> None:
    """A placeholder carries no content: clear it on the (unsaved) instance so no
    template or serializer can leak what it said or who said it."""
    c = node.comment
    c.body = ""
    c.body_html = ""
    c.hidden_reason = ""
    c.author = None
    c.author_id = None
    c.upvotes = c.downvotes = c.score = 0
    node.my_vote = 0
    node.mine = False
    node.editable = False


def comment_node(*, user: Any, comment: Comment) -> CommentNode:
    """One comment the viewer may read (see ``comment_for``) as a node without its
    replies, with the viewer's vote."""
    signed_in = sp.is_signed_in(user)
    mine = signed_in and comment.author_id == user.pk
    vote = 0
    if signed_in:
        vote = (
            CommentVote.objects.filter(comment_id=comment.pk, user_id=user.pk)
            .values_list("value", flat=True)
            .first()
        ) or 0
    return CommentNode(
        comment=comment,
        my_vote=vote,
        mine=mine,
        hidden=comment.hidden_at is not None,
        deleted=comment.deleted_at is not None,
        editable=mine
        and comment.deleted_at is None
        and timezone.now() - comment.created_at <= EDIT_WINDOW,
    )


def visible_comments(
    *, user: Any, proposal: Proposal | None = None, project: Project | None = None
) -> QuerySet[Comment]:
    """Flat comments the viewer may read (exports, feeds): hidden ones only for
    their author and moderators, deleted ones never."""
    target = _target(proposal, project)
    moderator = sp.is_signed_in(user) and can_moderate(user, target.city_id)
    return (
        Comment.objects.filter(**_on(target), deleted_at__isnull=True)
        .visible_to(user, moderator=moderator)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def comment_for(*, user: Any, pk: int) -> Comment:
    """One comment the viewer may read, or ``Comment.DoesNotExist``: a comment of a
    proposal they cannot see, a deleted one, or a hidden one (unless theirs or
    they moderate its city) does not exist for them. Projects are public."""
    comment = (
        Comment.objects.select_related("author", "proposal", "project")
        .filter(pk=pk, deleted_at__isnull=True)
        .first()
    )
    if comment is None:
        raise Comment.DoesNotExist
    target = comment.proposal if comment.proposal_id else comment.project
    if target is None:
        raise Comment.DoesNotExist
    if isinstance(target, Proposal):
        readable = Proposal.objects.visible_to(user).filter(pk=target.pk).exists()
        if not readable and not (
            sp.is_signed_in(user) and can_moderate(user, target.city_id)
        ):
            raise Comment.DoesNotExist
    if comment.hidden_at is not None:
        mine = sp.is_signed_in(user) and comment.author_id == user.pk
        if not (mine or can_moderate(user, target.city_id)):
            raise Comment.DoesNotExist
    return comment


# --- Moderation queue ------------------------------------------------------------------


@dataclass
class QueueItem:
    """A flagged comment or proposal with what a moderator needs to decide: the
    content, where it sits (the proposal, the comment it answers), every flag (open
    first) and the past decisions on it."""

    kind: str  # "comment" | "proposal"
    target: Comment | Proposal
    # Where the item sits: the proposal, or the project a comment is on (both
    # have a title, a pk and get_absolute_url).
    proposal: Proposal | Project
    parent: Comment | None
    open_flags: list[Flag]
    past_flags: list[Flag]
    history: list[AuditEvent]

    @property
    def pk(self) -> int:
        return self.target.pk

    @property
    def first_flagged_at(self) -> Any:
        return min(f.created_at for f in self.open_flags) if self.open_flags else None


def moderation_cities(*, user: Any) -> QuerySet[City]:
    """The cities whose queue the user may read."""
    if sp.staff_power(user):
        return City.objects.order_by("name")
    ids = [c.pk for c in City.objects.all() if can_moderate(user, c.pk)]
    return City.objects.filter(pk__in=ids).order_by("name")


def moderation_queue(*, city: City) -> list[QueueItem]:
    """Items of the city with open flags, oldest first flagged first. The caller
    has checked that the reader moderates the city. Six queries whatever the
    queue's length."""
    flags = Prefetch(
        "flags",
        queryset=Flag.objects.select_related("reporter", "decided_by").order_by(
            "created_at", "pk"
        ),
    )
    comments = list(
        Comment.objects.filter(
            Q(proposal__city=city) | Q(project__city=city), open_flag_count__gt=0
        )
        .select_related("author", "proposal", "project", "parent", "parent__author")
        .prefetch_related(flags)
    )
    proposals = list(
        Proposal.objects.filter(city=city, open_flag_count__gt=0)
        .select_related("author", "lead_organisation")
        .prefetch_related(flags)
    )
    history = _history(comments, proposals)
    items: list[QueueItem] = []
    for c in comments:
        items.append(
            _item("comment", c, c.proposal or c.project, c.parent, history)  # type: ignore[arg-type]
        )
    for p in proposals:
        items.append(_item("proposal", p, p, None, history))
    items = [i for i in items if i.open_flags]
    items.sort(key=lambda i: (i.first_flagged_at, i.kind, i.pk))
    return items


def _item(
    kind: str,
    target: Comment | Proposal,
    proposal: Proposal | Project,
    parent: Comment | None,
    history: dict[tuple[str, str], list[AuditEvent]],
) -> QueueItem:
    all_flags = list(target.flags.all())
    return QueueItem(
        kind=kind,
        target=target,
        proposal=proposal,
        parent=parent,
        open_flags=[f for f in all_flags if f.state == FlagState.OPEN],
        past_flags=[f for f in all_flags if f.state != FlagState.OPEN],
        history=history.get((kind, str(target.pk)), []),
    )


def _history(
    comments: list[Comment], proposals: list[Proposal]
) -> dict[tuple[str, str], list[AuditEvent]]:
    """Past moderation decisions on the targets (one query per kind of target)."""
    out: dict[tuple[str, str], list[AuditEvent]] = defaultdict(list)
    for kind, model, rows in (
        ("comment", Comment, comments),
        ("proposal", Proposal, proposals),
    ):
        if not rows:
            continue
        content_type = ContentType.objects.get_for_model(model)
        events = AuditEvent.objects.filter(
            target_type=content_type,
            target_id__in=[str(r.pk) for r in rows],
            action__startswith="moderation.",
        ).select_related("actor")
        for event in events:
            out[(kind, event.target_id)].append(event)
    return out
