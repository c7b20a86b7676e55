"""The provider questionnaire in a real browser: the journey, errors, save and return, changes.

Every page type is checked with axe-core against WCAG 2.2 A and AA, on a phone-sized
screen: start, each question type, an error, check answers, confirmation, already
submitted, closed and not found.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from surveys.db import db
from surveys.demo import load_demo
from surveys.models import Invitation, InvitationStatus, Response, Round, Survey
from surveys.services import responses as response_service
from surveys.services.invitations import invitation_for_token, issue_link
from surveys.services.walk import Walk
from tests.browser.conftest import PHONE, assert_accessible, assert_no_console_errors
from tests.factories import (
    make_contact,
    make_invitation,
    make_organisation,
    make_programme,
    make_round,
    make_survey,
)

pytestmark = pytest.mark.browser

RATING_POINTS = [
    {"value": 1, "label": "Very poor"},
    {"value": 2, "label": "Poor"},
    {"value": 3, "label": "Adequate"},
    {"value": 4, "label": "Good"},
    {"value": 5, "label": "Very good"},
]

# One page per question type (long text twice, on a page of two questions).
EVERY_TYPE: dict[str, Any] = {
    "id": "every-type",
    "title": "Tell us how the children's centres round went",
    "description": "Your answers help us improve the next round.",
    "time_to_complete": "about 5 minutes",
    "pages": [
        {
            "id": "organisation",
            "questions": [
                {
                    "id": "organisation_name",
                    "type": "short_text",
                    "text": "What is your organisation called?",
                    "error_message": "Enter the name of your organisation",
                }
            ],
        },
        {
            "id": "sector",
            "questions": [
                {
                    "id": "sector",
                    "type": "single_choice",
                    "text": "Which sector is your organisation in?",
                    "options": [
                        {"value": "voluntary", "label": "Voluntary or charity"},
                        {"value": "school", "label": "School or college"},
                        {"value": "health", "label": "Health"},
                    ],
                }
            ],
        },
        {
            "id": "heard",
            "questions": [
                {
                    "id": "heard_about",
                    "type": "multiple_choice",
                    "text": "How did you hear about this opportunity?",
                    "hint": "Select all that apply.",
                    "options": [
                        {"value": "website", "label": "The council's website"},
                        {"value": "postcard", "label": "A postcard or leaflet"},
                    ],
                    "other": "Somewhere else",
                }
            ],
        },
        {
            "id": "advertising",
            "questions": [
                {
                    "id": "rating_advertising",
                    "type": "rating",
                    "text": "How well was the opportunity advertised?",
                    "points": RATING_POINTS,
                    "not_applicable": "Does not apply to us",
                }
            ],
        },
        {
            "id": "applied",
            "questions": [
                {"id": "applied", "type": "yes_no", "text": "Did you apply to be a lead agency?"}
            ],
        },
        {
            "id": "hours",
            "questions": [
                {
                    "id": "hours",
                    "type": "number",
                    "text": "About how many hours did the application take?",
                    "min": 0,
                    "max": 1000,
                }
            ],
        },
        {
            "id": "briefing",
            "questions": [
                {
                    "id": "briefing_date",
                    "type": "date",
                    "text": "When did you go to a briefing session?",
                    "required": False,
                }
            ],
        },
        {
            "id": "feedback",
            "title": "Your views on the round",
            "questions": [
                {
                    "id": "went_well",
                    "type": "long_text",
                    "text": "What went well?",
                    "kind": "went_well",
                },
                {
                    "id": "improve",
                    "type": "long_text",
                    "text": "What could we improve?",
                    "kind": "improve",
                    "required": False,
                },
            ],
        },
        {
            "id": "contact",
            "questions": [
                {
                    "id": "contact_email",
                    "type": "email",
                    "text": "What email address can we contact you on?",
                    "required": False,
                }
            ],
        },
    ],
}

# What a respondent types on each page, as a form would post it (for seeding drafts).
EVERY_TYPE_FORMS: list[tuple[str, dict[str, Any]]] = [
    ("organisation", {"organisation_name": "Riverside Family Trust"}),
    ("sector", {"sector": "voluntary"}),
    ("heard", {"heard_about": ["website", "other"], "heard_about-other": "A neighbour"}),
    ("advertising", {"rating_advertising": "4"}),
    ("applied", {"applied": "yes"}),
    ("hours", {"hours": "40"}),
    (
        "briefing",
        {"briefing_date-day": "14", "briefing_date-month": "3", "briefing_date-year": "2008"},
    ),
    ("feedback", {"went_well": "The documents were easy to find.", "improve": "Give us longer."}),
    ("contact", {"contact_email": "manager@riverside.example"}),
]


def fill_organisation(page) -> None:
    page.get_by_label("What is your organisation called?").fill("Riverside Family Trust")


def fill_sector(page) -> None:
    page.get_by_label("Voluntary or charity").check()


def fill_heard(page) -> None:
    page.get_by_label("The council's website").check()
    page.get_by_label("Somewhere else").check()
    page.get_by_label("Please specify").fill("A neighbour")


def fill_advertising(page) -> None:
    page.get_by_label("Good", exact=True).check()


def fill_applied(page) -> None:
    page.get_by_label("Yes", exact=True).check()


def fill_hours(page) -> None:
    page.get_by_label("About how many hours did the application take?").fill("40")


def fill_briefing(page) -> None:
    page.get_by_label("Day").fill("14")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2008")


def fill_feedback(page) -> None:
    page.get_by_label("What went well?").fill("The documents were easy to find.")
    page.get_by_label("What could we improve?").fill("Give us longer to apply.")


def fill_contact(page) -> None:
    page.get_by_label("What email address can we contact you on?").fill("manager@riverside.example")


# (heading a respondent sees, how they answer) for every page, in order.
EVERY_TYPE_STEPS: list[tuple[str, Callable[[Any], None]]] = [
    ("What is your organisation called?", fill_organisation),
    ("Which sector is your organisation in?", fill_sector),
    ("How did you hear about this opportunity?", fill_heard),
    ("How well was the opportunity advertised?", fill_advertising),
    ("Did you apply to be a lead agency?", fill_applied),
    ("About how many hours did the application take?", fill_hours),
    ("When did you go to a briefing session?", fill_briefing),
    ("Your views on the round", fill_feedback),
    ("What email address can we contact you on?", fill_contact),
]


# --- Seeding ---------------------------------------------------------------------------


def invite_provider(**round_fields: Any) -> tuple[str, Any]:
    """Seed a round, the every-type survey and one invited provider; return (token, survey).

    Call inside `with seed():`.
    """
    programme = make_programme(name="Children's centres commissioning")
    round_ = make_round(programme=programme, name="Phase 2", **round_fields)
    survey = make_survey(EVERY_TYPE, round=round_, title="Children's centres: phase 2 feedback")
    contact = make_contact(
        name="Sam Patel", organisation=make_organisation(name="Riverside Family Trust")
    )
    return issue_link(make_invitation(survey=survey, contact=contact)), survey


def answer_all_pages(token: str) -> Any:
    """Save an answer on every page through the service, as if typed (inside `with seed():`)."""
    response = response_service.start_or_resume(invitation_for_token(token))
    for page_id, form in EVERY_TYPE_FORMS:
        response_service.save_page(response, page_id, form)
    return response


# --- Browser steps ---------------------------------------------------------------------


def press(page, name: str) -> None:
    """Press a button and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def heading(page) -> str:
    return page.locator("h1").first.inner_text().strip()


def assert_fits(page) -> None:
    """Nothing is wider than the screen: no sideways scrolling."""
    width = page.viewport_size["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, page.url


# --- Tests -----------------------------------------------------------------------------


def test_whole_journey_on_a_phone_is_accessible_at_every_step(seed, live_url, phone_page):
    with seed():
        token, survey = invite_provider()
    page = phone_page

    page.goto(live_url("public.start", token=token))
    assert heading(page) == EVERY_TYPE["title"]
    statement = page.get_by_role("link", name="Accessibility statement")
    assert statement.get_attribute("href") == f"/s/{survey.slug}/accessibility"
    assert page.viewport_size == PHONE
    assert_fits(page)
    assert_accessible(page)
    press(page, "Start now")

    for expected_heading, fill in EVERY_TYPE_STEPS:
        assert heading(page) == expected_heading
        assert_fits(page)
        assert_accessible(page)
        fill(page)
        press(page, "Save and continue")

    assert heading(page) == "Check your answers before sending them"
    summary = page.locator(".govuk-summary-list").inner_text()
    for expected in ("Riverside Family Trust", "Voluntary or charity", "A neighbour", "Good"):
        assert expected in summary
    assert "14 March 2008" in summary
    assert_fits(page)
    assert_accessible(page)
    press(page, "Send answers")

    assert page.get_by_role("heading", name="Answers sent").is_visible()
    with seed():
        stored = db.session.scalars(select(Response).where(Response.survey_id == survey.id)).one()
        reference = stored.reference
        assert stored.status == "submitted"
        answers = response_service.answers_of(stored)
        assert answers["organisation_name"] == "Riverside Family Trust"
        assert answers["sector"] == "voluntary"
    expect(page.locator(".govuk-panel__body")).to_contain_text(reference)
    assert_fits(page)
    assert_accessible(page)

    page.goto(live_url("public.start", token=token))
    assert heading(page) == "You have already sent your answers"
    expect(page.locator("main")).to_contain_text(reference)
    assert_accessible(page)


def test_an_error_is_summarised_and_linked_to_its_field(seed, live_url, page):
    with seed():
        token, _ = invite_provider()
    page.goto(live_url("public.start", token=token))
    press(page, "Start now")

    press(page, "Save and continue")

    assert page.title().startswith("Error: ")
    summary = page.get_by_role("alert")
    assert "There is a problem" in summary.inner_text()
    # GOV.UK Frontend moves focus to the summary so screen readers announce it.
    page.wait_for_function("() => document.activeElement.classList.contains('govuk-error-summary')")
    error = page.locator("#organisation_name-error")
    assert "Enter the name of your organisation" in error.inner_text()
    assert_accessible(page)

    summary.get_by_role("link", name="Enter the name of your organisation").click()
    assert page.evaluate("() => document.activeElement.id") == "organisation_name"
    fill_organisation(page)
    press(page, "Save and continue")
    assert heading(page) == "Which sector is your organisation in?"


def test_save_and_return_in_another_browser(seed, live_url, page, new_context):
    with seed():
        token, _ = invite_provider()
    link = live_url("public.start", token=token)
    page.goto(link)
    press(page, "Start now")
    for _, fill in EVERY_TYPE_STEPS[:2]:
        fill(page)
        press(page, "Save and continue")
    assert heading(page) == "How did you hear about this opportunity?"

    # Later, on another device: no cookies from the first visit.
    other = new_context().new_page()
    other.goto(link)
    press(other, "Continue where you left off")

    assert heading(other) == "How did you hear about this opportunity?"
    with other.expect_navigation():
        other.get_by_role("link", name="Back").click()
    assert heading(other) == "Which sector is your organisation in?"
    assert other.get_by_label("Voluntary or charity").is_checked()
    assert_no_console_errors(other)


def test_change_an_answer_from_check_your_answers(seed, live_url, page):
    with seed():
        token, _ = invite_provider()
        answer_all_pages(token)
    page.goto(live_url("public.check", token=token))

    with page.expect_navigation():
        page.get_by_role("link", name="Change how did you hear about this opportunity?").click()

    assert heading(page) == "How did you hear about this opportunity?"
    assert page.get_by_label("The council's website").is_checked()
    page.get_by_label("The council's website").uncheck()
    page.get_by_label("A postcard or leaflet").check()
    press(page, "Save and continue")

    assert heading(page) == "Check your answers before sending them"
    row = page.locator(".govuk-summary-list__row", has_text="How did you hear")
    assert "A postcard or leaflet" in row.inner_text()
    assert "The council's website" not in row.inner_text()
    assert_no_console_errors(page)


def test_journey_works_without_javascript(seed, live_url, no_js_page):
    with seed():
        token, _ = invite_provider()
    page = no_js_page
    page.goto(live_url("public.start", token=token))
    press(page, "Start now")

    press(page, "Save and continue")  # an error first, shown without any script
    assert page.title().startswith("Error: ")
    for _, fill in EVERY_TYPE_STEPS:
        fill(page)
        press(page, "Save and continue")
    press(page, "Send answers")

    assert page.get_by_role("heading", name="Answers sent").is_visible()
    assert_no_console_errors(page)


def test_closed_questionnaire_page_is_accessible(seed, live_url, phone_page):
    with seed():
        token, _ = invite_provider(status="closed")

    phone_page.goto(live_url("public.start", token=token))

    assert heading(phone_page) == "This questionnaire is closed"
    assert_accessible(phone_page)


def test_unknown_link_gets_an_accessible_not_found_page(seed, live_url, phone_page):
    response = phone_page.goto(live_url("public.start", token="not-a-real-link"))

    assert response.status == 404
    assert heading(phone_page) == "Page not found"
    assert_accessible(phone_page)


def test_accessibility_statement_is_accessible(seed, live_url, phone_page):
    with seed():
        _, survey = invite_provider()

    phone_page.goto(live_url("public.accessibility", slug=survey.slug))

    assert heading(phone_page) == "Accessibility statement for this questionnaire"
    assert_fits(phone_page)
    assert_accessible(phone_page)


def test_confirmation_shows_the_reference_in_bold_on_its_own_line(seed, live_url, page):
    with seed():
        token, _ = invite_provider()
        response = answer_all_pages(token)
        response_service.submit_response(response)
        reference = response.reference

    page.goto(live_url("public.confirmation", token=token))

    panel = page.locator(".govuk-panel__body")
    assert "<" not in panel.inner_text()
    assert panel.locator("strong").inner_text() == reference


# Demo-like answers to the provider questionnaire, for the README's screenshots.
PROVIDER_ANSWERS: list[tuple[str, dict[str, Any]]] = [
    ("heard", {"heard_about": ["council_email", "cvs", "briefing"]}),
    (
        "before_applying",
        {
            "rating_advertising": "4",
            "rating_documents": "4",
            "rating_guidance": "3",
            "rating_briefings": "5",
            "rating_window": "2",
        },
    ),
    (
        "during_process",
        {"rating_communication": "3", "rating_panel": "4", "rating_presentations": "na"},
    ),
    (
        "went_well",
        {
            "went_well": "The briefing session explained the lead agency role clearly, "
            "and the online documents were easy to find."
        },
    ),
    (
        "improve",
        {
            "improve": "Six weeks was not long enough for a small charity with no bid writer. "
            "Tell us sooner when the next phase opens."
        },
    ),
    ("window", {"window_long_enough": "no"}),
    ("window_weeks", {"window_weeks": "12"}),
    ("anything_else", {"anything_else": ""}),
    ("contact", {"may_contact": "yes"}),
    ("contact_email", {"contact_email": ""}),
]


def test_phone_screenshots_of_a_question_and_check_your_answers(
    seed, live_url, new_context, screenshots
):
    """Screenshots for the README (written there by `python docs/screenshots/take.py`).

    Taken from the demo programme, as `make run` loads it: a phase 3 provider who has
    not opened the invitation answers every page, the lessons' follow-ups left blank.
    """
    with seed():
        load_demo()
        invitation = db.session.scalars(
            select(Invitation)
            .join(Survey)
            .join(Round)
            .where(Round.slug == "phase-3", Survey.template == "provider-post-round")
            .where(Invitation.status == InvitationStatus.SENT)
            .order_by(Invitation.id)
        ).first()
        token = issue_link(invitation)
        walk = Walk(response_service.start_or_resume(invitation_for_token(token)))
        answers = dict(PROVIDER_ANSWERS)
        page_id = walk.definition.pages[0].id
        while page_id is not None:
            page_id = walk.save_page(page_id, answers.get(page_id, {}))
    # What a phone shows without scrolling, at its usual pixel density.
    page = new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    ).new_page()

    page.goto(live_url("public.question", token=token, page_id="heard"))
    assert page.get_by_label("A briefing session").is_checked()
    question = screenshots / "question-phone.png"
    page.screenshot(path=str(question))

    page.goto(live_url("public.check", token=token))
    assert heading(page) == "Check your answers before sending them"
    check = screenshots / "check-answers-phone.png"
    page.screenshot(path=str(check))

    assert question.stat().st_size > 0
    assert check.stat().st_size > 0


@pytest.fixture
def small_request_limit(live_app):
    """Lower the live server's request size limit for one test."""
    original = live_app.config["MAX_CONTENT_LENGTH"]
    live_app.config["MAX_CONTENT_LENGTH"] = 4 * 1024
    yield
    live_app.config["MAX_CONTENT_LENGTH"] = original


def test_too_large_an_answer_gets_a_friendly_page(seed, live_url, page, small_request_limit):
    with seed():
        token, _ = invite_provider()
        answer_all_pages(token)
    page.goto(live_url("public.question", token=token, page_id="feedback"))

    page.get_by_label("What went well?").fill("Far too long. " * 1000)
    response_status = []
    page.on("response", lambda response: response_status.append(response.status))
    press(page, "Save and continue")

    assert 413 in response_status
    assert heading(page) == "The information you sent is too large"
    expect(page.locator("main")).to_contain_text("The limit is 4 KB.")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Go back to the page and try again").click()
    assert heading(page) == "Your views on the round"
    assert page.get_by_label("What went well?").input_value() == "The documents were easy to find."


def test_an_expired_session_explains_itself_and_keeps_saved_answers(seed, live_url, page):
    with seed():
        token, _ = invite_provider()
        answer_all_pages(token)
    page.goto(live_url("public.question", token=token, page_id="hours"))
    page.context.clear_cookies()  # as when the session cookie has expired

    page.get_by_label("About how many hours did the application take?").fill("55")
    press(page, "Save and continue")

    expect(page.locator("main")).to_contain_text("did not save what you sent")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Go back to the page and try again").click()
    assert heading(page) == "About how many hours did the application take?"
    assert page.get_by_label("About how many hours did the application take?").input_value() == "40"
