"""The conversation in a real browser: a comment carrying script and event
handlers shows as text and never runs, and with JavaScript a comment, a reply, a
vote and a support land in place without a page load (announced, focus moved)."""

from __future__ import annotations

from typing import Any

import pytest

from projects.models import Comment, Support
from projects.services import conversation as services
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.projects.factories import ProposalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOAD = '<script>window.__pwned=1</script> and <img src=x onerror="window.__pwned=1">'


def _sign_in(page: Any, live_server: Any, email: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("load")


def test_script_in_a_comment_does_not_run(live_server: Any, page: Any) -> None:
    proposal = ProposalFactory()
    person = UserFactory(email="curious@example.org")
    _sign_in(page, live_server, person.email)
    url = f"{live_server.url}/proposals/{proposal.pk}/conversation/"
    page.goto(url)
    page.fill("#comment-body-new", PAYLOAD)
    page.click("text=Post the comment")
    page.wait_for_selector(".comment.is-new")
    assert page.evaluate("typeof window.__pwned") == "undefined"

    page.goto(url)  # and as the server renders it for every reader
    body = page.inner_text(".comment-body")
    assert "<script>window.__pwned=1</script>" in body
    assert '<img src=x onerror="window.__pwned=1">' in body
    assert page.locator(".comment-body script, .comment-body img").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert Comment.objects.get().author == person


def test_comment_reply_vote_and_support_in_place(live_server: Any, page: Any) -> None:
    proposal = ProposalFactory()
    other = services.comment_create(
        actor=UserFactory(), proposal=proposal, body="Is the roof strong enough?"
    )
    person = UserFactory(email="reader@example.org", display_name="Rita Reader")
    _sign_in(page, live_server, person.email)
    page.goto(f"{live_server.url}/proposals/{proposal.pk}/conversation/")
    page.evaluate("window.__samePage = true")

    page.fill("#comment-body-new", "Count me in for **block C**.")
    page.click("text=Post the comment")
    new = page.wait_for_selector(".comment.is-new")
    comment = Comment.objects.get(author=person)
    assert new.get_attribute("id") == f"comment-{comment.pk}"
    assert page.inner_text(f"#comment-{comment.pk} .comment-body strong") == "block C"
    assert page.evaluate("document.activeElement.id") == f"comment-{comment.pk}"
    # A locator, not a string function: the policy forbids evaluating strings.
    page.locator("[role=status]", has_text="Comment posted").first.wait_for(
        state="attached"
    )
    assert page.input_value("#comment-body-new") == ""
    assert page.inner_text(".conversation-count") == "2 comments"

    page.click(f"#comment-{other.pk} details.comment-reply summary")
    page.fill(f"#comment-body-{other.pk}", "Yes: checked in 2024.")
    page.click(f"#comment-{other.pk} >> text=Post the reply")
    page.wait_for_selector(f"#replies-{other.pk} .comment.is-new")
    assert "Yes: checked in 2024." in page.inner_text(f"#replies-{other.pk}")

    up = f"#comment-{other.pk} .vote-up"
    page.click(up)
    page.wait_for_selector(f'{up}[aria-pressed="true"]')
    assert page.inner_text(f"#comment-{other.pk} .vote-score") == "1"

    page.click("#support button:has-text('Support')")
    page.wait_for_selector('#support button[aria-pressed="true"]')
    assert "1 resident" in page.inner_text("#support")
    assert Support.objects.filter(user=person, proposal=proposal).exists()

    # Nothing above loaded a page: the flag set at the start is still there.
    assert page.evaluate("window.__samePage") is True


def test_refusal_shows_next_to_the_form_without_a_page_load(
    live_server: Any, page: Any
) -> None:
    proposal = ProposalFactory()
    _sign_in(page, live_server, UserFactory(email="terse@example.org").email)
    page.goto(f"{live_server.url}/proposals/{proposal.pk}/conversation/")
    page.evaluate("window.__samePage = true")
    page.fill("#comment-body-new", "   ")
    page.click("text=Post the comment")
    page.wait_for_selector("#comment-errors-new [role=alert]")
    assert "Write something before posting." in page.inner_text("#comment-errors-new")
    assert page.get_attribute("#comment-body-new", "aria-invalid") == "true"
    assert page.evaluate("window.__samePage") is True
    assert Comment.objects.count() == 0
