"""The submission service: drafts, page saves and submission, once, against the right version."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from analysis import embeddings
from surveys.db import db
from surveys.errors import AlreadySubmitted, InvalidInput, NotFound, SurveyClosed
from surveys.models import Answer, AuditEvent, Response, SurveyVersion
from surveys.services.responses import (
    answers_of,
    find_draft,
    new_reference,
    save_page,
    start_or_resume,
    submit_response,
)
from tests.factories import make_invitation, make_round, make_survey

pytestmark = pytest.mark.usefixtures("app")

WINDOW = {
    "id": "window",
    "title": "Window",
    "pages": [
        {
            "id": "enough",
            "questions": [
                {"id": "enough", "type": "yes_no", "text": "Was the window long enough?"}
            ],
        },
        {
            "id": "weeks",
            "questions": [
                {
                    "id": "weeks",
                    "type": "number",
                    "text": "How many weeks would be right?",
                    "min": 1,
                    "max": 52,
                    "show_if": {"question": "enough", "equals": False},
                }
            ],
        },
        {
            "id": "improve",
            "questions": [
                {
                    "id": "improve",
                    "type": "long_text",
                    "kind": "improve",
                    "text": "What could improve?",
                    "required": False,
                    "max_length": 50,
                }
            ],
        },
    ],
}


def _invitation(**round_fields):
    survey = make_survey(WINDOW, round=make_round(**round_fields))
    return make_invitation(survey=survey)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_start_creates_one_draft_and_resumes_it():
    invitation = _invitation()

    first = start_or_resume(invitation)
    again = start_or_resume(invitation)

    assert first is again
    assert first.status == "draft"
    assert first.channel == "web"
    assert first.survey_version.version == 1
    assert first.reference.startswith("DB-")
    assert _count(Response) == 1


def test_reference_is_unambiguous_to_read_aloud():
    reference = new_reference()
    assert len(reference) == 12
    assert not set(reference[3:].replace("-", "")) & set("01OIL")


def test_save_page_stores_cleaned_answers_and_resaving_replaces_them():
    invitation = _invitation()
    response = start_or_resume(invitation)

    save_page(response, "enough", {"enough": "no"})
    save_page(response, "weeks", {"weeks": "8"})
    save_page(response, "weeks", {"weeks": "12"})

    assert answers_of(response) == {"enough": False, "weeks": 12}
    assert _count(Answer) == 2


def test_save_page_refuses_invalid_answers_and_stores_nothing():
    response = start_or_resume(_invitation())

    with pytest.raises(InvalidInput) as caught:
        save_page(response, "enough", {"enough": ""})

    assert caught.value.errors == {"enough": "Select yes or no"}
    assert answers_of(response) == {}


def test_save_page_refuses_a_page_hidden_by_earlier_answers():
    response = start_or_resume(_invitation())
    save_page(response, "enough", {"enough": "yes"})

    with pytest.raises(NotFound):
        save_page(response, "weeks", {"weeks": "8"})


def test_too_long_text_is_refused_with_a_clear_message():
    response = start_or_resume(_invitation())

    with pytest.raises(InvalidInput) as caught:
        save_page(response, "improve", {"improve": "x" * 51})

    assert caught.value.errors["improve"] == (
        "Your answer must be 50 characters or fewer (it is 51 characters)"
    )


def test_submit_drops_hidden_answers_tags_free_text_and_completes_the_invitation():
    invitation = _invitation()
    response = start_or_resume(invitation)
    save_page(response, "enough", {"enough": "no"})
    save_page(response, "weeks", {"weeks": "10"})
    save_page(response, "enough", {"enough": "yes"})  # weeks is now hidden
    save_page(response, "improve", {"improve": "Six weeks was far too short for us."})
    embeddings.model()  # a running app has it loaded after its first analysis

    submit_response(response)
    db.session.commit()

    assert response.status == "submitted"
    assert response.submitted_at is not None
    assert answers_of(response) == {
        "enough": True,
        "improve": "Six weeks was far too short for us.",
    }
    assert invitation.status == "completed"
    assert invitation.completed_at == response.submitted_at
    improve = next(a for a in response.answers if a.question_id == "improve")
    assert improve.kind == "improve"
    assert improve.sentiment_label == "negative"
    assert improve.tagger_version
    assert improve.vector_model and len(improve.vector) == 4 * embeddings.DIMENSIONS
    enough = next(a for a in response.answers if a.question_id == "enough")
    assert enough.vector is None  # only free text has a meaning to store
    event = db.session.scalars(select(AuditEvent)).one()
    assert (event.action, event.target_id) == ("response.submitted", response.id)


def test_submit_refuses_missing_required_answers():
    response = start_or_resume(_invitation())
    save_page(response, "enough", {"enough": "no"})

    with pytest.raises(InvalidInput) as caught:
        submit_response(response)

    assert caught.value.errors == {"weeks": "Enter a number"}
    assert response.status == "draft"


def test_submit_twice_raises_already_submitted():
    invitation = _invitation()
    response = start_or_resume(invitation)
    save_page(response, "enough", {"enough": "yes"})
    submit_response(response)

    with pytest.raises(AlreadySubmitted):
        submit_response(response)
    with pytest.raises(AlreadySubmitted) as caught:
        start_or_resume(invitation)
    assert caught.value.response is response
    with pytest.raises(AlreadySubmitted):
        save_page(response, "enough", {"enough": "no"})
    assert _count(Response) == 1


def test_submit_can_be_backdated():
    response = start_or_resume(_invitation())
    save_page(response, "enough", {"enough": "yes"})
    when = datetime(2008, 3, 14, 10, 30, tzinfo=UTC)

    submit_response(response, submitted_at=when)
    db.session.commit()

    assert db.session.get(Response, response.id).submitted_at == when


def test_closed_round_stores_nothing():
    invitation = _invitation(status="closed")

    with pytest.raises(SurveyClosed):
        start_or_resume(invitation)
    assert _count(Response) == 0


def test_draft_cannot_be_saved_or_submitted_once_the_round_closes():
    invitation = _invitation()
    response = start_or_resume(invitation)
    save_page(response, "enough", {"enough": "yes"})
    invitation.survey.round.status = "closed"

    with pytest.raises(SurveyClosed):
        save_page(response, "improve", {"improve": "Late"})
    with pytest.raises(SurveyClosed):
        submit_response(response)
    assert answers_of(response) == {"enough": True}


def test_response_keeps_the_version_it_started_on():
    invitation = _invitation()
    response = start_or_resume(invitation)
    survey = invitation.survey
    changed = {**WINDOW, "pages": WINDOW["pages"][:1]}
    db.session.add(SurveyVersion(survey=survey, version=2, definition=changed))
    survey.current_version = 2
    save_page(response, "enough", {"enough": "no"})

    with pytest.raises(InvalidInput):  # version 1 still asks how many weeks
        submit_response(response)


def test_open_link_responses_need_the_survey_to_allow_them():
    closed_survey = make_survey(WINDOW)
    open_survey = make_survey(WINDOW, open_link=True)

    with pytest.raises(NotFound):
        start_or_resume(survey=closed_survey)
    first = start_or_resume(survey=open_survey)
    second = start_or_resume(survey=open_survey)

    assert first is not second
    assert first.invitation is None
    assert find_draft(open_survey, first.id) is first
    with pytest.raises(NotFound):
        find_draft(closed_survey, first.id)


def test_telephone_entry_records_the_officer():
    from tests.factories import make_officer

    officer = make_officer()
    response = start_or_resume(_invitation(), channel="telephone", entered_by=officer)
    save_page(response, "enough", {"enough": "yes"})
    submit_response(response)

    assert (response.channel, response.entered_by) == ("telephone", officer)
    event = db.session.scalars(select(AuditEvent)).one()
    assert (event.actor_type, event.actor_id) == ("officer", officer.id)


def test_revoked_invitation_cannot_start():
    invitation = _invitation()
    invitation.status = "revoked"
    with pytest.raises(NotFound):
        start_or_resume(invitation)
