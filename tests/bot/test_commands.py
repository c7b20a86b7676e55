"""`/debrief` subcommands for officers: answers, authorisation, escaping and paging."""

from __future__ import annotations

import json
from datetime import date

from surveys.db import db
from surveys.models import Action, Answer, Lesson
from tests.factories import (
    make_contact,
    make_invitation,
    make_officer,
    make_organisation,
    make_response,
    make_round,
    make_survey,
)

OFFICER = "U0OFFICER"


def answer_of(slack, n: int = -1):
    return slack.wait_for("/respond/commands")[n]


def add_answer(
    round_, text: str, *, sector: str = "voluntary", label: str = "negative", kind: str = "improve"
):
    survey = round_.surveys[0] if round_.surveys else make_survey(round=round_)
    contact = make_contact(organisation=make_organisation(sector=sector))
    invitation = make_invitation(survey=survey, contact=contact, status="completed")
    response = make_response(invitation=invitation, status="submitted")
    response.answers.append(Answer(question_id=kind, value=text, kind=kind, sentiment_label=label))
    db.session.flush()
    return response


def test_an_unknown_user_is_refused_politely(post, slack):
    make_round(slug="phase-2")
    post.command("rounds", user_id="U0NOBODY")
    reply = answer_of(slack)
    assert "only for council officers" in reply.text()
    assert reply.body["response_type"] == "ephemeral"
    assert "phase-2" not in reply.text()


def test_an_officer_is_found_by_slack_email(post, slack):
    make_officer(email="sam@council.example", slack_user_id=None)
    make_round(slug="phase-2", name="Phase 2")
    slack.add_user("U0BYEMAIL", "Sam@Council.example")
    post.command("rounds", user_id="U0BYEMAIL")
    assert "phase-2" in answer_of(slack).text()
    assert slack.calls_to("users.info")[0].body["user"] == "U0BYEMAIL"


def test_an_inactive_officer_is_refused(post, slack):
    make_officer(slack_user_id=OFFICER, active=False)
    post.command("rounds")
    assert "only for council officers" in answer_of(slack).text()


def test_rounds_lists_every_round_with_a_share_button(post, slack):
    make_officer(slack_user_id=OFFICER)
    make_round(slug="phase-2", name="Phase 2", status="closed")
    make_round(slug="phase-3", name="Phase 3", status="open")
    post.command("rounds")
    reply = answer_of(slack)
    assert "phase-2" in reply.text() and "phase-3" in reply.text()
    assert reply.blocks()[-1]["elements"][0]["action_id"] == "share_to_channel"


def test_share_to_channel_reposts_the_answer_for_everyone(post, slack):
    make_officer(slack_user_id=OFFICER)
    make_round(slug="phase-2", name="Phase 2")
    post.block_action("share_to_channel", "rounds")
    [shared] = slack.wait_for("/respond/actions")
    assert shared.body["response_type"] == "in_channel"
    assert "phase-2" in shared.text()
    assert f"Shared by <@{OFFICER}>" in shared.text()


def test_share_refuses_someone_who_is_not_an_officer(post, slack):
    make_round(slug="phase-2")
    post.block_action("share_to_channel", "rounds", user_id="U0NOBODY")
    [reply] = slack.wait_for("/respond/actions")
    assert reply.body["response_type"] == "ephemeral"
    assert "only for council officers" in reply.text()


def test_unknown_round_and_unknown_command_get_a_hint(post, slack):
    make_officer(slack_user_id=OFFICER)
    post.command("actions nope")
    assert "can't find a round called `nope`" in answer_of(slack).text()
    post.command("frobnicate")
    assert "/debrief help" in answer_of(slack).text()


def test_search_escapes_respondent_text_and_pages_with_more(post, slack):
    make_officer(slack_user_id=OFFICER)
    round_ = make_round(slug="phase-2")
    make_survey(round=round_)
    add_answer(round_, "The timeframe was short <!channel> <https://evil.example|click> & more")
    for n in range(9):
        add_answer(round_, f"Timeframe too tight, answer {n}", sector="school_fe")
    post.command("search timeframe round:phase-2 sector:voluntary")
    reply = answer_of(slack)
    text = reply.text()
    assert "1–1 of 1" in text
    assert "&lt;!channel&gt;" in text and "<!channel>" not in text
    assert "&lt;https://evil.example|click&gt; &amp; more" in text
    assert "Voluntary/Charity" in text and "negative" in text

    post.command("search timeframe")
    reply = answer_of(slack)
    assert "1–8 of 10" in reply.text()
    more = reply.blocks()[-2]["elements"][0]
    assert more["action_id"] == "search_more"
    post.block_action("search_more", more["value"])
    [page_two] = slack.wait_for("/respond/actions")
    assert page_two.body["replace_original"] is True
    assert "9–10 of 10" in page_two.text()


def test_search_with_a_bad_filter_explains(post, slack):
    make_officer(slack_user_id=OFFICER)
    post.command("search timeframe sentiment:furious")
    assert "Sentiment must be positive, neutral or negative" in answer_of(slack).text()


def test_rate_shows_rates_by_sector_and_channel_and_the_chase_list(post, slack):
    make_officer(slack_user_id=OFFICER)
    round_ = make_round(slug="phase-3", name="Phase 3")
    survey = make_survey(round=round_)
    for sector in ("voluntary", "voluntary", "health"):
        make_invitation(
            survey=survey,
            contact=make_contact(organisation=make_organisation(sector=sector)),
            status="sent",
        )
    answered = make_invitation(survey=survey, status="completed")
    make_response(invitation=answered, status="submitted", channel="telephone")
    post.command("rate phase-3")
    text = answer_of(slack).text()
    assert "1 of 4 invited have answered (25%)" in text
    assert "Voluntary/Charity: 1 of 3 (33%)" in text
    assert "Telephone 1" in text
    assert "3 invitations still waiting" in text


def test_actions_lists_lessons_and_updates_an_action_through_a_modal(post, slack):
    officer = make_officer(slack_user_id=OFFICER)
    round_ = make_round(slug="phase-2", name="Phase 2")
    lesson = Lesson(
        programme_id=round_.programme_id,
        round_id=round_.id,
        title="Explain the lead agency role <b>",
        status="open",
    )
    lesson.actions.append(
        Action(
            description="Run briefing sessions",
            owner="Comms team",
            due_on=date(2008, 1, 31),
            status="planned",
        )
    )
    db.session.add(lesson)
    db.session.flush()
    action_id = lesson.actions[0].id

    post.command("actions phase-2")
    reply = answer_of(slack)
    assert "Explain the lead agency role &lt;b&gt;" in reply.text()
    update = next(b["accessory"] for b in reply.blocks() if "accessory" in b)
    assert update["action_id"] == "update_action" and update["value"] == str(action_id)

    post.block_action("update_action", str(action_id))
    view = slack.wait_for("views.open")[0].body["view"]
    assert view["callback_id"] == "action_update"

    def radio(value):
        return {"value": {"type": "radio_buttons", "selected_option": {"value": value}}}

    done_without_evidence = {"status": radio("done"), "evidence": {"value": {"value": ""}}}
    response = post.view_submission(view, done_without_evidence, user_id=OFFICER)
    assert response.get_json() == {
        "response_action": "errors",
        "errors": {"evidence": "Say what was done (the evidence)"},
    }
    evidence = {"status": radio("done"), "evidence": {"value": {"value": "Held 4 briefings"}}}
    response = post.view_submission(view, evidence, user_id=OFFICER)
    assert "now *Done*" in json.dumps(response.get_json())
    action = db.session.get(Action, action_id)
    assert (action.status, action.evidence) == ("done", "Held 4 briefings")
    assert officer.id  # updated by this officer (recorded in the audit log by the service)


def test_a_viewer_cannot_update_actions(post, slack):
    make_officer(slack_user_id=OFFICER, role="viewer")
    post.block_action("update_action", "1")
    view = slack.wait_for("views.open")[0].body["view"]
    assert "only officers who can edit" in json.dumps(view)
