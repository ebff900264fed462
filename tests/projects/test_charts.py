"""The chart builders draw self-contained SVG with its numbers and a text alternative."""

from __future__ import annotations

import base64

from django.template.loader import render_to_string

from projects import charts


def _svg(chart: charts.Chart) -> str:
    return base64.b64decode(chart.data_uri.split(",", 1)[1]).decode()


def test_bar_chart_is_self_contained_svg_with_its_numbers() -> None:
    chart = charts.bar_chart(
        labels=["Energy", "Housing"],
        series={"Proposals": [3, 5]},
        alt="Five housing proposals, three energy.",
        label_header="Sector",
    )
    svg = _svg(chart)
    assert svg.startswith("<svg")
    # Nothing fetched from elsewhere: no script, no remote stylesheet or font.
    assert "<script" not in svg
    assert "//" not in svg.replace("http://www.w3.org", "")
    assert "Housing" in svg
    assert chart.rows == [["Energy", 3], ["Housing", 5]]


def test_line_chart_markers_are_drawn_as_their_own_series() -> None:
    chart = charts.line_chart(
        x_labels=["2026-01", "2026-02", "2026-03"],
        series={"North": [30.0, 31.0, 36.0]},
        alt="Commute rises in March.",
        label_header="Month",
        markers=[2],
        marker_label="Shift",
    )
    assert "Shift" in _svg(chart)
    assert chart.headers == ["Month", "North"]


def test_matrix_chart_keeps_the_full_table() -> None:
    chart = charts.matrix_chart(
        labels=["Energy", "Housing"],
        matrix=[[0, 4], [4, 0]],
        alt="Energy and housing are combined four times.",
        label_header="Sector",
    )
    assert chart.rows == [["Energy", 0, 4], ["Housing", 4, 0]]


def test_chart_partial_shows_alt_text_and_data_table() -> None:
    chart = charts.funnel_chart(
        labels=["Submitted", "Shortlisted"],
        values=[10, 2],
        alt="Ten submitted, two shortlisted.",
        label_header="Status",
    )
    html = render_to_string(
        "partials/_chart.html", {"chart": chart, "caption": "Pipeline"}
    )
    assert 'alt="Ten submitted, two shortlisted."' in html
    assert '<th scope="row">Submitted</th>' in html
    assert "data:image/svg+xml;base64," in html
