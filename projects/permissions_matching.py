"""Who may do what with priorities, matches and re-score jobs.

Used by the pages, the API and the services alike. Everyone (anonymous included)
reads priorities and their ranked public proposals; the city's coordinators (a
verified role with two-factor authentication, or staff with it) manage them.
"""

from __future__ import annotations

from typing import Any

from stakeholders import permissions as sp
from stakeholders.models import City

from .models import Match, Priority, Proposal
from .permissions import is_proposal_author


def can_manage_priorities(user: Any, city: City | int) -> bool:
    return sp.is_coordinator(user, city)


def can_edit_priority(user: Any, priority: Priority) -> bool:
    return sp.is_coordinator(user, priority.city_id)


def can_review_match(user: Any, match: Match) -> bool:
    return sp.is_coordinator(user, match.priority.city_id)


def can_start_rematch(user: Any, city: City | int) -> bool:
    return sp.is_coordinator(user, city)


def can_see_complements(user: Any, proposal: Proposal) -> bool:
    """The proposal's authors, and the coordinators of its city."""
    return is_proposal_author(user, proposal) or sp.is_coordinator(
        user, proposal.city_id
    )
