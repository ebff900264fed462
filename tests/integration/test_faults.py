"""Faults with real processes: a worker killed mid re-score, Redis down while a
proposal is submitted, PostgreSQL restarted under load, a notification delivered
twice.

Services that a test stops or kills are private instances started here — a
``redis-server`` on a free port, a PostgreSQL cluster made by ``initdb`` in a
temporary folder — never the shared servers the rest of the suite uses. The site's
own data lives in the test database (PostgreSQL, ``DATABASE_URL``), which the web
server, the workers and the command-line helpers started here all share.

Outside CI a missing binary skips with the reason; in CI (``CI=true``) it fails.
``docs/operations.md`` has the runbook for each of these faults.
"""

from __future__ import annotations

import glob
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from bench._http import free_port, start_gunicorn
from bench._http import stop as stop_process
from projects.models import JobState, Match, Proposal, ProposalStatus, RematchJob
from stakeholders.models import (
    EmailFrequency,
    Notification,
    NotificationKind,
    NotificationSetting,
)
from tests.factories import MembershipFactory, UserFactory
from tests.projects.factories import DraftFactory, ProposalFactory
from tests.projects.matching_factories import (
    city_with_priorities,
    energy_proposal,
    mobility_proposal,
)

from .workers import ROOT, start_worker, stop_worker, wait_until, worker_env

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


# --- Private services -------------------------------------------------------------


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the fault tests)")
    pytest.skip(reason)


def _require_postgres_database() -> None:
    if connection.vendor != "postgresql":
        _unavailable(
            "DATABASE_URL is not PostgreSQL: workers and servers started by these "
            "tests cannot see the in-memory SQLite test database"
        )


def _postgres_bindir() -> Path | None:
    """Where initdb and pg_ctl live, found at run time."""
    candidates = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, check=False
        )
        candidates.append(Path(out.stdout.strip()))
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"))]
    for found in (shutil.which("initdb"), shutil.which("pg_ctl")):
        if found:
            candidates.append(Path(found).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


class PrivateRedis:
    """A throwaway ``redis-server`` on a free loopback port, no persistence."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            _unavailable("redis-server is not installed")
        self.binary = str(binary)
        self.port = free_port()
        self.folder = tempfile.mkdtemp(prefix="crosswalk-redis-")
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.folder,
            ],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        assert wait_until(self.answers, timeout=15), "private redis did not start"

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_timeout=1).ping())
        except redis.RedisError:
            return False

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def close(self) -> None:
        self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


class PrivatePostgres:
    """A throwaway PostgreSQL cluster on a free loopback port. ``initdb`` refuses
    to run as root, so under root the cluster belongs to the ``postgres`` user."""

    def __init__(self) -> None:
        bindir = _postgres_bindir()
        if bindir is None:
            _unavailable("initdb / pg_ctl not found (PostgreSQL server binaries)")
        assert bindir is not None
        self.bindir = bindir
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="crosswalk-pg-"))
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            runuser = shutil.which("runuser")
            if runuser is None:
                _unavailable("running as root without runuser to become postgres")
            self.prefix = [str(runuser), "-u", "postgres", "--"]
            shutil.chown(self.folder, user="postgres")
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"

    def _run(self, *args: str) -> None:
        proc = subprocess.run(
            [*self.prefix, *args], capture_output=True, text=True, timeout=90
        )
        assert proc.returncode == 0, proc.stderr + proc.stdout

    def init(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"
        )

    def create_database(self, name: str) -> str:
        url = f"postgres://postgres@127.0.0.1:{self.port}"
        import psycopg2

        conn = psycopg2.connect(f"{url}/postgres")
        try:
            conn.autocommit = True
            with conn.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()
        return f"{url}/{name}"

    def close(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                [
                    *self.prefix,
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ],
                capture_output=True,
                check=False,
            )
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    try:
        yield server
    finally:
        server.close()


def _manage(env: dict[str, str], code: str) -> str:
    """Run Python in a fresh ``manage.py shell`` with ``env``; returns its stdout."""
    proc = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def _request(
    port: int,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: str | None = None,
    timeout: float = 10,
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# --- a. A worker killed mid re-score ------------------------------------------------


def test_worker_killed_mid_rescore_loses_and_doubles_nothing(
    private_redis: PrivateRedis,
) -> None:
    _require_postgres_database()
    city, energy, mobility = city_with_priorities(slug="faults-rescore")
    proposals = [energy_proposal(city, n) for n in range(60)] + [
        mobility_proposal(city, n) for n in range(60)
    ]
    # A short visibility timeout, so what the dead worker held comes back as soon
    # as the next worker starts (production: CELERY_VISIBILITY_TIMEOUT, 1 hour).
    env = worker_env(
        REDIS_URL=private_redis.url,
        MATCHING_BATCH_SIZE="2",
        CELERY_VISIBILITY_TIMEOUT="3",
    )
    first = start_worker(["scoring", "celery"], concurrency=1, env=env)
    try:
        job_id = int(
            _manage(
                env,
                "from projects.services.matching import city_rematch_start\n"
                "from stakeholders.models import City\n"
                "city = City.objects.get(slug='faults-rescore')\n"
                "print(city_rematch_start(actor=None, city=city, reason='faults')"
                ".job.pk)",
            ).split()[-1]
        )

        def halfway() -> bool:
            job = RematchJob.objects.get(pk=job_id)
            return job.state == JobState.RUNNING and 0 < job.done < job.total

        assert wait_until(halfway, timeout=90, interval=0.02), (
            RematchJob.objects.filter(pk=job_id).values().first()
        )
        stop_worker(first, signal.SIGKILL)
    finally:
        stop_worker(first, signal.SIGKILL)
    killed_at = RematchJob.objects.get(pk=job_id)
    assert killed_at.state == JobState.RUNNING
    assert killed_at.done < killed_at.total, "the job ended before the kill"

    time.sleep(3.5)  # past the visibility timeout of what the dead worker held
    second = start_worker(["scoring", "celery"], concurrency=2, env=env)
    try:
        finished = wait_until(
            lambda: (
                RematchJob.objects.get(pk=job_id).state
                in (JobState.DONE, JobState.FAILED)
            ),
            timeout=90,
        )
    finally:
        stop_worker(second)
    job = RematchJob.objects.get(pk=job_id)
    assert finished, f"job still {job.state} {job.done}/{job.total}"
    assert job.state == JobState.DONE, job.error
    assert job.done == job.total == len(proposals)
    pairs = list(
        Match.objects.filter(priority__city=city).values_list(
            "proposal_id", "priority_id"
        )
    )
    assert len(pairs) == len(set(pairs))
    assert sorted(pairs) == sorted(
        (p.pk, pr.pk) for p in proposals for pr in (energy, mobility)
    )
    assert not Proposal.objects.filter(city=city, scored_at__isnull=True).exists()


# --- b. Redis down while a proposal is submitted -------------------------------------


def test_submission_succeeds_with_redis_down_and_the_sweep_scores_it_after(
    private_redis: PrivateRedis,
) -> None:
    _require_postgres_database()
    city, energy, mobility = city_with_priorities(slug="faults-redis")
    draft = DraftFactory(
        city=city,
        title="Heat pumps and retrofit for social housing",
        summary="Insulate flats and replace gas boilers with heat pumps.",
        sectors=["energy", "housing"],
    )
    token = Token.objects.create(user=draft.author).key
    env = worker_env(REDIS_URL=private_redis.url, DEBUG="false")
    port = free_port()
    web = start_gunicorn(env, workers=1, port=port)
    try:
        assert _request(port, "GET", "/healthz")[0] == 200
        private_redis.kill()

        started = time.monotonic()
        status, body = _request(
            port,
            "POST",
            f"/api/v1/proposals/{draft.pk}/submit/",
            headers={"Authorization": f"Token {token}", "Accept-Language": "en"},
            timeout=30,
        )
        took = time.monotonic() - started
        assert status == 200, body[:2000]
        assert took < 10, f"the submission took {took:.1f} s with Redis down"
        assert json.loads(body)["status"] == ProposalStatus.SUBMITTED
        # Readers still get pages and the list; health says what is down.
        assert _request(port, "GET", "/proposals/")[0] == 200
        assert _request(port, "GET", f"/proposals/{draft.pk}/")[0] == 200
        status, body = _request(port, "GET", "/healthz")
        health = json.loads(body)
        assert status == 503
        assert health["database"] == "ok"
        assert health["broker"].startswith("error")
        assert health["cache"].startswith("error")

        draft.refresh_from_db()
        assert draft.status == ProposalStatus.SUBMITTED
        # The broker being down, the web process scored it itself. Had it died
        # right after the commit, nothing would be scored: make it so, and let
        # the sweep find it once Redis is back.
        assert draft.scored_at is not None
        Match.objects.filter(proposal=draft).delete()
        Proposal.objects.filter(pk=draft.pk).update(scored_at=None)

        private_redis.start()
        assert wait_until(
            lambda: _request(port, "GET", "/healthz")[0] == 200, timeout=30
        )
        worker = start_worker(["scoring", "celery"], env=env)
        try:
            # What beat sends every five minutes.
            _manage(
                env,
                "from projects.tasks import sweep_unscored\n"
                "sweep_unscored.apply_async().get(timeout=60)",
            )
            assert wait_until(
                lambda: Proposal.objects.get(pk=draft.pk).scored_at is not None,
                timeout=60,
            )
        finally:
            stop_worker(worker)
    finally:
        stop_process(web)
    assert set(
        Match.objects.filter(proposal=draft).values_list("priority_id", flat=True)
    ) == {energy.pk, mobility.pk}


# --- c. PostgreSQL restarted under load ------------------------------------------------


class Load:
    """Clients requesting ``paths`` back to back until stopped; records every
    answer as (time, path, status or the exception's name, seconds)."""

    def __init__(self, port: int, paths: list[str], clients: int = 2) -> None:
        self.port = port
        self.paths = paths
        self.clients = clients
        self.results: list[tuple[float, str, int | str, float]] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def _client(self, path: str) -> None:
        while not self._stop.is_set():
            began = time.monotonic()
            try:
                status: int | str = _request(self.port, "GET", path, timeout=15)[0]
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
            with self._lock:
                self.results.append((began, path, status, time.monotonic() - began))
            time.sleep(0.02)

    def __enter__(self) -> Load:
        for path in self.paths:
            for _ in range(self.clients):
                thread = threading.Thread(target=self._client, args=(path,))
                thread.start()
                self._threads.append(thread)
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def since(self, moment: float) -> list[tuple[float, str, int | str, float]]:
        with self._lock:
            return [r for r in self.results if r[0] >= moment]


def test_postgres_restart_under_load_healthz_503_then_recovers_alone() -> None:
    _require_postgres_database()
    server = PrivatePostgres()
    try:
        server.init()
        server.start()
        url = server.create_database("crosswalk_faults")
        env = worker_env(DATABASE_URL=url, REDIS_URL="", DEBUG="false")
        env.pop("CACHE_URL", None)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=180,
        )
        port = free_port()
        web = start_gunicorn(env, workers=2, port=port)
        try:
            with Load(port, ["/healthz", "/proposals/"]) as load:
                time.sleep(1.5)
                before = load.since(0)
                assert before and {r[2] for r in before} == {200}, before[-5:]

                outage = time.monotonic()
                server.stop("immediate")  # a crash: no goodbye to the clients

                def unhealthy() -> bool:
                    return any(
                        r[1] == "/healthz" and r[2] == 503 for r in load.since(outage)
                    )

                assert wait_until(unhealthy, timeout=20)
                time.sleep(1.0)
                down = load.since(outage)
                server.start()
                back = time.monotonic()

                def recovered() -> bool:
                    # Two healthy answers in a row on each path, both after the
                    # restart: every process reconnected by itself.
                    later = load.since(back)
                    return all(
                        [r[2] for r in later if r[1] == path][-2:] == [200, 200]
                        for path in load.paths
                    )

                assert wait_until(recovered, timeout=30), load.since(back)[-10:]
                recovered_after = time.monotonic() - back
        finally:
            stop_process(web)
    finally:
        server.close()
    health_down = [r for r in down if r[1] == "/healthz"]
    # During the outage health says so at once, with a 503 (never a 500, a hang
    # or a dropped connection), and the pages fail fast instead of hanging.
    assert {r[2] for r in health_down} <= {200, 503}, health_down
    assert max(r[3] for r in down) < 10, max(r[3] for r in down)
    assert recovered_after < 30


# --- d. A notification task delivered twice -------------------------------------------


def _sent(outbox: Path) -> list[str]:
    found = []
    for path in sorted(outbox.glob("*")):
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith("To: "):
                found.append(line.removeprefix("To: ").strip())
    return found


def test_notification_delivered_twice_at_once_notifies_and_emails_once(
    private_redis: PrivateRedis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _require_postgres_database()
    from projects.services.conversation import comment_create, follow_add
    from stakeholders import services as stakeholder_services

    outbox = tmp_path / "outbox"
    outbox.mkdir()
    proposal = ProposalFactory()
    answerer = MembershipFactory(organisation=proposal.lead_organisation).user
    followers = [UserFactory() for _ in range(3)]
    for person in [*followers, proposal.author]:
        follow_add(user=person, proposal=proposal)
        NotificationSetting.objects.update_or_create(
            user=person,
            kind=NotificationKind.OFFICIAL_ANSWER,
            defaults={"email": EmailFrequency.IMMEDIATE},
        )
    # The payload the service sends, kept instead of sent: the worker below gets
    # it twice, at once, as when a delivery comes back while the first still runs
    # (a worker that seemed lost, a visibility timeout shorter than the task).
    payloads: list[dict[str, Any]] = []
    monkeypatch.setattr(
        stakeholder_services,
        "_enqueue",
        lambda task, payload: payloads.append(payload),
    )
    comment_create(actor=answerer, proposal=proposal, body="Work starts in **May**.")
    (payload,) = payloads
    expected = sorted([proposal.author.email, *(f.email for f in followers)])

    env = worker_env(REDIS_URL=private_redis.url, EMAIL_URL=f"filemail:///{outbox}")
    worker = start_worker(["notifications", "celery"], concurrency=2, env=env)
    try:
        out = _manage(
            {**env, "PAYLOAD": json.dumps(payload)},
            "import json, os\n"
            "from stakeholders.tasks import notify_users\n"
            "payload = json.loads(os.environ['PAYLOAD'])\n"
            "sent = [notify_users.apply_async(kwargs=payload) for _ in range(2)]\n"
            "print(json.dumps(sorted(r.get(timeout=60) for r in sent)))",
        )
        created = json.loads(out.strip().splitlines()[-1])
    finally:
        stop_worker(worker)
    assert len(created) == 2  # both deliveries ran to the end, without error
    rows = list(
        Notification.objects.values_list("recipient__email", "kind", "event_key")
    )
    assert sorted(r[0] for r in rows) == expected
    assert {(r[1], r[2]) for r in rows} == {
        (NotificationKind.OFFICIAL_ANSWER, payload["event_key"])
    }
    assert sorted(_sent(outbox)) == expected
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_cache_counters_move_together_and_start_when_missing(
    private_redis: PrivateRedis,
) -> None:
    """``bump_counters`` (the proposal cache's versions, config/cache.py): every
    counter up by one in one round trip, a missing one started at ``start``;
    Django's own ``get``/``incr`` read them back. Redis gone: nothing raised."""
    from config.cache import RedisCache

    cache = RedisCache(private_redis.url, {"KEY_PREFIX": "t"})
    cache.set("present", 41, timeout=None)
    cache.bump_counters(["present", "missing"], 1000)
    assert cache.get("present") == 42
    assert cache.get("missing") == 1001
    assert cache.incr("missing") == 1002
    private_redis.kill()
    cache.bump_counters(["present"], 5)  # dropped, as an empty cache would


def test_a_full_cache_is_skipped_like_a_missing_one(
    private_redis: PrivateRedis,
) -> None:
    """Redis at its memory limit with ``noeviction`` refuses writes with OOM: the
    cache drops them (and reads miss) instead of failing the request."""
    import redis

    from config.cache import RedisCache

    cache = RedisCache(private_redis.url, {"KEY_PREFIX": "t"})
    admin = redis.Redis.from_url(private_redis.url)
    admin.config_set("maxmemory-policy", "noeviction")
    admin.config_set("maxmemory", 1)
    cache.set("page", "x" * 1000)  # refused by Redis, dropped here
    assert cache.get("page") is None
    admin.config_set("maxmemory", 0)
    time.sleep(2.1)  # the back-off after a failure
    cache.set("page", "y")
    assert cache.get("page") == "y"
