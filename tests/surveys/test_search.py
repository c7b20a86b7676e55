"""Searching submitted free-text answers."""

from __future__ import annotations

import pytest

from surveys.errors import InvalidInput
from surveys.services.search import search_answers
from tests.factories import (
    ANALYSIS_DEFINITION,
    make_answer,
    make_response,
    make_round,
    make_submitted_response,
    make_survey,
)


@pytest.fixture
def rounds(app):
    phase_2 = make_round(slug="phase-2", name="Phase 2")
    phase_3 = make_round(
        slug="phase-3", name="Phase 3", programme=phase_2.programme, previous_round=phase_2
    )
    survey_2 = make_survey(ANALYSIS_DEFINITION, round=phase_2)
    survey_3 = make_survey(ANALYSIS_DEFINITION, round=phase_3)
    make_submitted_response(
        survey_2,
        {"improve": "The TIMEFRAME was far too short.", "went_well": "Well advertised."},
        sector="voluntary",
        reference="P2-VOL",
    )
    make_submitted_response(
        survey_2,
        {"improve": "A longer timeframe please.", "overall": 4},
        sector="school_fe",
        reference="P2-SCH",
    )
    make_submitted_response(
        survey_3,
        {"improve": "Timeframe was fine, café venue was cold."},
        sector="voluntary",
        reference="P3-VOL",
    )
    draft = make_response(survey=survey_2, status="draft", reference="P2-DRAFT")
    make_answer(draft, "improve", "Draft timeframe answer never submitted.")
    return phase_2, phase_3


def test_finds_answers_by_meaning_in_submitted_answers_only(rounds):
    page = search_answers("timeframe")

    assert page.total == 3  # not the draft, not "Well advertised."
    assert {item.response_reference for item in page.items} == {"P2-VOL", "P2-SCH", "P3-VOL"}
    assert search_answers("timeframe short").items[0].text == "The TIMEFRAME was far too short."
    assert search_answers("TOO SHORT").items[0].text == "The TIMEFRAME was far too short."
    assert search_answers("publicity").items[0].text == "Well advertised."
    assert search_answers("deadline").total == 3  # the timeframe's other words


def test_filters_by_round_sector_and_sentiment(rounds):
    page = search_answers("timeframe", round_slug="phase-2", sector="voluntary")

    assert [item.response_reference for item in page.items] == ["P2-VOL"]
    item = page.items[0]
    assert (item.round_slug, item.question_id, item.sector) == ("phase-2", "improve", "voluntary")
    assert item.sector_label == "Voluntary/Charity"
    assert search_answers("timeframe", sector="Voluntary/Charity").total == 2

    item_answer = page.items[0].answer_id
    from surveys.db import db
    from surveys.models import Answer

    db.session.get(Answer, item_answer).sentiment_label = "negative"
    db.session.flush()
    assert [i.answer_id for i in search_answers("", sentiment="negative").items] == [item_answer]


def test_override_label_wins_over_tagger_label(rounds):
    from surveys.db import db
    from surveys.models import Answer

    answer_id = search_answers("longer").items[0].answer_id
    answer = db.session.get(Answer, answer_id)
    answer.sentiment_label = "negative"
    answer.override_label = "neutral"
    db.session.flush()

    assert search_answers("longer", sentiment="negative").total == 0
    assert search_answers("longer", sentiment="neutral").items[0].label == "neutral"


def test_non_ascii_text_and_like_wildcards_match_literally(rounds):
    assert search_answers("café").total == 1
    assert search_answers("%").total == 0
    assert search_answers("_").total == 0


def test_pages_through_results(rounds):
    first = search_answers("", limit=3)
    second = search_answers("", offset=first.next_offset, limit=3)

    # Four submitted free-text answers; the rating answer is not free text.
    assert (first.total, len(first.items), first.next_offset) == (4, 3, 3)
    assert (len(second.items), second.next_offset) == (1, None)
    assert len({i.answer_id for i in first.items + second.items}) == 4
    # Newest round first.
    assert first.items[0].round_slug == "phase-3"


def test_rejects_unknown_sentiment_and_sector(rounds):
    with pytest.raises(InvalidInput):
        search_answers("x", sentiment="angry")
    with pytest.raises(InvalidInput):
        search_answers("x", sector="aliens")
