"""Production mode, as ``config/settings.py`` reads it from the environment:
``DJANGO_ENV=production`` with a real ``SECRET_KEY`` and ``ALLOWED_HOSTS``.

Each test starts a fresh interpreter (settings are read once per process), with the
test run's own database and broker variables removed, as on a production host that
has only what ``platform/env.example`` lists.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
HOST = "crosswalk.example.org"
SECRET = "Vq7#mZ2!tR9@kL4$wX8%nB1^cJ6&hF3*pD5(sG0)yU2_eA7+oI4=lK9"
# Set by the test run, never by a deployment.
_NOT_INHERITED = {
    "DATABASE_URL",
    "REDIS_URL",
    "CACHE_URL",
    "DEBUG",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "FAST_PASSWORD_HASHER",
    "AXES_ENABLED",
}


def _production(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    env.update(DJANGO_ENV="production", SECRET_KEY=SECRET, ALLOWED_HOSTS=HOST)
    env.update(overrides)
    return {k: v for k, v in env.items() if v != ""}


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_in_production_is_clean() -> None:
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=_production(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = out.stdout + out.stderr
    assert out.returncode == 0, report
    assert "System check identified no issues (0 silenced)." in out.stdout, report
    assert "WARNING" not in report and "security.W" not in report, report


_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": s.SESSION_COOKIE_HTTPONLY,
    "SESSION_COOKIE_SAMESITE": s.SESSION_COOKIE_SAMESITE,
    "SESSION_COOKIE_NAME": s.SESSION_COOKIE_NAME,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "CSRF_COOKIE_HTTPONLY": s.CSRF_COOKIE_HTTPONLY,
    "CSRF_COOKIE_NAME": s.CSRF_COOKIE_NAME,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "PASSWORD_HASHERS": s.PASSWORD_HASHERS,
    "PARSERS": s.REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"],
}))
"""


def test_production_settings_hold_the_secure_defaults() -> None:
    out = _python(_SETTINGS, _production())
    assert out.returncode == 0, out.stderr
    got: dict[str, Any] = json.loads(out.stdout)
    assert got["DEBUG"] is False
    assert got["SESSION_COOKIE_SECURE"] and got["CSRF_COOKIE_SECURE"]
    assert got["SESSION_COOKIE_HTTPONLY"] and got["CSRF_COOKIE_HTTPONLY"]
    assert got["SESSION_COOKIE_SAMESITE"] == "Lax"
    # Cookies only this exact origin over HTTPS may set (no subdomain can plant one).
    assert got["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert got["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert got["SECURE_SSL_REDIRECT"] is True
    assert got["SECURE_HSTS_SECONDS"] >= 31536000
    assert got["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert got["PASSWORD_HASHERS"][0].endswith("Argon2PasswordHasher")
    assert got["PARSERS"] == ["rest_framework.parsers.JSONParser"]


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "short-and-guessable"}, "SECRET_KEY"),
        ({"SECRET_KEY": "a" * 60}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"DEBUG": "true"}, "DEBUG"),
    ],
    ids=["no-secret", "short-secret", "one-letter-secret", "no-hosts", "debug-on"],
)
def test_production_refuses_to_start_without_its_secrets(
    overrides: dict[str, str], named: str
) -> None:
    out = _python("import django; django.setup()", _production(**overrides))
    assert out.returncode != 0
    assert "ImproperlyConfigured" in out.stderr and named in out.stderr, out.stderr


_REQUESTS = f"""
HOST = "{HOST}"
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST=HOST)
plain = client.get("/api/v1/no-such-thing/")
secure = client.get("/api/v1/no-such-thing/", secure=True)
print(json.dumps({{
    "plain": [plain.status_code, plain.headers.get("Location", "")],
    "secure": [secure.status_code, dict(secure.headers)],
}}))
"""


def test_production_redirects_to_https_and_sends_the_security_headers() -> None:
    out = _python(_REQUESTS, _production())
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["plain"] == [301, f"https://{HOST}/api/v1/no-such-thing/"]
    status, headers = got["secure"]
    assert status == 404
    assert headers["Content-Type"] == "application/json"
    assert headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
