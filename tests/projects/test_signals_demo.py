"""The demo series: six districts and the whole city, the three real shifts found,
no false alarm, linked to the demo priorities; running it again changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest

from projects import demo_indicators
from projects.models import Indicator, Observation, Signal
from stakeholders.demo import DISTRICTS
from tests.factories import CityFactory, DistrictFactory
from tests.projects.matching_factories import PriorityFactory

pytestmark = pytest.mark.django_db


def test_demo_series_carry_the_three_real_shifts_and_are_idempotent() -> None:
    city = CityFactory(slug="riverbend", name="Riverbend")
    for name in DISTRICTS:
        DistrictFactory(city=city, name=name)
    moving = PriorityFactory(city=city, title="Move people differently")
    out = StringIO()
    demo_indicators.seed(out)
    assert Indicator.objects.filter(city=city).count() == 9 * 7
    assert Observation.objects.count() == 9 * 7 * demo_indicators.MONTHS
    found = {
        (
            s.indicator.district.name if s.indicator.district_id else "",
            s.indicator.kind,
        ): s.direction
        for s in Signal.objects.select_related("indicator", "indicator__district")
    }
    assert found[("North", "commute_minutes")] == "up"
    assert found[("Harbour", "energy_mwh")] == "down"
    assert found[("University", "mode_share_bike")] == "up"
    # Nothing else but the echo of a district's shift in the whole city's mean.
    assert set(found) <= {
        ("North", "commute_minutes"),
        ("Harbour", "energy_mwh"),
        ("University", "mode_share_bike"),
        ("", "commute_minutes"),
        ("", "energy_mwh"),
        ("", "mode_share_bike"),
    }
    commute = Indicator.objects.get(district__name="North", kind="commute_minutes")
    assert list(commute.priorities.all()) == [moving]
    before = (
        list(Signal.objects.values()),
        list(Observation.objects.values("pk", "value", "updated_at")),
    )
    again = StringIO()
    demo_indicators.seed(again)
    assert "0 new observations; 0 new demand signals" in again.getvalue()
    after = (
        list(Signal.objects.values()),
        list(Observation.objects.values("pk", "value", "updated_at")),
    )
    assert after == before
