"""Sector coverage between a proposal (and its partners) and a priority."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from .schema import SECTORS, PriorityInput, ProposalInput

__all__ = ["normalise_sector", "sector_coverage", "sector_label", "sector_matrix"]

#: A sector only brought by partners is weaker evidence than one the proposal
#: itself works in.
PARTNER_SHARE = 0.5


@lru_cache(maxsize=4096)
def normalise_sector(slug: str) -> str:
    return slug.strip().casefold().replace(" ", "_").replace("-", "_")


def sector_label(slug: str) -> str:
    slug = normalise_sector(slug)
    return SECTORS.get(slug, slug.replace("_", " "))


def sector_coverage(
    proposal: ProposalInput, priority: PriorityInput
) -> tuple[float, list[str], list[str]]:
    """Share of the priority's sectors covered, and which ones.

    Returns ``(coverage in [0, 1], covered by the proposal, covered only by
    partners)``; the sector lists keep the priority's order.
    """
    wanted = list(dict.fromkeys(normalise_sector(s) for s in priority.sectors if s))
    if not wanted:
        return 0.0, [], []
    own = {normalise_sector(s) for s in proposal.sectors}
    partners = {normalise_sector(s) for s in proposal.partner_sectors}
    covered = [s for s in wanted if s in own]
    by_partners = [s for s in wanted if s not in own and s in partners]
    value = (len(covered) + PARTNER_SHARE * len(by_partners)) / len(wanted)
    return value, covered, by_partners


def sector_matrix(
    proposals: Sequence[ProposalInput], priorities: Sequence[PriorityInput]
) -> np.ndarray:
    """``sector_coverage`` values for every pair, without a per-pair loop.

    Proposals are encoded once as sparse sector-indicator rows; a product with
    the priorities' normalised sector columns gives the coverage.
    """
    n_p = len(priorities)
    slots: dict[str, int] = {}
    cols: list[int] = []
    rows: list[int] = []
    vals: list[float] = []
    for j, pr in enumerate(priorities):
        wanted = list(dict.fromkeys(normalise_sector(s) for s in pr.sectors if s))
        for s in wanted:
            rows.append(slots.setdefault(s, len(slots)))
            cols.append(j)
            vals.append(1.0 / len(wanted))
    if not slots:
        return np.zeros((len(proposals), n_p))
    wanted_matrix = sp.csr_matrix((vals, (rows, cols)), shape=(len(slots), n_p))
    p_rows: list[int] = []
    p_cols: list[int] = []
    p_vals: list[float] = []
    for i, p in enumerate(proposals):
        own = {normalise_sector(s) for s in p.sectors}
        for s in own:
            k = slots.get(s)
            if k is not None:
                p_rows.append(i)
                p_cols.append(k)
                p_vals.append(1.0)
        for s in {normalise_sector(s) for s in p.partner_sectors} - own:
            k = slots.get(s)
            if k is not None:
                p_rows.append(i)
                p_cols.append(k)
                p_vals.append(PARTNER_SHARE)
    have = sp.csr_matrix((p_vals, (p_rows, p_cols)), shape=(len(proposals), len(slots)))
    return (have @ wanted_matrix).toarray()
