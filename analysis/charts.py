"""Accessible server-rendered SVG charts (no scripts, no external fonts, scalable viewBox).

Callers mark the returned string safe and show a data table beside each chart.
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

WIDTH = 640
BAR_HEIGHT = 28
GAP = 12
FONT_SIZE = 16
LINE_HEIGHT = 18
FONT = f'font-family="Arial, Helvetica, sans-serif" font-size="{FONT_SIZE}"'
TEXT_COLOUR = "#0b0c0c"
BAR_COLOUR = "#1d70b8"
CSS_CLASS = "app-chart"
# Labels wider than this wrap onto a second line; longer than MAX_LABEL characters they are
# shortened with an ellipsis and the full label goes in a <title>. Nothing is clipped: the
# label column is as wide as its widest line and the chart widens if the bars need room.
WRAP_WIDTH = 250
MAX_LABEL = 60
MIN_LABEL_COLUMN = 60
MIN_SPAN = 240
LEGEND_ITEM = 130
# Colour, pattern and a text label per segment, so colour is never the only cue.
SEGMENTS = (
    ("positive", "Positive", "#00703c", "solid"),
    ("neutral", "Neutral", "#505a5f", "dots"),
    ("negative", "Negative", "#d4351c", "stripes"),
)
# Advance widths of Helvetica/Arial (thousandths of an em) for printable ASCII, from the
# Adobe font metrics; the charts name Arial first, so these approximate what is drawn.
_ASCII_WIDTHS = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 "
    "556 556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 "
    "556 833 722 778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 "
    "556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 "
    "500 500 500 334 260 334 584"
)
_WIDTHS = {chr(32 + i): int(w) for i, w in enumerate(_ASCII_WIDTHS.split())}
_SAFETY = 1.05  # a little room for fallback fonts


def text_width(text: str, size: int = FONT_SIZE) -> float:
    """Estimate the drawn width of text in pixels (deterministic, no font files needed)."""
    total = 0
    for ch in text:
        if ch in _WIDTHS:
            total += _WIDTHS[ch]
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            total += 1000
        elif unicodedata.category(ch).startswith("M"):
            continue  # combining marks take no room of their own
        else:
            total += 667
    return total * size / 1000 * _SAFETY


def shorten(label: str, limit: int = MAX_LABEL) -> str:
    """Shorten a label to at most limit characters, ending with an ellipsis, at a word end."""
    label = " ".join(label.split())
    if len(label) <= limit:
        return label
    cut = label[: limit - 1]
    if " " in cut and label[limit - 1] != " ":
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "\u2026"


def label_lines(label: str) -> tuple[str, ...]:
    """Split a (shortened) label into one line, or two when it is wider than WRAP_WIDTH."""
    text = shorten(label)
    words = text.split()
    if text_width(text) <= WRAP_WIDTH or len(words) < 2:
        return (text,)
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    return min(splits, key=lambda lines: (max(text_width(line) for line in lines), lines))


def _label_column(labels: Sequence[str]) -> int:
    widest = max((text_width(line) for lab in labels for line in label_lines(lab)), default=0)
    return max(MIN_LABEL_COLUMN, math.ceil(widest) + 12)


def _label(label: str, x: int, mid: float) -> str:
    """Draw a right-aligned label centred on a bar, on one or two lines, never clipped."""
    lines = label_lines(label)
    full = " ".join(label.split())
    title = f"<title>{escape(full)}</title>" if " ".join(lines) != full else ""
    if len(lines) == 1:
        body = escape(lines[0])
        return (
            f'<text x="{x}" y="{mid + 5:g}" text-anchor="end" fill="{TEXT_COLOUR}" {FONT}>'
            f"{title}{body}</text>"
        )
    top = mid + 5 - LINE_HEIGHT / 2
    spans = f'<tspan x="{x}" y="{top:g}">{escape(lines[0])}</tspan>'
    spans += f'<tspan x="{x}" y="{top + LINE_HEIGHT:g}">{escape(lines[1])}</tspan>'
    return f'<text text-anchor="end" fill="{TEXT_COLOUR}" {FONT}>{title}{spans}</text>'


def _id(title: str, *parts: object) -> str:
    digest = hashlib.sha1(repr((title, parts)).encode(), usedforsecurity=False).hexdigest()
    return f"chart-{digest[:10]}"


def _fmt(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def _open(title: str, width: int, height: int, chart_id: str, desc: str) -> list[str]:
    # No style attribute: the strict CSP refuses inline styles. The page's stylesheet scales
    # the chart down to fit (.app-chart { max-width: 100%; height: auto; }).
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" class="{CSS_CLASS}" '
        f'preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
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
    column = _label_column(labels)
    value_room = math.ceil(max((text_width(_fmt(v) + unit) for v in values), default=0)) + 12
    width = max(WIDTH, column + MIN_SPAN + value_room)
    span = width - column - value_room
    desc = "; ".join(f"{lab}: {_fmt(v)}{unit}" for lab, v in zip(labels, values, strict=True))
    out = _open(title, width, height, chart_id, desc)
    for row, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = GAP + row * (BAR_HEIGHT + GAP)
        bar = max(0.0, float(value)) / top * span
        mid = y + BAR_HEIGHT / 2
        out += [
            _label(label, column - 8, mid),
            f'<rect x="{column}" y="{y}" width="{bar:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{BAR_COLOUR}"/>',
            f'<text x="{column + bar + 6:.1f}" y="{mid + 5:g}" fill="{TEXT_COLOUR}" '
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
    column = _label_column([name for name, _counts in rows])
    width = max(WIDTH, column + len(SEGMENTS) * LEGEND_ITEM)
    span = width - column - 20
    desc = "; ".join(
        f"{name}: " + ", ".join(f"{text} {counts.get(key, 0)}" for key, text, _c, _p in SEGMENTS)
        for name, counts in rows
    )
    out = _open(title, width, height, chart_id, desc) + _patterns(chart_id)
    for i, (_key, text, colour, pattern) in enumerate(SEGMENTS):
        x = column + i * LEGEND_ITEM
        out += [
            f'<rect x="{x}" y="8" width="18" height="18" fill="{_fill(chart_id, colour, pattern)}"'
            f' stroke="{TEXT_COLOUR}"/>',
            f'<text x="{x + 24}" y="23" fill="{TEXT_COLOUR}" {FONT}>{escape(text)}</text>',
        ]
    for row, (name, counts) in enumerate(rows):
        y = legend_h + GAP + row * (BAR_HEIGHT + GAP)
        out += _stacked_row(chart_id, y, name, counts, column, span)
    return "\n".join([*out, "</svg>"])


def _stacked_row(
    chart_id: str, y: int, name: str, counts: Mapping[str, int], column: int, span: int
) -> list[str]:
    total = sum(max(0, counts.get(key, 0)) for key, *_ in SEGMENTS) or 1
    out = [_label(name, column - 8, y + BAR_HEIGHT / 2)]
    x = float(column)
    for key, text, colour, pattern in SEGMENTS:
        n = max(0, counts.get(key, 0))
        width = n / total * span
        if n:
            fill = _fill(chart_id, colour, pattern)
            out += _segment(x, y, width, fill, f"{name}: {text} {n}", n)
        x += width
    return out


# Colours for a diverging scale (GOV.UK palette): reds from the worst point inwards, a
# neutral grey, greens out to the best point; short scales use the strongest colours.
_NEGATIVE = ("#942514", "#d4351c", "#f499be")
_POSITIVE = ("#cce2d8", "#85994b", "#00703c")
NEUTRAL_COLOUR = "#b1b4b6"
DIVERGING_SPAN = 480  # room for both halves, so a short bar still shows its count


def scale_colours(points: int) -> tuple[str, ...]:
    """Return a colour per point of a scale, worst first: reds, grey in the middle, greens."""
    half = points // 2
    middle = (NEUTRAL_COLOUR,) if points % 2 else ()
    return _NEGATIVE[:half] + middle + _POSITIVE[-half:] if half else middle


def diverging_bar_chart(
    title: str, points: Sequence[str], rows: Sequence[tuple[str, Mapping[str, int]]]
) -> str:
    """Render answers on one scale as diverging stacked bars: worse left, better right.

    Each row is drawn as shares of its own answers, scaled so the longest side fills its
    half; the middle point straddles the centre line, every segment carries its count in a
    <title>, and the legend names each point.
    """
    chart_id = _id(title, tuple(points), tuple((r, tuple(sorted(c.items()))) for r, c in rows))
    colours = scale_colours(len(points))
    half = len(points) // 2
    legend_rows = math.ceil(sum(text_width(p) + 40 for p in points) / (WIDTH - 20))
    legend_h = 12 + legend_rows * 26
    height = legend_h + GAP + len(rows) * (BAR_HEIGHT + GAP)
    column = _label_column([name for name, _counts in rows])
    width = max(WIDTH, column + DIVERGING_SPAN + 20)
    span = width - column - 20
    centre = column + span / 2
    desc = "; ".join(
        f"{name}: " + ", ".join(f"{p} {counts.get(p, 0)}" for p in points) for name, counts in rows
    )
    out = _open(title, width, height, chart_id, desc)
    x, y = 10.0, 8
    for point, colour in zip(points, colours, strict=True):
        item = text_width(point) + 40
        if x + item > width - 10:
            x, y = 10.0, y + 26
        out += [
            f'<rect x="{x:.1f}" y="{y}" width="18" height="18" fill="{colour}" '
            f'stroke="{TEXT_COLOUR}"/>',
            f'<text x="{x + 24:.1f}" y="{y + 15}" fill="{TEXT_COLOUR}" {FONT}>'
            f"{escape(point)}</text>",
        ]
        x += item
    shares = [_shares(points, counts) for _name, counts in rows]
    middle = len(points) % 2
    reach = (
        max(
            (max(sum(sh[:half]), sum(sh[half + middle :])) + (sh[half] / 2 if middle else 0))
            for sh in shares
        )
        if shares
        else 1.0
    )
    scale = span / 2 / (reach or 1.0)
    for row, (name, counts) in enumerate(rows):
        top = legend_h + GAP + row * (BAR_HEIGHT + GAP)
        widths = [share * scale for share in shares[row]]
        left = centre - sum(widths[:half]) - (widths[half] / 2 if len(points) % 2 else 0)
        out.append(_label(name, column - 8, top + BAR_HEIGHT / 2))
        for point, colour, w in zip(points, colours, widths, strict=True):
            n = max(0, counts.get(point, 0))
            if n:
                out += _segment(left, top, w, colour, f"{name}: {point} {n}", n)
            left += w
    out.append(
        f'<line x1="{centre:.1f}" y1="{legend_h + GAP / 2}" x2="{centre:.1f}" y2="{height - 2}" '
        f'stroke="{TEXT_COLOUR}" stroke-width="2"/>'
    )
    return "\n".join([*out, "</svg>"])


def _shares(points: Sequence[str], counts: Mapping[str, int]) -> list[float]:
    """Return each point's share of a row's answers (all zero when nobody answered)."""
    total = sum(max(0, counts.get(p, 0)) for p in points) or 1
    return [max(0, counts.get(p, 0)) / total for p in points]


def _segment(x: float, y: int, width: float, colour: str, title: str, n: int) -> list[str]:
    out = [
        f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{colour}" '
        f'stroke="#ffffff"><title>{escape(title)}</title></rect>'
    ]
    if width >= text_width(str(n)) + 8:
        out.append(
            f'<text x="{x + width / 2:.1f}" y="{y + BAR_HEIGHT / 2 + 5}" text-anchor="middle"'
            f' fill="{TEXT_COLOUR}" {FONT} paint-order="stroke" stroke="#ffffff" '
            f'stroke-width="4">{n}</text>'
        )
    return out
