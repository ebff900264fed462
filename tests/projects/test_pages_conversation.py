"""The conversation on the pages: the thread (through the template tag and the
conversation page), posting, replying, editing, deleting and voting, without
script (POST, redirect to ``#comment-<id>``) and with it (``X-Requested-With:
fetch`` answers with the fragment to swap in). Every refusal says why and leaves
the database unchanged."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import Comment, CommentVote, Follow, Proposal
from projects.services import conversation as services
from stakeholders.models import CityRoleKind
from tests.factories import CityRoleFactory, UserFactory, give_totp
from tests.projects.factories import DraftFactory, ProposalFactory

pytestmark = pytest.mark.django_db

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def _state() -> dict[str, Any]:
    """Every conversation row and counter, to assert a refusal changed nothing."""
    return {
        "comments": list(
            Comment.objects.order_by("pk").values_list(
                "pk", "body", "edited_at", "deleted_at", "score", "reply_count"
            )
        ),
        "votes": list(CommentVote.objects.order_by("pk").values_list("pk", "value")),
        "counts": list(
            Proposal.objects.order_by("pk").values_list("pk", "comment_count")
        ),
        "follows": Follow.objects.count(),
    }


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _moderator(city: Any) -> Any:
    person = UserFactory()
    CityRoleFactory(user=person, city=city, role=CityRoleKind.MODERATOR)
    give_totp(person)
    return person


def _render_tag(proposal: Proposal, user: Any, query: str = "") -> str:
    request = RequestFactory().get(f"/proposals/{proposal.pk}/{query}")
    request.user = user
    template = Template("{% load conversation %}{% proposal_conversation proposal %}")
    return template.render(Context({"proposal": proposal, "request": request}))


# --- the thread -------------------------------------------------------------------------


def test_thread_shows_authors_official_badge_edited_mark_and_replies(
    client: Client,
) -> None:
    proposal = ProposalFactory()
    resident = UserFactory(display_name="Rosa Resident")
    question = services.comment_create(
        actor=resident, proposal=proposal, body="Who maintains the **panels**?"
    )
    services.comment_edit(
        actor=resident, comment=question, body="Who maintains the **panels**, then?"
    )
    services.comment_create(
        actor=proposal.author, proposal=proposal, body="We do.", parent=question
    )
    html = client.get(f"/proposals/{proposal.pk}/conversation/").content.decode()
    assert "Rosa Resident" in html
    assert "<strong>panels</strong>, then?" in html
    assert "edited" in html
    assert "Official answer" in html
    assert f'id="replies-{question.pk}"' in html
    assert "Sign in to comment" in html
    assert 'name="body"' not in html  # no form for anonymous readers


def test_tag_renders_the_thread_with_the_comment_form_for_members() -> None:
    proposal = ProposalFactory()
    services.comment_create(actor=UserFactory(), proposal=proposal, body="First!")
    html = _render_tag(proposal, UserFactory())
    assert "First!" in html
    assert f'action="/proposals/{proposal.pk}/comments/"' in html
    assert "Sign in to comment" not in html


def test_sorting_oldest_newest_best() -> None:
    proposal = ProposalFactory()
    voters = [UserFactory() for _ in range(2)]
    old = services.comment_create(actor=UserFactory(), proposal=proposal, body="old")
    Comment.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=2)
    )
    services.comment_create(actor=UserFactory(), proposal=proposal, body="new")
    liked = services.comment_create(
        actor=UserFactory(), proposal=proposal, body="liked"
    )
    Comment.objects.filter(pk=liked.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    for voter in voters:
        services.comment_vote(actor=voter, comment=liked, value=1)

    def order(sort: str) -> list[str]:
        html = _render_tag(proposal, UserFactory(), f"?sort={sort}")
        return sorted(
            ("old", "new", "liked"), key=lambda word: html.index(f"<p>{word}</p>")
        )

    assert order("oldest") == ["old", "liked", "new"]
    assert order("newest") == ["new", "liked", "old"]
    assert order("best") == ["liked", "old", "new"]
    assert order("nonsense") == order("oldest")


def test_deleted_comment_with_replies_stays_as_a_placeholder(client: Client) -> None:
    proposal = ProposalFactory()
    author = UserFactory(display_name="Gone Soon")
    parent = services.comment_create(actor=author, proposal=proposal, body="Secret")
    services.comment_create(
        actor=UserFactory(), proposal=proposal, body="An answer", parent=parent
    )
    services.comment_delete(actor=author, comment=parent)
    html = client.get(f"/proposals/{proposal.pk}/conversation/").content.decode()
    assert "Comment deleted" in html
    assert "Secret" not in html and "Gone Soon" not in html
    assert "An answer" in html


def test_hidden_comment_is_seen_only_by_its_author_and_moderators(
    client: Client,
) -> None:
    proposal = ProposalFactory()
    author = UserFactory()
    comment = services.comment_create(
        actor=author, proposal=proposal, body="Rude words here"
    )
    moderator = _moderator(proposal.city)
    services.moderation_decide(
        actor=moderator, action="hide", reason="Insults a neighbour.", comment=comment
    )
    url = f"/proposals/{proposal.pk}/conversation/"
    assert "Rude words here" not in client.get(url).content.decode()
    client.force_login(UserFactory())
    assert "Rude words here" not in client.get(url).content.decode()
    client.force_login(author)
    html = client.get(url).content.decode()
    assert "Rude words here" in html
    assert "Hidden by moderation." in html and "Insults a neighbour." in html
    assert "Only you and the moderators see it." in html
    client.force_login(moderator)
    html = client.get(url).content.decode()
    assert "Rude words here" in html
    assert "Only its author and the moderators see it." in html


def test_markdown_with_script_is_escaped_in_the_thread(client: Client) -> None:
    proposal = ProposalFactory()
    services.comment_create(
        actor=UserFactory(),
        proposal=proposal,
        body='<script>alert(1)</script> <img src=x onerror="alert(2)">',
    )
    html = client.get(f"/proposals/{proposal.pk}/conversation/").content.decode()
    body = html.split('class="prose comment-body">')[1].split("</div>")[0]
    assert "<script" not in body and "<img" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body  # shown as text


@pytest.mark.parametrize("path", ["tag", "page"])
def test_thread_costs_the_same_queries_for_2_and_200_comments(path: str) -> None:
    viewer = UserFactory()

    def build(n: int) -> Proposal:
        proposal = ProposalFactory()
        people = [UserFactory() for _ in range(4)]
        parents: list[Comment] = []
        rows = []
        for i in range(n):
            parent = parents[i % len(parents)] if parents and i % 3 else None
            rows.append(
                Comment(
                    proposal=proposal,
                    parent=parent,
                    depth=parent.depth + 1 if parent else 1,
                    author=people[i % 4],
                    body=f"comment {i}",
                    body_html=f"<p>comment {i}</p>",
                    is_official=i % 7 == 0,
                    edited_at=timezone.now() if i % 5 == 0 else None,
                )
            )
            if parent is None:
                rows[-1].save()
                parents.append(rows[-1])
        Comment.objects.bulk_create([r for r in rows if r.pk is None])
        for comment in Comment.objects.filter(proposal=proposal)[:n:3]:
            CommentVote.objects.create(comment=comment, user=viewer, value=1)
        return proposal

    small, big = build(2), build(200)
    client = Client()
    client.force_login(viewer)

    def count(proposal: Proposal) -> int:
        user = UserFactory._meta.model.objects.get(pk=viewer.pk)
        with CaptureQueriesContext(connection) as ctx:
            if path == "tag":
                html = _render_tag(proposal, user)
            else:
                response = client.get(f"/proposals/{proposal.pk}/conversation/")
                assert response.status_code == 200
                html = response.content.decode()
        assert "comment 1<" in html
        return len(ctx)

    assert count(small) == count(big)


# --- posting -------------------------------------------------------------------------------


def test_post_a_comment_without_script_redirects_to_it(client: Client) -> None:
    proposal = ProposalFactory()
    client.force_login(UserFactory())
    response = client.post(
        f"/proposals/{proposal.pk}/comments/", {"body": "I like the *idea*."}
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/proposals/{proposal.pk}/#comment-{comment.pk}"
    assert comment.body_html.strip() == "<p>I like the <em>idea</em>.</p>"


def test_post_with_fetch_answers_with_the_new_comment_fragment(client: Client) -> None:
    proposal = ProposalFactory()
    client.force_login(UserFactory(display_name="Fetcher"))
    response = client.post(
        f"/proposals/{proposal.pk}/comments/", {"body": "In place"}, **FETCH
    )
    comment = Comment.objects.get()
    html = response.content.decode()
    assert response.status_code == 201
    assert html.startswith('<li class="comment is-new"')
    assert f'id="comment-{comment.pk}"' in html
    assert 'data-announce="Comment posted"' in html
    assert 'data-count-label="1 comment"' in html
    assert "Fetcher" in html and "<p>In place</p>" in html
    assert "<html" not in html


def test_reply_with_fetch_names_its_parent(client: Client) -> None:
    proposal = ProposalFactory()
    parent = services.comment_create(actor=UserFactory(), proposal=proposal, body="Q")
    client.force_login(UserFactory())
    response = client.post(
        f"/proposals/{proposal.pk}/comments/",
        {"body": "A", "parent": parent.pk},
        **FETCH,
    )
    assert response.status_code == 201
    assert f'data-parent-id="{parent.pk}"' in response.content.decode()
    parent.refresh_from_db()
    assert parent.reply_count == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("   ", "Write something before posting."),
        ("x" * 10_001, "Comments are limited to 10,000 characters"),
    ],
)
def test_empty_or_too_long_comment_is_refused_next_to_the_form(
    client: Client, body: str, message: str
) -> None:
    proposal = ProposalFactory()
    client.force_login(UserFactory())
    before = _state()
    page = client.post(f"/proposals/{proposal.pk}/comments/", {"body": body})
    assert page.status_code == 400
    assert message in page.content.decode()
    assert "Your comment was not posted" in page.content.decode()
    fragment = client.post(
        f"/proposals/{proposal.pk}/comments/", {"body": body}, **FETCH
    )
    assert fragment.status_code == 400
    html = fragment.content.decode()
    assert html.startswith("<form") and message in html and 'role="alert"' in html
    assert _state() == before


def test_rate_limit_says_when_to_retry(client: Client) -> None:
    proposal = ProposalFactory()
    client.force_login(UserFactory())
    for i in range(5):
        client.post(f"/proposals/{proposal.pk}/comments/", {"body": f"n{i}"})
    before = _state()
    response = client.post(
        f"/proposals/{proposal.pk}/comments/", {"body": "one more"}, **FETCH
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "at most 5 comments a minute" in html and "Try again in" in html
    assert "one more" in html  # the text is kept
    assert _state() == before


def test_reply_to_a_comment_of_another_proposal_is_refused(client: Client) -> None:
    proposal, other = ProposalFactory(), ProposalFactory()
    foreign = services.comment_create(actor=UserFactory(), proposal=other, body="x")
    client.force_login(UserFactory())
    before = _state()
    response = client.post(
        f"/proposals/{proposal.pk}/comments/", {"body": "hi", "parent": foreign.pk}
    )
    assert response.status_code == 400
    assert "same proposal" in response.content.decode()
    assert _state() == before


def test_comments_on_a_draft_are_refused(client: Client) -> None:
    draft = DraftFactory()
    client.force_login(draft.author)
    before = _state()
    response = client.post(f"/proposals/{draft.pk}/comments/", {"body": "hi"})
    assert response.status_code == 400
    assert "Drafts cannot be discussed yet" in response.content.decode()
    assert _state() == before


def test_anonymous_post_goes_to_sign_in_and_unknown_proposal_is_404(
    client: Client,
) -> None:
    proposal = ProposalFactory()
    response = client.post(f"/proposals/{proposal.pk}/comments/", {"body": "hi"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory())
    assert client.post("/proposals/99999/comments/", {"body": "hi"}).status_code == 404
    draft = DraftFactory()
    assert (
        client.post(f"/proposals/{draft.pk}/comments/", {"body": "hi"}).status_code
        == 404
    )
    assert Comment.objects.count() == 0


# --- edit and delete -----------------------------------------------------------------------


def test_author_edits_within_fifteen_minutes(client: Client) -> None:
    author = UserFactory()
    comment = services.comment_create(
        actor=author, proposal=ProposalFactory(), body="tpyo"
    )
    client.force_login(author)
    assert "tpyo" in client.get(f"/comments/{comment.pk}/edit/").content.decode()
    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "typo"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    comment.refresh_from_db()
    assert comment.body == "typo" and comment.edited_at is not None


def test_edit_after_the_window_or_by_someone_else_is_refused(client: Client) -> None:
    author = UserFactory()
    comment = services.comment_create(
        actor=author, proposal=ProposalFactory(), body="old"
    )
    Comment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - timedelta(minutes=16)
    )
    before = _state()
    client.force_login(author)
    page = client.get(f"/comments/{comment.pk}/edit/").content.decode()
    assert "can no longer be changed" in page
    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "new"})
    assert response.status_code == 400
    assert "15 minutes" in response.content.decode()
    client.force_login(UserFactory())
    assert (
        client.post(f"/comments/{comment.pk}/edit/", {"body": "x"}).status_code == 403
    )
    assert _state() == before


def test_edit_to_empty_is_refused(client: Client) -> None:
    author = UserFactory()
    comment = services.comment_create(
        actor=author, proposal=ProposalFactory(), body="keep"
    )
    before = _state()
    client.force_login(author)
    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "  "})
    assert response.status_code == 400
    assert "Write something before posting." in response.content.decode()
    assert _state() == before


def test_author_deletes_and_others_cannot(client: Client) -> None:
    proposal = ProposalFactory()
    author = UserFactory()
    comment = services.comment_create(actor=author, proposal=proposal, body="bye")
    client.force_login(UserFactory())
    before = _state()
    response = client.post(f"/comments/{comment.pk}/delete/", follow=True)
    assert "You can only delete your own comments." in _messages(response)
    assert _state() == before
    client.force_login(author)
    assert client.get(f"/comments/{comment.pk}/delete/").status_code == 405
    response = client.post(f"/comments/{comment.pk}/delete/")
    assert response.status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()
    proposal.refresh_from_db()
    assert proposal.comment_count == 0


# --- votes -----------------------------------------------------------------------------------


def test_vote_up_then_take_it_back(client: Client) -> None:
    comment = services.comment_create(
        actor=UserFactory(), proposal=ProposalFactory(), body="good"
    )
    client.force_login(UserFactory())
    response = client.post(f"/comments/{comment.pk}/vote/", {"value": "1"}, **FETCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="vote-button vote-up" aria-pressed="true"' in html
    assert 'value="0"' in html  # pressing again takes the vote back
    assert 'data-announce="Vote recorded."' in html
    comment.refresh_from_db()
    assert comment.score == 1
    response = client.post(f"/comments/{comment.pk}/vote/", {"value": "0"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    comment.refresh_from_db()
    assert comment.score == 0 and CommentVote.objects.count() == 0


def test_voting_on_ones_own_comment_or_nonsense_is_refused(client: Client) -> None:
    author = UserFactory()
    comment = services.comment_create(
        actor=author, proposal=ProposalFactory(), body="mine"
    )
    before = _state()
    client.force_login(author)
    response = client.post(f"/comments/{comment.pk}/vote/", {"value": "1"}, **FETCH)
    assert response.status_code == 400
    assert "You cannot vote on your own comment." in response.content.decode()
    response = client.post(f"/comments/{comment.pk}/vote/", {"value": "1"}, follow=True)
    assert "You cannot vote on your own comment." in _messages(response)
    client.force_login(UserFactory())
    response = client.post(f"/comments/{comment.pk}/vote/", {"value": "7"}, **FETCH)
    assert response.status_code == 400
    assert _state() == before
    assert client.post("/comments/99999/vote/", {"value": "1"}).status_code == 404
