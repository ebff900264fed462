"""Open-data exports of proposals: CSV and JSON of PUBLIC fields only.

No drafts (the queryset is read as an anonymous visitor), no e-mail address, no
partner that has not accepted. Rows are streamed in chunks read with
``QuerySet.iterator(chunk_size=…)``, so memory stays flat and each chunk costs the
same few queries (the rows, then one per prefetched relation) however large the
export. CSV cells that a spreadsheet would read as a formula are neutralised.

The REST API may reuse ``proposal_rows``, ``public_record`` and ``export_response``.

Beyond the public proposals (``KINDS``): projects and matches for everyone, and for a
city's coordinators a FULL variant of proposals, projects and matches of their city
(every stored field, hidden proposals included) and the city's audit log. Nothing
here ever reads internal notes: no export, public or full, contains them. Drafts are
in no export (they belong to their authors).
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from . import selectors
from .models import (
    PUBLIC_STATUSES,
    ExpectedImpact,
    FinancingSource,
    Match,
    PartnerState,
    Project,
    ProjectImpact,
    ProjectPartner,
    ProjectSource,
    Proposal,
    ProposalPartner,
    ProposalStatus,
    ReviewAssignment,
)

CHUNK_SIZE = 500
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = [
    "id",
    "url",
    "title",
    "summary",
    "city",
    "status",
    "sectors",
    "lead_organisation",
    "lead_organisation_kind",
    "lead_organisation_verified",
    "partners",
    "delivery_model",
    "capital_cost",
    "operating_cost",
    "currency",
    "city_contribution",
    "district",
    "latitude",
    "longitude",
    "impacts",
    "resident_supports",
    "organisation_supports",
    "comments",
    "submitted_at",
    "decided_at",
    "public_answer",
]


def proposal_rows(filters: selectors.ProposalFilters) -> QuerySet[Proposal]:
    """The public proposals matching ``filters``, whatever the reader may see."""
    return selectors.proposal_list(
        user=AnonymousUser(), filters=filters
    ).prefetch_related(
        Prefetch("impacts", queryset=ExpectedImpact.objects.order_by("pk"))
    )


def _number(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def public_record(proposal: Proposal, base_url: str = "") -> dict[str, Any]:
    """The public fields of one proposal, as plain JSON-ready values."""
    partners = getattr(proposal, "accepted_partners", None)
    if partners is None:
        partners = [
            p
            for p in proposal.partners.select_related("organisation")
            if p.state == PartnerState.ACCEPTED
        ]
    lead = proposal.lead_organisation
    return {
        "id": proposal.pk,
        "url": base_url + proposal.get_absolute_url(),
        "title": proposal.title,
        "summary": proposal.summary,
        "city": proposal.city.slug,
        "status": proposal.status,
        "sectors": [s.slug for s in proposal.sectors.all()],
        "lead_organisation": lead.name,
        "lead_organisation_kind": lead.kind,
        "lead_organisation_verified": lead.is_verified,
        "partners": [
            {"organisation": p.organisation.name, "role": p.role} for p in partners
        ],
        "delivery_model": proposal.delivery_model,
        "capital_cost": _number(proposal.capital_cost),
        "operating_cost": _number(proposal.operating_cost),
        "currency": proposal.currency,
        "city_contribution": _number(proposal.city_contribution),
        "district": proposal.district.name if proposal.district_id else None,
        "latitude": _number(proposal.latitude),
        "longitude": _number(proposal.longitude),
        "impacts": [
            {
                "indicator": i.indicator,
                "amount": _number(i.amount),
                "unit": i.unit,
                "year": i.year,
            }
            for i in proposal.impacts.all()
        ],
        "resident_supports": proposal.resident_support_count,
        "organisation_supports": proposal.organisation_support_count,
        "comments": proposal.comment_count,
        "submitted_at": proposal.submitted_at.isoformat()
        if proposal.submitted_at
        else None,
        "decided_at": proposal.decided_at.isoformat() if proposal.decided_at else None,
        "public_answer": proposal.public_answer,
    }


def neutralise(value: Any) -> str:
    """A CSV cell a spreadsheet will not evaluate: text starting with = + - @, a
    tab or a carriage return gets a leading apostrophe."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _csv_cells(record: dict[str, Any]) -> list[str]:
    flat = dict(record)
    flat["sectors"] = ";".join(record["sectors"])
    flat["partners"] = "; ".join(
        f"{p['organisation']} ({p['role']})" for p in record["partners"]
    )
    flat["impacts"] = "; ".join(
        f"{i['indicator']}: {i['amount']} {i['unit']} ({i['year']})"
        for i in record["impacts"]
    )
    flat["lead_organisation_verified"] = (
        "yes" if record["lead_organisation_verified"] else "no"
    )
    return [neutralise(flat[c]) for c in COLUMNS]


class _Echo:
    def write(self, value: str) -> str:
        return value


def iter_csv(
    records: Iterable[dict[str, Any]],
    columns: Sequence[str] | None = None,
    cells: Callable[[dict[str, Any]], list[str]] | None = None,
) -> Iterator[str]:
    """CSV lines of ``records``: by default the public proposal columns; with
    ``columns``, those keys of each record, flattened (``flatten``) and
    neutralised."""
    header = list(columns) if columns is not None else COLUMNS
    if cells is None:
        cells = _csv_cells if columns is None else _generic_cells(header)
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so spreadsheet programs read UTF-8
    yield writer.writerow(header)
    for record in records:
        yield writer.writerow(cells(record))


def iter_json(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    yield "["
    first = True
    for record in records:
        yield ("\n" if first else ",\n") + json.dumps(
            record, cls=DjangoJSONEncoder, ensure_ascii=False
        )
        first = False
    yield "\n]\n"


def iter_records(
    queryset: QuerySet[Proposal], base_url: str = ""
) -> Iterator[dict[str, Any]]:
    for proposal in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield public_record(proposal, base_url)


def safe_filename(name: str, content_type: str = "") -> str:
    """A download name with no path, no control or quote characters, and the
    extension of the checked content type."""
    ext = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(
        content_type
    )
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    stem = text.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if ext and "." in stem:
        stem = stem.rsplit(".", 1)[0]
    stem = re.sub(r"[^A-Za-z0-9._ -]+", "", stem).strip(" .")[:80] or "attachment"
    stem = stem.replace(" ", "-")
    return f"{stem}.{ext}" if ext else stem


def export_response(
    filters: selectors.ProposalFilters, fmt: str, base_url: str = ""
) -> StreamingHttpResponse:
    records = iter_records(proposal_rows(filters), base_url)
    stream = iter_csv(records) if fmt == "csv" else iter_json(records)
    response = StreamingHttpResponse(stream, content_type=FORMATS[fmt])
    stamp = timezone.now().strftime("%Y%m%d")
    city = "-" + safe_filename(filters.city) if filters.city else ""
    response["Content-Disposition"] = (
        f'attachment; filename="proposals{city}-{stamp}.{fmt}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Shared: flattening, streaming -----------------------------------------------------


def flatten(value: Any) -> str:
    """One CSV cell for a JSON-ready value: lists joined by "; ", objects as
    ``key: value`` pairs joined by ", ", booleans as yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {flatten(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "; ".join(flatten(v) for v in value)
    return str(value)


def _generic_cells(columns: Sequence[str]) -> Callable[[dict[str, Any]], list[str]]:
    def cells(record: dict[str, Any]) -> list[str]:
        return [neutralise(flatten(record.get(c))) for c in columns]

    return cells


def stream_response(
    records: Iterable[dict[str, Any]],
    fmt: str,
    *,
    name: str,
    columns: Sequence[str],
) -> StreamingHttpResponse:
    """A streamed CSV or JSON download of ``records`` named
    ``<name>-<YYYYMMDD>.<fmt>``."""
    stream = iter_csv(records, columns) if fmt == "csv" else iter_json(records)
    response = StreamingHttpResponse(stream, content_type=FORMATS[fmt])
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = (
        f'attachment; filename="{safe_filename(name)}-{stamp}.{fmt}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _chunks(queryset: QuerySet[Any]) -> Iterator[Any]:
    return queryset.iterator(chunk_size=CHUNK_SIZE)


#: What can be exported, and which variants: ``public`` for everyone, ``full`` for
#: the coordinators of the city asked for.
KINDS = ("proposals", "projects", "matches", "audit")
VARIANTS = ("public", "full")
PUBLIC_KINDS = ("proposals", "projects", "matches")


# --- Proposals: the coordinators' full variant ------------------------------------------

PROPOSAL_FULL_COLUMNS = [
    *COLUMNS,
    "body",
    "author_id",
    "author_name",
    "hidden",
    "hidden_at",
    "hidden_reason",
    "open_flags",
    "partner_invitations",
    "reviewers",
    "best_match_score",
    "project_id",
    "revision_count",
    "created_at",
    "updated_at",
    "scored_at",
]


def proposal_rows_full(city: Any) -> QuerySet[Proposal]:
    """Every proposal of ``city`` past the draft stage, hidden ones included, with
    what the full record shows prefetched (a fixed number of queries per chunk)."""
    return (
        Proposal.objects.filter(city=city)
        .exclude(status=ProposalStatus.DRAFT)
        .select_related("city", "lead_organisation", "district", "author")
        .prefetch_related(
            "sectors",
            Prefetch("impacts", queryset=ExpectedImpact.objects.order_by("pk")),
            Prefetch(
                "partners",
                queryset=ProposalPartner.objects.select_related(
                    "organisation"
                ).order_by("pk"),
                to_attr="all_partners",
            ),
            Prefetch(
                "assignments",
                queryset=ReviewAssignment.objects.select_related("reviewer").order_by(
                    "assigned_at", "pk"
                ),
                to_attr="all_assignments",
            ),
            "project_source",
        )
        .annotate(best_match_score=Max("matches__score"))
        .order_by("pk")
    )


def full_proposal_record(proposal: Proposal, base_url: str = "") -> dict[str, Any]:
    """Every stored field of a proposal but its internal notes (which no export
    holds): the public record, then what only coordinators see."""
    partners = proposal.all_partners  # type: ignore[attr-defined]
    proposal.accepted_partners = [  # type: ignore[attr-defined]
        p for p in partners if p.state == PartnerState.ACCEPTED
    ]
    record = public_record(proposal, base_url)
    source = getattr(proposal, "project_source", None)
    best = getattr(proposal, "best_match_score", None)
    record.update(
        {
            "body": proposal.body,
            "author_id": proposal.author_id,
            "author_name": proposal.author.public_name if proposal.author else None,
            "hidden": proposal.hidden_at is not None,
            "hidden_at": _iso(proposal.hidden_at),
            "hidden_reason": proposal.hidden_reason,
            "open_flags": proposal.open_flag_count,
            "partner_invitations": [
                {
                    "organisation": p.organisation.name,
                    "role": p.role,
                    "state": p.state,
                }
                for p in partners
            ],
            "reviewers": [
                {
                    "reviewer": a.reviewer.public_name,
                    "recommendation": a.recommendation,
                    "conflict_of_interest": a.has_conflict,
                }
                for a in proposal.all_assignments  # type: ignore[attr-defined]
            ],
            "best_match_score": round(best, 4) if best is not None else None,
            "project_id": source.project_id if source is not None else None,
            "revision_count": proposal.revision_count,
            "created_at": _iso(proposal.created_at),
            "updated_at": _iso(proposal.updated_at),
            "scored_at": _iso(proposal.scored_at),
        }
    )
    return record


def proposals_full_records(city: Any, base_url: str = "") -> Iterator[dict[str, Any]]:
    for proposal in _chunks(proposal_rows_full(city)):
        yield full_proposal_record(proposal, base_url)


def proposals_public_records(
    city_slug: str | None, base_url: str = ""
) -> Iterator[dict[str, Any]]:
    return iter_records(
        proposal_rows(selectors.ProposalFilters(city=city_slug or None)), base_url
    )


# --- Projects -------------------------------------------------------------------------

PROJECT_COLUMNS = [
    "id",
    "url",
    "title",
    "summary",
    "city",
    "status",
    "delivery_model",
    "procurement_reference",
    "budget",
    "currency",
    "financing_total",
    "financing",
    "partners",
    "district",
    "sectors",
    "priorities",
    "source_proposals",
    "milestones",
    "milestones_done",
    "milestones_late",
    "impacts",
    "started_on",
    "completed_on",
    "created_at",
    "comments",
    "followers",
]
PROJECT_FULL_COLUMNS = [*PROJECT_COLUMNS, "created_by", "updated_at"]


def project_rows(*, city: Any = None, city_slug: str | None = None) -> QuerySet[Any]:
    """Projects (of one city, or every city), with their money, partners, sources
    and impacts prefetched and their milestones counted by the database."""
    today = timezone.localdate()
    qs = Project.objects.all()
    if city is not None:
        qs = qs.filter(city=city)
    elif city_slug:
        qs = qs.filter(city__slug=city_slug)
    return (
        qs.select_related("city", "district", "created_by")
        .prefetch_related(
            "sectors",
            "priorities",
            Prefetch(
                "financing",
                queryset=FinancingSource.objects.select_related(
                    "organisation"
                ).order_by("-amount", "pk"),
            ),
            Prefetch(
                "partners",
                queryset=ProjectPartner.objects.select_related("organisation").order_by(
                    "role", "pk"
                ),
            ),
            Prefetch("sources", queryset=ProjectSource.objects.order_by("proposal_id")),
            Prefetch(
                "impacts",
                queryset=ProjectImpact.objects.order_by("indicator", "unit", "pk"),
            ),
        )
        .annotate(
            milestone_total=Count("milestones"),
            milestone_done=Count(
                "milestones", filter=Q(milestones__done_on__isnull=False)
            ),
            milestone_late=Count(
                "milestones",
                filter=Q(
                    milestones__done_on__isnull=True, milestones__due_on__lt=today
                ),
            ),
        )
        .order_by("pk")
    )


def _project_url(pk: int, base_url: str) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return base_url + reverse("project-detail", kwargs={"pk": pk})
    except NoReverseMatch:
        return ""


def project_record(
    project: Any, base_url: str = "", *, full: bool = False
) -> dict[str, Any]:
    financing = list(project.financing.all())
    record: dict[str, Any] = {
        "id": project.pk,
        "url": _project_url(project.pk, base_url),
        "title": project.title,
        "summary": project.summary,
        "city": project.city.slug,
        "status": project.status,
        "delivery_model": project.delivery_model,
        "procurement_reference": project.procurement_reference,
        "budget": _number(project.budget),
        "currency": project.currency,
        "financing_total": _number(sum((f.amount for f in financing), Decimal(0))),
        "financing": [
            {
                "kind": f.kind,
                "amount": _number(f.amount),
                "status": f.status,
                **(
                    {
                        "financer": f.organisation.name if f.organisation else None,
                        "note": f.note,
                    }
                    if full
                    else {}
                ),
            }
            for f in financing
        ],
        "partners": [
            {
                "organisation": p.organisation.name,
                "role": p.role,
                **({"contribution": p.contribution} if full else {}),
            }
            for p in project.partners.all()
        ],
        "district": project.district.name if project.district_id else None,
        "sectors": [s.slug for s in project.sectors.all()],
        "priorities": [p.pk for p in project.priorities.all()],
        "source_proposals": [s.proposal_id for s in project.sources.all()],
        "milestones": project.milestone_total,
        "milestones_done": project.milestone_done,
        "milestones_late": project.milestone_late,
        "impacts": [
            {
                "indicator": i.indicator,
                "unit": i.unit,
                "expected": _number(i.expected),
                "measured": _number(i.measured),
                "measured_on": _iso(i.measured_on),
                **({"note": i.note} if full else {}),
            }
            for i in project.impacts.all()
        ],
        "started_on": _iso(project.started_on),
        "completed_on": _iso(project.completed_on),
        "created_at": _iso(project.created_at),
        "comments": project.comment_count,
        "followers": project.follower_count,
    }
    if full:
        record["created_by"] = (
            project.created_by.public_name if project.created_by else None
        )
        record["updated_at"] = _iso(project.updated_at)
    return record


def projects_records(
    *,
    city: Any = None,
    city_slug: str | None = None,
    full: bool = False,
    base_url: str = "",
) -> Iterator[dict[str, Any]]:
    for project in _chunks(project_rows(city=city, city_slug=city_slug)):
        yield project_record(project, base_url, full=full)


# --- Matches --------------------------------------------------------------------------

MATCH_COLUMNS = ["proposal_id", "priority_id", "score", "engine_version", "review"]
MATCH_FULL_COLUMNS = [
    *MATCH_COLUMNS,
    "proposal_title",
    "proposal_status",
    "priority_title",
    "components",
    "reasons",
    "computed_at",
    "reviewed_by",
    "reviewed_at",
]


def match_rows(*, city: Any = None, city_slug: str | None = None, full: bool = False):
    """Matches of public proposals (of one city, or every city); ``full``: of every
    proposal of the city past the draft stage, hidden ones included."""
    qs = Match.objects.all()
    if city is not None:
        qs = qs.filter(priority__city=city)
    elif city_slug:
        qs = qs.filter(priority__city__slug=city_slug)
    if full:
        qs = qs.exclude(proposal__status=ProposalStatus.DRAFT).select_related(
            "proposal", "priority", "reviewed_by"
        )
    else:
        qs = qs.filter(
            proposal__status__in=PUBLIC_STATUSES, proposal__hidden_at__isnull=True
        ).only("proposal_id", "priority_id", "score", "engine_version", "review")
    return qs.order_by("priority_id", "proposal_id")


def match_record(match: Any, *, full: bool = False) -> dict[str, Any]:
    record: dict[str, Any] = {
        "proposal_id": match.proposal_id,
        "priority_id": match.priority_id,
        "score": round(match.score, 4),
        "engine_version": match.engine_version,
        "review": match.review or "none",
    }
    if full:
        record.update(
            {
                "proposal_title": match.proposal.title,
                "proposal_status": match.proposal.status,
                "priority_title": match.priority.title,
                "components": match.components,
                "reasons": match.reasons,
                "computed_at": _iso(match.computed_at),
                "reviewed_by": match.reviewed_by.public_name
                if match.reviewed_by
                else None,
                "reviewed_at": _iso(match.reviewed_at),
            }
        )
    return record


def matches_records(
    *, city: Any = None, city_slug: str | None = None, full: bool = False
) -> Iterator[dict[str, Any]]:
    rows = _chunks(match_rows(city=city, city_slug=city_slug, full=full))
    if not full:
        for match in rows:
            yield match_record(match)
        return
    # Rows written by a bulk re-score carry their score only: explain them, a
    # chunk at a time (two queries a chunk), as the priority pages do.
    from .selectors_matching import explained

    chunk: list[Any] = []
    for match in rows:
        chunk.append(match)
        if len(chunk) == CHUNK_SIZE:
            yield from (match_record(m, full=True) for m in explained(chunk))
            chunk = []
    yield from (match_record(m, full=True) for m in explained(chunk))


# --- Audit log ------------------------------------------------------------------------

AUDIT_COLUMNS = [
    "id",
    "created_at",
    "action",
    "actor_id",
    "actor",
    "target_type",
    "target_id",
    "target",
    "reason",
    "data",
]


def audit_record(event: Any) -> dict[str, Any]:
    return {
        "id": event.pk,
        "created_at": _iso(event.created_at),
        "action": event.action,
        "actor_id": event.actor_id,
        "actor": event.actor.public_name if event.actor else None,
        "target_type": event.target_type.model if event.target_type else None,
        "target_id": event.target_id or None,
        "target": event.target_repr,
        "reason": event.reason,
        "data": event.data,
    }


def audit_records(queryset: QuerySet[Any]) -> Iterator[dict[str, Any]]:
    for event in _chunks(queryset):
        yield audit_record(event)


# --- One entry point for pages and API -------------------------------------------------


def columns_of(kind: str, full: bool) -> list[str]:
    return {
        ("proposals", False): COLUMNS,
        ("proposals", True): PROPOSAL_FULL_COLUMNS,
        ("projects", False): PROJECT_COLUMNS,
        ("projects", True): PROJECT_FULL_COLUMNS,
        ("matches", False): MATCH_COLUMNS,
        ("matches", True): MATCH_FULL_COLUMNS,
        ("audit", True): AUDIT_COLUMNS,
    }[(kind, full)]


def kind_response(
    kind: str,
    fmt: str,
    *,
    city: Any = None,
    full: bool = False,
    base_url: str = "",
) -> StreamingHttpResponse:
    """The download of ``kind`` (``proposals``, ``projects``, ``matches``): public
    for ``city`` (a City, or None for every city), or the ``full`` variant of one
    city. The caller has checked that the reader may have the full variant."""
    slug = city.slug if city is not None else None
    if kind == "proposals" and not full:
        return export_response(
            selectors.ProposalFilters(city=slug), fmt, base_url=base_url
        )
    if kind == "proposals":
        records: Iterable[dict[str, Any]] = proposals_full_records(city, base_url)
    elif kind == "projects":
        records = projects_records(city=city, full=full, base_url=base_url)
    elif kind == "matches":
        records = matches_records(city=city, full=full)
    else:
        raise ValueError(kind)
    name = "-".join(p for p in (kind, slug, "full" if full else "") if p)
    return stream_response(records, fmt, name=name, columns=columns_of(kind, full))
