"""Reading plain-words questions: round, sector, side, sentiment and topic."""

from __future__ import annotations

import pytest

from analysis.questions import SECTOR_WORDS, RoundName, mentions, parse_question, topic_words
from surveys.models import SECTORS

ROUNDS = [
    RoundName("phase-1", "Phase 1"),
    RoundName("phase-2", "Phase 2"),
    RoundName("p3", "Phase 3"),
]


def ask(text: str):
    return parse_question(text, ROUNDS, SECTORS)


def test_the_timeframe_question_names_round_sector_and_topic():
    q = ask("what did voluntary-sector providers say about the timeframe in phase 2?")
    assert (q.round_slug, q.sector, q.side, q.sentiment, q.topic) == (
        "phase-2",
        "voluntary",
        None,
        None,
        "timeframe",
    )
    assert q.filters() == {
        "round": "phase-2",
        "sector": "voluntary",
        "side": None,
        "sentiment": None,
        "topic": "timeframe",
    }


@pytest.mark.parametrize(
    ("text", "round_slug"),
    [
        ("timeframe phase-2", "phase-2"),
        ("timeframe in Phase 2", "phase-2"),
        ("timeframe in phase two", "phase-2"),
        ("timeframe in the second phase", "phase-2"),
        ("timeframe, round 3", "p3"),
        ("timeframe in p3", "p3"),
        ("timeframe", None),
        ("phase 12 timeframe", None),
    ],
)
def test_rounds_by_slug_name_or_number(text, round_slug):
    assert ask(text).round_slug == round_slug


@pytest.mark.parametrize(
    ("text", "sector"),
    [
        ("what did VCS say", "voluntary"),
        ("what did charities say", "voluntary"),
        ("the voluntary and community sector", "voluntary"),
        ("what did schools say", "school_fe"),
        ("colleges", "school_fe"),
        ("what did health partners say", "health"),
        ("the PCT", "health"),
        ("district councils", "district_council"),
        ("private providers", "private"),
        ("what did people say", None),
    ],
)
def test_sectors_in_the_words_people_use(text, sector):
    assert ask(text).sector == sector


@pytest.mark.parametrize(
    ("text", "side", "sentiment"),
    [
        ("what went well in phase 2", "went_well", None),
        ("what could improve", "improve", None),
        ("problems with the panel", "improve", None),
        ("complaints about communication", "improve", None),
        ("negative comments about the panel", None, "negative"),
        ("positive answers", None, "positive"),
    ],
)
def test_side_and_sentiment(text, side, sentiment):
    q = ask(text)
    assert (q.side, q.sentiment) == (side, sentiment)


def test_the_topic_keeps_the_content_words_only():
    assert ask("What did schools say about the lead agency role in phase 2?").topic == (
        "lead agency role"
    )
    assert ask("what went well in phase 2?").topic == ""
    assert ask("").topic == "" and ask("").round_slug is None


def test_a_topic_is_widened_to_the_words_used_for_it():
    words = topic_words("timeframe")
    assert {"deadline", "window", "weeks", "timetable"} <= set(words)
    assert mentions("Six weeks clashed with our year end.", words)
    assert not mentions("Feedback after the decision was thin.", words)
    assert topic_words("parking") == ("parking",)


def test_sector_words_cover_only_known_sectors():
    assert set(SECTOR_WORDS) <= set(SECTORS)
