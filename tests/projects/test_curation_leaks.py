"""Internal notes, recommendation reasons and reviewer assignments never leak: not
on the proposal's page for its authors, residents or anonymous readers (cached or
not), not in the public API, the open-data exports, the Atom feed, nor in any
notification or e-mail."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from projects.services import curation as services
from stakeholders.models import Notification
from tests.projects.curation_factories import SECRET, SECRET_REASON, review_world
from tests.projects.factories import api_client

pytestmark = pytest.mark.django_db

OUTSIDERS = ["anonymous", "resident", "org_member", "org_admin", "author", "official"]


def _client(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _assert_clean(text: str) -> None:
    assert SECRET not in text
    assert SECRET_REASON not in text
    assert "Rita Reviewer" not in text  # who reviews is internal too


@pytest.mark.parametrize("role", OUTSIDERS)
def test_proposal_page_hides_the_internal_review(role: str) -> None:
    world = review_world()
    client = _client(world.users[role])
    for _ in range(2):  # the second read of an anonymous reader is from the cache
        response = client.get(world.proposal.get_absolute_url())
        assert response.status_code == 200
        _assert_clean(response.content.decode())
        assert 'id="internal-review"' not in response.content.decode()


def test_anonymous_cached_page_stays_clean_after_a_coordinator_reads_it() -> None:
    world = review_world()
    url = world.proposal.get_absolute_url()
    assert SECRET in _client(world.users["coordinator"]).get(url).content.decode()
    _assert_clean(Client().get(url).content.decode())
    _assert_clean(Client().get(url).content.decode())


@pytest.mark.parametrize("role", OUTSIDERS)
def test_public_api_and_exports_hide_the_internal_review(role: str) -> None:
    world = review_world()
    user = world.users[role]
    client = api_client(user)
    for url in (
        f"/api/v1/proposals/{world.proposal.pk}/",
        "/api/v1/proposals/",
        f"/api/v1/proposals/{world.proposal.pk}/revisions/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        _assert_clean(response.content.decode())
    for url in (
        f"/api/v1/proposals/{world.proposal.pk}/notes/",
        f"/api/v1/proposals/{world.proposal.pk}/assignments/",
    ):
        response = client.get(url)
        assert response.status_code in (401, 403)
        _assert_clean(response.content.decode())
    pages = _client(user)
    for url in (
        "/proposals/export.csv",
        "/proposals/export.json",
        f"/proposals/export.csv?city={world.city.slug}",
        f"/cities/{world.city.slug}/proposals.atom",
    ):
        response = pages.get(url)
        assert response.status_code == 200, url
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else (response.content)
        )
        text = body.decode()
        assert world.proposal.title in text
        _assert_clean(text)


def test_no_notification_or_email_carries_internal_text(
    django_capture_on_commit_callbacks: Any,
) -> None:
    world = review_world()
    coordinator = world.users["coordinator"]
    with django_capture_on_commit_callbacks(execute=True):
        services.internal_note_create(
            actor=coordinator, proposal=world.proposal, body=f"{SECRET}: second note"
        )
        services.review_recommend(
            actor=world.reviewer,
            proposal=world.proposal,
            recommendation="accept",
            reason=SECRET_REASON,
        )
        services.proposal_decide(
            actor=coordinator,
            proposal=world.proposal,
            decision="accepted",
            public_answer="Accepted in public.",
        )
    assert Notification.objects.exists()
    for notice in Notification.objects.all():
        text = f"{notice.text} {notice.params} {notice.url}"
        assert SECRET not in text and SECRET_REASON not in text
        if "Rita Reviewer" in text:  # who recommended: told to coordinators only
            assert notice.recipient == coordinator
    for message in mail.outbox:
        text = message.subject + message.body
        assert SECRET not in text and SECRET_REASON not in text


def test_decided_proposal_page_keeps_the_review_internal() -> None:
    world = review_world()
    services.proposal_decide(
        actor=world.users["coordinator"],
        proposal=world.proposal,
        decision="rejected",
        public_answer="Not this year.",
    )
    html = Client().get(world.proposal.get_absolute_url()).content.decode()
    assert "Not this year." in html
    _assert_clean(html)
