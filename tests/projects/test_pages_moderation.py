"""The moderation queue page: who may open it, what it shows (context, flags,
history), the decisions (hide, restore, dismiss, with a reason) and its cost (the
same number of queries for 2 and 20 flagged items)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from projects.models import Comment, Flag, FlagState, Proposal
from projects.services import conversation as services
from stakeholders.models import AuditEvent, CityRoleKind
from tests.factories import (
    CityFactory,
    CityRoleFactory,
    UserFactory,
    give_totp,
    make_coordinator,
    make_staff,
)
from tests.projects.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def _moderator(city: Any, *, two_factor: bool = True) -> Any:
    person = UserFactory(display_name="Mo Derator")
    CityRoleFactory(user=person, city=city, role=CityRoleKind.MODERATOR)
    if two_factor:
        give_totp(person)
    return person


def _flagged_comment(proposal: Proposal, flags: int = 1, **kwargs: Any) -> Comment:
    comment = services.comment_create(
        actor=UserFactory(display_name="Loud Larry"),
        proposal=proposal,
        body=kwargs.pop("body", "You are all idiots"),
        **kwargs,
    )
    for i in range(flags):
        services.flag_create(
            actor=UserFactory(display_name=f"Reporter {i}"),
            reason="offensive",
            text=f"Insult number {i}",
            comment=comment,
        )
    return comment


def _state() -> dict[str, Any]:
    return {
        "flags": list(Flag.objects.order_by("pk").values_list("pk", "state")),
        "comments": list(
            Comment.objects.order_by("pk").values_list(
                "pk", "hidden_at", "open_flag_count"
            )
        ),
        "proposals": list(
            Proposal.objects.order_by("pk").values_list("pk", "hidden_at")
        ),
        "audit": AuditEvent.objects.count(),
    }


def test_queue_shows_context_flags_and_history(client: Client) -> None:
    proposal = ProposalFactory(title="Solar on the school roofs")
    parent = services.comment_create(
        actor=UserFactory(display_name="Polite Pat"),
        proposal=proposal,
        body="What about the shade?",
    )
    comment = _flagged_comment(proposal, flags=2, parent=parent)
    moderator = _moderator(proposal.city)
    services.moderation_decide(
        actor=moderator, action="dismiss", reason="Harsh but allowed.", comment=comment
    )
    services.flag_create(
        actor=UserFactory(display_name="Reporter again"),
        reason="other",
        text="Still insulting",
        comment=comment,
    )
    flagged_proposal = ProposalFactory(city=proposal.city, title="Casino by the river")
    services.flag_create(
        actor=UserFactory(display_name="Proposal reporter"),
        reason="spam",
        proposal=flagged_proposal,
    )
    client.force_login(moderator)
    response = client.get("/moderation/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Loud Larry" in html and "You are all idiots" in html
    assert "Solar on the school roofs" in html
    assert "In reply to Polite Pat:" in html and "What about the shade?" in html
    assert "Reporter again" in html and "Still insulting" in html
    assert "Flags dismissed" in html and "Harsh but allowed." in html
    assert "Casino by the river" in html and "Proposal reporter" in html
    assert f'action="/moderation/comment/{comment.pk}/"' in html
    assert f'action="/moderation/proposal/{flagged_proposal.pk}/"' in html
    assert 'href="/moderation/" aria-current="page">Moderation</a>' in html
    city_page = client.get(f"/cities/{proposal.city.slug}/moderation/")
    assert city_page.status_code == 200
    assert "Loud Larry" in city_page.content.decode()


def test_empty_queue_says_so(client: Client) -> None:
    city = CityFactory()
    client.force_login(_moderator(city))
    assert "Nothing to review" in client.get("/moderation/").content.decode()


@pytest.mark.parametrize("action", ["hide", "restore", "dismiss"])
def test_moderator_decides_with_a_reason(client: Client, action: str) -> None:
    proposal = ProposalFactory()
    comment = _flagged_comment(proposal, flags=3)  # three flags: hidden already
    moderator = _moderator(proposal.city)
    client.force_login(moderator)
    response = client.post(
        f"/moderation/comment/{comment.pk}/",
        {
            f"comment-{comment.pk}-action": action,
            f"comment-{comment.pk}-reason": "Checked against the rules.",
            "next": "/moderation/",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/moderation/"
    assert any("audit log" in str(m) for m in response.context["messages"])
    comment.refresh_from_db()
    assert (comment.hidden_at is not None) == (action == "hide")
    assert comment.open_flag_count == 0
    expected = FlagState.UPHELD if action == "hide" else FlagState.DISMISSED
    assert set(Flag.objects.values_list("state", flat=True)) == {expected}
    event = AuditEvent.objects.get(action=f"moderation.{action}")
    assert event.actor == moderator and event.reason == "Checked against the rules."
    assert "You are all idiots" not in response.content.decode()  # off the queue


def test_decision_without_reason_or_action_is_refused(client: Client) -> None:
    proposal = ProposalFactory()
    comment = _flagged_comment(proposal)
    client.force_login(_moderator(proposal.city))
    before = _state()
    response = client.post(
        f"/moderation/comment/{comment.pk}/",
        {f"comment-{comment.pk}-action": "hide", f"comment-{comment.pk}-reason": " "},
    )
    assert response.status_code == 400
    assert "Give a reason; the author may read it." in response.content.decode()
    response = client.post(
        f"/moderation/comment/{comment.pk}/",
        {f"comment-{comment.pk}-action": "erase", f"comment-{comment.pk}-reason": "x"},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert _state() == before


def test_moderator_of_another_city_is_refused(client: Client) -> None:
    proposal = ProposalFactory()
    comment = _flagged_comment(proposal)
    elsewhere = _moderator(CityFactory())
    client.force_login(elsewhere)
    before = _state()
    assert client.get(f"/cities/{proposal.city.slug}/moderation/").status_code == 403
    html = client.get("/moderation/").content.decode()
    assert "You are all idiots" not in html
    response = client.post(
        f"/moderation/comment/{comment.pk}/",
        {
            f"comment-{comment.pk}-action": "hide",
            f"comment-{comment.pk}-reason": "Mine now",
        },
    )
    assert response.status_code == 403
    assert _state() == before


@pytest.mark.parametrize(
    "who", ["resident", "author", "coordinator", "anonymous", "unverified_moderator"]
)
def test_people_without_the_role_cannot_open_or_decide(
    client: Client, who: str
) -> None:
    from stakeholders.models import VerificationState

    proposal = ProposalFactory()
    comment = _flagged_comment(proposal)
    if who == "resident":
        client.force_login(UserFactory())
    elif who == "author":
        client.force_login(comment.author)
    elif who == "coordinator":
        client.force_login(make_coordinator(proposal.city))
    elif who == "unverified_moderator":
        person = UserFactory()
        CityRoleFactory(
            user=person,
            city=proposal.city,
            role=CityRoleKind.MODERATOR,
            state=VerificationState.PENDING,
        )
        give_totp(person)
        client.force_login(person)
    before = _state()
    queue = client.get("/moderation/")
    decide = client.post(
        f"/moderation/comment/{comment.pk}/",
        {f"comment-{comment.pk}-action": "hide", f"comment-{comment.pk}-reason": "x"},
    )
    if who == "anonymous":
        assert queue.status_code == 302 and "/accounts/login/" in queue["Location"]
        assert decide.status_code == 302
    else:
        assert queue.status_code == 403
        assert decide.status_code == 403
    assert _state() == before


def test_staff_sees_every_city(client: Client) -> None:
    first, second = ProposalFactory(), ProposalFactory()
    _flagged_comment(first, body="first city rant")
    _flagged_comment(second, body="second city rant")
    client.force_login(make_staff())
    html = client.get("/moderation/").content.decode()
    assert "first city rant" in html and "second city rant" in html


def test_moderator_without_two_factor_is_sent_to_set_it_up(client: Client) -> None:
    city = CityFactory()
    client.force_login(_moderator(city, two_factor=False))
    for path in ("/moderation/", f"/cities/{city.slug}/moderation/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_unknown_kind_or_item_is_404(client: Client) -> None:
    proposal = ProposalFactory()
    client.force_login(_moderator(proposal.city))
    assert client.post("/moderation/user/1/", {}).status_code == 404
    assert client.post("/moderation/comment/99999/", {}).status_code == 404


def test_queue_costs_the_same_queries_for_2_and_20_flagged_items(
    client: Client,
) -> None:
    city = CityFactory()
    moderator = _moderator(city)
    client.force_login(moderator)

    def fill(n: int) -> None:
        proposal = ProposalFactory(city=city)
        parent = services.comment_create(
            actor=UserFactory(), proposal=proposal, body="parent"
        )
        for i in range(n):
            if i % 4 == 1:  # both kinds of item, from the smallest queue on
                services.flag_create(
                    actor=UserFactory(),
                    reason="spam",
                    proposal=ProposalFactory(city=city),
                )
                continue
            comment = _flagged_comment(
                proposal, flags=1 + i % 2, parent=parent if i % 3 else None
            )
            if i % 5 == 0:
                services.moderation_decide(
                    actor=moderator, action="dismiss", reason="ok", comment=comment
                )
                services.flag_create(
                    actor=UserFactory(), reason="spam", comment=comment
                )

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/moderation/")
        assert response.status_code == 200
        return len(ctx)

    fill(2)
    count()  # warm the content-type cache, as any running site has
    small = count()
    fill(18)
    assert "20 items to review" in client.get("/moderation/").content.decode()
    assert count() == small
