"""Sign up through the real form in Chromium, confirm the e-mail from the link in
the outbox, sign in, reach the profile."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from stakeholders.models import Organisation, User
from tests.factories import CityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-and-unusual-passphrase"


def test_sign_up_confirm_email_sign_in_and_see_profile(
    live_server: Any, page: Any
) -> None:
    CityFactory(name="Riverbend", slug="riverbend")
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("E-mail address").fill("lea@solar.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_label("Display name").fill("Léa Moreau")
    page.get_by_label("I am joining as").select_option("startup")
    page.get_by_label("Home city").select_option(label="Riverbend")
    page.get_by_label("Create my organisation").check()
    page.get_by_label("Name of the organisation to create").fill("SolarRoof")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Confirm your e-mail address"

    body = mail.outbox[-1].body
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", body)
    assert match, body
    page.goto(live_server.url + match.group(1))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state("load")

    # Confirming may sign in directly; sign out to go through the login form.
    if page.get_by_role("button", name="Sign out").count():
        page.get_by_role("button", name="Sign out").first.click()
        page.wait_for_load_state("load")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mail address").fill("lea@solar.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")

    page.get_by_role("link", name="Léa Moreau").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Your profile"
    assert "SolarRoof" in page.locator("main").inner_text()
    assert User.objects.get(email="lea@solar.example").display_name == "Léa Moreau"
    assert Organisation.objects.filter(name="SolarRoof").exists()


def test_wrong_password_shows_the_error_summary(live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mail address").fill("nobody@example.org")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    summary = page.get_by_role("alert")
    assert "not correct" in summary.inner_text()
