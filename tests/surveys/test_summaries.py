"""The lessons-learned summary of a round, built from the database."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from analysis.summary import CHANNEL_LABELS
from surveys.db import db
from surveys.errors import InvalidInput
from surveys.models import CHANNELS, CallLog
from surveys.services import analysis_runs, lessons, summaries, themes
from tests.app.test_admin_workspace import signed_in
from tests.factories import (
    ANALYSIS_DEFINITION,
    make_answer,
    make_contact,
    make_invitation,
    make_officer,
    make_response,
    make_round,
    make_submitted_response,
    make_survey,
)

RATED = {
    **ANALYSIS_DEFINITION,
    "pages": [
        {
            "id": "feedback",
            "questions": [
                *ANALYSIS_DEFINITION["pages"][0]["questions"][:2],
                {
                    "id": "overall",
                    "type": "rating",
                    "text": "How clear was the process?",
                    "points": [
                        {"value": 1, "label": "Very unclear"},
                        {"value": 2, "label": "Unclear"},
                        {"value": 3, "label": "Clear"},
                    ],
                },
            ],
        }
    ],
}

PHASE_2 = [
    ("The EOI was well advertised in the local paper.", "The timeframe was far too short.", 1),
    ("Good publicity, the advert reached everyone.", "Six weeks was not long enough.", 2),
    ("The advert went out widely across the county.", "We needed a longer timeframe.", 1),
    ("Online EOI documents were easy to find.", "More information on the lead agency role.", 2),
    ("The documents online were easily accessible.", "The lead agency role was unclear.", 3),
    ("Call Jane Smith on 01632 960123, she helped.", "Explain the lead agency role.", 2),
]
PHASE_3 = [
    ("The postcards and adverts were well publicised.", "Please put CVS on the panel.", 3),
    ("Briefing sessions explained the lead agency role.", "Put CVS on the scoring panel.", 3),
    ("The adverts were in the right places.", "CVS should sit on scoring panels.", 2),
]


def render_report(round_, fmt: str, *, k: int | None = None) -> str:
    """Render a freshly built summary as `debrief report` and the downloads do."""
    from app.reports.render import render

    return render(summaries.round_summary(round_, k=k), fmt)


def _fill(round_, rows, sectors=("voluntary", "voluntary", "school_fe")):
    survey = make_survey(RATED, round=round_)
    responses = []
    for i, (went_well, improve, rating) in enumerate(rows):
        responses.append(
            make_submitted_response(
                survey,
                {"went_well": went_well, "improve": improve, "overall": rating},
                sector=sectors[i % len(sectors)],
                channel="telephone" if i == 0 else "web",
            )
        )
    # Two more invited who did not answer, one of them phoned.
    officer = make_officer()
    for _ in range(2):
        invitation = make_invitation(survey=survey, status="sent")
    db.session.add(CallLog(invitation_id=invitation.id, officer_id=officer.id, outcome="no_answer"))
    db.session.flush()
    return survey, responses


@pytest.fixture
def phase_2(app):
    round_ = make_round(slug="phase-2", name="Phase 2", status="closed")
    survey, responses = _fill(round_, PHASE_2)
    make_contact(name="Jane Smith", organisation=responses[5].invitation.contact.organisation)
    make_invitation(survey=survey, contact=_contact_named("Jane Smith"))
    analysis_runs.analyse_round(round_)
    return round_


def _contact_named(name):
    from sqlalchemy import select

    from surveys.models import Contact

    return db.session.scalars(select(Contact).where(Contact.name == name)).one()


def test_summary_has_methodology_themes_ratings_and_sectors(phase_2):
    summary = summaries.round_summary(phase_2, k=3)

    m = summary.methodology
    assert m.completed == 6 and m.telephone == 1
    assert m.invited == 8 and m.responded == 6  # organisations (Jane shares one), not contacts
    assert m.invited_by_sector["Voluntary/Charity"] >= 4
    # How the completed questionnaires came in, not a per-channel "contacted" figure.
    assert [(c.channel, c.label, c.completed) for c in m.completed_by_channel] == [
        ("web", "Web", 5),
        ("telephone", "Telephone", 1),
    ]
    went_well = {t.label for t in summary.went_well}
    to_improve = " ".join(t.label.lower() for t in summary.improve)
    assert went_well and "timeframe" in to_improve and "lead agency" in to_improve
    assert sum(t.count for t in summary.improve) == 6
    (rating,) = summary.ratings
    assert rating.points == ("Very unclear", "Unclear", "Clear")
    assert dict(rating.counts) == {"Very unclear": 2, "Unclear": 3, "Clear": 1}
    sectors = {s.sector: s for s in summary.sentiment_by_sector}
    assert sectors["Voluntary/Charity"].counts is not None
    assert summary.comparison is None


def test_small_groups_are_suppressed_and_quotes_redacted(phase_2):
    summary = summaries.round_summary(phase_2, k=3)

    school = next(s for s in summary.sentiment_by_sector if s.sector.startswith("School"))
    assert school.respondents == 2 and school.suppressed and school.counts is None
    quotes = [q for t in (*summary.went_well, *summary.improve) for q in t.quotes]
    assert not any("Jane" in q or "01632" in q for q in quotes)
    markdown = render_report(phase_2, "markdown")
    assert "Jane" not in markdown and "01632 960123" not in markdown
    assert summaries.round_summary(phase_2, k=1).sentiment_by_sector[0].counts is not None


def test_k_defaults_to_the_configured_suppression(app, phase_2):
    app.config["SUPPRESSION_K"] = 7
    assert summaries.round_summary(phase_2).k == 7


def test_summary_keeps_officers_theme_edits(phase_2):
    officer = make_officer()
    improve = [rt.theme for rt in themes.themes_for_round(phase_2) if rt.theme.kind == "improve"]
    themes.rename_theme(improve[0], "Time to apply", officer)

    summary = summaries.round_summary(phase_2)

    renamed = next(t for t in summary.improve if t.label == "Time to apply")
    stored = next(rt for rt in themes.themes_for_round(phase_2) if rt.theme.id == improve[0].id)
    assert (renamed.key, renamed.count) == (improve[0].key, stored.count)


def test_next_round_compares_and_reports_you_said_we_did(phase_2):
    officer = make_officer()
    phase_3 = make_round(
        slug="phase-3",
        name="Phase 3",
        programme=phase_2.programme,
        previous_round=phase_2,
        opens_on=date(2031, 1, 1),
    )
    timeframe = next(
        rt.theme
        for rt in themes.themes_for_round(phase_2)
        if "time" in rt.theme.label.lower() and rt.theme.kind == "improve"
    )
    lesson = lessons.record_lesson(
        phase_2, timeframe, "Longer window", "The EOI window was too short.", officer
    )
    lessons.update_lesson(lesson, officer, what_we_did="Extended the window to 12 weeks.")
    survey, responses = _fill(phase_3, PHASE_3)
    improved_id, comment_id = lessons.followup_question_ids(lesson)
    for response, answer in zip(responses, ("yes", "yes", "partly"), strict=True):
        make_answer(response, improved_id, answer)
    analysis_runs.analyse_round(phase_3)
    assert summaries.round_summary(phase_3).lessons[0].asked is False  # not in the survey yet
    version = survey.versions[0]
    version.definition = lessons.add_followups_to_definition(version.definition, phase_3)
    db.session.flush()

    summary = summaries.round_summary(phase_3)

    c = summary.comparison
    assert c is not None and c.previous_slug == "phase-2"
    assert timeframe.key in {t.key for t in c.resolved}
    assert c.new, "the CVS panel theme is new in phase 3"
    assert "overall" in c.rating_shifts and c.rating_shifts["overall"] > 0
    (entry,) = summary.lessons
    assert entry.lesson == "The EOI window was too short."
    assert entry.what_we_did == "Extended the window to 12 weeks." and entry.actions == ()
    assert dict(entry.improved) == {"Yes": 2, "Partly": 1}
    assert summaries.compare_rounds(phase_2, phase_3) == c
    # Key findings: phase 3 follows the lesson up; phase 2 counts it as recorded from it.
    findings = {f.key: f.text for f in summary.key_findings.findings}
    assert entry.asked and "lessons_recorded" not in findings
    assert findings["lessons"].startswith(
        "1 lesson from earlier rounds carried into this round, asked about in it; no actions"
    )
    earlier = {f.key: f.text for f in summaries.round_summary(phase_2).key_findings.findings}
    assert "lessons" not in earlier
    assert earlier["lessons_recorded"] == (
        "1 lesson recorded from this round (1 open), followed up in Phase 3; no actions yet."
    )


def test_you_said_we_did_has_actions_comments_and_suppression_in_every_face(client, phase_2):
    officer = make_officer()
    phase_3 = make_round(
        slug="phase-3",
        name="Phase 3",
        programme=phase_2.programme,
        previous_round=phase_2,
        opens_on=date(2031, 1, 1),
    )
    theme = next(rt.theme for rt in themes.themes_for_round(phase_2) if rt.theme.kind == "improve")
    window = lessons.record_lesson(
        phase_2,
        theme,
        "Longer window",
        "The EOI window was too short.",
        officer,
        [
            {"description": "Extend the <b>window</b>", "owner": "Manager"},
            {"description": "Publish the criteria early", "owner": "Manager"},
        ],
    )
    lessons.update_action(window.actions[0], "done", "Ran for 12 weeks & more", officer)
    panel = lessons.record_lesson(phase_2, None, "CVS on panel", "No CVS on the panel.", officer)
    survey, responses = _fill(phase_3, PHASE_3)
    responses.append(make_submitted_response(survey, {}))
    window_improved, window_comment = lessons.followup_question_ids(window)
    panel_improved, _ = lessons.followup_question_ids(panel)
    comments = (
        "Never quoted: the oldest comment.",
        "Jane Smith says applying felt calmer.",
        "Longer, but over the summer.",
        "<b>Much</b> better all round.",
    )
    for day, (response, comment) in enumerate(zip(responses, comments, strict=True), start=1):
        response.submitted_at = datetime(2031, 2, day, tzinfo=UTC)
        make_answer(response, window_comment, comment, kind="other")
    for response, answer in zip(responses, ("yes", "yes", "partly"), strict=False):
        make_answer(response, window_improved, answer)
    for response, answer in zip(responses, ("yes", "no"), strict=False):
        make_answer(response, panel_improved, answer)
    analysis_runs.analyse_round(phase_3)
    db.session.commit()

    summary = summaries.round_summary(phase_3, k=3)
    markdown = render_report(phase_3, "markdown", k=3)
    data = json.loads(render_report(phase_3, "json", k=3))
    report = render_report(phase_3, "html", k=3)
    signed_in(client, role="viewer")
    page = client.get("/admin/reports/phase-3").get_data(as_text=True)

    # The comments sit under their lesson, not in the round's themes.
    themed = (*summary.went_well, *summary.improve, *summary.other)
    assert sum(t.count for t in themed) == 2 * len(PHASE_3)
    assert not any("over the summer" in q or "calmer" in q for t in themed for q in t.quotes)
    window_entry, panel_entry = data["lessons"]
    assert window_entry["quotes"] == [
        "<b>Much</b> better all round.",
        "Longer, but over the summer.",
        "[redacted] says applying felt calmer.",
    ]
    assert [
        (a["description"], a["status_label"], a["evidence"]) for a in window_entry["actions"]
    ] == [
        ("Extend the <b>window</b>", "Done", "Ran for 12 weeks & more"),
        ("Publish the criteria early", "Planned", ""),
    ]
    assert window_entry["improved"] == {"Yes": 2, "Partly": 1}
    assert (panel_entry["respondents"], panel_entry["suppressed"]) == (2, True)
    assert panel_entry["improved"] is None
    action = "Extend the &lt;b&gt;window&lt;/b&gt; (Done). Evidence: Ran for 12 weeks &amp; more"
    counts = "Has this improved? Yes: 2, Partly: 1 (3 answered)"
    hidden = "Has this improved? Not shown: fewer than 3 answers."
    assert f"- {action}\n" in markdown and f"<li>{action}</li>" in report
    assert f"<li>{action}</li>" in page
    for text in (markdown, report, page):
        assert "Publish the criteria early (Planned)" in text
        assert counts in text and hidden in text
        assert "&lt;b&gt;Much&lt;/b&gt; better all round." in text
        assert "Jane" not in text.split("You said, we did", 1)[1]
        assert "Never quoted" not in text
    assert "“&lt;b&gt;Much&lt;/b&gt; better all round.”</blockquote>" in report


def test_render_report_in_every_format(phase_2):
    markdown = render_report(phase_2, "markdown")
    data = json.loads(render_report(phase_2, "json"))
    page = render_report(phase_2, "html")

    assert markdown.startswith("# Lessons learned: Phase 2")
    assert "## What went well" in markdown and "## What could improve" in markdown
    assert data["round"] == {
        "slug": "phase-2",
        "name": "Phase 2",
        "is_open": False,
        "days_open": None,
    }
    assert data["methodology"]["completed"] == 6
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "<table" in page
    assert "<script" not in page
    with pytest.raises(InvalidInput):
        render_report(phase_2, "pdf")


def test_respondent_text_is_escaped_in_html(app):
    round_ = make_round(slug="phase-x", name="Phase <X>")
    survey = make_survey(RATED, round=round_)
    for _ in range(3):
        make_submitted_response(survey, {"improve": "<script>alert(1)</script> too short"})
    analysis_runs.analyse_round(round_)

    page = render_report(round_, "html")

    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Phase &lt;X&gt;" in page


def test_open_link_responses_use_their_own_sector_answer(app):
    round_ = make_round()
    survey = make_survey(RATED, round=round_)
    for _ in range(3):
        response = make_response(survey=survey, status="submitted")
        make_answer(response, "sector", "health")
        make_answer(response, "went_well", "Clear guidance")
    analysis_runs.analyse_round(round_)

    summary = summaries.round_summary(round_, k=3)

    assert [(s.sector, s.respondents) for s in summary.sentiment_by_sector] == [("Health", 3)]
    assert summary.methodology.completed == 3 and summary.methodology.invited == 0


def test_unanswered_ratings_and_an_empty_previous_round_are_left_out(app):
    phase_1 = make_round(slug="phase-1", name="Phase 1", status="closed")
    phase_2 = make_round(
        slug="phase-2b", name="Phase 2", programme=phase_1.programme, previous_round=phase_1
    )
    survey = make_survey(RATED, round=phase_2)
    for _ in range(3):
        make_submitted_response(survey, {"went_well": "Clear guidance."})
    analysis_runs.analyse_round(phase_2)

    summary = summaries.round_summary(phase_2)

    assert summary.ratings == ()
    assert summary.comparison is None  # phase 1 gathered no feedback to compare with


def test_channel_labels_are_the_models_labels():
    assert CHANNEL_LABELS == CHANNELS


def test_every_format_says_how_the_questionnaires_came_in(phase_2):
    survey = phase_2.surveys[0]
    for _ in range(2):  # open-link answers through Slack count too
        response = make_response(survey=survey, status="submitted", channel="slack")
        make_answer(response, "went_well", "The Slack questions were quick.")
    analysis_runs.analyse_round(phase_2)

    markdown = render_report(phase_2, "markdown")
    data = json.loads(render_report(phase_2, "json"))
    page = render_report(phase_2, "html")

    line = "Completed questionnaires: 8 (Web 5, Telephone 1, Slack 2)"
    assert f"- {line}\n" in markdown and f"<li>{line}</li>" in page
    assert data["methodology"]["completed"] == 8
    assert data["methodology"]["completed_by_channel"] == [
        {"channel": "web", "label": "Web", "completed": 5},
        {"channel": "telephone", "label": "Telephone", "completed": 1},
        {"channel": "slack", "label": "Slack", "completed": 2},
    ]
    assert "response_rate_by_channel" not in data["methodology"]
    for text in (markdown, page):
        assert "Organisations that responded: 6 (response rate 75%)" in text
        assert "web" not in text.lower().replace("web 5", "")  # no channel keys, no rate table
    # The sector rates stay, suppressed below k.
    assert "| School/Further or Higher Education | 2 | suppressed |" in markdown
    assert "| Voluntary/Charity | 6 | 67% |" in markdown
