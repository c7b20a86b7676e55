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

    new = themes.split_theme(theme, [answer.id], "Time to apply", officer, round_=round_)

    assert new.key == "time-to-apply-2" and new.label_edited and new.kind == "improve"
    assert (answer.theme_id, answer.theme_pinned) == (new.id, True)
    assert new.first_round_id == round_.id
    with pytest.raises(InvalidInput):
        themes.split_theme(theme, [answer.id], "Again", officer, round_=round_)  # moved out
    with pytest.raises(InvalidInput):
        themes.split_theme(theme, [], "Empty", officer, round_=round_)


def _filed(round_, survey, theme, text="Longer window please"):
    response = make_submitted_response(survey, {"improve": text})
    response.answers[0].theme_id = theme.id
    db.session.flush()
    return response.answers[0]


def test_move_answer_pins_it_and_offers_only_this_rounds_themes_on_its_side(setting):
    round_, response, officer = setting
    survey = response.survey
    target = _theme(round_, "guidance")
    _filed(round_, survey, target)
    went_well = _theme(round_, "clear-documents", kind="went_well")
    _filed(round_, survey, went_well).kind = "went_well"
    answer = next(a for a in response.answers if a.kind == "improve")

    assert [t.id for t in themes.move_choices(answer, round_)] == [target.id]
    themes.move_answer(answer, target, officer, round_=round_)
    assert (answer.theme_id, answer.theme_pinned) == (target.id, True)
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "answer.move_theme")
    ).one()
    assert event.detail == {"old_name": "No theme", "new_name": "Guidance"}
    themes.move_answer(answer, None, officer, round_=round_)
    assert (answer.theme_id, answer.theme_pinned) == (None, True)
    later_round = make_round(programme=round_.programme)
    not_in_this_round = _theme(later_round, "elsewhere")
    for refused in (went_well, not_in_this_round, _theme(make_round(), "other-programme")):
        with pytest.raises(InvalidInput):
            themes.move_answer(answer, refused, officer, round_=round_)
    assert answer.theme_id is None


def test_rename_refuses_a_name_its_side_already_has_and_audits_old_and_new(setting):
    round_, _, officer = setting
    theme = _theme(round_, "timeframe")
    _theme(round_, "communication")
    _theme(round_, "guidance", kind="went_well")

    with pytest.raises(InvalidInput) as taken:
        themes.rename_theme(theme, "  COMMUNICATION ", officer)
    assert "already a theme called ‘Communication’" in taken.value.errors["label"]
    themes.rename_theme(theme, "Guidance", officer)  # the other side may share a name
    themes.rename_theme(theme, "guidance", officer)  # and a theme may change its own case

    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "theme.rename").order_by(AuditEvent.id)
    ).all()
    assert [e.detail for e in events] == [
        {"old_name": "Timeframe", "new_name": "Guidance"},
        {"old_name": "Guidance", "new_name": "guidance"},
    ]


def test_merge_preview_counts_what_moves_and_merge_keeps_to_one_side(setting):
    round_, response, officer = setting
    survey = response.survey
    source, target = _theme(round_, "deadline"), _theme(round_, "timeframe")
    _filed(round_, survey, source)
    later = make_round(programme=round_.programme)
    _filed(later, make_survey(ANALYSIS_DEFINITION, round=later), source)
    lessons.record_lesson(round_, source, "Longer window", "", officer)
    went_well = _theme(round_, "clear", kind="went_well")

    preview = themes.merge_preview(source, target, round_)

    assert (preview.answers_here, preview.answers_elsewhere, preview.lessons) == (1, 1, 1)
    assert source.merged_into_id is None  # a preview changes nothing
    with pytest.raises(InvalidInput):
        themes.merge_themes(source, went_well, officer)
    themes.merge_themes(source, target, officer)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "theme.merge")).one()
    assert event.detail == {"old_name": "Deadline", "into_name": "Timeframe", "count": 2}


def test_split_refuses_blank_or_taken_names_and_other_rounds_answers(setting):
    round_, response, officer = setting
    theme = _theme(round_, "timeframe")
    _theme(round_, "deadline")
    here = _filed(round_, response.survey, theme)
    later = make_round(programme=round_.programme)
    there = _filed(later, make_survey(ANALYSIS_DEFINITION, round=later), theme)

    for label, ids in (("  ", [here.id]), ("deadline", [here.id]), ("New", [there.id])):
        with pytest.raises(InvalidInput):
            themes.split_theme(theme, ids, label, officer, round_=round_)
    label, answers = themes.split_preview(theme, [here.id], " Deadline  pressure ", round_)
    assert (label, answers) == ("Deadline pressure", [here])
    new = themes.split_theme(theme, [here.id], label, officer, round_=round_)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "theme.split")).one()
    assert event.detail == {"count": 1, "old_name": "Timeframe", "new_name": "Deadline pressure"}
    assert there.theme_id == theme.id and here.theme_id == new.id
