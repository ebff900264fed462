"""Reads of the review of proposals: the queue, conflicts of interest, reviewer
suggestions and the internal review panel.

Every function runs a fixed number of queries whatever the number of proposals,
reviewers or notes (the query-count tests hold them to it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from stakeholders.models import (
    City,
    CityRole,
    CityRoleKind,
    Membership,
    Organisation,
    User,
    VerificationState,
)

from .models import (
    InternalNote,
    Match,
    PartnerState,
    Proposal,
    ProposalPartner,
    ReviewAssignment,
    Sector,
)
from .permissions_curation import REVIEWABLE

QUEUE_SORTS: dict[str, tuple[Any, ...]] = {
    # Longest waiting first: the queue's default.
    "age": ("submitted_at", "pk"),
    "newest": ("-submitted_at", "-pk"),
    "score": (F("best_score").desc(nulls_last=True), "submitted_at", "pk"),
    "supports": ("-support_total", "submitted_at", "pk"),
}


@dataclass
class QueueFilters:
    status: list[str] = field(default_factory=list)
    sector: str | None = None
    district: str | None = None
    reviewer: int | None = None
    has_conflict: bool | None = None
    min_score: float | None = None
    sort: str = "age"


def _best_score() -> Subquery:
    return Subquery(
        Match.objects.filter(proposal=OuterRef("pk"))
        .order_by("-score")
        .values("score")[:1]
    )


def _assignments_prefetch() -> Prefetch[ReviewAssignment]:
    return Prefetch(
        "assignments",
        queryset=ReviewAssignment.objects.select_related("reviewer").order_by(
            "assigned_at", "pk"
        ),
        to_attr="review_assignments",
    )


def review_queue(*, city: City | int, filters: QueueFilters) -> QuerySet[Proposal]:
    """Proposals of the city waiting for a decision (submitted, under review,
    shortlisted), hidden ones included, with their best match score, supports,
    open flags and assigned reviewers. Four queries for a page of any length:
    the count, the rows, their sectors and their assignments."""
    statuses = [s for s in filters.status if s in REVIEWABLE] or list(REVIEWABLE)
    qs = Proposal.objects.filter(city=city, status__in=statuses).annotate(
        best_score=_best_score(),
        support_total=F("resident_support_count") + F("organisation_support_count"),
    )
    if filters.sector:
        qs = qs.filter(
            pk__in=Proposal.sectors.through.objects.filter(
                sector__slug=filters.sector
            ).values("proposal_id")
        )
    if filters.district:
        qs = qs.filter(district__slug=filters.district)
    if filters.reviewer:
        qs = qs.filter(
            pk__in=ReviewAssignment.objects.filter(reviewer_id=filters.reviewer).values(
                "proposal_id"
            )
        )
    if filters.has_conflict is not None:
        conflicted = Exists(
            ReviewAssignment.objects.filter(proposal=OuterRef("pk")).exclude(
                conflicts=[]
            )
        )
        qs = qs.filter(conflicted if filters.has_conflict else ~conflicted)
    if filters.min_score is not None:
        qs = qs.filter(best_score__gte=filters.min_score)
    ordering = QUEUE_SORTS.get(filters.sort, QUEUE_SORTS["age"])
    return (
        qs.select_related("city", "lead_organisation", "district")
        .prefetch_related(
            Prefetch("sectors", queryset=Sector.objects.order_by("position")),
            _assignments_prefetch(),
        )
        .defer("body", "body_html", "search_vector")
        .order_by(*ordering)
    )


def queue_age_days(proposal: Proposal) -> int:
    start = proposal.submitted_at or proposal.created_at
    return max(0, (timezone.now() - start).days) if start else 0


# --- Reviewers and conflicts of interest ---------------------------------------------


def consortium_organisations(proposal: Proposal) -> dict[int, str]:
    """The lead organisation and every partner organisation that did not decline:
    ``{id: name}``, lead first. One query."""
    partners = (
        ProposalPartner.objects.filter(proposal=proposal)
        .exclude(state=PartnerState.DECLINED)
        .values("organisation_id")
    )
    rows = {proposal.lead_organisation_id: ""}
    for pk, name in Organisation.objects.filter(
        Q(pk=proposal.lead_organisation_id) | Q(pk__in=partners)
    ).values_list("pk", "name"):
        rows[pk] = name
    return rows


def conflicts_of(
    user_ids: list[int], proposal: Proposal
) -> dict[int, list[dict[str, Any]]]:
    """For each user, the consortium organisations they belong to, as stored in
    ``ReviewAssignment.conflicts`` (``[{"id", "name", "lead"}]``). Two queries."""
    consortium = consortium_organisations(proposal)
    found: dict[int, list[dict[str, Any]]] = {uid: [] for uid in user_ids}
    for user_id, org_id in (
        Membership.objects.filter(user_id__in=user_ids, organisation_id__in=consortium)
        .order_by("organisation__name", "organisation_id")
        .values_list("user_id", "organisation_id")
    ):
        found[user_id].append(
            {
                "id": org_id,
                "name": consortium[org_id],
                "lead": org_id == proposal.lead_organisation_id,
            }
        )
    return found


def city_reviewers(city: City | int) -> QuerySet[User]:
    """Active people with a verified official or coordinator role in the city."""
    roles = CityRole.objects.filter(
        city=city,
        state=VerificationState.VERIFIED,
        role__in=[CityRoleKind.OFFICIAL, CityRoleKind.COORDINATOR],
    )
    return (
        User.objects.filter(
            is_active=True, deleted_at__isnull=True, pk__in=roles.values("user_id")
        )
        .only("pk", "display_name", "deleted_at", "email")
        .order_by("display_name", "pk")
    )


@dataclass
class Suggestion:
    reviewer: User
    covered_reviews: int
    sector_overlaps: int
    open_reviews: int
    conflicts: list[dict[str, Any]]

    @property
    def has_conflict(self) -> bool:
        return bool(self.conflicts)

    @property
    def is_author(self) -> bool:
        return any(c["lead"] for c in self.conflicts)


def reviewer_suggestions(proposal: Proposal) -> list[Suggestion]:
    """Officials of the proposal's city who are not assigned yet, best first: those
    whose past reviews (assignments with a recommendation) covered the most of the
    proposal's sectors — reviews sharing a sector, then sectors shared — then the
    least busy. People with a conflict of interest come last, marked. Five
    queries whatever the number of officials."""
    assigned = ReviewAssignment.objects.filter(proposal=proposal).values("reviewer_id")
    people = list(city_reviewers(proposal.city_id).exclude(pk__in=assigned))
    ids = [p.pk for p in people]
    sector_ids = list(proposal.sectors.values_list("pk", flat=True))
    covered: dict[int, tuple[int, int]] = {}
    for row in (
        ReviewAssignment.objects.filter(
            reviewer_id__in=ids, proposal__sectors__in=sector_ids
        )
        .exclude(recommendation="")
        .exclude(proposal=proposal)
        .values("reviewer_id")
        .annotate(reviews=Count("proposal_id", distinct=True), overlaps=Count("pk"))
    ):
        covered[row["reviewer_id"]] = (row["reviews"], row["overlaps"])
    busy = dict(
        ReviewAssignment.objects.filter(
            reviewer_id__in=ids, recommendation="", proposal__status__in=REVIEWABLE
        )
        .values("reviewer_id")
        .annotate(n=Count("pk"))
        .values_list("reviewer_id", "n")
    )
    conflicts = conflicts_of(ids, proposal)
    rows = [
        Suggestion(
            reviewer=person,
            covered_reviews=covered.get(person.pk, (0, 0))[0],
            sector_overlaps=covered.get(person.pk, (0, 0))[1],
            open_reviews=busy.get(person.pk, 0),
            conflicts=conflicts.get(person.pk, []),
        )
        for person in people
    ]
    rows.sort(
        key=lambda s: (
            s.has_conflict,
            -s.covered_reviews,
            -s.sector_overlaps,
            s.open_reviews,
            s.reviewer.public_name.lower(),
            s.reviewer.pk,
        )
    )
    return rows


# --- The internal review of one proposal ---------------------------------------------


def assignments_of_proposal(proposal: Proposal | int) -> QuerySet[ReviewAssignment]:
    return (
        ReviewAssignment.objects.filter(proposal=proposal)
        .select_related("reviewer", "assigned_by")
        .order_by("assigned_at", "pk")
    )


def notes_of_proposal(proposal: Proposal | int) -> QuerySet[InternalNote]:
    return (
        InternalNote.objects.filter(proposal=proposal)
        .select_related("author")
        .order_by("created_at", "pk")
    )


@dataclass
class ReviewPanel:
    """What the "Internal review" panel of a proposal's page shows."""

    proposal: Proposal
    assignments: list[ReviewAssignment]
    notes: list[InternalNote]
    is_coordinator: bool
    my_assignment: ReviewAssignment | None
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def recommendations(self) -> list[ReviewAssignment]:
        return [a for a in self.assignments if a.recommendation]

    @property
    def reviewable(self) -> bool:
        return self.proposal.status in REVIEWABLE


def review_panel(
    *, proposal: Proposal, is_coordinator: bool, my_assignment: ReviewAssignment | None
) -> ReviewPanel:
    """Assignments and notes (two queries), and for coordinators of a proposal in
    review the ranked suggestions (five more)."""
    panel = ReviewPanel(
        proposal=proposal,
        assignments=list(assignments_of_proposal(proposal)),
        notes=list(notes_of_proposal(proposal)),
        is_coordinator=is_coordinator,
        my_assignment=my_assignment,
    )
    if is_coordinator and panel.reviewable:
        panel.suggestions = reviewer_suggestions(proposal)
    return panel


def reviewer_choices(city: City | int) -> list[tuple[int, str]]:
    return [(u.pk, u.public_name) for u in city_reviewers(city)]
