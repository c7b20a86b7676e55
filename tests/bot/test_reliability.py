"""Reliability: retried events, 429s, Slack outages and revoked tokens, App Home, and the
worker's notifications."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta

from sqlalchemy import select

from bot import notifications
from surveys.db import db
from surveys.models import Action, Answer, IntegrationProblem, Lesson, utcnow
from surveys.services import integration_problems
from tests.factories import (
    make_contact,
    make_invitation,
    make_officer,
    make_response,
    make_round,
    make_survey,
)


def home_event(user: str) -> dict:
    return {"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"}


def test_a_retried_event_has_one_effect(post, slack):
    make_officer(slack_user_id="U0OFFICER")
    first = post.event(home_event("U0OFFICER"), event_id="Ev42")
    retry = post.event(
        home_event("U0OFFICER"),
        event_id="Ev42",
        headers=None,
        **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert (first.status_code, retry.status_code) == (200, 200)
    assert len(slack.calls_to("views.publish")) == 1
    post.event(home_event("U0OFFICER"), event_id="Ev43")
    assert len(slack.calls_to("views.publish")) == 2


def test_app_home_for_an_officer_shows_rates_summaries_and_open_actions(post, slack):
    make_officer(slack_user_id="U0OFFICER")
    open_round = make_round(slug="phase-3", name="Phase 3", status="open")
    make_invitation(survey=make_survey(round=open_round), status="sent")
    closed = make_round(slug="phase-2", name="Phase 2", status="closed")
    lesson = Lesson(programme_id=closed.programme_id, round_id=closed.id, title="Explain roles")
    lesson.actions.append(Action(description="Hold briefings <!here>", owner="Comms"))
    db.session.add(lesson)
    post.event(home_event("U0OFFICER"))
    [publish] = slack.calls_to("views.publish")
    assert publish.body["user_id"] == "U0OFFICER"
    text = publish.text()
    assert "Phase 3" in text and "0 of 1 answered (0%)" in text
    assert "Phase 2" in text and "Full report" in text
    assert "Hold briefings &lt;!here&gt;" in text


def test_app_home_for_a_partner_offers_their_invitation(post, slack):
    contact = make_contact(slack_user_id="U0PARTNER", role="partner")
    survey = make_survey(round=make_round(status="open"), title="Partner consultation")
    invitation = make_invitation(survey=survey, contact=contact, status="sent")
    make_invitation(survey=survey, status="sent")  # someone else's
    post.event(home_event("U0PARTNER"))
    [publish] = slack.calls_to("views.publish")
    buttons = [b["accessory"] for b in publish.body["view"]["blocks"] if "accessory" in b]
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        ("answer_in_slack", str(invitation.id))
    ]


def test_a_429_is_retried_after_retry_after(post, slack):
    make_officer(slack_user_id="U0OFFICER")
    slack.rate_limit("views.publish", times=1, retry_after=1)
    started = time.monotonic()
    post.event(home_event("U0OFFICER"))
    calls = slack.calls_to("views.publish")
    assert len(calls) == 2
    assert time.monotonic() - started >= 1.0
    assert integration_problems.open_problems() == []


def test_a_slack_outage_while_answering_loses_nothing_and_is_reported(post, slack):
    contact = make_contact(slack_user_id="U0PARTNER", role="partner")
    survey = make_survey(round=make_round(slug="phase-3", status="open"))
    make_invitation(survey=survey, contact=contact, status="sent")
    slack.fail("views.open", "internal_error")
    post.command("give phase-3", user_id="U0PARTNER")
    reply = slack.calls_to("/respond/commands")[-1]
    assert "Anything you had answered is saved" in reply.text()
    [problem] = integration_problems.open_problems()
    assert problem.service == "slack" and "internal_error" in problem.summary

    # Once Slack is back, the draft is resumed rather than started again.
    post.command("give phase-3", user_id="U0PARTNER")
    view = slack.calls_to("views.open")[-1].body["view"]
    values = {"went_well": {"value": {"value": "Good"}}}
    answer = post.view_submission(view, values, user_id="U0PARTNER").get_json()
    answer = post.view_submission(answer["view"], {}, user_id="U0PARTNER").get_json()
    assert "Thank you" in json.dumps(answer)
    assert [a.value for a in db.session.scalars(select(Answer))] == ["Good"]


def test_notifications_announce_rounds_and_dm_partners_once(app, slack):
    open_round = make_round(slug="phase-3", name="Phase 3", status="open", opens_on=date.today())
    old = make_round(slug="phase-1", status="open", opens_on=date.today() - timedelta(days=30))
    contact = make_contact(slack_user_id="U0PARTNER", role="partner", name="Pat <Lee>")
    invitation = make_invitation(
        survey=make_survey(round=open_round), contact=contact, status="sent"
    )
    make_invitation(survey=open_round.surveys[0], status="sent")  # not on Slack
    db.session.commit()

    assert notifications.announce_round_changes() == 1
    assert notifications.announce_round_changes() == 0
    [announcement] = slack.calls_to("chat.postMessage")
    assert announcement.body["channel"] == "C0NOTIFY"
    assert "Phase 3* is open" in announcement.text()
    assert old.slug not in announcement.text()  # opened long ago: not news

    assert notifications.message_invited_partners() == 1
    assert notifications.message_invited_partners() == 0
    dm = slack.calls_to("chat.postMessage")[-1]
    assert dm.body["channel"] == "U0PARTNER"
    assert "Pat &lt;Lee&gt;" in dm.text()
    button = dm.body["blocks"][-1]["elements"][0]
    assert (button["action_id"], button["value"]) == ("answer_in_slack", str(invitation.id))


def test_opted_out_and_erased_partners_get_no_direct_message(app, slack):
    survey = make_survey(round=make_round(slug="phase-3", status="open"))
    shy = make_contact(slack_user_id="U0SHY", role="partner", opted_out=True)
    gone = make_contact(slack_user_id="U0GONE", role="partner", erased_at=utcnow())
    for contact in (shy, gone):
        make_invitation(survey=survey, contact=contact, status="sent")
    db.session.commit()

    assert notifications.message_invited_partners() == 0
    assert slack.calls_to("chat.postMessage") == []


def test_a_revoked_token_is_reported_and_the_message_sent_later(app, slack):
    make_round(slug="phase-3", name="Phase 3", status="open", opens_on=date.today())
    db.session.commit()
    slack.fail("chat.postMessage", "token_revoked")
    assert notifications.announce_round_changes() == 0
    [problem] = db.session.scalars(select(IntegrationProblem)).all()
    assert "token_revoked" in problem.summary and problem.resolved_at is None
    assert notifications.announce_round_changes() == 1


def test_the_weekly_digest_is_posted_once_a_week(app, slack):
    round_ = make_round(slug="phase-3", name="Phase 3", status="open")
    make_response(invitation=make_invitation(survey=make_survey(round=round_)), status="submitted")
    db.session.commit()
    assert notifications.send_weekly_digest() is True
    assert notifications.send_weekly_digest() is False
    [digest] = slack.calls_to("chat.postMessage")
    assert "Phase 3*: 1 of 1 answered (100%)" in digest.text()


def test_the_button_in_a_dm_opens_only_the_partners_own_invitation(post, slack):
    contact = make_contact(slack_user_id="U0PARTNER", role="partner")
    survey = make_survey(round=make_round(status="open"))
    invitation = make_invitation(survey=survey, contact=contact, status="sent")
    post.block_action("answer_in_slack", str(invitation.id), user_id="U0INTRUDER")
    assert slack.calls_to("views.open") == []
    assert "not yours" in slack.calls_to("/respond/actions")[-1].text()
    post.block_action("answer_in_slack", str(invitation.id), user_id="U0PARTNER")
    assert slack.calls_to("views.open")[0].body["view"]["callback_id"] == "answer_page"


def test_old_event_records_are_forgotten_but_sent_notifications_are_kept(app):
    from surveys.models import SlackDelivery, utcnow
    from surveys.services.slack_deliveries import forget_events_older_than

    old = utcnow() - timedelta(days=30)
    db.session.add_all(
        [
            SlackDelivery(delivery_id="event:Ev1", received_at=old),
            SlackDelivery(delivery_id="event:Ev2"),
            SlackDelivery(delivery_id="notify:invitation:1", received_at=old),
        ]
    )
    db.session.flush()
    assert forget_events_older_than(7) == 1
    kept = sorted(d.delivery_id for d in db.session.scalars(select(SlackDelivery)))
    assert kept == ["event:Ev2", "notify:invitation:1"]
