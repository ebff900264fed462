"""The thread renders what every comment repeats (vote buttons, reply form, report
form) once per thread and stamps each comment's id and counts into a copy
(``{% comment_part %}``): every comment must still carry its own id everywhere
(form actions, field ids, ``for=``, the hidden parent), and the thread must read
exactly as each of its comments rendered alone (the answer to a post), for every
kind of reader."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import Context, Template, TemplateSyntaxError
from django.template.loader import get_template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from projects.models import Comment, CommentVote, Proposal
from projects.templatetags.conversation import _StandIn, moment
from projects.views_conversation import thread_context
from tests.factories import UserFactory
from tests.projects.conversation_factories import (
    CommentFactory,
    make_moderator,
    thread_of,
)
from tests.projects.factories import ProposalFactory

pytestmark = pytest.mark.django_db

TOKEN = "t0kenT0KENt0kenT0KENt0kenT0KENt0kenT0KENt0kenT0KENt0kenT0KEN1234"


def _request(proposal: Proposal, user: Any) -> Any:
    request = RequestFactory().get(f"/proposals/{proposal.pk}/")
    request.user = user
    return request


def _thread_html(proposal: Proposal, user: Any) -> str:
    tag = Template("{% load conversation %}{% proposal_conversation proposal %}")
    context = {"proposal": proposal, "request": _request(proposal, user)}
    return tag.render(Context({**context, "csrf_token": TOKEN}))


def _alone_html(proposal: Proposal, user: Any) -> str:
    """The top-level comments each rendered by ``_comment.html`` on its own (no
    shared fragments: everything rendered in full, as after posting a comment)."""
    ctx = thread_context(_request(proposal, user), proposal)
    partial = get_template("partials/_comment.html").template  # type: ignore[attr-defined]
    flags = {k: ctx[k] for k in ("create_url", "signed_in", "open", "reasons")}
    return "".join(
        partial.render(
            Context(
                {
                    **flags,
                    "node": node,
                    "proposal_id": proposal.pk,
                    "csrf_token": TOKEN,
                }
            )
        )
        for node in ctx["thread"].nodes
    )


def _card(html: str, pk: int) -> str:
    """The ``<article>`` of comment ``pk`` (its own actions, not its replies')."""
    start = html.index(f'id="comment-{pk}"')
    return html[html.index("<article", start) : html.index("</article>", start)]


def _busy_thread() -> dict[str, Any]:
    """A thread with every kind of comment: replies three deep, an official answer,
    the reader's own (one still editable, one with replies), votes both ways, a
    hidden one with a reason, a hidden one with replies, a deleted one with
    replies."""
    proposal = ProposalFactory()
    reader = UserFactory(display_name="Rea <Der> & co")
    author = UserFactory()
    made = thread_of(proposal, 12)
    hours_ago = timezone.now() - timedelta(hours=5)
    Comment.objects.filter(proposal=proposal).update(created_at=hours_ago)
    CommentFactory(proposal=proposal, author=proposal.author, is_official=True)
    mine = CommentFactory(proposal=proposal, author=author, body="mine, just now")
    older = CommentFactory(proposal=proposal, author=author, body="mine, older")
    Comment.objects.filter(pk=older.pk).update(created_at=hours_ago)
    CommentFactory(proposal=proposal, parent=older)
    hidden = CommentFactory(proposal=proposal, body="hidden")
    Comment.objects.filter(pk=hidden.pk).update(
        hidden_at=timezone.now(), hidden_reason="Off <topic>"
    )
    hidden_parent = CommentFactory(proposal=proposal, body="hidden, replied to")
    CommentFactory(proposal=proposal, parent=hidden_parent)
    gone = CommentFactory(proposal=proposal, body="deleted, replied to")
    CommentFactory(proposal=proposal, parent=gone)
    Comment.objects.filter(pk__in=[hidden_parent.pk, gone.pk]).update(
        hidden_at=timezone.now()
    )
    Comment.objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    for i, comment in enumerate(made):
        Comment.objects.filter(pk=comment.pk).update(
            upvotes=i, downvotes=i % 3, score=i - i % 3
        )
    for comment, value in ((made[0], 1), (made[1], -1), (made[4], 1)):
        CommentVote.objects.create(comment=comment, user=reader, value=value)
    return {
        "proposal": proposal,
        "reader": reader,
        "author": author,
        "moderator": make_moderator(proposal.city),
        "votes": {made[0].pk: 1, made[1].pk: -1, made[4].pk: 1},
        "mine": mine,
    }


@pytest.mark.parametrize(
    "viewer", ["anonymous", "reader", "author", "moderator", "proposal_author"]
)
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("closed", [False, True])
def test_the_thread_reads_as_each_comment_rendered_alone(
    viewer: str, language: str, closed: bool
) -> None:
    data = _busy_thread()
    proposal = data["proposal"]
    if closed:  # hidden by moderation: the conversation is paused
        Proposal.objects.filter(pk=proposal.pk).update(hidden_at=timezone.now())
        proposal.refresh_from_db()
    user = {
        "anonymous": AnonymousUser(),
        "proposal_author": proposal.author,
    }.get(viewer) or data[viewer]
    with translation.override(language):
        thread = _thread_html(proposal, user)
        alone = _alone_html(proposal, user)
    assert alone in thread
    assert str(987650123456789) not in thread  # every placeholder stamped over


def test_each_comment_carries_its_own_id_in_its_forms() -> None:
    data = _busy_thread()
    proposal = data["proposal"]
    html = _thread_html(proposal, data["reader"])
    ids = list(
        Comment.objects.filter(
            proposal=proposal, hidden_at__isnull=True, deleted_at__isnull=True
        ).values_list("pk", flat=True)
    )
    assert len(ids) >= 15
    for pk in ids:
        card = _card(html, pk)
        # reply form: posts to the proposal with this comment as parent
        assert f'action="/proposals/{proposal.pk}/comments/"' in card
        assert f'data-parent-id="{pk}"' in card
        assert f'<input type="hidden" name="parent" value="{pk}">' in card
        assert f'<label for="comment-body-{pk}">' in card
        assert f'<textarea id="comment-body-{pk}"' in card
        assert f'aria-describedby="comment-help-{pk}"' in card
        assert f'id="comment-help-{pk}"' in card
        assert f'id="comment-errors-{pk}"' in card
        # report form
        assert f'action="/comments/{pk}/flag/"' in card
        assert f'<label for="flag-{pk}-reason">' in card
        assert f'<select id="flag-{pk}-reason"' in card
        assert f'<label for="flag-{pk}-text">' in card
        assert f'<textarea id="flag-{pk}-text"' in card
        # votes: this comment's URL, counts and the reader's own vote
        comment = Comment.objects.get(pk=pk)
        assert f'action="/comments/{pk}/vote/"' in card
        assert f">{comment.score}</span>" in card
        assert f"Score: {comment.upvotes} up, {comment.downvotes} down" in card
        vote = data["votes"].get(pk, 0)
        up = "true" if vote == 1 else "false"
        down = "true" if vote == -1 else "false"
        assert f'class="vote-button vote-up" aria-pressed="{up}"' in card
        assert f'class="vote-button vote-down" aria-pressed="{down}"' in card
        # and no other comment's id leaked into it
        others = set(re.findall(r"(?:comment-body-|flag-|/comments/)(\d+)", card))
        assert others == {str(pk)}, (pk, others)


def test_own_comments_keep_their_edit_and_delete_forms() -> None:
    data = _busy_thread()
    mine = data["mine"]
    card = _card(_thread_html(data["proposal"], data["author"]), mine.pk)
    assert f'href="/comments/{mine.pk}/edit/"' in card
    assert f'action="/comments/{mine.pk}/delete/"' in card
    assert "comment-flag" not in card and "vote-form" not in card


def test_thread_rendering_costs_the_same_queries_for_few_and_many_comments() -> None:
    def queries(n: int) -> int:
        proposal = ProposalFactory()
        thread_of(proposal, n)
        reader = UserFactory()
        _thread_html(proposal, reader)  # the reader's roles, read once per request
        reader = type(reader).objects.get(pk=reader.pk)
        with CaptureQueriesContext(connection) as ctx:
            html = _thread_html(proposal, reader)
        assert html.count("<article") == n
        return len(ctx.captured_queries)

    assert queries(3) == queries(25)


def test_a_shared_fragment_cannot_read_a_field_it_did_not_declare() -> None:
    node = _StandIn("node", mine=False, comment=_StandIn("comment", pk=1))
    assert node.comment.pk == 1
    with pytest.raises(TemplateSyntaxError, match="body_html"):
        Template("{{ node.comment.body_html }}").render(Context({"node": node}))


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    "when",
    [
        timedelta(seconds=20),
        timedelta(minutes=7),
        timedelta(hours=3, minutes=5),
        timedelta(days=40),
        timedelta(days=800),
    ],
)
def test_moment_reads_as_the_date_filters_did(language: str, when: timedelta) -> None:
    value: datetime = timezone.now() - when
    filters = Template(
        "{% load conversation %}{{ d|date:'c' }}|{{ d|date:'j M Y, H:i' }}|{{ d|ago }}"
    )
    together = Template(
        "{% load conversation %}{% with when=d|moment %}"
        "{{ when.iso }}|{{ when.title }}|{{ when.ago }}{% endwith %}"
    )
    with translation.override(language):
        expected = filters.render(Context({"d": value}))
        assert together.render(Context({"d": value})) == expected
    assert moment(None) == {"iso": "", "title": "", "ago": ""}
