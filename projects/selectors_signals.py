"""Reads of the demand-signal pages: the city's series as small-multiple charts, the
signal inbox, one signal, and the indicators that inform a priority.

Every function runs a fixed number of queries whatever the number of series,
observations or signals (the query-count tests hold them to it). The signal
sentence is built here, at display time, in the reader's language, from the
parameters the detector stored in ``details``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import (
    Case,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stakeholders.models import City, District

from . import charts
from .models import (
    Indicator,
    IndicatorKind,
    Observation,
    PeriodKind,
    Priority,
    Signal,
    SignalState,
)
from .services.indicators import period_label

#: Periods drawn per small chart.
CHART_PERIODS = 36


# --- Words --------------------------------------------------------------------------------


def indicator_label(indicator: Indicator | dict[str, Any]) -> str:
    """The indicator's name in the reader's language (built-in kinds are
    translated; a custom one keeps the name it was given)."""
    kind = indicator["kind"] if isinstance(indicator, dict) else indicator.kind
    name = indicator["name"] if isinstance(indicator, dict) else indicator.name
    if kind and kind != IndicatorKind.CUSTOM and kind in IndicatorKind.values:
        return str(IndicatorKind(kind).label)
    return name


def place_of(signal: Signal) -> str:
    district = signal.details.get("district") or (
        signal.indicator.district.name if signal.indicator.district_id else ""
    )
    if district:
        return _("%(district)s district") % {"district": district}
    return signal.details.get("city") or signal.city.name


def _duration(period_kind: str, n: int) -> str:
    if period_kind == PeriodKind.QUARTER:
        return ngettext("over %(n)d quarter", "over %(n)d quarters", n) % {"n": n}
    if period_kind == PeriodKind.YEAR:
        return ngettext("over %(n)d year", "over %(n)d years", n) % {"n": n}
    return ngettext("over %(n)d month", "over %(n)d months", n) % {"n": n}


def signal_sentence(signal: Signal) -> str:
    """E.g. "Average commute in North district is up 12 % over 6 months"."""
    details = signal.details or {}
    params = {
        "indicator": indicator_label(signal.indicator),
        "place": place_of(signal),
        "size": round(abs(signal.size) * 100),
    }
    if details.get("method") == "year_over_year":
        text = (
            _("%(indicator)s in %(place)s is up %(size)d %% on the year before")
            if signal.direction == "up"
            else _("%(indicator)s in %(place)s is down %(size)d %% on the year before")
        )
        return text % params
    text = (
        _("%(indicator)s in %(place)s is up %(size)d %% %(duration)s")
        if signal.direction == "up"
        else _("%(indicator)s in %(place)s is down %(size)d %% %(duration)s")
    )
    periods = int(details.get("periods") or 1)
    kind = details.get("period_kind") or signal.indicator.period_kind
    return text % {**params, "duration": _duration(kind, periods)}


def method_text(signal: Signal) -> str:
    details = signal.details or {}
    method = details.get("method", signal.method)
    seasonal = details.get("seasonal")
    if method == "trend":
        text = _(
            "Mann–Kendall trend test over the last %(n)d periods; size from Sen's "
            "slope."
        ) % {"n": details.get("periods", 12)}
    elif method == "year_over_year":
        text = _(
            "Seasonal series: the last %(n)d periods against the same periods a year "
            "earlier (t-test on the year-on-year changes)."
        ) % {"n": details.get("periods", 12)}
    else:
        text = _(
            "Level shift: the latest %(k)d periods against the %(b)d before them "
            "(Welch t-test), every recent value beyond the usual range."
        ) % {"k": details.get("periods", 0), "b": details.get("baseline_periods", 0)}
        if seasonal:
            text += " " + _(
                "Seasonality removed by comparing each period with the same period a year earlier."
            )
    return text


def annotate(signals: list[Signal]) -> list[Signal]:
    """Attach ``sentence`` and ``method_text`` for templates and the API."""
    for signal in signals:
        signal.sentence = signal_sentence(signal)  # type: ignore[attr-defined]
        signal.method_text = method_text(signal)  # type: ignore[attr-defined]
        signal.current = bool((signal.details or {}).get("current", True))  # type: ignore[attr-defined]
    return signals


# --- Signals ------------------------------------------------------------------------------


def _signal_rows() -> QuerySet[Signal]:
    return Signal.objects.select_related(
        "indicator", "indicator__district", "city", "priority", "decided_by"
    )


def signals_inbox_all() -> QuerySet[Signal]:
    """Every signal, in inbox order: open first (most confident first), then the
    decided ones, latest decision first."""
    return (
        _signal_rows()
        .annotate(
            open_first=Case(
                When(state=SignalState.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("open_first", "-confidence", "-decided_at", "-detected_at", "-pk")
    )


def signals_inbox(
    city: City | int, *, state: str = "", indicator: int | None = None
) -> QuerySet[Signal]:
    """The city's signals in inbox order."""
    qs = signals_inbox_all().filter(city=city)
    if state:
        qs = qs.filter(state=state)
    if indicator:
        qs = qs.filter(indicator_id=indicator)
    return qs


def signal_detail(pk: int) -> Signal:
    return _signal_rows().get(pk=pk)


def series_values(
    indicator_ids: list[int], periods: int = CHART_PERIODS
) -> dict[int, list[tuple[date, float]]]:
    """The latest ``periods`` observations of each indicator, oldest first: one
    query."""
    if not indicator_ids:
        return {}
    rows = (
        Observation.objects.filter(indicator_id__in=indicator_ids)
        .annotate(
            back=Window(
                RowNumber(),
                partition_by=[F("indicator_id")],
                order_by=[F("period").desc()],
            )
        )
        .filter(back__lte=periods)
        .values_list("indicator_id", "period", "value")
    )
    out: dict[int, list[tuple[date, float]]] = defaultdict(list)
    for indicator_id, period, value in rows:
        out[indicator_id].append((period, value))
    for values in out.values():
        values.sort()
    return out


def _fmt(value: float) -> float:
    return round(value, 2) if abs(value) < 1000 else round(value)


def series_chart(
    indicator: Indicator,
    values: list[tuple[date, float]],
    signals: list[Signal],
    *,
    small: bool = True,
) -> charts.Chart:
    labels = [period_label(indicator.period_kind, d) for d, _v in values]
    positions = {d: i for i, (d, _v) in enumerate(values)}
    markers = sorted({positions[s.since] for s in signals if s.since in positions})
    place = indicator.district.name if indicator.district_id else _("whole city")
    name = f"{indicator_label(indicator)} ({indicator.unit})"
    if values:
        alt = _(
            "%(name)s in %(place)s, %(first)s to %(last)s: from %(a)s to %(b)s %(unit)s"
        ) % {
            "name": indicator_label(indicator),
            "place": place,
            "first": labels[0],
            "last": labels[-1],
            "a": _fmt(values[0][1]),
            "b": _fmt(values[-1][1]),
            "unit": indicator.unit,
        }
        if markers:
            alt += "; " + ngettext(
                "%(n)d shift detected", "%(n)d shifts detected", len(markers)
            ) % {"n": len(markers)}
        alt += "."
    else:
        alt = _("%(name)s in %(place)s: no data yet.") % {
            "name": indicator_label(indicator),
            "place": place,
        }
    return charts.marked_line_chart(
        x_labels=labels,
        name=name,
        values=[_fmt(v) for _d, v in values],
        alt=alt,
        label_header=_("Period"),
        markers=markers,
        marker_label=_("Shift starts"),
        **({} if small else {"width": 720, "height": 320}),
    )


@dataclass
class Panel:
    indicator: Indicator
    chart: charts.Chart
    latest: tuple[date, float] | None
    latest_label: str
    open_signals: list[Signal] = field(default_factory=list)


@dataclass
class KindGroup:
    kind: str
    label: str
    unit: str
    panels: list[Panel]
    open_count: int


def indicator_filters(
    city: City | int,
) -> tuple[list[tuple[str, str, int]], list[District]]:
    """The kinds the city has (code, label, open signals) and its districts: two
    queries."""
    from django.db.models import Count, Q

    kinds = (
        Indicator.objects.filter(city=city)
        .values("kind", "name")
        .annotate(open=Count("signals", filter=Q(signals__state=SignalState.OPEN)))
        .order_by("kind", "name")
    )
    seen: dict[str, list[Any]] = {}
    for row in kinds:
        entry = seen.setdefault(
            _kind_key(row["kind"], row["name"]), [indicator_label(row), 0]
        )
        entry[1] += row["open"]
    options = [(code, label, count) for code, (label, count) in seen.items()]
    options.sort(key=lambda o: (o[0].startswith("custom:"), o[1].lower()))
    districts = list(District.objects.filter(city=city).order_by("name"))
    return options, districts


def _kind_key(kind: str, name: str) -> str:
    """What the pages group series by: the kind, or each custom indicator's name."""
    return kind if kind != IndicatorKind.CUSTOM else f"custom:{name}"


def indicator_groups(
    city: City | int, *, kind: str = "", district: int | None = None
) -> list[KindGroup]:
    """Small multiples of one kind (or all): one chart per district and one for the
    whole city, with the starts of open and accepted signals marked. Three
    queries whatever the number of series."""
    qs = Indicator.objects.filter(city=city).select_related("district")
    if kind.startswith("custom:"):
        qs = qs.filter(kind=IndicatorKind.CUSTOM, name=kind.removeprefix("custom:"))
    elif kind:
        qs = qs.filter(kind=kind)
    if district:
        qs = qs.filter(district_id=district)
    indicators = sorted(
        qs,
        key=lambda i: (
            indicator_label(i).lower(),
            i.district is not None,
            i.district.name if i.district_id else "",
        ),
    )
    ids = [i.pk for i in indicators]
    values = series_values(ids)
    signals: dict[int, list[Signal]] = defaultdict(list)
    for signal in Signal.objects.filter(
        indicator_id__in=ids, state__in=[SignalState.OPEN, SignalState.ACCEPTED]
    ).order_by("since", "pk"):
        signals[signal.indicator_id].append(signal)
    groups: dict[str, KindGroup] = {}
    for indicator in indicators:
        key = _kind_key(indicator.kind, indicator.name)
        group = groups.get(key)
        if group is None:
            group = groups[key] = KindGroup(
                kind=key,
                label=indicator_label(indicator),
                unit=indicator.unit,
                panels=[],
                open_count=0,
            )
        series = values.get(indicator.pk, [])
        own = signals.get(indicator.pk, [])
        for signal in own:
            signal.indicator = indicator  # no query for the sentence
        opened = annotate([s for s in own if s.state == SignalState.OPEN])
        group.open_count += len(opened)
        latest = series[-1] if series else None
        group.panels.append(
            Panel(
                indicator=indicator,
                chart=series_chart(indicator, series, own),
                latest=latest,
                latest_label=period_label(indicator.period_kind, latest[0])
                if latest
                else "",
                open_signals=opened,
            )
        )
    return list(groups.values())


# --- The priority page ----------------------------------------------------------------------


@dataclass
class Informing:
    """One kind of indicator that informs a priority: its series (districts and
    whole city), the whole city's latest value, and the open signals of all."""

    kind: str
    label: str
    unit: str
    series: int
    latest_value: float | None
    latest_label: str
    open_signals: list[Signal]


def indicators_informing(priority: Priority | int) -> list[Informing]:
    """The indicators linked to a priority, grouped by kind: two queries."""
    latest = Observation.objects.filter(
        indicator=OuterRef("pk"), period=OuterRef("last_period")
    ).values("value")[:1]
    indicators = list(
        Indicator.objects.filter(priorities=priority)
        .select_related("district")
        .annotate(latest_value=Subquery(latest))
        .order_by("kind", "name", "district__name", "pk")
    )
    if not indicators:
        return []
    by_id = {i.pk: i for i in indicators}
    signals: dict[int, list[Signal]] = defaultdict(list)
    for signal in Signal.objects.filter(
        indicator_id__in=list(by_id), state=SignalState.OPEN
    ).order_by("-confidence", "pk"):
        signal.indicator = by_id[signal.indicator_id]
        signals[signal.indicator_id].append(signal)
    groups: dict[str, Informing] = {}
    for indicator in indicators:
        key = _kind_key(indicator.kind, indicator.name)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Informing(
                kind=key,
                label=indicator_label(indicator),
                unit=indicator.unit,
                series=0,
                latest_value=None,
                latest_label="",
                open_signals=[],
            )
        group.series += 1
        if indicator.district_id is None and indicator.last_period:
            group.latest_value = indicator.latest_value  # type: ignore[attr-defined]
            group.latest_label = period_label(
                indicator.period_kind, indicator.last_period
            )
        group.open_signals.extend(annotate(signals.get(indicator.pk, [])))
    return sorted(
        groups.values(), key=lambda g: (-len(g.open_signals), g.label.lower())
    )
