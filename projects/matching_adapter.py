"""Between the database and the matching engine.

The engine (``projects.matching``) knows nothing of the ORM: it takes plain frozen
dataclasses. This module turns model rows into those dataclasses with a bounded
number of queries (a handful per call, whatever the number of rows), and keeps one
fitted engine per city in the worker process, so that scoring one new proposal does
not refit the engine on the whole city (seconds for 100,000 proposals) but only
vectorises the newcomer (milliseconds). A fitted engine is also put in the shared
cache without its corpus (``Engine.detached``), so the other worker processes load
it rather than fit the city again.

The cache key is (city, active priorities and their ``updated_at``, corpus size
bucket, coordinators' feedback, engine version). The corpus size is bucketed (a
bucket is ~5 % wider than the last) because one more proposal barely moves the
statistics the engine learns from the corpus (IDF, score distributions); a priority
edited, a review given or a real growth of the city refits it. A large city's size
is counted at most once a minute per process (see ``_corpus_size``).
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q

from stakeholders.models import City, Organisation, VerificationState

from .matching import (
    ENGINE_VERSION,
    Engine,
    Feedback,
    ImpactInput,
    OrganisationInput,
    PriorityInput,
    ProposalInput,
)
from .matching.impacts import impact_match
from .matching.reasons import build_reasons
from .matching.sectors import sector_coverage
from .models import (
    ExpectedImpact,
    Match,
    MatchReview,
    PartnerState,
    Priority,
    Proposal,
    ProposalPartner,
    ProposalStatus,
)

log = logging.getLogger(__name__)

#: Statuses whose proposals are scored and learnt from (the engine's corpus).
SCORED_STATUSES: tuple[str, ...] = (
    ProposalStatus.SUBMITTED,
    ProposalStatus.UNDER_REVIEW,
    ProposalStatus.SHORTLISTED,
    ProposalStatus.ACCEPTED,
)
#: Statuses the beat sweep re-scores when their score is missing or stale.
SWEPT_STATUSES: tuple[str, ...] = (
    ProposalStatus.SUBMITTED,
    ProposalStatus.UNDER_REVIEW,
    ProposalStatus.SHORTLISTED,
)
_CHUNK = 2000


# --- rows -> engine inputs ------------------------------------------------------------


def priority_input(priority: Priority, sector_slugs: Sequence[str]) -> PriorityInput:
    return PriorityInput(
        id=priority.pk,
        title=priority.title,
        description=priority.description or "",
        keywords=tuple(str(k) for k in (priority.keywords or []) if str(k).strip()),
        sectors=tuple(sector_slugs),
        weight=priority.weight,
        target_indicators=tuple(
            str(t) for t in (priority.target_indicators or []) if str(t).strip()
        ),
    )


def priority_inputs(priorities: Iterable[Priority]) -> list[PriorityInput]:
    """Inputs of the priorities, in the given order (one query for the sectors)."""
    rows = list(priorities)
    slugs: dict[int, list[str]] = defaultdict(list)
    through = Priority.sectors.through
    for pid, slug in through.objects.filter(
        priority_id__in=[p.pk for p in rows]
    ).values_list("priority_id", "sector__slug"):
        slugs[pid].append(slug)
    return [priority_input(p, sorted(slugs[p.pk])) for p in rows]


def active_priorities(city_id: int) -> list[Priority]:
    return list(Priority.objects.active().filter(city_id=city_id).order_by("pk"))


def proposal_inputs(proposal_ids: Sequence[int]) -> list[ProposalInput]:
    """Inputs of the proposals, in the order of ``proposal_ids``.

    Five queries per chunk of 2,000 proposals: the rows, their sectors, their
    impacts, their accepted partners' sectors; no model instance is built.
    """
    out: dict[int, ProposalInput] = {}
    ids = list(dict.fromkeys(int(i) for i in proposal_ids))
    for lo in range(0, len(ids), _CHUNK):
        chunk = ids[lo : lo + _CHUNK]
        out.update(_proposal_inputs_chunk(chunk))
    return [out[i] for i in ids if i in out]


def _proposal_inputs_chunk(ids: list[int]) -> dict[int, ProposalInput]:
    return _proposal_inputs_where({"pk__in": ids})


def city_corpus_inputs(city_id: int) -> list[ProposalInput]:
    """Inputs of every scored proposal of the city, in ``pk`` order.

    The same five queries as ``proposal_inputs`` but filtered by city and status
    instead of by lists of ids: for a whole city (100,000 proposals) building
    and sending those lists cost more than reading the rows.
    """
    found = _proposal_inputs_where(
        {"city_id": city_id, "status__in": list(SCORED_STATUSES)}
    )
    return [found[pk] for pk in sorted(found)]


def _proposal_inputs_where(where: dict[str, Any]) -> dict[int, ProposalInput]:
    """Inputs of the proposals selected by ``where`` (filters on Proposal)."""
    via = {f"proposal__{k}": v for k, v in where.items()}
    sectors: dict[int, list[str]] = defaultdict(list)
    for pid, slug in Proposal.sectors.through.objects.filter(**via).values_list(
        "proposal_id", "sector__slug"
    ):
        sectors[pid].append(slug)
    impacts: dict[int, list[ImpactInput]] = defaultdict(list)
    for pid, indicator, amount, unit in (
        ExpectedImpact.objects.filter(**via)
        .order_by("pk")
        .values_list("proposal_id", "indicator", "amount", "unit")
    ):
        impacts[pid].append(ImpactInput(indicator, float(amount), unit))
    partner_orgs: dict[int, list[int]] = defaultdict(list)
    for pid, org_id in ProposalPartner.objects.filter(
        state=PartnerState.ACCEPTED, **via
    ).values_list("proposal_id", "organisation_id"):
        partner_orgs[pid].append(org_id)
    org_sectors = _organisation_sectors({o for v in partner_orgs.values() for o in v})
    rows = Proposal.objects.filter(**where).values_list(
        "pk", "title", "summary", "body", "district__name"
    )
    result: dict[int, ProposalInput] = {}
    no_sectors: list[str] = []
    # A server-side cursor streams a whole city; a few rows come in one go.
    many = "pk__in" not in where or len(where["pk__in"]) > _CHUNK // 4
    for pk, title, summary, body, district in (
        rows.iterator(chunk_size=_CHUNK) if many else rows
    ):
        orgs = partner_orgs.get(pk)
        partner_sectors = (
            sorted({s for org in orgs for s in org_sectors.get(org, ())})
            if orgs
            else ()
        )
        result[pk] = ProposalInput(
            id=pk,
            title=title or "",
            summary=summary or "",
            body=body or "",
            sectors=tuple(sorted(sectors.get(pk, no_sectors))),
            impacts=tuple(impacts.get(pk, ())),
            partner_sectors=tuple(partner_sectors),
            district=district or "",
        )
    return result


def _organisation_sectors(org_ids: Iterable[int]) -> dict[int, list[str]]:
    ids = list(org_ids)
    if not ids:
        return {}
    out: dict[int, list[str]] = defaultdict(list)
    for org_id, slug in Organisation.sectors.through.objects.filter(
        organisation_id__in=ids
    ).values_list("organisation_id", "sector__slug"):
        out[org_id].append(slug)
    return out


def organisation_inputs(city: City | int) -> list[OrganisationInput]:
    """Verified organisations active in the city (two queries)."""
    city_id = city if isinstance(city, int) else city.pk
    orgs = list(
        Organisation.objects.filter(
            cities=city_id, verification_state=VerificationState.VERIFIED
        )
        .order_by("name", "pk")
        .values_list("pk", "name", "kind")
    )
    sectors = _organisation_sectors(o[0] for o in orgs)
    return [
        OrganisationInput(
            id=pk, name=name, kind=kind, sectors=tuple(sorted(sectors.get(pk, ())))
        )
        for pk, name, kind in orgs
    ]


def city_corpus_ids(city_id: int) -> list[int]:
    return list(
        Proposal.objects.filter(city_id=city_id, status__in=SCORED_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _reviewed(priority_ids: Sequence[int]) -> Any:
    # Written so PostgreSQL answers from the partial index "match_reviewed".
    return Match.objects.filter(priority_id__in=list(priority_ids)).exclude(
        review=MatchReview.NONE
    )


def feedback_of(priority_ids: Sequence[int]) -> list[Feedback]:
    rows = (
        _reviewed(priority_ids)
        .order_by("pk")
        .values_list("priority_id", "proposal_id", "review")
    )
    return [
        Feedback(priority_id=pr, proposal_id=p, confirmed=r == MatchReview.CONFIRMED)
        for pr, p, r in rows
    ]


# --- the per-process engine cache ----------------------------------------------------------


def _bucket(n: int) -> int:
    return 0 if n <= 0 else int(math.log(n) / math.log(1.05))


@dataclass
class CityEngine:
    """A fitted engine with what the callers need next to it."""

    key: tuple[Any, ...]
    engine: Engine
    priorities: list[Priority]
    inputs: dict[int, ProposalInput] = field(default_factory=dict)
    #: The engine's inputs of the priorities, by id.
    priority_inputs: dict[int, PriorityInput] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return self.engine.version

    @property
    def priority_ids(self) -> list[int]:
        return [p.pk for p in self.priorities]

    def explain(
        self, proposal: ProposalInput, priority_id: int, decision: bool | None = None
    ) -> dict[str, Any]:
        """Components and reasons of one pair, weighting shared terms by the
        fitted engine's IDF (see ``explain_pair``)."""
        return explain_pair(
            proposal, self.priority_inputs[priority_id], self.engine, decision
        )

    def inputs_for(self, proposal_ids: Sequence[int]) -> list[ProposalInput]:
        """Inputs from the fitted corpus; proposals not in it (new ones, or edited
        since the fit is the caller's business) are loaded from the database."""
        missing = [i for i in proposal_ids if i not in self.inputs]
        loaded = {p.id: p for p in proposal_inputs(missing)} if missing else {}
        out: list[ProposalInput] = []
        for i in proposal_ids:
            item = self.inputs.get(i) or loaded.get(i)
            if item is not None:
                out.append(item)
        return out


_cache: OrderedDict[tuple[Any, ...], CityEngine] = OrderedDict()
_lock = threading.Lock()


#: city -> (monotonic time, count) of the last count of its corpus.
_sizes: dict[int, tuple[float, int]] = {}
#: Below this many proposals a city's corpus is counted on every call.
_SIZE_MEMO_FROM = 2000


def _size_ttl() -> float:
    return float(getattr(settings, "MATCHING_CORPUS_COUNT_TTL", 60.0))


def _corpus_size(city_id: int, *, fresh: bool = False) -> int:
    """How many proposals the city's engine learns from.

    A large city's count scans thousands of rows: it was the costliest query of
    scoring one new proposal. It is reused for ``MATCHING_CORPUS_COUNT_TTL``
    seconds (60 by default): the count only picks the size bucket of the engine's
    key, which moves when the city grows by ~5 %, far more than a minute of
    submissions. A small city, where a few proposals are a real change, is
    counted every time.
    """
    now = time.monotonic()
    memo = _sizes.get(city_id)
    if (
        not fresh
        and memo is not None
        and memo[1] >= _SIZE_MEMO_FROM
        and now - memo[0] < _size_ttl()
    ):
        return memo[1]
    size = Proposal.objects.filter(city_id=city_id, status__in=SCORED_STATUSES).count()
    with _lock:
        _sizes[city_id] = (now, size)
    return size


def engine_key(
    city_id: int, priorities: Sequence[Priority], *, fresh: bool = False
) -> tuple[Any, ...]:
    """One aggregate query (feedback) next to the priorities, and the corpus
    size (counted or remembered, see ``_corpus_size``)."""
    corpus_size = _corpus_size(city_id, fresh=fresh)
    reviews = _reviewed([p.pk for p in priorities]).aggregate(
        n=Count("pk"),
        last=Max("reviewed_at"),
        confirmed=Count("pk", filter=Q(review=MatchReview.CONFIRMED)),
    )
    return (
        city_id,
        tuple((p.pk, p.updated_at.isoformat()) for p in priorities),
        _bucket(corpus_size),
        (reviews["n"], reviews["confirmed"], str(reviews["last"])),
        ENGINE_VERSION,
    )


def city_engine(city_id: int, *, refresh: bool = False) -> CityEngine:
    """The fitted engine of the city: from this process's cache when still valid,
    else from the cache shared by all processes, else fitted here.

    Fitting loads every scored proposal of the city (a few queries per 2,000) and
    takes seconds for a large city; a cached engine answers at once. An engine
    fitted here is also shared, detached from its corpus (see
    ``Engine.detached``), so another worker process scoring its first proposal
    of the city loads it instead of fitting again. ``refresh`` fits anew and
    keeps the corpus (a re-score scores it).
    """
    priorities = active_priorities(city_id)
    key = engine_key(city_id, priorities, fresh=refresh)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and not refresh:
            _cache.move_to_end(key)
            return cached
        # Free the city's stale engine before fitting the new one: two large
        # engines side by side would double the worker's peak memory.
        for old in [k for k in _cache if k[0] == city_id]:
            del _cache[old]
    shared = None if refresh else _shared_get(key)
    if shared is not None:
        fitted = CityEngine(
            key=key,
            engine=shared,
            priorities=priorities,
            priority_inputs={p.id: p for p in shared.priorities},  # type: ignore[misc]
        )
    else:
        corpus = city_corpus_inputs(city_id)
        items = priority_inputs(priorities)
        fitted = CityEngine(
            key=key,
            engine=Engine(
                items, feedback=feedback_of([p.pk for p in priorities]), corpus=corpus
            ),
            priorities=priorities,
            inputs={p.id: p for p in corpus},  # type: ignore[misc]
            priority_inputs={p.id: p for p in items},  # type: ignore[misc]
        )
        _shared_set(key, fitted.engine)
    with _lock:
        _cache[key] = fitted
        while len(_cache) > _cache_size():
            _cache.popitem(last=False)
    return fitted


#: Bumped by ``clear_engine_cache`` so that every shared engine is forgotten.
_GENERATION = "matching-engine:generation"


def _shared_key(key: tuple[Any, ...]) -> str:
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
    return f"matching-engine:{cache.get(_GENERATION, 0)}:{key[0]}:{digest}"


def _shared_get(key: tuple[Any, ...]) -> Engine | None:
    try:
        found = cache.get(_shared_key(key))
    except Exception:  # the cache is an accelerator: never fail scoring for it
        log.warning("shared matching engine unavailable", exc_info=True)
        return None
    return found if isinstance(found, Engine) else None


def _shared_set(key: tuple[Any, ...], engine: Engine) -> None:
    """Share the engine without its corpus for a day (a changed priority, review
    or size bucket makes a new key, so a stale engine is never read)."""
    if engine.uses_embeddings:
        return
    try:
        cache.set(_shared_key(key), engine.detached(), timeout=24 * 3600)
    except Exception:
        log.warning("could not share the matching engine", exc_info=True)


def _cache_size() -> int:
    """Engines kept per process (``MATCHING_ENGINE_CACHE_SIZE``, setting or
    environment; 2 by default: a large city's engine weighs hundreds of MB)."""
    raw = getattr(settings, "MATCHING_ENGINE_CACHE_SIZE", None)
    raw = raw or os.environ.get("MATCHING_ENGINE_CACHE_SIZE") or 2
    return max(1, int(raw))


def clear_engine_cache() -> None:
    """Forget every fitted engine, this process's and the shared ones."""
    with _lock:
        _cache.clear()
        _sizes.clear()
    try:
        cache.set(_GENERATION, time.time_ns(), timeout=None)
    except Exception:
        log.warning("could not retire the shared matching engines", exc_info=True)


# --- explanations outside the bulk path ----------------------------------------------


def explain_pair(
    proposal: ProposalInput,
    priority: PriorityInput,
    engine: Engine | None = None,
    decision: bool | None = None,
) -> dict[str, Any]:
    """Components (sectors, impacts) and reasons of one pair.

    The score itself comes from the city's fitted engine (``score_matrix``, one
    vectorised call for a whole batch); the explanation is built from the pair's
    two texts with the engine's own per-pair functions. ``Engine.explain`` would
    re-score the proposal on every call (tens of ms per pair on a large city: too
    slow for the 100 ms budget of a new proposal, and out of reach pair by pair in
    a bulk re-score). Without ``engine`` shared terms are ranked without IDF;
    matches stored by a large bulk re-score carry no explanation and get one from
    here when displayed.
    """
    sectors, _covered, _partners = sector_coverage(proposal, priority)
    impacts, _used = impact_match(proposal, priority)
    return {
        "components": {"sectors": round(sectors, 6), "impacts": round(impacts, 6)},
        "reasons": build_reasons(proposal, priority, engine, decision),
    }
