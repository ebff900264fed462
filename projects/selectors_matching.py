"""Reads of the matching feature: priorities, ranked matches, job progress.

Every function runs a fixed number of queries whatever the number of rows it
returns (the query-count tests hold them to it). Matches are listed only for
proposals everyone may see (submitted and later, never drafts); a priority's list
shows the scored statuses (withdrawn and rejected proposals drop out).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from stakeholders.models import City

from . import matching_adapter as adapter
from .models import JobState, Match, MatchReview, Priority, Proposal, RematchJob, Sector

REVIEW_FILTERS = ("any", "unreviewed", "confirmed", "rejected")


def priorities_of_city(city: City | int) -> QuerySet[Priority]:
    """The city's priorities (active or not), most weighted first, with sectors."""
    return (
        Priority.objects.filter(city=city)
        .prefetch_related(
            Prefetch("sectors", queryset=Sector.objects.order_by("position"))
        )
        .order_by("-weight", "title", "pk")
    )


def priority_detail(pk: int) -> Priority:
    return (
        Priority.objects.select_related("city")
        .prefetch_related(
            Prefetch("sectors", queryset=Sector.objects.order_by("position"))
        )
        .get(pk=pk)
    )


def _ranked(qs: QuerySet[Match]) -> QuerySet[Match]:
    return qs.filter(proposal__status__in=adapter.SCORED_STATUSES).order_by(
        "-score", "proposal_id"
    )


def matches_of_priority(
    priority: Priority | int,
    *,
    min_score: float | None = None,
    review: str = "any",
) -> QuerySet[Match]:
    """Ranked matches of one priority, best first, with what a row displays.

    ``review``: ``any``, ``unreviewed``, ``confirmed`` or ``rejected``.
    """
    qs = _ranked(Match.objects.filter(priority=priority))
    if min_score is not None:
        qs = qs.filter(score__gte=min_score)
    if review == "unreviewed":
        qs = qs.filter(review=MatchReview.NONE)
    elif review in (MatchReview.CONFIRMED, MatchReview.REJECTED):
        qs = qs.filter(review=review)
    return qs.select_related(
        "proposal",
        "proposal__lead_organisation",
        "proposal__district",
        "reviewed_by",
        "priority",
    ).prefetch_related(
        Prefetch("proposal__sectors", queryset=Sector.objects.order_by("position"))
    )


def matches_of_proposal(proposal: Proposal | int) -> QuerySet[Match]:
    return (
        Match.objects.filter(proposal=proposal)
        .select_related("priority", "priority__city", "proposal", "reviewed_by")
        .order_by("-score", "priority_id")
    )


@dataclass
class PriorityWithTop:
    priority: Priority
    top: list[Match]


def priorities_with_top(
    city: City | int, *, per_priority: int = 3
) -> list[PriorityWithTop]:
    """The city's priorities, each with its best ``per_priority`` matches.

    Three queries: the priorities (+ their sectors) and one window query for the
    top rows of all of them at once.
    """
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

    priorities = list(priorities_of_city(city))
    ranked = (
        _ranked(Match.objects.filter(priority__in=[p.pk for p in priorities]))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("priority_id")],
                order_by=[F("score").desc(), F("proposal_id").asc()],
            )
        )
        .select_related("proposal", "proposal__lead_organisation")
    )
    top: dict[int, list[Match]] = defaultdict(list)
    for match in ranked.filter(rank__lte=per_priority):
        top[match.priority_id].append(match)
    for rows in top.values():
        rows.sort(key=lambda m: (-m.score, m.proposal_id))
    return [PriorityWithTop(p, top.get(p.pk, [])) for p in priorities]


def open_job(city: City | int) -> RematchJob | None:
    return (
        RematchJob.objects.filter(
            city=city, state__in=[JobState.QUEUED, JobState.RUNNING]
        )
        .order_by("-created_at")
        .first()
    )


def last_job(city: City | int) -> RematchJob | None:
    return RematchJob.objects.filter(city=city).order_by("-created_at", "-pk").first()


def job_detail(pk: int) -> RematchJob:
    return RematchJob.objects.select_related("city").get(pk=pk)


def explained(matches: list[Match]) -> list[Match]:
    """Fill in components and reasons of rows stored by a bulk re-score (which
    writes scores only) for display; nothing is written. Two queries for the
    whole list (the inputs of its proposals and priorities)."""
    missing = [m for m in matches if not m.reasons]
    if not missing:
        return matches
    proposals = {
        int(p.id): p for p in adapter.proposal_inputs([m.proposal_id for m in missing])
    }
    priority_rows = {m.priority_id: m.priority for m in missing}
    priorities = {
        int(p.id): p for p in adapter.priority_inputs(list(priority_rows.values()))
    }
    for match in missing:
        proposal = proposals.get(match.proposal_id)
        priority = priorities.get(match.priority_id)
        if proposal is None or priority is None:
            continue
        decision = None if not match.review else match.review == MatchReview.CONFIRMED
        extra: dict[str, Any] = adapter.explain_pair(
            proposal, priority, decision=decision
        )
        match.components = {**extra["components"], **(match.components or {})}
        match.reasons = extra["reasons"]
    return matches
