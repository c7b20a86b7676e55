"""The journey: which pages are asked, in what order, and what is left to answer."""

from __future__ import annotations

from surveys import journey
from surveys.definitions import load_template

PROVIDER = load_template("provider-post-round")
RATINGS_BEFORE = {
    "rating_advertising": "4",
    "rating_documents": "5",
    "rating_guidance": "3",
    "rating_briefings": "na",
    "rating_window": "2",
}
RATINGS_DURING = {"rating_communication": "2", "rating_panel": "3", "rating_presentations": "na"}


def _all_answers(**changes):
    answers = {
        "heard_about": ["press_advert"],
        **{key: 4 for key in RATINGS_BEFORE},
        **{key: 3 for key in RATINGS_DURING},
        "went_well": "Clear documents.",
        "improve": None,
        "window_long_enough": True,
        "anything_else": None,
        "may_contact": False,
    }
    return answers | changes


def test_weeks_question_is_asked_only_when_the_window_was_too_short():
    assert "window_weeks" not in [p.id for p in journey.visible_pages(PROVIDER, {})]
    too_short = {"window_long_enough": False}
    assert journey.next_page_id(PROVIDER, too_short, "window") == "window_weeks"
    assert journey.next_page_id(PROVIDER, {"window_long_enough": True}, "window") == (
        "anything_else"
    )
    assert journey.previous_page_id(PROVIDER, too_short, "anything_else") == "window_weeks"
    assert journey.previous_page_id(PROVIDER, {}, "anything_else") == "window"


def test_first_page_has_no_previous_and_last_page_leads_to_check_answers():
    first = PROVIDER.pages[0].id
    assert journey.previous_page_id(PROVIDER, {}, first) is None
    assert journey.next_page_id(PROVIDER, {"may_contact": False}, "contact") is None
    assert journey.next_page_id(PROVIDER, {"may_contact": True}, "contact") == "contact_email"


def test_first_unanswered_page_resumes_where_the_respondent_left_off():
    assert journey.first_unanswered_page_id(PROVIDER, {}) == "heard"
    answers = {"heard_about": ["cvs"], **{key: 4 for key in RATINGS_BEFORE}}
    assert journey.first_unanswered_page_id(PROVIDER, answers) == "during_process"
    # A blank optional answer still counts as seen.
    assert journey.first_unanswered_page_id(PROVIDER, _all_answers()) is None


def test_validate_page_returns_cleaned_values_and_errors_by_question():
    form = dict(RATINGS_BEFORE, rating_window="")

    cleaned, errors = journey.validate_page(PROVIDER, "before_applying", form)

    assert cleaned == {
        "rating_advertising": 4,
        "rating_documents": 5,
        "rating_guidance": 3,
        "rating_briefings": "na",
    }
    assert errors == {"rating_window": "Select a rating for the time allowed to apply"}


def test_validate_page_skips_questions_hidden_by_earlier_answers():
    cleaned, errors = journey.validate_page(
        PROVIDER, "contact_email", {}, answers={"may_contact": False}
    )
    assert cleaned == {}
    assert errors == {}


def test_answered_questions_leaves_out_hidden_and_blank_answers():
    answers = _all_answers(window_weeks=10)

    answered = journey.answered_questions(PROVIDER, answers)

    assert "window_weeks" not in answered  # the window was long enough, so it is hidden
    assert "improve" not in answered
    assert answered["went_well"] == "Clear documents."
    assert list(answered)[0] == "heard_about"


def test_is_complete_needs_every_visible_required_answer():
    assert journey.is_complete(PROVIDER, _all_answers())
    assert not journey.is_complete(PROVIDER, _all_answers(window_long_enough=False))
    assert journey.is_complete(PROVIDER, _all_answers(window_long_enough=False, window_weeks=12))
    assert not journey.is_complete(PROVIDER, _all_answers(rating_panel=9))
    assert journey.check_answers(PROVIDER, _all_answers(rating_panel=9)) == {
        "rating_panel": "Select one of the ratings"
    }
