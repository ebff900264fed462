"""Human-readable reasons for one (proposal, priority) pair.

Computed lazily per pair: tokenising two texts is cheap, and doing it only for
stored or displayed matches keeps the bulk path free of per-pair work.
Shared terms are shown as the words the proposal actually used (not stems),
and adjacent shared words are merged into phrases ("heat pump").
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from .impacts import format_impact, impact_match
from .schema import PriorityInput, ProposalInput
from .sectors import sector_coverage, sector_label
from .text import join_fields, surface_tokens

if TYPE_CHECKING:
    from .scoring import Engine

__all__ = ["build_reasons", "shared_terms"]

MAX_TERMS = 5


def _phrases(seq: list[tuple[str, str]], max_len: int = 3) -> Counter[tuple[str, ...]]:
    """Counts of stem n-grams (1..max_len) of adjacent content words."""
    out: Counter[tuple[str, ...]] = Counter()
    n = len(seq)
    for i in range(n):
        if not seq[i][0]:
            continue
        for size in range(1, max_len + 1):
            window = seq[i : i + size]
            if len(window) < size or not all(s for s, _ in window):
                break
            out[tuple(s for s, _ in window)] += 1
    return out


def _surfaces(
    seq: list[tuple[str, str]], max_len: int = 3
) -> dict[tuple[str, ...], str]:
    """First surface form used for each stem n-gram, for display."""
    out: dict[tuple[str, ...], str] = {}
    n = len(seq)
    for i in range(n):
        for size in range(1, max_len + 1):
            window = seq[i : i + size]
            if len(window) < size or not all(s for s, _ in window):
                break
            key = tuple(s for s, _ in window)
            out.setdefault(key, " ".join(w for _, w in window))
    return out


def shared_terms(
    proposal_text: str,
    priority_text: str,
    idf: dict[str, float] | None = None,
    limit: int = MAX_TERMS,
) -> list[str]:
    """Most informative words/phrases the two texts share, as readable text.

    A shared phrase absorbs its words, so "heat pump" is shown once instead
    of "heat pump", "heat", "pump".
    """
    prop_seq = surface_tokens(proposal_text)
    prio_seq = surface_tokens(priority_text)
    prop_grams = _phrases(prop_seq)
    prio_grams = _phrases(prio_seq)
    common = set(prop_grams) & set(prio_grams)
    if not common:
        return []
    idf = idf or {}

    def weight(gram: tuple[str, ...]) -> float:
        # Longer phrases are more specific; repeated use in the proposal shows
        # the term is central rather than incidental.
        info = sum(idf.get(s, 1.0) for s in gram)
        return info * (1.0 + 0.25 * min(prop_grams[gram], 4))

    ranked = sorted(common, key=lambda g: (-weight(g), -len(g), g))
    chosen: list[tuple[str, ...]] = []
    covered: set[str] = set()
    for gram in ranked:
        if set(gram) <= covered:
            continue
        if any(_contains(c, gram) for c in chosen):
            continue
        chosen = [c for c in chosen if not _contains(gram, c)]
        chosen.append(gram)
        covered.update(gram)
        if len(chosen) >= limit:
            break
    surfaces = _surfaces(prop_seq)
    return [surfaces.get(g, " ".join(g)) for g in chosen]


def _contains(big: tuple[str, ...], small: tuple[str, ...]) -> bool:
    if len(small) > len(big):
        return False
    return any(
        big[i : i + len(small)] == small for i in range(len(big) - len(small) + 1)
    )


def _proposal_text(p: ProposalInput) -> str:
    return join_fields((p.title, p.summary, p.body))


def _priority_text(p: PriorityInput) -> str:
    return join_fields(
        (p.title, ". ".join(p.keywords), p.description, ". ".join(p.target_indicators))
    )


def build_reasons(
    proposal: ProposalInput,
    priority: PriorityInput,
    engine: Engine | None = None,
    decision: bool | None = None,
) -> list[str]:
    """Reasons, most telling first, e.g. ``shares 'heat pump', 'retrofit'``."""
    reasons: list[str] = []
    idf_of = engine.idf_of if engine is not None else None
    prop_text = _proposal_text(proposal)
    prio_text = _priority_text(priority)
    idf: dict[str, float] = {}
    if idf_of is not None:
        for stem, _surface in surface_tokens(prop_text):
            if stem and stem not in idf:
                idf[stem] = idf_of(stem)
    terms = shared_terms(prop_text, prio_text, idf)
    if terms:
        reasons.append("shares " + ", ".join(f"'{t}'" for t in terms))
    _value, covered, by_partners = sector_coverage(proposal, priority)
    if covered:
        reasons.append(
            f"covers sector{'s' if len(covered) > 1 else ''} "
            + " + ".join(sector_label(s) for s in covered)
            + " of this priority"
        )
    if by_partners:
        reasons.append(
            "partners bring " + " + ".join(sector_label(s) for s in by_partners)
        )
    _share, impacts = impact_match(proposal, priority)
    if impacts:
        reasons.append("claims " + ", ".join(format_impact(i) for i in impacts))
    if decision is True:
        reasons.append("confirmed by a coordinator")
    elif decision is False:
        reasons.append("rejected by a coordinator")
    if not reasons:
        reasons.append("no shared terms, sectors or impacts; weak match")
    return reasons
