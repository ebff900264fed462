"""The indicator CSV import service: the format, every refusal (up front and line by
line), all-or-nothing, re-import, corrections with history, the task and the sweep."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from projects.models import (
    ImportState,
    Indicator,
    IndicatorImport,
    IndicatorKind,
    Observation,
    ObservationRevision,
)
from projects.services import indicators as services
from projects.tasks import import_indicators, sweep_indicator_imports
from stakeholders.models import AuditEvent
from tests.factories import UserFactory, make_coordinator
from tests.projects.indicator_factories import (
    HEADER,
    city_with_districts,
    csv_bytes,
    monthly_rows,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def city() -> Any:
    return city_with_districts()


@pytest.fixture
def coordinator(city: Any) -> Any:
    return make_coordinator(city)


def _import(city: Any, data: bytes, actor: Any, capture: Any) -> IndicatorImport:
    with capture(execute=True):
        imp = services.indicator_import_create(
            actor=actor, city=city, upload=upload(data)
        )
    imp.refresh_from_db()
    return imp


@pytest.fixture
def run(city: Any, coordinator: Any, django_capture_on_commit_callbacks: Any) -> Any:
    def go(data: bytes) -> IndicatorImport:
        return _import(city, data, coordinator, django_capture_on_commit_callbacks)

    return go


def _refused_upfront(city: Any, actor: Any, data: bytes, *, name: str = "x.csv") -> str:
    with pytest.raises(ValidationError) as caught:
        services.indicator_import_create(
            actor=actor, city=city, upload=upload(data, name)
        )
    assert IndicatorImport.objects.count() == 0
    return " ".join(caught.value.messages)


# --- Accepted files -------------------------------------------------------------------


def test_import_creates_series_and_observations(run: Any, city: Any) -> None:
    imp = run(
        csv_bytes(
            *monthly_rows(),
            "all,bus_ridership,trips,2024-Q1,100",
            ",energy_mwh,MWh,2023,5.5",
            "South Bank,water_m3,m3,2024-02,12",
        )
    )
    assert imp.state == ImportState.DONE
    assert (imp.rows_total, imp.rows_done, imp.created_count) == (15, 15, 15)
    assert imp.percent == 100
    commute = Indicator.objects.get(code="commute_minutes")
    assert commute.district.slug == "north"
    assert commute.unit == "min" and commute.kind == IndicatorKind.COMMUTE
    assert commute.observation_count == 12
    assert commute.last_period == date(2024, 12, 1)
    bus = Indicator.objects.get(code="bus_ridership")
    assert bus.kind == IndicatorKind.CUSTOM and bus.name == "Bus ridership"
    assert bus.district is None and bus.unit == "trips"
    assert bus.period_kind == "quarter"
    assert Indicator.objects.get(code="energy_mwh").period_kind == "year"
    assert Indicator.objects.get(code="water_m3").district.slug == "south-bank"
    assert Observation.objects.get(indicator=bus).period == date(2024, 1, 1)
    assert AuditEvent.objects.filter(action="indicators.import_done").exists()
    assert AuditEvent.objects.filter(action="indicators.import_upload").exists()


def test_a_bom_is_accepted(run: Any) -> None:
    imp = run(csv_bytes(*monthly_rows(months=2), bom=True))
    assert imp.state == ImportState.DONE and imp.created_count == 2


def test_crlf_quotes_note_column_and_blank_lines(run: Any) -> None:
    data = (
        b"district,indicator,unit,period,value,note\r\n"
        b'north,commute_minutes,min,2024-01,30,"Bridge closed, detour"\r\n'
        b"\r\n"
        b"north,commute_minutes,min,2024-02,31,\r\n"
    )
    imp = run(data)
    assert imp.state == ImportState.DONE, imp.errors
    notes = list(Observation.objects.order_by("period").values_list("note", flat=True))
    assert notes == ["Bridge closed, detour", ""]


def test_reimporting_the_same_file_changes_nothing(run: Any) -> None:
    data = csv_bytes(*monthly_rows())
    run(data)
    before = list(Observation.objects.values_list("pk", "value", "updated_at"))
    again = run(data)
    assert again.state == ImportState.DONE
    assert (again.created_count, again.updated_count, again.unchanged_count) == (
        0,
        0,
        12,
    )
    assert list(Observation.objects.values_list("pk", "value", "updated_at")) == before
    assert not ObservationRevision.objects.exists()


def test_a_corrected_value_updates_it_and_keeps_the_history(
    run: Any, coordinator: Any
) -> None:
    first = run(csv_bytes(*monthly_rows(months=3)))
    second = run(
        csv_bytes(
            "north,commute_minutes,min,2024-01,30",
            "north,commute_minutes,min,2024-02,99.5",
            "north,commute_minutes,min,2024-04,40",
        )
    )
    assert (second.created_count, second.updated_count, second.unchanged_count) == (
        1,
        1,
        1,
    )
    obs = Observation.objects.get(period=date(2024, 2, 1))
    assert obs.value == 99.5 and obs.source_import_id == second.pk
    revision = ObservationRevision.objects.get()
    assert (revision.old_value, revision.new_value) == (31.0, 99.5)
    assert revision.observation == obs and revision.changed_by == coordinator
    assert revision.source_import_id == second.pk
    assert Observation.objects.get(period=date(2024, 1, 1)).source_import_id == first.pk
    assert Indicator.objects.get().observation_count == 4


# --- Refused before anything is stored ---------------------------------------------------


def test_an_empty_file_is_refused(city: Any, coordinator: Any) -> None:
    assert "empty" in _refused_upfront(city, coordinator, b"")
    assert "empty" in _refused_upfront(city, coordinator, b"\n\n  \n")


def test_a_header_without_rows_is_rejected_by_the_run(run: Any) -> None:
    imp = run(csv_bytes())
    assert imp.state == ImportState.REJECTED
    assert imp.errors == [
        {"line": 1, "message": "The file has a header but no data line."}
    ]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40, "spreadsheet workbook"),
        (b"%PDF-1.7\n%\xe2\xe3", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"\xff\xfed\x00i\x00s\x00", "UTF-16"),
        (b"distri\xe9t,indicator,unit,period,value\n", "not UTF-8"),
        (b"name,score\nalice,3\n", "district,indicator,unit,period,value"),
        (b"<html><body>hello</body></html>", "Found:"),
    ],
)
def test_a_file_that_is_not_this_csv_is_refused(
    city: Any, coordinator: Any, data: bytes, words: str
) -> None:
    assert words in _refused_upfront(city, coordinator, data)


def test_semicolons_are_detected_and_explained(city: Any, coordinator: Any) -> None:
    data = b"district;indicator;unit;period;value\nnorth;commute_minutes;min;2024-01;30,5\n"
    message = _refused_upfront(city, coordinator, data)
    assert "semicolons" in message and "commas" in message


def test_a_file_over_the_limit_is_refused_with_the_limit(
    city: Any, coordinator: Any, settings: Any
) -> None:
    settings.INDICATOR_IMPORT_MAX_BYTES = 2 * 1024 * 1024
    data = csv_bytes(*monthly_rows()) + b"#" * (2 * 1024 * 1024)
    message = _refused_upfront(city, coordinator, data)
    assert "the limit is 2 MB" in message


def test_the_default_limit_is_200_mb() -> None:
    assert services.max_import_bytes() == 200 * 1024 * 1024


@pytest.mark.parametrize("who", ["resident", "coordinator_no_2fa", "elsewhere"])
def test_only_the_citys_coordinators_import(city: Any, who: str) -> None:
    from tests.factories import CityFactory

    actor = {
        "resident": lambda: UserFactory(),
        "coordinator_no_2fa": lambda: make_coordinator(city, two_factor=False),
        "elsewhere": lambda: make_coordinator(CityFactory(slug="elsewhere")),
    }[who]()
    with pytest.raises(PermissionDenied):
        services.indicator_import_create(
            actor=actor, city=city, upload=upload(csv_bytes(*monthly_rows()))
        )
    assert not IndicatorImport.objects.exists()
    assert not Indicator.objects.exists()


# --- Refused line by line: every bad line, nothing changed --------------------------------


def test_every_bad_line_is_listed_with_its_number_and_nothing_changes(
    run: Any,
) -> None:
    run(csv_bytes(*monthly_rows(months=2)))
    snapshot = list(Observation.objects.values_list("pk", "value"))
    next_month = (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(
        day=1
    )
    lines = [
        "north,commute_minutes,min,2024-01,35",  # 2: fine (a correction)
        "north,commute_minutes,km,2024-03,1",  # 3: unit
        "east,commute_minutes,min,2024-03,1",  # 4: district
        "north,commute_minutes,min,2024-13,1",  # 5: period
        "north,commute_minutes,min,March,1",  # 6: period
        "north,commute_minutes,min,2024-04,abc",  # 7: not a number
        "north,commute_minutes,min,2024-05,NaN",  # 8: NaN
        "north,commute_minutes,min,2024-06,-inf",  # 9: infinity
        "north,commute_minutes,min,2024-07,1e999",  # 10: overflows to infinity
        'north,commute_minutes,min,2024-08,"12,5"',  # 11: decimal comma, quoted
        "north,commute_minutes,min,2024-09,12,5",  # 12: decimal comma, unquoted
        f"north,commute_minutes,min,{next_month:%Y-%m},1",  # 13: future
        "north,commute_minutes,min,2024-01,36",  # 14: duplicate of line 2
        "north,commute_minutes,min,2024-Q4,1",  # 15: other period kind
        "north,bus_ridership,trips,2024-01,1",  # 16: custom, first unit
        "south-bank,bus_ridership,passengers,2024-01,1",  # 17: mixed units
        "north,Bus Ridership!,trips,2024-01,1",  # 18: not a code
        "north,commute_minutes,min,2024-10",  # 19: a field missing
        "north,,,2024-11,",  # 20: several problems
        "north,commute_minutes,min,2024-12,1",  # 21: fine, after the bad ones
    ]
    imp = run(csv_bytes(*lines))
    assert imp.state == ImportState.REJECTED
    errors = {e["line"]: e["message"] for e in imp.errors}
    assert sorted(errors) == [*range(3, 16), *range(17, 21)]
    assert imp.error_count == 17
    assert "unknown unit “km”" in errors[3] and "“min”" in errors[3]
    assert "no district “east”" in errors[4]
    assert "not a period" in errors[5] and "not a period" in errors[6]
    assert "“abc” is not a number" in errors[7]
    for line in (8, 9, 10):
        assert "not a finite number" in errors[line]
    assert "decimal comma" in errors[11] and "12.5" in errors[11]
    assert "decimal comma" in errors[12] and "12.5" in errors[12]
    assert "in the future" in errors[13]
    assert "duplicate period" in errors[14] and "first on line 2" in errors[14]
    assert "one kind of period per series" in errors[15]
    assert "mixed units" in errors[17] and "line 16" in errors[17]
    assert "not an indicator code" in errors[18]
    assert "expected 5 fields, found 4" in errors[19]
    assert "indicator is missing" in errors[20] and "unit is missing" in errors[20]
    assert "value is missing" in errors[20]
    assert list(Observation.objects.values_list("pk", "value")) == snapshot
    assert Indicator.objects.count() == 1
    assert AuditEvent.objects.filter(action="indicators.import_rejected").exists()


def test_one_bad_line_at_the_end_changes_nothing(run: Any) -> None:
    rows = monthly_rows(months=24)
    imp = run(csv_bytes(*rows, "north,commute_minutes,min,2026-0x,1"))
    assert imp.state == ImportState.REJECTED
    assert [e["line"] for e in imp.errors] == [26]
    assert not Observation.objects.exists() and not Indicator.objects.exists()


def test_mixed_units_against_an_existing_custom_indicator(run: Any) -> None:
    run(csv_bytes("all,bus_ridership,trips,2024,1"))
    imp = run(csv_bytes("north,bus_ridership,kWh,2024,1"))
    assert imp.state == ImportState.REJECTED
    assert "measured in “trips”" in imp.errors[0]["message"]


def test_an_existing_series_keeps_its_period_kind(run: Any) -> None:
    run(csv_bytes("north,commute_minutes,min,2024-01,30"))
    imp = run(csv_bytes("north,commute_minutes,min,2024,30"))
    assert imp.state == ImportState.REJECTED
    assert "one kind of period per series" in imp.errors[0]["message"]


def test_units_are_compared_exactly(run: Any) -> None:
    imp = run(csv_bytes(",energy_mwh,mWh,2024,1"))
    assert "unknown unit “mWh”" in imp.errors[0]["message"]


def test_bytes_that_are_not_utf8_are_reported_on_their_line(run: Any) -> None:
    data = csv_bytes("north,commute_minutes,min,2024-01,30") + (
        b"north,commute_minutes,min,2024-02,3\xff\n"
    )
    imp = run(data)
    assert imp.state == ImportState.REJECTED
    assert imp.errors[0]["line"] == 3 and "UTF-8" in imp.errors[0]["message"]


def test_at_most_a_thousand_messages_but_every_bad_line_counted(
    run: Any,
) -> None:
    rows = [f"north,commute_minutes,min,2024-01,x{i}" for i in range(1200)]
    imp = run(csv_bytes(*rows))
    assert imp.state == ImportState.REJECTED
    assert len(imp.errors) == services.MAX_ERRORS
    assert imp.error_count == 1200


# --- Task, sweep, broker ---------------------------------------------------------------------


def test_a_second_run_of_a_done_import_does_nothing(run: Any) -> None:
    imp = run(csv_bytes(*monthly_rows(months=2)))
    assert import_indicators.apply(kwargs={"import_id": imp.pk}).get() == "skipped"
    assert Observation.objects.count() == 2
    assert IndicatorImport.objects.get(pk=imp.pk).state == ImportState.DONE


def test_with_the_broker_down_the_import_stays_queued_for_the_sweep(
    city: Any, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with mock.patch.object(
        import_indicators, "apply_async", side_effect=ConnectionError("broker down")
    ):
        imp = _import(
            city,
            csv_bytes(*monthly_rows(months=2)),
            coordinator,
            django_capture_on_commit_callbacks,
        )
    assert imp.state == ImportState.QUEUED and not Observation.objects.exists()
    assert sweep_indicator_imports.apply().get() == 0  # too recent yet
    IndicatorImport.objects.filter(pk=imp.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    assert sweep_indicator_imports.apply().get() == 1
    assert IndicatorImport.objects.get(pk=imp.pk).state == ImportState.DONE
    assert Observation.objects.count() == 2


def test_the_sweep_requeues_an_import_whose_worker_died(run: Any, city: Any) -> None:
    imp = IndicatorImport.objects.create(
        city=city,
        filename="x.csv",
        state=ImportState.RUNNING,
        started_at=timezone.now() - timedelta(hours=2),
        created_at=timezone.now() - timedelta(hours=2),
    )
    assert services.sweep_indicator_imports() == [imp.pk]
    assert IndicatorImport.objects.get(pk=imp.pk).state == ImportState.QUEUED


def test_shift_detection_is_enqueued_after_a_successful_import(
    city: Any, coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from projects import tasks

    with mock.patch.object(tasks.detect_city_signals, "apply_async") as delay:
        _import(
            city,
            csv_bytes(*monthly_rows(months=2)),
            coordinator,
            django_capture_on_commit_callbacks,
        )
        delay.assert_called_once_with(args=[city.pk], ignore_result=True)
        delay.reset_mock()
        _import(
            city,
            csv_bytes(*monthly_rows(months=2)),
            coordinator,
            django_capture_on_commit_callbacks,
        )
        delay.assert_not_called()  # nothing changed: nothing to detect


def test_the_header_constant_is_the_documented_one() -> None:
    assert HEADER == services.HEADER_TEXT


def test_notes_keep_tabs_backslashes_and_line_breaks(run: Any) -> None:
    data = (
        b"district,indicator,unit,period,value,note\n"
        b'north,commute_minutes,min,2024-01,30,"a\\b\tc"\n'
        b'north,commute_minutes,min,2024-02,31,"two\nlines"\n'
        b"north,commute_minutes,min,2024-03,x,\n"
    )
    imp = run(data)
    assert imp.errors == [{"line": 5, "message": "“x” is not a number"}]
    imp = run(data.replace(b",x,", b",32,"))
    assert imp.state == ImportState.DONE
    notes = list(Observation.objects.order_by("period").values_list("note", flat=True))
    assert notes == ["a\\b\tc", "two\nlines", ""]
