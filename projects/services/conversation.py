"""Conversation: comments, votes, supports, follows, flags and moderation.

Same rules as every service here: the actor is explicit, permissions are checked
first, one transaction, nothing half-written. Counters shown on every page
(comments, supports, open flags) are kept here with F() updates, never recounted per
page. Notifications fan out in Celery after commit (``notify_on_commit``), keyed by
event so a redelivered task notifies nobody twice, and never the actor.

Comments and follows have a target: a proposal or a project (``proposal=`` or
``project=``, exactly one). The rules are the same for both; what differs (who
speaks officially, who hears of a comment, which counter moves, which cached
pages retire) is decided by the small ``_target_*`` helpers below.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from stakeholders import permissions as sp
from stakeholders.models import NotificationKind, User, UserKind
from stakeholders.ratelimit import Limit, rate_limit_check
from stakeholders.services import audit_record, notify_on_commit

from .. import caching
from ..markdown import render_markdown
from ..models import (
    COMMENT_MAX_DEPTH,
    FLAGS_TO_HIDE,
    Comment,
    CommentVote,
    Flag,
    FlagReason,
    FlagState,
    Follow,
    Project,
    Proposal,
    ProposalStatus,
    Support,
    SupportKind,
)
from .proposals import proposal_audience

COMMENT_MAX_CHARS = 10_000
EDIT_WINDOW = timedelta(minutes=15)
COMMENT_LIMITS = [Limit(5, 60), Limit(100, 86400)]
FLAG_LIMITS = [Limit(30, 86400)]


def _require_signed_in(user: Any) -> None:
    if not sp.is_signed_in(user):
        raise PermissionDenied(_("Sign in to take part."))


Target = Proposal | Project


def _target_of(
    proposal: Proposal | None, project: Project | None, what: str = ""
) -> Target:
    if (proposal is None) == (project is None):
        raise ValidationError(
            what or _("Choose either a proposal or a project (one of the two).")
        )
    return proposal if proposal is not None else project  # type: ignore[return-value]


def _target_lookup(target: Target) -> dict[str, Target]:
    return {"project": target} if isinstance(target, Project) else {"proposal": target}


def comment_target(comment: Comment) -> Target:
    """The proposal or project a comment is on (loaded if not already)."""
    target = comment.proposal if comment.proposal_id else comment.project
    assert target is not None
    return target


def comment_city_id(comment: Comment) -> int:
    return comment_target(comment).city_id


def _bump(comment_or_target: Comment | Target) -> None:
    """Retire the cached copies of a proposal's page when its comments change;
    project pages are not cached."""
    if isinstance(comment_or_target, Comment):
        if comment_or_target.proposal_id:
            caching.bump(comment_or_target.proposal_id)
    elif isinstance(comment_or_target, Proposal):
        caching.bump(comment_or_target.pk)


def _count_comments(target_model: Any, pk: int | None, delta: int) -> None:
    if pk is None:
        return
    rows = target_model.objects.filter(pk=pk)
    if delta < 0:
        rows = rows.filter(comment_count__gt=0)
    rows.update(comment_count=F("comment_count") + delta)


def _count_comment_of(comment: Comment, delta: int) -> None:
    if comment.proposal_id:
        _count_comments(Proposal, comment.proposal_id, delta)
    else:
        _count_comments(Project, comment.project_id, delta)
    _bump(comment)


def _open_for_conversation(proposal: Target) -> None:
    if isinstance(proposal, Project):
        return
    if proposal.status == ProposalStatus.DRAFT:
        raise ValidationError(
            _("Drafts cannot be discussed yet: wait until it is submitted.")
        )
    if proposal.hidden_at:
        raise ValidationError(_("This proposal is hidden pending moderation."))


def is_official_voice(user: Any, proposal: Target) -> bool:
    """A member of the lead organisation or a coordinator of the city speaks
    officially for a proposal; a coordinator of the city for a project."""
    if isinstance(proposal, Project):
        return sp.is_coordinator(user, proposal.city_id)
    return sp.is_member(user, proposal.lead_organisation_id) or sp.is_coordinator(
        user, proposal.city_id
    )


def can_moderate(user: Any, city_id: int) -> bool:
    return sp.is_moderator(user, city_id)


def _clean_body(body: str) -> str:
    text = (body or "").strip()
    if not text:
        raise ValidationError({"body": _("Write something before posting.")})
    if len(text) > COMMENT_MAX_CHARS:
        raise ValidationError(
            {
                "body": _(
                    "Comments are limited to %(max)s characters (this one has %(n)s)."
                )
                % {"max": f"{COMMENT_MAX_CHARS:,}", "n": f"{len(text):,}"}
            }
        )
    return text


# --- follows ------------------------------------------------------------------------------


def _follow(user: User, target: Target) -> Follow:
    """Follow, keeping a project's stored follower count."""
    follow, created = Follow.objects.get_or_create(user=user, **_target_lookup(target))
    if created and isinstance(target, Project):
        Project.objects.filter(pk=target.pk).update(
            follower_count=F("follower_count") + 1
        )
    return follow


def follow_add(
    *, user: User, proposal: Proposal | None = None, project: Project | None = None
) -> Follow:
    _require_signed_in(user)
    target = _target_of(proposal, project)
    with transaction.atomic():
        return _follow(user, target)


def follow_remove(
    *, user: User, proposal: Proposal | None = None, project: Project | None = None
) -> None:
    _require_signed_in(user)
    target = _target_of(proposal, project)
    with transaction.atomic():
        deleted, _rows = Follow.objects.filter(
            user=user, **_target_lookup(target)
        ).delete()
        if deleted and isinstance(target, Project):
            Project.objects.filter(pk=target.pk, follower_count__gt=0).update(
                follower_count=F("follower_count") - 1
            )


# --- comments -------------------------------------------------------------------------------


def comment_create(
    *,
    actor: User,
    body: str,
    proposal: Proposal | None = None,
    project: Project | None = None,
    parent: Comment | None = None,
) -> Comment:
    """Post a comment or a reply on a proposal or a project. Replies nest to depth
    3; a reply to a comment at depth 3 attaches to its depth-3 ancestor, so
    threads never get deeper."""
    _require_signed_in(actor)
    target = _target_of(proposal, project)
    _open_for_conversation(target)
    text = _clean_body(body)
    if parent is not None:
        same = (
            parent.project_id == target.pk
            if isinstance(target, Project)
            else parent.proposal_id == target.pk
        )
        if not same:
            raise ValidationError(
                {
                    "parent": _("You can only reply to a comment on the same proposal.")
                    if isinstance(target, Proposal)
                    else _("You can only reply to a comment on the same project.")
                }
            )
        if parent.deleted_at or parent.hidden_at:
            raise ValidationError(
                {"parent": _("This comment can no longer be answered.")}
            )
        while parent.depth >= COMMENT_MAX_DEPTH and parent.parent_id:
            above = parent.parent
            if above is None or above.depth < COMMENT_MAX_DEPTH:
                break
            parent = above
    rate_limit_check(
        action="comment",
        user_id=actor.pk,
        limits=COMMENT_LIMITS,
        message=_("You can post at most 5 comments a minute and 100 a day."),
    )
    with transaction.atomic():
        comment = Comment(
            parent=parent,
            depth=min(parent.depth + 1, COMMENT_MAX_DEPTH) if parent else 1,
            author=actor,
            body=text,
            body_html=render_markdown(text),
            is_official=is_official_voice(actor, target),
            **_target_lookup(target),
        )
        comment.full_clean()
        comment.save()
        _count_comment_of(comment, +1)
        if parent is not None:
            Comment.objects.filter(pk=parent.pk).update(
                reply_count=F("reply_count") + 1
            )
        _follow(actor, target)
        _notify_comment(comment, target, parent)
    return comment


def _audience(target: Target) -> set[int]:
    if isinstance(target, Project):
        return set(
            Follow.objects.filter(project_id=target.pk).values_list(
                "user_id", flat=True
            )
        )
    return set(proposal_audience(target))


def _authors(target: Target) -> set[int]:
    """Who answers for the target and hears of every comment: a proposal's
    author and lead organisation; the coordinator who created a project."""
    if isinstance(target, Project):
        return {target.created_by_id} if target.created_by_id else set()
    authors = set(
        target.lead_organisation.memberships.values_list("user_id", flat=True)
    )
    if target.author_id:
        authors.add(target.author_id)
    return authors


def _notify_comment(comment: Comment, proposal: Target, parent: Comment | None) -> None:
    title = proposal.title[:80]
    url = f"{proposal.get_absolute_url()}#comment-{comment.pk}"
    audience = _audience(proposal)
    if parent is not None and parent.author_id:
        notify_on_commit(
            recipient_ids=[parent.author_id],
            kind=NotificationKind.REPLY,
            event_key=f"comment:{comment.pk}:reply",
            message=gettext_noop("%(name)s replied to your comment on “%(title)s”."),
            params={"name": comment.author.public_name, "title": title},
            url=url,
            actor=comment.author,
        )
        audience.discard(parent.author_id)
    if comment.is_official:
        notify_on_commit(
            recipient_ids=audience,
            kind=NotificationKind.OFFICIAL_ANSWER,
            event_key=f"comment:{comment.pk}:official",
            message=gettext_noop("Official answer on “%(title)s”."),
            params={"title": title},
            url=url,
            actor=comment.author,
        )
        return
    authors = _authors(proposal)
    notify_on_commit(
        recipient_ids=authors & audience,
        kind=NotificationKind.COMMENT,
        event_key=f"comment:{comment.pk}:new",
        message=gettext_noop("%(name)s commented on “%(title)s”."),
        params={"name": comment.author.public_name, "title": title},
        url=url,
        actor=comment.author,
    )


def comment_edit(*, actor: User, comment: Comment, body: str) -> Comment:
    if comment.author_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("You can only edit your own comments."))
    if comment.deleted_at:
        raise ValidationError(_("A deleted comment cannot be edited."))
    if timezone.now() - comment.created_at > EDIT_WINDOW:
        raise ValidationError(_("Comments can be edited for 15 minutes after posting."))
    text = _clean_body(body)
    with transaction.atomic():
        comment.body = text
        comment.body_html = render_markdown(text)
        comment.edited_at = timezone.now()
        comment.full_clean()
        comment.save(update_fields=["body", "body_html", "edited_at"])
    return comment


def comment_delete(*, actor: User, comment: Comment) -> None:
    """The author deletes a comment. With replies it stays as "comment deleted" so
    the thread still reads; without, it goes."""
    if comment.author_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("You can only delete your own comments."))
    if comment.deleted_at:
        return
    with transaction.atomic():
        visible = comment.hidden_at is None
        if comment.replies.exists():
            comment.deleted_at = timezone.now()
            comment.body = ""
            comment.body_html = ""
            comment.save(update_fields=["deleted_at", "body", "body_html"])
        else:
            if comment.parent_id:
                Comment.objects.filter(pk=comment.parent_id, reply_count__gt=0).update(
                    reply_count=F("reply_count") - 1
                )
            comment.delete()
        if visible:
            _count_comment_of(comment, -1)


def comment_vote(*, actor: User, comment: Comment, value: int) -> Comment:
    """+1, -1, or 0 to take one's vote back. Not on one's own comment."""
    _require_signed_in(actor)
    if value not in (-1, 0, 1):
        raise ValidationError({"value": _("Vote 1 (up), -1 (down) or 0 (remove).")})
    if comment.author_id == actor.pk:
        raise ValidationError(_("You cannot vote on your own comment."))
    if comment.deleted_at or comment.hidden_at:
        raise ValidationError(_("This comment cannot be voted on."))
    with transaction.atomic():
        Comment.objects.select_for_update().get(pk=comment.pk)
        existing = CommentVote.objects.filter(comment=comment, user=actor).first()
        old = existing.value if existing else 0
        if value == 0 and existing:
            existing.delete()
        elif value and existing:
            existing.value = value
            existing.save(update_fields=["value"])
        elif value:
            CommentVote.objects.create(comment=comment, user=actor, value=value)
        up = (value == 1) - (old == 1)
        down = (value == -1) - (old == -1)
        if up or down:
            Comment.objects.filter(pk=comment.pk).update(
                upvotes=F("upvotes") + up,
                downvotes=F("downvotes") + down,
                score=F("score") + up - down,
            )
            _bump(comment)
        comment.refresh_from_db(fields=["upvotes", "downvotes", "score"])
    return comment


# --- supports ---------------------------------------------------------------------------------


def support_add(*, actor: User, proposal: Proposal) -> Support:
    """One support per person; people who act for an organisation count as
    organisation support, everyone else as resident support."""
    _require_signed_in(actor)
    _open_for_conversation(proposal)
    if proposal.is_decided:
        raise ValidationError(_("This proposal is closed to support."))
    organisation_id = None
    kind = SupportKind.RESIDENT
    if actor.kind not in (UserKind.RESIDENT, UserKind.CITY_OFFICIAL):
        organisation_id = next(iter(sorted(sp._membership_roles(actor))), None)
        if organisation_id is not None:
            kind = SupportKind.ORGANISATION
    with transaction.atomic():
        try:
            with transaction.atomic():
                support = Support.objects.create(
                    proposal=proposal,
                    user=actor,
                    kind=kind,
                    organisation_id=organisation_id,
                )
        except IntegrityError as exc:
            raise ValidationError(_("You already support this proposal.")) from exc
        field = (
            "organisation_support_count"
            if kind == SupportKind.ORGANISATION
            else "resident_support_count"
        )
        Proposal.objects.filter(pk=proposal.pk).update(**{field: F(field) + 1})
        caching.bump(proposal.pk)
        Follow.objects.get_or_create(user=actor, proposal=proposal)
    return support


def support_remove(*, actor: User, proposal: Proposal) -> None:
    _require_signed_in(actor)
    with transaction.atomic():
        support = (
            Support.objects.select_for_update()
            .filter(proposal=proposal, user=actor)
            .first()
        )
        if support is None:
            raise ValidationError(_("You do not support this proposal."))
        field = (
            "organisation_support_count"
            if support.kind == SupportKind.ORGANISATION
            else "resident_support_count"
        )
        support.delete()
        Proposal.objects.filter(pk=proposal.pk, **{f"{field}__gt": 0}).update(
            **{field: F(field) - 1}
        )
        caching.bump(proposal.pk)


# --- flags and moderation ---------------------------------------------------------------------------


def _target_author_id(target: Comment | Proposal) -> int | None:
    return target.author_id


def flag_create(
    *,
    actor: User,
    reason: str,
    text: str = "",
    comment: Comment | None = None,
    proposal: Proposal | None = None,
) -> Flag:
    """Anyone signed in flags a comment or a proposal. Three open flags hide the
    content pending a moderator's review, and its author is told why."""
    _require_signed_in(actor)
    if (comment is None) == (proposal is None):
        raise ValidationError(_("Flag either a comment or a proposal."))
    if reason not in FlagReason.values:
        raise ValidationError(
            {
                "reason": _(
                    "Choose a reason: spam, offensive, off-topic, personal data or other."
                )
            }
        )
    if reason == FlagReason.OTHER and not (text or "").strip():
        raise ValidationError({"text": _("Say what is wrong.")})
    target: Comment | Proposal = comment if comment is not None else proposal  # type: ignore[assignment]
    if _target_author_id(target) == actor.pk:
        raise ValidationError(_("You cannot flag your own content."))
    city_id = comment_city_id(comment) if comment is not None else proposal.city_id  # type: ignore[union-attr]
    rate_limit_check(
        action="flag",
        user_id=actor.pk,
        limits=FLAG_LIMITS,
        message=_("You can flag at most 30 items a day."),
    )
    model = Comment if comment is not None else Proposal
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=target.pk)
        lookup = {"comment": locked} if comment is not None else {"proposal": locked}
        if Flag.objects.filter(reporter=actor, state=FlagState.OPEN, **lookup).exists():
            raise ValidationError(
                _("You have already flagged this; a moderator will look at it.")
            )
        flag = Flag(
            reporter=actor,
            city_id=city_id,
            reason=reason,
            text=(text or "").strip(),
            **lookup,
        )
        flag.full_clean()
        flag.save()
        locked.open_flag_count = F("open_flag_count") + 1
        locked.save(update_fields=["open_flag_count"])
        locked.refresh_from_db(fields=["open_flag_count", "hidden_at"])
        if locked.open_flag_count >= FLAGS_TO_HIDE and locked.hidden_at is None:
            _hide(
                locked,
                reason=_("Hidden pending review after %(n)d flags.")
                % {"n": FLAGS_TO_HIDE},
                actor=None,
            )
    return flag


def _hide(target: Comment | Proposal, *, reason: str, actor: User | None) -> None:
    target.hidden_at = timezone.now()
    target.hidden_reason = reason
    target.save(update_fields=["hidden_at", "hidden_reason"])
    if isinstance(target, Comment) and not target.deleted_at:
        _count_comment_of(target, -1)
    if target.author_id:
        what = "comment" if isinstance(target, Comment) else "proposal"
        notify_on_commit(
            recipient_ids=[target.author_id],
            kind=NotificationKind.HIDDEN,
            event_key=f"hidden:{what}:{target.pk}:{target.hidden_at.timestamp()}",
            message=gettext_noop("Your %(what)s was hidden: %(reason)s"),
            params={"what": what, "reason": reason},
            url=_target_url(target),
            actor=actor,
        )


def _target_url(target: Comment | Proposal) -> str:
    if isinstance(target, Comment):
        return f"{comment_target(target).get_absolute_url()}#comment-{target.pk}"
    return target.get_absolute_url()


def moderation_decide(
    *,
    actor: User,
    action: str,
    reason: str,
    comment: Comment | None = None,
    proposal: Proposal | None = None,
) -> Comment | Proposal:
    """A moderator of the city hides, restores or dismisses the flags of an item,
    with a reason; audited, and the author told when their content is hidden."""
    if (comment is None) == (proposal is None):
        raise ValidationError(_("Decide on either a comment or a proposal."))
    if action not in ("hide", "restore", "dismiss"):
        raise ValidationError({"action": _("Choose hide, restore or dismiss.")})
    target: Comment | Proposal = comment if comment is not None else proposal  # type: ignore[assignment]
    city_id = comment_city_id(comment) if comment is not None else proposal.city_id  # type: ignore[union-attr]
    if not can_moderate(actor, city_id):
        raise PermissionDenied(
            _("Only a moderator of this city can decide on flagged content.")
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason; the author may read it.")})
    model = Comment if comment is not None else Proposal
    lookup = {"comment": target} if comment is not None else {"proposal": target}
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=target.pk)
        open_flags = Flag.objects.filter(state=FlagState.OPEN, **lookup)
        now = timezone.now()
        if action == "hide":
            open_flags.update(
                state=FlagState.UPHELD,
                decided_by=actor,
                decided_at=now,
                decision_reason=reason,
            )
            if locked.hidden_at is None:
                _hide(locked, reason=reason.strip(), actor=actor)
            else:
                locked.hidden_reason = reason.strip()
                locked.save(update_fields=["hidden_reason"])
        else:
            open_flags.update(
                state=FlagState.DISMISSED,
                decided_by=actor,
                decided_at=now,
                decision_reason=reason,
            )
            if locked.hidden_at is not None:
                locked.hidden_at = None
                locked.hidden_reason = ""
                locked.save(update_fields=["hidden_at", "hidden_reason"])
                if isinstance(locked, Comment) and not locked.deleted_at:
                    _count_comment_of(locked, +1)
        locked.open_flag_count = 0
        locked.save(update_fields=["open_flag_count"])
        audit_record(
            actor=actor,
            action=f"moderation.{action}",
            target=locked,
            city=city_id,
            reason=reason,
            data={"kind": "comment" if comment is not None else "proposal"},
        )
    return locked
