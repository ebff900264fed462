"""A city re-score through Redis and a real worker: the header task fits and scores
once, the chord of batches writes on the "scoring" queue, every match is written
exactly once and the job is closed."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from projects.matching import ENGINE_VERSION
from projects.models import JobState, Match, RematchJob
from projects.services import matching as services
from tests.projects.matching_factories import (
    city_with_priorities,
    energy_proposal,
    mobility_proposal,
)

from .workers import (
    broker_state,
    require_real_services,
    start_worker,
    stop_worker,
    wait_until,
    worker_env,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _run_job(city: Any) -> RematchJob:
    job_id = services.city_rematch_start(actor=None, city=city, reason="it").job.pk
    finished = wait_until(
        lambda: (
            RematchJob.objects.get(pk=job_id).state in (JobState.DONE, JobState.FAILED)
        ),
        timeout=120,
    )
    job = RematchJob.objects.get(pk=job_id)
    assert finished, (
        f"job still {job.state} {job.done}/{job.total}; "
        f"broker: {broker_state(['scoring', 'celery'])}"
    )
    return job


# "2000": a small city, rows written with their reasons through the ORM; "0": a
# large one, bare rows upserted by one unnest statement (run twice: the second
# job meets every row already there).
@pytest.mark.parametrize("explain_limit", ["2000", "0"])
def test_city_rescore_chord_runs_on_a_real_worker(explain_limit: str) -> None:
    require_real_services()
    # Tasks are routed to "scoring" by name; the worker reads it (and the default
    # queue for the notifications' fan-out). The data lives in its own city.
    city, energy, mobility = city_with_priorities(slug="rematch-worker-city")
    proposals = [energy_proposal(city, n) for n in range(6)] + [
        mobility_proposal(city, n) for n in range(5)
    ]
    # Batches of 4: three batches for two worker processes, then the callback.
    worker = start_worker(
        ["scoring", "celery"],
        concurrency=2,
        env=worker_env(
            MATCHING_BATCH_SIZE="4",
            MATCHING_EXPLAIN_BULK_LIMIT=explain_limit,
            # As after a large city's re-score: the job ends by analysing the table.
            MATCHING_ANALYZE_FROM="0" if explain_limit == "0" else "100000",
        ),
    )
    try:
        job = _run_job(city)
        first = sorted(
            Match.objects.filter(priority__city=city).values_list(
                "pk", "proposal_id", "priority_id", "score"
            )
        )
        if explain_limit == "0":
            again = _run_job(city)
            assert again.pk != job.pk and again.state == JobState.DONE, again.error
    finally:
        stop_worker(worker)
    assert job.state == JobState.DONE, job.error
    assert job.done == job.total == len(proposals)
    pairs = list(
        Match.objects.filter(priority__city=city).values_list(
            "proposal_id", "priority_id"
        )
    )
    # Two priorities, top-3 kept: every pair is stored, each exactly once.
    assert sorted(pairs) == sorted(
        (p.pk, pr.pk) for p in proposals for pr in (energy, mobility)
    )
    best = {
        m.proposal_id: m.priority_id
        for m in Match.objects.filter(priority__city=city).order_by("score")
    }
    assert all(best[p.pk] == energy.pk for p in proposals[:6])
    assert all(best[p.pk] == mobility.pk for p in proposals[6:])
    rows = list(Match.objects.filter(priority__city=city))
    assert {r.engine_version for r in rows} == {ENGINE_VERSION}
    if explain_limit == "0":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = %s",
                [Match._meta.db_table],
            )
            assert cursor.fetchone()[0] is not None
        assert all(r.reasons == [] and r.components == {} for r in rows)
        # The second job updated the same rows in place, to the same scores.
        assert (
            sorted(
                Match.objects.filter(priority__city=city).values_list(
                    "pk", "proposal_id", "priority_id", "score"
                )
            )
            == first
        )
    else:
        assert all(r.reasons for r in rows)
