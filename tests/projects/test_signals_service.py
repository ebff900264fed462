"""Detecting a city's signals: one row per shift, idempotent, decided shifts not
raised again, stale open signals flagged, coordinators notified once, tasks."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import Observation, Signal, SignalState
from projects.services.signals import signals_detect_all, signals_detect_city
from projects.tasks import detect_all_signals, detect_city_signals
from stakeholders.models import AuditEvent, Notification, NotificationKind
from tests.demand.factories import make_indicator, series_values
from tests.factories import CityFactory, DistrictFactory, UserFactory, make_coordinator

pytestmark = pytest.mark.django_db


def _city_with_shift(jump: float = 0.2):
    city = CityFactory()
    north = DistrictFactory(city=city, name="North")
    shifted = make_indicator(city, district=north, values=series_values(jump=jump))
    flat = make_indicator(
        city,
        district=DistrictFactory(city=city, name="South"),
        values=series_values(seed=3),
    )
    return city, shifted, flat


def test_a_shift_becomes_one_open_signal_with_its_numbers(
    django_capture_on_commit_callbacks,
) -> None:
    city, shifted, flat = _city_with_shift()
    coordinator = make_coordinator(city)
    with django_capture_on_commit_callbacks(execute=True):
        result = signals_detect_city(city=city)
    assert result.series == 2 and len(result.created) == 1
    signal = Signal.objects.get()
    assert signal.indicator == shifted and signal.city == city
    assert signal.direction == "up" and signal.state == SignalState.OPEN
    assert 0.15 < signal.size < 0.25 and signal.confidence > 0.99
    assert signal.since == date(2025, 7, 1)
    assert signal.details["district"] == "North" and signal.details["current"]
    note = Notification.objects.get(recipient=coordinator)
    assert note.kind == NotificationKind.SIGNAL and "North" in note.text
    assert f"is up {round(signal.size * 100)} % since 2025-07" in note.text
    assert AuditEvent.objects.filter(action="signal.detect").exists()


def test_running_twice_changes_nothing(django_capture_on_commit_callbacks) -> None:
    city, _shifted, _flat = _city_with_shift()
    make_coordinator(city)
    with django_capture_on_commit_callbacks(execute=True):
        signals_detect_city(city=city)
    before = list(Signal.objects.values())
    notes = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        again = signals_detect_city(city=city)
    assert again.created == [] and again.updated == 0 and again.unchanged == 1
    assert list(Signal.objects.values()) == before
    assert Notification.objects.count() == notes


def test_a_dismissed_shift_is_not_raised_again_when_more_data_arrives() -> None:
    city, shifted, _flat = _city_with_shift()
    signals_detect_city(city=city)
    Signal.objects.update(state=SignalState.DISMISSED, decision_reason="Known")
    Observation.objects.create(indicator=shifted, period=date(2026, 1, 1), value=36.5)
    result = signals_detect_city(city=city)
    assert result.created == []
    assert Signal.objects.get().state == SignalState.DISMISSED


def test_an_open_signal_the_data_no_longer_supports_is_flagged_not_deleted() -> None:
    city, shifted, _flat = _city_with_shift()
    signals_detect_city(city=city)
    # Corrected data: the shift was a mistake.
    Observation.objects.filter(indicator=shifted, period__gte=date(2025, 7, 1)).update(
        value=30.0
    )
    result = signals_detect_city(city=city)
    assert result.stale == 1
    signal = Signal.objects.get()
    assert signal.state == SignalState.OPEN and signal.details["current"] is False
    assert signals_detect_city(city=city).stale == 0  # flagged once


def test_detection_reads_the_city_in_a_fixed_number_of_queries() -> None:
    city = CityFactory()
    for i in range(2):
        make_indicator(
            city, district=DistrictFactory(city=city), values=series_values(seed=i)
        )
    with CaptureQueriesContext(connection) as few:
        signals_detect_city(city=city)
    other = CityFactory()
    for i in range(8):
        make_indicator(
            other, district=DistrictFactory(city=other), values=series_values(seed=i)
        )
    with CaptureQueriesContext(connection) as many:
        signals_detect_city(city=other)
    assert len(many) == len(few)


def test_many_new_signals_make_one_summary_notification(
    django_capture_on_commit_callbacks,
) -> None:
    city = CityFactory()
    coordinator = make_coordinator(city)
    for i in range(5):
        make_indicator(
            city,
            district=DistrictFactory(city=city),
            values=series_values(seed=i, jump=0.25),
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert len(signals_detect_city(city=city).created) == 5
    (note,) = Notification.objects.filter(recipient=coordinator)
    assert "5 new demand signals" in note.text


def test_residents_are_not_notified(django_capture_on_commit_callbacks) -> None:
    city, _s, _f = _city_with_shift()
    resident = UserFactory(home_city=city)
    with django_capture_on_commit_callbacks(execute=True):
        signals_detect_city(city=city)
    assert not Notification.objects.filter(recipient=resident).exists()


def test_tasks_detect_one_city_and_every_city() -> None:
    city, _s, _f = _city_with_shift()
    other, _s2, _f2 = _city_with_shift()
    assert detect_city_signals(city.pk) == 1
    assert detect_city_signals(999_999) == 0
    assert detect_all_signals() == 2  # one task per city (eager: runs at once)
    assert Signal.objects.filter(city=other).count() == 1
    assert signals_detect_all() == {city.slug: 0, other.slug: 0}


def test_a_city_without_series_has_nothing_to_detect() -> None:
    city = CityFactory()
    make_indicator(city, values=[])
    assert signals_detect_city(city=city).series == 0
