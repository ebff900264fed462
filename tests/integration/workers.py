"""Start real Celery worker processes against the test database, for integration
tests. Each test gets its own queue so parallel runs never steal each other's tasks.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def require_real_services() -> None:
    """Skip with the reason outside CI; in CI (CI=true, where .ci/run sets up
    PostgreSQL and Redis) a missing service is a failure, never a silent skip."""
    reason = None
    if not settings.REDIS_URL:
        reason = "REDIS_URL is unset: no broker to run a real Celery worker against"
    elif connection.vendor != "postgresql":
        reason = (
            "DATABASE_URL is not PostgreSQL: a separate worker process cannot see "
            "the in-memory SQLite test database"
        )
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the integration tests)")
    pytest.skip(reason)


def test_database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def worker_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=test_database_url(),
        REDIS_URL=settings.REDIS_URL,
        FAST_PASSWORD_HASHER="1",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def start_worker(
    queues: list[str], *, concurrency: int = 1, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        # INFO: a test that fails shows, in its captured output, each task the
        # worker received, retried or finished.
        "--loglevel",
        "INFO",
        "-Q",
        ",".join(queues),
        "--concurrency",
        str(concurrency),
        "--without-mingle",
        "--without-gossip",
        "-n",
        f"test-{uuid.uuid4().hex[:8]}@%h",
    ]
    return subprocess.Popen(
        command, cwd=ROOT, env=env or worker_env(), start_new_session=True
    )


def stop_worker(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@contextmanager
def running_worker(
    queues: list[str], *, concurrency: int = 1
) -> Iterator[subprocess.Popen[bytes]]:
    proc = start_worker(queues, concurrency=concurrency)
    try:
        yield proc
    finally:
        stop_worker(proc)


def unique_queue(prefix: str = "test") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def broker_state(queues: list[str]) -> dict[str, int]:
    """Messages waiting in each queue and taken but not acknowledged (Redis
    transport), for the message of a test that timed out."""
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    state = {q: int(client.llen(q)) for q in queues}
    state["unacked"] = int(client.hlen("unacked"))
    return state


def wait_until(
    condition: Callable[[], bool], *, timeout: float = 45, interval: float = 0.2
) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()
