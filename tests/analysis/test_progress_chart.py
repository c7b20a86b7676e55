"""The progress chart: cumulative counts by day, the changed-day table and the SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from analysis.progress_chart import changed_rows, chart_days, cumulative, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_days_are_daily_then_weekly_over_long_spans_and_always_end_on_the_last_day():
    start = date(2027, 1, 1)
    assert chart_days(start, start + timedelta(days=3)) == [
        start + timedelta(days=n) for n in range(4)
    ]
    long = chart_days(start, start + timedelta(days=400))
    assert len(long) <= 122 and long[0] == start and long[-1] == start + timedelta(days=400)
    assert chart_days(start, start - timedelta(days=5)) == [start]


def test_cumulative_counts_include_earlier_events():
    days = [date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)]
    events = [date(2026, 12, 30), date(2027, 1, 2), date(2027, 1, 2), date(2027, 1, 9)]
    assert cumulative(days, events) == [1, 3, 3]


def test_the_table_lists_days_on_which_a_count_changed_and_the_last_day():
    days = [date(2027, 1, d) for d in range(1, 6)]
    rows = changed_rows(days, [("Invited", [2, 2, 5, 5, 5]), ("Answered", [0, 1, 1, 1, 1])])
    assert [day.day for day, _ in rows] == [1, 2, 3, 5]
    assert rows[-1][1] == [5, 1]


def test_the_chart_is_accessible_svg_with_escaped_names_and_one_line_per_series():
    days = [date(2027, 1, d) for d in range(1, 8)]
    svg = line_chart(
        "Providers <script>", days, [("Invited", [3] * 7), ("Answered", [0, 0, 1, 1, 2, 2, 3])]
    )
    root = ET.fromstring(svg)  # noqa: S314 - our own chart output, not untrusted input
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Providers <script>"
    assert "Invited: 3 by 7 Jan 2027; Answered: 3 by 7 Jan 2027" in root.find(f"{SVG}desc").text
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == 2
    assert lines[0].get("stroke-dasharray") and not lines[1].get("stroke-dasharray")
    assert "style=" not in svg  # the Content Security Policy refuses inline styles


def test_the_chart_refuses_mismatched_series():
    with pytest.raises(ValueError):
        line_chart("x", [date(2027, 1, 1)], [("Invited", [1, 2])])
