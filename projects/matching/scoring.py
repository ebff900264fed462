"""The matching engine: vectorised scoring of proposals against priorities.

Pipeline (all deterministic):

1. Priorities become sparse query vectors: one "full" query (title and
   keywords up-weighted + description) and one query per description clause
   (a long description lists several targets; a proposal usually addresses one
   of them, so a soft maximum over clauses beats one diluted average).
2. Proposals become BM25-weighted vectors; IDF is fitted on the corpus.
3. Each priority's similarity column is standardised over the corpus
   (z-score, shrunk towards a prior when the corpus is small) so priorities
   with long or generic descriptions do not dominate every proposal.
4. Self-training: each priority's most confident proposals form a prototype
   (centroid) that is added to the priority's evidence, repeated a few
   rounds.  This is what lets a title-only priority pick up the vocabulary
   its proposals actually use.
5. Coordinator feedback adds positive/negative prototypes (Rocchio) and a
   nearest-confirmed-neighbour signal.
6. The combined standardised score is squashed to [0, 1] and blended with
   structured evidence: sector coverage and claimed impacts.
"""

from __future__ import annotations

import copy
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .embeddings import (
    DEFAULT_MODEL_TAG,
    Encoder,
    centre_rows,
    embeddings_enabled_by_env,
    encode_texts,
    load_default_encoder,
)
from .impacts import impact_match, impact_matrix
from .schema import Feedback, Id, MatchResult, PriorityInput, ProposalInput
from .sectors import sector_coverage, sector_matrix
from .text import join_fields, segments, tokens
from .vectorize import Vectorizer

__all__ = ["Engine", "EngineConfig", "ScoreMatrix"]

from .version import ENGINE_VERSION

#: Rows per block when scoring, to bound intermediate (rows x clauses) memory.
_CHUNK = 16_384


@dataclass(frozen=True, slots=True)
class EngineConfig:
    """Tunable constants; the defaults were chosen on a development set."""

    k1: float = 2.0
    b: float = 0.75
    #: How many times the title/keywords count relative to description words.
    title_repeat: int = 3
    keyword_repeat: int = 2
    #: Share of the full-query cosine vs the clause soft-max in the text score.
    full_share: float = 0.5
    #: Soft-max sharpness over clauses (higher = closer to a hard max).
    clause_temperature: float = 20.0
    #: Pseudo-observations of the prior when standardising columns.
    prior_strength: float = 20.0
    prior_mean: float = 0.02
    prior_std: float = 0.06
    self_train_rounds: int = 3
    #: Fraction of a priority's assigned proposals used as its prototype.
    self_train_share: float = 0.8
    self_train_max: int = 200
    self_train_weight: float = 2.5
    #: Judge prototype members without their own contribution (see _fit).
    leave_one_out: bool = True
    #: Weight of confirmed/rejected prototypes and of the nearest confirmed one.
    feedback_weight: float = 1.0
    knn_weight: float = 1.0
    rejected_weight: float = 0.5
    #: A priority stated in a few words is weak evidence next to several
    #: confirmed proposals: its text counts up to ``1 + thin_text_boost``
    #: times less once it has confirmations, fading out as the text reaches
    #: ``thin_text_stems`` distinct stems.
    thin_text_boost: float = 2.0
    thin_text_stems: int = 24
    #: Logistic calibration of the combined z-score into [0, 1].
    calibration_center: float = 2.0
    calibration_slope: float = 1.5
    #: Weights of the structured components when the priority defines them.
    sector_weight: float = 0.2
    impact_weight: float = 0.15
    #: Optional sentence-embedding view (see :mod:`.embeddings`).  ``None``
    #: leaves the choice to the ``MATCHING_EMBEDDINGS`` environment variable.
    embeddings: bool | None = None
    #: Share of the embedding in the joint vector: a dot product of two joint
    #: vectors is (1 - w) * BM25 cosine + w * embedding cosine.  Embedding
    #: cosines spread wider than BM25 ones, so a small share already counts.
    embedding_weight: float = 0.2


@dataclass(frozen=True, slots=True)
class ScoreMatrix:
    """Scores of a batch: ``scores[i, j]`` for proposal i and priority j."""

    proposal_ids: list[Id]
    priority_ids: list[Id]
    scores: np.ndarray
    #: The standardised evidence that ranked the pairs (before squashing).
    z: np.ndarray

    def top_k(self, k: int = 3) -> list[list[tuple[Id, float]]]:
        """Best ``k`` priorities per proposal, ties broken by priority order."""
        k = min(k, len(self.priority_ids))
        if k <= 0:
            return [[] for _ in self.proposal_ids]
        # Stable argsort on the negated scores keeps equal scores in input order.
        order = np.argsort(-self.scores, axis=1, kind="stable")[:, :k]
        return [
            [(self.priority_ids[j], float(self.scores[i, j])) for j in row]
            for i, row in enumerate(order)
        ]

    def above(self, threshold: float) -> list[tuple[Id, Id, float]]:
        """All ``(proposal_id, priority_id, score)`` with score >= threshold."""
        rows, cols = np.nonzero(self.scores >= threshold)
        return [
            (self.proposal_ids[i], self.priority_ids[j], float(self.scores[i, j]))
            for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
        ]


def _proposal_text(p: ProposalInput) -> str:
    return join_fields((p.title, p.title, p.summary, p.body))


def _priority_full_tokens(p: PriorityInput, cfg: EngineConfig) -> list[str]:
    title = tokens(p.title)
    keywords = tokens(" . ".join(p.keywords))
    return (
        title * cfg.title_repeat
        + keywords * cfg.keyword_repeat
        + tokens(p.description)
        + tokens(" . ".join(p.target_indicators))
    )


def _priority_clause_texts(p: PriorityInput) -> list[tuple[str, list[str]]]:
    """Each clause as (text, stems); clauses without any stem are dropped."""
    texts = [p.title]
    if p.keywords:
        texts.append(" . ".join(p.keywords))
    texts.extend(segments(p.description))
    clauses = [(t, tokens(t)) for t in texts]
    clauses = [(t, c) for t, c in clauses if c]
    return clauses or [("", [])]


def _priority_clauses(p: PriorityInput) -> list[list[str]]:
    return [c for _t, c in _priority_clause_texts(p)]


def _priority_full_text(p: PriorityInput) -> str:
    return join_fields(
        (p.title, " . ".join(p.keywords), p.description, *p.target_indicators)
    )


def _proposal_embed_text(p: ProposalInput) -> str:
    # The title is not repeated here: repetition weights BM25 terms but would
    # only skew a sentence encoder.
    return join_fields((p.title, p.summary, p.body))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class _ColumnStats:
    """Per-priority mean/std of a raw similarity, shrunk towards a prior."""

    def __init__(self, raw: np.ndarray | None, cfg: EngineConfig, n_cols: int):
        n0 = cfg.prior_strength
        prior_var = cfg.prior_std**2
        if raw is None or raw.shape[0] == 0:
            self.mean = np.full(n_cols, cfg.prior_mean)
            self.std = np.full(n_cols, cfg.prior_std)
            return
        n = raw.shape[0]
        mean = raw.mean(axis=0, dtype=np.float64)
        var = raw.var(axis=0, dtype=np.float64)
        self.mean = (n * mean + n0 * cfg.prior_mean) / (n + n0)
        shrunk_var = (n * var + n0 * prior_var) / (n + n0)
        self.std = np.sqrt(np.maximum(shrunk_var, 1e-8))

    def z(self, raw: np.ndarray) -> np.ndarray:
        return (raw - self.mean) / self.std


class Engine:
    """Scores proposals against a city's active priorities.

    ``corpus`` is the set of proposals the engine learns statistics from (IDF,
    per-priority score distributions, self-training prototypes).  Pass all of
    the city's proposals; scoring the corpus itself is then
    ``engine.score_matrix()``.  ``feedback`` refers to proposals by id; those
    proposals must be in ``corpus`` (others are ignored).
    """

    def __init__(
        self,
        priorities: Sequence[PriorityInput],
        *,
        feedback: Iterable[Feedback] = (),
        corpus: Sequence[ProposalInput] | None = None,
        config: EngineConfig | None = None,
        encoder: Encoder | None = None,
    ) -> None:
        """``encoder`` replaces the bundled sentence model (tests, caching);
        passing one switches the embedding view on unless the config says
        ``embeddings=False``."""
        self.config = cfg = config or EngineConfig()
        self.priorities: list[PriorityInput] = list(priorities)
        self.priority_ids: list[Id] = [p.id for p in self.priorities]
        self._priority_index = {pid: j for j, pid in enumerate(self.priority_ids)}
        self.corpus: list[ProposalInput] = list(corpus or ())
        self._corpus_index = {p.id: i for i, p in enumerate(self.corpus)}
        self.feedback: list[Feedback] = list(feedback)
        n_p = len(self.priorities)

        full_docs = [_priority_full_tokens(p, cfg) for p in self.priorities]
        clause_docs: list[list[str]] = []
        clause_texts: list[str] = []
        owners: list[int] = []
        for j, p in enumerate(self.priorities):
            for text, clause in _priority_clause_texts(p):
                clause_docs.append(clause)
                clause_texts.append(text)
                owners.append(j)
        corpus_docs = [tokens(_proposal_text(p)) for p in self.corpus]

        self.vectorizer = Vectorizer(k1=cfg.k1, b=cfg.b)
        # Priorities join the IDF corpus so their own words are known even
        # when no proposal exists yet.
        counts = self.vectorizer.fit(corpus_docs + full_docs)
        n_c = len(corpus_docs)
        self._corpus_counts = counts[:n_c]
        self._queries = self.vectorizer.weight(counts[n_c:], bm25=False)
        self._clauses = self.vectorizer.transform(clause_docs, bm25=False)
        counts_per_owner = np.bincount(owners, minlength=n_p).astype(np.float64)
        self._clause_owner = np.zeros((len(owners), n_p))
        self._clause_owner[np.arange(len(owners)), owners] = (
            1.0 / counts_per_owner[owners]
        )
        self._X = self.vectorizer.weight(self._corpus_counts, bm25=True)
        self._encoder = self._choose_encoder(encoder)
        self._embed_mean: np.ndarray | None = None
        #: Whether vectors carry the embedding block after the BM25 one.
        self._joined = False
        if self._encoder is not None:
            self._join_embeddings(clause_texts)
        self._members: dict[int, tuple[np.ndarray, float]] = {}
        self._fit(n_p)

    # -- embedding view ------------------------------------------------------

    def _choose_encoder(self, encoder: Encoder | None) -> Encoder | None:
        wanted = self.config.embeddings
        if wanted is False:
            return None
        if encoder is not None:
            return encoder
        if wanted or embeddings_enabled_by_env():
            return load_default_encoder()
        return None

    @property
    def uses_embeddings(self) -> bool:
        return self._encoder is not None

    @property
    def version(self) -> str:
        """Version stamped on results: the embedding engine scores differently."""
        if self._encoder is None:
            return ENGINE_VERSION
        return f"{ENGINE_VERSION}+{DEFAULT_MODEL_TAG}"

    def _join(self, sparse: sp.csr_matrix, dense: np.ndarray) -> sp.csr_matrix:
        """Concatenate unit BM25 rows and unit embedding rows, weighted so the
        joint rows stay unit length and dot products blend the two cosines."""
        w = min(max(self.config.embedding_weight, 0.0), 1.0)
        left = sparse * np.float32(math.sqrt(1.0 - w))
        right = sp.csr_matrix(dense * np.float32(math.sqrt(w)))
        return sp.hstack([left, right], format="csr", dtype=np.float32)

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        assert self._encoder is not None and self._embed_mean is not None
        raw = encode_texts(self._encoder, texts)
        if raw.shape[1] == 0:
            raw = np.zeros((len(texts), self._embed_mean.size), dtype=np.float32)
        return centre_rows(raw, self._embed_mean)

    def _join_embeddings(self, clause_texts: Sequence[str]) -> None:
        assert self._encoder is not None
        corpus_texts = [_proposal_embed_text(p) for p in self.corpus]
        full_texts = [_priority_full_text(p) for p in self.priorities]
        # One encoder call for everything: the model batches far better.
        raw = encode_texts(self._encoder, corpus_texts + full_texts + clause_texts)
        n_c, n_f = len(corpus_texts), len(full_texts)
        dim = raw.shape[1]
        # Centre on the corpus (or the priorities when there is no corpus
        # yet), so the common direction of all texts stops counting as
        # similarity.
        basis = raw[:n_c] if n_c else raw[n_c : n_c + n_f]
        present = basis[np.abs(basis).sum(axis=1) > 0] if dim else basis
        self._embed_mean = (
            present.mean(axis=0).astype(np.float32)
            if present.shape[0]
            else np.zeros(dim, dtype=np.float32)
        )
        centred = centre_rows(raw, self._embed_mean)
        if dim == 0:
            # Nothing had text to encode: stay on BM25 alone.
            return
        self._joined = True
        self._X = self._join(self._X, centred[:n_c])
        self._queries = self._join(self._queries, centred[n_c : n_c + n_f])
        self._clauses = self._join(self._clauses, centred[n_c + n_f :])

    # -- fitting -------------------------------------------------------------

    def _text_raw(self, X: sp.csr_matrix) -> np.ndarray:
        cfg = self.config
        t = cfg.clause_temperature
        n = X.shape[0]
        out = np.empty((n, len(self.priorities)), dtype=np.float64)
        queries_t = self._queries.T.tocsc()
        clauses_t = self._clauses.T.tocsc()
        # Row chunks bound the memory of the (rows x clauses) intermediate.
        for lo in range(0, n, _CHUNK):
            part = X[lo : lo + _CHUNK]
            full = (part @ queries_t).toarray()
            clause_sims = (part @ clauses_t).toarray()
            # log-mean-exp: a smooth maximum over each priority's clauses.
            soft = np.log(np.exp(t * clause_sims) @ self._clause_owner) / t
            out[lo : lo + _CHUNK] = (
                cfg.full_share * full + (1.0 - cfg.full_share) * soft
            )
        return out

    def _fit(self, n_p: int) -> None:
        cfg = self.config
        X = self._X
        n = X.shape[0]
        raw_text = self._text_raw(X)
        self._text_stats = _ColumnStats(raw_text if n else None, cfg, n_p)
        z_text = self._text_stats.z(raw_text)

        pos: dict[int, list[int]] = defaultdict(list)
        neg: dict[int, list[int]] = defaultdict(list)
        self._explicit: dict[tuple[Id, Id], bool] = {}
        for fb in self.feedback:
            j = self._priority_index.get(fb.priority_id)
            i = self._corpus_index.get(fb.proposal_id)
            if j is None:
                continue
            self._explicit[(fb.proposal_id, fb.priority_id)] = fb.confirmed
            if i is None:
                continue
            (pos if fb.confirmed else neg)[j].append(i)

        # Feedback prototypes (Rocchio) and exemplars (nearest neighbour).
        dim = X.shape[1]
        self._pos_proto = np.zeros((dim, n_p), dtype=np.float32)
        self._neg_proto = np.zeros((dim, n_p), dtype=np.float32)
        self._pos_weight = np.zeros(n_p)
        self._neg_weight = np.zeros(n_p)
        ex_rows: list[int] = []
        ex_owner: list[int] = []
        for j in range(n_p):
            if pos[j]:
                self._pos_proto[:, j] = self._centroid(X, pos[j])
                self._pos_weight[j] = cfg.feedback_weight * _ramp(len(pos[j]))
                ex_rows.extend(pos[j])
                ex_owner.extend([j] * len(pos[j]))
            if neg[j]:
                self._neg_proto[:, j] = self._centroid(X, neg[j])
                self._neg_weight[j] = cfg.rejected_weight * _ramp(len(neg[j]))
        self._examples = X[ex_rows] if ex_rows else sp.csr_matrix((0, dim))
        self._example_owner = np.asarray(ex_owner, dtype=np.int64)
        self._knn_weight = np.asarray(
            [cfg.knn_weight * _ramp(len(pos[j])) for j in range(n_p)]
        )

        self._text_weight = self._text_weights(pos)
        fb_raw = self._feedback_raw(X)
        self._fb_stats = {
            k: _ColumnStats(v if n else None, cfg, n_p) for k, v in fb_raw.items()
        }
        base = self._text_weight * z_text + self._feedback_z(fb_raw)

        # Self-training on the corpus.
        self._proto = np.zeros((dim, n_p), dtype=np.float32)
        self._proto_weight = np.zeros(n_p)
        self._proto_stats = _ColumnStats(None, cfg, n_p)
        combined = base
        #: The corpus's combined evidence as the last fitting round left it: the
        #: very value ``_evidence(self._X)`` would recompute, kept so scoring the
        #: corpus after fitting costs no second pass.
        self._corpus_combined: np.ndarray | None = None
        if n >= 2 and n_p >= 1:
            for _ in range(cfg.self_train_rounds):
                self._proto = self._self_train_prototypes(X, combined, pos, neg)
                raw_proto = X @ self._proto
                if cfg.leave_one_out:
                    self._leave_one_out(raw_proto)
                self._proto_stats = _ColumnStats(raw_proto, cfg, n_p)
                self._proto_weight = np.where(
                    np.abs(self._proto).sum(axis=0) > 0, cfg.self_train_weight, 0.0
                )
                combined = (
                    base + self._proto_weight * self._proto_stats.z(raw_proto)
                ) / self._evidence_mass()
            if cfg.self_train_rounds > 0:
                self._corpus_combined = combined

    def _text_weights(self, pos: Mapping[int, list[int]]) -> np.ndarray:
        cfg = self.config
        weights = np.ones(len(self.priorities))
        for j, p in enumerate(self.priorities):
            if not pos.get(j):
                continue
            stems = len(set(_priority_full_tokens(p, cfg)))
            thin = max(0.0, 1.0 - stems / max(cfg.thin_text_stems, 1))
            weights[j] = 1.0 / (1.0 + cfg.thin_text_boost * thin * _ramp(len(pos[j])))
        return weights

    def _sum_norm(self, X: sp.csr_matrix, rows: Sequence[int]) -> float:
        return float(np.linalg.norm(np.asarray(X[list(rows)].sum(axis=0)).ravel()))

    def _leave_one_out(self, raw_proto: np.ndarray) -> None:
        """Score prototype members against the centroid of the *others*.

        Otherwise a proposal's own vector inside its priority's prototype
        inflates its similarity and self-training just confirms its guesses.
        """
        for j, (rows, norm) in self._members.items():
            if norm <= 0 or len(rows) < 2:
                continue
            dot = raw_proto[rows, j].astype(np.float64) * norm
            rest = np.sqrt(np.maximum(norm**2 - 2.0 * dot + 1.0, 1e-12))
            raw_proto[rows, j] = (dot - 1.0) / rest

    def _centroid(self, X: sp.csr_matrix, rows: Sequence[int]) -> np.ndarray:
        vec = np.asarray(X[list(rows)].sum(axis=0)).ravel()
        norm = float(np.linalg.norm(vec))
        return (vec / norm).astype(np.float32) if norm > 0 else vec.astype(np.float32)

    def _self_train_prototypes(
        self,
        X: sp.csr_matrix,
        combined: np.ndarray,
        pos: Mapping[int, list[int]],
        neg: Mapping[int, list[int]],
    ) -> np.ndarray:
        cfg = self.config
        n, n_p = combined.shape
        assign = np.argmax(combined, axis=1)
        best = combined[np.arange(n), assign]
        protos = np.zeros((X.shape[1], n_p), dtype=np.float32)
        self._members.clear()
        for j in range(n_p):
            members = np.flatnonzero(assign == j)
            rejected = set(neg.get(j, ()))
            if rejected:
                members = np.asarray([i for i in members if i not in rejected])
            take = min(
                cfg.self_train_max, math.ceil(cfg.self_train_share * len(members))
            )
            rows: list[int] = []
            if take > 0:
                # Sort by confidence, ties by index, for determinism.
                order = np.lexsort((members, -best[members]))
                rows = members[order[:take]].tolist()
            rows = sorted(set(rows) | set(pos.get(j, ())))
            if not rows:
                continue
            proto = self._centroid(X, rows)
            self._members[j] = (np.asarray(rows), self._sum_norm(X, rows))
            if rejected:
                self._members.pop(j)
                # Rocchio: move the prototype away from what coordinators
                # rejected, so look-alikes of a rejected proposal drop too.
                proto = proto - cfg.rejected_weight * self._neg_proto[:, j]
                proto = np.maximum(proto, 0.0)
                norm = float(np.linalg.norm(proto))
                proto = proto / norm if norm > 0 else proto
            protos[:, j] = proto
        return protos

    def _feedback_raw(self, X: sp.csr_matrix) -> dict[str, np.ndarray]:
        n_p = len(self.priorities)
        out = {
            "pos": X @ self._pos_proto,
            "neg": X @ self._neg_proto,
        }
        knn = np.zeros((X.shape[0], n_p), dtype=np.float32)
        if self._examples.shape[0]:
            sims = (X @ self._examples.T).toarray()
            for j in np.unique(self._example_owner).tolist():
                cols = np.flatnonzero(self._example_owner == j)
                knn[:, j] = sims[:, cols].max(axis=1)
        out["knn"] = knn
        return out

    def _feedback_z(self, raw: Mapping[str, np.ndarray]) -> np.ndarray:
        st = self._fb_stats
        return (
            self._pos_weight * st["pos"].z(raw["pos"])
            + self._knn_weight * st["knn"].z(raw["knn"])
            - self._neg_weight * st["neg"].z(raw["neg"])
        )

    # -- scoring -------------------------------------------------------------

    def _vectorise(self, proposals: Sequence[ProposalInput] | None) -> sp.csr_matrix:
        if proposals is None:
            return self._X
        counts = self.vectorizer.counts(tokens(_proposal_text(p)) for p in proposals)
        X = self.vectorizer.weight(counts, bm25=True)
        if self._joined:
            dense = self._embed([_proposal_embed_text(p) for p in proposals])
            X = self._join(X, dense)
        return X

    def _evidence(self, X: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
        """Standardised text-only and combined evidence for each pair."""
        z_text = self._text_stats.z(self._text_raw(X))
        combined = self._text_weight * z_text + self._feedback_z(self._feedback_raw(X))
        if self._proto_weight.any():
            raw_proto = X @ self._proto
            if X is self._X and self.config.leave_one_out:
                # The corpus is judged exactly as during fitting.
                self._leave_one_out(raw_proto)
            combined = combined + self._proto_weight * self._proto_stats.z(raw_proto)
        return z_text, combined / self._evidence_mass()

    def _evidence_mass(self) -> np.ndarray:
        # Averaging rather than summing the standardised signals keeps the
        # calibration of the final score independent of how many signals a
        # priority has (feedback, prototypes).
        return (
            self._text_weight + self._proto_weight + self._pos_weight + self._knn_weight
        )

    def score_matrix(
        self, proposals: Sequence[ProposalInput] | None = None
    ) -> ScoreMatrix:
        """Score a batch (default: the corpus) against all priorities at once.

        Returns dense ``float32`` arrays of shape (proposals, priorities); no
        per-pair Python object is created, so 100k x 50 stays cheap.
        """
        batch = self.corpus if proposals is None else list(proposals)
        if proposals is None and self._corpus_combined is not None:
            combined = self._corpus_combined
        else:
            X = self._vectorise(None if proposals is None else batch)
            _z_text, combined = self._evidence(X)
        cfg = self.config
        text_score = _sigmoid(
            cfg.calibration_slope * (combined - cfg.calibration_center)
        )
        scores = self._blend_structured(batch, text_score)
        self._apply_explicit(batch, scores)
        return ScoreMatrix(
            proposal_ids=[p.id for p in batch],
            priority_ids=list(self.priority_ids),
            scores=scores.astype(np.float32),
            z=combined.astype(np.float32),
        )

    def _blend_structured(
        self, batch: Sequence[ProposalInput], text_score: np.ndarray
    ) -> np.ndarray:
        cfg = self.config
        scores = np.array(text_score, dtype=np.float64)
        w_s = np.asarray(
            [cfg.sector_weight if p.sectors else 0.0 for p in self.priorities]
        )
        w_i = np.asarray(
            [cfg.impact_weight if p.target_indicators else 0.0 for p in self.priorities]
        )
        if not (w_s.any() or w_i.any()):
            return scores
        sectors = sector_matrix(batch, self.priorities)
        impacts = impact_matrix(batch, self.priorities)
        return (1.0 - w_s - w_i) * scores + w_s * sectors + w_i * impacts

    def _apply_explicit(
        self, batch: Sequence[ProposalInput], scores: np.ndarray
    ) -> None:
        if not self._explicit:
            return
        for i, p in enumerate(batch):
            for j, pid in enumerate(self.priority_ids):
                decision = self._explicit.get((p.id, pid))
                if decision is True:
                    scores[i, j] = max(scores[i, j], 0.9)
                elif decision is False:
                    scores[i, j] = min(scores[i, j], 0.1)

    def score(
        self, proposals: Sequence[ProposalInput] | None = None
    ) -> list[MatchResult]:
        """Every (proposal, priority) pair with components and reasons.

        Meant for small batches (a new proposal, tests); for bulk re-scoring use
        :meth:`score_matrix` and :meth:`explain` on the pairs you keep.
        """
        batch = self.corpus if proposals is None else list(proposals)
        matrix = self.score_matrix(proposals)
        X = self._vectorise(None if proposals is None else batch)
        z_text, combined = self._evidence(X)
        results: list[MatchResult] = []
        for i, p in enumerate(batch):
            for j, pr in enumerate(self.priorities):
                results.append(
                    self._result(
                        p, pr, float(matrix.scores[i, j]), z_text[i, j], combined[i, j]
                    )
                )
        return results

    def explain(self, proposal: ProposalInput, priority_id: Id) -> MatchResult:
        """Score and explain one pair (lazily, for stored or top matches)."""
        j = self._priority_index[priority_id]
        matrix = self.score_matrix([proposal])
        X = self._vectorise([proposal])
        z_text, combined = self._evidence(X)
        return self._result(
            proposal,
            self.priorities[j],
            float(matrix.scores[0, j]),
            float(z_text[0, j]),
            float(combined[0, j]),
        )

    def _result(
        self,
        proposal: ProposalInput,
        priority: PriorityInput,
        score: float,
        z_text: float,
        combined: float,
    ) -> MatchResult:
        from .reasons import build_reasons

        cfg = self.config
        text = float(
            _sigmoid(cfg.calibration_slope * (z_text - cfg.calibration_center))
        )
        overall = float(
            _sigmoid(cfg.calibration_slope * (combined - cfg.calibration_center))
        )
        sectors, _covered, _partners = sector_coverage(proposal, priority)
        impacts, _ = impact_match(proposal, priority)
        components = {
            "text": round(text, 6),
            "learned": round(overall - text, 6),
            "sectors": round(sectors, 6),
            "impacts": round(impacts, 6),
        }
        decision = self._explicit.get((proposal.id, priority.id))
        if decision is not None:
            components["feedback"] = 1.0 if decision else -1.0
        return MatchResult(
            proposal_id=proposal.id,
            priority_id=priority.id,
            score=round(min(1.0, max(0.0, score)), 6),
            components=components,
            reasons=build_reasons(proposal, priority, self, decision),
            engine_version=self.version,
        )

    def detached(self) -> Engine:
        """A copy that scores and explains new proposals without the corpus.

        Everything a new proposal is judged by stays (vocabulary, IDF, priority
        queries, per-priority statistics, prototypes, feedback); the corpus, its
        vectors and its scores go, so the copy is small enough to share between
        processes. Its ``score_matrix()`` without arguments scores nothing. The
        embedding view cannot be detached: its encoder is a live model.
        """
        if self._encoder is not None:
            raise ValueError("an engine with embeddings cannot be detached")
        clone = copy.copy(self)
        empty = sp.csr_matrix((0, self._X.shape[1]), dtype=np.float32)
        clone.corpus = []
        clone._corpus_index = {}
        clone._corpus_counts = empty
        clone._X = empty
        clone._corpus_combined = None
        clone._members = {}
        return clone

    def idf_of(self, stem: str) -> float:
        """IDF of a stem (unknown stems count as rare)."""
        idx = self.vectorizer.vocabulary.get(stem)
        if idx is None or idx >= self.vectorizer.idf.size:
            return float(np.log(self.vectorizer.n_docs + 1.0) + 1.0)
        return float(self.vectorizer.idf[idx])


def _ramp(n: int) -> float:
    # Evidence grows with the number of examples but saturates: one
    # confirmation is a hint, ten are a pattern.
    return n / (n + 2.0)
