"""Speed of matching through the whole stack: 100,000 proposals x 50 priorities.

    python bench/matching_speed.py [--proposals 100000] [--priorities 50]
                                   [--timeout 900]

Prints one JSON line with:

- ``engine_seconds``: the engine alone fits and scores every pair (goal ≤ 10 s);
- ``city_rescore_seconds``: ``city_rematch_start`` to the job done, through Redis
  and ``celery -A config worker -Q scoring,celery --concurrency 2`` on PostgreSQL,
  matches written (goal ≤ 60 s), and ``city_rescore_first_batch_seconds`` until
  the first batch was written (the fit and scoring of the whole city come
  before it);
- ``one_new_proposal_ms``: a new proposal inserted, scored and its matches stored
  by the warm scoring path a worker runs (median of 5; goal ≤ 100 ms), and
  ``one_new_proposal_via_worker_ms``: the same through Redis to the worker, until
  ``scored_at`` is set;
- ``worker_peak_mb``: the largest peak RSS (``VmHWM`` in ``/proc``) of the worker's
  processes (goal ≤ 1 GB).

Texts come from ``bench/_generate.py``; rows go in with bulk inserts as in
``bench/_seed.py``. Uses a throwaway PostgreSQL database and Redis database 6, and
drops the database at the end, whatever happened.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DB = "crosswalk_bench_matching"
PG = "postgres://postgres@127.0.0.1:5432"
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")


def _psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql],
        check=True,
        capture_output=True,
    )


def engine_alone(n: int, p: int) -> float:
    from bench._generate import make_priorities, make_proposals
    from projects.matching import Engine

    priorities = make_priorities(p)
    proposals = make_proposals(n)
    start = time.perf_counter()
    engine = Engine(priorities, corpus=proposals)
    engine.score_matrix()
    return time.perf_counter() - start


def seed(n: int, p: int) -> int:
    """A city with ``p`` priorities and ``n`` submitted proposals; returns its id."""
    from django.db import transaction
    from django.utils import timezone

    from bench._generate import make_priorities, make_proposals
    from projects.models import (
        ExpectedImpact,
        Priority,
        Proposal,
        ProposalStatus,
        Sector,
    )
    from stakeholders.models import City, District, Organisation, User

    city = City.objects.create(
        name="Benchville", slug="benchville", country="FR", timezone="Europe/Paris"
    )
    user = User.objects.create_user(email="bench@example.org", password="x" * 20)
    org = Organisation.objects.create(name="Bench", slug="bench", kind="startup")
    sectors = {s.slug: s for s in Sector.objects.all()}
    districts = {}
    for name in ("Nord", "Sud", "Centre", "Gare", "Port", "Riverside", "Hillside"):
        districts[name] = District.objects.create(
            city=city, name=name, slug=name.lower()
        )
    districts["Old Town"] = District.objects.create(
        city=city, name="Old Town", slug="old-town"
    )
    now = timezone.now()
    with transaction.atomic():
        for item in make_priorities(p):
            priority = Priority.objects.create(
                city=city,
                title=item.title[:140],
                description=item.description,
                keywords=list(item.keywords),
                weight=item.weight,
                target_indicators=list(item.target_indicators),
            )
            priority.sectors.set([sectors[s] for s in item.sectors if s in sectors])
    generated = make_proposals(n, seed=1)
    for lo in range(0, n, 5000):
        chunk = generated[lo : lo + 5000]
        with transaction.atomic():
            rows = Proposal.objects.bulk_create(
                [
                    Proposal(
                        city=city,
                        title=g.title[:140],
                        summary=g.summary[:500] or g.title[:140],
                        body=g.body,
                        lead_organisation=org,
                        author=user,
                        delivery_model="ppp",
                        district=districts.get(g.district),
                        status=ProposalStatus.SUBMITTED,
                        submitted_at=now,
                        sector_count=len(g.sectors),
                    )
                    for g in chunk
                ],
                batch_size=2500,
            )
            through = Proposal.sectors.through
            through.objects.bulk_create(
                [
                    through(proposal_id=row.pk, sector_id=sectors[s].pk)
                    for row, g in zip(rows, chunk, strict=True)
                    for s in g.sectors
                    if s in sectors
                ],
                batch_size=10000,
            )
            ExpectedImpact.objects.bulk_create(
                [
                    ExpectedImpact(
                        proposal_id=row.pk,
                        indicator="co2_avoided",
                        amount=impact.amount,
                        unit="t_co2_per_year",
                        year=2030,
                    )
                    for row, g in zip(rows, chunk, strict=True)
                    for impact in g.impacts[:1]
                ],
                batch_size=10000,
            )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return city.pk


def worker_peak_mb(pid: int) -> float:
    """Largest VmHWM of the worker's main process and its children."""
    pids = [pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The parent pid is the second field after the parenthesised name.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            pids.append(int(stat.parent.name))
    peak = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            continue
    return peak / 1024.0


def new_proposal(city_id: int, n: int) -> int:
    from django.utils import timezone

    from projects.models import Proposal, Sector
    from stakeholders.models import Organisation, User

    row = Proposal.objects.create(
        city_id=city_id,
        title=f"Heat pumps and rooftop solar for social housing {n}",
        summary="Retrofit flats, replace gas boilers, sell solar power to the grid.",
        body="Insulation first; district heating where the network passes.",
        lead_organisation=Organisation.objects.get(slug="bench"),
        author=User.objects.get(email="bench@example.org"),
        delivery_model="ppp",
        status="submitted",
        submitted_at=timezone.now(),
        sector_count=2,
    )
    row.sectors.set(Sector.objects.filter(slug__in=["energy", "housing"]))
    return row.pk


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--priorities", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args(argv)
    figures: dict[str, float | int | str] = {
        "proposals": args.proposals,
        "priorities": args.priorities,
    }
    figures["engine_seconds"] = round(engine_alone(args.proposals, args.priorities), 2)

    _psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    _psql(f"CREATE DATABASE {DB}")
    env = dict(
        os.environ,
        DATABASE_URL=f"{PG}/{DB}",
        REDIS_URL=REDIS,
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    os.environ.update(env)
    worker: subprocess.Popen[bytes] | None = None
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        import django

        django.setup()
        import redis

        redis.Redis.from_url(REDIS).flushdb()
        start = time.perf_counter()
        city_id = seed(args.proposals, args.priorities)
        figures["seed_seconds"] = round(time.perf_counter() - start, 1)

        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                "scoring,celery",
                "--concurrency",
                "2",
                "--loglevel",
                "WARNING",
                "--without-mingle",
                "--without-gossip",
                "-n",
                "bench-matching@%h",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        time.sleep(4)  # let the worker connect before the clock starts
        from django.db import close_old_connections

        from projects.models import JobState, Match, Proposal
        from projects.services import matching as services
        from stakeholders.models import City

        city = City.objects.get(pk=city_id)
        start = time.perf_counter()
        job = services.city_rematch_start(actor=None, city=city, reason="bench").job
        deadline = start + args.timeout
        first_batch = None
        while time.perf_counter() < deadline:
            job.refresh_from_db()
            if first_batch is None and job.done:
                first_batch = time.perf_counter() - start
            if job.state in (JobState.DONE, JobState.FAILED):
                break
            time.sleep(0.2)
        figures["city_rescore_seconds"] = round(time.perf_counter() - start, 2)
        # Fitting and scoring happen before the first batch is written: the split
        # shows which half of the re-score to look at.
        figures["city_rescore_first_batch_seconds"] = round(first_batch or 0.0, 2)
        figures["job_state"] = job.state
        figures["job_done"] = job.done
        figures["matches_written"] = Match.objects.filter(
            priority__city_id=city_id
        ).count()

        # Through the broker: a new proposal's task, until scored_at is set.
        pk = new_proposal(city_id, 0)
        start = time.perf_counter()
        from projects.tasks import score_proposal

        score_proposal.delay(pk)
        while time.perf_counter() < start + 120:
            if Proposal.objects.filter(pk=pk, scored_at__isnull=False).exists():
                break
            time.sleep(0.005)
        figures["one_new_proposal_via_worker_ms"] = round(
            (time.perf_counter() - start) * 1000, 1
        )
        figures["worker_peak_mb"] = round(worker_peak_mb(worker.pid), 1)

        # The warm path of a worker, here: fit once, then time new proposals.
        services.proposal_score(proposal_id=new_proposal(city_id, 1), notify=False)
        times = []
        for n in range(2, 7):
            close_old_connections()
            start = time.perf_counter()
            services.proposal_score(proposal_id=new_proposal(city_id, n), notify=False)
            times.append((time.perf_counter() - start) * 1000)
        figures["one_new_proposal_ms"] = round(statistics.median(times), 1)
        figures["one_new_proposal_ms_max"] = round(max(times), 1)
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        from django.db import connections

        connections.close_all()
        _psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    figures["load_average_1m"] = round(os.getloadavg()[0], 1)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
