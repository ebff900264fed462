"""The coordinators' dashboard, the city's audit log, the exports and the public city
page.

Numbers come from ``selectors_dashboard`` (aggregates counted by the database);
this module turns them into charts (``projects.charts``: server-drawn SVG, each with
a sentence that says what it shows and the table of its numbers). The dashboard, the
audit log and the full exports are for the coordinators of the city (and staff),
with two-factor authentication: ``stakeholders.permissions.is_coordinator``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET

from stakeholders import permissions as sp
from stakeholders.models import City

from . import charts, exports
from . import selectors_dashboard as sd
from .models import (
    SECTOR_NAMES,
    FinancingKind,
    ImpactIndicator,
    ImpactUnit,
    ProjectDelivery,
    ProjectStatus,
    ProposalStatus,
)

AUDIT_PAGE_SIZE = 50
MAX_RANGE_DAYS = 366 * 10


def _city(slug: str) -> City:
    return get_object_or_404(City, slug=slug)


def _require_coordinator(request: HttpRequest, city: City) -> None:
    if not sp.is_coordinator(request.user, city):
        if sp.holds_role(request.user, city, "coordinator"):
            raise PermissionDenied(
                _("Set up two-factor authentication to use your coordinator powers.")
            )
        raise PermissionDenied(
            _("Only the coordinators of %(city)s can open this page.")
            % {"city": city.name}
        )


def _number(value: Any) -> str:
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    places = 0 if isinstance(value, int) else 2
    return number_format(value, decimal_pos=places, force_grouping=True)


def _plain(value: Any) -> Any:
    """A table cell: whole amounts without decimals, grouped."""
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return _number(Decimal(str(value)))
    return value


# --- Filters -------------------------------------------------------------------------


class RangeForm(forms.Form):
    """The optional date range (and, for the activity chart, its unit)."""

    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(
                _("The start of the range must come before its end.")
            )
        if start and end and (end - start).days > MAX_RANGE_DAYS:
            raise forms.ValidationError(_("Choose a range of ten years at most."))
        return data

    def period(self) -> sd.DateRange:
        if not self.is_bound or not self.is_valid():
            return sd.EVERYTHING
        return sd.DateRange(
            self.cleaned_data.get("start"), self.cleaned_data.get("end")
        )


class DashboardForm(RangeForm):
    unit = forms.ChoiceField(
        label=gettext_lazy("Activity by"),
        required=False,
        choices=[
            ("", gettext_lazy("Automatic")),
            ("week", gettext_lazy("Week")),
            ("month", gettext_lazy("Month")),
        ],
    )


class AuditFilterForm(RangeForm):
    group = forms.ChoiceField(label=gettext_lazy("Kind of decision"), required=False)
    actor = forms.TypedChoiceField(
        label=gettext_lazy("Who"), required=False, coerce=int, empty_value=None
    )
    target_type = forms.ChoiceField(label=gettext_lazy("About"), required=False)
    target_id = forms.CharField(
        label=gettext_lazy("Object number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, actors: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("All decisions")), *AUDIT_GROUP_LABELS()]
        self.fields["actor"].choices = [("", _("Anyone")), *actors]
        self.fields["target_type"].choices = [
            ("", _("Anything")),
            *AUDIT_TARGET_LABELS(),
        ]

    def clean_target_id(self) -> str:
        value = (self.cleaned_data.get("target_id") or "").strip()
        if value and not value.isdigit():
            raise forms.ValidationError(_("An object number is made of digits."))
        return value

    def filters(self) -> sd.AuditFilters:
        if not self.is_bound or not self.is_valid():
            return sd.AuditFilters()
        data = self.cleaned_data
        return sd.AuditFilters(
            group=data.get("group") or "",
            actor=data.get("actor"),
            target_type=data.get("target_type") or "",
            target_id=data.get("target_id") or "",
            period=self.period(),
        )


def AUDIT_GROUP_LABELS() -> list[tuple[str, str]]:  # noqa: N802 (a constant, translated late)
    return [
        ("proposal", _("Proposal decisions")),
        ("review", _("Reviews and assignments")),
        ("project", _("Projects")),
        ("match", _("Priorities and matches")),
        ("moderation", _("Moderation")),
        ("verification", _("Verification of organisations and officials")),
    ]


def AUDIT_TARGET_LABELS() -> list[tuple[str, str]]:  # noqa: N802
    labels = {
        "proposal": _("Proposal"),
        "project": _("Project"),
        "match": _("Match"),
        "priority": _("Priority"),
        "comment": _("Comment"),
        "organisation": _("Organisation"),
        "cityrole": _("City role"),
    }
    return [(code, labels[code]) for code in sd.AUDIT_TARGETS]


def _audit_labels() -> dict[str, str]:
    labels = {
        f"proposal.{code}": _("Proposal moved to “%(status)s”") % {"status": label}
        for code, label in ProposalStatus.choices
    }
    labels.update(
        {
            "review.assign": _("Reviewer assigned"),
            "review.unassign": _("Reviewer removed"),
            "review.recommend": _("Recommendation given"),
            "review.note": _("Internal note written"),
            "match.confirmed": _("Match confirmed"),
            "match.rejected": _("Match rejected"),
            "match.unreviewed": _("Match review withdrawn"),
            "priority.create": _("Priority stated"),
            "priority.update": _("Priority changed"),
            "priority.delete": _("Priority deleted"),
            "rematch.start": _("Whole-city re-score started"),
            "moderation.hide": _("Content hidden"),
            "moderation.restore": _("Content restored"),
            "moderation.dismiss": _("Flags dismissed"),
            "organisation.verified": _("Organisation verified"),
            "organisation.rejected": _("Organisation refused"),
            "city_role.requested": _("City role requested"),
            "city_role.granted": _("City role granted"),
            "city_role.verified": _("City role verified"),
            "city_role.rejected": _("City role refused"),
            "project.create": _("Project created"),
            "project.update": _("Project changed"),
            "project.status": _("Project status changed"),
        }
    )
    return labels


# --- Charts --------------------------------------------------------------------------


def _status_label(code: str) -> str:
    return str(ProposalStatus(code).label) if code in ProposalStatus.values else code


def _sector_label(code: str) -> str:
    return str(SECTOR_NAMES.get(code, code))


def _list_words(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return _("%(first)s and %(last)s") % {
        "first": ", ".join(parts[:-1]),
        "last": parts[-1],
    }


def _compact(value: Any) -> str:
    """An axis label for money: 1.5M, 250k, 900."""
    if value is None:
        return ""
    number = float(value)
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(number) >= size:
            return f"{number / size:.3g}{suffix}"
    return f"{number:.0f}"


def _pipeline_chart(rows: list[dict[str, Any]]) -> charts.Chart | None:
    total = sum(r["count"] for r in rows)
    if not total:
        return None
    labels = [_status_label(r["status"]) for r in rows]
    parts = [
        f"{label.lower()} {r['count']}" for label, r in zip(labels, rows, strict=True)
    ]
    alt = ngettext(
        "%(total)s proposal past the draft stage, by current status: %(parts)s.",
        "%(total)s proposals past the draft stage, by current status: %(parts)s.",
        total,
    ) % {"total": total, "parts": ", ".join(parts)}
    return charts.ranked_bars(
        labels=labels,
        series={_("Proposals"): [r["count"] for r in rows]},
        alt=alt,
        label_header=_("Status"),
        counts=True,
    )


def _sector_chart(rows: list[dict[str, Any]]) -> charts.Chart | None:
    used = sorted(
        (r for r in rows if r["count"]), key=lambda r: (-r["count"], r["sector"])
    )
    if not used:
        return None
    top = [f"{_sector_label(r['sector'])} ({r['count']})" for r in used[:3]]
    unused = len(rows) - len(used)
    alt = _("Most proposals are in %(top)s.") % {"top": _list_words(top)}
    if unused:
        alt += " " + ngettext(
            "%(n)s sector has no proposal.", "%(n)s sectors have no proposal.", unused
        ) % {"n": unused}
    return charts.ranked_bars(
        labels=[_sector_label(r["sector"]) for r in used],
        series={_("Proposals"): [r["count"] for r in used]},
        alt=alt,
        label_header=_("Sector"),
        counts=True,
    )


def _matrix_chart(
    pairs: list[dict[str, Any]], sectors: list[dict[str, Any]]
) -> charts.Chart | None:
    if not pairs:
        return None
    slugs = [r["sector"] for r in sectors if r["count"]]
    matrix = sd.sector_matrix(pairs, slugs)
    best = pairs[0]
    alt = ngettext(
        "%(n)s pair of sectors is combined in proposals; ",
        "%(n)s pairs of sectors are combined in proposals; ",
        len(pairs),
    ) % {"n": len(pairs)} + ngettext(
        "the most frequent is %(a)s with %(b)s (%(count)s proposal).",
        "the most frequent is %(a)s with %(b)s (%(count)s proposals).",
        best["count"],
    ) % {
        "a": _sector_label(best["a"]),
        "b": _sector_label(best["b"]),
        "count": best["count"],
    }
    return charts.matrix_chart(
        labels=[_sector_label(s) for s in slugs],
        matrix=matrix,
        alt=alt,
        label_header=_("Sector"),
    )


def _coverage_chart(rows: list[dict[str, Any]]) -> charts.Chart | None:
    if not rows:
        return None
    nobody = [r for r in rows if not r["count"]]
    best = max(rows, key=lambda r: r["count"])
    threshold = f"{round(sd.GOOD_MATCH * 100)} %"
    alt = ngettext(
        "%(n)s active priority. ", "%(n)s active priorities. ", len(rows)
    ) % {"n": len(rows)}
    if best["count"]:
        alt += ngettext(
            "Best answered: %(title)s, by %(count)s proposal scoring %(threshold)s "
            "or more. ",
            "Best answered: %(title)s, by %(count)s proposals scoring %(threshold)s "
            "or more. ",
            best["count"],
        ) % {"title": best["title"], "count": best["count"], "threshold": threshold}
    if nobody:
        alt += ngettext(
            "%(n)s priority is answered well by no proposal: %(titles)s.",
            "%(n)s priorities are answered well by no proposal: %(titles)s.",
            len(nobody),
        ) % {"n": len(nobody), "titles": _list_words([r["title"] for r in nobody])}
    else:
        alt += _("Every priority has at least one good answer.")
    return charts.ranked_bars(
        labels=[r["title"] for r in rows],
        series={
            _("Proposals scoring %(threshold)s or more") % {"threshold": threshold}: [
                r["count"] for r in rows
            ]
        },
        alt=alt.strip(),
        label_header=_("Priority"),
        counts=True,
    )


def _period_label(start: dt.date, unit: str) -> str:
    if unit == "week":
        return date_format(start, "SHORT_DATE_FORMAT")
    return date_format(start, "YEAR_MONTH_FORMAT")


def _activity_chart(data: dict[str, Any]) -> charts.Chart | None:
    periods = data["periods"]
    supports = sum(p["supports"] for p in periods)
    comments = sum(p["comments"] for p in periods)
    if not periods or not (supports or comments):
        return None
    unit = data["unit"]
    labels = [_period_label(p["start"], unit) for p in periods]
    busiest = max(periods, key=lambda p: (p["supports"] + p["comments"], p["start"]))
    alt = _(
        "From %(first)s to %(last)s: %(supports)s supports and %(comments)s "
        "comments. The busiest %(unit)s began %(busiest)s (%(s)s supports, "
        "%(c)s comments)."
    ) % {
        "first": labels[0],
        "last": labels[-1],
        "supports": supports,
        "comments": comments,
        "unit": _("week") if unit == "week" else _("month"),
        "busiest": _period_label(busiest["start"], unit),
        "s": busiest["supports"],
        "c": busiest["comments"],
    }
    return charts.line_chart(
        x_labels=labels,
        series={
            _("Supports"): [p["supports"] for p in periods],
            _("Comments"): [p["comments"] for p in periods],
        },
        alt=alt,
        label_header=_("Week of") if unit == "week" else _("Month"),
        major_every=4 if len(labels) > 16 else 0,
    )


def _delivery_chart(rows: list[dict[str, Any]]) -> charts.Chart | None:
    if not rows:
        return None
    total = sum(r["count"] for r in rows)
    labels = [str(ProjectDelivery(r["delivery_model"]).label) for r in rows]
    parts = [f"{label} {r['count']}" for label, r in zip(labels, rows, strict=True)]
    alt = ngettext(
        "%(total)s project (cancelled ones aside), by delivery model: %(parts)s.",
        "%(total)s projects (cancelled ones aside), by delivery model: %(parts)s.",
        total,
    ) % {"total": total, "parts": ", ".join(parts)}
    chart = charts.ranked_bars(
        labels=labels,
        series={_("Projects"): [r["count"] for r in rows]},
        alt=alt,
        label_header=_("Delivery model"),
        counts=True,
    )
    chart.headers.append(_("Budget"))
    for row, data in zip(chart.rows, rows, strict=True):
        row.append(_number(data["budget"]))
    return chart


def _financing_chart(rows: list[dict[str, Any]]) -> charts.Chart | None:
    if not rows:
        return None
    kinds = list(dict.fromkeys(r["kind"] for r in rows))
    currencies = list(dict.fromkeys(r["currency"] for r in rows))
    amounts = {(r["kind"], r["currency"]): r["amount"] for r in rows}
    series = {
        currency: [float(amounts.get((k, currency), 0)) for k in kinds]
        for currency in currencies
    }
    totals = []
    for currency in currencies:
        total = sum(
            (r["amount"] for r in rows if r["currency"] == currency), Decimal(0)
        )
        top = max(
            (r for r in rows if r["currency"] == currency), key=lambda r: r["amount"]
        )
        share = round(top["amount"] * 100 / total) if total else 0
        totals.append(
            _("%(total)s %(currency)s, of which %(kind)s %(amount)s (%(share)s %%)")
            % {
                "total": _number(total),
                "currency": currency,
                "kind": FinancingKind(top["kind"]).label,
                "amount": _number(top["amount"]),
                "share": share,
            }
        )
    alt = _("Money behind the projects: %(totals)s.") % {"totals": "; ".join(totals)}
    chart = charts.ranked_bars(
        labels=[str(FinancingKind(k).label) for k in kinds],
        series=series,
        alt=alt,
        label_header=_("Source"),
        counts=True,
        value_formatter=_compact,
    )
    chart.rows = [[row[0], *(_plain(c) for c in row[1:])] for row in chart.rows]
    return chart


def _impact_label(row: dict[str, Any]) -> str:
    indicator = (
        ImpactIndicator(row["indicator"]).label
        if row["indicator"] in ImpactIndicator.values
        else row["indicator"]
    )
    unit = (
        ImpactUnit(row["unit"]).label
        if row["unit"] in ImpactUnit.values
        else row["unit"]
    )
    return f"{indicator} ({unit})"


def _impact_chart(rows: list[dict[str, Any]]) -> charts.Chart | None:
    if not rows:
        return None
    labels = [_impact_label(r) for r in rows]
    drawn = [
        label
        if r["measured_projects"]
        else _("%(label)s: not measured yet") % {"label": label}
        for label, r in zip(labels, rows, strict=True)
    ]
    shares: list[float | None] = []
    for r in rows:
        promised = r["expected_of_measured"]
        shares.append(
            round(float(r["measured"] * 100 / promised), 1)
            if r["measured_projects"] and promised
            else None
        )
    measured = [
        (label, share)
        for label, share in zip(labels, shares, strict=True)
        if share is not None
    ]
    waiting = len(rows) - len(measured)
    if measured:
        alt = _(
            "Delivered against the promise, where projects measured it: %(parts)s."
        ) % {
            "parts": ", ".join(
                f"{label} {_number(Decimal(str(s)))} %" for label, s in measured
            )
        }
    else:
        alt = _("No project has measured its impact yet.")
    if waiting:
        alt += " " + ngettext(
            "%(n)s indicator is promised but not measured yet.",
            "%(n)s indicators are promised but not measured yet.",
            waiting,
        ) % {"n": waiting}
    chart = charts.ranked_bars(
        labels=drawn,
        series={_("Delivered, % of what the measuring projects promised"): shares},
        alt=alt,
        label_header=_("Impact"),
    )
    chart.headers = [
        _("Impact"),
        _("Projects promising it"),
        _("Promised (all projects)"),
        _("Projects that measured it"),
        _("Promised by those projects"),
        _("Measured"),
        _("Delivered, %"),
    ]
    chart.rows = [
        [
            label,
            r["projects"],
            _number(r["expected"]),
            r["measured_projects"],
            _number(r["expected_of_measured"]),
            _number(r["measured"]) if r["measured_projects"] else None,
            _number(Decimal(str(share))) if share is not None else None,
        ]
        for label, r, share in zip(labels, rows, shares, strict=True)
    ]
    return chart


def dashboard_sections(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Each chart of the dashboard with its title, a short explanation and what to
    say when there is nothing to draw yet."""
    coverage = data["priority_coverage"]
    return [
        {
            "id": "pipeline",
            "title": _("Pipeline"),
            "intro": _("Proposals past the draft stage, by where they are now."),
            "chart": _pipeline_chart(data["pipeline"]),
            "empty": _("No proposal has been submitted in this period."),
        },
        {
            "id": "sectors",
            "title": _("Proposals per sector"),
            "intro": _("A proposal counts once in each of its sectors."),
            "chart": _sector_chart(data["sectors"]),
            "empty": _("No proposal has been submitted in this period."),
        },
        {
            "id": "combinations",
            "title": _("Which sectors are combined"),
            "intro": _(
                "Each dot is a pair of sectors proposed together; the bigger, the "
                "more proposals combine them."
            ),
            "chart": _matrix_chart(data["sector_pairs"], data["sectors"]),
            "empty": _("No proposal has been submitted in this period."),
        },
        {
            "id": "coverage",
            "title": _("Priority coverage"),
            "intro": _(
                "How many proposals in the running answer each active priority "
                "well (a match score of %(threshold)s or more)."
            )
            % {"threshold": f"{round(sd.GOOD_MATCH * 100)} %"},
            "chart": _coverage_chart(coverage),
            "empty": _("The city has no active priority."),
            "unanswered": [r for r in coverage if not r["count"]],
        },
        {
            "id": "activity",
            "title": _("Supports and comments over time"),
            "intro": _(
                "Supports given to proposals and comments written on proposals and projects."
            ),
            "chart": _activity_chart(data["activity"]),
            "empty": _("No support or comment in this period."),
        },
        {
            "id": "delivery",
            "title": _("Projects by delivery model"),
            "intro": _("How the city's projects are delivered (cancelled ones aside)."),
            "chart": _delivery_chart(data["projects_by_delivery"]),
            "empty": _("No project in this period."),
        },
        {
            "id": "financing",
            "title": _("Financing mix"),
            "intro": _("The money behind the projects, by kind of source."),
            "chart": _financing_chart(data["financing"]),
            "empty": _("No financing recorded in this period."),
        },
        {
            "id": "impact",
            "title": _("Impact promised and delivered"),
            "intro": _(
                "For each impact, what the projects that measured it delivered, as a "
                "share of what they promised; the table has every number."
            ),
            "chart": _impact_chart(data["impacts"]),
            "empty": _("No project has promised an impact in this period."),
        },
    ]


# --- Pages ---------------------------------------------------------------------------


@require_GET
@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city(slug)
    _require_coordinator(request, city)
    form = DashboardForm(request.GET or None)
    period = form.period()
    unit = form.cleaned_data.get("unit") if form.is_bound and form.is_valid() else None
    data = sd.dashboard(city, period, unit=unit or None)
    return render(
        request,
        "projects/dashboard.html",
        {
            "city": city,
            "form": form,
            "period": period,
            "numbers": data["headline"],
            "sections": dashboard_sections(data),
            "export_kinds": exports.PUBLIC_KINDS,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_GET
@login_required
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city(slug)
    _require_coordinator(request, city)
    form = AuditFilterForm(request.GET or None, actors=sd.audit_actors(city))
    valid = not form.is_bound or form.is_valid()
    # Refused filters list nothing rather than everything: the reader fixes them.
    page_obj = (
        Paginator(sd.audit_events(city, form.filters()), AUDIT_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        if valid
        else None
    )
    labels = _audit_labels()
    events = list(page_obj.object_list) if page_obj else []
    for event in events:
        event.label = labels.get(event.action, event.action)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/audit_log.html",
        {
            "city": city,
            "form": form,
            "page_obj": page_obj,
            "events": events,
            "export_query": query.urlencode(),
        },
        status=200 if valid else 400,
    )


@require_GET
@login_required
def audit_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponseBase:
    if fmt not in exports.FORMATS:
        raise Http404(_("Exports exist as CSV and JSON."))
    city = _city(slug)
    _require_coordinator(request, city)
    form = AuditFilterForm(request.GET or None, actors=sd.audit_actors(city))
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "projects/audit_log.html",
            {"city": city, "form": form, "page_obj": None, "events": []},
            status=400,
        )
    return exports.stream_response(
        exports.audit_records(sd.audit_events(city, form.filters())),
        fmt,
        name=f"audit-{city.slug}",
        columns=exports.AUDIT_COLUMNS,
    )


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_GET
def public_export(request: HttpRequest, kind: str, fmt: str) -> HttpResponseBase:
    """Open data: ``/exports/<proposals|projects|matches>.<csv|json>[?city=slug]``."""
    if fmt not in exports.FORMATS or kind not in exports.PUBLIC_KINDS:
        raise Http404(
            _("Exports exist for proposals, projects and matches, as CSV and JSON.")
        )
    slug = (request.GET.get("city") or "").strip()
    city = _city(slug) if slug else None
    return exports.kind_response(kind, fmt, city=city, base_url=_base_url(request))


@require_GET
@login_required
def full_export(
    request: HttpRequest, slug: str, kind: str, fmt: str
) -> HttpResponseBase:
    """Everything but internal notes, for the city's coordinators."""
    if fmt not in exports.FORMATS or kind not in exports.PUBLIC_KINDS:
        raise Http404(
            _("Exports exist for proposals, projects and matches, as CSV and JSON.")
        )
    city = _city(slug)
    _require_coordinator(request, city)
    return exports.kind_response(
        kind, fmt, city=city, full=True, base_url=_base_url(request)
    )


@require_GET
def city_home(request: HttpRequest) -> HttpResponse:
    """The reader's home city, else the site's first: a redirect, so a link to it
    costs the page that shows the link no query."""
    cities = City.objects.order_by("created_at", "pk")
    user = request.user
    if user.is_authenticated and user.home_city_id:
        cities = cities.filter(pk=user.home_city_id)
    found = cities.values_list("slug", flat=True).first()
    if found is None:
        raise Http404(_("No city has been set up yet."))
    return redirect("city-page", slug=found)


@require_GET
def city_page(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city(slug)
    coverage = sd.priority_coverage(city)
    return render(
        request,
        "projects/city_page.html",
        {
            "city": city,
            "numbers": sd.headline(city),
            "coverage": coverage,
            "good_match": f"{round(sd.GOOD_MATCH * 100)} %",
            "latest": sd.open_proposals(city, order="latest"),
            "supported": sd.open_proposals(city, order="supported"),
            "project_statuses": [
                {
                    "status": r["status"],
                    "label": ProjectStatus(r["status"]).label,
                    "count": r["count"],
                }
                for r in sd.projects_by_status(city)
            ],
            "projects": sd.recent_projects(city),
            "is_coordinator": sp.is_coordinator(request.user, city),
            "export_kinds": exports.PUBLIC_KINDS,
        },
    )
