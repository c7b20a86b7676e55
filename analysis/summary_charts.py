"""The report's charts, each with the data table shown beside it, built from the model.

The page and the downloadable HTML draw the SVG and fold the table into a details element;
the Word file uses the tables alone. Every label is escaped by `analysis.charts`.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.charts import bar_chart, diverging_bar_chart, stacked_bar_chart
from analysis.summary_model import SIDE_TITLES, RoundSummary
from analysis.summary_text import percent, rating_groups


@dataclass(frozen=True)
class Chart:
    """A server-rendered SVG chart and the data table that must go with it."""

    key: str
    title: str
    svg: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _response_rate(s: RoundSummary) -> Chart:
    m = s.methodology
    shown = [(sector, r) for sector, r in m.response_rate_by_sector.items() if r is not None]
    title = "Response rate by sector (%)"
    svg = ""
    if shown:
        labels, rates = [x for x, _ in shown], [round(r * 100) for _, r in shown]
        svg = bar_chart(title, labels, rates, unit="%")
    rows = tuple(
        (sector, str(n), percent(m.response_rate_by_sector.get(sector)).capitalize())
        for sector, n in m.invited_by_sector.items()
    )
    return Chart("response_rate", title, svg, ("Sector", "Contacted", "Response rate"), rows)


def _side(s: RoundSummary, side: str) -> Chart:
    themes = s.themes(side)
    title = f"{SIDE_TITLES[side]}: answers per theme"
    return Chart(
        side,
        title,
        bar_chart(title, [t.label for t in themes], [t.count for t in themes]),
        ("Theme", "Answers", "Share of all answers"),
        tuple((t.label, str(t.count), percent(t.share)) for t in themes),
    )


def _ratings(s: RoundSummary) -> list[Chart]:
    charts = []
    groups = rating_groups(s.ratings)
    for number, (points, ratings) in enumerate(groups, start=1):
        scale = f" from {points[0]} to {points[-1]}" if len(groups) > 1 else ""
        title = f"Ratings{scale}: answers to each question"
        rows = [(r.question_text, r.counts) for r in ratings]
        charts.append(
            Chart(
                f"ratings:{number}",
                title,
                diverging_bar_chart(title, points, rows),
                ("Question", *points, "Answers", "Mean"),
                tuple(
                    (
                        r.question_text,
                        *(str(r.counts.get(p, 0)) for p in points),
                        str(r.answers),
                        "-" if r.mean is None else f"{r.mean:.2f}",
                    )
                    for r in ratings
                ),
            )
        )
    return charts


def _improved(s: RoundSummary) -> Chart | None:
    """Chart "Has this improved?" per lesson; its options are listed best first."""
    shown = [lesson for lesson in s.lessons if lesson.improved]
    if not shown:
        return None
    points: list[str] = []
    for lesson in shown:
        points += [p for p in lesson.improved or {} if p not in points]
    points.reverse()  # worst first, as the diverging chart draws them
    title = "Has this improved? Answers for each lesson"
    rows = [(lesson.theme_label, lesson.improved or {}) for lesson in shown]
    return Chart(
        "improved",
        title,
        diverging_bar_chart(title, points, rows),
        ("Lesson", *points, "Answered"),
        tuple(
            (label, *(str(counts.get(p, 0)) for p in points), str(sum(counts.values())))
            for label, counts in rows
        ),
    )


def _sentiment(s: RoundSummary) -> Chart:
    title = "Sentiment of answers by sector"
    rows = [(x.sector, x.counts) for x in s.sentiment_by_sector if x.counts is not None]
    return Chart(
        "sentiment",
        title,
        stacked_bar_chart(title, rows) if rows else "",
        ("Sector", "Respondents", "Positive", "Neutral", "Negative"),
        tuple(
            (x.sector, str(x.respondents), "-", "-", "-")
            if x.counts is None
            else (
                x.sector,
                str(x.respondents),
                *(str(x.counts[label]) for label in ("positive", "neutral", "negative")),
            )
            for x in s.sentiment_by_sector
        ),
    )


def summary_charts(s: RoundSummary) -> dict[str, list[Chart]]:
    """Return the report's charts keyed by the section they belong to."""
    charts: dict[str, list[Chart]] = {
        "methodology": [_response_rate(s)] if s.methodology.invited_by_sector else [],
        "went_well": [_side(s, "went_well")] if s.went_well else [],
        "improve": [_side(s, "improve")] if s.improve else [],
        "ratings": _ratings(s),
        "sentiment": [_sentiment(s)] if s.sentiment_by_sector else [],
    }
    improved = _improved(s)
    charts["lessons"] = [improved] if improved else []
    return charts
