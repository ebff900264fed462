"""``manage.py import_indicators FILE --city SLUG [--user EMAIL]``: progress bar,
summary, every bad line on stderr and a non-zero exit when the file is refused."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from projects.models import ImportState, IndicatorImport, Observation
from tests.factories import UserFactory
from tests.projects.indicator_factories import (
    city_with_districts,
    csv_bytes,
    monthly_rows,
)

pytestmark = pytest.mark.django_db


def _file(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "indicators.csv"
    path.write_bytes(data)
    return str(path)


def test_command_imports_with_a_progress_bar(tmp_path: Path) -> None:
    city = city_with_districts()
    person = UserFactory(email="data@example.org")
    out = StringIO()
    call_command(
        "import_indicators",
        _file(tmp_path, csv_bytes(*monthly_rows())),
        city=city.slug,
        user="data@example.org",
        stdout=out,
    )
    text = out.getvalue()
    assert "100 %" in text and "12/12 rows" in text
    assert "12 rows imported — 12 new, 0 corrected, 0 unchanged" in text
    imp = IndicatorImport.objects.get()
    assert imp.state == ImportState.DONE and imp.uploaded_by == person
    assert Observation.objects.count() == 12


def test_command_lists_every_bad_line_and_exits_non_zero(tmp_path: Path) -> None:
    city = city_with_districts()
    data = csv_bytes(
        "north,commute_minutes,min,2024-01,30",
        "north,commute_minutes,km,2024-02,31",
        "nowhere,commute_minutes,min,2024-03,NaN",
    )
    err = StringIO()
    with pytest.raises(CommandError, match="2 bad lines; nothing was changed"):
        call_command(
            "import_indicators",
            _file(tmp_path, data),
            city=city.slug,
            stdout=StringIO(),
            stderr=err,
        )
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("line 3: unknown unit “km”")
    assert lines[1].startswith("line 4: Riverbend has no district “nowhere”")
    assert "not a finite number" in lines[1]
    assert not Observation.objects.exists()


def test_command_exit_status_is_one_when_refused(tmp_path: Path) -> None:
    """From a shell, Django exits with the CommandError's return code (1)."""
    city = city_with_districts()
    path = _file(tmp_path, csv_bytes("north,commute_minutes,min,2024-01,x"))
    with pytest.raises(CommandError) as refused:
        call_command(
            "import_indicators",
            path,
            city=city.slug,
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert refused.value.returncode == 1
    assert not Observation.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"city": "atlantis"}, "No city with the slug “atlantis”"),
        ({"city": "riverbend", "user": "ghost@example.org"}, "No user"),
    ],
)
def test_command_refuses_unknown_city_and_user(
    tmp_path: Path, args: dict[str, Any], message: str
) -> None:
    city_with_districts()
    with pytest.raises(CommandError, match=message):
        call_command(
            "import_indicators",
            _file(tmp_path, csv_bytes(*monthly_rows())),
            stdout=StringIO(),
            **args,
        )


def test_command_refuses_a_file_that_is_not_csv(tmp_path: Path) -> None:
    city = city_with_districts()
    with pytest.raises(CommandError, match="semicolons"):
        call_command(
            "import_indicators",
            _file(tmp_path, b"district;indicator;unit;period;value\n"),
            city=city.slug,
            stdout=StringIO(),
        )
    with pytest.raises(CommandError, match="No file"):
        call_command(
            "import_indicators",
            str(tmp_path / "missing.csv"),
            city=city.slug,
            stdout=StringIO(),
        )
    assert not IndicatorImport.objects.exists()
