"""The rules that moved into services hold in Slack, with replies saying what happened."""

from __future__ import annotations

import json

from sqlalchemy import select

from surveys.db import db
from surveys.definitions import load_template
from surveys.models import Response
from tests.factories import make_contact, make_invitation, make_officer, make_round, make_survey

PARTNER = "U0PARTNER"


def _invitation(status: str = "open"):
    round_ = make_round(slug="phase-3", status=status)
    survey = make_survey(definition=load_template("partner-consultation").to_dict(), round=round_)
    contact = make_contact(slack_user_id=PARTNER, role="partner")
    return make_invitation(survey=survey, contact=contact, status="sent")


def radio(value: str) -> dict:
    return {"value": {"type": "radio_buttons", "selected_option": {"value": value}}}


def save_feedback(post, choice_value: str) -> dict:
    """Submit the "save as feedback" modal as an officer, choosing this question."""
    choice = {"text": {"type": "plain_text", "text": "x"}, "value": choice_value}
    values = {
        "question": {"value": {"type": "static_select", "selected_option": choice}},
        "text": {"value": {"type": "plain_text_input", "value": "Good briefings"}},
    }
    view = {"type": "modal", "callback_id": "save_feedback", "private_metadata": "{}", "blocks": []}
    return post.view_submission(view, values, user_id="U0OFFICER").get_json()


def test_a_page_saved_after_the_round_closed_says_it_closed(post, slack):
    invitation = _invitation()
    db.session.commit()
    post.command("give phase-3", user_id=PARTNER)
    view = slack.wait_for("views.open")[-1].body["view"]
    invitation.survey.round.status = "closed"
    db.session.commit()

    answer = post.view_submission(view, {"partner_role": radio("cvs")}, user_id=PARTNER)

    assert "has closed" in json.dumps(answer.get_json())
    assert db.session.scalars(select(Response)).one().answers == []


def test_a_withdrawn_response_is_not_called_closed(post, slack):
    _invitation()
    db.session.commit()
    post.command("give phase-3", user_id=PARTNER)
    view = slack.wait_for("views.open")[-1].body["view"]
    response = db.session.scalars(select(Response)).one()
    response.status = "withdrawn"
    db.session.commit()

    text = json.dumps(post.view_submission(view, {"partner_role": radio("cvs")}, PARTNER).json)

    assert "withdrawn" in text and "closed" not in text


def test_a_closed_round_offers_no_invitation_in_slack(post, slack):
    _invitation(status="closed")
    db.session.commit()

    post.command("give phase-3", user_id=PARTNER)

    assert slack.calls_to("views.open") == []
    assert "closed" in slack.calls_to("/respond/commands")[-1].text()


def test_feedback_saved_to_a_round_that_closed_says_it_closed(post, slack):
    make_officer(slack_user_id="U0OFFICER")
    round_ = make_round(slug="phase-3", status="open")
    survey = make_survey(round=round_)
    db.session.commit()
    round_.status = "closed"
    db.session.commit()
    answer = save_feedback(post, f"{survey.id}:went_well")

    assert answer["response_action"] == "errors"
    assert "has closed" in answer["errors"]["question"]
    assert db.session.scalars(select(Response)).all() == []


def test_feedback_for_a_question_no_longer_asked_asks_to_choose_again(post, slack):
    make_officer(slack_user_id="U0OFFICER")
    survey = make_survey(round=make_round(slug="phase-3", status="open"))
    db.session.commit()
    answer = save_feedback(post, f"{survey.id}:gone")

    assert answer["errors"] == {"question": "Choose a question"}
