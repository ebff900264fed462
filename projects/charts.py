"""Charts drawn on the server as SVG with pygal, for the dashboard and the demand
signals pages.

Every chart is a :class:`Chart`: the SVG (shown as a ``data:`` image, so the page's
Content-Security-Policy needs no inline style or script and nothing is fetched from
elsewhere), a one-sentence text alternative, and the numbers behind it as a table
(shown under the chart in a ``<details>`` element by ``partials/_chart.html``), so a
screen-reader user or anyone who prefers to read gets the same facts.

Builders take plain data (labels and numbers), never querysets: the selectors count,
this module draws.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pygal
from pygal.style import Style

# Colours chosen to stay apart for the common colour-vision deficiencies (the
# Okabe–Ito palette) and dark enough on white for text-free marks.
PALETTE = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#6B6B00",
    "#000000",
)

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1f2933",
    foreground_strong="#111111",
    foreground_subtle="#52606d",
    opacity=".9",
    opacity_hover="1",
    colors=PALETTE,
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    title_font_size=16,
    value_font_size=12,
    value_label_font_size=12,
    no_data_font_size=20,
    guide_stroke_color="#9aa5b1",
    major_guide_stroke_color="#9aa5b1",
)


@dataclass
class Chart:
    """A drawn chart with its text alternative and its numbers."""

    svg: str
    alt: str
    headers: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)

    @property
    def data_uri(self) -> str:
        encoded = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
        return f"data:image/svg+xml;base64,{encoded}"


def _config(**options: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "style": STYLE,
        # No tooltip script from pygal's site: the page must fetch nothing from
        # elsewhere, and the numbers are in the table under the chart anyway.
        "js": [],
        "disable_xml_declaration": True,
        "width": 720,
        "height": 360,
        "margin": 12,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 3,
        "truncate_legend": 40,
        "truncate_label": 24,
        "print_values": False,
        "no_data_text": "",
    }
    base.update(options)
    return base


_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _render(chart: Any) -> str:
    # pygal always embeds its configuration for its tooltip script; an image runs
    # no script, and the page wants none: drop it, and the credit comments.
    svg = chart.render(is_unicode=True)
    return _COMMENT.sub("", _SCRIPT.sub("", svg))


def _table(
    labels: Sequence[str], series: Mapping[str, Sequence[float | None]], first: str
) -> tuple[list[str], list[list[Any]]]:
    headers = [first, *series.keys()]
    rows = [
        [label, *(values[i] if i < len(values) else None for values in series.values())]
        for i, label in enumerate(labels)
    ]
    return headers, rows


def bar_chart(
    *,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    alt: str,
    label_header: str,
    horizontal: bool = False,
    stacked: bool = False,
    height: int | None = None,
    value_formatter: Any = None,
) -> Chart:
    """Bars for categories; several series side by side, or stacked."""
    kind = {
        (False, False): pygal.Bar,
        (True, False): pygal.HorizontalBar,
        (False, True): pygal.StackedBar,
        (True, True): pygal.HorizontalStackedBar,
    }[(horizontal, stacked)]
    options: dict[str, Any] = {
        "show_legend": len(series) > 1,
        "x_label_rotation": 0 if horizontal or len(labels) <= 6 else 30,
    }
    if height:
        options["height"] = height
    if value_formatter:
        options["value_formatter"] = value_formatter
    chart = kind(**_config(**options))
    chart.x_labels = list(labels)
    for name, values in series.items():
        chart.add(name, list(values))
    headers, rows = _table(labels, series, label_header)
    return Chart(svg=_render(chart), alt=alt, headers=headers, rows=rows)


def funnel_chart(
    *, labels: Sequence[str], values: Sequence[int], alt: str, label_header: str
) -> Chart:
    """A pipeline: one horizontal bar per stage, in order, widest first."""
    chart = pygal.HorizontalBar(
        **_config(show_legend=False, height=max(200, 44 * len(labels) + 60))
    )
    # pygal draws the first label at the bottom; reverse so stage one is on top.
    chart.x_labels = list(reversed(labels))
    chart.add(label_header, list(reversed(values)))
    return Chart(
        svg=_render(chart),
        alt=alt,
        headers=[label_header, ""],
        rows=[[label, value] for label, value in zip(labels, values, strict=True)],
    )


def line_chart(
    *,
    x_labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    alt: str,
    label_header: str,
    width: int = 720,
    height: int = 320,
    show_legend: bool | None = None,
    markers: Sequence[int] = (),
    marker_label: str = "",
    major_every: int = 0,
    dots: bool = True,
) -> Chart:
    """Series over time. ``markers`` are x positions to highlight (e.g. where a
    signal starts); they are drawn as a separate dotted series so they show
    without colour alone."""
    options: dict[str, Any] = {
        "width": width,
        "height": height,
        "show_legend": (len(series) > 1 or bool(markers))
        if show_legend is None
        else show_legend,
        "show_dots": dots,
        "dots_size": 2.5,
        "x_label_rotation": 30 if len(x_labels) > 8 else 0,
        # Rotated month labels and a bottom legend collide: legend on top then.
        "legend_at_bottom": len(x_labels) <= 8,
        "show_minor_x_labels": not major_every,
        "allow_interruptions": True,
    }
    chart = pygal.Line(**_config(**options))
    chart.x_labels = list(x_labels)
    if major_every:
        chart.x_labels_major = list(x_labels)[::major_every]
    for name, values in series.items():
        chart.add(name, list(values))
    if markers:
        first = next(iter(series.values()), [])
        marked: list[float | None] = [None] * len(x_labels)
        for index in markers:
            if 0 <= index < len(first):
                marked[index] = first[index]
        chart.add(marker_label, marked, stroke=False, dots_size=7)
    headers, rows = _table(x_labels, series, label_header)
    return Chart(svg=_render(chart), alt=alt, headers=headers, rows=rows)


def marked_line_chart(
    *,
    x_labels: Sequence[str],
    name: str,
    values: Sequence[float | None],
    alt: str,
    label_header: str,
    markers: Sequence[int] = (),
    marker_label: str = "",
    width: int = 420,
    height: int = 230,
) -> Chart:
    """One series with ``markers`` (x positions) as large dots and no legend (the
    page says what the dots mean); few axis labels, so it reads small, as in small
    multiples."""
    chart = pygal.Line(
        **_config(
            width=width,
            height=height,
            show_legend=False,
            show_dots=True,
            dots_size=2,
            x_label_rotation=0,
            show_minor_x_labels=False,
            min_scale=3,
            max_scale=5,
            allow_interruptions=True,
            margin=8,
        )
    )
    chart.x_labels = list(x_labels)
    chart.x_labels_major = list(x_labels)[:: max(1, len(x_labels) // 3)]
    chart.add(name, list(values))
    if markers:
        marked: list[float | None] = [None] * len(x_labels)
        for index in markers:
            if 0 <= index < len(values):
                marked[index] = values[index]
        chart.add(marker_label, marked, stroke=False, dots_size=7)
    headers, rows = _table(x_labels, {name: values}, label_header)
    return Chart(svg=_render(chart), alt=alt, headers=headers, rows=rows)


def pie_chart(
    *,
    labels: Sequence[str],
    values: Sequence[float],
    alt: str,
    label_header: str,
    value_header: str = "",
    donut: bool = True,
) -> Chart:
    chart = pygal.Pie(**_config(inner_radius=0.45 if donut else 0, height=320))
    for label, value in zip(labels, values, strict=True):
        chart.add(label, value)
    return Chart(
        svg=_render(chart),
        alt=alt,
        headers=[label_header, value_header],
        rows=[[label, value] for label, value in zip(labels, values, strict=True)],
    )


def matrix_chart(
    *,
    labels: Sequence[str],
    matrix: Sequence[Sequence[int]],
    alt: str,
    label_header: str,
) -> Chart:
    """A square matrix (e.g. which pairs of sectors are combined) as a dot chart:
    one row per label, a dot per column sized by the count."""
    size = len(labels)
    chart = pygal.Dot(
        **_config(
            show_legend=False,
            height=max(260, 30 * size + 120),
            width=max(520, 46 * size + 200),
            x_label_rotation=45,
        )
    )
    chart.x_labels = list(labels)
    for label, row in zip(labels, matrix, strict=True):
        chart.add(label, [value or None for value in row])
    return Chart(
        svg=_render(chart),
        alt=alt,
        headers=[label_header, *labels],
        rows=[[label, *row] for label, row in zip(labels, matrix, strict=True)],
    )


def _whole_ticks(top: float) -> list[int]:
    """At most about seven whole-number ticks from 0 to at least ``top`` (1, 2, 5,
    10, 20, 50… apart), so counts never get an axis of fractions."""
    step = 1
    while top / step > 6:
        for factor in (2, 5, 10):
            if top / (step * factor) <= 6 or factor == 10:
                step *= factor
                break
    ticks = list(range(0, int(top) + step, step))
    return ticks if len(ticks) > 1 else [0, 1]


def ranked_bars(
    *,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    alt: str,
    label_header: str,
    counts: bool = False,
    value_formatter: Any = None,
) -> Chart:
    """Horizontal bars read from the top: the first label is drawn on top (pygal
    draws it at the bottom), and the table lists the rows in the order given.
    ``counts``: whole-number ticks on the value axis."""
    options: dict[str, Any] = {
        "show_legend": len(series) > 1,
        "height": max(200, 38 * len(labels) + (110 if len(series) > 1 else 70)),
    }
    if counts:
        top = max((v or 0 for values in series.values() for v in values), default=0)
        options["y_labels"] = _whole_ticks(float(top))
    if value_formatter:
        options["value_formatter"] = value_formatter
    chart = pygal.HorizontalBar(**_config(**options))
    chart.x_labels = list(reversed(labels))
    for name, values in series.items():
        chart.add(name, list(reversed(list(values))))
    headers, rows = _table(labels, series, label_header)
    return Chart(svg=_render(chart), alt=alt, headers=headers, rows=rows)
