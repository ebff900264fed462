"""Priority pages, inline reviews, the coordinators' form, the progress bar, the
``rematch`` command, and fixed query counts of the pages."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from projects import matching_adapter as adapter
from projects.models import JobState, Match, Priority, RematchJob
from projects.tasks import score_proposal
from stakeholders.models import User
from tests.factories import CityFactory, UserFactory, make_coordinator
from tests.projects.matching_factories import (
    PriorityFactory,
    city_with_priorities,
    energy_proposal,
    mobility_proposal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_engines() -> Any:
    adapter.clear_engine_cache()
    yield
    adapter.clear_engine_cache()


def _client(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_city_priorities_page_lists_each_priority_with_its_best_proposals() -> None:
    city, energy, mobility = city_with_priorities(slug="riverbend")
    heat = energy_proposal(city)
    bikes = mobility_proposal(city)
    for proposal in (heat, bikes):
        score_proposal(proposal.pk)
    page = _client().get("/cities/riverbend/priorities/").content.decode()
    assert energy.title in page and mobility.title in page
    assert heat.title in page and bikes.title in page
    assert "New priority" not in page


def test_priority_page_ranks_with_reasons_and_coordinator_reviews_inline() -> None:
    city, energy, _mobility = city_with_priorities()
    coordinator = make_coordinator(city)
    heat = energy_proposal(city)
    score_proposal(heat.pk)
    score_proposal(mobility_proposal(city).pk)
    page = _client().get(f"/priorities/{energy.pk}/").content.decode()
    assert heat.title in page and "shares" in page
    assert 'name="decision" value="confirmed"' not in page
    coordinator_page = _client(coordinator).get(f"/priorities/{energy.pk}/")
    assert 'name="decision" value="confirmed"' in coordinator_page.content.decode()
    match = Match.objects.get(proposal=heat, priority=energy)
    response = _client(coordinator).post(
        f"/matches/{match.pk}/review/",
        {"decision": "confirmed", "next": f"/priorities/{energy.pk}/"},
    )
    assert response.status_code == 302
    assert response.url.startswith(f"/priorities/{energy.pk}/")
    assert Match.objects.get(pk=match.pk).review == "confirmed"
    confirmed = _client().get(f"/priorities/{energy.pk}/?review=confirmed")
    assert heat.title in confirmed.content.decode()
    rejected = _client().get(f"/priorities/{energy.pk}/?review=rejected")
    assert heat.title not in rejected.content.decode()


def test_review_by_a_resident_is_forbidden_and_offsite_next_is_ignored() -> None:
    city, energy, _mobility = city_with_priorities()
    proposal = energy_proposal(city)
    score_proposal(proposal.pk)
    match = Match.objects.get(proposal=proposal, priority=energy)
    response = _client(UserFactory()).post(
        f"/matches/{match.pk}/review/", {"decision": "confirmed"}
    )
    assert response.status_code == 403
    response = _client(make_coordinator(city)).post(
        f"/matches/{match.pk}/review/",
        {"decision": "rejected", "next": "https://evil.example/"},
    )
    assert response.url == f"/priorities/{energy.pk}/"


def test_coordinator_creates_and_edits_a_priority_with_the_form(
    django_capture_on_commit_callbacks: Any,
) -> None:
    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    client = _client(coordinator)
    assert client.get("/cities/riverbend/priorities/new/").status_code == 200
    bad = client.post(
        "/cities/riverbend/priorities/new/", {"title": " ", "weight": "9"}
    )
    assert bad.status_code == 200 and not Priority.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/cities/riverbend/priorities/new/",
            {
                "title": "Create jobs",
                "keywords": "apprenticeships, training",
                "sectors": ["education", "buildings"],
                "weight": "4",
                "target_indicators": "500 apprenticeships\n",
            },
        )
    priority = Priority.objects.get()
    assert response.url == f"/priorities/{priority.pk}/"
    assert priority.keywords == ["apprenticeships", "training"]
    assert priority.target_indicators == ["500 apprenticeships"]
    form = client.get(f"/priorities/{priority.pk}/edit/").content.decode()
    assert "apprenticeships, training" in form
    client.post(
        f"/priorities/{priority.pk}/edit/",
        {"title": "Create local jobs", "weight": "5"},
    )
    priority.refresh_from_db()
    assert (priority.title, priority.weight) == ("Create local jobs", 5)
    client.post(f"/priorities/{priority.pk}/delete/")
    assert not Priority.objects.exists()


def test_form_is_forbidden_to_residents_and_other_coordinators() -> None:
    city = CityFactory(slug="riverbend")
    priority = PriorityFactory(city=city)
    for user in (UserFactory(), make_coordinator(CityFactory())):
        client = _client(user)
        assert client.get("/cities/riverbend/priorities/new/").status_code == 403
        assert client.get(f"/priorities/{priority.pk}/edit/").status_code == 403
        assert client.post(f"/priorities/{priority.pk}/delete/").status_code == 403
        assert client.post("/cities/riverbend/rematch/").status_code == 403
    assert Priority.objects.count() == 1 and not RematchJob.objects.exists()


def test_running_job_shows_its_progress_without_javascript() -> None:
    city, energy, _mobility = city_with_priorities(slug="riverbend")
    job = RematchJob.objects.create(
        city=city, state=JobState.RUNNING, total=200, done=50
    )
    for url in (f"/priorities/{energy.pk}/", "/cities/riverbend/priorities/"):
        page = _client().get(url).content.decode()
        assert f'data-job-url="/api/v1/jobs/{job.pk}/"' in page
        assert "50 of 200 proposals (25 %)" in page


def test_rematch_command_draws_a_progress_bar(settings: Any) -> None:
    settings.MATCHING_BATCH_SIZE = 2
    city, energy, _mobility = city_with_priorities(slug="riverbend")
    for n in range(3):
        energy_proposal(city, n)
    out = StringIO()
    call_command("rematch", "--city", "riverbend", "--in-process", stdout=out)
    text = out.getvalue()
    assert "2/3" in text and "100 %" in text and "3 proposals re-scored" in text
    assert RematchJob.objects.get().state == JobState.DONE
    assert Match.objects.filter(priority=energy).count() == 3


def _count(url: str) -> int:
    client = _client()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _matched_city(slug: str, n: int) -> tuple[Any, list[Priority]]:
    city = CityFactory(slug=slug)
    priorities = [PriorityFactory(city=city, title=f"P{i}") for i in range(n)]
    for i in range(n):
        proposal = energy_proposal(city, i)
        for priority in priorities:
            Match.objects.create(
                proposal=proposal,
                priority=priority,
                score=0.4 + i / 100,
                engine_version="test",
            )
    return city, priorities


def test_priority_pages_cost_the_same_for_2_and_20_rows() -> None:
    _small, two = _matched_city("small", 2)
    _big, twenty = _matched_city("big", 20)
    assert _count("/cities/small/priorities/") == _count("/cities/big/priorities/")
    assert _count(f"/priorities/{two[0].pk}/") == _count(f"/priorities/{twenty[0].pk}/")
