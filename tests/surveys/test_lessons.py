"""Lessons, their actions, and the follow-up questions they add to the next round."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from surveys.db import db
from surveys.errors import InvalidInput
from surveys.models import AuditEvent, Theme
from surveys.services import lessons
from tests.factories import ANALYSIS_DEFINITION, make_officer, make_round


@pytest.fixture
def setting(app):
    phase_2 = make_round(slug="phase-2", name="Phase 2", status="closed")
    phase_3 = make_round(
        slug="phase-3",
        name="Phase 3",
        programme=phase_2.programme,
        previous_round=phase_2,
        status="draft",
        opens_on=date(2031, 3, 1),
    )
    theme = Theme(
        programme_id=phase_2.programme_id, key="timeframe", label="Timeframe", kind="improve"
    )
    from surveys.db import db

    db.session.add(theme)
    db.session.flush()
    return phase_2, phase_3, theme, make_officer()


def test_record_lesson_targets_the_next_round_and_keeps_its_actions(setting):
    phase_2, phase_3, theme, officer = setting

    lesson = lessons.record_lesson(
        phase_2,
        theme,
        "Give applicants longer",
        "The six-week window to complete the EOI form was too short.",
        officer,
        actions=[
            {
                "description": "Extend the window to 12 weeks",
                "owner": "Commissioning manager",
                "due_on": date(2031, 1, 31),
            },
        ],
    )

    assert lesson.target_round_id == phase_3.id
    assert lesson.theme_id == theme.id and lesson.created_by_id == officer.id
    assert [a.description for a in lesson.actions] == ["Extend the window to 12 weeks"]
    assert lessons.lessons_for_round(phase_2) == [lesson]
    assert lessons.lessons_targeting(phase_3) == [lesson]


def test_actions_must_have_an_owner_and_be_due_before_the_next_round_opens(setting):
    phase_2, _, theme, officer = setting
    lesson = lessons.record_lesson(phase_2, theme, "Longer window", "", officer)

    with pytest.raises(InvalidInput) as error:
        lessons.add_action(lesson, "Extend the window", "Manager", date(2031, 6, 1), officer)
    assert "due_on" in error.value.errors
    with pytest.raises(InvalidInput) as error:
        lessons.add_action(lesson, "Extend the window", "  ", None, officer)
    assert "owner" in error.value.errors
    with pytest.raises(InvalidInput):
        lessons.record_lesson(phase_2, theme, "   ", "", officer)


def test_an_action_is_done_only_with_evidence(setting):
    phase_2, _, theme, officer = setting
    lesson = lessons.record_lesson(phase_2, theme, "Longer window", "", officer)
    action = lessons.add_action(lesson, "Extend the window", "Manager", date(2031, 1, 1), officer)

    with pytest.raises(InvalidInput) as error:
        lessons.update_action(action, "done", "", officer)
    assert "evidence" in error.value.errors
    with pytest.raises(InvalidInput):
        lessons.update_action(action, "finished", "", officer)

    lessons.update_action(action, "done", "Phase 3 EOI ran for 12 weeks", officer)
    assert (action.status, action.evidence) == ("done", "Phase 3 EOI ran for 12 weeks")
    assert lessons.what_we_did(lesson) == "Extend the window (Phase 3 EOI ran for 12 weeks)"


def test_followup_questions_ask_whether_open_lessons_improved(setting):
    phase_2, phase_3, theme, officer = setting
    lesson = lessons.record_lesson(
        phase_2, theme, "Longer window", "The EOI window was too short.", officer
    )
    lessons.update_lesson(lesson, officer, what_we_did="We extended it to 12 weeks.")
    closed = lessons.record_lesson(phase_2, theme, "Closed lesson", "x", officer)
    lessons.update_lesson(closed, officer, status="closed")
    quiet = lessons.record_lesson(phase_2, theme, "Not asked", "y", officer, ask_next_round=False)

    questions = lessons.followup_questions(phase_3)

    assert [q["id"] for q in questions] == [
        f"lesson_{lesson.id}_improved",
        f"lesson_{lesson.id}_comment",
    ]
    improved, comment = questions
    assert improved["text"] == (
        "Last time you told us the EOI window was too short; "
        "we extended it to 12 weeks. Has this improved?"
    )
    assert [o["value"] for o in improved["options"]] == ["yes", "partly", "no"]
    assert improved["type"] == "single_choice" and not improved["required"]
    assert comment["type"] == "long_text" and comment["kind"] == "other"
    assert comment["text"] == "Tell us more about ‘Longer window’ (optional)"
    assert {lessons.lesson_id_of(q["id"]) for q in questions} == {lesson.id}
    assert lessons.lesson_id_of("went_well") is None
    assert closed.id != lesson.id != quiet.id


def test_add_followups_to_definition_appends_a_page_once_without_changing_the_input(setting):
    phase_2, phase_3, theme, officer = setting
    lessons.record_lesson(phase_2, theme, "Longer window", "The window was too short.", officer)

    once = lessons.add_followups_to_definition(ANALYSIS_DEFINITION, phase_3)
    twice = lessons.add_followups_to_definition(once, phase_3)

    assert len(ANALYSIS_DEFINITION["pages"]) == 1
    assert [p["id"] for p in once["pages"]] == ["feedback", "you_said_we_did"]
    assert once == twice
    assert len(once["pages"][1]["questions"]) == 2


def test_followups_make_a_valid_questionnaire_from_a_built_in_template(setting):
    from surveys.definitions import load_template, validate_definition

    phase_2, phase_3, theme, officer = setting
    lessons.record_lesson(phase_2, theme, "Longer window", "The window was too short.", officer)
    template = load_template("provider-post-round").to_dict()

    augmented = lessons.add_followups_to_definition(template, phase_3)

    definition = validate_definition(augmented)
    assert definition.page("you_said_we_did").questions[0].text.endswith("Has this improved?")


def test_no_followups_without_lessons(setting):
    _, phase_3, _, _ = setting
    assert lessons.followup_questions(phase_3) == []
    assert lessons.add_followups_to_definition(ANALYSIS_DEFINITION, phase_3) == ANALYSIS_DEFINITION


def test_adding_an_action_is_audited_like_the_other_lesson_writes(setting):
    phase_2, _, theme, officer = setting
    first = {"description": "Extend the window", "owner": "Manager", "due_on": None}
    lesson = lessons.record_lesson(phase_2, theme, "Longer window", "", officer, [first])
    action = lessons.add_action(lesson, "Brief the CVS", "Officer", None, officer)

    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "action.add").order_by(AuditEvent.id)
    ).all()
    assert [(e.actor_id, e.target_type, e.target_id) for e in events] == [
        (officer.id, "action", lesson.actions[0].id),
        (officer.id, "action", action.id),
    ]
    assert events[-1].detail == {"status": "planned"}
