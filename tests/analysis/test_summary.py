"""Lessons-learned summary: redaction, suppression, comparison and rendering."""

from __future__ import annotations

import dataclasses
import json

from analysis.summary import build_summary
from analysis.summary_markdown import escape_markdown, summary_to_markdown
from analysis.summary_model import (
    FreeTextAnswer,
    Lesson,
    LessonAction,
    MethodologyCounts,
    RatingAnswer,
    RoundInfo,
    summary_to_dict,
)
from analysis.summary_text import rate_change_line, responded_line
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
    previous_keys = {t.key for t in previous.improve}
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
    assert list(first)[:5] == ["round", "key_findings", "methodology", "went_well", "improve"]


def test_markdown_has_sections_and_escapes_text() -> None:
    answers = _answers() + [
        _answer(90, "<script>alert(1)</script> # heading & *bold*", "improve", "School"),
        _answer(91, "<script>alert(2)</script> & more", "improve", "School"),
    ]
    lesson = Lesson(
        "Longer timeframe",
        "You said six weeks was too short",
        (LessonAction("Twelve-week window", "done", "Done"),),
        {"Yes": 4, "No": 1},
    )
    previous = _build()
    md = summary_to_markdown(_build(answers=answers, previous=previous, lessons=[lesson]))
    for heading in (
        "## Methodology",
        "## What went well",
        "## What could improve",
        "## Ratings",
        "## Sentiment by sector",
        "## Compared with Phase 3",
        "## You said, we did",
    ):
        assert heading in md
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "Twelve-week window" in md


def test_you_said_we_did_lists_every_action_with_status_and_escaped_evidence() -> None:
    lesson = Lesson(
        "Longer timeframe",
        "Six weeks was too short.",
        (
            LessonAction("Extend the <b>window</b>", "done", "Done", "Ran for *12* weeks"),
            LessonAction("Brief trustees", "in_progress", "In progress"),
        ),
        {"Yes": 4},
        what_we_did="Gave applicants 12 weeks.",
    )
    s = _build(lessons=[lesson])

    md = summary_to_markdown(s)
    data = summary_to_dict(s)

    assert "**We did:** Gave applicants 12 weeks." in md
    assert "- Extend the &lt;b&gt;window&lt;/b&gt; (Done). Evidence: Ran for \\*12\\* weeks" in md
    assert "- Brief trustees (In progress)\n" in md
    assert data["lessons"][0]["actions"] == [
        {
            "description": "Extend the <b>window</b>",
            "status": "done",
            "status_label": "Done",
            "evidence": "Ran for *12* weeks",
        },
        {
            "description": "Brief trustees",
            "status": "in_progress",
            "status_label": "In progress",
            "evidence": "",
        },
    ]


def test_you_said_we_did_suppresses_few_answers_and_quotes_redacted_comments() -> None:
    comments = (
        "Sarah Patel says it is better now.",
        "Twelve weeks suited our trustees.",
        "Twelve weeks suited our trustees.",
        "Longer, but over the summer.",
        "Never quoted: a fourth comment.",
    )
    few = Lesson("Panel", "No CVS on the panel.", improved={"Yes": 2}, respondents=2)
    many = Lesson("Timeframe", "Too short.", improved={"Yes": 3, "No": 1}, comments=comments)
    s = _build(lessons=[few, many])

    md = summary_to_markdown(s)
    data = summary_to_dict(s)

    panel, timeframe = data["lessons"]
    assert (panel["respondents"], panel["suppressed"], panel["improved"]) == (2, True, None)
    assert (timeframe["respondents"], timeframe["suppressed"]) == (4, False)
    assert timeframe["improved"] == {"Yes": 3, "No": 1}
    assert timeframe["quotes"] == [
        "[redacted] says it is better now.",
        "Twelve weeks suited our trustees.",
        "Longer, but over the summer.",
    ]
    panel_md, timeframe_md = md.split("### Panel", 1)[1].split("### Timeframe")
    assert "Has this improved? Not shown: fewer than 3 answers." in panel_md
    assert "Yes: 2" not in md
    assert "Has this improved? Yes: 3, No: 1 (4 answered)" in timeframe_md
    assert "> Longer, but over the summer." in timeframe_md
    assert "Sarah" not in md and "fourth" not in md
    assert _build(lessons=[few], k=2).lessons[0].improved == {"Yes": 2}


def test_escape_markdown_neutralises_markup() -> None:
    assert escape_markdown("# Title") == "\\# Title"
    assert escape_markdown("> quote") == "&gt; quote"  # an entity cannot open a blockquote
    assert escape_markdown("a <b>&</b> [link](x) *x*") == (
        "a &lt;b&gt;&amp;&lt;/b&gt; \\[link\\](x) \\*x\\*"
    )
    assert "\n" not in escape_markdown("two\nlines")


def test_escape_markdown_stops_a_numbered_list_without_showing_a_backslash() -> None:
    # Markdown escapes punctuation only: "\\2." would be shown as typed, backslash and all.
    assert escape_markdown("2. The form was long") == "2\\. The form was long"
    assert escape_markdown("3) Too short") == "3\\) Too short"
    assert escape_markdown("2026.12-11") == "2026.12-11"  # no list without a space after
    assert escape_markdown("12 weeks was fine") == "12 weeks was fine"


LEAD_AGENCY = KnownTheme("lead-agency", "Lead agency", "improve", ("lead agency role",))


def _side_round(kind: str, pins: dict[str, str], extra: int = 0) -> list[FreeTextAnswer]:
    """Three lead-agency answers on one side, plus leftovers pinned to the catch-all bucket."""
    texts = {
        "improve": "The lead agency role was never explained.",
        "went_well": "The briefing explained the lead agency role well.",
    }
    answers = [_answer(i, texts[kind], kind, "School") for i in range(3)]
    answers += [_answer(10 + i, f"Parking was hard {i}.", "improve", "School") for i in range(3)]
    answers += [
        _answer(20 + i, "The officers were helpful.", "went_well", "School") for i in range(extra)
    ]
    for a in answers[:3]:
        pins[a.id] = "lead-agency"
    for a in answers[3:6]:
        pins[a.id] = "improve-other-comments"
    return answers


def test_comparison_keeps_sides_apart_and_leaves_out_other_comments() -> None:
    pins_before: dict[str, str] = {}
    before = _build(
        answers=_side_round("improve", pins_before), codebook=(LEAD_AGENCY,), pinned=pins_before
    )
    assert {t.key for t in before.improve} == {"lead-agency", "improve-other-comments"}
    pins_now: dict[str, str] = {}
    now = _build(
        answers=_side_round("went_well", pins_now),
        codebook=(LEAD_AGENCY,),
        pinned=pins_now,
        previous=before,
    )
    assert [t.key for t in now.went_well] == ["lead-agency"]
    c = now.comparison

    # Praise for the lead agency now is not last round's complaint recurring: the complaint
    # is resolved and the praise is new, each on its own side.
    assert [(t.key, t.kind) for t in c.improve.resolved] == [("lead-agency", "improve")]
    assert [(t.key, t.kind, t.previous_count, t.count) for t in c.went_well.new] == [
        ("lead-agency", "went_well", 0, 3)
    ]
    assert c.recurring == () and c.went_well.resolved == ()
    # The "Other comments" leftovers are not a theme to compare.
    every = [t.key for side in c.sides for t in (*side.recurring, *side.resolved, *side.new)]
    assert "improve-other-comments" not in every

    md = summary_to_markdown(now)
    section = md.split("## Compared with", 1)[1]
    assert "Other comments" not in section
    well, improve = section.split("### What went well", 1)[1].split("### What could improve")
    assert "- New (not raised last round): Lead agency (0 → 3)" in well
    assert "Resolved" not in well
    assert "- Resolved (raised much less or not at all): Lead agency (3 → 0)" in improve
    assert "- Recurring (raised in both rounds): none" in improve
    data = summary_to_dict(now)["comparison"]
    assert list(data)[2:4] == ["went_well", "improve"]
    assert data["improve"]["resolved"][0]["kind"] == "improve"


def test_markdown_uses_channel_labels_and_rating_question_text() -> None:
    q = "How clear was the guidance?"
    previous = _build(ratings=[RatingAnswer("q1", q, ("Poor", "Good"), {"Poor": 3, "Good": 1})])
    now = _build(
        ratings=[RatingAnswer("q1", q, ("Poor", "Good"), {"Poor": 1, "Good": 3})],
        previous=previous,
    )
    md = summary_to_markdown(now)

    assert "- Completed questionnaires: 10 (Web 8, Telephone 2)" in md
    assert "| web |" not in md and "| telephone |" not in md and "Contacted | Response rate" in md
    assert now.comparison.rating_questions == {"q1": q}
    comparison = md.split("## Compared with", 1)[1]
    assert f"- {q} Mean rating changed by +0.50" in comparison
    assert "q1" not in comparison
    m = summary_to_dict(now)["methodology"]
    assert [(c["label"], c["completed"]) for c in m["completed_by_channel"]] == [
        ("Web", 8),
        ("Telephone", 2),
    ]


def test_non_answers_are_counted_never_quoted_nor_negative() -> None:
    empty = ["Nothing.", "N/A", "Nothing all good", "For me nothing."]
    answers = _answers() + [_answer(50 + i, t, "improve", "School") for i, t in enumerate(empty)]
    answers.append(_answer(60, "No further comments", "went_well", "School"))
    comments = ("Nothing else.", "Twelve weeks suited our trustees.")
    lesson = Lesson("Timeframe", "Too short.", improved={"Yes": 3}, comments=comments)

    s = _build(answers=answers, lessons=[lesson])

    assert dict(s.non_answers) == {"improve": 4, "went_well": 1}
    quoted = [q for t in (*s.went_well, *s.improve, *s.other) for q in t.quotes]
    assert not set(quoted) & {*empty, "No further comments"}
    assert not any(set(t.answer_ids) & {"a50", "a51", "a52", "a53"} for t in s.improve)
    assert s.lessons[0].quotes == ("Twelve weeks suited our trustees.",)
    md = summary_to_markdown(s)
    assert "4 said nothing needed improving." in md and "1 had nothing to add." in md
    assert "Nothing all good" not in md and "Nothing else." not in md

    def negatives(summary) -> int:
        return sum(r.counts["negative"] for r in summary.sentiment_by_sector if r.counts)

    assert negatives(s) == negatives(_build())  # the non-answers added no negative tag


def _method(invited: int, days: tuple[int, ...]) -> MethodologyCounts:
    return MethodologyCounts(
        invited_by_sector={"School": invited},
        invited_by_channel={},
        responded_by_sector={"School": len(days)},
        responded_by_channel={"web": len(days)},
        completed=len(days),
        response_days=days,
    )


def test_an_open_round_is_compared_with_the_previous_round_on_the_same_day() -> None:
    # Phase 2 (closed): 10 invited, 3 had answered by day 10, 9 by the end.
    before = build_summary(
        RoundInfo("phase-2", "Phase 2"), _method(10, (1, 4, 9, 12, 15, 20, 22, 25, 30)), []
    )
    assert before.methodology.response_rate == 0.9
    # Phase 3, open for 10 days: 4 of 10 so far.
    now = build_summary(
        RoundInfo("phase-3", "Phase 3", is_open=True, days_open=10),
        _method(10, (0, 2, 5, 10)),
        [],
        previous=before,
    )
    c = now.comparison
    assert c.open_rounds == ("Phase 3",) and c.previous_rate_same_point == 0.3
    assert c.response_rate_change == 0.1  # +10 points, not 40% - 90% = -50 points
    md = summary_to_markdown(now)
    assert "-50 percentage points" not in md
    assert "Response rate 10 days after opening: 40%, against 30% for Phase 2" in md
    assert "Phase 3 is still open" in md and "compared by their share of answers" in md
    changes = next(f for f in now.key_findings.findings if f.key == "changes")
    assert "+10 percentage points against Phase 2 on the same day" in changes.text
    # Without a day count (no opening date) an open round's rate is not compared at all.
    undated = build_summary(
        RoundInfo("phase-3", "Phase 3", is_open=True), _method(10, ()), [], previous=before
    )
    assert undated.comparison.response_rate_change is None
    assert "not compared while open" in summary_to_markdown(undated)


def test_key_findings_name_the_top_themes_of_each_side_with_counts() -> None:
    s = _build()
    findings = [f.key for f in s.key_findings.findings]
    assert findings[:3] == ["went_well", "improve", "response"]
    top = s.key_findings.improve
    assert top and [t.count for t in top] == sorted((t.count for t in top), reverse=True)
    assert top[0].label == max(s.improve, key=lambda t: t.count).label
    response = next(f for f in s.key_findings.findings if f.key == "response")
    assert response.text.startswith(f"{s.methodology.responded} of ")


def test_imported_respondents_are_counted_but_never_in_the_response_rate() -> None:
    method = dataclasses.replace(
        METHOD,
        imported_by_sector={"School": 3, "Health": 1},
        responded_by_channel={"web": 8, "telephone": 2, "import": 6},
        completed=16,
    )
    summary = build_summary(RoundInfo("phase-3", "Phase 3"), method, _answers(), names=[])
    m = summary.methodology
    # The rate is of those invited (10 of 20), whatever was imported beside them.
    assert (m.invited, m.responded, m.response_rate) == (20, 10, 0.5)
    assert (m.imported, m.imported_responses) == (4, 6)
    assert m.response_rate_by_sector["School"] == 0.5
    assert m.responded_by_sector["School"] == 8  # who answered, invited or imported
    assert responded_line(m) == (
        "Organisations that responded: 14 (10 of those contacted, response rate 50%;"
        " 4 in 6 responses imported from earlier evaluation files)"
    )
    findings = {f.key: f for f in summary.key_findings.findings}
    assert findings["response"].text.startswith(
        "10 of 20 organisations contacted answered (50%); 6 responses imported from earlier"
        " evaluation files; 16 questionnaires completed."
    )


def test_a_round_with_no_invitations_is_compared_without_a_response_rate() -> None:
    imported_only = MethodologyCounts(
        invited_by_sector={},
        invited_by_channel={},
        responded_by_sector={},
        responded_by_channel={"import": 5},
        completed=5,
        imported_by_sector={"School": 5},
    )
    before = build_summary(RoundInfo("phase-2", "Phase 2"), imported_only, _answers(), names=[])
    later = build_summary(
        RoundInfo("phase-3", "Phase 3"),
        _method(10, (1, 2, 3, 4)),
        _answers(),
        names=[],
        previous=before,
    )
    line = "Phase 2 had no invitations, so there is no response rate to compare"
    assert rate_change_line(later.comparison) == line
    assert later.comparison.response_rate_change is None
    assert f"- {line}" in summary_to_markdown(later)


def test_praise_only_answers_to_improve_say_nothing_needed_improving() -> None:
    praise = ["Everything was good", "Very good.", "Keep up the good work"]
    answers = _answers() + [_answer(70 + i, t, "improve", "School") for i, t in enumerate(praise)]
    answers.append(_answer(80, "Very good.", "went_well", "School"))

    s = _build(answers=answers)

    assert dict(s.non_answers) == {"improve": 3}
    assert not any(set(t.answer_ids) & {"a70", "a71", "a72"} for t in s.improve)
    assert any("a80" in t.answer_ids for t in s.went_well)
    md = summary_to_markdown(s)
    assert "3 said nothing needed improving." in md
    assert "Keep up the good work" not in md and "Everything was good" not in md
