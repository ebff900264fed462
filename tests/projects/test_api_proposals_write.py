"""Writing proposals through the API: create, edit, submit, withdraw, transition,
and every refusal (400 with field errors, 403 with a message, 404) leaving the
database unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from projects.models import Proposal, ProposalEvent, ProposalRevision, ProposalStatus
from stakeholders.models import AuditEvent, Membership
from tests.factories import (
    CityFactory,
    DistrictFactory,
    OrganisationFactory,
    UserFactory,
    make_coordinator,
)
from tests.projects.factories import (
    DraftFactory,
    ProposalFactory,
    api_client,
    proposal_payload,
    proposal_state,
    row_counts,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/proposals/"


@pytest.fixture
def author() -> Any:
    return UserFactory(display_name="Ana")


@pytest.fixture
def city() -> Any:
    return CityFactory(slug="lyon", name="Lyon")


@pytest.fixture
def org(author: Any) -> Any:
    return OrganisationFactory(owner=author)


# --- Create -------------------------------------------------------------------------------


def test_create_a_draft(author: Any, city: Any, org: Any) -> None:
    district = DistrictFactory(city=city, slug="confluence")
    payload = proposal_payload(
        city, org, district="confluence", latitude="45.7431234", longitude="4.8181"
    )
    response = api_client(author).post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    proposal = Proposal.objects.get(pk=data["id"])
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.author == author
    assert proposal.lead_organisation == org
    assert proposal.district == district
    assert str(proposal.capital_cost) == "2400000.00"
    assert proposal.sector_count == 2
    assert proposal.impacts.get().unit == "t_co2_per_year"
    assert data["status"] == "draft"
    assert data["district"]["slug"] == "confluence"
    assert data["latitude"] == "45.743123"
    assert data["permissions"]["submit"] is True
    assert ProposalEvent.objects.filter(proposal=proposal, kind="created").exists()


def test_markdown_is_stored_as_written_and_rendered_inert(
    author: Any, city: Any, org: Any
) -> None:
    body = (
        "Hello <script>alert(1)</script>\n\n"
        '<img src=x onerror="alert(2)">\n\n'
        "[click](javascript:alert(3)) and <iframe src='https://evil.example'></iframe>"
    )
    response = api_client(author).post(
        URL, proposal_payload(city, org, body=body), format="json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["body"] == body
    html = data["body_html"].lower()
    assert "<script" not in html
    assert "<img" not in html
    assert "<iframe" not in html
    assert 'href="javascript:' not in html
    assert Proposal.objects.get(pk=data["id"]).body == body


def test_anonymous_cannot_create(city: Any, org: Any) -> None:
    before = row_counts()
    response = api_client().post(URL, proposal_payload(city, org), format="json")
    assert response.status_code == 401
    assert row_counts() == before


def _other_city_district() -> str:
    return DistrictFactory(city=CityFactory(slug="marseille"), slug="vieux-port").slug


BAD_CREATE: list[tuple[str, Any, str]] = [
    ("unknown sector", {"sectors": ["energy", "teleportation"]}, "sectors"),
    ("one sector", {"sectors": ["energy"]}, "sectors"),
    ("same sector twice", {"sectors": ["energy", "energy"]}, "sectors"),
    ("sectors not a list", {"sectors": "energy"}, "sectors"),
    ("unknown lead organisation", {"lead_organisation": 999999}, "lead_organisation"),
    ("lead organisation as text", {"lead_organisation": "acme"}, "lead_organisation"),
    ("unknown city", {"city": "atlantis"}, "city"),
    ("negative budget", {"capital_cost": "-5"}, "capital_cost"),
    ("13-digit budget", {"capital_cost": "1234567890123"}, "capital_cost"),
    ("budget not a number", {"operating_cost": "lots"}, "operating_cost"),
    ("budget as a boolean", {"capital_cost": True}, "capital_cost"),
    (
        "city asked more than the cost",
        {"capital_cost": "10", "operating_cost": "0", "city_contribution": "50"},
        "city_contribution",
    ),
    (
        "impact with an unknown unit",
        {"impacts": [{"indicator": "co2_avoided", "amount": "3", "unit": "parsecs"}]},
        "impacts",
    ),
    (
        "impact unit of another indicator",
        {
            "impacts": [
                {"indicator": "co2_avoided", "amount": "3", "unit": "mwh_per_year"}
            ]
        },
        "impacts",
    ),
    (
        "negative impact",
        {"impacts": [{"indicator": "jobs_created", "amount": "-3", "unit": "jobs"}]},
        "impacts",
    ),
    ("impacts not a list", {"impacts": "many"}, "impacts"),
    ("1 MB title", {"title": "x" * 1_000_000}, "title"),
    ("title of spaces", {"title": "   "}, "title"),
    ("HTML in the title", {"title": "<b>Solar</b> roofs"}, "title"),
    ("title as an object", {"title": {"a": 1}}, "title"),
    ("unknown delivery model", {"delivery_model": "magic"}, "delivery_model"),
    ("unknown currency", {"currency": "XBT"}, "currency"),
    ("latitude without longitude", {"latitude": "45.7"}, "latitude"),
    ("latitude out of range", {"latitude": "95", "longitude": "4"}, "latitude"),
    ("status is not chosen by the author", {"status": "accepted"}, "status"),
]


@pytest.mark.parametrize(
    ("change", "field"),
    [pytest.param(change, field, id=name) for name, change, field in BAD_CREATE],
)
def test_bad_input_to_create_is_a_field_error_and_saves_nothing(
    author: Any, city: Any, org: Any, change: dict[str, Any], field: str
) -> None:
    before = row_counts()
    response = api_client(author).post(
        URL, proposal_payload(city, org, **change), format="json"
    )
    assert response.status_code == 400, response.json()
    errors = response.json()
    assert field in errors, errors
    assert all(isinstance(m, str | dict | list) for m in errors[field])
    assert row_counts() == before


def test_one_sector_message_explains_why(author: Any, city: Any, org: Any) -> None:
    response = api_client(author).post(
        URL, proposal_payload(city, org, sectors=["energy"]), format="json"
    )
    assert "combine sectors" in response.json()["sectors"][0]


def test_lead_organisation_the_author_does_not_belong_to(
    author: Any, city: Any
) -> None:
    stranger_org = OrganisationFactory(owner=UserFactory())
    before = row_counts()
    response = api_client(author).post(
        URL, proposal_payload(city, stranger_org), format="json"
    )
    assert response.status_code == 400
    assert "belong to" in response.json()["lead_organisation"][0]
    assert row_counts() == before


def test_district_of_another_city(author: Any, city: Any, org: Any) -> None:
    slug = _other_city_district()
    before = row_counts()
    response = api_client(author).post(
        URL, proposal_payload(city, org, district=slug), format="json"
    )
    assert response.status_code == 400
    assert "vieux-port" in response.json()["district"][0]
    assert row_counts() == before


def test_missing_fields(author: Any) -> None:
    before = row_counts()
    response = api_client(author).post(URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {
        "city",
        "lead_organisation",
        "title",
        "summary",
        "sectors",
        "delivery_model",
    }
    assert row_counts() == before


def test_body_that_is_not_an_object(author: Any) -> None:
    response = api_client(author).post(URL, ["energy", "housing"], format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_malformed_json(author: Any) -> None:
    response = api_client(author).post(
        URL, data='{"title": ', content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


# --- Edit ----------------------------------------------------------------------------------------


def test_author_edits_a_draft_without_revision() -> None:
    draft = DraftFactory()
    response = api_client(draft.author).patch(
        f"{URL}{draft.pk}/",
        {"title": "Solar roofs, take two", "sectors": ["energy", "housing", "water"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    draft.refresh_from_db()
    assert draft.title == "Solar roofs, take two"
    assert draft.sector_count == 3
    assert draft.revisions.count() == 0


def test_edit_after_submission_is_kept_as_a_revision() -> None:
    proposal = ProposalFactory()
    client = api_client(proposal.author)
    response = client.patch(
        f"{URL}{proposal.pk}/",
        {"city_contribution": "100000.00", "note": "The utility pays the inverters."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    revision = ProposalRevision.objects.get(proposal=proposal)
    assert revision.note == "The utility pays the inverters."
    assert revision.snapshot["city_contribution"] == "100000.00"
    event = ProposalEvent.objects.get(proposal=proposal, kind="edited")
    assert event.data == {"fields": ["city_contribution"]}
    revisions = client.get(f"{URL}{proposal.pk}/revisions/").json()
    assert revisions[0]["number"] == 1


def test_impacts_replace_the_list() -> None:
    draft = DraftFactory()
    response = api_client(draft.author).patch(
        f"{URL}{draft.pk}/",
        {
            "impacts": [
                {"indicator": "jobs_created", "amount": "12", "unit": "jobs"},
                {"indicator": "homes", "amount": "80", "unit": "homes", "year": 2027},
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert [i["indicator"] for i in response.json()["impacts"]] == [
        "jobs_created",
        "homes",
    ]


def test_editing_someone_elses_proposal_is_403_and_changes_nothing() -> None:
    proposal = ProposalFactory()
    before, counts = proposal_state(proposal), row_counts()
    response = api_client(UserFactory()).patch(
        f"{URL}{proposal.pk}/", {"title": "Mine now"}, format="json"
    )
    assert response.status_code == 403
    assert "authors" in response.json()["detail"]
    assert proposal_state(proposal) == before
    assert row_counts() == counts


def test_editing_someone_elses_draft_is_404() -> None:
    draft = DraftFactory()
    before = proposal_state(draft)
    response = api_client(UserFactory()).patch(
        f"{URL}{draft.pk}/", {"title": "Mine now"}, format="json"
    )
    assert response.status_code == 404
    assert proposal_state(draft) == before


def _lyon_draft() -> Any:
    return DraftFactory(city=CityFactory(slug="lyon"))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"sectors": ["energy"]}, "sectors", id="one sector"),
        pytest.param({"sectors": ["energy", "warp"]}, "sectors", id="unknown sector"),
        pytest.param({"district": "vieux-port"}, "district", id="another city's"),
        pytest.param({"city": "marseille"}, "city", id="move city"),
        pytest.param({"lead_organisation": 1}, "lead_organisation", id="change lead"),
        pytest.param({"status": "accepted"}, "status", id="status"),
        pytest.param({"title": ""}, "title", id="empty title"),
        pytest.param({"capital_cost": "-1"}, "capital_cost", id="negative"),
        pytest.param({"impacts": [{"amount": "1"}]}, "impacts", id="half impact"),
    ],
)
def test_bad_edit_is_a_field_error_and_changes_nothing(
    change: dict[str, Any], field: str
) -> None:
    draft = _lyon_draft()
    _other_city_district()
    before, counts = proposal_state(draft), row_counts()
    response = api_client(draft.author).patch(
        f"{URL}{draft.pk}/", change, format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert proposal_state(draft) == before
    assert row_counts() == counts


def test_a_decided_proposal_cannot_be_edited() -> None:
    proposal = ProposalFactory(status=ProposalStatus.ACCEPTED)
    before = proposal_state(proposal)
    response = api_client(proposal.author).patch(
        f"{URL}{proposal.pk}/", {"title": "Later"}, format="json"
    )
    assert response.status_code == 400
    assert "no longer be edited" in response.json()["non_field_errors"][0]
    assert proposal_state(proposal) == before


def test_put_and_delete_are_not_offered() -> None:
    draft = DraftFactory()
    client = api_client(draft.author)
    assert client.put(f"{URL}{draft.pk}/", {}, format="json").status_code == 405
    assert client.delete(f"{URL}{draft.pk}/").status_code == 405


# --- Life cycle ----------------------------------------------------------------------------------


def test_submit_then_withdraw() -> None:
    draft = DraftFactory()
    client = api_client(draft.author)
    response = client.post(f"{URL}{draft.pk}/submit/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted"
    assert response.json()["submitted_at"]

    again = client.post(f"{URL}{draft.pk}/submit/")
    assert again.status_code == 400
    assert "already" in again.json()["non_field_errors"][0]

    response = client.post(
        f"{URL}{draft.pk}/withdraw/", {"reason": "Joining forces."}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert response.json()["events"][-1]["message"] == "Joining forces."


def test_someone_else_cannot_submit_or_withdraw() -> None:
    proposal = ProposalFactory()
    before = proposal_state(proposal)
    stranger = api_client(UserFactory())
    assert stranger.post(f"{URL}{proposal.pk}/withdraw/").status_code == 403
    assert stranger.post(f"{URL}{proposal.pk}/submit/").status_code == 403
    assert proposal_state(proposal) == before


def test_coordinator_moves_a_proposal_along() -> None:
    proposal = ProposalFactory()
    coordinator = make_coordinator(proposal.city)
    client = api_client(coordinator)
    response = client.post(
        f"{URL}{proposal.pk}/transition/",
        {"to_status": "under_review"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["permissions"]["transitions"] == [
        "accepted",
        "rejected",
        "shortlisted",
    ]
    response = client.post(
        f"{URL}{proposal.pk}/transition/",
        {"to_status": "accepted", "public_answer": "Funded from the 2026 budget."},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["public_answer"] == "Funded from the 2026 budget."
    assert AuditEvent.objects.filter(action="proposal.accepted").count() == 1


@pytest.mark.parametrize(
    ("status", "body", "field"),
    [
        (ProposalStatus.ACCEPTED, {"to_status": "shortlisted"}, "to_status"),
        (ProposalStatus.WITHDRAWN, {"to_status": "under_review"}, "to_status"),
        (ProposalStatus.SUBMITTED, {"to_status": "submitted"}, "to_status"),
        (ProposalStatus.SUBMITTED, {"to_status": "funded"}, "to_status"),
        (ProposalStatus.SUBMITTED, {"to_status": "rejected"}, "public_answer"),
        (
            ProposalStatus.SUBMITTED,
            {"to_status": "rejected", "public_answer": "x" * 5001},
            "public_answer",
        ),
        (ProposalStatus.SUBMITTED, {}, "to_status"),
    ],
)
def test_refused_transitions(status: str, body: dict[str, Any], field: str) -> None:
    proposal = ProposalFactory(status=status)
    coordinator = make_coordinator(proposal.city)
    before, counts = proposal_state(proposal), row_counts()
    response = api_client(coordinator).post(
        f"{URL}{proposal.pk}/transition/", body, format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert proposal_state(proposal) == before
    assert row_counts() == counts


def test_coordinator_of_another_city_cannot_transition() -> None:
    proposal = ProposalFactory()
    other = make_coordinator(CityFactory())
    before = proposal_state(proposal)
    response = api_client(other).post(
        f"{URL}{proposal.pk}/transition/", {"to_status": "under_review"}, format="json"
    )
    assert response.status_code == 403
    assert "coordinator of this city" in response.json()["detail"]
    assert proposal_state(proposal) == before


def test_colleague_of_the_author_may_edit() -> None:
    proposal = ProposalFactory()
    colleague = UserFactory()
    Membership.objects.create(user=colleague, organisation=proposal.lead_organisation)
    response = api_client(colleague).patch(
        f"{URL}{proposal.pk}/", {"summary": "Shorter."}, format="json"
    )
    assert response.status_code == 200
