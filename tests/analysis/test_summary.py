"""Lessons-learned summary: redaction, suppression, comparison and rendering."""

from __future__ import annotations

import json

from analysis.summary import (
    FreeTextAnswer,
    Lesson,
    MethodologyCounts,
    RatingAnswer,
    RoundInfo,
    build_summary,
    escape_markdown,
    summary_to_dict,
    summary_to_markdown,
)
from analysis.themes import KnownTheme

METHOD = MethodologyCounts(
    invited_by_sector={"School": 10, "Voluntary": 8, "Private": 2},
    invited_by_channel={"web": 18, "telephone": 2},
    responded_by_sector={"School": 5, "Voluntary": 4, "Private": 1},
    responded_by_channel={"web": 8, "telephone": 2},
    completed=10,
    telephone=2,
)
TIMEFRAME = KnownTheme(
    "timeframe",
    "Longer timeframe",
    "improve",
    ("The deadline was far too short", "longer timeframe to complete the form"),
)
PANEL = KnownTheme(
    "panel", "CVS on the scoring panel", "improve", ("No CVS representation on the scoring panel",)
)


def _answer(i: int, text: str, kind: str, sector: str) -> FreeTextAnswer:
    return FreeTextAnswer(f"a{i}", text, kind, sector, "web", None, f"r{i}")


def _answers(timeframe: int = 3) -> list[FreeTextAnswer]:
    rows = [
        (
            "Officers were helpful, thanks to Sarah Patel (sarah@example.org).",
            "went_well",
            "School",
        ),
        ("Officers were really helpful, call Mrs Jones on 07700 900123.", "went_well", "School"),
        ("The officers answered every question quickly.", "went_well", "Voluntary"),
        ("No CVS representation on the scoring panel.", "improve", "Voluntary"),
        ("The scoring panel had no CVS representation.", "improve", "Voluntary"),
        ("Give the CVS a seat on the scoring panel.", "improve", "Private"),
    ]
    rows += [("The deadline was far too short.", "improve", "School")] * timeframe
    return [_answer(i, t, k, s) for i, (t, k, s) in enumerate(rows)]


def _build(**kw):
    kw.setdefault("codebook", (TIMEFRAME, PANEL))
    answers = kw.pop("answers", _answers())
    return build_summary(
        RoundInfo("phase-3", "Phase 3"), METHOD, answers, names=["Sarah Patel"], **kw
    )


def test_quotes_are_redacted() -> None:
    text = json.dumps(summary_to_dict(_build()))
    for secret in ("Sarah", "Patel", "sarah@example.org", "07700", "Jones"):
        assert secret not in text
    assert "[redacted]" in text


def test_small_sectors_are_suppressed() -> None:
    s = _build()
    by_sector = {row.sector: row for row in s.sentiment_by_sector}
    assert by_sector["Private"].suppressed and by_sector["Private"].counts is None
    assert not by_sector["School"].suppressed
    assert sum(by_sector["School"].counts.values()) == 5
    assert s.methodology.response_rate_by_sector["Private"] is None
    assert s.methodology.response_rate_by_sector["School"] == 0.5
    assert s.methodology.response_rate == 0.5


def test_ratings_mean_and_sector_suppression() -> None:
    rating = RatingAnswer(
        "q1",
        "How clear was the guidance?",
        ("Poor", "Fair", "Good"),
        {"Poor": 1, "Good": 3},
        {"School": {"Good": 3}, "Private": {"Poor": 1}},
    )
    r = _build(ratings=[rating]).ratings[0]
    assert r.mean == (1 * 1 + 3 * 3) / 4
    assert r.counts == {"Poor": 1, "Fair": 0, "Good": 3}
    assert r.by_sector["Private"] is None and r.by_sector["School"]["Good"] == 3


def test_comparison_recurring_resolved_and_new() -> None:
    rating = RatingAnswer("q1", "Q", ("Poor", "Good"), {"Poor": 3, "Good": 1})
    previous = _build(ratings=[rating])
    previous_keys = {t.key for t in previous.to_improve}
    assert {"timeframe", "panel"} <= previous_keys
    later_answers = [a for a in _answers(timeframe=0)]
    later_answers.append(_answer(50, "The car park at county hall was full.", "improve", "School"))
    later_answers.append(_answer(51, "No parking near county hall car park.", "improve", "School"))
    better = RatingAnswer("q1", "Q", ("Poor", "Good"), {"Poor": 1, "Good": 3})
    now = _build(answers=later_answers, ratings=[better], previous=previous)
    c = now.comparison
    assert [t.key for t in c.resolved] == ["timeframe"]
    assert "panel" in [t.key for t in c.recurring]
    assert any("park" in t.label.lower() or "county" in t.label.lower() for t in c.new)
    assert c.rating_shifts["q1"] == 0.5  # mean 1.25 -> 1.75
    assert c.response_rate_change == 0.0


def test_dict_is_json_ready_and_stable() -> None:
    first = summary_to_dict(_build())
    assert json.dumps(first) == json.dumps(summary_to_dict(_build()))
    assert list(first)[:4] == ["round", "methodology", "went_well", "to_improve"]


def test_markdown_has_sections_and_escapes_text() -> None:
    answers = _answers() + [
        _answer(90, "<script>alert(1)</script> # heading & *bold*", "improve", "School"),
        _answer(91, "<script>alert(2)</script> & more", "improve", "School"),
    ]
    lesson = Lesson(
        "Longer timeframe",
        "You said six weeks was too short",
        ("Twelve-week window",),
        {"Yes": 4, "No": 1},
    )
    previous = _build()
    md = summary_to_markdown(_build(answers=answers, previous=previous, lessons=[lesson]))
    for heading in (
        "## Methodology",
        "## What we did well",
        "## What we could improve",
        "## Ratings",
        "## Sentiment by sector",
        "## Compared with Phase 3",
        "## You said, we did",
    ):
        assert heading in md
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "Twelve-week window" in md


def test_escape_markdown_neutralises_markup() -> None:
    assert escape_markdown("# Title") == "\\# Title"
    assert escape_markdown("> quote") == "&gt; quote"  # an entity cannot open a blockquote
    assert escape_markdown("a <b>&</b> [link](x) *x*") == (
        "a &lt;b&gt;&amp;&lt;/b&gt; \\[link\\](x) \\*x\\*"
    )
    assert "\n" not in escape_markdown("two\nlines")
