"""Revisions with their differences, similar proposals, and the OpenAPI document of
the proposals API."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from projects.models import ProposalStatus
from stakeholders.models import VerificationState
from tests.factories import CityFactory, OrganisationFactory
from tests.projects.factories import DraftFactory, ProposalFactory, api_client

pytestmark = pytest.mark.django_db


def test_revisions_list_changed_fields_as_diff_lines() -> None:
    draft = DraftFactory(title="Solar roofs")
    client = api_client(draft.author)
    assert client.post(f"/api/v1/proposals/{draft.pk}/submit/").status_code == 200
    client.patch(
        f"/api/v1/proposals/{draft.pk}/",
        {"title": "Solar roofs and heat pumps", "note": "Added heat pumps."},
        format="json",
    )
    revisions = api_client().get(f"/api/v1/proposals/{draft.pk}/revisions/").json()
    assert [r["number"] for r in revisions] == [1, 2]
    assert revisions[0]["first"] is True
    assert revisions[0]["changes"] == []
    assert revisions[1]["note"] == "Added heat pumps."
    assert revisions[1]["snapshot"]["title"] == "Solar roofs and heat pumps"
    (change,) = revisions[1]["changes"]
    assert change["field"] == "title"
    assert "-Solar roofs" in change["lines"]
    assert "+Solar roofs and heat pumps" in change["lines"]
    assert "email" not in str(revisions)


def test_similar_to_a_saved_proposal() -> None:
    city = CityFactory()
    base = ProposalFactory(
        city=city,
        title="District heat network fed by a data centre",
        summary="Waste heat from servers warms homes in the district.",
    )
    twin = ProposalFactory(
        city=city,
        title="Data centre waste heat for a district network",
        summary="Servers heat homes through a district heat network.",
        lead_organisation=OrganisationFactory(
            verification_state=VerificationState.VERIFIED
        ),
    )
    ProposalFactory(city=city, title="Car sharing", summary="Fewer parked cars.")
    ProposalFactory(city=CityFactory(), title=base.title, summary=base.summary)
    DraftFactory(city=city, title=base.title, summary=base.summary)
    ProposalFactory(
        city=city,
        title=base.title,
        summary=base.summary,
        status=ProposalStatus.WITHDRAWN,
    )

    items = api_client().get(f"/api/v1/proposals/{base.pk}/similar/").json()
    assert [i["id"] for i in items] == [twin.pk]
    assert items[0]["similarity"] > 0
    assert any("heat" in term for term in items[0]["shared_terms"])
    assert items[0]["url"] == f"/proposals/{twin.pk}/"


def test_similar_to_a_text_being_written() -> None:
    city = CityFactory(slug="lyon")
    heat = ProposalFactory(
        city=city,
        title="District heat network fed by a data centre",
        summary="Waste heat from servers warms homes.",
    )
    response = api_client().get(
        "/api/v1/proposals/similar/",
        {"city": "lyon", "title": "Heat homes with data centre waste heat"},
    )
    assert response.status_code == 200
    assert [i["id"] for i in response.json()] == [heat.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"title": "heat"}, "city"),
        ({"city": "atlantis", "title": "heat"}, "city"),
        ({"city": "lyon"}, "title"),
        ({"city": "lyon", "title": "x" * 141}, "title"),
    ],
)
def test_similar_text_needs_a_city_and_a_title(
    params: dict[str, str], field: str
) -> None:
    CityFactory(slug="lyon")
    response = api_client().get("/api/v1/proposals/similar/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_similar_of_a_hidden_draft_is_404() -> None:
    draft = DraftFactory()
    assert api_client().get(f"/api/v1/proposals/{draft.pk}/similar/").status_code == 404


def test_schema_validates_and_documents_the_proposals_api(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import yaml

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    paths = schema["paths"]
    for path in [
        "/api/v1/proposals/",
        "/api/v1/proposals/{id}/",
        "/api/v1/proposals/{id}/submit/",
        "/api/v1/proposals/{id}/withdraw/",
        "/api/v1/proposals/{id}/transition/",
        "/api/v1/proposals/{id}/partners/",
        "/api/v1/proposals/{id}/partners/{partner_id}/",
        "/api/v1/proposals/{id}/partners/{partner_id}/accept/",
        "/api/v1/proposals/{id}/partners/{partner_id}/decline/",
        "/api/v1/proposals/{id}/attachments/",
        "/api/v1/proposals/{id}/attachments/{attachment_id}/",
        "/api/v1/proposals/{id}/revisions/",
        "/api/v1/proposals/{id}/similar/",
        "/api/v1/proposals/similar/",
    ]:
        assert path in paths, path

    create = paths["/api/v1/proposals/"]["post"]
    assert create["requestBody"]["content"]["application/json"]["examples"]
    assert {"201", "400", "401"} <= set(create["responses"])
    assert create["responses"]["400"]["content"]["application/json"]["examples"]
    listing = paths["/api/v1/proposals/"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {
        "city",
        "sector",
        "status",
        "organisation_kind",
        "organisation",
        "district",
        "delivery_model",
        "min_sectors",
        "has_partners",
        "q",
        "ordering",
        "page",
    } <= names
    assert all(p["schema"] for p in listing["parameters"])
    upload = paths["/api/v1/proposals/{id}/attachments/"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    transition = paths["/api/v1/proposals/{id}/transition/"]["post"]
    assert {"400", "403", "404"} <= set(transition["responses"])
    detail = schema["components"]["schemas"]["ProposalDetail"]["properties"]
    assert detail["capital_cost"]["type"] == "string"
    assert "email" not in detail
