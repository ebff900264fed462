"""The Atom feed per city and the CSV/JSON exports: public proposals and public
fields only, the list's filters honoured, formulas neutralised, streamed in
chunks with a bounded number of queries."""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from xml.etree import ElementTree  # our own feed, not untrusted input

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from projects import exports
from projects.models import PartnerState, ProposalStatus
from tests.factories import CityFactory, OrganisationFactory, UserFactory
from tests.projects.factories import (
    DraftFactory,
    ImpactFactory,
    PartnerFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _body(response: Any) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_atom_feed_lists_the_citys_public_proposals(client: Client) -> None:
    city = CityFactory(slug="riverbend", name="Riverbend")
    public = ProposalFactory(city=city, title="Rain gardens and a cycle lane")
    DraftFactory(city=city, title="Hidden draft")
    ProposalFactory(title="Another city's proposal")
    response = client.get("/cities/riverbend/proposals.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert titles == [public.title]
    assert "Riverbend" in root.findtext(f"{ATOM}title")


def test_atom_feed_of_an_unknown_city_is_404(client: Client) -> None:
    assert client.get("/cities/atlantis/proposals.atom").status_code == 404


def test_atom_feed_keeps_the_newest_50(client: Client) -> None:
    city = CityFactory()
    ProposalFactory.create_batch(52, city=city)
    feed = client.get(f"/cities/{city.slug}/proposals.atom").content
    root = ElementTree.fromstring(feed)  # noqa: S314
    assert len(root.findall(f"{ATOM}entry")) == 50


def test_csv_export_public_rows_and_fields_only(client: Client) -> None:
    author = UserFactory(email="private.person@example.org")
    public = ProposalFactory(author=author, title="Heat network")
    PartnerFactory(
        proposal=public,
        organisation=OrganisationFactory(name="Accepted Co"),
        state=PartnerState.ACCEPTED,
    )
    PartnerFactory(proposal=public, organisation=OrganisationFactory(name="Invited Co"))
    ImpactFactory(proposal=public)
    DraftFactory(title="Secret draft")
    client.force_login(author)  # even an author's export holds no draft
    response = client.get("/proposals/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    text = _body(response)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["title"] for r in rows] == ["Heat network"]
    assert rows[0]["partners"] == "Accepted Co (partner)"
    assert "co2_avoided" in rows[0]["impacts"]
    assert "Secret draft" not in text
    assert "Invited Co" not in text
    assert "@example.org" not in text


def test_csv_cells_that_look_like_formulas_are_neutralised(client: Client) -> None:
    ProposalFactory(title='=HYPERLINK("http://evil")', summary="+1+1")
    ProposalFactory(title="@SUM(A1)", summary="-2", public_answer="\tTabbed")
    text = _body(client.get("/proposals/export.csv"))
    rows = list(csv.DictReader(io.StringIO(text)))
    values = [v for row in rows for v in row.values()]
    assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in values)
    assert '\'=HYPERLINK("http://evil")' in [r["title"] for r in rows]
    assert "'+1+1" in [r["summary"] for r in rows]


def test_exports_honour_the_list_filters(client: Client) -> None:
    city = CityFactory(slug="riverbend")
    hit = ProposalFactory(city=city, sectors=["water", "public_space"])
    ProposalFactory(city=city, sectors=["energy", "housing"])
    ProposalFactory(sectors=["water", "public_space"])
    data = json.loads(
        _body(client.get("/proposals/export.json?city=riverbend&sector=water"))
    )
    assert [row["id"] for row in data] == [hit.pk]
    assert data[0]["sectors"] == ["water", "public_space"]
    assert "author" not in data[0] and "email" not in json.dumps(data)


def test_json_export_is_valid_when_empty(client: Client) -> None:
    response = client.get("/proposals/export.json")
    assert response["Content-Type"] == "application/json"
    assert json.loads(_body(response)) == []


def test_unknown_export_format_is_404(client: Client) -> None:
    assert client.get("/proposals/export.xlsx").status_code == 404


def test_export_is_streamed_with_bounded_queries_per_chunk(
    client: Client, monkeypatch: Any
) -> None:
    monkeypatch.setattr(exports, "CHUNK_SIZE", 5)
    for _ in range(12):
        proposal = ProposalFactory(status=ProposalStatus.SHORTLISTED)
        PartnerFactory(proposal=proposal, state=PartnerState.ACCEPTED)
        ImpactFactory(proposal=proposal)
    response = client.get("/proposals/export.csv")
    assert response.streaming
    with CaptureQueriesContext(connection) as ctx:
        rows = list(csv.reader(io.StringIO(_body(response))))
    assert len(rows) == 13
    # 3 chunks of ≤5 rows; each: the rows, then sectors, partners, impacts.
    assert len(ctx) <= 3 * 4 + 1, [q["sql"][:80] for q in ctx.captured_queries]
