"""Mixed load on the whole stack: 100 people for 2 minutes, then every acknowledged
write looked up in the database.

    python bench/load.py [--users 100] [--spawn-rate 10] [--run-time 2m]
        [--proposals 10000] [--comments 100000] [--web-concurrency 3]
        [--redis redis://127.0.0.1:6379/14] [--keep-db] [--plan FILE [--reuse-db]]

Creates a fresh PostgreSQL database (``crosswalk_load``), seeds the demo city with
10,000 proposals and 100,000 comments in bulk plus one account per simulated
person (sessions and API tokens made up front: no Argon2 sign-in during the run),
then starts, on loopback, gunicorn as in production (``WEB_CONCURRENCY`` processes
of ``gthread`` workers, ``platform/env.example``), two Celery workers (at the lower
CPU priority production gives them) and locust
(``bench/locustfile.py``: residents browsing, searching, reading, commenting and
supporting; anonymous visitors; organisations creating and submitting proposals
through the API). Redis (the given database, flushed first) is the broker and the
cache.

Afterwards it prints, per endpoint, requests per second, p50/p95/p99 latency and
errors; waits for the workers to empty their queues; checks that every comment,
support and submitted proposal the site acknowledged is in the database (and that
the submitted proposals were scored); drops the database; and prints one JSON
line: rps, p50, p95, p99 (ms), errors, writes, lost_writes… Goals: zero errors,
p95 ≤ 300 ms, no lost write.

Rate limits stay as in production except the anonymous API throttle: every
simulated visitor comes from 127.0.0.1, so ``API_THROTTLE_ANON`` is raised for the
run (printed). Each resident comments at most once every 13 s (five a minute is
the site's limit per person) and supports a proposal once.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._http import free_port, stop  # noqa: E402

DB = "crosswalk_load"
PG = "postgres://postgres@127.0.0.1:5432"
QUEUES = ("celery", "scoring", "notifications")
ANON_THROTTLE = "100000/min"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- Seeding (runs inside ``manage.py shell``) ----------------------------------------


def seed_all(
    proposals: int, comments: int, residents: int, organisations: int
) -> dict[str, Any]:
    """The demo city, people and organisations (not the demo's own proposals and
    conversation), ``proposals`` proposals scored against the demo priorities,
    the load's accounts, ``comments`` comments; returns the plan."""
    from django.db import transaction

    from bench._seed import seed_comments, seed_proposals
    from projects.demo_matching import seed_priorities
    from stakeholders import demo

    def demo_people() -> None:
        with transaction.atomic():
            demo.seed(sys.stderr)

    # The bulk steps commit (and VACUUM) on their own.
    steps: list[tuple[str, Any]] = [
        ("demo city, people and organisations", demo_people),
        (f"{proposals} proposals", lambda: seed_proposals(proposals, seed=7)),
        ("priorities, every proposal scored", lambda: seed_priorities(sys.stderr)),
        ("accounts and sessions", lambda: seed_accounts(residents, organisations)),
        (f"{comments} comments", lambda: seed_comments(comments, seed=7)),
    ]
    plan: dict[str, Any] = {}
    for label, step in steps:
        began = time.monotonic()
        result = step()
        if isinstance(result, dict):
            plan = result
        log(f"  {label}: {time.monotonic() - began:.1f} s")
    return plan


def seed_accounts(residents: int, organisations: int) -> dict[str, Any]:
    """One resident account with a signed-in session per simulated resident, one
    organisation with its owner and an API token per simulated organisation, and
    what the simulated people pick from. Returns the plan."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from rest_framework.authtoken.models import Token

    from bench._seed import WORDS
    from projects.models import Proposal, ProposalStatus, Sector
    from stakeholders.models import (
        City,
        Membership,
        MembershipRole,
        Organisation,
        User,
        UserKind,
        VerificationState,
    )

    city = City.objects.get(slug="riverbend")
    password = make_password(None)  # unusable: nobody signs in with a password
    backend = "django.contrib.auth.backends.ModelBackend"
    assert backend in settings.AUTHENTICATION_BACKENDS

    def accounts(prefix: str, name: str, kind: str, count: int) -> list[Any]:
        return User.objects.bulk_create(
            [
                User(
                    email=f"load-{prefix}-{i}@example.org",
                    display_name=f"{name} {i}",
                    kind=kind,
                    home_city=city,
                    password=password,
                )
                for i in range(count)
            ]
        )

    with transaction.atomic():
        people = accounts("resident", "Resident", UserKind.RESIDENT, residents)
        members = accounts("org", "Founder", UserKind.STARTUP, organisations)
        orgs = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"Load Startup {i}",
                    slug=f"load-startup-{i}",
                    kind="startup",
                    verification_state=VerificationState.VERIFIED,
                )
                for i in range(organisations)
            ]
        )
        Membership.objects.bulk_create(
            [
                Membership(user=u, organisation=o, role=MembershipRole.OWNER)
                for u, o in zip(members, orgs, strict=True)
            ]
        )
        tokens = Token.objects.bulk_create(
            [Token(user=u, key=Token.generate_key()) for u in members]
        )
    sessions = []
    for user in people:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append({"id": user.pk, "session": store.session_key})
    public = list(
        Proposal.objects.public()
        .filter(city=city)
        .order_by("?")
        .values_list("pk", "status")[:3000]
    )
    open_statuses = {
        ProposalStatus.SUBMITTED,
        ProposalStatus.UNDER_REVIEW,
        ProposalStatus.SHORTLISTED,
    }
    total = Proposal.objects.public().filter(city=city).count()
    return {
        "city": city.slug,
        "districts": list(city.districts.values_list("slug", flat=True)),
        "sectors": list(Sector.objects.values_list("slug", flat=True)),
        "residents": sessions,
        "organisations": [
            {"organisation": o.pk, "token": t.key}
            for o, t in zip(orgs, tokens, strict=True)
        ],
        "proposals": [pk for pk, _ in public],
        "open_proposals": [pk for pk, status in public if status in open_statuses],
        # The list pages a reader reaches (20 a page; most stop early).
        "pages": max(1, min(50, total // 20)),
        "words": sorted({w.split()[0] for terms in WORDS.values() for w in terms}),
    }


#: ``--reuse-db``: each simulated resident supports a proposal once per run, so the
#: supports an earlier run left are withdrawn first (through the service: the
#: counters follow).
FORGET_SUPPORTS = (
    "import json\n"
    "from projects.models import Support\n"
    "from projects.services.conversation import support_remove\n"
    "done = 0\n"
    "for s in Support.objects.filter(user__email__startswith='load-resident-')"
    ".select_related('user', 'proposal'):\n"
    "    support_remove(actor=s.user, proposal=s.proposal)\n"
    "    done += 1\n"
    "print(json.dumps(done))"
)


def check_writes(path: str, *, wait: float) -> dict[str, Any]:
    """Every acknowledged write, looked up; the submitted proposals' scores are
    waited for up to ``wait`` seconds (the workers score them)."""
    from projects.models import Comment, Proposal, ProposalStatus, Support

    writes = json.loads(Path(path).read_text())
    comments = writes["comments"]
    found_comments = set(
        Comment.objects.filter(body__in=[b for _, b in comments]).values_list(
            "proposal_id", "body"
        )
    )
    lost_comments = sum(1 for pk, b in comments if (pk, b) not in found_comments)
    supports = {tuple(s) for s in writes["supports"]}
    found_supports = set(
        Support.objects.filter(
            proposal_id__in={p for _, p in supports},
            user_id__in={u for u, _ in supports},
        ).values_list("user_id", "proposal_id")
    )
    lost_supports = len(supports - found_supports)
    proposals = dict(writes["proposals"])
    found = set(
        Proposal.objects.filter(
            pk__in=list(proposals), status=ProposalStatus.SUBMITTED
        ).values_list("pk", "title")
    )
    lost_proposals = sum(1 for item in proposals.items() if item not in found)
    deadline = time.monotonic() + wait
    while True:
        unscored = Proposal.objects.filter(
            pk__in=list(proposals), scored_at__isnull=True
        ).count()
        if not unscored or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    return {
        "comments": len(comments),
        "supports": len(supports),
        "proposals_submitted": len(proposals),
        "lost_comments": lost_comments,
        "lost_supports": lost_supports,
        "lost_proposals": lost_proposals,
        "unscored_proposals": unscored,
    }


# --- Orchestration ---------------------------------------------------------------------


def psql(sql: str, *, check: bool) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql],
        check=check,
        env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"},
    )


def manage(env: dict[str, str], *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{proc.stderr[-3000:]}")
    return proc.stdout


def shell_json(env: dict[str, str], code: str) -> Any:
    """Run ``code`` in ``manage.py shell``; it prints one JSON value last (and
    its progress, indented, on stderr)."""
    proc = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"manage.py shell failed:\n{proc.stderr[-3000:]}")
    for line in proc.stderr.splitlines():
        if line.startswith("  ") and not line.startswith("  mw_instance"):
            log(line)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def seconds(value: str) -> int:
    """``120``, ``120s``, ``2m`` or ``1m30s``."""
    total, number = 0, ""
    for char in value.strip():
        if char.isdigit():
            number += char
        elif char in "hms" and number:
            total += int(number) * {"h": 3600, "m": 60, "s": 1}[char]
            number = ""
        else:
            raise argparse.ArgumentTypeError(f"not a duration: {value}")
    return total + int(number or 0)


def prepare(env: dict[str, str], args: argparse.Namespace, plan_path: str) -> None:
    psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", check=True)
    psql(f"CREATE DATABASE {DB}", check=True)
    started = time.monotonic()
    manage(env, "migrate", "--noinput")
    log(f"migrated in {time.monotonic() - started:.0f} s")
    residents = max(1, args.users)
    organisations = max(1, args.users // 5)
    plan = shell_json(
        env,
        "import json\n"
        "from bench.load import seed_all\n"
        f"print(json.dumps(seed_all({args.proposals}, {args.comments}, "
        f"{residents}, {organisations})))",
    )
    Path(plan_path).write_text(json.dumps(plan))
    counts = shell_json(
        env,
        "import json\n"
        "from projects.models import Comment, Proposal\n"
        "print(json.dumps([Proposal.objects.count(), Comment.objects.count()]))",
    )
    log(
        f"seeded {counts[0]} proposals, {counts[1]} comments, {residents} residents, "
        f"{organisations} organisations in {time.monotonic() - started:.0f} s"
    )


def start_web(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """gunicorn configured the production way: WEB_CONCURRENCY and
    GUNICORN_CMD_ARGS (platform/env.example), bound to our port."""
    import http.client

    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=sys.stderr,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.3)
    stop(proc)
    raise RuntimeError("gunicorn did not become healthy")


def _as_background_work() -> None:
    # As in production (platform/systemd/crosswalk-worker.service: Nice=10;
    # compose: cpu_shares), the workers yield the CPU to the web processes.
    os.nice(10)


def start_workers(env: dict[str, str], count: int) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel",
                "WARNING",
                "-Q",
                ",".join(QUEUES),
                "--concurrency",
                "1",
                "--without-mingle",
                "--without-gossip",
                "-n",
                f"load{i}@%h",
            ],
            cwd=ROOT,
            env=env,
            # Banners and logs to stderr: stdout carries only the JSON result.
            stdout=sys.stderr,
            start_new_session=True,
            preexec_fn=_as_background_work,
        )
        for i in range(count)
    ]


def queue_lengths(redis_url: str) -> dict[str, int]:
    """Tasks waiting in each queue (what ``redis-cli LLEN <queue>`` says)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    return {q: int(client.llen(q)) for q in QUEUES}


def read_stats(prefix: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """locust's ``<prefix>_stats.csv``: the aggregated row and one per endpoint."""
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = list(csv.DictReader(stats))

    def figures(row: dict[str, str]) -> dict[str, Any]:
        return {
            "name": f"{row['Type']} {row['Name']}".strip(),
            "requests": int(row["Request Count"]),
            "errors": int(row["Failure Count"]),
            "rps": round(float(row["Requests/s"]), 1),
            "p50": float(row["50%"] if row["50%"] != "N/A" else 0),
            "p95": float(row["95%"] if row["95%"] != "N/A" else 0),
            "p99": float(row["99%"] if row["99%"] != "N/A" else 0),
        }

    total = next(figures(r) for r in rows if r["Name"] == "Aggregated")
    endpoints = [figures(r) for r in rows if r["Name"] != "Aggregated"]
    return total, endpoints


def failures(prefix: str) -> list[str]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with open(path, newline="") as found:
        return [
            f"{r['Occurrences']}× {r['Method']} {r['Name']}: {r['Error'][:160]}"
            for r in csv.DictReader(found)
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--run-time", type=seconds, default=seconds("2m"))
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument(
        "--web-concurrency",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY", 3)),
        help="gunicorn processes (WEB_CONCURRENCY; 3 as in platform/env.example)",
    )
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="Celery workers")
    parser.add_argument(
        "--redis",
        default=os.environ.get("BENCH_LOAD_REDIS_URL", "redis://127.0.0.1:6379/14"),
        help="Redis database for broker and cache; flushed at the start",
    )
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--plan",
        help="where the plan (accounts, proposal ids) is written; with --reuse-db, "
        "read from",
    )
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="skip seeding: run against the database and plan a previous run kept "
        "(--keep-db --plan FILE); its earlier writes stay in it",
    )
    args = parser.parse_args()
    if args.reuse_db and not args.plan:
        parser.error("--reuse-db needs --plan FILE")

    import redis

    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "CACHE_URL", "CACHE_KEY_PREFIX", "CI"}
    }
    base.update(
        DATABASE_URL=f"{PG}/{DB}",
        DEBUG="false",
        LOG_LEVEL="WARNING",
        EMAIL_URL="dummymail://",
    )
    base.pop("FAST_PASSWORD_HASHER", None)
    folder = tempfile.mkdtemp(prefix="crosswalk-load-")
    plan_path = args.plan or os.path.join(folder, "plan.json")
    writes_path = os.path.join(folder, "writes.json")
    prefix = os.path.join(folder, "locust")
    port = free_port()

    # Seeding runs without Redis (tasks in-process, nothing to flush after).
    if not args.reuse_db:
        prepare(base, args, plan_path)
    else:
        log(f"withdrew {shell_json(base, FORGET_SUPPORTS)} supports of earlier runs")
    redis.Redis.from_url(args.redis).flushdb()
    env = {
        **base,
        "REDIS_URL": args.redis,
        "API_THROTTLE_ANON": ANON_THROTTLE,
        "WEB_CONCURRENCY": str(args.web_concurrency),
        # In production nginx holds the browsers' connections (keepalive_timeout
        # 75 s) and gunicorn's 5 s keep-alive only faces nginx. Here the simulated
        # people talk to gunicorn directly and pause up to 8 s: with 5 s, gunicorn
        # closes a connection just as a person reuses it, and the request dies
        # with a reset before reaching the site. Give them nginx's keep-alive.
        "GUNICORN_CMD_ARGS": (
            f"--bind 127.0.0.1:{port} --worker-class gthread "
            f"--threads {args.threads} --timeout 30 --keep-alive 75 "
            "--log-level warning"
        ),
    }
    log(
        f"rate limits as in production, except API_THROTTLE_ANON={ANON_THROTTLE} "
        "(every simulated visitor shares 127.0.0.1)"
    )
    workers = start_workers(env, args.workers)
    web = start_web(env, port)
    log(
        f"gunicorn: {args.web_concurrency} processes × {args.threads} threads; "
        f"{args.workers} Celery workers; locust: {args.users} users, "
        f"spawn rate {args.spawn_rate}/s, {args.run_time} s"
    )
    try:
        locust = subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{args.run_time}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                prefix,
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--stop-timeout",
                "10",
            ],
            cwd=ROOT,
            env={**os.environ, "LOAD_PLAN": plan_path, "LOAD_WRITES": writes_path},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            timeout=args.run_time + 120,
        )
        if not Path(f"{prefix}_stats.csv").exists():
            raise RuntimeError(f"locust failed:\n{locust.stderr[-3000:]}")
        total, endpoints = read_stats(prefix)
        log(f"locust done; tasks waiting: {queue_lengths(args.redis)}")
        drained = time.monotonic()
        while any(queue_lengths(args.redis).values()):
            if time.monotonic() - drained > 60:
                break
            time.sleep(0.5)
        backlog = sum(queue_lengths(args.redis).values())
        log(f"queues drained in {time.monotonic() - drained:.0f} s (left: {backlog})")
        checked = shell_json(
            env,
            "import json\n"
            "from bench.load import check_writes\n"
            f"print(json.dumps(check_writes({writes_path!r}, wait=30)))",
        )
    finally:
        stop(web)
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        if not args.keep_db:
            psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", check=False)

    width = max(len(e["name"]) for e in endpoints)
    log(f"\n{'endpoint':<{width}}  requests   req/s    p50    p95    p99  errors")
    for e in sorted(endpoints, key=lambda e: -e["requests"]):
        log(
            f"{e['name']:<{width}}  {e['requests']:8d}  {e['rps']:6.1f}  "
            f"{e['p50']:5.0f}  {e['p95']:5.0f}  {e['p99']:5.0f}  {e['errors']:6d}"
        )
    log(
        f"{'all':<{width}}  {total['requests']:8d}  {total['rps']:6.1f}  "
        f"{total['p50']:5.0f}  {total['p95']:5.0f}  {total['p99']:5.0f}  "
        f"{total['errors']:6d}   (latencies in ms)"
    )
    for line in failures(prefix)[:20]:
        log(f"  error: {line}")
    lost = (
        checked["lost_comments"] + checked["lost_supports"] + checked["lost_proposals"]
    )
    writes = checked["comments"] + checked["supports"] + checked["proposals_submitted"]
    log(
        f"acknowledged writes: {checked['comments']} comments, {checked['supports']} "
        f"supports, {checked['proposals_submitted']} proposals submitted; missing "
        f"from the database: {lost}; submitted but unscored after the run: "
        f"{checked['unscored_proposals']}; tasks left in the queues: {backlog}"
    )
    out = {
        "users": args.users,
        "run_seconds": args.run_time,
        "web_concurrency": args.web_concurrency,
        "threads": args.threads,
        "celery_workers": args.workers,
        "proposals_seeded": args.proposals,
        "comments_seeded": args.comments,
        "requests": total["requests"],
        "rps": total["rps"],
        "p50": total["p50"],
        "p95": total["p95"],
        "p99": total["p99"],
        "errors": total["errors"],
        "writes": writes,
        "lost_writes": lost,
        "unscored_proposals": checked["unscored_proposals"],
        "queue_backlog": backlog,
        "api_throttle_anon": ANON_THROTTLE,
        "endpoints": {
            e["name"]: {k: e[k] for k in ("requests", "rps", "p50", "p95", "errors")}
            for e in endpoints
        },
        "goal_p95_ms": 300,
        "goal_errors": 0,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
