"""Demand signals: detecting shifts in a city's indicator series, and acting on them.

``signals_detect_city`` loads every series of a city in three queries, runs the
pure detector (``projects.demand.detect.detect_many``) and upserts one ``Signal``
per shift. It is idempotent: running it twice on the same data writes the same rows.

A detected shift is *the same signal* as a stored one of the same indicator and
direction when that one is still open (its start may move by a period or two as
data arrives), or when a decided one started within ``SAME_SHIFT_PERIODS`` periods
of it — so a dismissed shift is not raised again night after night. An open signal
the latest data no longer supports is left open (a coordinator closes it) and
marked ``details["current"] = False``, shown as "no longer in the latest data".

Acting on a signal goes through the priority services of ``services.matching``, so
a changed weight or a new priority re-scores the city through the usual re-score
job and its progress bar. Only the coordinators of the signal's city act; a
decided signal cannot be decided again; everything is audited.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from stakeholders import permissions as sp
from stakeholders.models import City, NotificationKind, User
from stakeholders.services import audit_record, coordinators_of, notify_on_commit

from ..demand.detect import Shift, detect_many
from ..models import (
    Indicator,
    Observation,
    PeriodKind,
    Priority,
    Signal,
    SignalAction,
    SignalState,
)
from . import matching as priorities

log = logging.getLogger(__name__)

#: Periods of each series handed to the detector (it looks at most 36 back).
HISTORY_PERIODS = 36
#: A decided signal whose start is this close (in periods) is the same shift.
SAME_SHIFT_PERIODS = 3
#: Above this many new signals in one run, coordinators get one summary.
NOTIFY_EACH_UP_TO = 3
MIN_WEIGHT, MAX_WEIGHT = 1, 5
MAX_REASON = 2000

PERIOD_DAYS = {PeriodKind.MONTH: 31, PeriodKind.QUARTER: 92, PeriodKind.YEAR: 366}


def can_act_on_signals(user: Any, city: City | int) -> bool:
    """The city's coordinators (verified, with two-factor authentication), staff."""
    return sp.is_coordinator(user, city)


# --- Detection ---------------------------------------------------------------------------


@dataclass
class DetectResult:
    series: int = 0
    created: list[int] = field(default_factory=list)
    updated: int = 0
    unchanged: int = 0
    stale: int = 0


def _series_of_city(city_id: int) -> tuple[list[dict[str, Any]], dict[int, list]]:
    """The city's indicators and the latest ``HISTORY_PERIODS`` observations of
    each: two queries whatever the number of series."""
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

    indicators = list(
        Indicator.objects.filter(city_id=city_id)
        .order_by("pk")
        .values(
            "pk",
            "name",
            "kind",
            "unit",
            "period_kind",
            "higher_is_better",
            "district__name",
        )
    )
    rows = (
        Observation.objects.filter(indicator__city_id=city_id)
        .annotate(
            back=Window(
                RowNumber(),
                partition_by=[F("indicator_id")],
                order_by=[F("period").desc()],
            )
        )
        .filter(back__lte=HISTORY_PERIODS)
        .values_list("indicator_id", "period", "value")
    )
    series: dict[int, list[tuple[date, float]]] = defaultdict(list)
    for indicator_id, period, value in rows:
        series[indicator_id].append((period, value))
    return indicators, series


def _details(shift: Shift, indicator: dict[str, Any], city: City) -> dict[str, Any]:
    """What the sentence needs at display time, and the numbers behind it."""
    return {
        **shift.as_details(),
        "indicator": indicator["name"],
        "kind": indicator["kind"],
        "district": indicator["district__name"] or "",
        "city": city.name,
        "unit": indicator["unit"],
        "period_kind": indicator["period_kind"],
        "current": True,
    }


def _same_shift(stored: Signal, shift: Shift, period_kind: str) -> bool:
    if stored.direction != shift.direction:
        return False
    if stored.state == SignalState.OPEN:
        return True
    tolerance = SAME_SHIFT_PERIODS * PERIOD_DAYS.get(period_kind, 31)
    return abs((stored.since - shift.since).days) <= tolerance


_WRITTEN = ("size", "since", "last_period", "confidence", "method", "details")


def signals_detect_city(*, city: City) -> DetectResult:
    """Detect shifts in every series of ``city`` and upsert its signals."""
    indicators, series = _series_of_city(city.pk)
    ordered = [ind for ind in indicators if series.get(ind["pk"])]
    found = detect_many(
        [series[ind["pk"]] for ind in ordered],
        higher_is_better=[ind["higher_is_better"] for ind in ordered],
    )
    result = DetectResult(series=len(ordered))
    with transaction.atomic():
        # One run per city at a time: an import's run and the nightly one would
        # otherwise both insert the same new signal.
        City.objects.select_for_update().filter(pk=city.pk).first()
        stored: dict[int, list[Signal]] = defaultdict(list)
        for signal in Signal.objects.filter(city=city).order_by("-since", "-pk"):
            stored[signal.indicator_id].append(signal)
        seen: set[int] = set()
        to_update: list[Signal] = []
        to_create: list[Signal] = []
        for indicator, shifts in zip(ordered, found, strict=True):
            rows = stored.get(indicator["pk"], [])
            for shift in shifts:
                details = _details(shift, indicator, city)
                match = next(
                    (
                        s
                        for s in rows
                        if s.pk not in seen
                        and _same_shift(s, shift, indicator["period_kind"])
                    ),
                    None,
                )
                if match is None:
                    to_create.append(
                        Signal(
                            indicator_id=indicator["pk"],
                            city=city,
                            direction=shift.direction,
                            size=round(shift.size, 6),
                            since=shift.since,
                            last_period=shift.last_period,
                            confidence=round(shift.confidence, 6),
                            method=shift.method,
                            details=details,
                        )
                    )
                    continue
                seen.add(match.pk)
                since = shift.since
                if since != match.since and any(
                    s.pk != match.pk
                    and s.direction == shift.direction
                    and s.since == since
                    for s in rows
                ):
                    since = match.since  # another row holds that start
                new = {
                    "size": round(shift.size, 6),
                    "since": since,
                    "last_period": shift.last_period,
                    "confidence": round(shift.confidence, 6),
                    "method": shift.method,
                    "details": details,
                }
                old = {name: getattr(match, name) for name in _WRITTEN}
                old["size"] = round(old["size"], 6)
                old["confidence"] = round(old["confidence"], 6)
                if old == new:
                    result.unchanged += 1
                    continue
                for name, value in new.items():
                    setattr(match, name, value)
                to_update.append(match)
        for rows in stored.values():
            for signal in rows:
                if (
                    signal.pk not in seen
                    and signal.state == SignalState.OPEN
                    and signal.details.get("current", True)
                ):
                    signal.details = {**signal.details, "current": False}
                    to_update.append(signal)
                    result.stale += 1
        if to_update:
            Signal.objects.bulk_update(to_update, list(_WRITTEN), batch_size=500)
        result.updated = len(to_update) - result.stale
        if to_create:
            created = Signal.objects.bulk_create(to_create, batch_size=500)
            result.created = [s.pk for s in created]
            _notify_new(city, created)
        if result.created or to_update:
            audit_record(
                actor=None,
                action="signal.detect",
                city=city,
                data={
                    "series": result.series,
                    "created": len(result.created),
                    "updated": result.updated,
                    "stale": result.stale,
                },
            )
    return result


_NOTICE = {
    "up": gettext_noop(
        "Demand signal: %(indicator)s in %(place)s is up %(size)s %% since %(since)s."
    ),
    "down": gettext_noop(
        "Demand signal: %(indicator)s in %(place)s is down %(size)s %% since %(since)s."
    ),
}


def _notify_new(city: City, created: Sequence[Signal]) -> None:
    if not created:
        return
    coordinators = coordinators_of([city.pk])
    if len(created) > NOTIFY_EACH_UP_TO:
        first = min(s.pk or 0 for s in created)
        notify_on_commit(
            recipient_ids=coordinators,
            kind=NotificationKind.SIGNAL,
            event_key=f"signals:{city.pk}:{first}:{len(created)}",
            message=gettext_noop(
                "%(count)s new demand signals in %(city)s: see the signal inbox."
            ),
            params={"count": str(len(created)), "city": city.name},
            url=f"/cities/{city.slug}/signals/",
        )
        return
    for signal in created:
        details = signal.details
        notify_on_commit(
            recipient_ids=coordinators,
            kind=NotificationKind.SIGNAL,
            event_key=f"signal:{signal.pk}",
            message=_NOTICE[signal.direction],
            params={
                "indicator": details.get("indicator", ""),
                "place": details.get("district") or city.name,
                "size": str(round(abs(signal.size) * 100)),
                "since": signal.since.strftime("%Y-%m"),
            },
            url=f"/signals/{signal.pk}/",
        )


def signals_detect_all() -> dict[str, int]:
    """Every city with indicators (the nightly run); returns new signals per city."""
    out: dict[str, int] = {}
    for city in City.objects.filter(indicators__isnull=False).distinct().order_by("pk"):
        out[city.slug] = len(signals_detect_city(city=city).created)
    return out


# --- Acting on a signal ----------------------------------------------------------------------


def _locked_open(signal: Signal, actor: User) -> Signal:
    if not can_act_on_signals(actor, signal.city_id):
        raise PermissionDenied(
            _("Only the coordinators of the city can act on its signals.")
        )
    locked = (
        Signal.objects.select_for_update(of=("self",))
        .select_related("indicator", "indicator__district", "city")
        .get(pk=signal.pk)
    )
    if locked.state != SignalState.OPEN:
        raise ValidationError(
            _("This signal was already %(state)s; it cannot be decided again.")
            % {"state": locked.get_state_display().lower()},
            code="decided",
        )
    return locked


def _clean_text(value: str, *, field: str, limit: int) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationError(
            {field: _("At most %(n)d characters, please.") % {"n": limit}}
        )
    if "<" in text and ">" in text:
        raise ValidationError({field: _("HTML is not allowed here: write plain text.")})
    return text


def _linked_priority(signal: Signal, priority: Priority | int | None) -> Priority:
    linked = list(
        signal.indicator.priorities.select_related("city").order_by("-weight", "pk")
    )
    if priority is None:
        if len(linked) == 1:
            return linked[0]
        if not linked:
            raise ValidationError(
                {
                    "action": _(
                        "No priority is linked to this indicator: create a new "
                        "priority instead."
                    )
                }
            )
        raise ValidationError({"priority": _("Choose which priority to change.")})
    wanted = priority if isinstance(priority, int) else priority.pk
    for row in linked:
        if row.pk == wanted:
            return row
    raise ValidationError(
        {"priority": _("Choose one of the priorities this indicator informs.")}
    )


def _new_weight(action: str, current: int, weight: int | None) -> int:
    raising = action == SignalAction.RAISE_WEIGHT
    if weight is None:
        weight = current + (1 if raising else -1)
        if not MIN_WEIGHT <= weight <= MAX_WEIGHT:
            raise ValidationError(
                {
                    "action": _(
                        "The weight is already %(w)d, the highest: it cannot go up."
                    )
                    % {"w": current}
                    if raising
                    else _(
                        "The weight is already %(w)d, the lowest: it cannot go down."
                    )
                    % {"w": current}
                }
            )
        return weight
    if isinstance(weight, bool) or not isinstance(weight, int):
        raise ValidationError({"weight": _("Give the weight as a whole number.")})
    if not MIN_WEIGHT <= weight <= MAX_WEIGHT:
        raise ValidationError(
            {
                "weight": _("The weight goes from %(lo)d to %(hi)d.")
                % {"lo": MIN_WEIGHT, "hi": MAX_WEIGHT}
            }
        )
    if raising and weight <= current:
        raise ValidationError(
            {
                "weight": _("To raise the weight, choose more than %(w)d.")
                % {"w": current}
            }
        )
    if not raising and weight >= current:
        raise ValidationError(
            {
                "weight": _("To lower the weight, choose less than %(w)d.")
                % {"w": current}
            }
        )
    return weight


def signal_accept(
    *,
    actor: User,
    signal: Signal,
    action: str,
    priority: Priority | int | None = None,
    weight: int | None = None,
    title: str = "",
    description: str = "",
    note: str = "",
) -> Signal:
    """Accept a signal: raise or lower the weight of a priority its indicator
    informs (by one step unless ``weight`` says), or create a new priority from
    it. The city is then re-scored (the priority services start the job on
    commit). Returns the signal, accepted, with ``priority`` set."""
    if action not in SignalAction.values:
        raise ValidationError(
            {"action": _("Choose to raise or lower a weight, or a new priority.")}
        )
    note = _clean_text(note, field="note", limit=MAX_REASON)
    with transaction.atomic():
        locked = _locked_open(signal, actor)
        data: dict[str, Any] = {"action": action}
        if action == SignalAction.NEW_PRIORITY:
            target = _create_priority(
                actor,
                locked,
                title=title,
                description=description,
                weight=3 if weight is None else weight,
            )
            data["weight"] = target.weight
        else:
            target = _linked_priority(locked, priority)
            new_weight = _new_weight(action, target.weight, weight)
            data.update(weight_before=target.weight, weight=new_weight)
            target = priorities.priority_update(
                actor=actor, priority=target, weight=new_weight
            )
        locked.state = SignalState.ACCEPTED
        locked.action = action
        locked.priority = target
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_reason = note
        locked.full_clean()
        locked.save(
            update_fields=[
                "state",
                "action",
                "priority",
                "decided_by",
                "decided_at",
                "decision_reason",
            ]
        )
        data["priority"] = target.pk
        audit_record(
            actor=actor,
            action="signal.accept",
            target=locked,
            city=locked.city_id,
            reason=note,
            data=data,
        )
    return locked


def _create_priority(
    actor: User, signal: Signal, *, title: str, description: str, weight: int
) -> Priority:
    from ..selectors_signals import indicator_label, signal_sentence

    if isinstance(weight, bool) or not isinstance(weight, int):
        raise ValidationError({"weight": _("Give the weight as a whole number.")})
    if not MIN_WEIGHT <= weight <= MAX_WEIGHT:
        raise ValidationError(
            {
                "weight": _("The weight goes from %(lo)d to %(hi)d.")
                % {"lo": MIN_WEIGHT, "hi": MAX_WEIGHT}
            }
        )
    defaults = signal_defaults(signal)
    indicator = signal.indicator
    created = priorities.priority_create(
        actor=actor,
        city=signal.city,
        title=_clean_text(title, field="title", limit=140) or defaults["title"],
        description=_clean_text(description, field="description", limit=5000)
        or defaults["description"],
        keywords=[indicator_label(indicator)],
        sectors=list(indicator.sectors.all()),
        weight=weight,
        target_indicators=[signal_sentence(signal)[:120]],
    )
    indicator.priorities.add(created)
    return created


def signal_defaults(signal: Signal) -> dict[str, str]:
    """The title and description a new priority made from ``signal`` starts with."""
    from ..selectors_signals import indicator_label, place_of, signal_sentence

    label = indicator_label(signal.indicator)
    place = place_of(signal)
    title = (
        _("Bring %(indicator)s in %(place)s back down")
        if signal.direction == "up"
        else _("Respond to lower %(indicator)s in %(place)s")
    ) % {"indicator": label.lower(), "place": place}
    return {
        "title": title[:140],
        "description": _("Raised by a demand signal: %(sentence)s.")
        % {"sentence": signal_sentence(signal)},
    }


def signal_dismiss(*, actor: User, signal: Signal, reason: str) -> Signal:
    """Dismiss a signal with the reason (required), audited."""
    reason = _clean_text(reason, field="reason", limit=MAX_REASON)
    if not reason:
        raise ValidationError(
            {"reason": _("Say why this signal is dismissed (for the record).")}
        )
    with transaction.atomic():
        locked = _locked_open(signal, actor)
        locked.state = SignalState.DISMISSED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_reason = reason
        locked.full_clean()
        locked.save(
            update_fields=["state", "decided_by", "decided_at", "decision_reason"]
        )
        audit_record(
            actor=actor,
            action="signal.dismiss",
            target=locked,
            city=locked.city_id,
            reason=reason,
        )
    return locked


__all__ = [
    "DetectResult",
    "can_act_on_signals",
    "signal_accept",
    "signal_defaults",
    "signal_dismiss",
    "signals_detect_all",
    "signals_detect_city",
]
