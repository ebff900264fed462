"""POST /api/v1/auth/token/: password, TOTP, lockout and throttling."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from axes.models import AccessAttempt
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import (
    DEFAULT_PASSWORD,
    UserFactory,
    give_totp,
    totp_code,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"


@pytest.fixture
def client() -> APIClient:
    return APIClient()


def test_password_gives_a_token_that_authenticates(client: APIClient) -> None:
    user = UserFactory(email="ana@example.org")
    response = client.post(
        URL, {"email": "Ana@Example.org", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200, response.json()
    key = response.json()["token"]
    assert Token.objects.get(user=user).key == key

    me = APIClient()
    me.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert me.get("/api/v1/me/").json()["email"] == "ana@example.org"


def test_same_token_on_second_request(client: APIClient) -> None:
    UserFactory(email="ana@example.org")
    body = {"email": "ana@example.org", "password": DEFAULT_PASSWORD}
    first = client.post(URL, body).json()["token"]
    assert client.post(URL, body).json()["token"] == first
    assert Token.objects.count() == 1


def test_wrong_password_is_400_without_token(client: APIClient) -> None:
    UserFactory(email="ana@example.org")
    response = client.post(URL, {"email": "ana@example.org", "password": "nope-nope"})
    assert response.status_code == 400
    assert "token" not in response.json()
    assert response.json()["non_field_errors"]
    assert Token.objects.count() == 0


def test_unknown_email_answers_like_a_wrong_password(client: APIClient) -> None:
    UserFactory(email="ana@example.org")
    wrong_password = client.post(
        URL, {"email": "ana@example.org", "password": "nope-nope"}
    ).json()
    unknown = client.post(
        URL, {"email": "nobody@example.org", "password": "nope-nope"}
    ).json()
    assert wrong_password == unknown


def test_missing_fields_are_field_errors(client: APIClient) -> None:
    response = client.post(URL, {})
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def test_unverified_email_gets_no_token(client: APIClient) -> None:
    UserFactory(email="new@example.org", email_verified=False)
    response = client.post(
        URL, {"email": "new@example.org", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 400
    assert "email" in response.json()
    assert Token.objects.count() == 0


def test_inactive_account_gets_no_token(client: APIClient) -> None:
    UserFactory(email="gone@example.org", is_active=False)
    response = client.post(
        URL, {"email": "gone@example.org", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 400
    assert Token.objects.count() == 0


class TestTwoFactor:
    def test_account_with_totp_needs_the_code(self, client: APIClient) -> None:
        give_totp(UserFactory(email="coord@example.org"))
        response = client.post(
            URL, {"email": "coord@example.org", "password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 400
        assert "otp" in response.json()
        assert Token.objects.count() == 0

    def test_wrong_code_is_refused(self, client: APIClient) -> None:
        give_totp(UserFactory(email="coord@example.org"))
        good = totp_code()
        wrong = f"{(int(good) + 1) % 1_000_000:06d}"
        response = client.post(
            URL,
            {"email": "coord@example.org", "password": DEFAULT_PASSWORD, "otp": wrong},
        )
        assert response.status_code == 400
        assert "otp" in response.json()
        assert Token.objects.count() == 0

    def test_current_code_gives_a_token(self, client: APIClient) -> None:
        user = UserFactory(email="coord@example.org")
        give_totp(user)
        response = client.post(
            URL,
            {
                "email": "coord@example.org",
                "password": DEFAULT_PASSWORD,
                "otp": totp_code(),
            },
        )
        assert response.status_code == 200, response.json()
        assert response.json()["token"] == Token.objects.get(user=user).key
        authenticator = Authenticator.objects.get(user=user, type="totp")
        assert authenticator.last_used_at is not None

    def test_a_code_is_single_use(self, client: APIClient) -> None:
        give_totp(UserFactory(email="coord@example.org"))
        body = {
            "email": "coord@example.org",
            "password": DEFAULT_PASSWORD,
            "otp": totp_code(),
        }
        assert client.post(URL, body).status_code == 200
        replay = client.post(URL, body)
        assert replay.status_code == 400
        assert "otp" in replay.json()

    def test_code_with_a_wrong_password_is_refused(self, client: APIClient) -> None:
        give_totp(UserFactory(email="coord@example.org"))
        response = client.post(
            URL,
            {"email": "coord@example.org", "password": "nope-nope", "otp": totp_code()},
        )
        assert response.status_code == 400
        assert "token" not in response.json()


class TestLockout:
    """django-axes: 5 failures for the same account and address lock it for 15
    minutes, on the token endpoint as on the login page."""

    def test_five_failures_lock_the_account_even_for_the_right_password(
        self, client: APIClient
    ) -> None:
        UserFactory(email="ana@example.org")
        for _ in range(4):
            response = client.post(
                URL, {"email": "ana@example.org", "password": "nope-nope"}
            )
            assert response.status_code == 400
        fifth = client.post(URL, {"email": "ana@example.org", "password": "nope-nope"})
        assert fifth.status_code == 429
        assert "15 minutes" in fifth.json()["detail"]
        attempt = AccessAttempt.objects.get()
        assert attempt.username == "ana@example.org"
        assert attempt.failures_since_start == 5

        locked = client.post(
            URL, {"email": "ana@example.org", "password": DEFAULT_PASSWORD}
        )
        assert locked.status_code == 429
        assert locked["Retry-After"] == "900"
        assert Token.objects.count() == 0

    def test_lockout_ends_after_fifteen_minutes(self, client: APIClient) -> None:
        import time_machine
        from django.utils import timezone

        UserFactory(email="ana@example.org")
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            for _ in range(5):
                client.post(URL, {"email": "ana@example.org", "password": "nope-nope"})
        with time_machine.travel(start + timezone.timedelta(minutes=16), tick=False):
            response = client.post(
                URL, {"email": "ana@example.org", "password": DEFAULT_PASSWORD}
            )
        assert response.status_code == 200

    def test_another_account_from_the_same_address_is_not_locked(
        self, client: APIClient
    ) -> None:
        UserFactory(email="ana@example.org")
        UserFactory(email="bo@example.org")
        for _ in range(5):
            client.post(URL, {"email": "ana@example.org", "password": "nope-nope"})
        response = client.post(
            URL, {"email": "bo@example.org", "password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 200

    def test_success_resets_the_failure_count(self, client: APIClient) -> None:
        UserFactory(email="ana@example.org")
        for _ in range(4):
            client.post(URL, {"email": "ana@example.org", "password": "nope-nope"})
        ok = client.post(
            URL, {"email": "ana@example.org", "password": DEFAULT_PASSWORD}
        )
        assert ok.status_code == 200
        assert not AccessAttempt.objects.exists()

    def test_wrong_codes_count_as_failures(self, client: APIClient) -> None:
        give_totp(UserFactory(email="coord@example.org"))
        statuses = [
            client.post(
                URL,
                {
                    "email": "coord@example.org",
                    "password": DEFAULT_PASSWORD,
                    "otp": "000000" if totp_code() != "000000" else "111111",
                },
            ).status_code
            for _ in range(5)
        ]
        assert statuses == [400, 400, 400, 400, 429]
        response = client.post(
            URL,
            {
                "email": "coord@example.org",
                "password": DEFAULT_PASSWORD,
                "otp": totp_code(),
            },
        )
        assert response.status_code == 429


def test_endpoint_is_throttled_per_address(client: APIClient, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_ENABLED = False
    statuses = [
        client.post(
            URL, {"email": f"p{i}@example.org", "password": "nope-nope"}
        ).status_code
        for i in range(11)
    ]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429
