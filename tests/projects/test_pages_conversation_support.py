"""Support, follow and flag through the pages, with and without script; refusals
say why and change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory

from projects.models import Flag, FlagState, Follow, Proposal, ProposalStatus, Support
from projects.services import conversation as services
from stakeholders.models import UserKind
from tests.factories import OrganisationFactory, UserFactory
from tests.projects.factories import ProposalFactory

pytestmark = pytest.mark.django_db

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def _state() -> dict[str, Any]:
    return {
        "supports": list(Support.objects.order_by("pk").values_list("pk", "kind")),
        "follows": list(Follow.objects.order_by("pk").values_list("pk", "user_id")),
        "flags": list(Flag.objects.order_by("pk").values_list("pk", "state")),
        "counts": list(
            Proposal.objects.order_by("pk").values_list(
                "resident_support_count", "organisation_support_count", "hidden_at"
            )
        ),
    }


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_tag_counts_residents_and_organisations_apart() -> None:
    proposal = ProposalFactory()
    Proposal.objects.filter(pk=proposal.pk).update(
        resident_support_count=124, organisation_support_count=6
    )
    proposal.refresh_from_db()
    request = RequestFactory().get("/")
    request.user = UserFactory()
    html = Template("{% load conversation %}{% support_follow proposal %}").render(
        Context({"proposal": proposal, "request": request})
    )
    assert "130 supports" in html
    assert "124 residents · 6 organisations" in html
    assert 'aria-pressed="false"' in html


def test_anonymous_reader_is_asked_to_sign_in(client: Client) -> None:
    proposal = ProposalFactory()
    html = client.get(f"/proposals/{proposal.pk}/conversation/").content.decode()
    assert "Sign in to support or follow" in html
    response = client.post(f"/proposals/{proposal.pk}/support/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Support.objects.count() == 0


def test_resident_supports_then_removes_without_script(client: Client) -> None:
    proposal = ProposalFactory()
    client.force_login(UserFactory())
    response = client.post(f"/proposals/{proposal.pk}/support/", follow=True)
    assert "Thank you: your support counts." in _messages(response)
    proposal.refresh_from_db()
    assert proposal.resident_support_count == 1
    assert proposal.organisation_support_count == 0
    response = client.post(
        f"/proposals/{proposal.pk}/support/", {"action": "remove"}, follow=True
    )
    assert "Support removed." in _messages(response)
    proposal.refresh_from_db()
    assert proposal.resident_support_count == 0 and Support.objects.count() == 0


def test_organisation_member_support_counts_as_organisation_with_fetch(
    client: Client,
) -> None:
    proposal = ProposalFactory()
    member = UserFactory(kind=UserKind.UTILITY)
    OrganisationFactory(owner=member)
    client.force_login(member)
    response = client.post(f"/proposals/{proposal.pk}/support/", **FETCH)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<section class="support-follow"')
    assert "0 residents · 1 organisation" in html
    assert 'aria-pressed="true"' in html and "Supported" in html
    assert 'value="remove"' in html


def test_double_support_is_refused_and_changes_nothing(client: Client) -> None:
    proposal = ProposalFactory()
    person = UserFactory()
    services.support_add(actor=person, proposal=proposal)
    client.force_login(person)
    before = _state()
    response = client.post(f"/proposals/{proposal.pk}/support/", **FETCH)
    assert response.status_code == 400
    assert "You already support this proposal." in response.content.decode()
    response = client.post(f"/proposals/{proposal.pk}/support/", follow=True)
    assert "You already support this proposal." in _messages(response)
    assert _state() == before


def test_support_of_a_decided_proposal_is_refused(client: Client) -> None:
    proposal = ProposalFactory(status=ProposalStatus.ACCEPTED)
    client.force_login(UserFactory())
    before = _state()
    response = client.post(f"/proposals/{proposal.pk}/support/", **FETCH)
    assert response.status_code == 400
    assert "closed to support" in response.content.decode()
    assert _state() == before


def test_follow_and_unfollow_in_place(client: Client) -> None:
    proposal = ProposalFactory()
    person = UserFactory()
    client.force_login(person)
    response = client.post(f"/proposals/{proposal.pk}/follow/", **FETCH)
    assert "Following" in response.content.decode()
    assert Follow.objects.filter(user=person, proposal=proposal).exists()
    response = client.post(
        f"/proposals/{proposal.pk}/follow/", {"action": "remove"}, follow=True
    )
    assert "You no longer follow this proposal." in _messages(response)
    assert not Follow.objects.filter(user=person, proposal=proposal).exists()


def test_support_on_an_invisible_proposal_is_404(client: Client) -> None:
    draft = ProposalFactory(status=ProposalStatus.DRAFT)
    client.force_login(UserFactory())
    before = _state()
    assert client.post(f"/proposals/{draft.pk}/support/").status_code == 404
    assert client.post(f"/proposals/{draft.pk}/follow/").status_code == 404
    assert client.post("/proposals/99999/support/").status_code == 404
    assert _state() == before


# --- flags -------------------------------------------------------------------------------------


def test_flag_a_comment_from_its_page(client: Client) -> None:
    proposal = ProposalFactory()
    comment = services.comment_create(
        actor=UserFactory(), proposal=proposal, body="Buy cheap watches"
    )
    client.force_login(UserFactory())
    page = client.get(f"/comments/{comment.pk}/flag/").content.decode()
    assert "Buy cheap watches" in page and "Choose a reason" in page
    response = client.post(
        f"/comments/{comment.pk}/flag/", {"reason": "spam", "text": ""}, follow=True
    )
    assert any("a moderator will look at it" in m for m in _messages(response))
    assert response.redirect_chain[-1][0].endswith(f"#comment-{comment.pk}")
    flag = Flag.objects.get()
    assert flag.comment == comment and flag.state == FlagState.OPEN


def test_flag_a_proposal(client: Client) -> None:
    proposal = ProposalFactory()
    client.force_login(UserFactory())
    response = client.post(
        f"/proposals/{proposal.pk}/flag/",
        {"reason": "other", "text": "Copied from another city's plan."},
    )
    assert response.status_code == 302
    assert Flag.objects.get().proposal == proposal


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": ""}, "Choose a reason"),
        ({"reason": "nonsense"}, "Choose a reason"),
        ({"reason": "other", "text": "  "}, "Say what is wrong."),
    ],
)
def test_flag_with_bad_input_is_refused_next_to_the_field(
    client: Client, data: dict[str, str], message: str
) -> None:
    comment = services.comment_create(
        actor=UserFactory(), proposal=ProposalFactory(), body="x"
    )
    client.force_login(UserFactory())
    before = _state()
    response = client.post(f"/comments/{comment.pk}/flag/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _state() == before


def test_flagging_ones_own_content_or_twice_is_refused(client: Client) -> None:
    author = UserFactory()
    comment = services.comment_create(
        actor=author, proposal=ProposalFactory(), body="mine"
    )
    client.force_login(author)
    before = _state()
    response = client.post(f"/comments/{comment.pk}/flag/", {"reason": "spam"})
    assert response.status_code == 400
    assert "You cannot flag your own content." in response.content.decode()
    assert _state() == before
    reporter = UserFactory()
    services.flag_create(actor=reporter, reason="spam", comment=comment)
    client.force_login(reporter)
    before = _state()
    response = client.post(f"/comments/{comment.pk}/flag/", {"reason": "offensive"})
    assert response.status_code == 400
    assert "already flagged" in response.content.decode()
    assert _state() == before


def test_flag_rate_limit_says_when_to_retry(client: Client) -> None:
    proposal = ProposalFactory()
    reporter = UserFactory()
    comments = [
        services.comment_create(actor=UserFactory(), proposal=proposal, body=f"c{i}")
        for i in range(31)
    ]
    for comment in comments[:30]:
        services.flag_create(actor=reporter, reason="spam", comment=comment)
    client.force_login(reporter)
    before = _state()
    response = client.post(f"/comments/{comments[30].pk}/flag/", {"reason": "spam"})
    assert response.status_code == 429
    assert "Try again in" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert _state() == before


def test_three_flags_hide_the_comment_from_other_readers(client: Client) -> None:
    proposal = ProposalFactory()
    comment = services.comment_create(
        actor=UserFactory(), proposal=proposal, body="Nasty words"
    )
    for _ in range(3):
        client.force_login(UserFactory())
        client.post(f"/comments/{comment.pk}/flag/", {"reason": "offensive"})
    comment.refresh_from_db()
    assert comment.hidden_at is not None
    client.force_login(UserFactory())
    html = client.get(f"/proposals/{proposal.pk}/conversation/").content.decode()
    assert "Nasty words" not in html
    assert client.get(f"/comments/{comment.pk}/flag/").status_code == 404
