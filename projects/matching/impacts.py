"""Claimed impacts of a proposal versus a priority's target indicators."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from .schema import ImpactInput, PriorityInput, ProposalInput
from .text import fold, tokens

__all__ = ["format_impact", "impact_match", "impact_matrix"]

# Unit and period words appear in many indicator codes ("..._per_year"), so
# sharing them says nothing about sharing the measured quantity.
_UNIT_STEMS = frozenset(
    tokens(
        "year years yr annual day month tonne tonnes ton tons kg kwh mwh gwh m2 m3 "
        "eur euro euros number count pct percent rate share total amount unit"
    )
)

_READABLE = {
    "co2": "CO2",
    "co2e": "CO2e",
    "ghg": "GHG",
    "pm10": "PM10",
    "pm25": "PM2.5",
}


@lru_cache(maxsize=4096)
def _key_stems(text: str) -> frozenset[str]:
    return frozenset(tokens(text.replace("_", " "))) - _UNIT_STEMS


def _matches(impact: ImpactInput, target: str) -> bool:
    return _code_matches(impact.indicator, target)


@lru_cache(maxsize=16384)
def _code_matches(indicator: str, target: str) -> bool:
    code, want = fold(indicator).strip(), fold(target).strip()
    if not code or not want:
        return False
    if code == want:
        return True
    return bool(_key_stems(indicator) & _key_stems(target))


def format_impact(impact: ImpactInput) -> str:
    """E.g. ``120 t/yr CO2`` from (co2_t_per_year, 120, "t/yr")."""
    words = [w for w in impact.indicator.replace("_", " ").split() if w]
    label_words = [_READABLE.get(w.casefold(), w) for w in words]
    amount = f"{impact.amount:,.6g}".replace(",", " ")
    if impact.unit:
        # The unit already says "t per year"; keep only the measured quantity.
        unit_stems = _UNIT_STEMS | {"t", "per"}
        label_words = [
            w
            for w in label_words
            if not (set(tokens(w)) <= unit_stems) and w.casefold() not in {"t", "per"}
        ] or label_words
        return f"{amount} {impact.unit} {' '.join(label_words)}".strip()
    return f"{amount} {' '.join(label_words)}".strip()


def impact_match(
    proposal: ProposalInput, priority: PriorityInput
) -> tuple[float, list[ImpactInput]]:
    """Share of target indicators addressed by a positive claimed impact."""
    targets = [t for t in priority.target_indicators if t and t.strip()]
    if not targets:
        return 0.0, []
    claimed = [imp for imp in proposal.impacts if imp.amount > 0]
    hit_targets = 0
    used: list[ImpactInput] = []
    for target in targets:
        hits = [imp for imp in claimed if _matches(imp, target)]
        if hits:
            hit_targets += 1
            used.extend(h for h in hits if h not in used)
    return hit_targets / len(targets), used


def impact_matrix(
    proposals: Sequence[ProposalInput], priorities: Sequence[PriorityInput]
) -> np.ndarray:
    """``impact_match`` shares for every pair, without a per-pair loop.

    Matching is decided once per distinct (indicator code, target) pair, so
    the cost grows with the number of distinct codes, not of proposals.
    """
    n_p = len(priorities)
    targets: list[tuple[int, str]] = []
    for j, pr in enumerate(priorities):
        targets.extend((j, t) for t in pr.target_indicators if t and t.strip())
    if not targets:
        return np.zeros((len(proposals), n_p))
    codes: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, p in enumerate(proposals):
        for imp in p.impacts:
            if imp.amount > 0:
                rows.append(i)
                cols.append(codes.setdefault(imp.indicator, len(codes)))
    if not codes:
        return np.zeros((len(proposals), n_p))
    claims = sp.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(proposals), len(codes))
    )
    match = np.zeros((len(codes), len(targets)))
    for code, c in codes.items():
        for t_idx, (_j, target) in enumerate(targets):
            match[c, t_idx] = _code_matches(code, target)
    hits = (claims @ match) > 0
    per_target = np.zeros((len(targets), n_p))
    counts = np.bincount([j for j, _t in targets], minlength=n_p)
    for t_idx, (j, _t) in enumerate(targets):
        per_target[t_idx, j] = 1.0 / counts[j]
    return hits.astype(np.float64) @ per_target
