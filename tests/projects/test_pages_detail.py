"""The proposal page: who sees it, what it shows, who gets which actions, and a
bounded number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from projects.models import (
    PartnerState,
    ProposalEvent,
    ProposalEventKind,
    ProposalStatus,
)
from projects.services import proposals as services
from stakeholders.models import MembershipRole
from tests.factories import (
    DistrictFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    make_coordinator,
    make_staff,
)
from tests.projects.factories import (
    DraftFactory,
    ImpactFactory,
    PartnerFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db


def _url(proposal: object) -> str:
    return f"/proposals/{proposal.pk}/"  # type: ignore[attr-defined]


def test_draft_is_404_for_anonymous_residents_and_other_organisations(
    client: Client,
) -> None:
    draft = DraftFactory()
    assert client.get(_url(draft)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(_url(draft)).status_code == 404
    outsider = UserFactory()
    MembershipFactory(user=outsider)
    client.force_login(outsider)
    assert client.get(_url(draft)).status_code == 404


def test_draft_is_shown_to_lead_members_and_staff(client: Client) -> None:
    draft = DraftFactory()
    colleague = UserFactory()
    MembershipFactory(user=colleague, organisation=draft.lead_organisation)
    for person in (draft.author, colleague, make_staff()):
        client.force_login(person)
        response = client.get(_url(draft))
        assert response.status_code == 200
        assert "only your organisation" in response.content.decode() or person.is_staff


def test_unknown_id_is_404(client: Client) -> None:
    assert client.get("/proposals/987654/").status_code == 404


def test_page_shows_sectors_budget_impacts_district_and_point(client: Client) -> None:
    district = DistrictFactory(name="Old Docks")
    proposal = ProposalFactory(
        city=district.city,
        district=district,
        sectors=["energy", "housing", "finance"],
        capital_cost=Decimal("2400000"),
        operating_cost=Decimal("60000.50"),
        city_contribution=Decimal("400000"),
        latitude=Decimal("45.764043"),
        longitude=Decimal("4.835659"),
    )
    ImpactFactory(proposal=proposal, amount=Decimal("1310.5"))
    page = client.get(_url(proposal)).content.decode()
    for text in (
        "Energy",
        "Housing",
        "Finance",
        "2,400,000 EUR",
        "60,000.50 EUR",
        "400,000 EUR",
        "Public-private partnership",
        "CO2 avoided",
        "1,310.50",
        "t CO2 per year",
        "Old Docks",
        "45.764043, 4.835659",
    ):
        assert text in page, text


def test_only_accepted_partners_are_public_authors_see_all(client: Client) -> None:
    proposal = ProposalFactory()
    PartnerFactory(
        proposal=proposal,
        organisation=OrganisationFactory(name="Accepted Utility"),
        state=PartnerState.ACCEPTED,
    )
    PartnerFactory(
        proposal=proposal, organisation=OrganisationFactory(name="Invited Bank")
    )
    PartnerFactory(
        proposal=proposal,
        organisation=OrganisationFactory(name="Declined Landlord"),
        state=PartnerState.DECLINED,
    )
    public = client.get(_url(proposal)).content.decode()
    assert "Accepted Utility" in public
    assert "Invited Bank" not in public and "Declined Landlord" not in public
    client.force_login(proposal.author)
    own = client.get(_url(proposal)).content.decode()
    assert "Invited Bank" in own and "Declined Landlord" in own


def test_body_is_rendered_sanitised(client: Client) -> None:
    proposal = ProposalFactory()
    services.proposal_update(
        actor=proposal.author,
        proposal=proposal,
        body=(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
            "[click](javascript:alert(3)) and **bold**"
        ),
        note="Body",
    )
    page = client.get(_url(proposal)).content.decode()
    main = page.split('class="prose proposal-body"', 1)[1].split("</div>", 1)[0]
    assert "<script" not in main
    assert "<img" not in main
    assert 'href="javascript' not in main
    assert "<strong>bold</strong>" in main
    assert "&lt;script&gt;" in main  # shown as text, inert


def test_author_actions_and_not_for_others(client: Client) -> None:
    draft = DraftFactory()
    client.force_login(draft.author)
    page = client.get(_url(draft)).content.decode()
    for url in ("edit/", "submit/", "partners/", "attachments/", "withdraw/"):
        assert f"/proposals/{draft.pk}/{url}" in page
    public = ProposalFactory()
    page = client.get(_url(public)).content.decode()
    assert f"/proposals/{public.pk}/edit/" not in page
    assert "/transition/" not in page


def test_invited_partner_admin_sees_accept_and_decline(client: Client) -> None:
    proposal = ProposalFactory()
    partner = PartnerFactory(proposal=proposal)
    admin = UserFactory()
    MembershipFactory(
        user=admin, organisation=partner.organisation, role=MembershipRole.ADMIN
    )
    member = UserFactory()
    MembershipFactory(user=member, organisation=partner.organisation)
    client.force_login(admin)
    answer = f"/proposals/{proposal.pk}/partners/{partner.pk}/answer/"
    assert answer in client.get(_url(proposal)).content.decode()
    client.force_login(member)
    assert answer not in client.get(_url(proposal)).content.decode()


def test_coordinator_of_the_city_sees_allowed_transitions_only(client: Client) -> None:
    proposal = ProposalFactory(status=ProposalStatus.SUBMITTED)
    coordinator = make_coordinator(proposal.city)
    client.force_login(coordinator)
    page = client.get(_url(proposal)).content.decode()
    assert f"/proposals/{proposal.pk}/transition/" in page
    for status in ("under_review", "shortlisted", "accepted", "rejected"):
        assert f'value="{status}"' in page
    assert 'value="withdrawn"' not in page
    other = make_coordinator(ProposalFactory().city)
    client.force_login(other)
    assert "/transition/" not in client.get(_url(proposal)).content.decode()


def test_timeline_shows_who_when_from_to_and_public_answer(client: Client) -> None:
    proposal = ProposalFactory()
    coordinator = make_coordinator(proposal.city, display_name="Ada Coordinator")
    ProposalEvent.objects.create(
        proposal=proposal,
        kind=ProposalEventKind.STATUS,
        actor=coordinator,
        from_status=ProposalStatus.SUBMITTED,
        to_status=ProposalStatus.SHORTLISTED,
        message="Strong fit with the energy priority.",
    )
    page = client.get(_url(proposal)).content.decode()
    assert "Submitted → Shortlisted" in page
    assert "Ada Coordinator" in page
    assert "Strong fit with the energy priority." in page


def test_detail_query_count_does_not_grow_with_partners_events_impacts(
    client: Client,
) -> None:
    def count(proposal: object) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url(proposal)).status_code == 200
        return len(ctx)

    small = ProposalFactory()
    big = ProposalFactory()
    for _ in range(6):
        PartnerFactory(proposal=big, state=PartnerState.ACCEPTED)
        ImpactFactory(proposal=big)
        ProposalEvent.objects.create(
            proposal=big, kind=ProposalEventKind.EDITED, actor=big.author
        )
    assert count(small) == count(big)
