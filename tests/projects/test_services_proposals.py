"""Drafting through the services: proposal_create and proposal_update."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from projects.models import ProposalEvent, ProposalEventKind, ProposalStatus
from projects.services import proposals as services
from stakeholders.models import Membership
from tests.factories import (
    CityFactory,
    DistrictFactory,
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


@pytest.fixture
def author() -> Any:
    return UserFactory()


@pytest.fixture
def org(author: Any) -> Any:
    return OrganisationFactory(owner=author)


def _create(author: Any, org: Any, **overrides: Any) -> Any:
    kwargs: dict[str, Any] = {
        "actor": author,
        "city": overrides.pop("city", None) or CityFactory(),
        "lead_organisation": org,
        "title": "  Car sharing and parking-to-housing conversion  ",
        "summary": "Shared cars free two parking levels, rebuilt as 40 homes.",
        "body": "# Plan\n\n<script>alert(1)</script> Share cars.",
        "sectors": services.sectors_from_slugs(["mobility", "housing"]),
        "delivery_model": "concession",
        "capital_cost": "3 500 000,50",
        "impacts": [
            {"indicator": "homes", "amount": "40", "unit": "homes", "year": 2028},
            {
                "indicator": "car_trips_avoided",
                "amount": 12000,
                "unit": "trips_per_year",
            },
        ],
    }
    kwargs.update(overrides)
    return services.proposal_create(**kwargs)


def test_create_a_draft_with_derived_values(author: Any, org: Any) -> None:
    proposal = _create(author, org)
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.title == "Car sharing and parking-to-housing conversion"
    assert proposal.capital_cost == Decimal("3500000.50")
    assert proposal.sector_count == 2
    assert proposal.partner_count == 0
    assert "<script" not in proposal.body_html
    assert "<h2>Plan</h2>" in proposal.body_html
    assert proposal.impacts.count() == 2
    event = ProposalEvent.objects.get(proposal=proposal)
    assert (event.kind, event.actor) == (ProposalEventKind.CREATED, author)


def test_sectors_from_slugs_names_the_unknown_ones() -> None:
    with pytest.raises(ValidationError) as caught:
        services.sectors_from_slugs(["energy", "warp", "teleport"])
    assert "warp, teleport" in caught.value.message_dict["sectors"][0]
    assert [
        s.slug for s in services.sectors_from_slugs(["water", "water", " food "])
    ] == [
        "water",
        "food",
    ]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"sectors": "one"}, "sectors"),
        ({"title": "x" * 141}, "title"),
        ({"title": "x" * 1_000_000}, "title"),
        ({"summary": ""}, "summary"),
        ({"capital_cost": "-1"}, "capital_cost"),
        ({"capital_cost": "1000000000000"}, "capital_cost"),
        ({"operating_cost": "NaN"}, "operating_cost"),
        ({"operating_cost": "twelve"}, "operating_cost"),
        ({"delivery_model": "barter"}, "delivery_model"),
        ({"currency": "BTC"}, "currency"),
        ({"latitude": "45"}, "latitude"),
        ({"impacts": [{"indicator": "homes", "amount": "1", "unit": "m2"}]}, "impacts"),
        (
            {"impacts": [{"indicator": "teleports", "amount": "1", "unit": "homes"}]},
            "impacts",
        ),
        (
            {
                "impacts": [
                    {"indicator": "homes", "amount": "1", "unit": "homes", "year": 1900}
                ]
            },
            "impacts",
        ),
        (
            {"impacts": [{"indicator": "homes", "amount": "1", "unit": "homes"}] * 21},
            "impacts",
        ),
    ],
)
def test_refused_creation_saves_nothing(
    author: Any, org: Any, overrides: dict[str, Any], field: str
) -> None:
    if overrides.get("sectors") == "one":
        overrides["sectors"] = services.sectors_from_slugs(["energy"])
    city = CityFactory()
    before = row_counts()
    with pytest.raises(ValidationError) as caught:
        _create(author, org, city=city, **overrides)
    assert field in caught.value.message_dict
    assert row_counts() == before


def test_district_of_another_city_is_refused(author: Any, org: Any) -> None:
    elsewhere = DistrictFactory()
    before = row_counts()
    with pytest.raises(ValidationError) as caught:
        _create(author, org, district=elsewhere)
    assert "district" in caught.value.message_dict
    assert row_counts() == before


def test_only_members_lead_and_only_signed_in_people_write(author: Any) -> None:
    stranger_org = OrganisationFactory(owner=UserFactory())
    before = row_counts()
    with pytest.raises(ValidationError) as caught:
        _create(author, stranger_org)
    assert "lead_organisation" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        _create(AnonymousUser(), stranger_org)
    assert row_counts() == before


def test_editing_a_draft_keeps_no_revision() -> None:
    draft = DraftFactory()
    updated = services.proposal_update(
        actor=draft.author,
        proposal=draft,
        title="Better title",
        sectors=services.sectors_from_slugs(["energy", "housing", "finance"]),
    )
    assert updated.title == "Better title"
    assert updated.sector_count == 3
    assert updated.revisions.count() == 0
    assert not updated.events.filter(kind=ProposalEventKind.EDITED).exists()


def test_editing_after_submission_records_a_revision_and_an_event() -> None:
    proposal = ProposalFactory()
    colleague = UserFactory()
    Membership.objects.create(user=colleague, organisation=proposal.lead_organisation)
    services.proposal_update(
        actor=colleague,
        proposal=proposal,
        capital_cost="900000",
        body="New body",
        note="Cheaper panels.",
    )
    proposal.refresh_from_db()
    assert proposal.revision_count == 1
    revision = proposal.revisions.get()
    assert (revision.author, revision.note) == (colleague, "Cheaper panels.")
    event = proposal.events.get(kind=ProposalEventKind.EDITED)
    assert sorted(event.data["fields"]) == ["body", "capital_cost"]


def test_an_edit_that_changes_nothing_records_nothing() -> None:
    proposal = ProposalFactory(title="Same")
    services.proposal_update(actor=proposal.author, proposal=proposal, title="Same")
    assert proposal.revisions.count() == 0


@pytest.mark.parametrize(
    ("who", "status", "error"),
    [
        ("stranger", ProposalStatus.SUBMITTED, PermissionDenied),
        ("author", ProposalStatus.ACCEPTED, ValidationError),
        ("author", ProposalStatus.WITHDRAWN, ValidationError),
    ],
)
def test_refused_edits_change_nothing(who: str, status: str, error: type) -> None:
    proposal = ProposalFactory(status=status)
    actor = proposal.author if who == "author" else UserFactory()
    before, counts = proposal_state(proposal), row_counts()
    with pytest.raises(error):
        services.proposal_update(actor=actor, proposal=proposal, title="Hijacked")
    assert proposal_state(proposal) == before
    assert row_counts() == counts


def test_fields_outside_the_editable_set_are_refused() -> None:
    draft = DraftFactory()
    before = proposal_state(draft)
    with pytest.raises(ValidationError) as caught:
        services.proposal_update(actor=draft.author, proposal=draft, status="accepted")
    assert "status" in caught.value.message_dict
    assert proposal_state(draft) == before


def test_bad_impacts_in_an_edit_keep_the_old_ones() -> None:
    draft = DraftFactory()
    services.proposal_update(
        actor=draft.author,
        proposal=draft,
        impacts=[{"indicator": "jobs_created", "amount": "5", "unit": "jobs"}],
    )
    before = proposal_state(draft)
    with pytest.raises(ValidationError):
        services.proposal_update(
            actor=draft.author,
            proposal=draft,
            title="Changed too",
            impacts=[{"indicator": "jobs_created", "amount": "5", "unit": "homes"}],
        )
    assert proposal_state(draft) == before


def test_one_sector_in_an_edit_is_refused_and_rolled_back() -> None:
    draft = DraftFactory()
    before = proposal_state(draft)
    with pytest.raises(ValidationError) as caught:
        services.proposal_update(
            actor=draft.author,
            proposal=draft,
            title="Changed too",
            sectors=services.sectors_from_slugs(["energy"]),
        )
    assert "combine sectors" in caught.value.message_dict["sectors"][0]
    assert proposal_state(draft) == before
