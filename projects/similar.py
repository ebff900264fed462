"""Similar proposals, shown while writing so people join forces instead of
duplicating each other's work.

Candidates come from the database (full-text search on PostgreSQL, the newest
proposals elsewhere), then the matching engine's text tools rank them by cosine
similarity of BM25 vectors and name the words they share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import F, Q

from .matching.reasons import shared_terms
from .matching.text import join_fields, tokens
from .matching.vectorize import Vectorizer
from .models import Proposal, ProposalStatus

CANDIDATES = 300
MIN_SIMILARITY = 0.12


@dataclass(frozen=True)
class SimilarProposal:
    proposal: Proposal
    similarity: float
    shared: list[str]


def _candidates(city_id: int, text: str, exclude: int | None) -> list[Proposal]:
    qs = Proposal.objects.filter(city_id=city_id).exclude(
        status__in=[ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN]
    )
    if exclude:
        qs = qs.exclude(pk=exclude)
    words = list(dict.fromkeys(w for w in tokens(text) if len(w) > 3))[:30]
    if connection.vendor == "postgresql" and words:
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(
            " OR ".join(words), config="simple", search_type="websearch"
        )
        # Ranked by the stored vector (F): given the bare name, SearchRank would
        # rebuild a vector from its text form for every proposal of the city.
        qs = (
            qs.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-pk")
        )
    elif words:
        condition = Q()
        for word in words[:10]:
            condition |= Q(title__icontains=word) | Q(summary__icontains=word)
        qs = qs.filter(condition).order_by("-submitted_at", "-pk")
    else:
        return []
    return list(
        qs.select_related("lead_organisation").only(
            "pk",
            "title",
            "summary",
            "status",
            "city_id",
            "lead_organisation__name",
            "lead_organisation__verification_state",
            "lead_organisation__slug",
        )[:CANDIDATES]
    )


def similar_proposals(
    *,
    city_id: int,
    title: str,
    summary: str = "",
    body: str = "",
    exclude: int | None = None,
    limit: int = 5,
) -> list[SimilarProposal]:
    text = join_fields((title, summary, body[:4000]))
    if not text.strip():
        return []
    candidates = _candidates(city_id, text, exclude)
    if not candidates:
        return []
    docs = [tokens(join_fields((c.title, c.summary))) for c in candidates]
    vectorizer = Vectorizer()
    vectorizer.fit([*docs, tokens(text)])
    matrix = vectorizer.transform(docs)
    query = vectorizer.transform([tokens(text)], bm25=False)
    scores = (matrix @ query.T).toarray().ravel()
    order = sorted(range(len(candidates)), key=lambda i: (-scores[i], candidates[i].pk))
    out = []
    for i in order[:limit]:
        if scores[i] < MIN_SIMILARITY:
            break
        c = candidates[i]
        out.append(
            SimilarProposal(
                proposal=c,
                similarity=round(float(scores[i]), 3),
                shared=shared_terms(join_fields((c.title, c.summary)), text, limit=4),
            )
        )
    return out


def similar_to(proposal: Proposal, limit: int = 5) -> list[SimilarProposal]:
    return similar_proposals(
        city_id=proposal.city_id,
        title=proposal.title,
        summary=proposal.summary,
        body=proposal.body,
        exclude=proposal.pk,
        limit=limit,
    )


def as_dict(item: SimilarProposal) -> dict[str, Any]:
    p = item.proposal
    return {
        "id": p.pk,
        "title": p.title,
        "summary": p.summary,
        "status": p.status,
        "lead_organisation": p.lead_organisation.name,
        "similarity": item.similarity,
        "shared_terms": item.shared,
        "url": p.get_absolute_url(),
    }
