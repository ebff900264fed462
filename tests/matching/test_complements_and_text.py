"""Complements, text processing and structured components (pure unit tests)."""

from __future__ import annotations

import numpy as np

from projects.matching import (
    ImpactInput,
    OrganisationInput,
    PriorityInput,
    ProposalInput,
    complement_organisations,
    complement_proposals,
)
from projects.matching.impacts import format_impact, impact_match, impact_matrix
from projects.matching.reasons import shared_terms
from projects.matching.sectors import sector_coverage, sector_matrix
from projects.matching.text import segments, stem, tokens

HEAT = ProposalInput(
    id="heat",
    title="Heat pump retrofit of social housing",
    summary="Heat pumps and insulation for 200 flats",
    sectors=("energy", "housing"),
    district="Nord",
)
RAIN = ProposalInput(
    id="rain",
    title="Rain gardens on the estate",
    summary="Rain gardens and permeable paving between the flats",
    sectors=("water", "public_space"),
    district="Nord",
)
FAR = ProposalInput(
    id="far",
    title="Cycle lane to the harbour",
    sectors=("mobility",),
    district="Port",
)
TWIN = ProposalInput(
    id="twin",
    title="Heat pumps in social housing",
    sectors=("energy", "housing"),
    district="Nord",
)
PRIORITY = PriorityInput(
    id="p1",
    title="Warm and affordable homes",
    sectors=("energy", "housing", "finance"),
)


def test_same_district_different_sector_proposal_is_suggested() -> None:
    found = complement_proposals(HEAT, [HEAT, RAIN, FAR, TWIN])
    ids = [cid for cid, _score, _reason in found]
    assert ids[0] == "rain"
    # Same sectors = a duplicate, not a complement; unrelated = arbitrary.
    assert "twin" not in ids
    assert "far" not in ids
    reason = found[0][2]
    assert "water" in reason and "same district (Nord)" in reason


def test_same_best_priority_links_distant_proposals() -> None:
    without = complement_proposals(HEAT, [FAR])
    with_link = complement_proposals(
        HEAT, [FAR], best_priority={"heat": "p1", "far": "p1"}
    )
    assert without == []
    assert [c for c, _s, _r in with_link] == ["far"]
    assert "same best priority (p1)" in with_link[0][2]


def test_investor_suggested_when_finance_missing() -> None:
    orgs = [
        OrganisationInput(id=1, name="Green Bank", kind="investor", sectors=()),
        OrganisationInput(id=2, name="Bakery", kind="company", sectors=("food",)),
        OrganisationInput(id=3, name="City Power", kind="utility", sectors=("energy",)),
    ]
    found = complement_organisations(HEAT, [PRIORITY], orgs)
    ids = [oid for oid, _s, _r in found]
    assert ids[0] == 1
    assert 2 not in ids
    assert "finance" in found[0][2]
    assert 3 in ids  # operator for the energy installation
    assert "operator" in {o: r for o, _s, r in found}[3]


def test_no_investor_needed_when_partners_bring_finance() -> None:
    funded = ProposalInput(
        id="f", title="Heat pumps", sectors=("energy",), partner_sectors=("finance",)
    )
    orgs = [OrganisationInput(id=1, name="Green Bank", kind="investor")]
    assert complement_organisations(funded, [], orgs) == []


def test_housing_partner_for_housing_priority() -> None:
    proposal = ProposalInput(id="x", title="Insulation", sectors=("energy", "finance"))
    orgs = [
        OrganisationInput(id="re", name="HLM", kind="real_estate", sectors=("housing",))
    ]
    found = complement_organisations(proposal, [PRIORITY], orgs)
    assert found and found[0][0] == "re"
    assert "housing partner" in found[0][2]
    assert "'Warm and affordable homes'" in found[0][2]


def test_tokens_unicode_french_and_stop_words() -> None:
    assert tokens("") == []
    assert tokens("the and of 2030") == []
    fr = tokens("L'énergie des bâtiments et les pompes à chaleur")
    assert stem("energie") in fr and "chaleur" in fr
    assert "les" not in fr and "l" not in fr
    assert tokens("Énergie") == tokens("energie")


def test_stemmer_joins_inflections() -> None:
    assert stem("communities") == stem("community")
    assert stem("housing") == stem("houses")
    assert stem("retrofits") == stem("retrofit")
    assert stem("bus") == "bus"
    assert stem("co2") == "co2"


def test_segments_split_long_descriptions() -> None:
    parts = segments(
        "Reduce city emissions fast. Targets: insulate old homes; plant street "
        "trees everywhere; a; b"
    )
    assert len(parts) == 3
    # Fragments too short to be a query ("a", "b") are glued to a neighbour.
    assert all(len(tokens(p)) >= 3 for p in parts)


def test_shared_terms_are_readable_phrases() -> None:
    terms = shared_terms(
        "Heat pumps for social housing and a retrofit",
        "Heat pump rollout in social housing; retrofit",
    )
    assert "heat pumps" in terms
    assert "social housing" in terms
    assert "retrofit" in terms
    assert "heat" not in terms  # absorbed by the phrase


def test_sector_and_impact_matrices_match_pairwise_functions() -> None:
    proposals = [
        HEAT,
        ProposalInput(
            id="i",
            title="x",
            sectors=("water",),
            partner_sectors=("energy",),
            impacts=(ImpactInput("co2_t_per_year", 5, "t/yr"),),
        ),
        ProposalInput(id="e", title="y"),
    ]
    priorities = [
        PriorityInput(id=1, title="a", sectors=("energy", "water")),
        PriorityInput(id=2, title="b", target_indicators=("CO2 emissions", "jobs")),
        PriorityInput(id=3, title="c"),
    ]
    sec = sector_matrix(proposals, priorities)
    imp = impact_matrix(proposals, priorities)
    for i, p in enumerate(proposals):
        for j, pr in enumerate(priorities):
            assert np.isclose(sec[i, j], sector_coverage(p, pr)[0])
            assert np.isclose(imp[i, j], impact_match(p, pr)[0])
    assert np.isclose(imp[1, 1], 0.5)


def test_impact_formatting() -> None:
    text = format_impact(ImpactInput("co2_t_per_year", 120, "t/yr"))
    assert text == "120 t/yr CO2"
