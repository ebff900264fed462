"""Session management and CSRF (OWASP ASVS V3 and 4.2.2/13.2.3).

Sessions live in the database (Django's session framework behind django-allauth;
with Redis, read through the cache: ``cached_db``):
a new key at sign-in, nothing left on the server at sign-out, other devices signed
out when the password changes. Every state-changing request carried by a cookie
needs the CSRF token, pages and API alike; an API token is not ambient (a browser
never adds it by itself), so token calls need none.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-passphrase-2"


def _sign_in(client: Client, email: str) -> None:
    response = client.post(
        "/accounts/login/", {"login": email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302, response.content[:500]


def test_sign_in_gives_a_new_session_key() -> None:
    person = UserFactory()
    client = Client()
    session = client.session
    session["before"] = "sign-in"
    session.save()
    before = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = before
    _sign_in(client, person.email)
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_session_cookie_is_http_only_and_same_site() -> None:
    client = Client()
    _sign_in(client, UserFactory().email)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_sign_out_ends_the_session_on_the_server() -> None:
    client = Client()
    _sign_in(client, UserFactory().email)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    assert replay.get("/accounts/email/").status_code == 302  # to the sign-in page


def test_password_change_signs_out_the_other_sessions() -> None:
    person = UserFactory()
    here, elsewhere = Client(), Client()
    _sign_in(here, person.email)
    _sign_in(elsewhere, person.email)
    response = here.post(
        "/accounts/password/change/",
        {
            "oldpassword": DEFAULT_PASSWORD,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert here.get("/accounts/email/").status_code == 200
    assert elsewhere.get("/accounts/email/").status_code == 302


def test_password_change_revokes_the_api_token() -> None:
    person = UserFactory()
    token = Token.objects.create(user=person)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/me/").status_code == 200
    client = Client()
    _sign_in(client, person.email)
    client.post(
        "/accounts/password/change/",
        {
            "oldpassword": DEFAULT_PASSWORD,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert api.get("/api/v1/me/").status_code == 401
    assert not Token.objects.filter(user=person).exists()


def test_token_of_a_deactivated_account_is_refused() -> None:
    person = UserFactory()
    token = Token.objects.create(user=person)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/me/").status_code == 200
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert client.get("/api/v1/me/").status_code == 401


def test_page_form_without_csrf_token_is_refused() -> None:
    person = UserFactory()
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/accounts/login/", {"login": person.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 403
    assert settings.SESSION_COOKIE_NAME not in client.cookies


def _organisation() -> dict[str, str]:
    return {"name": "Solar Commons", "kind": "startup"}


def test_api_call_with_a_session_cookie_needs_the_csrf_token() -> None:
    person = UserFactory()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(person)
    refused = client.post("/api/v1/organisations/", _organisation(), format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]

    client.get("/accounts/email/")  # a page hands out the token
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    accepted = client.post(
        "/api/v1/organisations/",
        _organisation(),
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert accepted.status_code == 201, accepted.content


def test_api_call_with_a_token_needs_no_csrf_token() -> None:
    person = UserFactory()
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=person).key}"
    )
    response = client.post("/api/v1/organisations/", _organisation(), format="json")
    assert response.status_code == 201, response.content


def test_api_reads_only_json_bodies() -> None:
    person = UserFactory()
    client = APIClient()
    client.force_authenticate(person)
    response = client.post(
        "/api/v1/organisations/",
        "name=Solar+Commons&kind=startup",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 415


def test_deleting_an_account_drops_its_sessions_from_the_cache_too(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """With sessions read through the cache, a person who deletes their account
    is signed out on every device: the cached copy goes with the row."""
    from importlib import import_module

    from stakeholders import services

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    store = import_module(settings.SESSION_ENGINE).SessionStore
    person = UserFactory()
    devices = [Client(), Client()]
    for device in devices:
        device.force_login(person)
    keys = [device.session.session_key for device in devices]
    assert all(cache.get(store(session_key=k).cache_key) for k in keys)
    with django_capture_on_commit_callbacks(execute=True):
        services.user_delete(actor=person, user=person)
    for key in keys:
        assert cache.get(store(session_key=key).cache_key) is None
        assert not Session.objects.filter(session_key=key).exists()
