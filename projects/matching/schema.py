"""Plain, immutable inputs and outputs of the matching engine.

The Django layer converts model rows into these; nothing here knows about the
ORM, so the engine can be tested and benchmarked without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "SECTORS",
    "Feedback",
    "ImpactInput",
    "MatchResult",
    "OrganisationInput",
    "PriorityInput",
    "ProposalInput",
]

Id = str | int

#: Sector slugs used by the app; the engine accepts any slug but only these get
#: readable labels in reasons.
SECTORS: dict[str, str] = {
    "energy": "energy",
    "water": "water",
    "mobility": "mobility",
    "housing": "housing",
    "buildings": "buildings",
    "waste": "waste",
    "health": "health",
    "digital": "digital",
    "finance": "finance",
    "public_space": "public space",
    "food": "food",
    "education": "education",
    "safety": "safety",
}


@dataclass(frozen=True, slots=True)
class PriorityInput:
    """A city priority that proposals are matched against."""

    id: Id
    title: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    weight: int = 3
    #: Indicator codes ("co2_t_per_year") or free text ("fewer car trips").
    target_indicators: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ImpactInput:
    """An impact a proposal claims, e.g. 120 t/yr of ``co2_t_per_year``."""

    indicator: str
    amount: float
    unit: str = ""


@dataclass(frozen=True, slots=True)
class ProposalInput:
    """A cross-sector solution proposed by one or more organisations."""

    id: Id
    title: str
    summary: str = ""
    body: str = ""
    sectors: tuple[str, ...] = ()
    impacts: tuple[ImpactInput, ...] = ()
    partner_sectors: tuple[str, ...] = ()
    district: str = ""


@dataclass(frozen=True, slots=True)
class OrganisationInput:
    """An organisation that could join a proposal (see ``complements``)."""

    id: Id
    name: str
    kind: str = ""
    sectors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Feedback:
    """A coordinator confirmed (or rejected) a proposal for a priority."""

    priority_id: Id
    proposal_id: Id
    confirmed: bool


@dataclass(frozen=True, slots=True)
class MatchResult:
    """Score of one (proposal, priority) pair with its explanation."""

    proposal_id: Id
    priority_id: Id
    #: Overall score in [0, 1].
    score: float
    #: Per-component scores in [0, 1] ("text", "learned", "sectors", ...).
    components: dict[str, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    engine_version: str = ""
