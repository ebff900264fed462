"""Settings sanity: the embedded default, production refusals, check --deploy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]
# The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it.
_NOT_INHERITED = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
PROD_SECRET = "k3J9-vQ2!pL8zR4@wX7#mN1$bT6%hY5^cF0&dS3*gA8(eU2)oI9_rZ"


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    base.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_custom_user_model_logs_in_with_email() -> None:
    from django.contrib.auth import get_user_model

    assert settings.AUTH_USER_MODEL == "stakeholders.User"
    assert get_user_model().USERNAME_FIELD == "email"


def test_celery_is_json_only_with_late_acks_and_time_limits() -> None:
    conf = celery_app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_time_limit and conf.task_soft_time_limit
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert "purge-expired-sessions" in conf.beat_schedule


def test_languages_are_english_and_french() -> None:
    assert [code for code, _ in settings.LANGUAGES] == ["en", "fr"]
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE


def test_embedded_default_is_sqlite_with_in_process_tasks() -> None:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER,"
        " s.CACHES['default']['BACKEND'], s.EMAIL_BACKEND]))"
    )
    out = _run(code, DJANGO_SETTINGS_MODULE="config.settings")
    assert out.returncode == 0, out.stderr
    engine, eager, cache, email = json.loads(out.stdout.strip().splitlines()[-1])
    assert engine == "django.db.backends.sqlite3"
    assert eager is True
    assert cache.endswith("LocMemCache")
    assert email.endswith("console.EmailBackend")


def test_redis_url_switches_to_real_workers_and_redis_cache() -> None:
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER,"
        " s.CACHES['default']['BACKEND'], s.SESSION_ENGINE]))"
    )
    out = _run(code, REDIS_URL="redis://127.0.0.1:6379/5")
    assert out.returncode == 0, out.stderr
    broker, eager, cache, sessions = json.loads(out.stdout.strip().splitlines()[-1])
    assert broker == "redis://127.0.0.1:6379/5"
    assert eager is False
    assert cache.endswith("RedisCache")
    # Sessions read from Redis, kept in the database.
    assert sessions == "django.contrib.sessions.backends.cached_db"


def test_production_refuses_to_start_without_a_real_secret() -> None:
    out = _run(
        "import django; django.setup()", DJANGO_ENV="production", ALLOWED_HOSTS="x.org"
    )
    assert out.returncode != 0
    assert "SECRET_KEY" in out.stderr


def test_production_refuses_to_start_without_hosts() -> None:
    out = _run(
        "import django; django.setup()", DJANGO_ENV="production", SECRET_KEY=PROD_SECRET
    )
    assert out.returncode != 0
    assert "ALLOWED_HOSTS" in out.stderr


def test_check_deploy_in_production_reports_no_issue() -> None:
    base = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    base.update(
        DJANGO_ENV="production",
        SECRET_KEY=PROD_SECRET,
        ALLOWED_HOSTS="crosswalk.example.org",
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_nothing_shadows_the_platform_module() -> None:
    assert not list((ROOT / "platform").rglob("*.py"))
    out = subprocess.run(
        [sys.executable, "-c", "import platform; print(platform.python_version())"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0 and out.stdout.startswith("3."), out.stderr
    for path in ROOT.rglob("*.py"):
        if ".venv" in path.parts:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            assert not stripped.startswith(("import platform.", "from platform.")), path
