"""CSV summary shape and placement; SVG chart accessibility and escaping."""

from __future__ import annotations

import pytest

from analysis.charts import bar_chart, stacked_bar_chart
from analysis.csv_summary import BadCsv, csv_summary_to_markdown, summarise_rows

ROWS = [
    {"text": "The deadline was far too short."},
    {"text": "Deadline too short for small charities."},
    {"text": "The officers were really helpful."},
    {"text": "Helpful officers, thank you."},
    {"text": "We are a primary school."},
]


def test_summarise_shape_and_placement_by_content() -> None:
    d = summarise_rows(ROWS)
    assert list(d) == ["went_well", "to_improve", "other"]
    theme = d["to_improve"][0]
    assert list(theme) == ["theme", "count", "ids", "quotes", "sentiment"]
    assert theme["ids"] == ["1", "2"] and theme["count"] == 2
    assert theme["sentiment"] == {"positive": 0, "neutral": 0, "negative": 2}
    assert d["went_well"][0]["ids"] == ["3", "4"]
    assert d["other"][0]["ids"] == ["5"]


def test_kind_column_wins_over_content_and_ids_are_used() -> None:
    rows = [{"id": "x1", "text": "The officers were really helpful.", "kind": "other"}]
    d = summarise_rows(rows)
    assert d["other"][0]["ids"] == ["x1"] and not d["went_well"]


def test_bad_csv_names_the_problem() -> None:
    with pytest.raises(BadCsv, match="text"):
        summarise_rows([{"answer": "hello"}])
    with pytest.raises(BadCsv, match="Row 2.*'praise'"):
        summarise_rows([{"text": "a", "kind": "improve"}, {"text": "b", "kind": "praise"}])


def test_csv_markdown_escapes() -> None:
    md = csv_summary_to_markdown(summarise_rows([{"text": "<b>Great</b> officers"}] * 2))
    assert "<b>" not in md and "&lt;b&gt;" in md


def test_bar_chart_is_accessible_and_escaped() -> None:
    svg = bar_chart(
        "<script>alert(1)</script>", ["<script>x</script>", "B & C"], [3, 1.5], unit="%"
    )
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg and "B &amp; C" in svg
    assert 'role="img"' in svg and "aria-labelledby=" in svg and "viewBox=" in svg
    assert "<title id=" in svg and "1.5%" in svg


def test_bar_chart_rejects_mismatched_lengths() -> None:
    with pytest.raises(ValueError):
        bar_chart("t", ["a"], [1, 2])


def test_stacked_chart_has_patterns_and_counts() -> None:
    svg = stacked_bar_chart(
        "Sentiment by sector",
        [
            ("School", {"positive": 5, "neutral": 2, "negative": 3}),
            ("<i>VCS</i>", {"positive": 1, "negative": 4}),
        ],
    )
    assert "<i>" not in svg and "&lt;i&gt;VCS" in svg
    assert "url(#" in svg and "Positive" in svg and "Negative" in svg
    assert "School: Negative 3" in svg
