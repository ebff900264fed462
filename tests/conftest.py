"""Shared fixtures.

Tasks run in-process (eager) in ordinary tests, whatever REDIS_URL says, so a test
sees a task's effect at once; tests marked ``integration`` start real workers
instead. With Redis configured, each pytest-xdist worker gets its own Redis database
for the cache, cleared before every test, so rate limits and lockouts never leak from
one test to another.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.conf import settings

from config.celery import app as celery_app


def _xdist_index() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker.removeprefix("gw") or 0)


@pytest.fixture(autouse=True)
def _isolated_cache(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    if settings.REDIS_URL:
        base = settings.REDIS_URL.rsplit("/", 1)[0]
        caches = dict(settings.CACHES)
        caches["default"] = {
            **caches["default"],
            "LOCATION": f"{base}/{8 + _xdist_index()}",
        }
        settings.CACHES = caches
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _eager_tasks(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.get_closest_marker("integration"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [
        f"database: {settings.DATABASES['default']['ENGINE']}",
        f"broker: {'redis' if settings.REDIS_URL else 'eager (in-process)'}",
    ]


@pytest.fixture(autouse=True)
def _sector_taxonomy(request: pytest.FixtureRequest) -> None:
    """The sector taxonomy comes from a data migration; a transactional test (live
    server, real workers) flushes every table when it ends, so put it back for
    whichever test runs next in the same process."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if marker is None and not uses_db:
        return
    transactional = (
        (marker is not None and marker.kwargs.get("transaction", False))
        or "live_server" in request.fixturenames
        or "transactional_db" in request.fixturenames
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from importlib import import_module

    from projects.models import Sector

    slugs = import_module("projects.migrations.0002_seed_sectors").SLUGS
    if Sector.objects.count() != len(slugs):
        for position, slug in enumerate(slugs):
            Sector.objects.update_or_create(slug=slug, defaults={"position": position})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Real Celery workers started by different pytest-xdist processes read the
    same broker queues, so one could take a task meant for another's database
    (a re-score job then waits forever). ``make test`` distributes by group: every
    integration test runs in one group, hence in one process, one after another."""
    for item in items:
        if item.get_closest_marker("integration"):
            item.add_marker(pytest.mark.xdist_group("real-workers"))
