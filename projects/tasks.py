"""Celery tasks of the projects app: thin, JSON arguments, safe to run twice.

Each task loads ids and calls one service of ``projects.services.matching``. Scoring
and re-score tasks travel on the "scoring" queue (``CELERY_TASK_ROUTES``); with no
broker configured they run in-process. ``acks_late`` and ``reject_on_worker_lost``
(set globally) mean a worker killed mid-batch loses nothing: the batch comes back
and its upserts rewrite the same rows.
"""

from __future__ import annotations

from typing import Any

from celery import chord, shared_task
from django.db import OperationalError

from .services import matching as services

_TRANSIENT = (OperationalError, ConnectionError, TimeoutError)
_RETRY: dict[str, Any] = {
    "acks_late": True,
    "autoretry_for": _TRANSIENT,
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 6,
}


@shared_task(name="projects.tasks.score_proposal", **_RETRY)
def score_proposal(proposal_id: int) -> int:
    """Score one proposal against its city's priorities; returns the rows stored."""
    return len(services.proposal_score(proposal_id=int(proposal_id)))


@shared_task(name="projects.tasks.rematch_city", **_RETRY)
def rematch_city(job_id: int) -> int:
    """Fit the city's engine once and score every proposal, then write the scores
    in parallel batches (a chord) and close the job; returns the number of
    batches."""
    batches = services.rematch_plan_scored(job_id=int(job_id))
    finish = rematch_city_finish.si(int(job_id))
    if not batches:
        finish.apply_async()
        return 0
    chord(
        rematch_city_batch.si(int(job_id), b["proposal_ids"], b["pairs"], b["version"])
        for b in batches
    )(finish)
    return len(batches)


@shared_task(
    name="projects.tasks.rematch_city_batch", bind=True, soft_time_limit=300, **_RETRY
)
def rematch_city_batch(
    self: Any,
    job_id: int,
    proposal_ids: list[int],
    pairs: list[list[Any]] | None = None,
    version: str = "",
) -> int:
    """Write one batch of scored pairs (three columns: proposal ids, priority ids,
    scores), or, given ids alone, score them here."""
    try:
        return services.rematch_batch(
            job_id=int(job_id),
            proposal_ids=[int(i) for i in proposal_ids],
            pairs=pairs,
            version=str(version),
        )
    except _TRANSIENT:
        raise
    except Exception as exc:
        # A bug, not a hiccup: retrying would fail the same way. Close the job so
        # the page stops showing a bar that will never move and a new re-score
        # can start.
        services.rematch_fail(job_id=int(job_id), error=repr(exc))
        raise


@shared_task(name="projects.tasks.rematch_city_finish", **_RETRY)
def rematch_city_finish(job_id: int) -> str:
    job = services.rematch_finish(job_id=int(job_id))
    return job.state if job else "missing"


@shared_task(name="projects.tasks.sweep_unscored", acks_late=True)
def sweep_unscored() -> int:
    """Beat, every five minutes: score what was never scored or edited since."""
    ids = services.sweep_unscored()
    for proposal_id in ids:
        score_proposal.delay(proposal_id)
    return len(ids)


# --- Demand indicators: CSV imports -------------------------------------------------------


@shared_task(
    name="projects.tasks.import_indicators",
    soft_time_limit=1800,
    time_limit=1900,
    **_RETRY,
)
def import_indicators(import_id: int) -> str:
    """Check and apply one uploaded CSV file. Claims the import (queued → running)
    with a conditional update, so a second delivery of a done, rejected or running
    import does nothing; returns the import's state ("skipped" when not claimed)."""
    from .services import indicators

    imp = indicators.indicator_import_run(import_id=int(import_id))
    return imp.state if imp else "skipped"


@shared_task(name="projects.tasks.sweep_indicator_imports", acks_late=True)
def sweep_indicator_imports() -> int:
    """Beat, every five minutes: enqueue imports the broker never received and
    those whose worker died."""
    from .services import indicators

    ids = indicators.sweep_indicator_imports()
    for import_id in ids:
        indicators.enqueue_import(import_id)
    return len(ids)


# --- Demand signals -----------------------------------------------------------------------


@shared_task(name="projects.tasks.detect_city_signals", soft_time_limit=600, **_RETRY)
def detect_city_signals(city_id: int) -> int:
    """Detect shifts in every series of one city (after each import); returns the
    number of new signals. Upserts: a second run writes the same rows."""
    from stakeholders.models import City

    from .services import signals

    city = City.objects.filter(pk=int(city_id)).first()
    if city is None:
        return 0
    return len(signals.signals_detect_city(city=city).created)


@shared_task(name="projects.tasks.detect_all_signals", acks_late=True)
def detect_all_signals() -> int:
    """Beat, nightly: one detection task per city with indicators."""
    from stakeholders.models import City

    ids = list(
        City.objects.filter(indicators__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for city_id in ids:
        detect_city_signals.delay(city_id)
    return len(ids)
