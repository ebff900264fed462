"""HTTP throughput of the proposal list API, list page and detail page, as ratios
of a bare Django view measured in the same run.

Seeds 10,000 proposals into a fresh PostgreSQL database, serves the site with
gunicorn (2 workers), and drives each endpoint in turn with a closed loop of
keep-alive clients. Goals: list API ≥ 35 % of the bare view's rate, detail page
≥ 50 %. Prints one JSON line.

    python bench/http_proposals.py [--proposals 10000] [--seconds 10]
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


def prepare(env: dict[str, str], n: int) -> int:
    subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-q",
            "-c",
            f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)",
        ],
        check=True,
    )
    subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-q",
            "-c",
            f"CREATE DATABASE {DB}",
        ],
        check=True,
    )

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
    args = parser.parse_args()

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DATABASE_URL=f"{PG}/{DB}",
        DEBUG="false",
        BENCHMARK_ENDPOINTS="true",
        API_THROTTLE_ANON="100000000/min",
        API_THROTTLE_USER="100000000/min",
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

    port = free_port()
    server = start_gunicorn(env, workers=2, port=port)
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
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-q",
                "-c",
                f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)",
            ],
            check=False,
        )
    bare = results["bare"].rps or 1.0
    out = {
        "proposals": total,
        "gunicorn_workers": 2,
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
