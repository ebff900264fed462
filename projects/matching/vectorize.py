"""Sparse bag-of-stems vectors with BM25-style term weighting.

Documents become rows of a ``scipy.sparse.csr_matrix`` whose rows are L2
normalised, so a sparse product gives cosine similarities for a whole batch at
once (no per-pair Python loop).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

__all__ = ["Vectorizer", "l2_normalise_rows"]


def l2_normalise_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Scale each row to unit length; empty rows stay empty."""
    matrix = sp.csr_matrix(matrix, dtype=np.float32)
    sq = np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()
    norms = np.sqrt(sq, dtype=np.float64)
    norms[norms == 0.0] = 1.0
    return sp.csr_matrix(sp.diags((1.0 / norms).astype(np.float32)) @ matrix)


class Vectorizer:
    """Vocabulary + IDF fitted on a corpus, then BM25-weighted transforms.

    ``k1`` controls term-frequency saturation (a word repeated ten times is not
    ten times as relevant) and ``b`` the document-length normalisation.
    """

    def __init__(self, *, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self.vocabulary: dict[str, int] = {}
        self.idf: np.ndarray = np.zeros(0, dtype=np.float32)
        self.avg_len: float = 1.0
        self.n_docs: int = 0

    @property
    def size(self) -> int:
        return len(self.vocabulary)

    def counts(
        self, docs: Iterable[Sequence[str]], *, grow: bool = False
    ) -> sp.csr_matrix:
        """Raw term counts; unknown terms are added only when ``grow``."""
        vocab = self.vocabulary
        indices: list[int] = []
        indptr: list[int] = [0]
        extend = indices.extend
        if grow:
            setdefault = vocab.setdefault
            for doc in docs:
                # setdefault with the current size assigns ids in first-seen
                # order, which keeps the vocabulary deterministic.
                extend([setdefault(t, len(vocab)) for t in doc])
                indptr.append(len(indices))
        else:
            get = vocab.get
            for doc in docs:
                extend([i for i in map(get, doc) if i is not None])
                indptr.append(len(indices))
        n_rows = len(indptr) - 1
        data = np.ones(len(indices), dtype=np.float32)
        matrix = sp.csr_matrix(
            (data, np.asarray(indices, dtype=np.int32), np.asarray(indptr)),
            shape=(n_rows, max(len(vocab), 1)),
        )
        matrix.sum_duplicates()
        return matrix

    def fit(self, docs: Sequence[Sequence[str]]) -> sp.csr_matrix:
        """Fit vocabulary and IDF; return the raw counts of ``docs``."""
        counts = self.counts(docs, grow=True)
        self.n_docs = counts.shape[0]
        df = np.bincount(counts.indices, minlength=self.size).astype(np.float64)
        # Smoothed IDF that stays positive even for a term in every document.
        self.idf = (np.log((self.n_docs + 1.0) / (df + 1.0)) + 1.0).astype(np.float32)
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        self.avg_len = float(lengths.mean()) if lengths.size and lengths.any() else 1.0
        return counts

    def _pad(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        if counts.shape[1] != self.size:
            counts = sp.csr_matrix(
                (counts.data, counts.indices, counts.indptr),
                shape=(counts.shape[0], max(self.size, 1)),
            )
        return counts

    def weight(self, counts: sp.csr_matrix, *, bm25: bool = True) -> sp.csr_matrix:
        """BM25 (documents) or sublinear TF (queries) times IDF, L2-normalised."""
        counts = self._pad(counts).astype(np.float32)
        tf = counts.data
        if bm25:
            lengths = np.diff(counts.indptr).astype(np.float32)
            row_len = np.asarray(counts.sum(axis=1)).ravel().astype(np.float32)
            norm = self.k1 * (1.0 - self.b + self.b * row_len / self.avg_len)
            per_entry = np.repeat(norm, lengths.astype(np.int64))
            weighted = tf * (self.k1 + 1.0) / (tf + per_entry)
        else:
            weighted = 1.0 + np.log(tf)
        out = sp.csr_matrix(
            (weighted * self.idf[counts.indices], counts.indices, counts.indptr),
            shape=counts.shape,
        )
        return l2_normalise_rows(out)

    def transform(
        self, docs: Iterable[Sequence[str]], *, bm25: bool = True
    ) -> sp.csr_matrix:
        return self.weight(self.counts(docs), bm25=bm25)
