"""The multi-step proposal form: answers kept in the session until the end, one
service call at the review step, refusals shown on the right step with the
database unchanged, edits after submission kept as revisions."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from projects.models import (
    PartnerState,
    Proposal,
    ProposalRevision,
    ProposalStatus,
)
from projects.wizard import SESSION_KEY
from stakeholders.models import City, District, Organisation
from tests.factories import (
    CityFactory,
    DistrictFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.projects.factories import (
    DraftFactory,
    ProposalFactory,
    proposal_state,
    row_counts,
)

pytestmark = pytest.mark.django_db

NEW = "/proposals/new/"


@pytest.fixture
def world() -> dict[str, Any]:
    city = CityFactory(slug="riverbend", name="Riverbend")
    district = DistrictFactory(city=city, name="Old Docks")
    author = UserFactory(display_name="Sam Startup")
    organisation = OrganisationFactory(name="SolarRoof Collective", owner=author)
    return {
        "city": city,
        "district": district,
        "author": author,
        "organisation": organisation,
    }


def basics(world: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return {
        "city": world["city"].slug,
        "lead_organisation": world["organisation"].pk,
        "title": "Rooftop solar on social housing",
        "summary": "Panels on twelve social housing roofs; power sold to the grid.",
        "sectors": ["energy", "housing"],
        "action": "next",
        **overrides,
    }


def money(**overrides: Any) -> dict[str, Any]:
    return {
        "delivery_model": "ppp",
        "currency": "EUR",
        "capital_cost": "2400000",
        "operating_cost": "60000",
        "city_contribution": "400000",
        "action": "next",
        **overrides,
    }


def place(
    world: dict[str, Any], rows: list[dict[str, str]] | None = None, **o: Any
) -> dict[str, Any]:
    rows = (
        rows
        if rows is not None
        else [
            {
                "indicator": "co2_avoided",
                "amount": "310.5",
                "unit": "t_co2_per_year",
                "year": "2028",
            }
        ]
    )
    data: dict[str, Any] = {
        "district": world["district"].pk,
        "latitude": "45.764043",
        "longitude": "4.835659",
        "impacts-TOTAL_FORMS": str(max(3, len(rows))),
        "impacts-INITIAL_FORMS": "0",
        "impacts-MIN_NUM_FORMS": "0",
        "impacts-MAX_NUM_FORMS": "20",
        "action": "next",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"impacts-{index}-{key}"] = value
    data.update(o)
    return data


def step(client: Client, number: int, data: dict[str, Any], base: str = NEW) -> Any:
    return client.post(f"{base}?step={number}", data)


def walk_to_review(client: Client, world: dict[str, Any]) -> None:
    assert step(client, 1, basics(world)).status_code == 302
    assert (
        step(
            client, 2, {"body": "## Plan\n\nInsulate first.", "action": "next"}
        ).status_code
        == 302
    )
    assert step(client, 3, money()).status_code == 302
    response = step(client, 4, place(world))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].endswith("?step=5")


def test_resident_without_organisation_is_told_to_create_one(client: Client) -> None:
    client.force_login(UserFactory())
    response = client.get(NEW)
    assert response.status_code == 403
    assert "/organisations/_new/" in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(NEW)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_create_through_every_step_saves_a_draft_only_at_the_end(
    client: Client, world: dict[str, Any]
) -> None:
    client.force_login(world["author"])
    before = row_counts()
    walk_to_review(client, world)
    assert row_counts() == before  # nothing written while stepping through
    review = client.get(NEW + "?step=5").content.decode()
    for text in (
        "Rooftop solar on social housing",
        "Old Docks",
        "2,400,000 EUR",
        "CO2 avoided",
    ):
        assert text in review, text
    response = step(client, 5, {"action": "draft"})
    proposal = Proposal.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/proposals/{proposal.pk}/"
    )
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.lead_organisation == world["organisation"]
    assert proposal.district == world["district"]
    assert sorted(proposal.sectors.values_list("slug", flat=True)) == [
        "energy",
        "housing",
    ]
    assert str(proposal.capital_cost) == "2400000.00"
    assert proposal.impacts.get().unit == "t_co2_per_year"
    assert "<h3>Plan</h3>" in proposal.body_html
    assert "world" not in client.session.get(SESSION_KEY, {})  # state cleared
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Draft: only your organisation" in page


def test_save_and_submit_at_the_end(client: Client, world: dict[str, Any]) -> None:
    client.force_login(world["author"])
    walk_to_review(client, world)
    step(client, 5, {"action": "submit"})
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.revisions.count() == 1


def test_steps_cannot_be_skipped(client: Client, world: dict[str, Any]) -> None:
    client.force_login(world["author"])
    response = client.get(NEW + "?step=4")
    assert response.status_code == 200
    assert response.context["step"].number == 1


def test_preview_without_javascript_renders_the_markdown_inert(
    client: Client, world: dict[str, Any]
) -> None:
    client.force_login(world["author"])
    step(client, 1, basics(world))
    body = "**Bold** <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>"
    response = step(client, 2, {"body": body, "action": "preview"})
    assert response.status_code == 200
    preview = (
        response.content.decode()
        .split('id="markdown-preview"', 1)[1]
        .split("</section>", 1)[0]
    )
    assert "<strong>Bold</strong>" in preview
    assert "<script" not in preview and "<img" not in preview
    assert 'href="javascript' not in preview
    assert "&lt;script&gt;" in preview


def test_preview_endpoint_for_javascript(client: Client, world: dict[str, Any]) -> None:
    client.force_login(world["author"])
    response = client.post(
        "/proposals/preview/", {"body": "# Hi\n\n<script>x</script>"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h2>Hi</h2>" in html and "<script>" not in html


def _refused(response: Any, step_number: int, message: str) -> None:
    assert response.status_code == 400
    assert response.context["step"].number == step_number
    html = response.content.decode()
    assert message in html, html[:3000]
    assert 'class="error-summary"' in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"sectors": ["energy"]}, "Crosswalk is for solutions that combine sectors"),
        ({"sectors": []}, "Choose at least two sectors"),
        ({"sectors": ["energy", "astrology"]}, "Select a valid choice"),
        ({"title": "x" * 1_000_000}, "at most 140 characters"),
        ({"title": "<b>Hi</b> there"}, "HTML is not allowed here"),
        ({"title": "   "}, "This field is required"),
    ],
)
def test_basics_refusals(
    client: Client, world: dict[str, Any], overrides: dict[str, Any], message: str
) -> None:
    client.force_login(world["author"])
    before = row_counts()
    _refused(step(client, 1, basics(world, **overrides)), 1, message)
    assert row_counts() == before
    assert not client.session.get(SESSION_KEY, {}).get("new", {}).get("done")


def test_lead_organisation_the_author_does_not_belong_to_is_refused(
    client: Client, world: dict[str, Any]
) -> None:
    client.force_login(world["author"])
    stranger = OrganisationFactory()
    response = step(client, 1, basics(world, lead_organisation=stranger.pk))
    _refused(response, 1, "You can only lead with an organisation you belong to.")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"capital_cost": "-5"}, "Enter a positive amount"),
        ({"capital_cost": "1234567890123"}, "(12 digits)"),
        ({"operating_cost": "1e400"}, "(12 digits)"),
        ({"operating_cost": "abc"}, "Enter a number"),
        (
            {"city_contribution": "99999999"},
            "cannot exceed the capital plus operating cost",
        ),
        ({"delivery_model": "magic"}, "Select a valid choice"),
    ],
)
def test_money_refusals(
    client: Client, world: dict[str, Any], overrides: dict[str, Any], message: str
) -> None:
    client.force_login(world["author"])
    step(client, 1, basics(world))
    step(client, 2, {"body": "", "action": "next"})
    _refused(step(client, 3, money(**overrides)), 3, message)


def test_impact_with_the_wrong_unit_is_refused_next_to_the_row(
    client: Client, world: dict[str, Any]
) -> None:
    client.force_login(world["author"])
    step(client, 1, basics(world))
    step(client, 2, {"body": "", "action": "next"})
    step(client, 3, money())
    rows = [{"indicator": "co2_avoided", "amount": "10", "unit": "m2", "year": "2030"}]
    response = step(client, 4, place(world, rows))
    _refused(response, 4, "is not a unit of CO2 avoided")
    assert 'href="#id_impacts-0-unit"' in response.content.decode()


def test_another_citys_district_is_refused(
    client: Client, world: dict[str, Any]
) -> None:
    client.force_login(world["author"])
    step(client, 1, basics(world))
    step(client, 2, {"body": "", "action": "next"})
    step(client, 3, money())
    elsewhere = DistrictFactory()
    response = step(client, 4, place(world, district=elsewhere.pk))
    _refused(response, 4, "This district is not in the proposal&#x27;s city.")


def test_service_refusal_at_the_end_is_shown_on_the_right_step(
    client: Client, world: dict[str, Any]
) -> None:
    """A rule only the service knows (the district changed city meanwhile) comes
    back on step 4, next to the district, and nothing is written."""
    client.force_login(world["author"])
    walk_to_review(client, world)
    District.objects.filter(pk=world["district"].pk).update(city=CityFactory())
    before = row_counts()
    response = step(client, 5, {"action": "draft"})
    _refused(response, 4, "This district is not in the proposal&#x27;s city.")
    assert row_counts() == before


def test_submit_refused_at_the_end_writes_nothing(
    client: Client, world: dict[str, Any]
) -> None:
    """Create and submit run in one transaction: if a rule refuses the
    submission, not even the draft is kept."""
    client.force_login(world["author"])
    walk_to_review(client, world)
    Organisation.objects.filter(pk=world["organisation"].pk).update(name="Renamed")
    City.objects.filter(pk=world["city"].pk).update(slug="gone")
    before = row_counts()
    response = step(client, 5, {"action": "submit"})
    assert response.status_code == 302 and response["Location"].endswith("?step=1")
    assert row_counts() == before


def test_similar_proposals_are_shown_while_writing(
    client: Client, world: dict[str, Any]
) -> None:
    ProposalFactory(
        city=world["city"],
        title="Solar panels on social housing roofs in the docks",
        summary="Rooftop solar for tenants.",
        lead_organisation=OrganisationFactory(name="Sunny Homes"),
    )
    client.force_login(world["author"])
    step(client, 1, basics(world))
    page = client.get(NEW + "?step=1").content.decode()
    assert "Similar proposals in this city" in page
    assert "Solar panels on social housing roofs in the docks" in page
    assert "Sunny Homes" in page
    fragment = client.get(
        "/proposals/similar/",
        {"city": "riverbend", "title": "rooftop solar housing", "summary": ""},
    ).content.decode()
    assert "Solar panels on social housing roofs in the docks" in fragment
    assert "<html" not in fragment


def test_editing_someone_elses_proposal_is_forbidden(client: Client) -> None:
    proposal = ProposalFactory()
    before = proposal_state(proposal)
    client.force_login(UserFactory())
    base = f"/proposals/{proposal.pk}/edit/"
    assert client.get(base).status_code == 403
    assert client.post(base + "?step=1", {"title": "Hijacked"}).status_code == 403
    assert (
        client.post(base + "?step=5", {"action": "save", "note": "x"}).status_code
        == 403
    )
    assert proposal_state(proposal) == before


def test_edit_a_draft_changes_it_without_revision(client: Client) -> None:
    draft = DraftFactory()
    client.force_login(draft.author)
    base = f"/proposals/{draft.pk}/edit/"
    page = client.get(base).content.decode()
    assert draft.title in page
    data = {
        "title": "A better title",
        "summary": draft.summary,
        "sectors": ["energy", "housing", "water"],
        "action": "next",
    }
    assert step(client, 1, data, base).status_code == 302
    response = step(client, 5, {"action": "draft"}, base)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "A better title" and draft.sector_count == 3
    assert ProposalRevision.objects.filter(proposal=draft).count() == 0


def test_edit_after_submission_needs_a_note_and_becomes_a_revision(
    client: Client,
) -> None:
    draft = DraftFactory(title="Heat network from a data centre")
    from projects.services import proposals as services

    proposal = services.proposal_submit(actor=draft.author, proposal=draft)
    client.force_login(draft.author)
    base = f"/proposals/{proposal.pk}/edit/"
    client.get(base)
    data = {
        "title": "Heat network fed by a data centre",
        "summary": proposal.summary,
        "sectors": ["energy", "housing"],
        "action": "next",
    }
    step(client, 1, data, base)
    response = step(client, 5, {"action": "save", "note": ""}, base)
    _refused(response, 5, "This field is required")
    response = step(client, 5, {"action": "save", "note": "Clearer title"}, base)
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Heat network fed by a data centre"
    assert proposal.revision_count == 2
    page = client.get(f"/proposals/{proposal.pk}/revisions/").content.decode()
    assert "Clearer title" in page
    assert "<del>Heat network from a data centre</del>" in page
    assert "<ins>Heat network fed by a data centre</ins>" in page


def test_revisions_page_is_readable_by_anyone_who_can_see_the_proposal(
    client: Client,
) -> None:
    proposal = ProposalFactory()
    assert client.get(f"/proposals/{proposal.pk}/revisions/").status_code == 200
    draft = DraftFactory()
    assert client.get(f"/proposals/{draft.pk}/revisions/").status_code == 404


def test_decided_proposal_cannot_be_edited(client: Client) -> None:
    proposal = ProposalFactory(status=ProposalStatus.ACCEPTED)
    client.force_login(proposal.author)
    response = client.get(f"/proposals/{proposal.pk}/edit/")
    assert response.status_code == 302


def test_city_cannot_change_when_editing(client: Client) -> None:
    draft = DraftFactory()
    other_city = CityFactory()
    client.force_login(draft.author)
    base = f"/proposals/{draft.pk}/edit/"
    client.get(base)
    data = {
        "city": other_city.slug,
        "title": draft.title,
        "summary": draft.summary,
        "sectors": ["energy", "housing"],
        "action": "next",
    }
    step(client, 1, data, base)
    step(client, 5, {"action": "draft"}, base)
    draft.refresh_from_db()
    assert draft.city_id != other_city.pk


def test_my_proposals_lists_drafts_and_waiting_invitations(client: Client) -> None:
    draft = DraftFactory(title="Our own draft")
    other = ProposalFactory(title="Their proposal")
    from stakeholders.models import MembershipRole
    from tests.projects.factories import PartnerFactory

    MembershipFactory(
        user=draft.author,
        organisation=(partner_org := OrganisationFactory()),
        role=MembershipRole.ADMIN,
    )
    PartnerFactory(proposal=other, organisation=partner_org, state=PartnerState.INVITED)
    client.force_login(draft.author)
    page = client.get("/proposals/mine/").content.decode()
    assert "Our own draft" in page
    assert "Their proposal" in page and "Accept for my organisation" in page
