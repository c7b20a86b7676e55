"""The demonstration programme tells the whole loop: themes, lessons, actions, follow-ups."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from surveys.db import db
from surveys.demo import LESSONS, load_demo
from surveys.models import Theme
from surveys.services import lessons, rounds_admin
from surveys.services.summaries import round_summary


@pytest.fixture
def demo(app):
    assert load_demo() is not None
    return {slug: rounds_admin.round_by_slug(slug) for slug in ("phase-2", "phase-3")}


def test_phase_2_is_analysed_into_a_codebook_the_lessons_come_from(demo):
    phase_2, phase_3 = demo["phase-2"], demo["phase-3"]

    recorded = lessons.lessons_for_round(phase_2)

    assert [lesson.title for lesson in recorded] == [lesson.title for lesson in LESSONS]
    themes = db.session.scalars(select(Theme).where(Theme.first_round_id == phase_2.id)).all()
    assert {t.kind for t in themes} >= {"went_well", "improve"}
    assert all(lesson.theme is not None and lesson.theme.kind == "improve" for lesson in recorded)
    assert len({lesson.theme_id for lesson in recorded}) == len(recorded)
    assert all(
        lesson.target_round_id == phase_3.id and lesson.status == "open" for lesson in recorded
    )
    actions = [action for lesson in recorded for action in lesson.actions]
    assert {action.status for action in actions} == {"done", "in_progress"}
    assert all(action.owner and action.evidence for action in actions)
    assert all(action.due_on <= phase_3.opens_on for action in actions)


def test_phase_3s_provider_questionnaire_asks_whether_each_lesson_improved(demo):
    phase_2, phase_3 = demo["phase-2"], demo["phase-3"]
    recorded = lessons.lessons_for_round(phase_2)
    by_template = {survey.template: survey for survey in phase_3.surveys}

    provider = by_template["provider-post-round"].versions[0].definition

    assert lessons.lessons_asked_about(provider) == [lesson.id for lesson in recorded]
    texts = [q["text"] for q in lessons.iter_questions(provider) if q["id"].endswith("_improved")]
    assert texts[1] == (
        "Last time you told us six weeks was not long enough to complete the expression of "
        "interest form; we gave applicants 12 weeks instead of 6, in line with the Compact. "
        "Has this improved?"
    )
    # Partners and panel members were not asked in phase 2, so nothing is followed up.
    for template in ("partner-consultation", "panel-member"):
        assert lessons.lessons_asked_about(by_template[template].versions[0].definition) == []


def test_phase_3s_summary_says_you_said_we_did_with_how_respondents_rated_it(demo):
    summary = round_summary(demo["phase-3"])

    assert [entry.lesson for entry in summary.lessons] == [d.what_we_heard for d in LESSONS]
    assert all(entry.actions for entry in summary.lessons)
    assert all(sum(entry.improved.values()) >= 8 for entry in summary.lessons)
    ratings = {answer for entry in summary.lessons for answer in entry.improved}
    assert ratings == {"Yes", "Partly", "No"}
    assert sum(entry.improved.get("No", 0) for entry in summary.lessons) == 1
    assert all(entry.what_we_did and entry.quotes for entry in summary.lessons)
    statuses = {action.status_label for entry in summary.lessons for action in entry.actions}
    assert statuses == {"Done", "In progress"}
    assert all(action.evidence for entry in summary.lessons for action in entry.actions)
    # Follow-up comments are quoted under their lesson, not grouped into "Other comments".
    quoted = {quote for entry in summary.lessons for quote in entry.quotes}
    themed = (*summary.went_well, *summary.improve, *summary.other)
    assert not quoted & {quote for theme in themed for quote in theme.quotes}
