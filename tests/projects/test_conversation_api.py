"""The conversation API: comment tree and writes, votes, supports, follows, flags,
moderation, rate limits answered 429, sanitised output and fixed query counts."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import (
    Comment,
    CommentVote,
    Flag,
    FlagState,
    Follow,
    Proposal,
    Support,
)
from projects.services.conversation import comment_create
from stakeholders.models import AuditEvent, MembershipRole, Notification, UserKind
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.projects.conversation_factories import (
    CommentFactory,
    make_moderator,
    thread_of,
)
from tests.projects.factories import ProposalFactory, api_client

pytestmark = pytest.mark.django_db


def _comments_url(proposal: Proposal, query: str = "") -> str:
    return f"/api/v1/proposals/{proposal.pk}/comments/{query}"


def _state(proposal: Proposal) -> dict[str, Any]:
    proposal.refresh_from_db()
    return {
        "comments": list(Comment.objects.values_list("pk", "body", "deleted_at")),
        "votes": list(CommentVote.objects.values_list("pk", "value")),
        "supports": Support.objects.count(),
        "flags": list(Flag.objects.values_list("pk", "state")),
        "counts": (
            proposal.comment_count,
            proposal.resident_support_count,
            proposal.organisation_support_count,
        ),
    }


# --- comments -----------------------------------------------------------------------


def test_anyone_reads_the_tree_with_replies_nested() -> None:
    proposal = ProposalFactory()
    root = CommentFactory(proposal=proposal)
    reply = CommentFactory(proposal=proposal, parent=root)

    response = api_client().get(_comments_url(proposal))

    assert response.status_code == 200
    (first,) = response.json()["results"]
    assert first["id"] == root.pk and first["author"]["name"]
    assert first["body"] is None  # the source only for its author
    assert [r["id"] for r in first["replies"]] == [reply.pk]
    assert first["replies"][0]["parent"] == root.pk


def test_post_comment_and_reply() -> None:
    proposal = ProposalFactory()
    person = UserFactory()
    client = api_client(person)

    made = client.post(_comments_url(proposal), {"body": "Who *pays*?"}, format="json")
    reply = client.post(
        _comments_url(proposal),
        {"body": "The utility.", "parent": made.json()["id"]},
        format="json",
    )

    assert made.status_code == 201, made.json()
    assert made.json()["body_html"].strip() == "<p>Who <em>pays</em>?</p>"
    assert made.json()["body"] == "Who *pays*?" and made.json()["can_edit"]
    assert reply.status_code == 201
    assert reply.json()["parent"] == made.json()["id"]
    proposal.refresh_from_db()
    assert proposal.comment_count == 2
    assert Follow.objects.filter(user=person, proposal=proposal).exists()


def test_lead_organisation_member_posts_an_official_answer() -> None:
    proposal = ProposalFactory()
    member = MembershipFactory(organisation=proposal.lead_organisation).user
    response = api_client(member).post(
        _comments_url(proposal), {"body": "We answer."}, format="json"
    )
    resident = api_client(UserFactory()).post(
        _comments_url(proposal), {"body": "I ask."}, format="json"
    )
    assert response.json()["is_official"] is True
    assert resident.json()["is_official"] is False


class _Tags(HTMLParser):
    """Collects the tags and attributes a browser would build from some HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def assert_inert(html: str) -> None:
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag not in ("script", "iframe", "img", "object", "embed"), html
        for name, value in attrs:
            assert not name.startswith("on"), html
            assert not (value or "").strip().lower().startswith("javascript:"), html


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert('x')</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        '<p onclick="alert(1)">hi</p>',
    ],
)
def test_markup_is_inert_in_body_html_and_the_api(body: str) -> None:
    proposal = ProposalFactory()
    author = UserFactory()
    made = api_client(author).post(
        _comments_url(proposal), {"body": body}, format="json"
    )
    assert made.status_code == 201

    assert_inert(Comment.objects.get().body_html)
    assert_inert(made.json()["body_html"])
    public = api_client().get(_comments_url(proposal))
    assert "<script" not in public.content.decode()
    (node,) = public.json()["results"]
    assert_inert(node["body_html"])
    assert node["body"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [("", "body"), ("   \n ", "body"), ("x" * 50_000, "body"), (None, "body")],
)
def test_bad_comment_is_refused_and_nothing_changes(body: Any, field: str) -> None:
    proposal = ProposalFactory()
    before = _state(proposal)
    response = api_client(UserFactory()).post(
        _comments_url(proposal), {"body": body}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert _state(proposal) == before


def test_oversize_comment_says_the_limit() -> None:
    response = api_client(UserFactory()).post(
        _comments_url(ProposalFactory()), {"body": "x" * 50_000}, format="json"
    )
    assert "10,000" in response.json()["body"][0]


def test_reply_to_a_comment_of_another_proposal_is_refused() -> None:
    proposal = ProposalFactory()
    elsewhere = CommentFactory()
    before = _state(proposal)
    response = api_client(UserFactory()).post(
        _comments_url(proposal), {"body": "hi", "parent": elsewhere.pk}, format="json"
    )
    assert response.status_code == 400
    assert "parent" in response.json()
    assert _state(proposal) == before


def test_unknown_parent_and_unknown_proposal() -> None:
    proposal = ProposalFactory()
    client = api_client(UserFactory())
    unknown_parent = client.post(
        _comments_url(proposal), {"body": "hi", "parent": 999999}, format="json"
    )
    assert unknown_parent.status_code == 400
    assert "parent" in unknown_parent.json()
    assert client.get("/api/v1/proposals/999999/comments/").status_code == 404
    assert (
        client.post(
            "/api/v1/proposals/999999/comments/", {"body": "x"}, format="json"
        ).status_code
        == 404
    )


def test_bad_sort_is_a_field_error() -> None:
    response = api_client().get(_comments_url(ProposalFactory(), "?sort=random"))
    assert response.status_code == 400
    assert "sort" in response.json()


def test_edit_within_15_minutes_then_refused() -> None:
    proposal = ProposalFactory()
    author = UserFactory()
    client = api_client(author)
    with time_machine.travel("2030-05-01 10:00:00+00:00", tick=False) as traveller:
        comment = comment_create(actor=author, proposal=proposal, body="first")
        traveller.move_to("2030-05-01 10:14:00+00:00")
        edited = client.patch(
            f"/api/v1/comments/{comment.pk}/", {"body": "second"}, format="json"
        )
        assert edited.status_code == 200
        assert edited.json()["edited_at"] is not None
        assert edited.json()["body_html"].strip() == "<p>second</p>"
        traveller.move_to("2030-05-01 10:16:00+00:00")
        late = client.patch(
            f"/api/v1/comments/{comment.pk}/", {"body": "third"}, format="json"
        )
    assert late.status_code == 400
    assert "15 minutes" in str(late.json())
    comment.refresh_from_db()
    assert comment.body == "second"


def test_only_the_author_edits_or_deletes() -> None:
    comment = CommentFactory(body="mine")
    client = api_client(UserFactory())
    assert (
        client.patch(
            f"/api/v1/comments/{comment.pk}/", {"body": "yours"}, format="json"
        ).status_code
        == 403
    )
    assert client.delete(f"/api/v1/comments/{comment.pk}/").status_code == 403
    comment.refresh_from_db()
    assert comment.body == "mine" and comment.deleted_at is None


def test_delete_with_replies_keeps_comment_deleted() -> None:
    proposal = ProposalFactory()
    author = UserFactory()
    root = comment_create(actor=author, proposal=proposal, body="root words")
    comment_create(actor=UserFactory(), proposal=proposal, body="reply", parent=root)
    lonely = comment_create(actor=author, proposal=proposal, body="lonely")
    client = api_client(author)

    assert client.delete(f"/api/v1/comments/{root.pk}/").status_code == 204
    assert client.delete(f"/api/v1/comments/{lonely.pk}/").status_code == 204

    assert not Comment.objects.filter(pk=lonely.pk).exists()
    root.refresh_from_db()
    assert root.deleted_at is not None and root.body == ""
    (node,) = api_client().get(_comments_url(proposal)).json()["results"]
    assert node["deleted"] and node["placeholder"]
    assert node["author"] is None and node["body_html"] == ""
    assert len(node["replies"]) == 1
    assert client.get(f"/api/v1/comments/{root.pk}/").status_code == 404
    proposal.refresh_from_db()
    assert proposal.comment_count == 1


# --- votes ----------------------------------------------------------------------------


def test_votes_count_and_change() -> None:
    comment = CommentFactory()
    voters = [api_client(UserFactory()) for _ in range(3)]
    url = f"/api/v1/comments/{comment.pk}/vote/"
    voters[0].post(url, {"value": 1}, format="json")
    voters[1].post(url, {"value": 1}, format="json")
    last = voters[2].post(url, {"value": -1}, format="json")
    assert last.json() == {
        "id": comment.pk,
        "upvotes": 2,
        "downvotes": 1,
        "score": 1,
        "my_vote": -1,
    }
    changed = voters[0].post(url, {"value": 0}, format="json").json()
    assert (changed["upvotes"], changed["score"]) == (1, 0)
    assert CommentVote.objects.count() == 2


def test_vote_on_own_comment_and_bad_value_refused() -> None:
    author = UserFactory()
    comment = CommentFactory(author=author)
    url = f"/api/v1/comments/{comment.pk}/vote/"
    own = api_client(author).post(url, {"value": 1}, format="json")
    bad = api_client(UserFactory()).post(url, {"value": 5}, format="json")
    assert own.status_code == 400 and "own comment" in str(own.json())
    assert bad.status_code == 400 and "value" in bad.json()
    comment.refresh_from_db()
    assert (comment.upvotes, CommentVote.objects.count()) == (0, 0)


# --- supports and follows ---------------------------------------------------------------


def test_supports_counted_apart_and_once() -> None:
    proposal = ProposalFactory()
    url = f"/api/v1/proposals/{proposal.pk}/support/"
    resident = UserFactory(kind=UserKind.RESIDENT)
    investor = UserFactory(kind=UserKind.INVESTOR)
    MembershipFactory(user=investor, organisation=OrganisationFactory())

    first = api_client(resident).post(url)
    second = api_client(investor).post(url)
    again = api_client(resident).post(url)

    assert first.status_code == 201
    assert second.json() == {
        "proposal": proposal.pk,
        "supported": True,
        "resident_support_count": 1,
        "organisation_support_count": 1,
        "support_count": 2,
    }
    assert again.status_code == 400 and "already" in str(again.json())
    assert Support.objects.count() == 2
    assert Follow.objects.filter(user=resident, proposal=proposal).exists()

    taken_back = api_client(resident).delete(url)
    assert taken_back.status_code == 200
    assert taken_back.json()["resident_support_count"] == 0
    assert taken_back.json()["supported"] is False
    assert api_client(resident).delete(url).status_code == 400


def test_follow_and_unfollow() -> None:
    proposal = ProposalFactory()
    person = UserFactory()
    url = f"/api/v1/proposals/{proposal.pk}/follow/"
    assert api_client(person).post(url).json()["following"] is True
    assert api_client(person).post(url).status_code == 200
    assert Follow.objects.filter(user=person, proposal=proposal).count() == 1
    assert api_client(person).delete(url).json()["following"] is False
    assert not Follow.objects.filter(user=person, proposal=proposal).exists()
    assert api_client().post(url).status_code == 401


def test_draft_is_invisible_to_others() -> None:
    draft = ProposalFactory(status="draft", submitted_at=None)
    client = api_client(UserFactory())
    assert client.get(_comments_url(draft)).status_code == 404
    assert client.post(f"/api/v1/proposals/{draft.pk}/support/").status_code == 404
    assert client.post(f"/api/v1/proposals/{draft.pk}/follow/").status_code == 404


# --- flags and moderation ---------------------------------------------------------------


def test_three_flags_hide_and_the_author_is_told(
    django_capture_on_commit_callbacks: Any,
) -> None:
    author = UserFactory()
    comment = CommentFactory(author=author, body="rude words")
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = api_client(UserFactory()).post(
                "/api/v1/flags/", {"comment": comment.pk, "reason": "offensive"}
            )
        assert response.status_code == 201
    comment.refresh_from_db()
    assert comment.hidden_at is not None and comment.open_flag_count == 3
    assert Notification.objects.filter(recipient=author, kind="hidden").count() == 1
    public = api_client(UserFactory()).get(_comments_url(comment.proposal)).json()
    assert public["results"] == []
    assert api_client().get(f"/api/v1/comments/{comment.pk}/").status_code == 404
    mine = api_client(author).get(f"/api/v1/comments/{comment.pk}/").json()
    assert mine["hidden"] is True and mine["hidden_reason"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"reason": "spam"}, "non_field_errors"),
        ({"comment": 1, "proposal": 1, "reason": "spam"}, "non_field_errors"),
        ({"comment": 999999, "reason": "spam"}, "comment"),
        ({"proposal": 999999, "reason": "spam"}, "proposal"),
        ({"comment": "self", "reason": "rudeness"}, "reason"),
        ({"comment": "self", "reason": "other", "text": ""}, "text"),
    ],
)
def test_bad_flags_are_refused(payload: dict[str, Any], field: str) -> None:
    comment = CommentFactory()
    payload = {k: (comment.pk if v == "self" else v) for k, v in payload.items()}
    response = api_client(UserFactory()).post("/api/v1/flags/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Flag.objects.count() == 0


def test_flag_own_content_refused() -> None:
    author = UserFactory()
    comment = CommentFactory(author=author)
    proposal = ProposalFactory(author=author)
    client = api_client(author)
    for payload in ({"comment": comment.pk}, {"proposal": proposal.pk}):
        response = client.post("/api/v1/flags/", {**payload, "reason": "spam"})
        assert response.status_code == 400
        assert "own content" in str(response.json())
    assert Flag.objects.count() == 0


def test_moderator_sees_queue_and_decides_with_audit() -> None:
    comment = CommentFactory(body="rude words")
    city = comment.proposal.city
    moderator = make_moderator(city)
    for _ in range(3):
        api_client(UserFactory()).post(
            "/api/v1/flags/", {"comment": comment.pk, "reason": "spam"}
        )
    client = api_client(moderator)

    queue = client.get(f"/api/v1/moderation/queue/?city={city.slug}")
    assert queue.status_code == 200
    (item,) = queue.json()["results"]
    assert item["kind"] == "comment" and item["id"] == comment.pk
    assert item["proposal"]["id"] == comment.proposal_id
    assert len(item["open_flags"]) == 3 and item["content"]["hidden_at"]
    assert "rude words" in item["content"]["text_html"]
    # The moderator also reads the hidden comment in the thread.
    thread = client.get(_comments_url(comment.proposal)).json()["results"]
    assert thread[0]["id"] == comment.pk and thread[0]["hidden"]

    restore = client.post(
        "/api/v1/moderation/decisions/",
        {"comment": comment.pk, "action": "restore", "reason": "Fair criticism."},
    )
    assert restore.status_code == 200, restore.json()
    assert restore.json()["hidden"] is False
    comment.refresh_from_db()
    assert comment.hidden_at is None and comment.open_flag_count == 0
    assert set(Flag.objects.values_list("state", flat=True)) == {FlagState.DISMISSED}
    assert (
        client.get(f"/api/v1/moderation/queue/?city={city.slug}").json()["results"]
        == []
    )

    api_client(UserFactory()).post(
        "/api/v1/flags/", {"comment": comment.pk, "reason": "spam"}
    )
    hide = client.post(
        "/api/v1/moderation/decisions/",
        {"comment": comment.pk, "action": "hide", "reason": "Spam after all."},
    )
    assert hide.json()["hidden"] is True
    item = client.get("/api/v1/moderation/queue/").json()
    assert item["results"] == []
    actions = list(
        AuditEvent.objects.filter(target_id=str(comment.pk)).values_list(
            "action", "reason", "actor_id"
        )
    )
    assert ("moderation.restore", "Fair criticism.", moderator.pk) in actions
    assert ("moderation.hide", "Spam after all.", moderator.pk) in actions


def test_queue_shows_history_of_past_decisions() -> None:
    comment = CommentFactory()
    moderator = make_moderator(comment.proposal.city)
    client = api_client(moderator)
    api_client(UserFactory()).post(
        "/api/v1/flags/", {"comment": comment.pk, "reason": "spam"}
    )
    client.post(
        "/api/v1/moderation/decisions/",
        {"comment": comment.pk, "action": "dismiss", "reason": "Not spam."},
    )
    api_client(UserFactory()).post(
        "/api/v1/flags/", {"comment": comment.pk, "reason": "off_topic"}
    )
    (item,) = client.get("/api/v1/moderation/queue/").json()["results"]
    assert [h["action"] for h in item["history"]] == ["moderation.dismiss"]
    assert item["past_flags"][0]["decision_reason"] == "Not spam."
    assert item["open_flags"][0]["reason"] == "off_topic"


def test_moderator_of_another_city_is_refused_and_nothing_changes() -> None:
    comment = CommentFactory(hidden_at=timezone.now(), hidden_reason="flags")
    Flag.objects.create(
        reporter=UserFactory(),
        comment=comment,
        city=comment.proposal.city,
        reason="spam",
    )
    Comment.objects.filter(pk=comment.pk).update(open_flag_count=1)
    other = make_moderator(ProposalFactory().city)
    client = api_client(other)

    queue = client.get(f"/api/v1/moderation/queue/?city={comment.proposal.city.slug}")
    decision = client.post(
        "/api/v1/moderation/decisions/",
        {"comment": comment.pk, "action": "restore", "reason": "Looks fine."},
    )
    assert queue.status_code == 403
    assert decision.status_code == 403
    comment.refresh_from_db()
    assert comment.hidden_at is not None and comment.open_flag_count == 1
    assert Flag.objects.get().state == FlagState.OPEN
    assert not AuditEvent.objects.filter(action__startswith="moderation.").exists()


def test_decision_needs_a_reason_and_a_known_target() -> None:
    comment = CommentFactory()
    client = api_client(make_moderator(comment.proposal.city))
    no_reason = client.post(
        "/api/v1/moderation/decisions/",
        {"comment": comment.pk, "action": "hide", "reason": " "},
    )
    unknown = client.post(
        "/api/v1/moderation/decisions/",
        {"comment": 999999, "action": "hide", "reason": "x"},
    )
    bad_action = client.post(
        "/api/v1/moderation/decisions/",
        {"comment": comment.pk, "action": "delete", "reason": "x"},
    )
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    assert unknown.status_code == 400 and "comment" in unknown.json()
    assert bad_action.status_code == 400 and "action" in bad_action.json()
    comment.refresh_from_db()
    assert comment.hidden_at is None


# --- rate limits --------------------------------------------------------------------------


def test_sixth_comment_in_a_minute_answers_429_with_retry_time() -> None:
    proposal = ProposalFactory()
    client = api_client(UserFactory())
    with time_machine.travel("2030-05-01 10:00:05+00:00", tick=False):
        for i in range(5):
            made = client.post(_comments_url(proposal), {"body": f"n{i}"})
            assert made.status_code == 201
        refused = client.post(_comments_url(proposal), {"body": "sixth"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "55"
    assert "Try again in 55 seconds" in refused.json()["detail"]
    assert Comment.objects.count() == 5


def test_thirty_first_flag_in_a_day_answers_429() -> None:
    reporter = UserFactory()
    client = api_client(reporter)
    comments = [CommentFactory() for _ in range(31)]
    with time_machine.travel("2030-05-01 10:00:00+00:00", tick=False):
        for c in comments[:30]:
            ok = client.post("/api/v1/flags/", {"comment": c.pk, "reason": "spam"})
            assert ok.status_code == 201
        refused = client.post(
            "/api/v1/flags/", {"comment": comments[30].pk, "reason": "spam"}
        )
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 14 * 3600
    assert "14 hours" in refused.json()["detail"]
    assert Flag.objects.count() == 30


# --- query counts ---------------------------------------------------------------------------


def _api_queries(size: int, viewer: Any) -> int:
    proposal = ProposalFactory()
    comments = thread_of(proposal, size)
    for c in comments[:: max(1, size // 10)]:
        CommentVote.objects.create(comment=c, user=viewer, value=1)
    client = api_client(viewer)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(_comments_url(proposal, "?sort=best&page_size=100"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_comments_api_costs_the_same_queries_for_2_and_200_comments() -> None:
    viewer = UserFactory()
    assert _api_queries(2, viewer) == _api_queries(200, viewer)


def test_org_admin_role_does_not_change_comment_rights() -> None:
    proposal = ProposalFactory()
    admin = MembershipFactory(role=MembershipRole.ADMIN).user
    made = api_client(admin).post(_comments_url(proposal), {"body": "hello"})
    assert made.status_code == 201 and made.json()["is_official"] is False
