"""GET /api/v1/proposals/ and /api/v1/proposals/{id}/: visibility, public fields,
filters, search, ordering, pagination and a fixed query count."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import PartnerState, ProposalStatus
from stakeholders.models import OrganisationKind, VerificationState
from tests.factories import (
    CityFactory,
    DistrictFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.projects.factories import (
    DraftFactory,
    ImpactFactory,
    PartnerFactory,
    ProposalFactory,
    api_client,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/proposals/"


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


# --- Visibility and public fields -----------------------------------------------------


def test_drafts_are_listed_only_for_their_authors() -> None:
    public = ProposalFactory()
    draft = DraftFactory()
    assert _ids(api_client().get(URL)) == [public.pk]
    assert _ids(api_client(UserFactory()).get(URL)) == [public.pk]
    assert set(_ids(api_client(draft.author).get(URL))) == {public.pk, draft.pk}


def test_a_draft_is_404_for_everyone_but_its_authors() -> None:
    draft = DraftFactory()
    colleague = UserFactory()
    from stakeholders.models import Membership

    Membership.objects.create(user=colleague, organisation=draft.lead_organisation)
    assert api_client().get(f"{URL}{draft.pk}/").status_code == 404
    assert api_client(UserFactory()).get(f"{URL}{draft.pk}/").status_code == 404
    assert api_client(draft.author).get(f"{URL}{draft.pk}/").status_code == 200
    assert api_client(colleague).get(f"{URL}{draft.pk}/").status_code == 200


def test_unknown_id_is_404() -> None:
    assert api_client().get(f"{URL}999999/").status_code == 404


def test_detail_shows_public_fields_only() -> None:
    author = UserFactory(email="ana.private@example.org", display_name="Ana")
    proposal = ProposalFactory(author=author)
    ImpactFactory(proposal=proposal)
    response = api_client().get(f"{URL}{proposal.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert "ana.private@example.org" not in response.content.decode()
    assert data["author"] == "Ana"
    assert data["lead_organisation"] == {
        "id": proposal.lead_organisation.pk,
        "name": proposal.lead_organisation.name,
        "slug": proposal.lead_organisation.slug,
        "verified": False,
    }
    assert data["unverified_organisation"] is True
    assert data["capital_cost"] == "1200000.00"
    assert data["city_contribution"] == "300000.00"
    assert data["impacts"][0]["amount"] == "120.00"
    assert [s["slug"] for s in data["sectors"]] == ["energy", "housing"]
    assert data["permissions"]["edit"] is False


def test_verified_lead_organisation_is_not_flagged() -> None:
    org = OrganisationFactory(verification_state=VerificationState.VERIFIED)
    proposal = ProposalFactory(lead_organisation=org)
    data = api_client().get(f"{URL}{proposal.pk}/").json()
    assert data["unverified_organisation"] is False
    assert data["lead_organisation"]["verified"] is True


def test_public_sees_accepted_partners_only_authors_see_all() -> None:
    proposal = ProposalFactory()
    accepted = PartnerFactory(proposal=proposal, state=PartnerState.ACCEPTED)
    PartnerFactory(proposal=proposal)
    PartnerFactory(proposal=proposal, state=PartnerState.DECLINED)

    public = api_client().get(f"{URL}{proposal.pk}/").json()["partners"]
    assert [p["id"] for p in public] == [accepted.pk]
    listed = api_client().get(URL).json()["results"][0]["partners"]
    assert [p["id"] for p in listed] == [accepted.pk]

    mine = api_client(proposal.author).get(f"{URL}{proposal.pk}/").json()["partners"]
    assert [p["state"] for p in mine] == ["accepted", "invited", "declined"]


# --- Filters, search, ordering ----------------------------------------------------------


def test_filters() -> None:
    lyon, nantes = CityFactory(slug="lyon"), CityFactory(slug="nantes")
    district = DistrictFactory(city=lyon, slug="confluence")
    utility = OrganisationFactory(kind=OrganisationKind.UTILITY)
    a = ProposalFactory(
        city=lyon,
        district=district,
        sectors=["energy", "housing", "water"],
        delivery_model="bond",
        lead_organisation=utility,
    )
    b = ProposalFactory(city=lyon, sectors=["mobility", "health"])
    c = ProposalFactory(city=nantes, sectors=["energy", "mobility"])
    PartnerFactory(proposal=b, organisation=utility, state=PartnerState.ACCEPTED)
    ProposalFactory(
        city=lyon, status=ProposalStatus.ACCEPTED, sectors=["food", "education"]
    )
    client = api_client()

    assert set(_ids(client.get(URL, {"city": "lyon", "sector": "energy"}))) == {a.pk}
    assert set(_ids(client.get(URL, {"sector": ["energy", "mobility"]}))) == {c.pk}
    assert set(_ids(client.get(URL, {"district": "confluence"}))) == {a.pk}
    assert set(_ids(client.get(URL, {"delivery_model": "bond"}))) == {a.pk}
    assert set(_ids(client.get(URL, {"min_sectors": 3}))) == {a.pk}
    assert set(_ids(client.get(URL, {"organisation_kind": "utility"}))) == {a.pk}
    assert set(_ids(client.get(URL, {"organisation": utility.pk}))) == {a.pk, b.pk}
    assert set(_ids(client.get(URL, {"has_partners": "true"}))) == {b.pk}
    assert b.pk not in _ids(client.get(URL, {"has_partners": "false"}))
    assert len(_ids(client.get(URL, {"status": "accepted"}))) == 1
    assert len(_ids(client.get(URL, {"status": ["accepted", "submitted"]}))) == 4


def test_full_text_search() -> None:
    heat = ProposalFactory(
        title="District heat network fed by a data centre",
        summary="Waste heat from servers warms 900 homes.",
    )
    ProposalFactory(title="Car sharing and parking to housing", summary="Fewer cars.")
    assert _ids(api_client().get(URL, {"q": "heat servers"})) == [heat.pk]


def test_ordering() -> None:
    few = ProposalFactory(sectors=["energy", "housing"])
    many = ProposalFactory(sectors=["energy", "housing", "water", "health"])
    supported = ProposalFactory(resident_support_count=9)
    commented = ProposalFactory(comment_count=4)
    client = api_client()
    assert _ids(client.get(URL, {"ordering": "breadth"}))[0] == many.pk
    assert _ids(client.get(URL, {"ordering": "supported"}))[0] == supported.pk
    assert _ids(client.get(URL, {"ordering": "commented"}))[0] == commented.pk
    assert _ids(client.get(URL, {"ordering": "oldest"}))[0] == few.pk
    assert _ids(client.get(URL))[0] == commented.pk


@pytest.mark.parametrize(
    "params",
    [
        {"sector": "teleportation"},
        {"status": "lost"},
        {"ordering": "random"},
        {"min_sectors": "lots"},
        {"organisation": "abc"},
        {"q": "x" * 201},
    ],
)
def test_bad_filters_are_field_errors(params: dict[str, str]) -> None:
    response = api_client().get(URL, params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_pagination() -> None:
    ProposalFactory.create_batch(5)
    data = api_client().get(URL, {"page_size": 2, "page": 2}).json()
    assert data["count"] == 5
    assert len(data["results"]) == 2
    assert data["next"] and data["previous"]


# --- Query count ------------------------------------------------------------------------


def _seed(n: int) -> None:
    city = CityFactory(slug="lyon")
    for _ in range(n):
        proposal = ProposalFactory(city=city, sectors=["energy", "housing", "water"])
        PartnerFactory(proposal=proposal, state=PartnerState.ACCEPTED)
        ImpactFactory(proposal=proposal)


def _count(client: Any, params: dict[str, Any]) -> int:
    # The rendering path, not a copy cached for anonymous readers (projects.caching).
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_list_costs_the_same_queries_for_2_and_50_rows(signed_in: bool) -> None:
    params = {"page_size": 100, "city": "lyon", "sector": "energy", "q": "solar"}
    _seed(2)
    client = api_client(UserFactory() if signed_in else None)
    small = _count(client, params)
    _seed(48)
    assert api_client().get(URL, params).json()["count"] == 50
    assert _count(client, params) == small
    assert small <= 9
