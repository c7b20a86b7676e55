"""Follow-up questions: open lessons add "Has this improved?" to the next round's surveys."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from surveys import journey
from surveys.db import db
from surveys.definitions import load_template, validate_definition
from surveys.errors import InvalidInput
from surveys.models import Lesson, Theme
from surveys.services import lessons, rounds_admin
from surveys.services.responses import (
    answers_of,
    definition_for,
    save_page,
    start_or_resume,
    submit_response,
)
from surveys.services.summaries import round_summary
from tests.factories import make_contact, make_invitation, make_officer, make_round

UPLOADED = """\
id: short
title: A short questionnaire
pages:
  - id: improve
    questions:
      - id: improve
        type: long_text
        kind: improve
        text: What could we improve?
"""


@pytest.fixture
def rounds(app):
    round_a = make_round(slug="phase-a", name="Phase A", status="closed")
    round_b = make_round(
        slug="phase-b",
        name="Phase B",
        programme=round_a.programme,
        previous_round=round_a,
        opens_on=date(2030, 9, 1),
    )
    return round_a, round_b


def _lesson(round_a, round_b, **overrides: Any) -> Lesson:
    theme = db.session.scalars(
        select(Theme).where(Theme.programme_id == round_a.programme_id)
    ).first() or Theme(
        programme_id=round_a.programme_id, key="window", label="Application window", kind="improve"
    )
    db.session.add(theme)
    db.session.flush()
    officer = make_officer()
    fields: dict[str, Any] = {
        "title": "Give applicants longer",
        "what_we_heard": "The six-week window to complete the form was too short.",
        "actions": [
            {"description": "Extend the window", "owner": "Manager", "due_on": round_b.opens_on}
        ],
        "target_round": round_b,
    }
    lesson = lessons.record_lesson(round_a, theme, officer=officer, **(fields | overrides))
    lessons.update_action(lesson.actions[0], "done", "The EOI ran for 12 weeks", officer)
    lessons.update_lesson(lesson, officer, what_we_did="Extended the window to 12 weeks.")
    return lesson


def _stored(survey) -> dict[str, Any]:
    return survey.versions[0].definition


def _answer_everything(invitation, answers: dict[str, Any]):
    """Answer page by page through the journey and submit, as a respondent would."""
    response = start_or_resume(invitation)
    definition = definition_for(response)
    page_id: str | None = definition.pages[0].id
    while page_id is not None:
        form: dict[str, Any] = {}
        for question in definition.page(page_id).questions:
            form.update(question.form_values(answers.get(question.id)))
        save_page(response, page_id, form)
        page_id = journey.next_page_id(definition, answers_of(response), page_id)
    return submit_response(response)


PROVIDER_ANSWERS: dict[str, Any] = {
    "heard_about": ["postcard"],
    "rating_advertising": 4,
    "rating_documents": 4,
    "rating_guidance": 4,
    "rating_briefings": 5,
    "rating_window": 4,
    "rating_communication": 4,
    "rating_panel": 4,
    "rating_presentations": "na",
    "went_well": "Twelve weeks was enough time for our trustees.",
    "improve": "Publish the scoring criteria earlier.",
    "window_long_enough": True,
    "anything_else": None,
    "may_contact": False,
}


def test_a_lesson_adds_its_question_to_the_next_rounds_survey_and_is_reported(rounds):
    round_a, round_b = rounds
    lesson = _lesson(round_a, round_b)
    improved_id, comment_id = lessons.followup_question_ids(lesson)

    survey = rounds_admin.attach_template(round_b, "provider-post-round")

    definition = validate_definition(_stored(survey))
    page = definition.page_of(improved_id)
    assert page.id == lessons.FOLLOWUP_PAGE_ID
    assert definition.question(improved_id).text == (
        "Last time you told us the six-week window to complete the form was too short; "
        "we extended the window to 12 weeks. Has this improved?"
    )
    # The follow-ups come before the closing pages, which stay last.
    page_ids = [p.id for p in definition.pages]
    assert page_ids.index(page.id) == page_ids.index("anything_else") - 1

    for choice in ("yes", "yes", "partly", "no"):
        invitation = make_invitation(survey=survey, contact=make_contact())
        answers = PROVIDER_ANSWERS | {improved_id: choice, comment_id: "Much better this time."}
        _answer_everything(invitation, answers)

    (entry,) = round_summary(round_b).lessons
    assert entry.theme_label == "Application window"
    assert entry.lesson == "The six-week window to complete the form was too short."
    assert entry.what_we_did == "Extended the window to 12 weeks."
    assert [(a.description, a.status, a.evidence) for a in entry.actions] == [
        ("Extend the window", "done", "The EOI ran for 12 weeks")
    ]
    assert dict(entry.improved) == {"Yes": 2, "Partly": 1, "No": 1}
    # The comment box answers are quoted under the lesson and kept out of the themes.
    assert entry.quotes == ("Much better this time.",)
    summary = round_summary(round_b)
    themed = (*summary.went_well, *summary.improve, *summary.other)
    assert not any("Much better" in q for t in themed for q in t.quotes)


def test_followups_can_be_left_out_and_only_open_asked_lessons_add_them(rounds):
    round_a, round_b = rounds
    _lesson(round_a, round_b)
    closed = _lesson(round_a, round_b, title="Closed")
    lessons.update_lesson(closed, None, status="closed")
    _lesson(round_a, round_b, title="Not asked", ask_next_round=False)

    without = rounds_admin.attach_template(round_b, "panel-member", with_followups=False)
    uploaded = rounds_admin.attach_uploaded_yaml(round_b, UPLOADED)

    assert lessons.lessons_asked_about(_stored(without)) == []
    assert lessons.FOLLOWUP_PAGE_ID not in [p["id"] for p in _stored(without)["pages"]]
    # Only the open, asked lesson; a questionnaire without closing pages gets them last.
    asked = lessons.lessons_asked_about(_stored(uploaded))
    assert len(asked) == 1
    assert [p["id"] for p in _stored(uploaded)["pages"]] == ["improve", "you_said_we_did"]
    validate_definition(_stored(uploaded))


def test_a_round_without_lessons_gets_the_template_unchanged(rounds):
    _, round_b = rounds

    survey = rounds_admin.attach_template(round_b, "provider-post-round")

    assert _stored(survey) == load_template("provider-post-round").to_dict()


def test_copying_the_previous_rounds_surveys_asks_about_this_rounds_lessons_only(rounds):
    round_a, round_b = rounds
    earlier = make_round(
        slug="phase-0", name="Phase 0", programme=round_a.programme, status="closed"
    )
    round_a.previous_round = earlier
    old = _lesson(earlier, round_a, title="Old lesson", what_we_heard="Old news.")
    rounds_admin.attach_template(round_a, "provider-post-round")
    assert lessons.lessons_asked_about(_stored(round_a.surveys[0])) == [old.id]
    new = _lesson(round_a, round_b)

    (copy,) = rounds_admin.copy_previous_surveys(round_b)

    assert lessons.lessons_asked_about(_stored(copy)) == [new.id]
    assert sum(p["id"] == lessons.FOLLOWUP_PAGE_ID for p in _stored(copy)["pages"]) == 1
    validate_definition(_stored(copy))


def test_a_lesson_a_survey_asks_about_cannot_be_deleted_and_one_not_asked_can(rounds):
    round_a, round_b = rounds
    asked = _lesson(round_a, round_b)
    not_asked = _lesson(round_a, round_b, title="Not asked", ask_next_round=False)
    rounds_admin.attach_uploaded_yaml(round_b, UPLOADED)
    assert lessons.lessons_asked_in(round_b) == {asked.id}

    with pytest.raises(InvalidInput, match="close it instead"):
        lessons.delete_lesson(asked, None)
    lessons.delete_lesson(not_asked, None)
    assert db.session.get(Lesson, asked.id) is not None
    assert db.session.get(Lesson, not_asked.id) is None
