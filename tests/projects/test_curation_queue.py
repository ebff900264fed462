"""The review queue (page and API): what it lists, its filters and sorts, bulk
actions with one result per row, and a number of queries that does not grow with
the number of proposals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import (
    Match,
    Proposal,
    ProposalStatus,
    Recommendation,
    ReviewAssignment,
)
from stakeholders.models import City, User
from tests.factories import CityFactory, DistrictFactory, make_coordinator
from tests.projects.curation_factories import AssignmentFactory, make_official
from tests.projects.factories import ProposalFactory, api_client
from tests.projects.matching_factories import PriorityFactory

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _score(proposal: Proposal, score: float, priority: Any = None) -> Match:
    priority = priority or PriorityFactory(city=proposal.city)
    return Match.objects.create(
        proposal=proposal, priority=priority, score=score, engine_version="test"
    )


def _ids(response: Any) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def _queue(city: City, coordinator: User, **params: Any) -> Any:
    return api_client(coordinator).get(
        "/api/v1/review/queue/", {"city": city.slug, **params}
    )


def test_queue_lists_proposals_waiting_for_a_decision_oldest_first() -> None:
    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    now = timezone.now()
    old = ProposalFactory(city=city, submitted_at=now - timedelta(days=30))
    review = ProposalFactory(
        city=city, status=ProposalStatus.UNDER_REVIEW, submitted_at=now
    )
    short = ProposalFactory(
        city=city,
        status=ProposalStatus.SHORTLISTED,
        submitted_at=now - timedelta(days=3),
    )
    hidden = ProposalFactory(city=city, submitted_at=now - timedelta(days=1))
    Proposal.objects.filter(pk=hidden.pk).update(hidden_at=now)
    for status in (
        ProposalStatus.DRAFT,
        ProposalStatus.ACCEPTED,
        ProposalStatus.REJECTED,
        ProposalStatus.WITHDRAWN,
    ):
        ProposalFactory(city=city, status=status)
    ProposalFactory(city=CityFactory())  # another city
    response = _queue(city, coordinator)
    assert response.status_code == 200
    assert _ids(response) == [old.pk, short.pk, hidden.pk, review.pk]
    rows = {r["id"]: r for r in response.json()["results"]}
    assert rows[old.pk]["age_days"] == 30
    assert rows[hidden.pk]["hidden"] is True
    html = _client(coordinator).get(f"/cities/{city.slug}/review/").content.decode()
    for proposal in (old, review, short, hidden):
        assert proposal.title in html
    assert "4 proposals waiting" in html


def test_queue_filters_and_sorts() -> None:
    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    north = DistrictFactory(city=city, slug="north", name="North")
    reviewer = make_official(city)
    now = timezone.now()
    a = ProposalFactory(
        city=city,
        sectors=["energy", "housing"],
        district=north,
        submitted_at=now - timedelta(days=5),
        resident_support_count=3,
    )
    b = ProposalFactory(
        city=city,
        sectors=["mobility", "health"],
        status=ProposalStatus.UNDER_REVIEW,
        submitted_at=now - timedelta(days=4),
        resident_support_count=10,
    )
    c = ProposalFactory(
        city=city, sectors=["water", "energy"], submitted_at=now - timedelta(days=3)
    )
    priority = PriorityFactory(city=city)
    _score(a, 0.4, priority)
    _score(b, 0.9, priority)
    AssignmentFactory(proposal=a, reviewer=reviewer)
    AssignmentFactory(
        proposal=b,
        reviewer=make_official(city),
        conflicts=[{"id": 1, "name": "X", "lead": False}],
    )

    def ids(**params: Any) -> list[int]:
        response = _queue(city, coordinator, **params)
        assert response.status_code == 200, response.content
        return _ids(response)

    assert ids() == [a.pk, b.pk, c.pk]
    assert ids(status="under_review") == [b.pk]
    assert ids(sector="energy") == [a.pk, c.pk]
    assert ids(district="north") == [a.pk]
    assert ids(reviewer=reviewer.pk) == [a.pk]
    assert ids(has_conflict="true") == [b.pk]
    assert ids(has_conflict="false") == [a.pk, c.pk]
    assert ids(min_score="0.5") == [b.pk]
    assert ids(ordering="score") == [b.pk, a.pk, c.pk]
    assert ids(ordering="supports") == [b.pk, a.pk, c.pk]
    assert ids(ordering="newest") == [c.pk, b.pk, a.pk]
    row = next(
        r for r in _queue(city, coordinator).json()["results"] if r["id"] == b.pk
    )
    assert row["best_score"] == 0.9
    assert row["assignments"][0]["has_conflict"] is True

    # The page reads the same filters (the score in percent).
    client = _client(coordinator)
    html = client.get(
        f"/cities/{city.slug}/review/", {"min_score": "50", "sector": "mobility"}
    ).content.decode()
    assert b.title in html and a.title not in html and c.title not in html
    html = client.get(
        f"/cities/{city.slug}/review/", {"has_conflict": "true"}
    ).content.decode()
    assert "Conflict of interest" in html and a.title not in html


@pytest.mark.parametrize(
    "params",
    [
        {"min_score": "2"},
        {"min_score": "abc"},
        {"status": "accepted"},
        {"ordering": "random"},
        {"reviewer": "x"},
        {"has_conflict": "perhaps"},
        {"sector": "space"},
    ],
)
def test_queue_api_refuses_bad_filters(params: dict[str, str]) -> None:
    city = CityFactory(slug="riverbend")
    response = _queue(city, make_coordinator(city), **params)
    assert response.status_code == 400
    assert set(params) <= set(response.json())


def test_queue_api_needs_a_known_city() -> None:
    city = CityFactory(slug="riverbend")
    client = api_client(make_coordinator(city))
    response = client.get("/api/v1/review/queue/")
    assert response.status_code == 400 and response.json()["city"]
    assert client.get("/api/v1/review/queue/", {"city": "nowhere"}).status_code == 404
    other = CityFactory()
    assert client.get("/api/v1/review/queue/", {"city": other.slug}).status_code == 403


def test_queue_page_ignores_bad_filters_with_a_message() -> None:
    city = CityFactory(slug="riverbend")
    proposal = ProposalFactory(city=city)
    response = _client(make_coordinator(city)).get(
        f"/cities/{city.slug}/review/", {"min_score": "500", "reviewer": "abc"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert proposal.title in html
    assert "Please correct the following" in html


def _fill(city: City, n: int) -> None:
    priority = PriorityFactory(city=city)
    for i in range(n):
        proposal = ProposalFactory(city=city, district=DistrictFactory(city=city))
        _score(proposal, (i % 10) / 10, priority)
        AssignmentFactory(
            proposal=proposal,
            reviewer=make_official(city),
            recommendation=Recommendation.ACCEPT,
            conflicts=[{"id": 1, "name": "X", "lead": False}] if i % 2 else [],
        )
        AssignmentFactory(proposal=proposal, reviewer=make_official(city))


def _count(fn: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("where", ["page", "api"])
def test_queue_costs_the_same_for_2_and_20_proposals(where: str) -> None:
    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    page = _client(coordinator)
    api = api_client(coordinator)

    def read() -> Any:
        if where == "page":
            return page.get(f"/cities/{city.slug}/review/")
        return api.get("/api/v1/review/queue/", {"city": city.slug})

    _fill(city, 2)
    read()  # warm up sessions, tokens, content types
    small = _count(read)
    _fill(city, 18)
    large = _count(read)
    assert ReviewAssignment.objects.count() == 40
    assert small == large, (small, large)
    assert large <= (12 if where == "page" else 8)


def test_bulk_actions_report_one_result_per_row() -> None:
    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    one, two = ProposalFactory(city=city), ProposalFactory(city=city)
    withdrawn = ProposalFactory(city=city, status=ProposalStatus.WITHDRAWN)
    foreign = ProposalFactory(city=CityFactory())
    client = _client(coordinator)
    response = client.post(
        f"/cities/{city.slug}/review/bulk/",
        {
            "proposals": [one.pk, two.pk, withdrawn.pk, foreign.pk],
            "action": "shortlisted",
            "next": f"/cities/{city.slug}/review/?ordering=score",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cities/{city.slug}/review/?ordering=score"
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(texts) == 4
    assert any(one.title in t and "shortlisted" in t for t in texts)
    assert any(withdrawn.title in t and "withdrew" in t for t in texts)
    assert any(f"#{foreign.pk}" in t for t in texts)
    statuses = dict(Proposal.objects.values_list("pk", "status"))
    assert statuses[one.pk] == statuses[two.pk] == ProposalStatus.SHORTLISTED
    assert statuses[withdrawn.pk] == ProposalStatus.WITHDRAWN
    assert statuses[foreign.pk] == ProposalStatus.SUBMITTED


def test_bulk_assign_and_its_conflicts() -> None:
    from tests.factories import OrganisationFactory
    from tests.projects.curation_factories import join

    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    reviewer = make_official(city)
    lead = OrganisationFactory()
    join(reviewer, lead)
    mine = ProposalFactory(city=city, lead_organisation=lead)
    clean = ProposalFactory(city=city)
    response = _client(coordinator).post(
        f"/cities/{city.slug}/review/bulk/",
        {"proposals": [mine.pk, clean.pk], "action": "assign", "reviewer": reviewer.pk},
    )
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(mine.title in t and "authors" in t for t in texts)
    assert list(ReviewAssignment.objects.values_list("proposal_id", flat=True)) == [
        clean.pk
    ]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"action": "shortlisted"}, "Tick at least one proposal."),
        ({"proposals": ["1"]}, "Choose an action."),
        ({"proposals": ["1"], "action": "assign"}, "Choose the reviewer to assign."),
        ({"proposals": ["1"], "action": "accepted"}, "Select a valid choice."),
        (
            {"proposals": ["1"], "action": "assign", "reviewer": "999999"},
            "Choose one of the city",
        ),
    ],
)
def test_bulk_bad_input_shows_the_queue_with_errors(
    data: dict[str, Any], error: str
) -> None:
    city = CityFactory(slug="riverbend")
    proposal = ProposalFactory(city=city)
    response = _client(make_coordinator(city)).post(
        f"/cities/{city.slug}/review/bulk/", data
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html.replace("&#x27;", "'")
    assert proposal.title in html
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SUBMITTED
    assert not ReviewAssignment.objects.exists()


def test_review_home_redirects_to_the_coordinated_city() -> None:
    city = CityFactory(slug="riverbend")
    coordinator = make_coordinator(city)
    response = _client(coordinator).get("/review/")
    assert response.status_code == 302
    assert response["Location"] == f"/cities/{city.slug}/review/"
    html = _client(coordinator).get("/").content.decode()
    assert 'href="/review/"' in html
    official = make_official(city)
    assert _client(official).get("/review/").status_code == 403
    assert 'href="/review/"' not in _client(official).get("/").content.decode()
