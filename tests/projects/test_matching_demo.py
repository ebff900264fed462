"""Demo priorities: idempotent, in the city's own words, every proposal scored."""

from __future__ import annotations

from io import StringIO

import pytest

from projects.demo_matching import PRIORITIES, seed_priorities
from projects.models import JobState, Match, Priority, RematchJob
from tests.factories import CityFactory
from tests.projects.matching_factories import energy_proposal, mobility_proposal

pytestmark = pytest.mark.django_db


def test_seed_priorities_twice_converges_and_scores_everything() -> None:
    city = CityFactory(slug="riverbend", name="Riverbend")
    heat = energy_proposal(city)
    bikes = mobility_proposal(city)
    seed_priorities(StringIO())
    first = sorted(Match.objects.values_list("proposal_id", "priority_id", "score"))
    seed_priorities(StringIO())
    assert Priority.objects.filter(city=city).count() == len(PRIORITIES)
    assert (
        sorted(Match.objects.values_list("proposal_id", "priority_id", "score"))
        == first
    )
    assert set(RematchJob.objects.values_list("state", flat=True)) == {JobState.DONE}
    best = {
        p.pk: Match.objects.filter(proposal=p).order_by("-score").first().priority.title
        for p in (heat, bikes)
    }
    assert best[bikes.pk] == "Move people differently"
    assert best[heat.pk] in {"Cut emissions", "Use much less energy and water"}
    assert all(m.reasons for m in Match.objects.all())


def test_without_riverbend_nothing_happens() -> None:
    out = StringIO()
    seed_priorities(out)
    assert "skipped" in out.getvalue() and not Priority.objects.exists()
