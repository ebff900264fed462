"""HTTP throughput of the proposal list API, list page and detail page, as ratios
of a bare Django view measured in the same run.

Seeds 10,000 proposals into a fresh PostgreSQL database, serves the site with
gunicorn (2 workers), and drives each endpoint in turn with a closed loop of
keep-alive clients. Goals: list API ≥ 35 % of the bare view's rate, detail page
≥ 50 %. Prints one JSON line on stdout (progress and server logs go to stderr).

The server runs as in production: DEBUG off (cached template loader) and the cache
in Redis (``REDIS_URL``, database 12 by default, flushed at the start), shared by
the two workers, so anonymous readers are served the shared cached renderings
(``projects/caching.py``) that any change retires. Each endpoint gets a warm-up
first; the measured requests are then mostly cache hits, as for anonymous readers
of a site that changes less often than it is read. ``--no-redis`` measures the
per-process local-memory cache instead (the setup without Redis).

    python bench/http_proposals.py [--proposals 10000] [--seconds 10]
        [--redis redis://127.0.0.1:6379/12 | --no-redis]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._http import free_port, hammer, start_gunicorn, stop  # noqa: E402

DB = "crosswalk_bench_http"
PG = "postgres://postgres@127.0.0.1:5432"


def psql(sql: str, *, check: bool) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql],
        check=check,
        env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"},
    )


def prepare(env: dict[str, str], n: int) -> int:
    psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", check=True)
    psql(f"CREATE DATABASE {DB}", check=True)

    def run(*a: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "manage.py", *a],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )

    run("migrate", "--noinput")
    run("seed_demo")
    code = f"from bench._seed import seed_proposals; print(seed_proposals({n}))"
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--redis",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
        help="Redis database for the cache (and broker); flushed at the start",
    )
    parser.add_argument("--no-redis", action="store_true")
    args = parser.parse_args()

    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "REDIS_URL",
            "CACHE_URL",
            "CACHE_KEY_PREFIX",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    redis_url = None if args.no_redis else args.redis
    env.update(
        DATABASE_URL=f"{PG}/{DB}",
        DEBUG="false",
        BENCHMARK_ENDPOINTS="true",
        # Throttles stay on (two Redis round trips each per API request) but never
        # refuse. DRF keeps every request of the window in one list per client:
        # with a one-second window this one client's list stays a few hundred
        # long, like a real client's at the production rates (120 and 600 a
        # minute); a one-minute window would make it tens of thousands long.
        API_THROTTLE_ANON="1000000/s",
        API_THROTTLE_USER="1000000/s",
        LOG_LEVEL="WARNING",
        FAST_PASSWORD_HASHER="1",
    )
    total = prepare(env, args.proposals)
    code = "from projects.models import Proposal; print(Proposal.objects.public().order_by('-submitted_at').values_list('pk', flat=True).first())"
    detail_id = (
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )

    # Seeding ran without Redis (tasks eager, in-process); the server gets the
    # shared cache, emptied first so nothing from an earlier run can be served.
    server_env = dict(env)
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()
        server_env["REDIS_URL"] = redis_url
    port = free_port()
    server = start_gunicorn(server_env, workers=2, port=port)
    endpoints = {
        "bare": "/bench/bare/",
        "list_api": "/api/v1/proposals/",
        "list_page": "/proposals/",
        "detail_page": f"/proposals/{detail_id}/",
    }
    results = {}
    try:
        for name, path in endpoints.items():
            hammer(port, path, seconds=1.5, concurrency=args.concurrency)  # warm-up
            results[name] = hammer(
                port, path, seconds=args.seconds, concurrency=args.concurrency
            )
    finally:
        stop(server)
        psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", check=False)
    bare = results["bare"].rps or 1.0
    out = {
        "proposals": total,
        "gunicorn_workers": 2,
        "cache": "redis" if redis_url else "locmem",
        "concurrency": args.concurrency,
        **{f"{k}_rps": round(r.rps, 1) for k, r in results.items()},
        **{f"{k}_p95_ms": round(r.percentile(0.95), 1) for k, r in results.items()},
        **{f"{k}_errors": r.errors for k, r in results.items()},
        "list_api_ratio": round(results["list_api"].rps / bare, 3),
        "list_page_ratio": round(results["list_page"].rps / bare, 3),
        "detail_page_ratio": round(results["detail_page"].rps / bare, 3),
        "goal_list_api_ratio": 0.35,
        "goal_detail_page_ratio": 0.5,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
