"""Geometry of the server-side SVG charts (the timeline and the sidebar's year histogram).

Only numbers are computed here; the templates draw them as SVG attributes,
which the Content-Security-Policy allows where style= would not be.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Okabe–Ito colours (told apart with colour-blindness too), each with its own dash and marker.
PALETTE = (("#0072B2", "", "circle"), ("#D55E00", "6 3", "square"), ("#009E73", "2 3", "triangle"))
WIDTH, HEIGHT = 900, 210
NARROW_WIDTH, NARROW_HEIGHT = 360, 220
LEFT, RIGHT, TOP, BOTTOM = 46, 12, 14, 30


@dataclass
class Tick:
    pos: float
    label: str


@dataclass
class Point:
    x: float
    y: float
    year: int
    value: float


@dataclass
class Line:
    color: str
    dash: str
    marker: str
    paths: list[str]  # polyline point lists; a year without a value breaks the line
    points: list[Point]


@dataclass
class Column:
    """One year's clickable band across the whole plot."""

    year: int
    x: float
    width: float
    label: bool  # its year is written under the axis


@dataclass
class LineChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    y_ticks: list[Tick]
    columns: list[Column]
    lines: list[Line]


def nice_ticks(maximum: float, count: int = 4) -> list[float]:
    """0 and round steps (1, 2, 5 × 10^k) up to at least `maximum`."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if step < 1 and maximum >= 1 and float(maximum).is_integer():
        step = 1.0
    return [i * step for i in range(math.ceil(maximum / step - 1e-9) + 1)]


def _fmt(value: float) -> str:
    return f"{value:g}" if value >= 1 or value == 0 else f"{value:.2g}"


def line_chart(years: list[int], series: list[list[float | None]], width: int = WIDTH,
               height: int = HEIGHT) -> LineChart:
    """Lines over the years, one per series (values aligned with `years`; None: no value).

    A narrow chart (a phone) is drawn with its own width rather than scaled down, so its text stays legible.
    """
    values = [v for s in series for v in s if v is not None]
    ticks = nice_ticks(max(values, default=0.0))
    top_value = ticks[-1]
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    band = plot_w / max(len(years), 1)
    every = max(1, math.ceil(len(years) / (width // 60)))

    def y_of(v: float) -> float:
        return round(TOP + plot_h * (1 - v / top_value), 1)

    columns = [Column(y, round(LEFT + i * band, 1), round(band, 1), (len(years) - 1 - i) % every == 0)
               for i, y in enumerate(years)]  # labels counted from the last year, which is always written
    lines = []
    for n, values_of in enumerate(series):
        color, dash, marker = PALETTE[n % len(PALETTE)]
        points, paths, run = [], [], []
        for i, v in enumerate(values_of):
            if v is None:
                if run:
                    paths.append(" ".join(run))
                run = []
                continue
            point = Point(round(LEFT + (i + 0.5) * band, 1), y_of(v), years[i], v)
            points.append(point)
            run.append(f"{point.x},{point.y}")
        if run:
            paths.append(" ".join(run))
        lines.append(Line(color, dash, marker, paths, points))
    return LineChart(width, height, LEFT, width - RIGHT, TOP, height - BOTTOM,
                     [Tick(y_of(t), _fmt(t)) for t in ticks], columns, lines)


@dataclass
class HistogramBar:
    x: float
    y: float
    width: float
    height: float


def histogram(counts: list[int], width: int = 220, height: int = 56, gap: float = 1.0) -> list[HistogramBar]:
    """Vertical bars sized by count (a non-zero count is at least 2 units high, so it stays visible)."""
    top = max(counts, default=0) or 1
    band = width / max(len(counts), 1)
    bars = []
    for i, c in enumerate(counts):
        h = 0.0 if c == 0 else max(2.0, height * c / top)
        bars.append(HistogramBar(round(i * band + gap / 2, 2), round(height - h, 2), round(max(band - gap, 1.0), 2),
                                 round(h, 2)))
    return bars


def timeline_charts(years: list[int], series: list[list[float | None]]) -> dict[str, LineChart]:
    """The timeline drawn twice, wide and narrow: the stylesheet shows the one that fits the screen."""
    if not years:
        return {}
    return {"wide": line_chart(years, series), "narrow": line_chart(years, series, NARROW_WIDTH, NARROW_HEIGHT)}
