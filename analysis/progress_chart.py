"""A round's progress over time: cumulative counts by day and an accessible SVG line chart.

Pure functions over dates and counts (no Flask, no SQL). Like `analysis.charts`, the
chart is a string the caller marks safe and shows with its data table; each line has its
own colour, dash pattern and an end label, so colour is never the only cue.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from xml.sax.saxutils import escape

from analysis.charts import FONT, TEXT_COLOUR, _id, _open, text_width

HEIGHT = 300
PLOT_WIDTH = 520
LEFT, TOP, BOTTOM = 48, 48, 40
GRID_COLOUR = "#b1b4b6"
MAX_POINTS = 120
# (colour, dash pattern, stroke width) for the first, second and third line.
LINE_STYLES = (("#505a5f", "8 5", 3), ("#1d70b8", "", 4), ("#00703c", "2 4", 3))


def chart_days(start: date, end: date) -> list[date]:
    """Return the days to plot from start to end: daily, or weekly over long spans."""
    if end < start:
        end = start
    span = (end - start).days
    step = 1 if span <= MAX_POINTS else math.ceil(span / MAX_POINTS)
    days = [start + timedelta(days=n) for n in range(0, span + 1, step)]
    return days if days[-1] == end else [*days, end]


def cumulative(days: Sequence[date], events: Iterable[date]) -> list[int]:
    """Count the events on or before each day (events before the first day count from it)."""
    ordered = sorted(events)
    counts, seen = [], 0
    for day in days:
        while seen < len(ordered) and ordered[seen] <= day:
            seen += 1
        counts.append(seen)
    return counts


def changed_rows(
    days: Sequence[date], series: Sequence[tuple[str, Sequence[int]]]
) -> list[tuple[date, list[int]]]:
    """Return (day, counts) for the days on which any count changed, and the last day."""
    rows: list[tuple[date, list[int]]] = []
    for i, day in enumerate(days):
        counts = [values[i] for _name, values in series]
        if not rows or counts != rows[-1][1] or i == len(days) - 1:
            rows.append((day, counts))
    return rows


def short_date(day: date) -> str:
    """Format a date for an axis label, like 5 Jan 2027."""
    return f"{day.day} {day.strftime('%b %Y')}"


def _nice_top(value: int) -> int:
    if value <= 4:
        return 4
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = math.ceil(value / (step * magnitude)) * step * magnitude
        if top >= value:
            return int(top)
    return value


def line_chart(
    title: str, days: Sequence[date], series: Sequence[tuple[str, Sequence[int]]]
) -> str:
    """Render cumulative counts over time as an accessible SVG line chart (up to 3 lines)."""
    if not days or any(len(values) != len(days) for _name, values in series):
        raise ValueError("every series needs one value per day")
    if len(series) > len(LINE_STYLES):
        raise ValueError(f"at most {len(LINE_STYLES)} lines")
    end_room = 12 + math.ceil(max(text_width(str(v[-1])) for _n, v in series))
    width = LEFT + PLOT_WIDTH + end_room
    plot_height = HEIGHT - TOP - BOTTOM
    top = _nice_top(max(max(values) for _name, values in series))
    chart_id = _id(title, tuple(days), tuple((n, tuple(v)) for n, v in series))
    desc = "; ".join(f"{name}: {values[-1]} by {short_date(days[-1])}" for name, values in series)
    out = _open(title, width, HEIGHT, chart_id, desc)

    def x_of(i: int) -> float:
        return LEFT + (PLOT_WIDTH * i / (len(days) - 1) if len(days) > 1 else PLOT_WIDTH / 2)

    def y_of(value: int) -> float:
        return TOP + plot_height - plot_height * value / top

    out += _legend(series)
    for tick in (0, top // 2, top):
        y = y_of(tick)
        out.append(
            f'<line x1="{LEFT}" x2="{LEFT + PLOT_WIDTH}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 5:.1f}" text-anchor="end" fill="{TEXT_COLOUR}" '
            f"{FONT}>{tick}</text>"
        )
    for i, anchor in _date_ticks(len(days)):
        out.append(
            f'<text x="{x_of(i):.1f}" y="{HEIGHT - 12}" text-anchor="{anchor}" '
            f'fill="{TEXT_COLOUR}" {FONT}>{escape(short_date(days[i]))}</text>'
        )
    for (name, values), (colour, dash, stroke) in zip(series, LINE_STYLES, strict=False):
        points = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in enumerate(values))
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" '
            f'stroke-width="{stroke}"{dashes}><title>{escape(name)}</title></polyline>'
        )
        out.append(
            f'<text x="{x_of(len(days) - 1) + 6:.1f}" y="{y_of(values[-1]) + 5:.1f}" '
            f'fill="{TEXT_COLOUR}" {FONT}>{values[-1]}</text>'
        )
    return "\n".join([*out, "</svg>"])


def _legend(series: Sequence[tuple[str, Sequence[int]]]) -> list[str]:
    out, x = [], LEFT
    for (name, _values), (colour, dash, stroke) in zip(series, LINE_STYLES, strict=False):
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{x}" x2="{x + 28}" y1="18" y2="18" stroke="{colour}" '
            f'stroke-width="{stroke}"{dashes}/>'
        )
        out.append(f'<text x="{x + 34}" y="23" fill="{TEXT_COLOUR}" {FONT}>{escape(name)}</text>')
        x += 34 + math.ceil(text_width(name)) + 24
    return out


def _date_ticks(count: int) -> list[tuple[int, str]]:
    if count == 1:
        return [(0, "middle")]
    ticks = [(0, "start"), (count - 1, "end")]
    return [*ticks, (count // 2, "middle")] if count >= 5 else ticks
