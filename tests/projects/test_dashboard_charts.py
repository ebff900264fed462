"""The ranked bars builder the dashboard draws most charts with."""

from __future__ import annotations

import base64

from projects import charts


def _svg(chart: charts.Chart) -> str:
    return base64.b64decode(chart.data_uri.split(",", 1)[1]).decode()


def test_ranked_bars_keep_the_given_order_in_the_table() -> None:
    chart = charts.ranked_bars(
        labels=["Energy", "Water", "Health"],
        series={"Proposals": [5, 3, 1]},
        alt="Energy leads with five proposals.",
        label_header="Sector",
        counts=True,
    )
    assert chart.rows == [["Energy", 5], ["Water", 3], ["Health", 1]]
    svg = _svg(chart)
    assert "<script" not in svg
    # pygal draws the first label at the bottom: the builder hands them reversed.
    assert svg.index("Health") < svg.index("Energy")


def test_count_axes_have_whole_ticks() -> None:
    assert charts._whole_ticks(1) == [0, 1]
    assert charts._whole_ticks(0) == [0, 1]
    assert charts._whole_ticks(13) == [0, 5, 10, 15]
    assert charts._whole_ticks(500000)[-1] == 500000
    assert all(isinstance(t, int) for t in charts._whole_ticks(120))
