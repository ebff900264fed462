from __future__ import annotations

from unittest import mock

import pytest
from django.db import DatabaseError

pytestmark = pytest.mark.django_db


def test_healthz_reports_every_dependency(client, settings) -> None:
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["cache"] == "ok"
    expected = "eager" if settings.CELERY_TASK_ALWAYS_EAGER else "ok"
    assert body["broker"] == expected


def test_healthz_without_broker_says_eager(client, settings) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert client.get("/healthz").json()["broker"] == "eager"


def test_healthz_is_503_when_the_broker_is_unreachable(client, settings) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
    assert response.json()["status"] == "unavailable"


def test_healthz_is_503_when_the_database_fails(client) -> None:
    with mock.patch(
        "config.views.connection.cursor", side_effect=DatabaseError("down")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: DatabaseError"


def test_healthz_is_503_when_the_cache_fails(client) -> None:
    with mock.patch("config.views.cache.set", side_effect=ConnectionError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"].startswith("error")
