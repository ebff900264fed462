"""A real Celery worker process, a real broker, a real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from stakeholders.tasks import purge_expired_sessions

from .workers import require_real_services, running_worker, unique_queue, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_task_travels_through_redis_to_a_worker_and_changes_postgresql() -> None:
    require_real_services()
    store = SessionStore()
    store["probe"] = 1
    store.create()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    fresh = SessionStore()
    fresh.create()
    queue = unique_queue()
    with running_worker([queue]):
        result = purge_expired_sessions.apply_async(queue=queue)
        assert wait_until(
            lambda: not Session.objects.filter(pk=store.session_key).exists()
        )
        assert result.get(timeout=30) >= 1
    assert Session.objects.filter(pk=fresh.session_key).exists()
