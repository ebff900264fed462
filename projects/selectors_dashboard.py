"""Reads behind the coordinators' dashboard, the city page and the audit log.

One function per chart, each ONE aggregate query run by the database (``values`` +
``annotate`` with ``Count``/``Sum``), returning plain data (codes and numbers, no
model instances), so the page, the API and the tests read the same numbers and the
cost does not grow with the number of proposals. Labels are the caller's business.

A :class:`DateRange` narrows each chart to what happened in it: proposals by the day
they were submitted, supports and comments by the day they were given, projects by
the day they were created. Bounds are days of the site's time zone, both included.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from stakeholders.models import AuditEvent, City

from .matching_adapter import SCORED_STATUSES
from .models import (
    Comment,
    FinancingSource,
    Priority,
    Project,
    ProjectImpact,
    ProjectStatus,
    Proposal,
    ProposalStatus,
    Sector,
    Support,
)

#: A proposal "answers a priority well" from this score on (the matching engine's
#: scale, 0–1). Below it the engine found some overlap but not an answer.
GOOD_MATCH = 0.5

#: The pipeline, in the order a proposal moves through it (drafts are private and
#: left out; rejected and withdrawn close it).
PIPELINE = (
    ProposalStatus.SUBMITTED,
    ProposalStatus.UNDER_REVIEW,
    ProposalStatus.SHORTLISTED,
    ProposalStatus.ACCEPTED,
    ProposalStatus.REJECTED,
    ProposalStatus.WITHDRAWN,
)

#: Statuses of a proposal still being considered: the city page's "open proposals".
OPEN_STATUSES = (
    ProposalStatus.SUBMITTED,
    ProposalStatus.UNDER_REVIEW,
    ProposalStatus.SHORTLISTED,
)

#: Audit actions by group: the first part of the action code. The audit log page
#: and API filter on these prefixes.
AUDIT_GROUPS: dict[str, tuple[str, ...]] = {
    "proposal": ("proposal.",),
    "review": ("review.",),
    "project": ("project.",),
    "match": ("match.", "priority.", "rematch."),
    "moderation": ("moderation.", "flag."),
    "verification": ("organisation.", "city_role."),
}

#: Kinds of object an audit event may be about (content type model names).
AUDIT_TARGETS = (
    "proposal",
    "project",
    "match",
    "priority",
    "comment",
    "organisation",
    "cityrole",
)

ACTIVITY_PERIODS = ("week", "month")


@dataclass(frozen=True)
class DateRange:
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def is_set(self) -> bool:
        return self.start is not None or self.end is not None

    def bounds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """Aware datetimes: the start of the first day, the start of the day after
        the last (compared with ``>=`` and ``<``, so an index on the column is used,
        unlike a ``__date`` lookup)."""
        zone = timezone.get_current_timezone()

        def midnight(day: dt.date) -> dt.datetime:
            return dt.datetime.combine(day, dt.time.min, tzinfo=zone)

        return (
            midnight(self.start) if self.start else None,
            midnight(self.end + dt.timedelta(days=1)) if self.end else None,
        )

    def q(self, field: str) -> Q:
        low, high = self.bounds()
        query = Q()
        if low is not None:
            query &= Q(**{f"{field}__gte": low})
        if high is not None:
            query &= Q(**{f"{field}__lt": high})
        return query


EVERYTHING = DateRange()


def _city_id(city: City | int) -> int:
    return city if isinstance(city, int) else city.pk


def city_proposals(city: City | int, period: DateRange = EVERYTHING) -> QuerySet:
    """Every proposal of the city past the draft stage (hidden ones included: the
    dashboard counts them), submitted within ``period``."""
    return Proposal.objects.filter(
        Q(city_id=_city_id(city)),
        ~Q(status=ProposalStatus.DRAFT),
        period.q("submitted_at"),
    )


def city_projects(city: City | int, period: DateRange = EVERYTHING) -> QuerySet:
    return Project.objects.filter(Q(city_id=_city_id(city)), period.q("created_at"))


# --- Charts ------------------------------------------------------------------------


def pipeline(city: City | int, period: DateRange = EVERYTHING) -> list[dict[str, Any]]:
    """How many proposals are at each stage now: ``[{"status", "count"}]`` in
    pipeline order, stages with none included (a funnel shows its gaps)."""
    counts = dict(
        city_proposals(city, period)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [{"status": s, "count": counts.get(s, 0)} for s in PIPELINE]


def proposals_per_sector(
    city: City | int, period: DateRange = EVERYTHING
) -> list[dict[str, Any]]:
    """``[{"sector", "count"}]`` for every sector of the taxonomy, in its order;
    a proposal counts once in each of its sectors."""
    low, high = period.bounds()
    inside = Q(
        proposals__city_id=_city_id(city),
        proposals__status__in=PIPELINE,
    )
    if low is not None:
        inside &= Q(proposals__submitted_at__gte=low)
    if high is not None:
        inside &= Q(proposals__submitted_at__lt=high)
    rows = (
        Sector.objects.order_by("position", "pk")
        .annotate(n=Count("proposals", filter=inside))
        .values_list("slug", "n")
    )
    return [{"sector": slug, "count": n} for slug, n in rows]


def sector_pairs(
    city: City | int, period: DateRange = EVERYTHING
) -> list[dict[str, Any]]:
    """Which sectors are combined in one proposal, and how often:
    ``[{"a", "b", "count"}]`` with ``a`` before ``b`` in the taxonomy, most
    frequent first. One self-join of the proposal–sector table."""
    through = Proposal.sectors.through
    rows = (
        through.objects.filter(
            proposal__in=city_proposals(city, period).values("pk"),
            proposal__sectors__position__gt=F("sector__position"),
        )
        .order_by()
        .values("sector__slug", "proposal__sectors__slug")
        .annotate(n=Count("proposal_id", distinct=True))
        .values_list("sector__slug", "proposal__sectors__slug", "n")
    )
    pairs = [{"a": a, "b": b, "count": n} for a, b, n in rows]
    pairs.sort(key=lambda p: (-p["count"], p["a"], p["b"]))
    return pairs


def sector_matrix(pairs: list[dict[str, Any]], sectors: list[str]) -> list[list[int]]:
    """The symmetric matrix of ``pairs`` over ``sectors`` (a diagonal of zeros)."""
    index = {slug: i for i, slug in enumerate(sectors)}
    matrix = [[0] * len(sectors) for _ in sectors]
    for pair in pairs:
        i, j = index.get(pair["a"]), index.get(pair["b"])
        if i is None or j is None:
            continue
        matrix[i][j] = matrix[j][i] = pair["count"]
    return matrix


def priority_coverage(
    city: City | int,
    period: DateRange = EVERYTHING,
    *,
    threshold: float = GOOD_MATCH,
    on: dt.date | None = None,
) -> list[dict[str, Any]]:
    """For each ACTIVE priority of the city, how many proposals in the running
    (submitted to accepted) answer it well (score ≥ ``threshold``):
    ``[{"id", "title", "weight", "count"}]``, most weighted first. A count of 0 is
    a priority nobody answers."""
    low, high = period.bounds()
    good = Q(
        matches__score__gte=threshold,
        matches__proposal__status__in=SCORED_STATUSES,
        matches__proposal__city_id=_city_id(city),
    )
    if low is not None:
        good &= Q(matches__proposal__submitted_at__gte=low)
    if high is not None:
        good &= Q(matches__proposal__submitted_at__lt=high)
    rows = (
        Priority.objects.active(on)
        .filter(city_id=_city_id(city))
        .order_by("-weight", "title", "pk")
        .annotate(n=Count("matches", filter=good))
        .values_list("pk", "title", "weight", "n")
    )
    return [
        {"id": pk, "title": title, "weight": weight, "count": n}
        for pk, title, weight, n in rows
    ]


def activity_period(period: DateRange, requested: str | None = None) -> str:
    """``week`` or ``month``: as asked, else weeks for ranges up to 26 weeks."""
    if requested in ACTIVITY_PERIODS:
        return str(requested)
    if period.start and (period.end or timezone.localdate()) - period.start <= (
        dt.timedelta(weeks=26)
    ):
        return "week"
    return "month"


def _period_starts(first: dt.date, last: dt.date, unit: str) -> list[dt.date]:
    if unit == "week":
        day = first - dt.timedelta(days=first.weekday())
        starts = []
        while day <= last:
            starts.append(day)
            day += dt.timedelta(weeks=1)
        return starts
    day = first.replace(day=1)
    starts = []
    while day <= last:
        starts.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return starts


def activity(
    city: City | int, period: DateRange = EVERYTHING, *, unit: str | None = None
) -> dict[str, Any]:
    """Supports and comments given per week or month: ``{"unit", "periods":
    [{"start", "supports", "comments"}]}``, every period of the range listed (zero
    included). Without a start, the last twelve months. Two queries."""
    unit = activity_period(period, unit)
    today = timezone.localdate()
    last = period.end or today
    first = period.start or (last.replace(day=1) - dt.timedelta(days=335)).replace(
        day=1
    )
    window = DateRange(first, last)
    trunc = TruncWeek if unit == "week" else TruncMonth
    city_id = _city_id(city)

    def per_period(qs: QuerySet) -> dict[dt.date, int]:
        rows = (
            qs.filter(window.q("created_at"))
            .order_by()
            .annotate(at=trunc("created_at"))
            .values("at")
            .annotate(n=Count("pk"))
            .values_list("at", "n")
        )
        found: dict[dt.date, int] = {}
        for at, n in rows:
            day = timezone.localtime(at).date() if isinstance(at, dt.datetime) else at
            found[day] = found.get(day, 0) + n
        return found

    supports = per_period(Support.objects.filter(proposal__city_id=city_id))
    comments = per_period(
        Comment.objects.filter(
            Q(proposal__city_id=city_id) | Q(project__city_id=city_id),
            deleted_at__isnull=True,
        )
    )
    return {
        "unit": unit,
        "periods": [
            {
                "start": start,
                "supports": supports.get(start, 0),
                "comments": comments.get(start, 0),
            }
            for start in _period_starts(first, last, unit)
        ],
    }


def projects_by_delivery(
    city: City | int, period: DateRange = EVERYTHING
) -> list[dict[str, Any]]:
    """``[{"delivery_model", "count", "budget"}]``, most projects first; cancelled
    projects left out."""
    rows = (
        city_projects(city, period)
        .exclude(status=ProjectStatus.CANCELLED)
        .order_by()
        .values("delivery_model")
        .annotate(n=Count("pk"), budget=Sum("budget"))
        .values_list("delivery_model", "n", "budget")
    )
    out = [
        {"delivery_model": m, "count": n, "budget": budget or Decimal(0)}
        for m, n, budget in rows
    ]
    out.sort(key=lambda r: (-r["count"], r["delivery_model"]))
    return out


def projects_by_status(
    city: City | int, period: DateRange = EVERYTHING
) -> list[dict[str, Any]]:
    """``[{"status", "count"}]`` for every project status, in the life-cycle order."""
    counts = dict(
        city_projects(city, period)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [{"status": s, "count": counts.get(s, 0)} for s in ProjectStatus.values]


def financing_mix(
    city: City | int, period: DateRange = EVERYTHING
) -> list[dict[str, Any]]:
    """Money behind the city's projects by kind of source and currency:
    ``[{"kind", "currency", "amount", "sources"}]``, largest first; cancelled
    projects left out."""
    rows = (
        FinancingSource.objects.filter(
            Q(project__city_id=_city_id(city)),
            ~Q(project__status=ProjectStatus.CANCELLED),
            period.q("project__created_at"),
        )
        .order_by()
        .values("kind", "project__currency")
        .annotate(total=Sum("amount"), n=Count("pk"))
        .values_list("kind", "project__currency", "total", "n")
    )
    out = [
        {"kind": kind, "currency": currency, "amount": total, "sources": n}
        for kind, currency, total, n in rows
    ]
    out.sort(key=lambda r: (-r["amount"], r["kind"], r["currency"]))
    return out


def impact_promised_delivered(
    city: City | int, period: DateRange = EVERYTHING
) -> list[dict[str, Any]]:
    """For each indicator and unit: what the city's projects promise (sum of
    ``expected``), what was measured so far (sum of ``measured``), and what the
    measured projects had promised, so the two can be compared like for like:
    ``[{"indicator", "unit", "projects", "expected", "measured_projects",
    "expected_of_measured", "measured"}]``."""
    measured = Q(measured__isnull=False)
    rows = (
        ProjectImpact.objects.filter(
            Q(project__city_id=_city_id(city)),
            ~Q(project__status=ProjectStatus.CANCELLED),
            period.q("project__created_at"),
        )
        .order_by()
        .values("indicator", "unit")
        .annotate(
            projects=Count("project_id", distinct=True),
            expected_total=Sum("expected"),
            measured_projects=Count("project_id", filter=measured, distinct=True),
            expected_of_measured=Sum("expected", filter=measured),
            measured_total=Sum("measured"),
        )
        .values_list(
            "indicator",
            "unit",
            "projects",
            "expected_total",
            "measured_projects",
            "expected_of_measured",
            "measured_total",
        )
    )
    out = [
        {
            "indicator": indicator,
            "unit": unit,
            "projects": projects,
            "expected": expected or Decimal(0),
            "measured_projects": measured_projects,
            "expected_of_measured": expected_of_measured or Decimal(0),
            "measured": measured_total or Decimal(0),
        }
        for (
            indicator,
            unit,
            projects,
            expected,
            measured_projects,
            expected_of_measured,
            measured_total,
        ) in rows
    ]
    out.sort(key=lambda r: (r["indicator"], r["unit"]))
    return out


def headline(city: City | int, period: DateRange = EVERYTHING) -> dict[str, Any]:
    """The page's big numbers, in two queries."""
    proposals = city_proposals(city, period).aggregate(
        proposals=Count("pk"),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        resident_supports=Sum("resident_support_count"),
        organisation_supports=Sum("organisation_support_count"),
        comments=Sum("comment_count"),
    )
    projects = city_projects(city, period).aggregate(
        projects=Count("pk"),
        active=Count(
            "pk",
            filter=Q(
                status__in=[
                    ProjectStatus.PLANNED,
                    ProjectStatus.PROCUREMENT,
                    ProjectStatus.IN_PROGRESS,
                ]
            ),
        ),
        completed=Count("pk", filter=Q(status=ProjectStatus.COMPLETED)),
    )
    return {
        "proposals": proposals["proposals"],
        "open_proposals": proposals["open"],
        "resident_supports": proposals["resident_supports"] or 0,
        "organisation_supports": proposals["organisation_supports"] or 0,
        "comments": proposals["comments"] or 0,
        "projects": projects["projects"],
        "active_projects": projects["active"],
        "completed_projects": projects["completed"],
    }


def dashboard(
    city: City | int, period: DateRange = EVERYTHING, *, unit: str | None = None
) -> dict[str, Any]:
    """Every number of the dashboard: eleven queries, whatever the city's size."""
    sectors = proposals_per_sector(city, period)
    pairs = sector_pairs(city, period)
    return {
        "headline": headline(city, period),
        "pipeline": pipeline(city, period),
        "sectors": sectors,
        "sector_pairs": pairs,
        "priority_coverage": priority_coverage(city, period),
        "activity": activity(city, period, unit=unit),
        "projects_by_delivery": projects_by_delivery(city, period),
        "financing": financing_mix(city, period),
        "impacts": impact_promised_delivered(city, period),
    }


# --- City page -----------------------------------------------------------------------


def open_proposals(
    city: City | int, *, order: str = "latest", limit: int = 5
) -> list[Proposal]:
    """A few public proposals still in the running: the latest, or the most
    supported. One query."""
    ordering = {
        "latest": ("-submitted_at", "-pk"),
        "supported": ("-resident_support_count", "-organisation_support_count", "-pk"),
    }[order]
    return list(
        Proposal.objects.public()
        .filter(city_id=_city_id(city), status__in=OPEN_STATUSES)
        .select_related("lead_organisation")
        .only(
            "pk",
            "title",
            "summary",
            "status",
            "submitted_at",
            "resident_support_count",
            "organisation_support_count",
            "comment_count",
            "lead_organisation__name",
            "lead_organisation__slug",
        )
        .order_by(*ordering)[:limit]
    )


def recent_projects(city: City | int, *, limit: int = 6) -> list[Project]:
    return list(
        Project.objects.filter(city_id=_city_id(city))
        .only("pk", "title", "summary", "status", "delivery_model", "created_at")
        .order_by("-created_at", "-pk")[:limit]
    )


# --- Audit log ------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilters:
    group: str = ""
    action: str = ""
    actor: int | None = None
    target_type: str = ""
    target_id: str = ""
    period: DateRange = EVERYTHING


def audit_events(city: City | int, filters: AuditFilters = AuditFilters()) -> QuerySet:
    """The city's audit events, newest first, narrowed by ``filters``. The city's
    ``(city, -created_at)`` index drives every variant; ``select_related`` keeps a
    page at one query."""
    qs = AuditEvent.objects.filter(
        Q(city_id=_city_id(city)), filters.period.q("created_at")
    )
    if filters.group:
        prefixes = AUDIT_GROUPS.get(filters.group, ())
        group = Q()
        for prefix in prefixes:
            group |= Q(action__startswith=prefix)
        qs = qs.filter(group) if prefixes else qs.none()
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.actor is not None:
        qs = qs.filter(actor_id=filters.actor)
    if filters.target_type:
        qs = qs.filter(
            target_type__app_label__in=["projects", "stakeholders"],
            target_type__model=filters.target_type,
        )
    if filters.target_id:
        qs = qs.filter(target_id=filters.target_id)
    return qs.select_related("actor", "target_type").order_by("-created_at", "-pk")


def audit_actors(city: City | int) -> list[tuple[int, str]]:
    """The people who appear in the city's audit log, for the actor filter: one
    query over the distinct actor ids."""
    from stakeholders.models import User

    ids = (
        AuditEvent.objects.filter(city_id=_city_id(city), actor__isnull=False)
        .order_by()
        .values("actor_id")
        .distinct()
    )
    return [
        (u.pk, u.public_name)
        for u in User.objects.filter(pk__in=ids).order_by("display_name", "pk")
    ]
