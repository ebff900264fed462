"""A coordinator's curation in a real browser: signed in with a password and a
TOTP code, they shortlist a submitted proposal from its page, create a project
from it through the "Create a project" action, and find the project's page and
the proposal's "became part of"."""

from __future__ import annotations

from typing import Any

import pytest

from projects.models import Project, ProposalStatus
from tests.factories import (
    DEFAULT_PASSWORD,
    CityFactory,
    OrganisationFactory,
    UserFactory,
    make_coordinator,
    totp_code,
)
from tests.projects.factories import ImpactFactory, ProposalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in_with_totp(page: Any, live_server: Any, email: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_selector("input[name=code]")
    page.fill("input[name=code]", totp_code())
    page.press("input[name=code]", "Enter")
    page.wait_for_load_state("load")
    assert "/accounts/" not in page.url


def test_coordinator_shortlists_and_creates_a_project(
    live_server: Any, page: Any
) -> None:
    city = CityFactory(slug="riverbend", name="Riverbend")
    coordinator = make_coordinator(city, email="official@example.org")
    author = UserFactory(email="startup@example.org")
    lead = OrganisationFactory(name="SolarRoof Collective", owner=author)
    proposal = ProposalFactory(
        city=city,
        author=author,
        lead_organisation=lead,
        title="Rooftop solar on social housing, with bill credits for tenants",
        status=ProposalStatus.SUBMITTED,
    )
    ImpactFactory(proposal=proposal)
    _sign_in_with_totp(page, live_server, coordinator.email)

    page.goto(live_server.url + proposal.get_absolute_url())
    page.check("input[name=to_status][value=shortlisted]")
    page.click("text=Change the status")
    page.wait_for_load_state("load")
    assert "Shortlisted" in page.inner_text(".proposal-header")

    page.click("a:has-text('Create a project')")
    page.wait_for_selector("h1")
    assert "Create a project in Riverbend" in page.inner_text("h1")
    assert page.is_checked(f"input[name=proposals][value='{proposal.pk}']")
    page.fill("#id_title", "Harbourline solar roofs")
    page.fill("#id_budget", "1500000")
    page.click("button:has-text('Create the project')")
    page.wait_for_selector("h1")

    project = Project.objects.get()
    assert page.url.endswith(project.get_absolute_url())
    assert page.inner_text("h1") == "Harbourline solar roofs"
    main = page.inner_text("main")
    assert proposal.title in main
    assert "Planned" in main and "1,500,000 EUR" in main
    assert "SolarRoof Collective" in main

    page.goto(live_server.url + proposal.get_absolute_url())
    note = page.inner_text(".project-source-note")
    assert "Became part of a project" in note and "Harbourline solar roofs" in note
    page.click(".project-source-note a")
    page.wait_for_load_state("load")
    assert page.url.endswith(project.get_absolute_url())
