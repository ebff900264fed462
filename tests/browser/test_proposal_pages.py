"""Proposal pages in a real browser: the multi-step form from start to the
proposal's page (with the Markdown preview fetched in place), and a body carrying
script that does not run."""

from __future__ import annotations

from typing import Any

import pytest

from projects.markdown import render_markdown
from projects.models import Proposal, ProposalStatus
from tests.factories import (
    DEFAULT_PASSWORD,
    CityFactory,
    DistrictFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.projects.factories import ProposalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Any, live_server: Any, email: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state("load")


def test_create_a_proposal_through_every_step(live_server: Any, page: Any) -> None:
    city = CityFactory(slug="riverbend", name="Riverbend")
    DistrictFactory(city=city, name="Old Docks")
    author = UserFactory(email="startup@example.org")
    OrganisationFactory(name="SolarRoof Collective", owner=author)
    _sign_in(page, live_server, author.email)

    page.goto(live_server.url + "/proposals/new/")
    page.select_option("#id_city", "riverbend")
    page.select_option(
        "#id_lead_organisation", label="SolarRoof Collective (unverified)"
    )
    page.fill("#id_title", "Rain gardens and a protected cycle lane on Canal Street")
    page.fill(
        "#id_summary", "A street redesign that soaks up storm water and carries bikes."
    )
    page.check("input[name=sectors][value=water]")
    page.check("input[name=sectors][value=mobility]")
    page.click("button[value=next]")

    page.fill("#id_body", "## Plan\n\nTwelve **rain gardens** along the lane.")
    page.click("button[value=preview]")
    page.wait_for_selector("#markdown-preview strong")
    assert page.inner_text("#markdown-preview strong") == "rain gardens"
    assert "step=2" in page.url  # previewed in place, no page load
    page.click("button[value=next]")

    page.check("input[name=delivery_model][value=public_procurement]")
    page.fill("#id_capital_cost", "850000")
    page.fill("#id_city_contribution", "600000")
    page.click("button[value=next]")

    page.select_option("#id_district", label="Old Docks")
    page.select_option("#id_impacts-0-indicator", "green_area")
    page.fill("#id_impacts-0-amount", "1200")
    page.select_option("#id_impacts-0-unit", "m2")
    page.fill("#id_impacts-0-year", "2028")
    page.click("button[value=next]")

    assert "Step 5 of 5" in page.inner_text("h2.wizard-title")
    page.click("button[value=submit]")
    page.wait_for_selector("h1")
    assert (
        page.inner_text("h1")
        == "Rain gardens and a protected cycle lane on Canal Street"
    )
    body = page.inner_text("main")
    assert "Submitted" in body and "850,000 EUR" in body and "Old Docks" in body
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert page.url.endswith(f"/proposals/{proposal.pk}/")


def test_script_in_a_body_does_not_run(live_server: Any, page: Any) -> None:
    body = (
        "<script>window.__pwned = 1; alert('x')</script>\n\n"
        '<img src=x onerror="window.__pwned = 2">\n\n'
        "[click me](javascript:window.__pwned=3)\n\n"
        '<iframe src="javascript:window.top.__pwned=4"></iframe>'
    )
    proposal = ProposalFactory(body=body, body_html=render_markdown(body))
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(live_server.url + f"/proposals/{proposal.pk}/")
    page.wait_for_load_state("load")
    if page.locator("a", has_text="click me").count():
        page.locator("a", has_text="click me").click()
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    for selector in ("script", "iframe", "img", "[onerror]", "a[href^=javascript]"):
        assert page.locator(f".proposal-body {selector}").count() == 0, selector
    assert "window.__pwned = 1" in page.inner_text(".proposal-body")  # shown as text
