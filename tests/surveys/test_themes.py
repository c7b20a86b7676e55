"""The codebook and the officers' edits to themes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from surveys.db import db
from surveys.errors import InvalidInput
from surveys.models import AuditEvent, Lesson, Theme
from surveys.services import lessons, themes
from tests.factories import (
    ANALYSIS_DEFINITION,
    make_officer,
    make_round,
    make_submitted_response,
    make_survey,
)


def _theme(round_, key, kind="improve", **fields):
    theme = Theme(programme_id=round_.programme_id, key=key, label=key.title(), kind=kind, **fields)
    db.session.add(theme)
    db.session.flush()
    return theme


@pytest.fixture
def setting(app):
    round_ = make_round()
    survey = make_survey(ANALYSIS_DEFINITION, round=round_)
    response = make_submitted_response(survey, {"improve": "Too short", "went_well": "Clear"})
    return round_, response, make_officer()


def test_codebook_leaves_merged_themes_out_and_carries_exemplars(setting):
    round_, _, officer = setting
    a = _theme(round_, "timeframe", exemplars=["too short"])
    b = _theme(round_, "deadline", exemplars=["deadline"])
    c = _theme(round_, "window", exemplars=["window"])
    themes.merge_themes(c, b, officer)

    themes.merge_themes(b, a, officer)

    assert [kt.key for kt in themes.codebook_for(round_.programme)] == ["timeframe"]
    assert themes.codebook_for(round_.programme)[0].exemplars == (
        "too short",
        "deadline",
        "window",
    )
    # Earlier merges follow the chain to the theme that now stands for them.
    assert (b.merged_into_id, c.merged_into_id) == (a.id, a.id)


def test_merge_moves_answers_and_lessons_and_refuses_itself(setting):
    round_, response, officer = setting
    a, b = _theme(round_, "timeframe"), _theme(round_, "deadline")
    answer = response.answers[0]
    answer.theme_id = b.id
    lesson = lessons.record_lesson(round_, b, "Longer window", "", officer)

    themes.merge_themes(b, a, officer)

    assert answer.theme_id == a.id and lesson.theme_id == a.id
    with pytest.raises(InvalidInput):
        themes.merge_themes(a, a, officer)
    with pytest.raises(InvalidInput):
        themes.merge_themes(b, a, officer)
    other = _theme(make_round(), "elsewhere")
    with pytest.raises(InvalidInput):
        themes.merge_themes(a, other, officer)
    assert db.session.scalar(select(Lesson.theme_id)) == a.id


def test_rename_needs_a_label_and_is_audited(setting):
    round_, _, officer = setting
    theme = _theme(round_, "timeframe")

    with pytest.raises(InvalidInput) as error:
        themes.rename_theme(theme, "   ", officer)
    assert "label" in error.value.errors
    themes.rename_theme(theme, "  Time  to apply ", officer)

    assert (theme.label, theme.label_edited) == ("Time to apply", True)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "theme.rename")).one()
    assert (event.actor_id, event.target_type, event.target_id) == (officer.id, "theme", theme.id)


def test_split_pins_answers_under_a_new_uniquely_keyed_theme(setting):
    round_, response, officer = setting
    theme = _theme(round_, "time-to-apply")
    answer = response.answers[0]
    answer.theme_id = theme.id

    new = themes.split_theme(theme, [answer.id], "Time to apply", officer)

    assert new.key == "time-to-apply-2" and new.label_edited and new.kind == "improve"
    assert (answer.theme_id, answer.theme_pinned) == (new.id, True)
    assert new.first_round_id == round_.id
    with pytest.raises(InvalidInput):
        themes.split_theme(theme, [answer.id], "Again", officer)  # no longer in this theme
    with pytest.raises(InvalidInput):
        themes.split_theme(theme, [], "Empty", officer)


def test_move_answer_pins_it_and_refuses_another_programmes_theme(setting):
    round_, response, officer = setting
    target = _theme(round_, "guidance", kind="went_well")
    answer = response.answers[0]

    themes.move_answer(answer, target, officer)
    assert (answer.theme_id, answer.theme_pinned) == (target.id, True)
    themes.move_answer(answer, None, officer)
    assert (answer.theme_id, answer.theme_pinned) == (None, True)
    with pytest.raises(InvalidInput):
        themes.move_answer(answer, _theme(make_round(), "elsewhere"), officer)
