"""Crosswalk matching engine: pure Python + numpy/scipy, no Django imports.

Typical use::

    engine = Engine(priorities, feedback=feedback, corpus=all_proposals)
    matrix = engine.score_matrix()             # bulk, vectorised
    best = matrix.top_k(3)                     # per proposal
    result = engine.explain(proposal, pid)     # reasons for one pair
"""

from .complements import complement_organisations, complement_proposals
from .schema import (
    SECTORS,
    Feedback,
    ImpactInput,
    MatchResult,
    OrganisationInput,
    PriorityInput,
    ProposalInput,
)
from .scoring import Engine, EngineConfig, ScoreMatrix
from .version import ENGINE_VERSION

__all__ = [
    "ENGINE_VERSION",
    "SECTORS",
    "Engine",
    "EngineConfig",
    "Feedback",
    "ImpactInput",
    "MatchResult",
    "OrganisationInput",
    "PriorityInput",
    "ProposalInput",
    "ScoreMatrix",
    "complement_organisations",
    "complement_proposals",
]
