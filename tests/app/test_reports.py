"""The reports pages: the round summary, themes and their edits, tag overrides, lessons, search."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from surveys.db import db
from surveys.models import Answer, AuditEvent, Lesson, Round, Theme
from surveys.services import analysis_runs, themes
from tests.app.test_admin_workspace import post, signed_in
from tests.factories import make_round, make_submitted_response, make_survey
from tests.surveys.test_summaries import PHASE_2, PHASE_3, RATED


@pytest.fixture
def phase_2(app):
    round_ = make_round(slug="phase-2", name="Phase 2", status="closed")
    survey = make_survey(RATED, round=round_)
    for i, (went_well, improve, rating) in enumerate(PHASE_2):
        make_submitted_response(
            survey,
            {"went_well": went_well, "improve": improve, "overall": rating},
            sector="voluntary" if i % 3 else "school_fe",
        )
    make_submitted_response(
        survey, {"improve": "<script>alert('x')</script> The form was too long."}
    )
    make_round(
        slug="phase-3",
        name="Phase 3",
        programme=round_.programme,
        previous_round=round_,
        status="draft",
        opens_on=date(2031, 3, 1),
    )
    analysis_runs.analyse_round(round_)
    db.session.commit()
    return round_


def _improve_theme(round_):
    return next(rt.theme for rt in themes.themes_for_round(round_) if rt.theme.kind == "improve")


READ_PAGES = [
    "/admin/reports/",
    "/admin/reports/phase-2",
    "/admin/reports/phase-2/themes",
    "/admin/reports/phase-2/lessons",
    "/admin/reports/search?q=timeframe",
    "/admin/reports/phase-2/report.md",
]


@pytest.mark.parametrize("path", READ_PAGES)
def test_reports_need_sign_in(client, phase_2, path):
    response = client.get(path)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("path", READ_PAGES)
def test_viewers_can_read_every_report_page(client, phase_2, path):
    signed_in(client, role="viewer")
    assert client.get(path).status_code == 200


def test_summary_page_has_charts_each_followed_by_a_data_table(client, phase_2):
    signed_in(client, role="viewer")

    page = client.get("/admin/reports/phase-2").get_data(as_text=True)

    assert "Lessons learned: Phase 2" in page
    assert "What went well" in page and "What could improve" in page
    # Each chart's data table is folded into a details element right after it.
    figures = re.findall(r"<figure.*?</figure>\s*<details.*?<table", page, re.S)
    assert len(figures) >= 4 and all("<svg" in f for f in figures)
    assert "Data for: Ratings: answers to each question" in page
    assert "How clear was the process?" in page
    assert re.search(r"Sentiment: \d+ positive, \d+ neutral, \d+ negative\.", page)
    assert "<script>alert" not in page
    # Charts size themselves with attributes and the app-chart class: the CSP refuses inline
    # style attributes, so there must be none.
    assert "style=" not in page.split("<main", 1)[1]
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == page.count('class="app-chart"')
    # Viewers get no edit links.
    assert "Record a lesson from this theme" not in page


def test_summary_page_methodology_and_comparison_read_like_the_report(client, phase_2):
    phase_3 = db.session.scalars(select(Round).where(Round.slug == "phase-3")).one()
    survey = make_survey(RATED, round=phase_3)
    for went_well, improve, rating in PHASE_3:
        make_submitted_response(
            survey, {"went_well": went_well, "improve": improve, "overall": rating}, channel="slack"
        )
    analysis_runs.analyse_round(phase_3)
    db.session.commit()
    signed_in(client, role="viewer")

    page = client.get("/admin/reports/phase-3").get_data(as_text=True)
    markdown = client.get("/admin/reports/phase-3/report.md").get_data(as_text=True)

    line = "Completed questionnaires: 3 (Slack 3)"
    assert f"<li>{line}</li>" in page and f"- {line}" in markdown
    assert "Response rate by channel" not in page and ">slack<" not in page
    compared = page.split("Compared with Phase 2", 1)[1]
    assert compared.index("What went well") < compared.index("What could improve")
    assert "Other comments" not in compared
    assert "How clear was the process?" in compared and ">overall<" not in compared
    improve_side = compared.split("What could improve", 1)[1]
    assert "Resolved" in improve_side and "Resolved" not in compared.split("What could", 1)[0]


def test_downloads_in_three_formats(client, phase_2):
    signed_in(client, role="viewer")

    markdown = client.get("/admin/reports/phase-2/report.md")
    data = client.get("/admin/reports/phase-2/report.json")
    html = client.get("/admin/reports/phase-2/report.html")

    assert markdown.mimetype == "text/markdown"
    assert "attachment" in markdown.headers["Content-Disposition"]
    assert markdown.get_data(as_text=True).startswith("# Lessons learned: Phase 2")
    assert json.loads(data.get_data())["round"]["slug"] == "phase-2"
    assert "<svg" in html.get_data(as_text=True)
    assert client.get("/admin/reports/phase-2/report.pdf").status_code == 404
    assert client.get("/admin/reports/phase-9").status_code == 404


def test_viewers_cannot_edit(client, phase_2):
    signed_in(client, role="viewer")
    theme = _improve_theme(phase_2)

    response = post(
        client,
        f"/admin/reports/phase-2/themes/{theme.id}/rename",
        {"label": "Nope"},
        page="/admin/reports/phase-2",
    )

    assert response.status_code == 403
    assert db.session.get(Theme, theme.id).label != "Nope"


def test_officer_renames_merges_and_splits_themes(client, phase_2):
    signed_in(client)
    improve = [rt.theme for rt in themes.themes_for_round(phase_2) if rt.theme.kind == "improve"]
    theme_page = f"/admin/reports/phase-2/themes/{improve[0].id}"

    renamed = post(client, f"{theme_page}/rename", {"label": "Time to apply"}, page=theme_page)
    assert renamed.status_code == 302
    blank = post(client, f"{theme_page}/rename", {"label": "  "}, page=theme_page)
    assert blank.status_code == 422 and "Enter a name for the theme" in blank.get_data(True)

    db.session.expire_all()
    answers = [a for a, _ in themes.theme_answers(db.session.get(Theme, improve[0].id), phase_2)]
    split_form = {"answer_ids": [str(answers[0].id)], "new_label": "Deadline pressure"}
    check = post(client, f"{theme_page}/split", split_form, page=theme_page)
    assert check.status_code == 200 and "Make a new theme ‘Deadline pressure’" in check.get_data(
        True
    )
    db.session.expire_all()
    assert db.session.get(Answer, answers[0].id).theme_id == improve[0].id  # not yet
    split = post(client, f"{theme_page}/split", {**split_form, "confirm": "yes"}, page=theme_page)
    assert split.status_code == 302
    db.session.expire_all()
    new = db.session.scalars(select(Theme).where(Theme.label == "Deadline pressure")).one()
    assert db.session.get(Answer, answers[0].id).theme_id == new.id

    merge_url = f"/admin/reports/phase-2/themes/{new.id}/merge"
    check = post(client, merge_url, {"target": str(improve[0].id)}, page=theme_page)
    text = check.get_data(True)
    assert "Merge ‘Deadline pressure’ into ‘Time to apply’?" in text
    assert "1 answer in Phase 2" in text
    db.session.expire_all()
    assert db.session.get(Theme, new.id).merged_into_id is None  # not until confirmed
    merged = post(
        client, merge_url, {"target": str(improve[0].id), "confirm": "yes"}, page=theme_page
    )
    assert merged.status_code == 302
    theme_html = client.get(theme_page).get_data(as_text=True)
    assert "<script>alert" not in theme_html
    db.session.expire_all()
    assert db.session.get(Theme, new.id).merged_into_id == improve[0].id
    assert "Time to apply" in client.get("/admin/reports/phase-2").get_data(as_text=True)


def test_officer_moves_an_answer_and_overrides_its_tag(client, phase_2):
    officer = signed_in(client)
    theme = _improve_theme(phase_2)
    other = next(
        rt.theme
        for rt in themes.themes_for_round(phase_2)
        if rt.theme.id != theme.id and rt.theme.kind == theme.kind
    )
    answer = themes.theme_answers(theme, phase_2)[0][0]
    theme_page = f"/admin/reports/phase-2/themes/{theme.id}"

    moved = post(
        client,
        f"/admin/reports/phase-2/answers/{answer.id}/move",
        {"theme_id": str(other.id)},
        page=theme_page,
    )
    tagged = post(
        client,
        f"/admin/reports/phase-2/answers/{answer.id}/tag",
        {"label": "positive"},
        page=theme_page,
    )
    bad = post(
        client, f"/admin/reports/phase-2/answers/{answer.id}/tag", {"label": "x"}, page=theme_page
    )

    assert moved.status_code == tagged.status_code == 302
    assert bad.status_code == 422
    db.session.expire_all()
    answer = db.session.get(Answer, answer.id)
    assert (answer.theme_id, answer.theme_pinned) == (other.id, True)
    assert (answer.override_label, answer.override_by_id) == ("positive", officer.id)
    assert client.get("/admin/reports/phase-2/answers/999999/move").status_code == 405


def test_theme_page_shows_why_the_tagger_chose_each_label(client, phase_2):
    """Officers judge a tag by its reasons; the cue words come from the answer, so escaped."""
    signed_in(client)
    theme = _improve_theme(phase_2)
    answer = themes.theme_answers(theme, phase_2)[0][0]
    answer.reasons = [*answer.reasons[:-1], "'<b>x</b>' -0.40", answer.reasons[-1]]
    db.session.commit()

    page = client.get(f"/admin/reports/phase-2/themes/{theme.id}").get_data(as_text=True)

    block = page[page.index(f'id="answer-{answer.id}"') :]
    assert f"Why the tagger said {answer.sentiment_label}" in block
    assert f"<li>-&gt; {answer.sentiment_label}</li>" in block
    assert "&#39;&lt;b&gt;x&lt;/b&gt;&#39; -0.40" in block
    assert "<b>x</b>" not in page


def test_officer_records_a_lesson_and_tracks_its_action(client, phase_2):
    signed_in(client)
    theme = _improve_theme(phase_2)
    lessons_page = "/admin/reports/phase-2/lessons"

    response = post(
        client,
        lessons_page,
        {
            "theme_id": str(theme.id),
            "title": "Give applicants longer",
            "what_we_heard": "The EOI window was too short.",
            "description": "Extend the window to 12 weeks",
            "owner": "Commissioning manager",
            "due_on": "2031-01-31",
        },
        page=lessons_page,
    )
    assert response.status_code == 302
    lesson = db.session.scalars(select(Lesson)).one()
    action = lesson.actions[0]
    lesson_page = f"{lessons_page}/{lesson.id}"

    late = post(
        client,
        f"{lesson_page}/actions",
        {"description": "Brief CVS", "owner": "Officer", "due_on": "2031-06-01"},
        page=lesson_page,
    )
    assert late.status_code == 422 and "when Phase 3 opens" in late.get_data(as_text=True)
    no_evidence = post(
        client, f"{lesson_page}/actions/{action.id}", {"status": "done"}, page=lesson_page
    )
    assert no_evidence.status_code == 422
    done = post(
        client,
        f"{lesson_page}/actions/{action.id}",
        {"status": "done", "evidence": "Phase 3 ran for 12 weeks"},
        page=lesson_page,
    )
    assert done.status_code == 302
    page = client.get(lesson_page).get_data(as_text=True)
    assert "Phase 3 ran for 12 weeks" in page
    carried = client.get("/admin/reports/phase-3/lessons").get_data(as_text=True)
    assert "You said, we did" in carried and "The EOI window was too short." in carried


def test_search_page_filters_and_escapes(app, client, phase_2):
    signed_in(client, role="viewer")

    suppressed = client.get("/admin/reports/search?q=form&round=phase-2").get_data(as_text=True)
    app.config["SUPPRESSION_K"] = 1
    page = client.get("/admin/reports/search?q=form&round=phase-2").get_data(as_text=True)
    bad = client.get("/admin/reports/search?q=x&sentiment=furious")

    assert "2 answers found" in suppressed and "Fewer than 3 respondents" in suppressed
    assert "<script>alert" not in suppressed and "&lt;script&gt;" not in suppressed
    assert "answers found" in page or "answer found" in page
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    assert bad.status_code == 422


def test_search_box_answers_a_question_in_plain_words(app, client, phase_2):
    signed_in(client, role="viewer")
    app.config["SUPPRESSION_K"] = 1  # two voluntary-sector answers are about the timeframe

    page = client.get(
        "/admin/reports/search",
        query_string={"q": "what did charities say about the timeframe in phase 2?"},
    ).get_data(as_text=True)

    assert "Filters applied: round phase-2, sector Voluntary/Charity, about “timeframe”" in page
    assert "Six weeks was not long enough." in page  # without the word "timeframe"
    assert "We needed a longer timeframe." in page
    assert "The timeframe was far too short." not in page  # a school's answer
    assert "lead agency" not in page.split("ask-summary")[1]


def test_search_box_refuses_an_unknown_round_clearly(client, phase_2):
    signed_in(client, role="viewer")

    page = client.get("/admin/reports/search?q=timeframe&round=phase-9")

    assert page.status_code == 422 and "Choose a round" in page.get_data(as_text=True)


def test_rerunning_the_analysis_shows_a_preview_and_applies_only_on_confirmation(client, phase_2):
    signed_in(client)
    answer = next(a for a in db.session.scalars(select(Answer)) if a.theme_id is not None)
    answer.theme_id = None  # a new answer since the last analysis
    db.session.commit()

    preview = client.get("/admin/reports/phase-2/analyse")

    assert preview.status_code == 200
    page = preview.get_data(True)
    assert "Nothing has changed yet" in page and "Apply these changes" in page
    assert "would be filed under a different theme" in page
    db.session.expire_all()
    assert db.session.get(Answer, answer.id).theme_id is None
    applied = post(
        client, "/admin/reports/phase-2/analyse", {}, page="/admin/reports/phase-2/analyse"
    )
    assert applied.status_code == 302
    db.session.expire_all()
    assert db.session.get(Answer, answer.id).theme_id is not None


def test_summary_page_and_slack_count_non_answers_instead_of_quoting_them(client, phase_2):
    from bot.reply_blocks import summary_reply
    from surveys.services import summaries

    survey = db.session.scalars(select(Answer)).first().response.survey
    for text in ("Nothing.", "No further comments", "Nothing all good"):
        make_submitted_response(survey, {"improve": text})
    analysis_runs.analyse_round(phase_2)
    db.session.commit()
    signed_in(client)

    page = client.get("/admin/reports/phase-2").get_data(True)

    assert "3 said nothing needed improving." in page
    assert "Nothing all good" not in page and "No further comments" not in page
    summary = summaries.round_summary(phase_2)
    reply = json.dumps(summary_reply(summary, "http://localhost/r").blocks)
    assert "3 said nothing needed improving." in reply and "Nothing all good" not in reply


def test_theme_names_are_refused_with_an_error_summary_and_nothing_is_audited(client, phase_2):
    signed_in(client)
    improve = [rt.theme for rt in themes.themes_for_round(phase_2) if rt.theme.kind == "improve"]
    theme_page = f"/admin/reports/phase-2/themes/{improve[0].id}"
    before = db.session.scalar(select(func.count(AuditEvent.id)))

    blank = post(client, f"{theme_page}/rename", {"label": "   "}, page=theme_page)
    taken = post(client, f"{theme_page}/rename", {"label": improve[1].label}, page=theme_page)
    split = post(client, f"{theme_page}/split", {"new_label": improve[1].label}, page=theme_page)

    for refused in (blank, taken, split):
        assert refused.status_code == 422
        html = refused.get_data(as_text=True)
        assert "govuk-error-summary" in html and "<title>Error:" in html
    assert 'href="#label"' in blank.get_data(True)
    assert "merge into it" in taken.get_data(True)
    assert 'href="#new_label"' in split.get_data(True) and 'href="#answer_ids"' in split.get_data(
        True
    )
    db.session.expire_all()
    assert db.session.scalar(select(func.count(AuditEvent.id))) == before
    assert db.session.get(Theme, improve[0].id).label == improve[0].label


def test_move_to_theme_defaults_to_the_current_theme_and_offers_this_rounds_side(client, phase_2):
    signed_in(client)
    theme = _improve_theme(phase_2)
    answer = themes.theme_answers(theme, phase_2)[0][0]
    elsewhere = Theme(
        programme_id=phase_2.programme_id, key="elsewhere", label="Only in phase 1", kind="improve"
    )
    db.session.add(elsewhere)
    db.session.commit()
    html = client.get(f"/admin/reports/phase-2/themes/{theme.id}").get_data(as_text=True)
    select_html = re.search(rf'<select[^>]*id="move-{answer.id}".*?</select>', html, re.S).group(0)
    selected = re.findall(r'<option value="(\d*)" selected', select_html)
    assert selected == [str(theme.id)]
    offered = {int(v) for v in re.findall(r'<option value="(\d+)"', select_html)}
    same_side = {t.id for t in themes.themes_by_side(phase_2)["improve"]}
    assert offered == same_side and elsewhere.id not in offered
    refused = post(
        client,
        f"/admin/reports/phase-2/answers/{answer.id}/move",
        {"theme_id": str(elsewhere.id)},
        page=f"/admin/reports/phase-2/themes/{theme.id}",
    )
    assert refused.status_code == 422 and f'href="#move-{answer.id}"' in refused.get_data(True)


HOSTILE = "<script>alert(1)</script> *Deadline* too <!channel> short [click](http://evil.example) #"


def test_free_text_is_escaped_in_every_report_output(client, phase_2):
    import io

    from docx import Document

    from app.reports.render import render
    from bot.reply_blocks import side_reply
    from surveys.services import summary_store

    survey = phase_2.surveys[0]
    for _ in range(3):
        make_submitted_response(survey, {"improve": HOSTILE})
    analysis_runs.analyse_round(phase_2)
    db.session.commit()
    summary = summary_store.stored_summary(phase_2).summary
    assert any(HOSTILE in q for t in summary.improve for q in t.quotes)
    signed_in(client, role="viewer")

    page = client.get("/admin/reports/phase-2").get_data(as_text=True)
    html = client.get("/admin/reports/phase-2/report.html").get_data(as_text=True)
    markdown = client.get("/admin/reports/phase-2/report.md").get_data(as_text=True)
    word = Document(io.BytesIO(client.get("/admin/reports/phase-2/report.docx").data))
    slack = json.dumps(side_reply(summary, "improve", "https://x.example").blocks)

    for text in (page, html):
        assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)" in text
        assert "&lt;!channel&gt;" in text
    assert "<script>" not in markdown and "&lt;script&gt;alert(1)" in markdown
    assert "\\*Deadline\\*" in markdown and "\\[click\\](http://evil.example)" in markdown
    assert "<!channel>" not in slack and "&lt;!channel&gt;" in slack
    assert "<http" not in slack.replace("<https://x.example|Full report>", "")
    # python-docx stores text as text: the quote reads back exactly as it was written.
    assert any(HOSTILE in p.text for p in word.paragraphs if p.style.name == "Quote")
    assert render(summary, "docx")[:2] == b"PK"


def test_report_command_writes_word_only_to_a_file(runner, phase_2, tmp_path):
    import io

    from docx import Document

    from app.commands.report import report_command

    refused = runner.invoke(report_command, ["phase-2", "--format", "docx"])
    assert refused.exit_code != 0 and "--output" in refused.output
    path = tmp_path / "phase-2.docx"

    result = runner.invoke(report_command, ["phase-2", "--format", "docx", "--output", str(path)])

    assert result.exit_code == 0, result.output
    word = Document(io.BytesIO(path.read_bytes()))
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["Key findings", "What went well", "What could improve"]
    markdown = runner.invoke(report_command, ["phase-2"]).stdout
    assert markdown.startswith("# Lessons learned: Phase 2\n\n## Key findings\n")


def test_merging_a_theme_merged_meanwhile_says_so_against_the_form(client, phase_2):
    signed_in(client)
    improve = [rt.theme for rt in themes.themes_for_round(phase_2) if rt.theme.kind == "improve"]
    source, target = improve[0], improve[1]
    page = f"/admin/reports/phase-2/themes/{source.id}"
    merge = f"{page}/merge"
    done = post(client, merge, {"target": str(target.id), "confirm": "yes"}, page=page)
    again = post(client, merge, {"target": str(target.id), "confirm": "yes"}, page="/admin/rounds")

    assert done.status_code == 302 and again.status_code == 422
    html = again.get_data(as_text=True)
    assert 'href="#target"' in html and "already been merged" in html


def test_an_action_added_on_the_lesson_page_is_audited_with_its_officer(client, phase_2):
    officer = signed_in(client)
    lesson = Lesson(
        programme_id=phase_2.programme_id, round_id=phase_2.id, title="Give applicants longer"
    )
    db.session.add(lesson)
    db.session.commit()
    lesson_page = f"/admin/reports/phase-2/lessons/{lesson.id}"
    added = post(
        client,
        f"{lesson_page}/actions",
        {"description": "Brief CVS", "owner": "Officer"},
        page=lesson_page,
    )
    assert added.status_code == 302
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "action.add")).one()
    assert (event.actor_id, event.target_id) == (officer.id, lesson.actions[0].id)
