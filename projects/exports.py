"""Open-data exports of proposals: CSV and JSON of PUBLIC fields only.

No drafts (the queryset is read as an anonymous visitor), no e-mail address, no
partner that has not accepted. Rows are streamed in chunks read with
``QuerySet.iterator(chunk_size=…)``, so memory stays flat and each chunk costs the
same few queries (the rows, then one per prefetched relation) however large the
export. CSV cells that a spreadsheet would read as a formula are neutralised.

The REST API may reuse ``proposal_rows``, ``public_record`` and ``export_response``.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from . import selectors
from .models import ExpectedImpact, PartnerState, Proposal

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


def iter_csv(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so spreadsheet programs read UTF-8
    yield writer.writerow(COLUMNS)
    for record in records:
        yield writer.writerow(_csv_cells(record))


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
