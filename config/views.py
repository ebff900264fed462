"""Site-wide views that belong to no single app: the home page and the health check."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not usable"
        connection.close_if_unusable_or_obsolete()
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _check_cache() -> str:
    key = "healthz:probe"
    try:
        value = str(time.monotonic_ns())
        cache.set(key, value, 10)
        if cache.get(key) != value:
            return "error: value not read back"
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _check_broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    import redis

    try:
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database, cache and broker are usable, 503 otherwise."""
    checks = {
        "database": _check_database(),
        "cache": _check_cache(),
        "broker": _check_broker(),
    }
    healthy = all(v in ("ok", "eager") for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks},
        status=200 if healthy else 503,
    )


def bench_bare(request: HttpRequest) -> JsonResponse:
    """The baseline of the HTTP benchmarks: Django's full middleware stack and a
    small JSON body, nothing else. Mounted only when BENCHMARK_ENDPOINTS is on."""
    return JsonResponse({"status": "ok", "items": [1, 2, 3]})
