"""The signals API beyond permissions: filters, shapes, refused input (400, with
nothing changed), a second decision (409), the re-score job to follow."""

from __future__ import annotations

import pytest

from projects.models import Priority, Signal, SignalState
from projects.services.signals import signals_detect_city
from tests.demand.factories import make_indicator, series_values
from tests.factories import CityFactory, DistrictFactory, make_coordinator
from tests.projects.factories import api_client
from tests.projects.matching_factories import PriorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    city = CityFactory(slug="riverbend")
    priority = PriorityFactory(city=city, weight=3)
    for i, jump in enumerate((0.2, -0.2, 0.0)):
        indicator = make_indicator(
            city,
            district=DistrictFactory(city=city, name=f"D{i}"),
            values=series_values(seed=i, jump=jump),
        )
        indicator.priorities.add(priority)
    signals_detect_city(city=city)
    return city, priority, api_client(make_coordinator(city))


def test_list_filters_and_shape(world) -> None:
    city, _priority, client = world
    body = client.get("/api/v1/signals/", {"city": city.slug}).json()
    assert body["count"] == 2
    row = body["results"][0]
    assert row["state"] == "open" and row["city"]["slug"] == city.slug
    assert row["indicator"]["kind"] == "commute_minutes"
    assert row["sentence"].startswith("Average commute in D")
    assert row["direction"] in ("up", "down") and 0 <= row["confidence"] <= 1
    assert row["details"]["baseline_mean"] and row["current"] is True
    up = client.get("/api/v1/signals/", {"state": "open"}).json()["results"]
    assert {r["direction"] for r in up} == {"up", "down"}
    one = Signal.objects.filter(direction="down").get()
    narrowed = client.get("/api/v1/signals/", {"indicator": one.indicator_id}).json()
    assert [r["id"] for r in narrowed["results"]] == [one.pk]
    assert client.get("/api/v1/signals/", {"city": "nowhere"}).json()["count"] == 0


@pytest.mark.parametrize(
    "query", [{"state": "maybe"}, {"indicator": "abc"}, {"indicator": "0"}]
)
def test_bad_filters_are_400(world, query) -> None:
    _city, _priority, client = world
    response = client.get("/api/v1/signals/", query)
    assert response.status_code == 400
    assert set(response.json()) <= {"state", "indicator"}


@pytest.mark.django_db(transaction=True)
def test_accept_returns_the_signal_and_the_rescore_job(world) -> None:
    # Transactional: the re-score job starts when the service's transaction
    # commits, as it does in production (autocommit), before the answer is built.
    _city, priority, client = world
    signal = Signal.objects.get(direction="up")
    response = client.post(
        f"/api/v1/signals/{signal.pk}/accept/",
        {"action": "raise_weight", "note": "Commuters need it."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "accepted" and body["action"] == "raise_weight"
    assert body["priority"] == {"id": priority.pk, "title": priority.title, "weight": 4}
    assert body["job"] is not None and "percent" in body["job"]
    again = client.post(
        f"/api/v1/signals/{signal.pk}/accept/",
        {"action": "raise_weight"},
        format="json",
    )
    assert again.status_code == 409 and "already accepted" in again.json()["detail"]


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"action": "explode"},
        {"action": "raise_weight", "weight": 9},
        {"action": "raise_weight", "weight": 2},
        {"action": "raise_weight", "priority": 999999},
        {"action": "new_priority", "title": "<b>x</b>"},
        {"action": "raise_weight", "colour": "red"},
        {"action": "raise_weight", "weight": "four"},
    ],
)
def test_refused_accepts_are_400_and_change_nothing(world, payload) -> None:
    _city, priority, client = world
    signal = Signal.objects.get(direction="up")
    response = client.post(
        f"/api/v1/signals/{signal.pk}/accept/", payload, format="json"
    )
    assert response.status_code == 400, response.json()
    assert isinstance(response.json(), dict) and response.json()
    assert Signal.objects.get(pk=signal.pk).state == SignalState.OPEN
    assert Priority.objects.get(pk=priority.pk).weight == 3
    assert Priority.objects.count() == 1


def test_new_priority_through_the_api(world) -> None:
    _city, _priority, client = world
    signal = Signal.objects.get(direction="down")
    response = client.post(
        f"/api/v1/signals/{signal.pk}/accept/",
        {"action": "new_priority", "weight": 4},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["priority"]["weight"] == 4
    assert Priority.objects.count() == 2


def test_dismiss_needs_a_reason_and_happens_once(world) -> None:
    _city, _priority, client = world
    signal = Signal.objects.get(direction="up")
    url = f"/api/v1/signals/{signal.pk}/dismiss/"
    for payload in ({}, {"reason": ""}, {"reason": "   "}):
        response = client.post(url, payload, format="json")
        assert response.status_code == 400 and "reason" in response.json()
    ok = client.post(url, {"reason": "Known road works."}, format="json")
    assert ok.status_code == 200 and ok.json()["decision_reason"] == "Known road works."
    assert client.post(url, {"reason": "x"}, format="json").status_code == 409


def test_unknown_signal_is_404(world) -> None:
    _city, _priority, client = world
    assert client.get("/api/v1/signals/999999/").status_code == 404
    assert (
        client.post(
            "/api/v1/signals/999999/dismiss/", {"reason": "x"}, format="json"
        ).status_code
        == 404
    )


def test_list_costs_the_same_for_two_or_many_signals(world) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    city, _priority, client = world

    def queries() -> int:
        client.get("/api/v1/signals/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/signals/").status_code == 200
        return len(ctx)

    few = queries()
    for i in range(6):
        make_indicator(
            city,
            district=DistrictFactory(city=city, name=f"More {i}"),
            kind="water_m3",
            unit="m3",
            values=series_values(seed=10 + i, jump=0.3),
        )
    signals_detect_city(city=city)
    assert Signal.objects.count() >= 8
    assert queries() == few
