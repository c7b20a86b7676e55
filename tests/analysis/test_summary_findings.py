"""Key findings: lessons from and followed up in a round, named changes and signed numbers."""

from __future__ import annotations

import re

from analysis.summary import build_summary
from analysis.summary_markdown import summary_to_markdown
from analysis.summary_model import (
    FreeTextAnswer,
    Lesson,
    LessonAction,
    MethodologyCounts,
    RatingAnswer,
    RoundInfo,
)
from analysis.summary_text import points_change, rate_change_line, signed
from analysis.themes import KnownTheme

POINTS = ("Poor", "Fair", "Good")
ISSUES = (
    ("deadline", "Longer deadline", "The deadline was far too short"),
    ("panel", "CVS on the panel", "No CVS representation on the scoring panel"),
    ("briefing", "A briefing session", "We wanted a briefing session before applying"),
    ("forms", "Shorter forms", "The application form was far too long"),
    ("parking", "Parking at the venue", "There was nowhere to park at the venue"),
)
CODEBOOK = tuple(KnownTheme(key, label, "improve", (text,)) for key, label, text in ISSUES)


def _method(responded: int) -> MethodologyCounts:
    return MethodologyCounts(
        invited_by_sector={"School": 10},
        invited_by_channel={},
        responded_by_sector={"School": responded},
        responded_by_channel={"web": responded},
        completed=responded,
    )


def _rating(counts: dict[str, int]) -> RatingAnswer:
    return RatingAnswer("q1", "How clear was the guidance?", POINTS, counts)


def _phase(slug: str, issues, responded: int, rating: dict[str, int], **kw):
    answers = [
        FreeTextAnswer(f"{slug}-{i}-{j}", f"{text}.", "improve", "School", "web", None, f"r{j}")
        for i, (_, _, text) in enumerate(issues)
        for j in range(3)
    ]
    info = RoundInfo(slug, slug.replace("-", " ").capitalize())
    return build_summary(
        info, _method(responded), answers, [_rating(rating)], codebook=CODEBOOK, **kw
    )


def _finding(summary, key: str) -> str:
    return next(f.text for f in summary.key_findings.findings if f.key == key)


def test_what_changed_names_as_many_resolved_themes_as_it_counts_or_says_how_many_more():
    before = _phase("phase-2", ISSUES, 9, {"Good": 6, "Fair": 3})
    now = _phase("phase-3", (), 6, {"Poor": 3, "Fair": 3}, previous=before)

    resolved = now.comparison.resolved
    assert len(resolved) == len(ISSUES)
    text = _finding(now, "changes")
    named = text.split("Resolved: ", 1)[1].split(".", 1)[0]
    shown = [label for _, label, _ in ISSUES if label in named]
    assert f"{len(resolved)} resolved" in text
    assert len(shown) == 3 and named.endswith(f"(and {len(resolved) - len(shown)} more)")
    # Fewer than the limit: all named, nothing "more".
    two = _phase("phase-3", ISSUES[2:], 9, {"Good": 9}, previous=_phase("p", ISSUES, 9, {}))
    assert "more)" not in _finding(two, "changes")
    assert _finding(two, "changes").count(";") >= 1


def test_falls_are_written_with_a_minus_sign_and_json_keeps_numbers():
    before = _phase("phase-2", ISSUES, 9, {"Good": 6, "Fair": 3})
    now = _phase("phase-3", ISSUES, 6, {"Poor": 3, "Fair": 3}, previous=before)
    c = now.comparison
    assert c.response_rate_change == -0.3 and c.rating_shifts["q1"] < 0
    markdown = summary_to_markdown(now)
    for text in (_finding(now, "changes"), markdown, rate_change_line(c)):
        assert "\N{MINUS SIGN}30 percentage points" in text
        assert not re.search(r"-\d+(\.\d+)? percentage points", text)
    assert "Mean rating changed by \N{MINUS SIGN}1.17" in markdown
    assert not re.search(r"changed by -\d", markdown)
    assert signed(0.25, 2) == "+0.25" and signed(-0.004) == "0" and signed(0.0, 2) == "0.00"
    assert points_change(-0.121) == "\N{MINUS SIGN}12 percentage points"


def _action(status: str, label: str) -> LessonAction:
    return LessonAction("Run a briefing", status, label)


def test_key_findings_count_lessons_recorded_from_the_round_and_followed_up_in_it():
    recorded = [
        Lesson("Longer deadline", "Too short", (_action("done", "Done"),), followed_up_in="P3"),
        Lesson("CVS on the panel", "No CVS", (_action("planned", "Planned"),), status="closed"),
    ]
    carried = [
        Lesson("Briefing", "None held", (_action("in_progress", "In progress"),), {"Yes": 4}),
        Lesson("Parking", "Nowhere to park", asked=False),  # closed before this round
    ]

    s = _phase("phase-2", ISSUES, 9, {}, lessons=carried, recorded_lessons=recorded)

    keys = [f.key for f in s.key_findings.findings]
    assert keys[-2:] == ["lessons", "lessons_recorded"]
    assert _finding(s, "lessons_recorded") == (
        "2 lessons recorded from this round (1 closed, 1 open), followed up in P3; "
        "actions: 1 done, 1 planned."
    )
    followed = _finding(s, "lessons")
    assert followed.startswith(
        "2 lessons from earlier rounds carried into this round, 1 of them asked about in it; "
    )
    assert "actions: 1 in progress" in followed and "Has this improved? Yes 4" in followed
    titles = [f.title for f in s.key_findings.findings]
    assert "Lessons from this round" in titles and "Lessons followed up" in titles
    markdown = summary_to_markdown(s)
    assert "**Lessons from this round:** 2 lessons recorded from this round" in markdown
    # Recorded lessons are findings only: "You said, we did" lists those followed up.
    assert [lesson.theme_label for lesson in s.lessons] == ["Briefing", "Parking"]
    assert [lesson.asked for lesson in s.lessons] == [True, False]
    one = _phase("phase-2", ISSUES, 9, {}, lessons=carried[:1])
    assert ", asked about in it; actions: 1 in progress." in _finding(one, "lessons")
    none = _phase("phase-2", ISSUES, 9, {}, recorded_lessons=[Lesson("Parking", "None")])
    assert _finding(none, "lessons_recorded").endswith("(1 open); no actions yet.")
