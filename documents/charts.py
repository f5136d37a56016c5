"""Small progress charts as inline SVG: no dependency, no script, readable on a page and in a WeasyPrint PDF.

`progress_chart()` is a pure function: the values in, an <svg> string out. It draws the values observed at each
review (a solid line with a dot and the value at each review), the baseline (a grey line) and the target (a
dashed line), with the review dates as dd/mm under the axis and a legend. The chart is an image for assistive
technology (role="img", <title> and <desc> saying the same figures in words), and every label is escaped with
html.escape, so text typed by staff (the measure, the target) can never become markup.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

Number = Decimal | int | float

WIDTH = 560
HEIGHT = 210
LEFT, RIGHT, TOP, BOTTOM = 52, 20, 16, 64  # room for the value axis, the date axis and the legend
OBSERVED_COLOUR = "#1d70b8"
BASELINE_COLOUR = "#6f777b"
TARGET_COLOUR = "#00703c"
AXIS_COLOUR = "#b1b4b6"
GRID_COLOUR = "#e6e6e6"
TEXT_COLOUR = "#0b0c0c"


def number_label(value: Number) -> str:
    """2.50 -> '2.5', 5.00 -> '5', 0.333333 -> '0.33'."""
    decimal = value if isinstance(value, Decimal) else Decimal(f"{float(value):.2f}")
    text = f"{decimal.normalize():f}"
    return "0" if text in ("-0", "") else text


def _nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about `ticks` intervals over `span`."""
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def _scale(values: Sequence[float]) -> tuple[float, float, float]:
    """The value axis: (lowest, highest, step), from 0 (or below, for negative values) to a round number."""
    low = min(0.0, *values)
    high = max(values)
    if high <= low:
        high = low + 1
    step = _nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def progress_chart(
    *,
    title: str,
    points: Sequence[tuple[date, Number]],
    baseline: Number | None = None,
    target: Number | None = None,
    target_label: str = "",
    chart_id: str = "chart",
) -> str:
    """An SVG line chart of `points` (the day of each review and the value observed) against the baseline and
    a dashed target line.

    `target_label` says the target in words (e.g. "at most 1"); `chart_id` makes the ids of <title> and <desc>
    unique when a page has several charts. Points are sorted by day; a chart with no point still shows the
    baseline and the target.
    """
    points = sorted(points, key=lambda point: point[0])
    observed = [float(value) for _, value in points]
    reference = [float(v) for v in (baseline, target) if v is not None]
    low, high, step = _scale(observed + reference or [0.0])
    x0, x1 = LEFT, WIDTH - RIGHT
    y0, y1 = TOP, HEIGHT - BOTTOM

    def y_of(value: float) -> float:
        return round(y1 - (value - low) / (high - low) * (y1 - y0), 1)

    days = [day for day, _ in points]
    first, last = (days[0], days[-1]) if days else (None, None)

    def x_of(day: date) -> float:
        if first is None or last is None or first == last:
            return round((x0 + x1) / 2, 1)
        pad = 28
        return round(x0 + pad + (day - first).days / (last - first).days * (x1 - x0 - 2 * pad), 1)

    ident = html.escape(chart_id, quote=True)
    words_target = f"Target: {target_label}" if target_label else "Target"
    description = _description(points, baseline=baseline, target=target, target_label=target_label)
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="DejaVu Sans, sans-serif" font-size="11" fill="{TEXT_COLOUR}">',
        f'<title id="{ident}-title">{html.escape(title)}</title>',
        f'<desc id="{ident}-desc">{html.escape(description)}</desc>',
    ]
    # The value axis: round numbers, with faint grid lines.
    tick = low
    while tick <= high + step / 1000:
        y = y_of(tick)
        parts.append(f'<line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="{GRID_COLOUR}" stroke-width="1"/>')
        parts.append(f'<text x="{x0 - 6}" y="{y + 4}" text-anchor="end">{html.escape(number_label(tick))}</text>')
        tick += step
    parts.append(f'<line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}" stroke="{AXIS_COLOUR}" stroke-width="1"/>')
    parts.append(f'<line x1="{x0}" y1="{y1}" x2="{x1}" y2="{y1}" stroke="{AXIS_COLOUR}" stroke-width="1"/>')
    if baseline is not None:
        y = y_of(float(baseline))
        parts.append(f'<line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="{BASELINE_COLOUR}" stroke-width="1.5"/>')
    if target is not None:
        y = y_of(float(target))
        parts.append(
            f'<line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="{TARGET_COLOUR}" stroke-width="2" '
            'stroke-dasharray="7 5"/>'
        )
    # The observed values: a line through a dot at each review, the value above the dot, the day below the axis.
    coords = [(x_of(day), y_of(float(value))) for day, value in points]
    if len(coords) > 1:
        line = " ".join(f"{x},{y}" for x, y in coords)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{OBSERVED_COLOUR}" stroke-width="2.5"/>')
    last_label_x = -1000.0
    for (day, value), (x, y) in zip(points, coords, strict=True):
        parts.append(f'<circle cx="{x}" cy="{y}" r="4" fill="{OBSERVED_COLOUR}"/>')
        parts.append(
            f'<text x="{x}" y="{y - 8}" text-anchor="middle" font-weight="bold">'
            f"{html.escape(number_label(value))}</text>"
        )
        if x - last_label_x >= 36:  # dates too close together would overprint each other
            parts.append(f'<text x="{x}" y="{y1 + 16}" text-anchor="middle">{day:%d/%m}</text>')
            last_label_x = x
    # The legend, under the dates.
    legend_y = HEIGHT - 14
    parts.append(
        f'<line x1="{x0}" y1="{legend_y - 4}" x2="{x0 + 22}" y2="{legend_y - 4}" stroke="{OBSERVED_COLOUR}" '
        'stroke-width="2.5"/>'
    )
    parts.append(f'<text x="{x0 + 28}" y="{legend_y}">At each review</text>')
    legend_x = x0 + 140
    if target is not None:
        parts.append(
            f'<line x1="{legend_x}" y1="{legend_y - 4}" x2="{legend_x + 22}" y2="{legend_y - 4}" '
            f'stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="7 5"/>'
        )
        parts.append(f'<text x="{legend_x + 28}" y="{legend_y}">{html.escape(words_target)}</text>')
        legend_x += 190
    if baseline is not None:
        parts.append(
            f'<line x1="{legend_x}" y1="{legend_y - 4}" x2="{legend_x + 22}" y2="{legend_y - 4}" '
            f'stroke="{BASELINE_COLOUR}" stroke-width="1.5"/>'
        )
        parts.append(f'<text x="{legend_x + 28}" y="{legend_y}">Baseline: {html.escape(number_label(baseline))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _description(
    points: Sequence[tuple[date, Number]], *, baseline: Number | None, target: Number | None, target_label: str
) -> str:
    sentences = []
    if baseline is not None:
        sentences.append(f"Baseline {number_label(baseline)}.")
    if target is not None:
        sentences.append(f"Target {target_label or number_label(target)}.")
    if points:
        seen = ", ".join(f"{number_label(value)} on {day:%d/%m/%Y}" for day, value in points)
        sentences.append(f"Seen at each review: {seen}.")
    else:
        sentences.append("Not measured at a review yet.")
    return " ".join(sentences)
