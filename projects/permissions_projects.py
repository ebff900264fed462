"""Who may do what with projects. Used by pages, API and services alike.

* Everyone (signed in or not) reads every project: projects are public.
* A **coordinator of the project's city** (verified role with two-factor
  authentication, or staff with it) creates projects from the city's proposals and
  manages them: details, status, partners, financing, milestones, impacts, updates.
* Anyone signed in comments on and follows a project (the conversation's rules).
"""

from __future__ import annotations

from typing import Any

from stakeholders import permissions as sp
from stakeholders.models import City

from .models import Project, ProjectStatus, Proposal, ProposalStatus

#: Statuses a proposal may have to become part of a project.
PROJECT_SOURCE_STATUSES = (
    ProposalStatus.SUBMITTED,
    ProposalStatus.UNDER_REVIEW,
    ProposalStatus.SHORTLISTED,
    ProposalStatus.ACCEPTED,
)

#: Statuses in which a project's plan (money, milestones, partners) still changes.
OPEN_PROJECT_STATUSES = (
    ProjectStatus.PLANNED,
    ProjectStatus.PROCUREMENT,
    ProjectStatus.IN_PROGRESS,
)


def can_create_project(user: Any, city: City | int) -> bool:
    return sp.is_coordinator(user, city)


def can_create_project_from(user: Any, proposal: Proposal) -> bool:
    """Shown as the "Create a project" action on a proposal's page: a coordinator
    of its city, the proposal in a status that may join a project and not part
    of one yet (asked last: one query, for coordinators only)."""
    from .models import ProjectSource

    return (
        proposal.status in PROJECT_SOURCE_STATUSES
        and can_create_project(user, proposal.city_id)
        and not ProjectSource.objects.filter(proposal_id=proposal.pk).exists()
    )


def can_manage_project(user: Any, project: Project) -> bool:
    return sp.is_coordinator(user, project.city_id)


def can_comment_on_project(user: Any, project: Project) -> bool:
    return sp.is_signed_in(user)


def can_follow_project(user: Any, project: Project) -> bool:
    return sp.is_signed_in(user)
