"""Demand indicators: their series, the CSV imports that feed them and batches of
observations sent through the API. Every write of indicator data goes through here.

The CSV format (README, "Demand indicators: CSV import", and the upload page):
header ``district,indicator,unit,period,value`` with an optional ``note`` column
last; UTF-8 with or without a byte-order mark; commas between fields.

- ``district``: a district of the city, by slug or name; empty or ``all`` for the
  whole city.
- ``indicator``: a built-in kind code (``commute_minutes``, ``energy_mwh``…) or the
  code of a custom indicator. Any other code (lower-case letters, digits, ``_`` and
  ``-``) creates a custom indicator on first sight, named after its code
  (``bus_ridership`` → "Bus ridership") and measured in the unit of that line.
- ``unit``: exactly the built-in kind's unit (``min``, ``MWh``, ``m3``, ``%``,
  ``ug/m3``, ``t``), or the unit a custom code already has in the city. Compared
  exactly, case included: ``mWh`` is not ``MWh``.
- ``period``: ``YYYY-MM`` (month), ``YYYY-Qn`` (quarter) or ``YYYY`` (year); one
  kind of period per series; a period that has not begun yet is refused.
- ``value``: a finite number with a decimal point (``12.5``; ``12,5`` is refused
  with a hint; ``NaN`` and infinities are refused).

An import is checked whole before anything is written (pass 1, streaming the stored
file line by line and keeping only small per-series state), then applied in one
transaction in chunks (pass 2, streaming again): either every line is applied or
none is. A corrected value keeps the old one in ``ObservationRevision``; the same
value again changes nothing, so re-importing a file reports every row unchanged.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import logging
import math
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import (
    DatabaseError,
    OperationalError,
    connection,
    connections,
    transaction,
)
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as KombuOperationalError

from stakeholders import permissions as sp
from stakeholders.models import City, District, User
from stakeholders.services import audit_record

from ..models import (
    KIND_UNITS,
    ImportState,
    Indicator,
    IndicatorImport,
    IndicatorKind,
    Observation,
    ObservationRevision,
    PeriodKind,
    Priority,
    Sector,
)

log = logging.getLogger(__name__)

HEADER = ("district", "indicator", "unit", "period", "value")
NOTE = "note"
HEADER_TEXT = ",".join(HEADER)
MAX_ERRORS = 1000
CHUNK_ROWS = 5000
MAX_UNIT = 20
MAX_NOTE = 200
MAX_CODE = 60
FIRST_YEAR = 1900
WHOLE_CITY = ("", "all")
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
PERIOD_RE = re.compile(r"^(\d{4})(?:-(?:(\d{2})|[Qq]([1-4])))?$")


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    """``rows`` in lists of ``size`` (the last one shorter)."""
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


DECIMAL_COMMA_RE = re.compile(r"^[+-]?\d+,\d+$")
# Higher is better for these shares (more public transport, bike, walking).
HIGHER_IS_BETTER = {
    IndicatorKind.MODE_PT,
    IndicatorKind.MODE_BIKE,
    IndicatorKind.MODE_WALK,
}
# Imports left queued this long were never picked up (the broker was down).
QUEUED_GRACE = timedelta(minutes=2)
# Longer than any import may run (the task's hard time limit): the worker died.
RUNNING_STALE = timedelta(hours=1)

Progress = Callable[[int, int], None]


def max_import_bytes() -> int:
    """The largest CSV file accepted (``INDICATOR_IMPORT_MAX_BYTES``, 200 MB)."""
    return int(getattr(settings, "INDICATOR_IMPORT_MAX_BYTES", 200 * 1024 * 1024))


def _megabytes(size: int) -> str:
    return (
        f"{size / 1024 / 1024:.0f}"
        if size >= 1024 * 1024
        else f"{size / 1024 / 1024:.2f}"
    )


def upload_too_large(content_length: str | int | None) -> str:
    """The refusal of a request whose body alone (the file plus a little form
    data) is over the limit, or "": lets a view refuse before reading the body."""
    try:
        size = int(content_length or 0)
    except (TypeError, ValueError):
        return ""
    limit = max_import_bytes()
    if size <= limit + 64 * 1024:
        return ""
    return _("The file is %(size)s MB; the limit is %(limit)s MB.") % {
        "size": _megabytes(size),
        "limit": _megabytes(limit),
    }


def can_import(user: Any, city: City | int) -> bool:
    """The city's coordinators (with two-factor authentication) and staff."""
    return sp.is_coordinator(user, city)


def humanise_code(code: str) -> str:
    words = re.sub(r"[_-]+", " ", code).strip()
    return (words[:1].upper() + words[1:])[:120] or code


# --- Periods and values -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    kind: str
    start: date
    #: Position of the period within its kind since 1900: the bit of the series'
    #: "seen" set, so duplicates cost one bit each instead of a dict entry.
    index: int


def parse_period(text: str) -> Period | None:
    found = PERIOD_RE.match(text.strip())
    if not found:
        return None
    year = int(found.group(1))
    if year < FIRST_YEAR:
        return None
    if found.group(2):
        month = int(found.group(2))
        if not 1 <= month <= 12:
            return None
        return Period(
            PeriodKind.MONTH, date(year, month, 1), (year - FIRST_YEAR) * 12 + month - 1
        )
    if found.group(3):
        quarter = int(found.group(3))
        return Period(
            PeriodKind.QUARTER,
            date(year, 3 * quarter - 2, 1),
            (year - FIRST_YEAR) * 4 + quarter - 1,
        )
    return Period(PeriodKind.YEAR, date(year, 1, 1), year - FIRST_YEAR)


def period_label(kind: str, start: date) -> str:
    if kind == PeriodKind.MONTH:
        return f"{start.year}-{start.month:02d}"
    if kind == PeriodKind.QUARTER:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


def parse_value(text: str) -> tuple[float | None, str]:
    """The number, or None and what is wrong with it."""
    try:
        value = float(text)
    except ValueError:
        pass
    else:
        if math.isfinite(value):
            return value, ""
    raw = text.strip()
    if not raw:
        return None, _("the value is missing")
    if DECIMAL_COMMA_RE.match(raw):
        return None, _(
            "“%(value)s” uses a decimal comma: write %(fixed)s (a point, and quote "
            "nothing)"
        ) % {"value": raw, "fixed": raw.replace(",", ".")}
    try:
        value = float(raw)
    except ValueError:
        return None, _("“%(value)s” is not a number") % {"value": raw[:40]}
    if not math.isfinite(value):
        return None, _(
            "“%(value)s” is not a finite number (NaN and infinity are refused)"
        ) % {"value": raw[:40]}
    return value, ""


# --- Reading the file ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Layout:
    has_note: bool

    @property
    def width(self) -> int:
        return len(HEADER) + (1 if self.has_note else 0)


_BINARY_SIGNATURES = {
    b"PK\x03\x04": "xlsx",
    b"\xd0\xcf\x11\xe0": "xls",
    b"%PDF": "pdf",
}


def _expected_header() -> str:
    return _(
        "The first line must be the header “%(header)s” (optionally followed by "
        "“,note”)."
    ) % {"header": HEADER_TEXT}


def check_head(head: bytes) -> Layout:
    """Refuse at once what cannot be this CSV format, from the file's first bytes:
    binary files, text that is not UTF-8, semicolons, a wrong header."""
    if not head.strip():
        raise ValidationError(_("The file is empty."), code="empty")
    for signature, kind in _BINARY_SIGNATURES.items():
        if head.startswith(signature):
            if kind in ("xlsx", "xls"):
                raise ValidationError(
                    _(
                        "This is a spreadsheet workbook, not a CSV file: save it as "
                        "“CSV UTF-8 (comma delimited)” and upload that."
                    ),
                    code="not_csv",
                )
            raise ValidationError(
                _("This is not a CSV file (it looks like a PDF)."), code="not_csv"
            )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError(
            _("The file is saved as UTF-16 text: save it as “CSV UTF-8” instead."),
            code="not_utf8",
        )
    if b"\x00" in head:
        raise ValidationError(
            _("This is not a CSV text file (it contains binary data)."),
            code="not_csv",
        )
    # Only the header is decoded here: a bad byte further down is reported by the
    # run with its line number, like any other bad line.
    first_line = head.split(b"\n", 1)[0]
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(
            first_line, final=False
        )
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not UTF-8 text: save it as “CSV UTF-8”."),
            code="not_utf8",
        ) from None
    return layout_of(text.rstrip("\r"))


def layout_of(first_line: str) -> Layout:
    cells = [c.strip().strip('"').strip().lower() for c in first_line.split(",")]
    if tuple(cells) == HEADER:
        return Layout(has_note=False)
    if tuple(cells) == (*HEADER, NOTE):
        return Layout(has_note=True)
    by_semicolon = [c.strip().strip('"').strip().lower() for c in first_line.split(";")]
    if tuple(by_semicolon[: len(HEADER)]) == HEADER:
        raise ValidationError(
            _(
                "The fields are separated by semicolons; this format uses commas. "
                "Save the file as “CSV UTF-8 (comma delimited)”, with a point as "
                "decimal mark."
            ),
            code="semicolons",
        )
    by_tab = [c.strip().lower() for c in first_line.split("\t")]
    if tuple(by_tab[: len(HEADER)]) == HEADER:
        raise ValidationError(
            _("The fields are separated by tabs; this format uses commas."),
            code="tabs",
        )
    found = _("Found: “%(found)s”.") % {"found": first_line[:120]}
    raise ValidationError(f"{_expected_header()} {found}", code="header")


def _open_rows(stream: IO[bytes]) -> tuple[Layout, Iterator[tuple[int, list[str]]]]:
    """The layout and an iterator of (line number, fields) over the data lines,
    reading the binary stream through a text wrapper: one line in memory at a
    time. A byte sequence that is not UTF-8 raises ``UnicodeDecodeError``."""
    raw = getattr(stream, "file", stream)  # a Django File: the real file object
    # Undecodable bytes become U+FFFD, reported with their exact line by pass 1.
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
    reader = csv.reader(text, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationError(_("The file is empty."), code="empty") from None
    layout = layout_of(",".join(header))

    def rows() -> Iterator[tuple[int, list[str]]]:
        for fields in reader:
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue  # blank lines, the trailing one included
            yield reader.line_num, fields

    return layout, rows()


# --- Checking: pass 1 ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Series:
    district_id: int | None
    code: str
    kind: str
    unit: str
    period_kind: str
    indicator_id: int | None
    #: The indicator existed before this import: pass 2 must look values up.
    existed: bool
    seen: bytearray = field(default_factory=bytearray)

    def mark(self, index: int) -> bool:
        """Mark the period seen; False if it already was."""
        byte, bit = divmod(index, 8)
        if byte >= len(self.seen):
            self.seen.extend(bytes(byte + 1 - len(self.seen)))
        if self.seen[byte] & (1 << bit):
            return False
        self.seen[byte] |= 1 << bit
        return True


@dataclass(slots=True)
class Row:
    series: _Series
    period: date
    value: float
    note: str | None


@dataclass
class Report:
    rows: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0

    def add(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"line": line, "message": message})


class _Checker:
    """What pass 1 knows: the city's districts and indicators, and for each series
    of the file its unit, period kind and the periods already seen."""

    def __init__(self, city: City, layout: Layout, *, today: date) -> None:
        self.city = city
        self.layout = layout
        self.today = today
        self.report = Report()
        self.districts: dict[str, int] = {}
        self.district_names: dict[int, str] = {}
        for pk, slug, name in District.objects.filter(city=city).values_list(
            "pk", "slug", "name"
        ):
            self.districts[slug.lower()] = pk
            self.districts.setdefault(name.strip().lower(), pk)
            self.district_names[pk] = name
        self.series: dict[tuple[int | None, str], _Series] = {}
        # The one unit of each code in the city: built-in kinds' own, custom
        # codes' from an existing indicator or the first line that names them.
        self.code_units: dict[str, tuple[str, int]] = {}
        self.existing: dict[tuple[int | None, str], Indicator] = {}
        for ind in Indicator.objects.filter(city=city).only(
            "pk",
            "district_id",
            "code",
            "kind",
            "unit",
            "period_kind",
            "observation_count",
        ):
            self.existing[(ind.district_id, ind.code)] = ind
            self.code_units.setdefault(ind.code, (ind.unit, 0))
        self.duplicates: list[tuple[int, tuple[int | None, str], int]] = []
        self._prefixes: dict[
            tuple[str, str, str], tuple[int | None, str, str, str, tuple[str, ...]]
        ] = {}
        self._periods: dict[str, Period | None] = {}

    def district(self, raw: str) -> tuple[bool, int | None]:
        name = raw.strip().lower()
        if name in WHOLE_CITY:
            return True, None
        pk = self.districts.get(name)
        return (pk is not None), pk

    def _where(self, district_id: int | None) -> str:
        if district_id is None:
            return _("the whole city")
        return self.district_names.get(district_id, "?")

    def _check_prefix(
        self, line: int, raw_district: str, raw_code: str, raw_unit: str
    ) -> tuple[int | None, str, str, str, tuple[str, ...]]:
        problems: list[str] = []
        ok, district_id = self.district(raw_district)
        if not ok:
            problems.append(
                _("%(city)s has no district “%(district)s”")
                % {"city": self.city.name, "district": raw_district[:80]}
            )
        code = raw_code.lower()
        kind = IndicatorKind.CUSTOM
        if code in KIND_UNITS:
            kind = code
        elif not code:
            problems.append(_("the indicator is missing"))
        elif code == IndicatorKind.CUSTOM or not CODE_RE.match(code):
            problems.append(
                _(
                    "“%(code)s” is not an indicator code: use a built-in code or "
                    "lower-case letters, digits, _ and - (e.g. bus_ridership)"
                )
                % {"code": raw_code[:60]}
            )
        elif len(code) > MAX_CODE:
            problems.append(
                _("the indicator code is longer than %(n)d characters")
                % {"n": MAX_CODE}
            )
        unit = raw_unit
        if not unit:
            problems.append(_("the unit is missing"))
        elif len(unit) > MAX_UNIT:
            problems.append(
                _("the unit is longer than %(n)d characters") % {"n": MAX_UNIT}
            )
        elif kind != IndicatorKind.CUSTOM:
            want = KIND_UNITS[kind]
            if unit != want:
                problems.append(
                    _(
                        "unknown unit “%(unit)s” for %(code)s: it is measured in "
                        "“%(want)s”"
                    )
                    % {"unit": unit, "code": code, "want": want}
                )
        elif code and CODE_RE.match(code):
            known = self.code_units.get(code)
            if known is None:
                self.code_units[code] = (unit, line)
            elif known[0] != unit:
                if known[1]:
                    problems.append(
                        _(
                            "mixed units for %(code)s: “%(unit)s” here, “%(known)s” "
                            "on line %(line)d"
                        )
                        % {
                            "code": code,
                            "unit": unit,
                            "known": known[0],
                            "line": known[1],
                        }
                    )
                else:
                    problems.append(
                        _(
                            "mixed units for %(code)s: “%(unit)s” here, but the "
                            "indicator is measured in “%(known)s”"
                        )
                        % {"code": code, "unit": unit, "known": known[0]}
                    )
        return district_id, code, kind, unit, tuple(problems)

    def check(self, line: int, fields: list[str]) -> Row | None:
        """Parse one data line; on problems, record them (one message per line)
        and return None."""
        self.report.rows += 1
        if len(fields) != self.layout.width:
            if (
                len(fields) == self.layout.width + 1
                and re.match(r"^[+-]?\d+$", fields[4].strip())
                and re.match(r"^\d+$", fields[5].strip())
            ):
                comma = f"{fields[4].strip()},{fields[5].strip()}"
                self.report.add(
                    line,
                    _(
                        "expected %(want)d fields, found %(got)d: “%(value)s” looks "
                        "like a decimal comma; write %(fixed)s"
                    )
                    % {
                        "want": self.layout.width,
                        "got": len(fields),
                        "value": comma,
                        "fixed": comma.replace(",", "."),
                    },
                )
                return None
            self.report.add(
                line,
                _(
                    "expected %(want)d fields, found %(got)d (a comma inside a value "
                    "must be quoted)"
                )
                % {"want": self.layout.width, "got": len(fields)},
            )
            return None
        if "\ufffd" in "".join(fields):
            self.report.add(
                line, _("this line is not UTF-8 text: save the file as “CSV UTF-8”")
            )
            return None
        # District, indicator and unit repeat on every line of a series: their
        # verdict is computed once per distinct triple.
        triple = (fields[0], fields[1], fields[2])
        prefix = self._prefixes.get(triple)
        if prefix is None:
            prefix = self._check_prefix(line, *(f.strip() for f in triple))
            if len(self._prefixes) < 100_000:
                self._prefixes[triple] = prefix
        district_id, code, kind, unit, known_problems = prefix
        problems = list(known_problems)
        raw_period, raw_value = fields[3].strip(), fields[4]
        period = self._periods.get(raw_period, False)
        if period is False:
            period = parse_period(raw_period)
            if len(self._periods) < 10_000:
                self._periods[raw_period] = period
        if period is None:
            problems.append(
                _(
                    "“%(period)s” is not a period: write YYYY-MM, YYYY-Qn or YYYY "
                    "(from %(first)d)"
                )
                % {"period": raw_period[:20], "first": FIRST_YEAR}
            )
        elif period.start > self.today:
            problems.append(_("%(period)s is in the future") % {"period": raw_period})
        value, value_problem = parse_value(raw_value)
        if value_problem:
            problems.append(value_problem)
        note: str | None = None
        if self.layout.has_note:
            note = fields[5].strip()
            if len(note) > MAX_NOTE:
                problems.append(
                    _("the note is longer than %(n)d characters") % {"n": MAX_NOTE}
                )
            elif "<" in note and ">" in note:
                problems.append(_("HTML is not allowed in the note"))
        if problems:
            self.report.add(line, "; ".join(problems))
            return None
        assert period is not None and value is not None
        key = (district_id, code)
        series = self.series.get(key)
        if series is None:
            series = self._new_series(key, kind, unit, period.kind)
        if series.period_kind != period.kind:
            self.report.add(
                line,
                _(
                    "%(code)s in %(where)s is given by %(kind)s, not by %(other)s: "
                    "one kind of period per series"
                )
                % {
                    "code": code,
                    "where": self._where(district_id),
                    "kind": PeriodKind(series.period_kind).label.lower(),
                    "other": PeriodKind(period.kind).label.lower(),
                },
            )
            return None
        if not series.mark(period.index):
            self.duplicates.append((line, key, period.index))
            self.report.add(
                line,
                _(
                    "duplicate period: %(code)s in %(where)s for %(period)s is "
                    "already given"
                )
                % {
                    "code": code,
                    "where": self._where(district_id),
                    "period": period_label(period.kind, period.start),
                },
            )
            return None
        return Row(series, period.start, value, note)

    def _new_series(
        self, key: tuple[int | None, str], kind: str, unit: str, period_kind: str
    ) -> _Series:
        existing = self.existing.get(key)
        if existing is not None and existing.observation_count:
            period_kind = existing.period_kind
        series = _Series(
            district_id=key[0],
            code=key[1],
            kind=kind,
            unit=unit,
            period_kind=period_kind,
            indicator_id=existing.pk if existing else None,
            existed=bool(existing),
        )
        self.series[key] = series
        return series


def _first_lines(open_stream: Callable[[], IO[bytes]], checker: _Checker) -> None:
    """Name, in each duplicate's message, the line that first gave the period: a
    third read, only for files refused with duplicates (pass 1 keeps one bit per
    period, not a line number)."""
    wanted = {(key, index) for _line, key, index in checker.duplicates}
    first: dict[tuple[tuple[int | None, str], int], int] = {}
    with open_stream() as stream:
        _layout, rows = _open_rows(stream)
        for line, fields in rows:
            if len(fields) != checker.layout.width:
                continue
            ok, district_id = checker.district(fields[0])
            period = parse_period(fields[3])
            if not ok or period is None:
                continue
            probe = ((district_id, fields[1].strip().lower()), period.index)
            if probe in wanted and probe not in first:
                first[probe] = line
    suffix = {line: first.get((key, index)) for line, key, index in checker.duplicates}
    for error in checker.report.errors:
        earlier = suffix.get(error["line"])
        if earlier and earlier != error["line"]:
            error["message"] += " " + _("(first on line %(line)d)") % {"line": earlier}


# --- Applying: pass 2 ------------------------------------------------------------------------------


@dataclass
class Outcome:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    indicators_created: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0


def _create_indicators(city: City, series: list[_Series], *, source: str) -> int:
    """Create the file's new series; returns how many."""
    names = {k.value: k.label for k in IndicatorKind}
    missing = [s for s in series if s.indicator_id is None]
    if missing:
        Indicator.objects.bulk_create(
            [
                Indicator(
                    city=city,
                    district_id=s.district_id,
                    kind=s.kind,
                    code=s.code,
                    name=str(names[s.kind])
                    if s.kind != IndicatorKind.CUSTOM
                    else humanise_code(s.code),
                    unit=s.unit,
                    source=re.sub(r"[<>]", "", source)[:200],
                    higher_is_better=s.kind in HIGHER_IS_BETTER,
                    period_kind=s.period_kind,
                )
                for s in missing
            ]
        )
    ids = {
        (d, c): (pk, pk_kind)
        for d, c, pk, pk_kind in Indicator.objects.filter(city=city).values_list(
            "district_id", "code", "pk", "period_kind"
        )
    }
    for s in missing:
        s.indicator_id = ids[(s.district_id, s.code)][0]
    # Series that existed without observations take the file's period kind: one
    # update per kind, not per series.
    retyped: dict[str, list[int]] = {}
    for s in series:
        if s.existed and ids[(s.district_id, s.code)][1] != s.period_kind:
            retyped.setdefault(s.period_kind, []).append(s.indicator_id)
    for kind, pks in retyped.items():
        Indicator.objects.filter(pk__in=pks, observation_count=0).update(
            period_kind=kind
        )
    return len(missing)


def _existing_values(
    pairs: list[tuple[int, date]],
) -> dict[tuple[int, date], tuple[int, float, str]]:
    """(indicator, period) → (observation id, value, note) for those that exist,
    in one query per chunk (row values: exact, whatever the file's order)."""
    if not pairs:
        return {}
    table = Observation._meta.db_table
    found: dict[tuple[int, date], tuple[int, float, str]] = {}
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT o.id, o.indicator_id, o.period, o.value, o.note "  # noqa: S608
                f"FROM {table} o JOIN unnest(%s::bigint[], %s::date[]) AS w(i, p) "
                "ON o.indicator_id = w.i AND o.period = w.p",
                [[i for i, _p in pairs], [p for _i, p in pairs]],
            )
            for pk, ind, period, value, note in cursor.fetchall():
                found[(ind, period)] = (pk, value, note)
        return found
    step = 2000
    for lo in range(0, len(pairs), step):
        part = pairs[lo : lo + step]
        params: list[Any] = []
        for ind, period in part:
            params.extend((ind, period if postgres else period.isoformat()))
        values = ",".join(["(%s,%s)"] * len(part))
        sql = (
            f"SELECT id, indicator_id, period, value, note FROM {table} "  # noqa: S608
            f"WHERE (indicator_id, period) IN (VALUES {values})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for pk, ind, period, value, note in cursor.fetchall():
                if isinstance(period, str):
                    period = date.fromisoformat(period)
                found[(ind, period)] = (pk, value, note)
    return found


class _ProgressWriter:
    """Writes rows_done where the import's page can see it while pass 2's
    transaction is still open: on PostgreSQL through a second connection (in
    autocommit); elsewhere inside the transaction (SQLite has one writer anyway)."""

    def __init__(self, import_id: int | None) -> None:
        self.import_id = import_id
        self.side: Any = None
        if import_id and connection.vendor == "postgresql":
            try:
                self.side = connections.create_connection("default")
                self.side.ensure_connection()
                self.side.set_autocommit(True)
            except DatabaseError:
                self.side = None

    def write(self, done: int) -> None:
        if not self.import_id:
            return
        if self.side is not None:
            table = IndicatorImport._meta.db_table
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET rows_done = %s WHERE id = %s",  # noqa: S608
                    [done, self.import_id],
                )
        else:
            IndicatorImport.objects.filter(pk=self.import_id).update(rows_done=done)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def _forget_queries() -> None:
    """With DEBUG on, Django keeps every query's text (a chunk's INSERT is large);
    a long import would grow by them. Kept when a test captures queries."""
    if settings.DEBUG and not connection.force_debug_cursor:
        connection.queries_log.clear()


def _apply_chunk(
    rows: list[Row],
    outcome: Outcome,
    *,
    import_id: int | None,
    actor: User | None,
    now: Any,
    fields: list[str],
) -> None:
    lookup = [(r.series.indicator_id, r.period) for r in rows if r.series.existed]
    existing = _existing_values(lookup)  # type: ignore[arg-type]
    # (indicator, period, value, note) of every new, then changed, observation.
    writes: list[tuple[int, date, float, str]] = []
    changes: list[tuple[int, date, float, str]] = []
    revisions: list[ObservationRevision] = []
    changed_by = actor if actor and actor.pk else None
    for r in rows:
        ind = r.series.indicator_id
        old = existing.get((ind, r.period)) if existing else None  # type: ignore[arg-type]
        if old is None:
            outcome.created += 1
            writes.append((ind, r.period, r.value, r.note or ""))  # type: ignore[arg-type]
            continue
        pk, old_value, old_note = old
        note = old_note if r.note is None else r.note
        if old_value == r.value and note == old_note:
            outcome.unchanged += 1
            continue
        outcome.updated += 1
        changes.append((ind, r.period, r.value, note))  # type: ignore[arg-type]
        if old_value != r.value:
            revisions.append(
                ObservationRevision(
                    observation_id=pk,
                    old_value=old_value,
                    new_value=r.value,
                    source_import_id=import_id,
                    changed_by=changed_by,
                    changed_at=now,
                )
            )
    if connection.vendor == "postgresql":
        if writes:
            _copy_postgres(writes, import_id=import_id, now=now)
        if changes:
            _upsert_postgres(changes, import_id=import_id, now=now, fields=fields)
    elif writes or changes:
        writes.extend(changes)
        if writes:
            Observation.objects.bulk_create(
                [
                    Observation(
                        indicator_id=ind,
                        period=period,
                        value=value,
                        note=note,
                        source_import_id=import_id,
                        updated_at=now,
                    )
                    for ind, period, value, note in writes
                ],
                batch_size=CHUNK_ROWS,
                update_conflicts=True,
                unique_fields=["indicator", "period"],
                update_fields=fields,
            )
    if revisions:
        ObservationRevision.objects.bulk_create(revisions, batch_size=CHUNK_ROWS)
    _forget_queries()


def _copy_text(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


def _copy_postgres(
    rows: list[tuple[int, date, float, str]], *, import_id: int | None, now: Any
) -> None:
    """New observations with ``COPY … FROM STDIN``: the fastest way into
    PostgreSQL. Pass 1 made sure none exists; the city's lock keeps other imports
    and API batches out meanwhile."""
    table = Observation._meta.db_table
    tail = f"\t{import_id if import_id else chr(92) + 'N'}\t{now.isoformat()}\n"
    buffer = io.StringIO()
    buffer.writelines(
        f"{ind}\t{period.isoformat()}\t{value!r}\t{_copy_text(note)}{tail}"
        for ind, period, value, note in rows
    )
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {table} (indicator_id, period, value, note, source_import_id, "
            "updated_at) FROM STDIN",
            buffer,
        )


def _upsert_postgres(
    writes: list[tuple[int, date, float, str]],
    *,
    import_id: int | None,
    now: Any,
    fields: list[str],
) -> None:
    """The chunk's upsert as one ``INSERT … SELECT FROM unnest(…)``: arrays as
    parameters, none of the ORM's per-value preparation (where a million rows
    spend most of their time otherwise)."""
    table = Observation._meta.db_table
    columns = {
        "value": "value = EXCLUDED.value",
        "source_import": "source_import_id = EXCLUDED.source_import_id",
        "updated_at": "updated_at = EXCLUDED.updated_at",
        "note": "note = EXCLUDED.note",
    }
    ids, periods, values, notes = (list(c) for c in zip(*writes, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} "  # noqa: S608
            "(indicator_id, period, value, note, source_import_id, updated_at) "
            "SELECT w.i, w.p, w.v, w.n, %s, %s "
            "FROM unnest(%s::bigint[], %s::date[], %s::float8[], %s::text[]) "
            "AS w(i, p, v, n) "
            "ON CONFLICT (indicator_id, period) DO UPDATE SET "
            + ", ".join(columns[f] for f in fields),
            [import_id, now, ids, periods, values, notes],
        )


def _refresh_counts(indicator_ids: list[int]) -> None:
    """Observation count and latest period of the touched series, one UPDATE per
    thousand series (correlated subqueries over the (indicator, period) index)."""
    rows = Observation.objects.filter(indicator_id=OuterRef("pk")).order_by()
    count = rows.values("indicator_id").annotate(n=Count("pk")).values("n")
    latest = rows.values("indicator_id").annotate(last=Max("period")).values("last")
    step = 1000
    for lo in range(0, len(indicator_ids), step):
        Indicator.objects.filter(pk__in=indicator_ids[lo : lo + step]).update(
            observation_count=Coalesce(Subquery(count), 0),
            last_period=Subquery(latest),
        )


def _lock_city(city: City) -> None:
    """One import per city applies at a time (they may create the same series)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [8008, city.pk])


def _recheck(city: City, checker: _Checker) -> None:
    """Under the city's lock, make sure no concurrent import gave one of the
    file's series another unit or period kind since pass 1."""
    current = {
        (i.district_id, i.code): i
        for i in Indicator.objects.filter(
            city=city, code__in={k[1] for k in checker.series}
        )
    }
    for key, series in checker.series.items():
        ind = current.get(key)
        if ind is None:
            series.indicator_id = None
            series.existed = False
            continue
        if series.indicator_id is None:
            series.indicator_id, series.existed = ind.pk, True
        if ind.unit != series.unit or (
            ind.observation_count and ind.period_kind != series.period_kind
        ):
            raise ValidationError(
                _(
                    "%(code)s changed while this file was being checked (another "
                    "import?): import the file again."
                )
                % {"code": key[1]}
            )


def _run(
    *,
    city: City,
    open_stream: Callable[[], IO[bytes]],
    import_id: int | None,
    actor: User | None,
    source: str,
    progress: Progress | None,
    on_checked: Callable[[int], None] | None = None,
) -> Outcome:
    """Pass 1 then, if no line is wrong, pass 2 in one transaction."""
    today = timezone.localdate()
    started = time.monotonic()
    with open_stream() as stream:
        layout, rows = _open_rows(stream)
        checker = _Checker(city, layout, today=today)
        try:
            for line, fields in rows:
                checker.check(line, fields)
        except csv.Error as exc:
            checker.report.add(
                checker.report.rows + 2,
                _("the line cannot be read as CSV (%(error)s); checking stopped here")
                % {"error": str(exc)[:80]},
            )
    report = checker.report
    if report.rows == 0 and not report.error_count:
        report.add(1, _("The file has a header but no data line."))
    if checker.duplicates:
        _first_lines(open_stream, checker)
    outcome = Outcome(rows=report.rows)
    if report.error_count:
        outcome.errors, outcome.error_count = report.errors, report.error_count
        return outcome
    if on_checked is not None:
        on_checked(report.rows)
    checked = time.monotonic()
    writer = _ProgressWriter(import_id)
    fields = ["value", "source_import", "updated_at"]
    if layout.has_note:
        fields.append("note")
    now = timezone.now()
    try:
        with transaction.atomic():
            _lock_city(city)
            _recheck(city, checker)
            outcome.indicators_created = _create_indicators(
                city, list(checker.series.values()), source=source
            )
            done = 0
            with open_stream() as stream:
                _layout, rows = _open_rows(stream)
                for chunk in _chunks(
                    (_parse_checked(checker, f) for _line, f in rows), CHUNK_ROWS
                ):
                    _apply_chunk(
                        chunk,
                        outcome,
                        import_id=import_id,
                        actor=actor,
                        now=now,
                        fields=fields,
                    )
                    done += len(chunk)
                    writer.write(done)
                    if progress:
                        progress(done, report.rows)
            touched = [
                s.indicator_id
                for s in checker.series.values()
                if s.indicator_id is not None
            ]
            if outcome.created or outcome.updated or outcome.indicators_created:
                _refresh_counts(sorted(touched))  # type: ignore[arg-type]
            written = time.monotonic()
    finally:
        writer.close()
    log.info(
        "indicator import %s: %d rows checked in %.1f s, written in %.1f s, "
        "committed in %.1f s",
        import_id or source,
        report.rows,
        checked - started,
        written - checked,
        time.monotonic() - written,
    )
    return outcome


def _parse_checked(checker: _Checker, fields: list[str]) -> Row:
    """Pass 2's parse of a line pass 1 accepted (through pass 1's caches)."""
    prefix = checker._prefixes.get((fields[0], fields[1], fields[2]))
    if prefix is None:
        district_id = checker.district(fields[0])[1]
        code = fields[1].strip().lower()
    else:
        district_id, code = prefix[0], prefix[1]
    raw_period = fields[3].strip()
    period = checker._periods.get(raw_period) or parse_period(raw_period)
    note = fields[5].strip() if checker.layout.has_note else None
    return Row(
        checker.series[(district_id, code)],
        period.start,  # type: ignore[union-attr]
        float(fields[4]),
        note,
    )


# --- Imports: upload, run, sweep ----------------------------------------------------------------


def indicator_import_create(
    *,
    actor: User | None,
    city: City,
    upload: File,
    filename: str = "",
    uploaded_by: User | None = None,
    enqueue: bool = True,
) -> IndicatorImport:
    """Store an uploaded CSV file as a queued import of ``city`` and, once the
    transaction commits, hand it to the workers (``enqueue=False``: the caller runs
    it). Refused at once, with nothing stored: a caller who may not import into
    the city, an empty file, one over the size limit, one that is not this CSV
    format (binary, wrong header, semicolons). Every line is checked by the run."""
    if actor is not None and not can_import(actor, city):
        raise PermissionDenied(
            _("Only the coordinators of %(city)s can import its indicators.")
            % {"city": city.name}
        )
    size = int(getattr(upload, "size", 0) or 0)
    limit = max_import_bytes()
    if size <= 0:
        raise ValidationError({"file": [_("The file is empty.")]})
    if size > limit:
        raise ValidationError(
            {
                "file": [
                    _("The file is %(size)s MB; the limit is %(limit)s MB.")
                    % {"size": _megabytes(size), "limit": _megabytes(limit)}
                ]
            }
        )
    upload.seek(0)
    head = upload.read(64 * 1024)
    try:
        check_head(head)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    digest = hashlib.sha256()
    upload.seek(0)
    for block in (
        upload.chunks()
        if hasattr(upload, "chunks")
        else iter(lambda: upload.read(1024 * 1024), b"")
    ):
        digest.update(block)
    upload.seek(0)
    name = filename or getattr(upload, "name", "") or "indicators.csv"
    name = name.replace("\\", "/").rsplit("/", 1)[-1][:200] or "indicators.csv"
    by = actor or uploaded_by
    with transaction.atomic():
        imp = IndicatorImport(
            city=city,
            uploaded_by=by if by and by.pk else None,
            filename=name,
            size=size,
            sha256=digest.hexdigest(),
        )
        imp.file.save(name, upload, save=False)
        imp.save()
        audit_record(
            actor=by,
            action="indicators.import_upload",
            target=imp,
            city=city,
            data={"filename": name, "size": size, "sha256": imp.sha256},
        )
        if enqueue:
            pk = imp.pk
            transaction.on_commit(lambda: enqueue_import(pk))
    return imp


def enqueue_import(import_id: int) -> None:
    """Hand the import to the workers. With the broker down, the import stays
    queued (running a large file inside the web request is not an option) and the
    beat sweep enqueues it once the broker is back."""
    from ..tasks import import_indicators

    try:
        import_indicators.apply_async(
            kwargs={"import_id": int(import_id)}, ignore_result=True
        )
    except (KombuOperationalError, OSError):
        log.warning(
            "broker unavailable; indicator import %s stays queued for the sweep",
            import_id,
            exc_info=True,
        )


def _claim(import_id: int) -> IndicatorImport | None:
    claimed = IndicatorImport.objects.filter(
        pk=import_id, state=ImportState.QUEUED
    ).update(state=ImportState.RUNNING, started_at=timezone.now(), rows_done=0)
    if not claimed:
        return None
    return IndicatorImport.objects.select_related("city", "uploaded_by").get(
        pk=import_id
    )


def indicator_import_run(
    *, import_id: int, progress: Progress | None = None, detect: bool = True
) -> IndicatorImport | None:
    """Check and apply a queued import; returns it, or None when it was not queued
    (already done, rejected or running elsewhere: a second run does nothing).

    Rejected: state ``rejected`` with every bad line (the first ``MAX_ERRORS``
    messages and the full count), nothing changed. A transient database error
    puts the import back in the queue (the task retries); any other failure marks
    it ``failed``."""
    imp = _claim(import_id)
    if imp is None:
        return None
    actor = imp.uploaded_by

    def opener() -> IO[bytes]:
        return imp.file.storage.open(imp.file.name, "rb")  # type: ignore[no-any-return]

    def checked(rows: int) -> None:
        IndicatorImport.objects.filter(pk=imp.pk).update(rows_total=rows)

    try:
        outcome = _run(
            city=imp.city,
            open_stream=opener,
            import_id=imp.pk,
            actor=actor,
            source=imp.filename,
            progress=progress,
            on_checked=checked,
        )
    except ValidationError as exc:
        outcome = Outcome(
            errors=[{"line": 1, "message": m} for m in exc.messages],
            error_count=len(exc.messages),
        )
    except OperationalError:
        IndicatorImport.objects.filter(pk=imp.pk).update(
            state=ImportState.QUEUED, rows_done=0
        )
        raise
    except Exception as exc:
        log.exception("indicator import %s failed", imp.pk)
        IndicatorImport.objects.filter(pk=imp.pk).update(
            state=ImportState.FAILED,
            finished_at=timezone.now(),
            errors=[
                {
                    "line": 0,
                    "message": _("The import failed: %(error)s")
                    % {"error": type(exc).__name__},
                }
            ],
            error_count=1,
        )
        raise
    return _finish(imp, outcome, detect=detect)


def _finish(imp: IndicatorImport, outcome: Outcome, *, detect: bool) -> IndicatorImport:
    now = timezone.now()
    with transaction.atomic():
        if outcome.ok:
            state = ImportState.DONE
            done = outcome.rows
        else:
            state = ImportState.REJECTED
            done = 0
        IndicatorImport.objects.filter(pk=imp.pk).update(
            state=state,
            rows_total=outcome.rows,
            rows_done=done,
            created_count=outcome.created,
            updated_count=outcome.updated,
            unchanged_count=outcome.unchanged,
            errors=outcome.errors,
            error_count=outcome.error_count,
            finished_at=now,
        )
        imp.refresh_from_db()
        audit_record(
            actor=imp.uploaded_by,
            action="indicators.import_done"
            if outcome.ok
            else "indicators.import_rejected",
            target=imp,
            city=imp.city_id,
            data={
                "rows": outcome.rows,
                "created": outcome.created,
                "updated": outcome.updated,
                "unchanged": outcome.unchanged,
                "indicators_created": outcome.indicators_created,
                "errors": outcome.error_count,
            },
        )
        if detect and outcome.ok and (outcome.created or outcome.updated):
            city_id = imp.city_id
            transaction.on_commit(lambda: _detect_after_import(city_id))
    return imp


def _detect_after_import(city_id: int) -> None:
    """Look for shifts in the city's series now that they changed."""
    from ..tasks import detect_city_signals

    try:
        detect_city_signals.apply_async(args=[city_id], ignore_result=True)
    except Exception:  # noqa: BLE001 - the nightly detection catches up
        log.warning(
            "shift detection for city %s not started; the nightly run catches up",
            city_id,
            exc_info=True,
        )


def indicator_import_file(
    *,
    city: City,
    path: str,
    uploaded_by: User | None = None,
    progress: Progress | None = None,
    detect: bool = True,
) -> IndicatorImport:
    """``manage.py import_indicators``: store the local file as an import and run
    it here, in this process (then detect shifts, unless ``detect`` is False)."""
    with open(path, "rb") as handle:
        imp = indicator_import_create(
            actor=None,
            city=city,
            upload=File(handle, name=path),
            uploaded_by=uploaded_by,
            enqueue=False,
        )
    indicator_import_run(import_id=imp.pk, progress=progress, detect=detect)
    imp.refresh_from_db()
    return imp


def sweep_indicator_imports() -> list[int]:
    """Beat: imports never picked up (the broker was down at upload) and imports
    whose worker died (running far longer than the task may) go back to the
    queue; returns the ids to enqueue."""
    now = timezone.now()
    IndicatorImport.objects.filter(
        state=ImportState.RUNNING, started_at__lt=now - RUNNING_STALE
    ).update(state=ImportState.QUEUED, rows_done=0)
    return list(
        IndicatorImport.objects.filter(
            state=ImportState.QUEUED, created_at__lt=now - QUEUED_GRACE
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:100]
    )


# --- Indicators and observations through the API -------------------------------------------------


def indicator_create(
    *,
    actor: User,
    city: City,
    kind: str,
    district: District | None = None,
    code: str = "",
    name: str = "",
    unit: str = "",
    source: str = "",
    higher_is_better: bool | None = None,
    period_kind: str = PeriodKind.MONTH,
    priorities: list[Priority] | None = None,
    sectors: list[Sector] | None = None,
) -> Indicator:
    """A new series of ``city``. A built-in kind has its own code and unit; a
    custom one needs a name (its code defaults to the name's slug) and a unit."""
    from django.utils.text import slugify

    if not can_import(actor, city):
        raise PermissionDenied(
            _("Only the coordinators of %(city)s can add its indicators.")
            % {"city": city.name}
        )
    if district is not None and district.city_id != city.pk:
        raise ValidationError({"district": [_("This district is in another city.")]})
    errors: dict[str, list[str]] = {}
    if kind == IndicatorKind.CUSTOM:
        name = (name or "").strip()
        code = (code or slugify(name).replace("-", "_")).strip().lower()
        unit = (unit or "").strip()
        if not name:
            errors["name"] = [_("A custom indicator needs a name.")]
        if not unit:
            errors["unit"] = [_("A custom indicator needs its unit.")]
        if not code or not CODE_RE.match(code) or code in KIND_UNITS or code == kind:
            errors["code"] = [
                _("Use lower-case letters, digits, _ and -, not a built-in code.")
            ]
        known = (
            Indicator.objects.filter(city=city, code=code)
            .values_list("unit", flat=True)
            .first()
        )
        if known and unit and known != unit:
            errors["unit"] = [
                _("%(code)s is measured in “%(unit)s” in this city.")
                % {"code": code, "unit": known}
            ]
    else:
        want = KIND_UNITS.get(kind)
        if want is None:
            raise ValidationError({"kind": [_("Unknown kind.")]})
        if unit and unit.strip() != want:
            errors["unit"] = [
                _("%(kind)s is measured in “%(unit)s”.") % {"kind": kind, "unit": want}
            ]
        if code and code != kind:
            errors["code"] = [_("A built-in kind's code is the kind itself.")]
        code, unit = kind, want
        name = (name or "").strip() or str(IndicatorKind(kind).label)
    if errors:
        raise ValidationError(errors)
    if Indicator.objects.filter(city=city, district=district, code=code).exists():
        raise ValidationError(
            {"code": [_("This series already exists for this district.")]}
        )
    with transaction.atomic():
        indicator = Indicator(
            city=city,
            district=district,
            kind=kind,
            code=code,
            name=name,
            unit=unit,
            source=(source or "").strip(),
            higher_is_better=(
                kind in HIGHER_IS_BETTER
                if higher_is_better is None
                else higher_is_better
            ),
            period_kind=period_kind,
        )
        indicator.full_clean()
        indicator.save()
        if priorities:
            if any(p.city_id != city.pk for p in priorities):
                raise ValidationError(
                    {"priorities": [_("A priority of another city.")]}
                )
            indicator.priorities.set(priorities)
        if sectors:
            indicator.sectors.set(sectors)
        audit_record(
            actor=actor, action="indicators.create", target=indicator, city=city
        )
    return indicator


def observations_apply(
    *, actor: User, indicator: Indicator, rows: list[dict[str, Any]]
) -> Outcome:
    """Add or correct a batch of observations of one series (the API), through
    the CSV import's checks and writes: ``rows`` are ``{"period", "value",
    "note"?}``, numbered from 1 in the messages. All or nothing."""
    if not can_import(actor, indicator.city_id):
        raise PermissionDenied(
            _("Only the city's coordinators can add or correct its observations.")
        )
    has_note = any("note" in r for r in rows)
    district = indicator.district.slug if indicator.district_id else ""  # type: ignore[union-attr]
    lines = ["district,indicator,unit,period,value" + (",note" if has_note else "")]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(lines[0].split(","))
    for r in rows:
        cells = [
            district,
            indicator.code,
            indicator.unit,
            str(r.get("period", "")),
            _value_text(r.get("value")),
        ]
        if has_note:
            cells.append(str(r.get("note", "") or ""))
        writer.writerow(cells)
    data = out.getvalue().encode()

    def opener() -> IO[bytes]:
        return io.BytesIO(data)

    with transaction.atomic():
        outcome = _run(
            city=indicator.city,
            open_stream=opener,
            import_id=None,
            actor=actor,
            source=_("API"),
            progress=None,
        )
        if not outcome.ok:
            raise ValidationError(
                {
                    "observations": [
                        _("item %(n)d: %(message)s")
                        % {"n": e["line"] - 1, "message": e["message"]}
                        for e in outcome.errors
                    ]
                }
            )
        audit_record(
            actor=actor,
            action="indicators.observations",
            target=indicator,
            city=indicator.city_id,
            data={
                "created": outcome.created,
                "updated": outcome.updated,
                "unchanged": outcome.unchanged,
            },
        )
        if outcome.created or outcome.updated:
            city_id = indicator.city_id
            transaction.on_commit(lambda: _detect_after_import(city_id))
    return outcome


def _value_text(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, float):
        return repr(value)
    return str(value)
