"""The dashboard's numbers against a city counted by hand (``dashboard_factories``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from projects import selectors_dashboard as sd
from tests.projects.dashboard_factories import EXPECTED, riverbend_world

pytestmark = pytest.mark.django_db

SPRING = sd.DateRange(dt.date(2026, 3, 1), dt.date(2026, 5, 31))


@pytest.fixture
def world() -> dict:
    return riverbend_world()


def test_pipeline_counts_each_status_and_leaves_drafts_and_other_cities_out(
    world: dict,
) -> None:
    rows = sd.pipeline(world["city"])
    assert {r["status"]: r["count"] for r in rows} == EXPECTED["pipeline"]
    assert [r["status"] for r in rows] == list(sd.PIPELINE)


def test_proposals_per_sector_counts_each_proposal_once_per_sector(world: dict) -> None:
    counts = {r["sector"]: r["count"] for r in sd.proposals_per_sector(world["city"])}
    assert {k: v for k, v in counts.items() if v} == EXPECTED["sectors"]
    assert counts["food"] == 0


def test_sector_pairs_are_counted_once_per_proposal(world: dict) -> None:
    pairs = sd.sector_pairs(world["city"])
    assert {(p["a"], p["b"]): p["count"] for p in pairs} == EXPECTED["pairs"]
    assert pairs[0]["count"] == 2
    matrix = sd.sector_matrix(pairs, ["energy", "water", "mobility", "housing"])
    assert matrix == [[0, 1, 1, 2], [1, 0, 0, 0], [1, 0, 0, 2], [2, 0, 2, 0]]


def test_priority_coverage_counts_good_matches_of_active_priorities(
    world: dict,
) -> None:
    rows = sd.priority_coverage(world["city"])
    assert {r["title"]: r["count"] for r in rows} == EXPECTED["coverage"]
    # Most weighted first; the ended priority is not listed.
    assert [r["weight"] for r in rows] == [5, 3]


def test_priority_coverage_threshold_is_inclusive(world: dict) -> None:
    rows = sd.priority_coverage(world["city"], threshold=0.6)
    assert rows[0]["count"] == 2


def test_activity_by_month_counts_supports_and_live_comments(world: dict) -> None:
    data = sd.activity(world["city"], SPRING, unit="month")
    assert data["unit"] == "month"
    by_start = {p["start"].isoformat(): p for p in data["periods"]}
    assert list(by_start) == ["2026-03-01", "2026-04-01", "2026-05-01"]
    assert {k: v["supports"] for k, v in by_start.items() if v["supports"]} == (
        EXPECTED["supports"]
    )
    assert {k: v["comments"] for k, v in by_start.items() if v["comments"]} == (
        EXPECTED["comments"]
    )


def test_activity_by_week_lists_every_week_of_the_range(world: dict) -> None:
    period = sd.DateRange(dt.date(2026, 3, 9), dt.date(2026, 3, 29))
    data = sd.activity(world["city"], period)
    assert data["unit"] == "week"
    assert [p["start"] for p in data["periods"]] == [
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 16),
        dt.date(2026, 3, 23),
    ]
    assert [p["supports"] for p in data["periods"]] == [1, 0, 1]
    assert [p["comments"] for p in data["periods"]] == [1, 0, 0]


def test_projects_by_delivery_and_financing_leave_cancelled_projects_out(
    world: dict,
) -> None:
    delivery = sd.projects_by_delivery(world["city"])
    assert {r["delivery_model"]: r["count"] for r in delivery} == EXPECTED["delivery"]
    mix = sd.financing_mix(world["city"])
    assert {r["kind"]: r["amount"] for r in mix} == EXPECTED["financing"]
    assert mix[0]["kind"] == "green_bond"
    assert {r["kind"]: r["sources"] for r in mix} == {"city_budget": 2, "green_bond": 1}


def test_impact_promised_vs_delivered(world: dict) -> None:
    rows = {
        (r["indicator"], r["unit"]): r
        for r in sd.impact_promised_delivered(world["city"])
    }
    co2 = rows[("co2_avoided", "t_co2_per_year")]
    assert co2["projects"] == 2
    assert co2["expected"] == Decimal("150")
    assert co2["measured_projects"] == 1
    assert co2["expected_of_measured"] == Decimal("100")
    assert co2["measured"] == Decimal("80")
    jobs = rows[("jobs_created", "jobs")]
    assert (jobs["expected"], jobs["measured_projects"], jobs["measured"]) == (
        Decimal("10"),
        0,
        Decimal("0"),
    )


def test_headline_numbers(world: dict) -> None:
    numbers = sd.headline(world["city"])
    assert numbers["proposals"] == 6
    assert numbers["open_proposals"] == 3
    assert numbers["projects"] == 3
    assert numbers["active_projects"] == 2
    assert numbers["completed_projects"] == 0
    # The stored counters: five resident supports, two live comments on proposals.
    assert numbers["resident_supports"] == 5
    assert numbers["comments"] == 2


def test_date_range_narrows_proposals_by_submission_day(world: dict) -> None:
    march = sd.DateRange(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    counts = {r["status"]: r["count"] for r in sd.pipeline(world["city"], march)}
    assert counts["submitted"] == 1
    assert counts["under_review"] == 1
    assert sum(counts.values()) == 2
    # The range's last day counts whole.
    one_day = sd.DateRange(dt.date(2026, 3, 20), dt.date(2026, 3, 20))
    assert sum(r["count"] for r in sd.pipeline(world["city"], one_day)) == 1
    assert sd.priority_coverage(world["city"], march)[0]["count"] == 2
    assert sd.projects_by_delivery(world["city"], march) == []
