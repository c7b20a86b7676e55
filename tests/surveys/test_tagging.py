"""Tagging free-text answers with the analysis tagger."""

from __future__ import annotations

import pytest

from analysis import sentiment
from surveys.db import db
from surveys.models import Answer
from surveys.services.tagging import tag_answers
from tests.factories import make_response

pytestmark = pytest.mark.usefixtures("app")


def test_free_text_answers_get_tags_and_others_do_not():
    response = make_response()
    text = "The guidance on the form was clear and really helpful."
    free = Answer(question_id="went_well", value=text, kind="went_well")
    rating = Answer(question_id="rating", value=4, kind=None)
    response.answers.extend([free, rating])

    tag_answers(response)

    expected = sentiment.tag(text, "went_well")
    assert free.sentiment_label == expected.label == "positive"
    assert free.polarity == expected.polarity
    assert free.subjectivity == expected.subjectivity
    assert free.suggestion == expected.suggestion
    assert free.reasons == list(expected.reasons)
    assert free.tagger_version == sentiment.TAGGER_VERSION
    assert rating.sentiment_label is None


def test_an_officers_override_is_never_overwritten():
    response = make_response()
    answer = Answer(
        question_id="improve",
        value="More notice of the briefing sessions would help.",
        kind="improve",
        override_label="neutral",
    )
    response.answers.append(answer)

    tag_answers(response)

    assert answer.override_label == "neutral"
    assert answer.tagger_version.startswith(sentiment.TAGGER_VERSION)


def test_an_officers_correction_adapts_later_answers_in_the_programme():
    text = "The panel asked about our safeguarding policy."
    first = make_response()
    corrected = Answer(question_id="improve", value=text, kind="improve")
    first.answers.append(corrected)
    tag_answers(first)
    flipped = "negative" if corrected.sentiment_label != "negative" else "positive"
    corrected.override_label = flipped
    db.session.flush()

    later = make_response(survey=first.survey)
    same = Answer(question_id="improve", value=text + " ", kind="improve")
    later.answers.append(same)
    tag_answers(later)

    assert same.sentiment_label == flipped
    assert any("an officer labelled" in r for r in same.reasons)
    assert same.tagger_version.startswith(f"{sentiment.TAGGER_VERSION}+")
    assert corrected.override_label == flipped
