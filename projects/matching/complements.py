"""Complements: proposals and organisations that would combine well.

A complement is valuable because it *differs*: it brings sectors, money or
operating capacity that the proposal lacks, while still being related (same
district, same priority, overlapping vocabulary) so the combination makes
sense on the ground.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from .reasons import shared_terms
from .schema import Id, OrganisationInput, PriorityInput, ProposalInput
from .sectors import normalise_sector, sector_label
from .text import fold, join_fields, tokens
from .vectorize import Vectorizer

__all__ = ["ROLE_KINDS", "complement_organisations", "complement_proposals"]

#: Organisation kinds able to play a role a proposal may be missing.
ROLE_KINDS: dict[str, frozenset[str]] = {
    "financer": frozenset({"investor", "bank", "fund", "financer", "funder"}),
    "operator": frozenset({"utility", "operator", "transport_operator"}),
    "housing partner": frozenset({"real_estate", "housing", "landlord", "developer"}),
}

# Sectors whose projects need someone to run infrastructure once built.
_OPERATED = frozenset({"energy", "water", "waste", "mobility", "digital"})
_HOUSING = frozenset({"housing", "buildings"})


def _text(p: ProposalInput) -> str:
    return join_fields((p.title, p.summary, p.body))


def _sectors(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(normalise_sector(s) for s in values if s))


def complement_proposals(
    proposal: ProposalInput,
    candidates: Sequence[ProposalInput],
    *,
    best_priority: Mapping[Id, Id] | None = None,
    limit: int = 5,
    min_score: float = 0.2,
) -> list[tuple[Id, float, str]]:
    """Other proposals that combine well with ``proposal``.

    ``best_priority`` maps proposal id -> its best priority id (e.g. from
    ``ScoreMatrix.top_k(1)``).  Returns ``(candidate_id, score, reason)``
    sorted by score, ties by input order.
    """
    others = [c for c in candidates if c.id != proposal.id]
    if not others:
        return []
    best_priority = best_priority or {}
    own = set(_sectors(proposal.sectors))
    district = fold(proposal.district).strip()
    vec = Vectorizer()
    docs = [tokens(_text(proposal))] + [tokens(_text(c)) for c in others]
    matrix = vec.weight(vec.fit(docs), bm25=False)
    sims = np.asarray((matrix[1:] @ matrix[0].T).toarray()).ravel()
    my_priority = best_priority.get(proposal.id)

    scored: list[tuple[float, int, str]] = []
    for idx, cand in enumerate(others):
        cand_sectors = _sectors(cand.sectors)
        new = [s for s in cand_sectors if s not in own]
        gain = len(new) / len(cand_sectors) if cand_sectors else 0.0
        same_district = bool(district) and fold(cand.district).strip() == district
        same_priority = (
            my_priority is not None and best_priority.get(cand.id) == my_priority
        )
        text_sim = float(sims[idx])
        related = same_district or same_priority or text_sim >= 0.1
        if not related or not new:
            # Without a link the pair is arbitrary; without new sectors it is a
            # duplicate or competitor rather than a complement.
            continue
        score = (
            0.35 * gain
            + 0.25 * same_district
            + 0.2 * same_priority
            + 0.2 * min(1.0, text_sim / 0.3)
        )
        if score < min_score:
            continue
        parts = ["adds sector" + ("s " if len(new) > 1 else " ")]
        parts[0] += " + ".join(sector_label(s) for s in new)
        if same_district:
            parts.append(f"same district ({cand.district.strip()})")
        if same_priority:
            parts.append(f"same best priority ({my_priority})")
        if text_sim >= 0.05:
            terms = shared_terms(_text(cand), _text(proposal), limit=3)
            if terms:
                parts.append("related: " + ", ".join(f"'{t}'" for t in terms))
        scored.append((round(score, 6), idx, "; ".join(parts)))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [(others[i].id, s, reason) for s, i, reason in scored[:limit]]


def _missing_roles(proposal: ProposalInput, wanted_sectors: set[str]) -> list[str]:
    own = set(_sectors(proposal.sectors))
    partners = set(_sectors(proposal.partner_sectors))
    have = own | partners
    roles: list[str] = []
    if "finance" not in have:
        roles.append("financer")
    if own & _OPERATED and not (own & _OPERATED) <= partners:
        roles.append("operator")
    # Housing work needs someone who owns or manages the homes.
    if (own | wanted_sectors) & _HOUSING and not partners & _HOUSING:
        roles.append("housing partner")
    return roles


def complement_organisations(
    proposal: ProposalInput,
    best_priorities: Sequence[PriorityInput],
    organisations: Sequence[OrganisationInput],
    *,
    limit: int = 5,
    min_score: float = 0.2,
) -> list[tuple[Id, float, str]]:
    """Organisations whose kind or sectors fill what the proposal lacks.

    Missing *roles* (a financer when nobody brings finance, an operator for
    infrastructure, a housing partner for housing work) and missing *sectors*
    of the proposal's best priorities both count.  Returns
    ``(org_id, score, reason)`` sorted by score, ties by input order.
    """
    own = set(_sectors(proposal.sectors)) | set(_sectors(proposal.partner_sectors))
    wanted: list[str] = []
    for pr in best_priorities:
        for s in _sectors(pr.sectors):
            if s not in wanted:
                wanted.append(s)
    missing_sectors = [s for s in wanted if s not in own]
    roles = _missing_roles(proposal, set(wanted))
    titles = {s: pr.title for pr in best_priorities for s in _sectors(pr.sectors)}

    scored: list[tuple[float, int, str]] = []
    for idx, org in enumerate(organisations):
        kind = normalise_sector(org.kind)
        org_sectors = _sectors(org.sectors)
        if kind in ROLE_KINDS["financer"] and "finance" not in org_sectors:
            # A bank brings finance whether or not its profile lists it.
            org_sectors.append("finance")
        fills_roles = [r for r in roles if kind in ROLE_KINDS[r]]
        if "finance" in org_sectors and "financer" in roles:
            fills_roles = list(dict.fromkeys([*fills_roles, "financer"]))
        fills_sectors = [s for s in missing_sectors if s in org_sectors]
        if not fills_roles and not fills_sectors:
            continue
        sector_share = (
            len(fills_sectors) / len(missing_sectors) if missing_sectors else 0
        )
        # Working in the proposal's own field makes a partner credible.
        overlap = 1.0 if own & set(org_sectors) else 0.0
        score = 0.45 * min(1.0, len(fills_roles)) + 0.4 * sector_share + 0.15 * overlap
        if score < min_score:
            continue
        parts: list[str] = []
        for role in fills_roles:
            label = org.kind or "finance"
            if role == "financer":
                parts.append(f"{label}: brings the finance the proposal lacks")
            else:
                parts.append(f"{label}: can act as {role}")
        if fills_sectors:
            covered = " + ".join(sector_label(s) for s in fills_sectors)
            sources = sorted({titles[s] for s in fills_sectors})
            parts.append(
                f"covers {covered} needed by priority "
                + ", ".join(f"'{t}'" for t in sources)
            )
        scored.append((round(score, 6), idx, "; ".join(parts)))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [(organisations[i].id, s, reason) for s, i, reason in scored[:limit]]
