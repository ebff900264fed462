"""A city re-score through Redis and a real worker: the chord of batches runs on the
"scoring" queue, every match is written exactly once and the job is closed."""

from __future__ import annotations

import pytest

from projects.models import JobState, Match, RematchJob
from projects.services import matching as services
from tests.projects.matching_factories import (
    city_with_priorities,
    energy_proposal,
    mobility_proposal,
)

from .workers import (
    require_real_services,
    start_worker,
    stop_worker,
    wait_until,
    worker_env,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_city_rescore_chord_runs_on_a_real_worker() -> None:
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
        env=worker_env(MATCHING_BATCH_SIZE="4"),
    )
    try:
        started = services.city_rematch_start(actor=None, city=city, reason="it")
        job_id = started.job.pk
        finished = wait_until(
            lambda: (
                RematchJob.objects.get(pk=job_id).state
                in (JobState.DONE, JobState.FAILED)
            ),
            timeout=120,
        )
    finally:
        stop_worker(worker)
    job = RematchJob.objects.get(pk=job_id)
    assert finished, f"job still {job.state} {job.done}/{job.total}"
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
