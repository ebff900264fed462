"""The demand-signal pages: small multiples with shifts marked and text
alternatives, the inbox (open first), a signal's decisions through the forms, the
priority page's indicators; each page's query count does not grow with the number
of series or signals."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from projects.models import IndicatorKind, Priority, RematchJob, Signal, SignalState
from projects.services.signals import signal_dismiss, signals_detect_city
from tests.demand.factories import make_indicator, series_values
from tests.factories import CityFactory, DistrictFactory, make_coordinator
from tests.projects.matching_factories import PriorityFactory

pytestmark = pytest.mark.django_db


def _city(districts: int = 2, *, slug: str = "riverbend"):
    city = CityFactory(slug=slug)
    priority = PriorityFactory(city=city, title="Move people differently", weight=3)
    for i in range(districts):
        district = DistrictFactory(city=city, name=f"District {i}")
        for kind, unit in (
            (IndicatorKind.COMMUTE, "min"),
            (IndicatorKind.NO2, "ug/m3"),
        ):
            indicator = make_indicator(
                city,
                district=district,
                kind=kind,
                unit=unit,
                values=series_values(seed=i, jump=0.2 if i == 0 else 0.0),
            )
            indicator.priorities.add(priority)
    make_indicator(city, values=series_values(seed=99))  # whole city
    signals_detect_city(city=city)
    return city, priority


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_indicator_page_draws_one_chart_per_district_with_shifts_marked() -> None:
    city, _priority = _city(3)
    page = _client().get(f"/cities/{city.slug}/indicators/").content.decode()
    # The kind with an open signal is shown first: commute.
    assert 'aria-current="page">Average commute' in page
    assert page.count('class="chart__image"') == 4  # 3 districts + whole city
    assert "District 0" in page and "Whole city" in page
    assert "1 shift detected" in page  # text alternative of the shifted series
    assert "Average commute in District 0 district is up" in page
    assert "Show the numbers" in page
    assert "/signals/" not in page  # signals link only for coordinators
    assert "<script" not in page.split("<main", 1)[-1].split("</main>")[0]


def test_indicator_page_filters_by_kind_and_district() -> None:
    city, _priority = _city(3)
    district = city.districts.get(name="District 1")
    page = (
        _client()
        .get(f"/cities/{city.slug}/indicators/?kind=no2&district={district.pk}")
        .content.decode()
    )
    assert page.count('class="chart__image"') == 1
    every = _client().get(f"/cities/{city.slug}/indicators/?kind=all").content.decode()
    assert every.count('class="chart__image"') == 7
    # Unknown filters fall back to the default view rather than failing.
    odd = _client().get(f"/cities/{city.slug}/indicators/?kind=<x>&district=abc")
    assert odd.status_code == 200


def test_a_city_without_indicators_says_so() -> None:
    city = CityFactory()
    page = _client().get(f"/cities/{city.slug}/indicators/").content.decode()
    assert "has not published any indicator yet" in page
    assert _client().get("/cities/nowhere/indicators/").status_code == 404


def _queries(url: str, user=None) -> int:
    client = _client(user)
    client.get(url)  # warm the per-user caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_indicator_page_query_count_does_not_grow_with_series() -> None:
    small, _p = _city(2, slug="small")
    large, _p2 = _city(6, slug="large")
    assert _queries("/cities/small/indicators/?kind=all") == _queries(
        "/cities/large/indicators/?kind=all"
    )


def test_inbox_lists_open_signals_first_and_costs_the_same_for_more() -> None:
    small, _p = _city(2, slug="small")
    large, _p2 = _city(6, slug="large")
    coordinator = make_coordinator(small)
    coordinator_large = make_coordinator(large)
    for i in range(1, 6):  # more signals in the large city
        make_indicator(
            large,
            district=large.districts.get(name=f"District {i}"),
            kind=IndicatorKind.WATER,
            unit="m3",
            values=series_values(seed=i, jump=-0.2),
        )
    signals_detect_city(city=large)
    first = Signal.objects.filter(city=small).first()
    signal_dismiss(actor=coordinator, signal=first, reason="Known road works.")
    page = _client(coordinator).get("/cities/small/signals/").content.decode()
    assert "Known road works." in page
    assert Signal.objects.filter(city=large).count() > 4
    assert _queries("/cities/small/signals/", coordinator) == _queries(
        "/cities/large/signals/", coordinator_large
    )


def test_signal_page_accepts_and_lands_on_the_priority_with_its_progress(
    django_capture_on_commit_callbacks,
) -> None:
    city, priority = _city(2)
    coordinator = make_coordinator(city)
    signal = Signal.objects.get(city=city, indicator__kind=IndicatorKind.COMMUTE)
    page = _client(coordinator).get(f"/signals/{signal.pk}/").content.decode()
    assert "Average commute in District 0 district is up" in page
    assert "Level shift" in page and "Confidence" in page
    assert 'name="accept-action"' in page and 'name="dismiss-reason"' in page
    client = _client(coordinator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            f"/signals/{signal.pk}/accept/",
            {"accept-action": "raise_weight", "accept-priority": priority.pk},
        )
    # Start the re-score job as the commit would, but keep it queued (its own
    # enqueue is captured, not run) so the priority page shows the bar.
    with django_capture_on_commit_callbacks(execute=False):
        for callback in callbacks:
            callback()
    assert response.status_code == 302
    assert response.url == f"/priorities/{priority.pk}/"
    assert Priority.objects.get(pk=priority.pk).weight == 4
    assert RematchJob.objects.filter(city=city).exists()
    landing = client.get(response.url).content.decode()
    assert "Re-scoring every proposal" in landing
    assert "changed to 4" in landing


def test_signal_page_forms_come_back_with_clear_errors() -> None:
    city, priority = _city(2)
    coordinator = make_coordinator(city)
    Priority.objects.filter(pk=priority.pk).update(weight=5)
    signal = Signal.objects.filter(city=city, state=SignalState.OPEN).first()
    client = _client(coordinator)
    raised = client.post(
        f"/signals/{signal.pk}/accept/",
        {"accept-action": "raise_weight", "accept-priority": priority.pk},
    )
    assert raised.status_code == 400
    assert "the highest" in raised.content.decode()
    bad_weight = client.post(
        f"/signals/{signal.pk}/accept/",
        {"accept-action": "lower_weight", "accept-weight": "9"},
    )
    assert bad_weight.status_code == 400
    dismissed = client.post(f"/signals/{signal.pk}/dismiss/", {"dismiss-reason": " "})
    assert dismissed.status_code == 400
    assert "Say why this signal is dismissed" in dismissed.content.decode()
    assert Signal.objects.get(pk=signal.pk).state == SignalState.OPEN
    assert Priority.objects.get(pk=priority.pk).weight == 5


def test_a_decided_signal_shows_the_decision_instead_of_forms() -> None:
    city, _priority = _city(2)
    coordinator = make_coordinator(city)
    signal = Signal.objects.filter(city=city).first()
    client = _client(coordinator)
    assert (
        client.post(
            f"/signals/{signal.pk}/dismiss/", {"dismiss-reason": "Seasonal works"}
        ).status_code
        == 302
    )
    page = client.get(f"/signals/{signal.pk}/").content.decode()
    assert "Seasonal works" in page and 'name="dismiss-reason"' not in page
    again = client.post(f"/signals/{signal.pk}/dismiss/", {"dismiss-reason": "x"})
    assert again.status_code == 400 and "already dismissed" in again.content.decode()


def test_priority_page_lists_the_indicators_that_inform_it() -> None:
    city, priority = _city(2)
    page = _client().get(f"/priorities/{priority.pk}/").content.decode()
    assert "Indicators that inform it" in page
    assert "Average commute" in page and "NO2 concentration" in page
    assert "Average commute in District 0 district is up" in page
    other_city, other = _city(6, slug="other")
    assert _queries(f"/priorities/{priority.pk}/") == _queries(
        f"/priorities/{other.pk}/"
    )


def test_an_indicator_without_priorities_offers_only_a_new_priority() -> None:
    city = CityFactory()
    make_indicator(
        city,
        district=DistrictFactory(city=city, name="North"),
        values=series_values(jump=0.2),
    )
    signals_detect_city(city=city)
    signal = Signal.objects.get()
    page = (
        _client(make_coordinator(city)).get(f"/signals/{signal.pk}/").content.decode()
    )
    assert 'value="new_priority"' in page
    assert 'value="raise_weight"' not in page and "accept-priority" not in page
