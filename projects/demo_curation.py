"""Demo review: the Riverbend official reviews a few demo proposals, with internal
notes and recommendations, so the review queue and the Internal review panel are
alive on first run.

Called at the end of ``projects.demo.seed``. Written through the review services
(audit included) with their notifications muted, like the rest of the demo's
replayed past. Idempotent: an assignment, a recommendation or a note that is
already there is left as it is, so running it again changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from stakeholders.models import City, User

from .models import Proposal, ReviewAssignment
from .permissions_curation import REVIEWABLE
from .services import curation as services

CITY_SLUG = "riverbend"
OFFICIAL_EMAIL = "official@example.org"

REVIEWS: list[dict[str, Any]] = [
    {
        "title": (
            "Rooftop solar on 14 Harbourline social-housing blocks, with bill "
            "credits for tenants"
        ),
        "recommendation": "accept",
        "reason": (
            "Answers the emissions and energy-poverty priorities at once; the "
            "utility's grid study is attached and the tenants' bill credits are "
            "written into the lease annex."
        ),
        "notes": [
            "Checked the roof survey with the buildings department: 12 of the 14 "
            "roofs need no reinforcement.",
            "Ask Harbourline to confirm the tenants' association voted for it "
            "before the final decision.",
        ],
    },
    {
        "title": (
            "Turn two floors of the Market Street car park into small homes, with "
            "shared cars for the neighbourhood"
        ),
        "recommendation": "needs_changes",
        "reason": (
            "Good idea, but the fire-safety study is missing and the car-sharing "
            "operator has not confirmed the number of cars."
        ),
        "notes": [
            "The parking contract with the operator runs until 2027: check the exit "
            "clause with the legal department.",
        ],
    },
    {
        "title": (
            "Prefabricated insulated facades and rooftop heat pumps for four 1960s "
            "towers, fitted with tenants at home"
        ),
        "recommendation": "",
        "reason": "",
        "notes": [
            "Site visit planned with the housing office; compare the cost per flat "
            "with the Harbourline retrofit.",
        ],
    },
    {
        "title": (
            "Shift the Peak: employers reward off-peak transit trips and flexible "
            "hours for 9,000 staff"
        ),
        "recommendation": "",
        "reason": "",
        "notes": [],
    },
]


@contextmanager
def _muted() -> Iterator[None]:
    """The demo stands for past activity: nobody is notified of it."""
    saved = services.notify_on_commit
    services.notify_on_commit = lambda **kwargs: None  # type: ignore[assignment]
    try:
        yield
    finally:
        services.notify_on_commit = saved


def seed(stdout: Any) -> None:
    city = City.objects.filter(slug=CITY_SLUG).first()
    official = User.objects.filter(email=OFFICIAL_EMAIL).first()
    if city is None or official is None:
        stdout.write("  no Riverbend official: demo review skipped")
        return
    proposals = {
        p.title: p
        for p in Proposal.objects.filter(
            city=city, title__in=[spec["title"] for spec in REVIEWS]
        ).select_related("city", "lead_organisation")
    }
    written = 0
    with _muted():
        for spec in REVIEWS:
            proposal = proposals.get(spec["title"])
            if proposal is None or proposal.status not in REVIEWABLE:
                continue
            try:
                with transaction.atomic():
                    written += _review(proposal, official, spec)
            except (ValidationError, PermissionDenied) as exc:
                # The demo data drifted (say the official joined the consortium):
                # say so and go on with the rest of the demo.
                stdout.write(
                    f"  demo review of “{proposal.title[:40]}…” skipped: {exc}"
                )
    stdout.write(
        f"  demo review: {official.public_name} reviews {len(REVIEWS)} proposals "
        f"({written} rows written)"
    )


def _review(proposal: Proposal, official: User, spec: dict[str, Any]) -> int:
    written = 0
    assignment = ReviewAssignment.objects.filter(
        proposal=proposal, reviewer=official
    ).first()
    if assignment is None:
        assignment = services.review_assign(
            actor=official, proposal=proposal, reviewer=official
        )
        written += 1
    if spec["recommendation"] and (
        assignment.recommendation != spec["recommendation"]
        or assignment.recommendation_reason != spec["reason"]
    ):
        services.review_recommend(
            actor=official,
            proposal=proposal,
            recommendation=spec["recommendation"],
            reason=spec["reason"],
        )
        written += 1
    existing = set(proposal.internal_notes.values_list("body", flat=True))
    for body in spec["notes"]:
        if body not in existing:
            services.internal_note_create(actor=official, proposal=proposal, body=body)
            written += 1
    return written
