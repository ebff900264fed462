"""Unit tests of the matching engine on small hand-made cases (no database)."""

from __future__ import annotations

import numpy as np
import pytest

from projects.matching import (
    ENGINE_VERSION,
    Engine,
    EngineConfig,
    Feedback,
    ImpactInput,
    MatchResult,
    PriorityInput,
    ProposalInput,
)

ENERGY = PriorityInput(
    id="energy-housing",
    title="Energy efficiency in housing",
    description=(
        "Cut energy use and bills in social housing; retrofit insulation and "
        "replace gas boilers with heat pumps"
    ),
    keywords=("retrofit", "heat pump"),
    sectors=("energy", "housing"),
    weight=4,
    target_indicators=("co2_t_per_year",),
)
CYCLING = PriorityInput(
    id="cycling",
    title="Safer cycling",
    description="Protected cycle lanes, safe junctions and bike parking near schools",
    sectors=("mobility", "safety"),
    target_indicators=("cycle_trips_per_day",),
)
WATER = PriorityInput(
    id="water",
    title="Rainwater management",
    description="Rain gardens, green roofs and permeable streets to prevent flooding",
    sectors=("water", "public_space"),
)
PRIORITIES = [ENERGY, CYCLING, WATER]

HEAT_PUMP = ProposalInput(
    id="p-heat",
    title="Heat pump retrofit of 200 social housing flats",
    summary="Replace gas boilers with heat pumps and insulate the walls.",
    body="The retrofit lowers energy bills for tenants.",
    sectors=("energy", "housing"),
    impacts=(ImpactInput("co2_t_per_year", 120, "t/yr"),),
    district="Nord",
)
CYCLE_LANE = ProposalInput(
    id="p-cycle",
    title="Protected cycle lane on the school route",
    summary="Separated cycle lanes and safe junctions for children cycling to school",
    sectors=("mobility",),
    district="Sud",
)
RAIN = ProposalInput(
    id="p-rain",
    title="Rain gardens in the market square",
    summary="Rain gardens and permeable paving to absorb storm water",
    sectors=("water", "public_space"),
    district="Nord",
)
CORPUS = [HEAT_PUMP, CYCLE_LANE, RAIN]


def by_pair(results: list[MatchResult]) -> dict[tuple[object, object], MatchResult]:
    return {(r.proposal_id, r.priority_id): r for r in results}


def test_heat_pump_ranks_energy_housing_above_cycling() -> None:
    results = by_pair(Engine(PRIORITIES, corpus=CORPUS).score([HEAT_PUMP]))
    energy = results[("p-heat", "energy-housing")].score
    cycling = results[("p-heat", "cycling")].score
    assert energy > cycling + 0.2


def test_each_proposal_gets_its_own_priority_first() -> None:
    matrix = Engine(PRIORITIES, corpus=CORPUS).score_matrix()
    best = [row[0][0] for row in matrix.top_k(1)]
    assert best == ["energy-housing", "cycling", "water"]


def test_ordering_holds_without_corpus() -> None:
    # A freshly created city has no proposals yet: IDF and column statistics
    # fall back to priors and must still rank sensibly.
    results = by_pair(Engine(PRIORITIES).score([HEAT_PUMP, CYCLE_LANE]))
    assert (
        results[("p-heat", "energy-housing")].score
        > results[("p-heat", "cycling")].score
    )
    assert (
        results[("p-cycle", "cycling")].score
        > results[("p-cycle", "energy-housing")].score
    )


def test_reasons_name_terms_sectors_and_impacts() -> None:
    result = Engine(PRIORITIES, corpus=CORPUS).explain(HEAT_PUMP, "energy-housing")
    text = " | ".join(result.reasons)
    assert "'heat pump" in text  # readable phrase, not the stems "heat"/"pump"
    assert "retrofit" in text
    assert "social housing" in text
    assert "energy + housing" in text
    assert "120 t/yr" in text and "CO2" in text
    assert result.engine_version == ENGINE_VERSION


def test_reasons_do_not_claim_what_is_missing() -> None:
    result = Engine(PRIORITIES, corpus=CORPUS).explain(HEAT_PUMP, "cycling")
    text = " | ".join(result.reasons)
    assert "covers sector" not in text
    assert "claims" not in text


def test_partner_sectors_count_half_and_are_named() -> None:
    proposal = ProposalInput(
        id="p",
        title="Heat pumps",
        sectors=("energy",),
        partner_sectors=("housing",),
    )
    result = Engine(PRIORITIES).explain(proposal, "energy-housing")
    assert result.components["sectors"] == pytest.approx(0.75)
    assert any("partners bring housing" in r for r in result.reasons)


def test_scores_within_unit_interval_and_components_present() -> None:
    results = Engine(PRIORITIES, corpus=CORPUS).score()
    assert len(results) == len(CORPUS) * len(PRIORITIES)
    for r in results:
        assert 0.0 <= r.score <= 1.0
        assert {"text", "sectors", "impacts"} <= set(r.components)
        assert all(0.0 <= r.components[k] <= 1.0 for k in ("text", "sectors"))


def test_deterministic() -> None:
    first = Engine(PRIORITIES, corpus=CORPUS).score()
    second = Engine(PRIORITIES, corpus=list(CORPUS)).score()
    assert first == second


def test_score_matrix_matches_score() -> None:
    engine = Engine(PRIORITIES, corpus=CORPUS)
    matrix = engine.score_matrix()
    results = by_pair(engine.score())
    for i, pid in enumerate(matrix.proposal_ids):
        for j, prid in enumerate(matrix.priority_ids):
            assert results[(pid, prid)].score == pytest.approx(
                float(matrix.scores[i, j]), abs=1e-5
            )
    assert matrix.scores.shape == (3, 3)
    assert matrix.scores.dtype == np.float32


def test_above_threshold_and_top_k() -> None:
    matrix = Engine(PRIORITIES, corpus=CORPUS).score_matrix()
    pairs = matrix.above(0.5)
    assert ("p-heat", "energy-housing") in {(a, b) for a, b, _ in pairs}
    assert all(s >= 0.5 for _, _, s in pairs)
    assert [len(row) for row in matrix.top_k(2)] == [2, 2, 2]


SIMILAR = ProposalInput(
    id="p-similar",
    title="Insulation and heat pumps for a housing block",
    summary="Insulate walls and fit heat pumps",
)


def _heat_corpus() -> list[ProposalInput]:
    extra = [
        ProposalInput(id=f"x{i}", title=t)
        for i, t in enumerate(
            [
                "Street trees along the avenue",
                "Bike parking at the station",
                "Solar panels on the town hall roof",
                "Composting for school canteens",
                "Heat pumps for the swimming pool",
            ]
        )
    ]
    # SIMILAR stays out of the corpus: it is the new proposal being scored.
    return [*CORPUS, *extra]


def test_confirmation_raises_similar_proposals() -> None:
    corpus = _heat_corpus()
    before = by_pair(Engine(PRIORITIES, corpus=corpus).score([SIMILAR]))
    after = by_pair(
        Engine(
            PRIORITIES,
            corpus=corpus,
            feedback=[Feedback("water", "p-heat", confirmed=True)],
        ).score([SIMILAR])
    )
    # Confirming the heat-pump proposal for "water" (odd, but a coordinator
    # decision) must pull proposals like it towards that priority.
    assert after[("p-similar", "water")].score > before[("p-similar", "water")].score


def test_rejection_lowers_similar_proposals() -> None:
    corpus = _heat_corpus()
    before = by_pair(Engine(PRIORITIES, corpus=corpus).score([SIMILAR]))
    after = by_pair(
        Engine(
            PRIORITIES,
            corpus=corpus,
            feedback=[Feedback("energy-housing", "p-heat", confirmed=False)],
        ).score([SIMILAR])
    )
    key = ("p-similar", "energy-housing")
    assert after[key].score < before[key].score


def test_explicit_feedback_pins_the_pair() -> None:
    engine = Engine(
        PRIORITIES,
        corpus=CORPUS,
        feedback=[
            Feedback("cycling", "p-rain", confirmed=True),
            Feedback("energy-housing", "p-heat", confirmed=False),
        ],
    )
    results = by_pair(engine.score())
    assert results[("p-rain", "cycling")].score >= 0.9
    assert "confirmed by a coordinator" in results[("p-rain", "cycling")].reasons
    assert results[("p-heat", "energy-housing")].score <= 0.1
    assert results[("p-heat", "energy-housing")].components["feedback"] == -1.0


@pytest.mark.parametrize(
    "proposal",
    [
        ProposalInput(id="empty", title=""),
        ProposalInput(id="title", title="Heat pumps"),
        ProposalInput(id="digits", title="2030 2040 !!! ---"),
        ProposalInput(
            id="fr",
            title="Rénovation énergétique des logements sociaux",
            summary="Installer des pompes à chaleur et isoler l'enveloppe des bâtiments.",
        ),
        ProposalInput(id="huge", title="Big", body="heat pump retrofit " * 50_000),
    ],
    ids=lambda p: p.id,
)
def test_odd_inputs_do_not_crash(proposal: ProposalInput) -> None:
    priorities = [*PRIORITIES, PriorityInput(id="bare", title="Clean air")]
    engine = Engine(priorities, corpus=[*CORPUS, proposal])
    for r in engine.score([proposal]):
        assert 0.0 <= r.score <= 1.0
        assert r.reasons
        assert np.isfinite(r.score)


def test_title_only_priorities_and_empty_corpus() -> None:
    priorities = [
        PriorityInput(id=1, title="Heat pumps"),
        PriorityInput(id=2, title=""),
    ]
    results = Engine(priorities).score([HEAT_PUMP])
    assert results[0].score > results[1].score


def test_french_text_matches_french_priority() -> None:
    priorities = [
        PriorityInput(id="fr-energie", title="Rénovation énergétique des logements"),
        PriorityInput(id="fr-velo", title="Pistes cyclables sécurisées"),
    ]
    proposal = ProposalInput(
        id="fr",
        title="Renovation energetique de 80 logements",
        summary="Isolation et pompes à chaleur pour les logements de la cité",
    )
    results = by_pair(Engine(priorities).score([proposal]))
    assert results[("fr", "fr-energie")].score > results[("fr", "fr-velo")].score
    reasons = " ".join(results[("fr", "fr-energie")].reasons)
    assert "logements" in reasons


def test_unknown_feedback_is_ignored() -> None:
    engine = Engine(
        PRIORITIES,
        corpus=CORPUS,
        feedback=[Feedback("nope", "p-heat", True), Feedback("cycling", "ghost", True)],
    )
    assert len(engine.score()) == 9


def test_confirmations_outweigh_a_thin_title_but_not_a_full_description() -> None:
    thin = PriorityInput(id="thin", title="Cycling")
    corpus = [
        ProposalInput(id="a", title="Bike lanes for commuters"),
        ProposalInput(id="b", title="Bike parking at the station"),
        ProposalInput(id="c", title="Rain gardens in the square"),
        ProposalInput(id="d", title="Bike sharing docks for commuters"),
        ProposalInput(id="e", title="Commuters get bike repair stands"),
    ]
    # Three confirmations: one alone is only a hint (see _ramp).
    feedback = [
        Feedback("thin", "a", True),
        Feedback("thin", "d", True),
        Feedback("thin", "e", True),
        Feedback("energy-housing", "c", True),
    ]
    engine = Engine([thin, ENERGY], corpus=corpus, feedback=feedback)
    thin_weight, rich_weight = engine._text_weight.tolist()
    # A one-word title with a confirmation counts well under a full signal...
    assert thin_weight < 0.5
    # ...while a described priority keeps its text as strong as before.
    assert rich_weight > 0.8
    # Without confirmations nothing changes.
    plain = Engine([thin, ENERGY], corpus=corpus)
    assert plain._text_weight.tolist() == [1.0, 1.0]
    # And the confirmed pattern ranks the unconfirmed look-alike higher.
    off = Engine(
        [thin, ENERGY],
        corpus=corpus,
        feedback=feedback,
        config=EngineConfig(thin_text_boost=0.0),
    )
    assert engine.score_matrix().z[1, 0] > off.score_matrix().z[1, 0]
