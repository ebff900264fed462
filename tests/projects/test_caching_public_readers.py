"""Signed-in readers who see what anonymous readers see (most residents) share the
cached parts of the list and of a proposal's page; their pages are the same as
when nothing is cached, and anyone with a private view (a member, a coordinator,
staff, an author) still gets everything rendered for them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from projects import caching
from tests.factories import (
    MembershipFactory,
    StaffFactory,
    UserFactory,
    make_coordinator,
)
from tests.projects.factories import DraftFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def _get(client: Client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    # Each response carries its own CSRF token; nothing else may differ.
    html = re.sub(
        r'value="[A-Za-z0-9]{64}"', 'value="TOKEN"', response.content.decode()
    )
    return html, len(ctx)


def _signed_in(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_a_resident_shares_the_cached_parts_and_sees_the_same_page(
    settings: Any,
) -> None:
    proposal = ProposalFactory(title="Shade trees on the school street")
    resident = UserFactory(display_name="Ada Resident")
    for url in ("/proposals/", f"/proposals/{proposal.pk}/"):
        cold, cold_queries = _get(_signed_in(resident), url)
        warm, warm_queries = _get(_signed_in(resident), url)
        assert warm_queries < cold_queries, url
        assert warm == cold
        assert "Ada Resident" in warm  # the page itself is the reader's own
        assert "Ada Resident" not in _get(Client(HTTP_ACCEPT_LANGUAGE="en"), url)[0]
        settings.PROPOSAL_CACHE_ENABLED = False
        assert _get(_signed_in(resident), url)[0] == warm
        settings.PROPOSAL_CACHE_ENABLED = True


@pytest.mark.parametrize("who", ["member", "coordinator", "staff", "author"])
def test_readers_with_a_private_view_get_nothing_shared(who: str) -> None:
    draft = DraftFactory(title="Draft only the consortium sees")
    public = ProposalFactory(city=draft.city)
    if who == "member":
        reader = MembershipFactory(organisation=draft.lead_organisation).user
    elif who == "coordinator":
        reader = make_coordinator(draft.city)
    elif who == "staff":
        reader = StaffFactory()
    else:
        reader = public.author
    assert not caching.sees_public_only(reader)
    client = _signed_in(reader)
    Client().get("/proposals/")  # an anonymous reader fills the cache
    html, _ = _get(client, "/proposals/")
    if who in ("member", "staff"):
        assert "Draft only the consortium sees" in html
    # Whatever they see is rendered for them: the second read queries again.
    assert _get(client, f"/proposals/{public.pk}/")[1] > 0
    assert _get(client, f"/proposals/{public.pk}/")[1] > 3


def test_whether_a_reader_sees_public_only_costs_one_query_per_request() -> None:
    resident = UserFactory()
    with CaptureQueriesContext(connection) as ctx:
        assert caching.sees_public_only(resident)
        assert caching.sees_public_only(resident)
    assert len(ctx) == 1
