"""Brute-force and abuse protection on the account pages: django-axes lockout after
five failures for one account and address, allauth throttles (429 page), and the
two-factor requirement for staff and coordinators."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from stakeholders.models import Organisation, User, VerificationState
from tests.factories import (
    DEFAULT_PASSWORD,
    CityFactory,
    OrganisationFactory,
    UserFactory,
    give_totp,
    make_coordinator,
    make_staff,
)

pytestmark = pytest.mark.django_db


def login(client: Any, email: str, password: str) -> Any:
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_five_failures_lock_the_account_then_it_opens_after_15_minutes(
    client: Any,
) -> None:
    UserFactory(email="amina@example.org")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            response = login(client, "amina@example.org", "wrong-password-123")
            assert response.status_code == 200
            assert "not correct" in response.content.decode()
        # The fifth failure locks the account for this address.
        assert login(client, "Amina@Example.org", "wrong-1234567").status_code == 429

        response = login(client, "amina@example.org", DEFAULT_PASSWORD)
        html = response.content.decode()
        assert response.status_code == 429
        assert "Sign-in locked for a while" in html
        assert "Wait 15 minutes and try again" in html
        assert "_auth_user_id" not in client.session

    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        response = login(client, "amina@example.org", DEFAULT_PASSWORD)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(
            User.objects.get(email="amina@example.org").pk
        )


def test_lockout_is_per_account_others_still_sign_in(client: Any) -> None:
    UserFactory(email="amina@example.org")
    UserFactory(email="leo@example.org")
    for _ in range(5):
        login(client, "amina@example.org", "wrong-password-123")
    assert login(client, "amina@example.org", DEFAULT_PASSWORD).status_code == 429
    assert login(client, "leo@example.org", DEFAULT_PASSWORD).status_code == 302


def test_signup_throttle_answers_429_with_when_to_retry(
    client: Any, settings: Any
) -> None:
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    for n in range(2):
        client.post(
            reverse("account_signup"),
            {"email": f"x{n}@example.org", "password1": "p", "password2": "p"},
        )
    response = client.post(
        reverse("account_signup"),
        {
            "email": "third@example.org",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
            "display_name": "Third",
            "kind": "resident",
        },
    )
    html = response.content.decode()
    assert response.status_code == 429
    assert "Too many attempts" in html
    assert "Try again in 1\xa0hour" in html
    assert not User.objects.filter(email="third@example.org").exists()


def test_password_reset_throttle_per_address_answers_429(
    client: Any, settings: Any
) -> None:
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "reset_password": "2/h/ip",
    }
    UserFactory(email="amina@example.org")
    for _ in range(2):
        client.post(reverse("account_reset_password"), {"email": "amina@example.org"})
    response = client.post(
        reverse("account_reset_password"), {"email": "amina@example.org"}
    )
    assert response.status_code == 429
    assert "Try again in 1\xa0hour" in response.content.decode()


# --- Two-factor authentication for powers ----------------------------------------------


def test_coordinator_without_2fa_is_sent_to_set_it_up(client: Any) -> None:
    city = CityFactory()
    person = make_coordinator(city, two_factor=False)
    client.force_login(person)
    response = client.get(reverse("verification-queue"), follow=False)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("authenticator app" in m for m in messages)


def test_coordinator_without_2fa_cannot_decide_by_posting_directly(
    client: Any,
) -> None:
    city = CityFactory()
    org = OrganisationFactory(cities=[city])
    client.force_login(make_coordinator(city, two_factor=False))
    response = client.post(
        reverse("verification-organisation-decide", kwargs={"pk": org.pk}),
        {f"org-{org.pk}-decision": "verified"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    org.refresh_from_db()
    assert org.verification_state == VerificationState.PENDING


def test_coordinator_with_2fa_reaches_the_queue(client: Any) -> None:
    city = CityFactory()
    person = make_coordinator(city, two_factor=False)
    give_totp(person)
    client.force_login(person)
    response = client.get(reverse("verification-queue"))
    assert response.status_code == 200
    assert "Verification queue" in response.content.decode()


def test_staff_without_2fa_is_sent_from_admin_to_set_it_up(client: Any) -> None:
    client.force_login(make_staff(two_factor=False, is_superuser=True))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_with_2fa_reaches_the_admin(client: Any) -> None:
    client.force_login(make_staff(is_superuser=True))
    assert client.get("/admin/").status_code == 200


def test_resident_is_refused_the_queue_with_a_reason(client: Any) -> None:
    client.force_login(UserFactory())
    response = client.get(reverse("verification-queue"))
    assert response.status_code == 403
    assert "Only city coordinators" in response.content.decode()


def test_verification_link_shown_in_navigation_only_to_coordinators(
    client: Any,
) -> None:
    city = CityFactory()
    client.force_login(UserFactory())
    assert reverse("verification-queue") not in client.get("/").content.decode()
    client.force_login(make_coordinator(city))
    assert reverse("verification-queue") in client.get("/").content.decode()
    assert Organisation.objects.count() == 0
