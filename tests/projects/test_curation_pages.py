"""Pages of the review: the queue, the internal review panel and its forms."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.projects.curation_factories import SECRET, SECRET_REASON, review_world

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_coordinator_sees_queue_and_panel() -> None:
    world = review_world()
    client = _client(world.users["coordinator"])
    response = client.get(f"/cities/{world.city.slug}/review/")
    assert response.status_code == 200, response.content[:2000]
    assert world.proposal.title in response.content.decode()
    page = client.get(world.proposal.get_absolute_url())
    html = page.content.decode()
    assert SECRET in html and SECRET_REASON in html
    assert "Internal review" in html
