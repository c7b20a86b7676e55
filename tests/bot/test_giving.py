"""Answering an invitation in Slack: the same journey and validation as the web."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from surveys.db import db
from surveys.definitions import load_template
from surveys.models import Response
from tests.factories import (
    make_contact,
    make_invitation,
    make_officer,
    make_round,
    make_survey,
)

PARTNER = "U0PARTNER"


@pytest.fixture
def invitation():
    round_ = make_round(slug="phase-3", status="open")
    survey = make_survey(definition=load_template("partner-consultation").to_dict(), round=round_)
    contact = make_contact(slack_user_id=PARTNER, role="partner")
    return make_invitation(survey=survey, contact=contact, status="sent")


def radio(value: str) -> dict:
    return {"value": {"type": "radio_buttons", "selected_option": {"value": value}}}


def text(value: str) -> dict:
    return {"value": {"type": "plain_text_input", "value": value}}


def opened_view(slack) -> dict:
    return slack.wait_for("views.open")[-1].body["view"]


def page_of(view: dict) -> str:
    return json.loads(view["private_metadata"])["p"]


def submit(post, view: dict, values: dict) -> dict:
    response = post.view_submission(view, values, user_id=PARTNER)
    assert response.status_code == 200
    return response.get_json()


def test_give_walks_the_journey_with_errors_and_stores_one_response(post, slack, invitation):
    post.command("give phase-3", user_id=PARTNER)
    view = opened_view(slack)
    assert view["callback_id"] == "answer_page"
    assert page_of(view) == "role"
    assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == [
        "partner_role",
        "partner_role-other",
    ]

    # Nothing chosen: the web's message, shown against the question.
    answer = submit(post, view, {"partner_role": radio("")})
    assert answer == {
        "response_action": "errors",
        "errors": {"partner_role": "Select which best describes your part in the programme"},
    }
    # "Other" without saying what: the web's "other" rule.
    answer = submit(post, view, {"partner_role": radio("other"), "partner_role-other": text("")})
    assert answer["response_action"] == "errors"
    assert "other" in answer["errors"]["partner_role"]

    answer = submit(post, view, {"partner_role": radio("cvs"), "partner_role-other": text("")})
    assert answer["response_action"] == "update"
    view = answer["view"]
    assert page_of(view) == "consultation"

    ratings = {
        q: radio("4")
        for q in ("rating_consulted", "rating_lead_agency_info", "rating_vcs_involvement")
    }
    view = submit(post, view, ratings)["view"]
    assert page_of(view) == "went_well"
    view = submit(post, view, {"went_well": text("Briefings were clear <!channel>")})["view"]
    view = submit(post, view, {"improve": text("A longer window")})["view"]
    view = submit(post, view, {"lead_agency_support": text("")})["view"]
    assert view["callback_id"] == "answer_check"
    checked = json.dumps(view["blocks"])
    assert "Council for voluntary service (CVS)" in checked
    assert "&lt;!channel&gt;" in checked and "<!channel>" not in checked

    answer = submit(post, view, {})
    assert answer["response_action"] == "update"
    assert "Thank you" in json.dumps(answer["view"])

    stored = db.session.scalars(select(Response)).all()
    assert len(stored) == 1
    [response] = stored
    assert (response.status, response.channel) == ("submitted", "slack")
    assert {a.question_id: a.value for a in response.answers}["improve"] == "A longer window"
    assert invitation.status == "completed"

    # Asking again does not start a second response.
    post.command("give phase-3", user_id=PARTNER)
    assert "already" in slack.calls_to("/respond/commands")[-1].text()
    assert len(db.session.scalars(select(Response)).all()) == 1


def test_a_saved_draft_is_resumed_at_the_next_page(post, slack, invitation):
    post.command("give phase-3", user_id=PARTNER)
    submit(post, opened_view(slack), {"partner_role": radio("health")})
    post.command("give phase-3", user_id=PARTNER)
    views = slack.wait_for("views.open", 2)
    assert page_of(views[-1].body["view"]) == "consultation"


def test_someone_else_cannot_answer_an_invitation(post, slack, invitation):
    post.command("give phase-3", user_id="U0STRANGER")
    assert slack.calls_to("views.open") == []
    assert "can't find an invitation" in slack.calls_to("/respond/commands")[-1].text()

    post.command("give phase-3", user_id=PARTNER)
    view = opened_view(slack)
    response = post.view_submission(view, {"partner_role": radio("cvs")}, user_id="U0STRANGER")
    assert "belongs to someone else" in json.dumps(response.get_json())
    assert db.session.scalars(select(Response)).one().answers == []


def test_back_shows_the_previous_page(post, slack, invitation):
    post.command("give phase-3", user_id=PARTNER)
    view = submit(post, opened_view(slack), {"partner_role": radio("cvs")})["view"]
    post.block_action(
        "modal_back",
        "consultation",
        user_id=PARTNER,
        view={**view, "id": "V0001", "hash": "h1"},
        container={"type": "view", "view_id": "V0001"},
    )
    [update] = slack.wait_for("views.update")
    assert update.body["view_id"] == "V0001"
    assert page_of(update.body["view"]) == "role"


def test_save_as_feedback_records_a_message_entered_by_the_officer(post, slack):
    officer = make_officer(slack_user_id="U0OFFICER")
    round_ = make_round(slug="phase-3", name="Phase 3", status="open")
    survey = make_survey(round=round_, title="Partner feedback")
    post.interaction(
        {
            "type": "message_action",
            "callback_id": "save_as_feedback",
            "team": {"id": "T1"},
            "user": {"id": "U0OFFICER"},
            "channel": {"id": "C0GENERAL"},
            "trigger_id": "trigger-1",
            "message": {"type": "message", "user": "U0SOMEONE", "text": "Great briefings & <b>"},
            "response_url": slack.response_url("shortcut"),
        }
    )
    view = slack.wait_for("views.open")[0].body["view"]
    assert view["callback_id"] == "save_feedback"
    picker = view["blocks"][1]["element"]
    [choice] = [o for o in picker["options"] if o["value"] == f"{survey.id}:went_well"]
    assert "Phase 3" in choice["text"]["text"]

    values = {
        "question": {"value": {"type": "static_select", "selected_option": choice}},
        "text": {"value": {"type": "plain_text_input", "value": "Great briefings & <b>"}},
    }
    answer = post.view_submission(view, values, user_id="U0OFFICER").get_json()
    assert answer["view"]["callback_id"] == "answer_check"
    answer = submit_as(post, answer["view"], "U0OFFICER")
    assert "Thank you" in json.dumps(answer["view"])
    response = db.session.scalars(select(Response)).one()
    assert (response.status, response.channel) == ("submitted", "slack")
    assert response.entered_by_id == officer.id
    assert response.answers[0].value == "Great briefings & <b>"


def test_save_as_feedback_is_for_officers_only(post, slack):
    make_round(slug="phase-3", status="open")
    post.interaction(
        {
            "type": "message_action",
            "callback_id": "save_as_feedback",
            "team": {"id": "T1"},
            "user": {"id": "U0NOBODY"},
            "trigger_id": "trigger-1",
            "message": {"type": "message", "text": "hello"},
        }
    )
    view = slack.wait_for("views.open")[0].body["view"]
    assert "only council officers" in json.dumps(view)


def submit_as(post, view: dict, user_id: str) -> dict:
    return post.view_submission(view, {}, user_id=user_id).get_json()
