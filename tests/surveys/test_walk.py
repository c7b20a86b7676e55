"""The walk every face drives, and the rules that moved from the faces into services."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from surveys.db import db
from surveys.definitions import load_template
from surveys.errors import AlreadySubmitted, NotFound, SurveyClosed
from surveys.models import Invitation, Response, utcnow
from surveys.services import invitations
from surveys.services.responses import start_or_resume
from surveys.services.walk import Walk
from tests.factories import (
    BRANCHING_DEFINITION,
    make_contact,
    make_invitation,
    make_round,
    make_survey,
)

pytestmark = pytest.mark.usefixtures("app")


def provider_walk() -> Walk:
    survey = make_survey(load_template("provider-post-round").to_dict())
    return Walk(start_or_resume(make_invitation(survey=survey)))


def test_open_page_shows_position_values_and_the_way_back():
    walk = provider_walk()
    first = walk.open_page(walk.first_page_id())
    assert (first.number, first.previous_id) == (1, None)

    following = walk.save_page(first.page.id, {"heard_about": ["cvs"]})
    shown = walk.open_page(following)

    assert shown.previous_id == first.page.id and shown.number == 2
    assert walk.open_page(first.page.id).values["heard_about"] == ["cvs"]


def test_a_page_hidden_by_an_answer_cannot_be_opened_and_is_not_a_check_row():
    walk = provider_walk()
    walk.save_page("window", {"window_long_enough": "no"})
    assert walk.has_page("window_weeks")  # asked because the window was too short
    walk.save_page("window", {"window_long_enough": "yes"})

    assert not walk.has_page("window_weeks")  # asked only when the window was too short
    with pytest.raises(NotFound):
        walk.open_page("window_weeks")
    assert "window_weeks" not in {row.question.id for row in walk.check_rows()}


def test_save_page_leads_to_the_check_step_after_the_last_page():
    walk = Walk(start_or_resume(make_invitation()))
    assert walk.save_page("feedback", {"went_well": "Clear papers"}) is None
    assert [(row.question.id, row.answer) for row in walk.check_rows()] == [
        ("went_well", "Clear papers")
    ]


def test_a_closed_round_takes_no_more_answers_through_the_walk():
    walk = Walk(start_or_resume(make_invitation()))
    walk.response.survey.round.status = "closed"
    with pytest.raises(SurveyClosed):
        walk.save_page("feedback", {"went_well": "Late"})
    with pytest.raises(SurveyClosed):
        walk.submit()


def test_submitting_twice_is_already_submitted():
    walk = Walk(start_or_resume(make_invitation()))
    walk.save_page("feedback", {"went_well": "Fine"})
    walk.submit()
    with pytest.raises(AlreadySubmitted):
        walk.submit()


def test_invitations_only_in_an_open_round():
    closed = make_survey(round=make_round(status="closed"))
    draft = make_survey(round=make_round(status="draft"))
    contact = make_contact()
    for survey in (closed, draft):
        with pytest.raises(SurveyClosed, match="Open the round"):
            invitations.invite(survey, [contact])
    assert db.session.scalars(select(Invitation)).all() == []


def test_the_slack_users_pending_invitation_is_found_by_the_service():
    round_ = make_round(status="open")
    survey = make_survey(round=round_)
    mine = make_invitation(survey=survey, contact=make_contact(slack_user_id="U0ME"))
    make_invitation(survey=survey, contact=make_contact(slack_user_id="U0YOU"))
    erased = make_contact(slack_user_id="U0GONE")
    erased.erased_at = utcnow()
    make_invitation(survey=survey, contact=erased)
    done = make_invitation(
        survey=make_survey(round=round_), contact=make_contact(slack_user_id="U0DONE")
    )
    done.status = "completed"

    find = invitations.pending_invitation_for_slack_user
    assert find(round_, "U0ME") == mine
    assert find(round_, "U0GONE") is None
    assert find(round_, "U0DONE") is None
    assert find(make_round(status="open"), "U0ME") is None


def test_check_rows_are_the_visible_questions_even_unanswered():
    walk = Walk(start_or_resume(make_invitation()))
    walk.save_page("feedback", {"went_well": ""})
    assert [(row.question.id, row.answer) for row in walk.check_rows()] == [("went_well", "")]
    assert db.session.scalars(select(Response)).one().is_draft


def test_save_all_saves_every_visible_page_in_order_and_drops_hidden_answers():
    walk = Walk(start_or_resume(make_invitation(survey=make_survey(BRANCHING_DEFINITION))))
    walk.save_all({"applied": "yes", "why_not": "hidden by the answer above", "clarity": "4"})
    assert walk.answers == {"applied": True, "clarity": 4}
    assert walk.is_ready_to_check()
    walk.save_all({"applied": "no", "why_not": "Too short", "clarity": "2"})
    assert walk.answers == {"applied": False, "why_not": "Too short", "clarity": 2}


def test_save_all_stops_at_the_first_page_with_a_problem():
    from surveys.errors import InvalidInput

    walk = Walk(start_or_resume(make_invitation(survey=make_survey(BRANCHING_DEFINITION))))
    with pytest.raises(InvalidInput) as error:
        walk.save_all({"applied": "no", "clarity": "3"})
    assert set(error.value.errors) == {"why_not"}
