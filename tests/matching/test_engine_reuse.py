"""What the fast paths reuse from a fitted engine (no database): the fit's own pass
over the corpus, and a copy detached from the corpus that processes share."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from projects.matching import Engine, Feedback, ProposalInput

from .test_engine import CORPUS, CYCLING, ENERGY, PRIORITIES

NEWCOMER = ProposalInput(
    id="p-new",
    title="Heat pumps for the tenants of an old estate",
    summary="Insulate and retrofit the flats; heat pumps replace the gas boilers.",
    sectors=("energy", "housing"),
)
# Enough proposals for self-training (prototypes and leave-one-out) to run.
LARGER = [
    ProposalInput(
        id=f"p-{n}-{p.id}",
        title=f"{p.title} {n}",
        summary=p.summary,
        body=p.body,
        sectors=p.sectors,
        impacts=p.impacts,
    )
    for n in range(4)
    for p in CORPUS
]
FEEDBACK = [
    Feedback(ENERGY.id, LARGER[0].id, True),
    Feedback(CYCLING.id, "p-0-p-heat", False),
]


def test_scoring_the_corpus_reuses_the_fit_and_equals_a_fresh_pass() -> None:
    engine = Engine(PRIORITIES, corpus=LARGER, feedback=FEEDBACK)
    reused = engine.score_matrix()
    engine._corpus_combined = None  # forces the second pass the fit spares
    again = engine.score_matrix()
    assert reused.proposal_ids == again.proposal_ids
    assert np.array_equal(reused.scores, again.scores)
    assert np.array_equal(reused.z, again.z)


def test_a_detached_engine_scores_and_explains_new_proposals_alike() -> None:
    engine = Engine(PRIORITIES, corpus=LARGER, feedback=FEEDBACK)
    # The round trip the shared cache makes (our own object, never outside input).
    detached = pickle.loads(pickle.dumps(engine.detached()))  # noqa: S301
    assert detached.corpus == [] and detached.score_matrix().scores.shape == (0, 3)
    batch = [NEWCOMER, *CORPUS]
    assert np.array_equal(
        detached.score_matrix(batch).scores, engine.score_matrix(batch).scores
    )
    assert detached.explain(NEWCOMER, ENERGY.id) == engine.explain(NEWCOMER, ENERGY.id)
    # Feedback still counts: the rejected pair stays capped.
    rejected = [p for p in LARGER if p.id == "p-0-p-heat"]
    j = detached.priority_ids.index(CYCLING.id)
    assert detached.score_matrix(rejected).scores[0, j] <= 0.1
    # The copy is far lighter than the engine that carries the corpus.
    assert len(pickle.dumps(engine.detached())) < len(pickle.dumps(engine))


def test_an_engine_with_embeddings_is_not_detached() -> None:
    class Fixed:
        def encode(self, texts: list[str]) -> np.ndarray:
            return np.ones((len(texts), 4), dtype=np.float32)

    engine = Engine(PRIORITIES, corpus=CORPUS, encoder=Fixed())
    with pytest.raises(ValueError):
        engine.detached()
