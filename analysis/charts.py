"""Accessible server-rendered SVG charts (no scripts, no external fonts, scalable viewBox).

Callers mark the returned string safe and show a data table beside each chart.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

WIDTH = 640
BAR_HEIGHT = 28
GAP = 12
LABEL_WIDTH = 220
FONT = 'font-family="Arial, Helvetica, sans-serif" font-size="16"'
TEXT_COLOUR = "#0b0c0c"
BAR_COLOUR = "#1d70b8"
# Colour, pattern and a text label per segment, so colour is never the only cue.
SEGMENTS = (
    ("positive", "Positive", "#00703c", "solid"),
    ("neutral", "Neutral", "#505a5f", "dots"),
    ("negative", "Negative", "#d4351c", "stripes"),
)


def _id(title: str, *parts: object) -> str:
    digest = hashlib.sha1(repr((title, parts)).encode(), usedforsecurity=False).hexdigest()
    return f"chart-{digest[:10]}"


def _fmt(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def _open(title: str, height: int, chart_id: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" style="max-width:{WIDTH}px">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float], *, unit: str = "") -> str:
    """Render a horizontal bar chart as an accessible SVG string."""
    if len(labels) != len(values):
        raise ValueError("labels and values must have the same length")
    chart_id = _id(title, tuple(labels), tuple(values))
    height = GAP + len(labels) * (BAR_HEIGHT + GAP)
    top = max([float(v) for v in values] + [0.0]) or 1.0
    span = WIDTH - LABEL_WIDTH - 90
    desc = "; ".join(f"{lab}: {_fmt(v)}{unit}" for lab, v in zip(labels, values, strict=True))
    out = _open(title, height, chart_id, desc)
    for row, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = GAP + row * (BAR_HEIGHT + GAP)
        width = max(0.0, float(value)) / top * span
        mid = y + BAR_HEIGHT / 2 + 5
        out += [
            f'<text x="{LABEL_WIDTH - 8}" y="{mid}" text-anchor="end" fill="{TEXT_COLOUR}" '
            f"{FONT}>{escape(label)}</text>",
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{BAR_COLOUR}"/>',
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{mid}" fill="{TEXT_COLOUR}" '
            f"{FONT}>{escape(_fmt(value) + unit)}</text>",
        ]
    return "\n".join([*out, "</svg>"])


def _patterns(chart_id: str) -> list[str]:
    return [
        "<defs>",
        f'<pattern id="{chart_id}-dots" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="#505a5f"/><circle cx="4" cy="4" r="1.6" fill="#fff"/>'
        "</pattern>",
        f'<pattern id="{chart_id}-stripes" width="8" height="8" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="8" height="8" fill="#d4351c"/>'
        f'<rect width="3" height="8" fill="#fff" fill-opacity="0.55"/></pattern>',
        "</defs>",
    ]


def _fill(chart_id: str, colour: str, pattern: str) -> str:
    return colour if pattern == "solid" else f"url(#{chart_id}-{pattern})"


def stacked_bar_chart(title: str, rows: Sequence[tuple[str, Mapping[str, int]]]) -> str:
    """Render sentiment by sector as stacked bars with patterns, legend and counts."""
    chart_id = _id(title, tuple((r, tuple(sorted(c.items()))) for r, c in rows))
    legend_h = 36
    height = legend_h + GAP + len(rows) * (BAR_HEIGHT + GAP)
    span = WIDTH - LABEL_WIDTH - 20
    desc = "; ".join(
        f"{name}: " + ", ".join(f"{text} {counts.get(key, 0)}" for key, text, _c, _p in SEGMENTS)
        for name, counts in rows
    )
    out = _open(title, height, chart_id, desc) + _patterns(chart_id)
    for i, (_key, text, colour, pattern) in enumerate(SEGMENTS):
        x = LABEL_WIDTH + i * 130
        out += [
            f'<rect x="{x}" y="8" width="18" height="18" fill="{_fill(chart_id, colour, pattern)}"'
            f' stroke="{TEXT_COLOUR}"/>',
            f'<text x="{x + 24}" y="23" fill="{TEXT_COLOUR}" {FONT}>{escape(text)}</text>',
        ]
    for row, (name, counts) in enumerate(rows):
        out += _stacked_row(chart_id, legend_h + GAP + row * (BAR_HEIGHT + GAP), name, counts, span)
    return "\n".join([*out, "</svg>"])


def _stacked_row(chart_id: str, y: int, name: str, counts: Mapping[str, int], span: int) -> list:
    total = sum(max(0, counts.get(key, 0)) for key, *_ in SEGMENTS) or 1
    out = [
        f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT / 2 + 5}" text-anchor="end" '
        f'fill="{TEXT_COLOUR}" {FONT}>{escape(name)}</text>'
    ]
    x = float(LABEL_WIDTH)
    for key, text, colour, pattern in SEGMENTS:
        n = max(0, counts.get(key, 0))
        width = n / total * span
        if not n:
            continue
        out.append(
            f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{_fill(chart_id, colour, pattern)}" stroke="#ffffff">'
            f"<title>{escape(f'{name}: {text} {n}')}</title></rect>"
        )
        if width >= 28:
            out.append(
                f'<text x="{x + width / 2:.1f}" y="{y + BAR_HEIGHT / 2 + 5}" text-anchor="middle"'
                f' fill="{TEXT_COLOUR}" {FONT} paint-order="stroke" stroke="#ffffff" '
                f'stroke-width="4">{n}</text>'
            )
        x += width
    return out
