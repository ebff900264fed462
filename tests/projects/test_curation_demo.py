"""Demo review: the Riverbend official reviews a few demo proposals; idempotent."""

from __future__ import annotations

from io import StringIO

import pytest

from projects.demo_curation import OFFICIAL_EMAIL, REVIEWS, seed
from projects.models import InternalNote, ProposalStatus, ReviewAssignment
from stakeholders.models import AuditEvent, Notification
from tests.factories import CityFactory, make_coordinator
from tests.projects.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def _snapshot() -> list[object]:
    return [
        sorted(
            ReviewAssignment.objects.values_list(
                "proposal_id",
                "reviewer_id",
                "recommendation",
                "recommendation_reason",
                "recommended_at",
                "conflicts",
            )
        ),
        sorted(InternalNote.objects.values_list("proposal_id", "body", "created_at")),
        AuditEvent.objects.count(),
    ]


def test_seed_twice_changes_nothing_the_second_time() -> None:
    city = CityFactory(slug="riverbend", name="Riverbend")
    official = make_coordinator(city, email=OFFICIAL_EMAIL)
    for spec in REVIEWS:
        ProposalFactory(
            city=city, title=spec["title"], status=ProposalStatus.UNDER_REVIEW
        )
    ProposalFactory(city=city, title="Not reviewed in the demo")
    out = StringIO()
    seed(out)
    first = _snapshot()
    assert ReviewAssignment.objects.filter(reviewer=official).count() == len(REVIEWS)
    assert ReviewAssignment.objects.exclude(recommendation="").count() == 2
    assert InternalNote.objects.count() == sum(len(s["notes"]) for s in REVIEWS)
    assert not Notification.objects.exists()
    seed(StringIO())
    assert _snapshot() == first
    assert "demo review" in out.getvalue()


def test_decided_proposals_are_left_alone_and_no_city_skips() -> None:
    out = StringIO()
    seed(out)
    assert "skipped" in out.getvalue()
    city = CityFactory(slug="riverbend", name="Riverbend")
    make_coordinator(city, email=OFFICIAL_EMAIL)
    ProposalFactory(
        city=city, title=REVIEWS[0]["title"], status=ProposalStatus.ACCEPTED
    )
    seed(StringIO())
    assert not ReviewAssignment.objects.exists()


def test_a_drifted_proposal_is_skipped_whole_and_the_rest_seeded() -> None:
    from tests.projects.curation_factories import join

    city = CityFactory(slug="riverbend", name="Riverbend")
    official = make_coordinator(city, email=OFFICIAL_EMAIL)
    first = ProposalFactory(city=city, title=REVIEWS[0]["title"])
    join(official, first.lead_organisation)
    ProposalFactory(city=city, title=REVIEWS[1]["title"])
    out = StringIO()
    seed(out)
    assert "skipped" in out.getvalue()
    assert not ReviewAssignment.objects.filter(proposal=first).exists()
    assert not InternalNote.objects.filter(proposal=first).exists()
    assert ReviewAssignment.objects.count() == 1
