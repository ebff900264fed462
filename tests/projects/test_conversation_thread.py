"""The comment tree of a proposal: nesting, depth cap, sorts, placeholders, who
sees hidden comments, and a fixed number of queries whatever the thread's size."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import Comment, CommentVote
from projects.selectors_conversation import comment_thread, visible_comments
from projects.services.conversation import comment_create, comment_delete
from stakeholders.models import User
from tests.factories import UserFactory
from tests.projects.conversation_factories import (
    CommentFactory,
    make_moderator,
    thread_of,
)
from tests.projects.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def _ids(nodes: list) -> list[int]:  # type: ignore[type-arg]
    return [n.pk for n in nodes]


def test_replies_nest_under_their_parents() -> None:
    proposal = ProposalFactory()
    root = CommentFactory(proposal=proposal)
    reply = CommentFactory(proposal=proposal, parent=root)
    deeper = CommentFactory(proposal=proposal, parent=reply)
    other_root = CommentFactory(proposal=proposal)

    thread = comment_thread(user=UserFactory(), proposal=proposal)

    assert _ids(thread.nodes) == [root.pk, other_root.pk]
    assert _ids(thread.nodes[0].children) == [reply.pk]
    assert _ids(thread.nodes[0].children[0].children) == [deeper.pk]
    assert thread.count == 4


def test_reply_to_depth_three_comment_attaches_to_that_comment() -> None:
    proposal = ProposalFactory()
    people = UserFactory.create_batch(4)
    one = comment_create(actor=people[0], proposal=proposal, body="one")
    two = comment_create(actor=people[1], proposal=proposal, body="two", parent=one)
    three = comment_create(actor=people[2], proposal=proposal, body="3", parent=two)
    four = comment_create(actor=people[3], proposal=proposal, body="4", parent=three)

    assert (one.depth, two.depth, three.depth) == (1, 2, 3)
    assert four.parent_id == three.pk
    assert four.depth == 3
    thread = comment_thread(user=people[0], proposal=proposal)
    leaf = thread.nodes[0].children[0].children[0]
    assert leaf.pk == three.pk
    assert _ids(leaf.children) == [four.pk]
    assert leaf.children[0].children == []


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("oldest", [0, 1, 2]), ("newest", [2, 1, 0]), ("best", [1, 2, 0])],
)
def test_top_level_comments_follow_the_sort(sort: str, expected: list[int]) -> None:
    proposal = ProposalFactory()
    start = timezone.now() - timedelta(hours=3)
    roots = [
        CommentFactory(proposal=proposal, created_at=start + timedelta(minutes=i))
        for i in range(3)
    ]
    Comment.objects.filter(pk=roots[1].pk).update(score=5, upvotes=5)
    Comment.objects.filter(pk=roots[2].pk).update(score=2, upvotes=2)

    thread = comment_thread(user=UserFactory(), proposal=proposal, sort=sort)

    assert _ids(thread.nodes) == [roots[i].pk for i in expected]


def test_unknown_sort_falls_back_to_oldest() -> None:
    proposal = ProposalFactory()
    first, second = CommentFactory(proposal=proposal), CommentFactory(proposal=proposal)
    thread = comment_thread(user=None, proposal=proposal, sort="'; drop table")
    assert thread.sort == "oldest"
    assert _ids(thread.nodes) == [first.pk, second.pk]


def test_viewer_votes_and_own_comments_are_marked() -> None:
    proposal = ProposalFactory()
    viewer = UserFactory()
    theirs = CommentFactory(proposal=proposal)
    CommentFactory(proposal=proposal, author=viewer)
    CommentVote.objects.create(comment=theirs, user=viewer, value=-1)

    nodes = comment_thread(user=viewer, proposal=proposal).nodes

    assert (nodes[0].my_vote, nodes[0].mine, nodes[0].editable) == (-1, False, False)
    assert (nodes[1].my_vote, nodes[1].mine, nodes[1].editable) == (0, True, True)


def test_deleted_comment_with_replies_stays_as_placeholder() -> None:
    proposal = ProposalFactory()
    author = UserFactory()
    root = comment_create(actor=author, proposal=proposal, body="secret words")
    reply = comment_create(
        actor=UserFactory(), proposal=proposal, body="an answer", parent=root
    )
    comment_delete(actor=author, comment=root)

    thread = comment_thread(user=UserFactory(), proposal=proposal)

    node = thread.nodes[0]
    assert node.placeholder and node.deleted
    assert node.comment.body == "" and node.comment.author is None
    assert _ids(node.children) == [reply.pk]
    assert thread.count == 1


def test_deleted_comment_without_replies_is_gone() -> None:
    proposal = ProposalFactory()
    CommentFactory(proposal=proposal, deleted_at=timezone.now(), body="")
    assert comment_thread(user=None, proposal=proposal).nodes == []


def test_hidden_comment_seen_only_by_author_and_moderators() -> None:
    proposal = ProposalFactory()
    author = UserFactory()
    hidden = CommentFactory(
        proposal=proposal,
        author=author,
        body="rude words here",
        hidden_at=timezone.now(),
        hidden_reason="Offensive",
    )
    CommentFactory(proposal=proposal, body="a fine remark")
    moderator = make_moderator(proposal.city)
    other_city_moderator = make_moderator(ProposalFactory().city)

    for viewer in (None, UserFactory(), other_city_moderator):
        thread = comment_thread(user=viewer, proposal=proposal)
        assert hidden.pk not in _ids(list(thread.walk()))
        assert hidden.pk not in visible_comments(user=viewer, proposal=proposal)
    for viewer in (author, moderator):
        nodes = {n.pk: n for n in comment_thread(user=viewer, proposal=proposal).walk()}
        assert nodes[hidden.pk].hidden and not nodes[hidden.pk].placeholder
        assert nodes[hidden.pk].comment.body == "rude words here"
        assert (
            visible_comments(user=viewer, proposal=proposal)
            .filter(pk=hidden.pk)
            .exists()
        )


def test_hidden_comment_with_replies_is_an_empty_placeholder_for_others() -> None:
    proposal = ProposalFactory()
    hidden = CommentFactory(
        proposal=proposal, body="rude words here", hidden_at=timezone.now()
    )
    reply = CommentFactory(proposal=proposal, parent=hidden, body="calm down")

    node = comment_thread(user=UserFactory(), proposal=proposal).nodes[0]

    assert node.pk == hidden.pk and node.placeholder
    assert node.comment.body == "" and node.comment.body_html == ""
    assert node.comment.author is None
    assert _ids(node.children) == [reply.pk]


def _queries_for_thread(size: int, viewer: object) -> int:
    proposal = ProposalFactory()
    comments = thread_of(proposal, size)
    CommentFactory(proposal=proposal, hidden_at=timezone.now())
    CommentFactory(proposal=proposal, deleted_at=timezone.now(), body="")
    if viewer is not None:
        for c in comments[:: max(1, size // 10)]:
            CommentVote.objects.create(comment=c, user=viewer, value=1)  # type: ignore[misc]
    # A fresh user object, so the roles cached on it are loaded in both runs.
    fresh = User.objects.get(pk=viewer.pk) if viewer is not None else None  # type: ignore[attr-defined]
    with CaptureQueriesContext(connection) as ctx:
        thread = comment_thread(user=fresh, proposal=proposal, sort="best")
        list(thread.walk())
    assert thread.count >= size
    return len(ctx.captured_queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_thread_costs_the_same_queries_for_2_and_200_comments(signed_in: bool) -> None:
    viewer = UserFactory() if signed_in else None
    small = _queries_for_thread(2, viewer)
    large = _queries_for_thread(200, viewer)
    assert small == large
    assert large <= 4
