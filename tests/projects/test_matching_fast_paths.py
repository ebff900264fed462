"""The paths that make matching fast on a large city: a re-score fitted and scored
once then written in batches, and a new proposal scored with a handful of queries.
Tasks run in-process (eager), as without a broker."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects import matching_adapter as adapter
from projects.matching import ENGINE_VERSION
from projects.models import JobState, Match, RematchJob
from projects.services import matching as services
from tests.projects.matching_factories import (
    city_with_priorities,
    energy_proposal,
    mobility_proposal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_engines() -> Any:
    adapter.clear_engine_cache()
    yield
    adapter.clear_engine_cache()


def _queries_to_rescore(n: int) -> int:
    city, _energy, _mobility = city_with_priorities()
    proposals = [energy_proposal(city, i) for i in range(n)]
    services.proposal_score(proposal_id=proposals[0].pk)
    # Warm: the engine is fitted; a revision of the proposal is scored again.
    with CaptureQueriesContext(connection) as ctx:
        services.proposal_score(proposal_id=proposals[0].pk)
    return len(ctx.captured_queries)


def test_scoring_one_proposal_costs_a_few_queries_whatever_the_city_size() -> None:
    small, large = _queries_to_rescore(2), _queries_to_rescore(20)
    assert small == large
    # Twelve statements with the strong-match notice (the test database adds a
    # savepoint and its release), none of them reading the whole city.
    assert small <= 14


def test_scored_plan_fits_once_and_batches_only_write() -> None:
    city, energy, mobility = city_with_priorities()
    proposals = [energy_proposal(city, n) for n in range(3)] + [
        mobility_proposal(city, n) for n in range(2)
    ]
    job = services.city_rematch_start(actor=None, city=city, enqueue=False).job
    batches = services.rematch_plan_scored(job_id=job.pk)
    assert [b["proposal_ids"] for b in batches] == [[p.pk for p in proposals]]
    proposal_col, priority_col, scores = batches[0]["pairs"]
    # Two priorities, top-3 kept: every pair, in proposal order.
    assert len(proposal_col) == len(priority_col) == len(scores) == 10
    assert batches[0]["version"] == ENGINE_VERSION
    # A batch loads nothing to score: the engine is not refitted.
    adapter.clear_engine_cache()
    stored = services.rematch_batch(
        job_id=job.pk,
        proposal_ids=batches[0]["proposal_ids"],
        pairs=batches[0]["pairs"],
        version=batches[0]["version"],
    )
    assert stored == 5
    rows = {
        (m.proposal_id, m.priority_id): m.score
        for m in Match.objects.filter(priority__city=city)
    }
    assert rows == {
        (p, pr): pytest.approx(s, abs=1e-6)
        for p, pr, s in zip(proposal_col, priority_col, scores, strict=True)
    }
    best = {
        p.pk: max((energy.pk, mobility.pk), key=lambda pr: rows[(p.pk, pr)])
        for p in proposals
    }
    assert [best[p.pk] for p in proposals] == [energy.pk] * 3 + [mobility.pk] * 2
    job.refresh_from_db()
    assert job.done == job.total == 5


def test_scored_batch_skips_a_priority_deleted_after_the_plan() -> None:
    city, energy, mobility = city_with_priorities()
    proposals = [energy_proposal(city), mobility_proposal(city)]
    job = services.city_rematch_start(actor=None, city=city, enqueue=False).job
    batch = services.rematch_plan_scored(job_id=job.pk)[0]
    mobility.delete()
    services.rematch_batch(
        job_id=job.pk,
        proposal_ids=batch["proposal_ids"],
        pairs=batch["pairs"],
        version=batch["version"],
    )
    pairs = set(Match.objects.values_list("proposal_id", "priority_id"))
    assert pairs == {(p.pk, energy.pk) for p in proposals}


def test_rescore_through_the_scored_plan_closes_the_job(
    django_capture_on_commit_callbacks: Any,
) -> None:
    city, _energy, _mobility = city_with_priorities()
    for n in range(3):
        energy_proposal(city, n)
    with django_capture_on_commit_callbacks(execute=True):
        started = services.city_rematch_start(actor=None, city=city)
    job = RematchJob.objects.get(pk=started.job.pk)
    assert (job.state, job.done, job.total) == (JobState.DONE, 3, 3)
    # A small city's rows carry their reasons.
    assert all(m.reasons for m in Match.objects.filter(priority__city=city))


def test_a_large_citys_corpus_count_is_remembered(monkeypatch: Any) -> None:
    monkeypatch.setattr(adapter, "_SIZE_MEMO_FROM", 1)
    city, _energy, _mobility = city_with_priorities()
    proposal = energy_proposal(city)
    services.proposal_score(proposal_id=proposal.pk)
    with CaptureQueriesContext(connection) as ctx:
        adapter.city_engine(city.pk)
    assert not [q for q in ctx.captured_queries if "COUNT(*)" in q["sql"]]
    # A re-score counts afresh.
    with CaptureQueriesContext(connection) as ctx:
        adapter.city_engine(city.pk, refresh=True)
    assert [q for q in ctx.captured_queries if "COUNT(*)" in q["sql"]]


def test_a_process_without_the_engine_loads_the_shared_one_instead_of_fitting() -> None:
    city, energy, _mobility = city_with_priorities()
    proposals = [energy_proposal(city, n) for n in range(3)] + [mobility_proposal(city)]
    services.proposal_score(proposal_id=proposals[0].pk)  # fits here, and shares
    fitted_here = adapter.city_engine(city.pk)
    adapter._cache.clear()  # another worker process: nothing fitted locally
    with CaptureQueriesContext(connection) as ctx:
        loaded = adapter.city_engine(city.pk)
    # The city's proposals were counted but not read: nothing was fitted.
    read = [q["sql"] for q in ctx.captured_queries if "projects_proposal" in q["sql"]]
    assert read and all("COUNT(*)" in sql for sql in read)
    assert loaded.engine is not fitted_here.engine and loaded.engine.corpus == []
    inputs = adapter.proposal_inputs([p.pk for p in proposals])
    assert (
        loaded.engine.score_matrix(inputs).scores.tolist()
        == fitted_here.engine.score_matrix(inputs).scores.tolist()
    )
    pair = loaded.explain(inputs[0], energy.pk)
    assert pair["reasons"] == fitted_here.explain(inputs[0], energy.pk)["reasons"]
    # Scoring with it stores the same rows.
    before = sorted(Match.objects.values_list("proposal_id", "priority_id", "score"))
    services.proposal_score(proposal_id=proposals[0].pk)
    after = sorted(Match.objects.values_list("proposal_id", "priority_id", "score"))
    assert after == before


def test_clearing_the_engines_forgets_the_shared_ones_too() -> None:
    city, _energy, _mobility = city_with_priorities()
    proposal = energy_proposal(city)
    services.proposal_score(proposal_id=proposal.pk)
    adapter.clear_engine_cache()
    assert adapter.city_engine(city.pk).engine.corpus != []
