"""CSV summary shape and placement; SVG chart accessibility and escaping."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from analysis.charts import bar_chart, stacked_bar_chart, text_width
from analysis.csv_summary import BadCsv, csv_summary_to_markdown, summarise_rows

ROWS = [
    {"text": "The deadline was far too short."},
    {"text": "Deadline too short for small charities."},
    {"text": "The officers were really helpful."},
    {"text": "Helpful officers, thank you."},
    {"text": "We are a primary school."},
]


def test_summarise_shape_and_placement_by_content() -> None:
    d = summarise_rows(ROWS).to_dict()
    assert list(d) == ["went_well", "improve", "other", "non_answers"]
    theme = d["improve"][0]
    # The same theme form as `debrief report`: the name is its "label".
    assert list(theme)[:5] == ["key", "label", "kind", "answer_ids", "count"]
    assert theme["answer_ids"] == ["1", "2"] and theme["count"] == 2
    assert theme["sentiment"] == {"positive": 0, "neutral": 0, "negative": 2}
    assert d["went_well"][0]["answer_ids"] == ["3", "4"]
    assert d["other"][0]["answer_ids"] == ["5"]


def test_kind_column_wins_over_content_and_ids_are_used() -> None:
    rows = [{"id": "x1", "text": "The officers were really helpful.", "kind": "other"}]
    d = summarise_rows(rows).to_dict()
    assert d["other"][0]["answer_ids"] == ["x1"] and not d["went_well"]


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


SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own chart output, not untrusted input


LONG_LABELS = [
    "Guidance on completing the application form",  # 44 characters: wider than 220px
    "Presentation slots at the district stage were far too short",  # exactly 60
    "More notice of the briefing sessions for small voluntary groups in rural areas",
    "Six weeks",
]


def _labels(svg: str) -> list[tuple[float, list[str], str | None]]:
    """Return (anchor x, drawn lines, <title> text) for each right-aligned label."""
    out = []
    for text in _parse(svg).iter(f"{SVG}text"):
        if text.get("text-anchor") != "end":
            continue
        spans = text.findall(f"{SVG}tspan")
        lines = [s.text or "" for s in spans] if spans else [text.text or text[-1].tail or ""]
        if not spans and text.find(f"{SVG}title") is not None:
            lines = [text.find(f"{SVG}title").tail or ""]
        x = float((spans[0] if spans else text).get("x"))
        title = text.find(f"{SVG}title")
        out.append((x, lines, None if title is None else title.text))
    return out


@pytest.mark.parametrize(
    "svg",
    [
        bar_chart("Answers per theme", LONG_LABELS, [12, 3, 1, 7]),
        stacked_bar_chart(
            "Sentiment", [(lab, {"positive": 3, "negative": 1}) for lab in LONG_LABELS]
        ),
    ],
)
def test_chart_sizes_itself_with_attributes_not_inline_style(svg: str) -> None:
    root = _parse(svg)
    assert "style" not in root.attrib and "style=" not in svg  # the CSP refuses inline styles
    assert root.get("class") == "app-chart"
    _x, _y, width, height = root.get("viewBox").split()
    assert (root.get("width"), root.get("height")) == (width, height)


@pytest.mark.parametrize("chart", ["bar", "stacked"])
def test_long_labels_wrap_or_widen_the_column_and_are_never_clipped(chart: str) -> None:
    if chart == "bar":
        svg = bar_chart("Answers per theme", LONG_LABELS, [12, 3, 1, 7])
    else:
        rows = [(lab, {"positive": 3, "neutral": 1, "negative": 2}) for lab in LONG_LABELS]
        svg = stacked_bar_chart("Sentiment by sector", rows)
    labels = _labels(svg)
    assert len(labels) == len(LONG_LABELS)
    width = float(_parse(svg).get("width"))
    for (x, lines, title), full in zip(labels, LONG_LABELS, strict=True):
        assert 1 <= len(lines) <= 2
        for line in lines:
            # Nothing left of x=0: even at 0.4 em a letter the line fits the column.
            assert len(line) * 16 * 0.4 <= x and text_width(line) <= x
        drawn = " ".join(lines)
        if len(full) <= 60:
            assert drawn == full and title is None
        else:
            assert drawn.endswith("\u2026") and len(drawn) <= 60 and title == full
            assert full.startswith(drawn[:-1])
    rects = [r for r in _parse(svg).iter(f"{SVG}rect") if r.get("x") is not None]
    assert max(float(r.get("x")) + float(r.get("width")) for r in rects) <= width


def test_short_labels_keep_one_line_and_the_value_fits() -> None:
    svg = bar_chart("Response rate by sector (%)", ["Health", "School"], [100, 50], unit="%")
    assert [lines for _x, lines, _t in _labels(svg)] == [["Health"], ["School"]]
    width = float(_parse(svg).get("width"))
    values = [t for t in _parse(svg).iter(f"{SVG}text") if t.text == "100%"]
    assert float(values[0].get("x")) + text_width("100%") <= width
    assert re.search(r'<rect x="(\d+)"', svg) and int(re.search(r'<rect x="(\d+)"', svg)[1]) < 220


def test_diverging_chart_is_accessible_escaped_and_centred() -> None:
    from analysis.charts import diverging_bar_chart, scale_colours

    points = ("Very poor", "Poor", "Adequate", "Good", "Very <good>")
    svg = diverging_bar_chart(
        "Ratings <all>",
        points,
        [("Was it <b>clear</b>?", {"Very poor": 1, "Good": 3}), ("Fair?", {"Adequate": 2})],
    )
    root = ET.fromstring(svg)  # noqa: S314 - our own chart output, not untrusted input
    assert root.get("role") == "img" and root.get("aria-labelledby")
    assert "<b>" not in svg and "Was it &lt;b&gt;clear&lt;/b&gt;?" in svg
    assert "Very &lt;good&gt;" in svg and "Ratings &lt;all&gt;" in svg
    desc = root.find("{http://www.w3.org/2000/svg}desc").text
    assert "Was it <b>clear</b>?: Very poor 1, Poor 0, Adequate 0, Good 3" in desc
    ns = "{http://www.w3.org/2000/svg}"
    segments = {
        r.find(f"{ns}title").text: r
        for r in root.iter(f"{ns}rect")
        if r.find(f"{ns}title") is not None
    }
    assert set(segments) == {
        "Was it <b>clear</b>?: Very poor 1",
        "Was it <b>clear</b>?: Good 3",
        "Fair?: Adequate 2",
    }
    line = root.find(f"{ns}line")
    centre = float(line.get("x1"))
    bad = segments["Was it <b>clear</b>?: Very poor 1"]
    good = segments["Was it <b>clear</b>?: Good 3"]
    assert float(bad.get("x")) + float(bad.get("width")) <= centre + 0.1  # worse: left
    assert float(good.get("x")) >= centre - 0.1  # better: right
    middle = segments["Fair?: Adequate 2"]  # the middle point straddles the centre
    assert abs(float(middle.get("x")) + float(middle.get("width")) / 2 - centre) < 0.2
    assert scale_colours(3)[1] == scale_colours(5)[2]  # the neutral point is grey
