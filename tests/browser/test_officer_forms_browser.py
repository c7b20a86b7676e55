"""Officer forms in a real browser: an invalid submission shows the GOV.UK error summary,
focused, linking to the field, and the page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from surveys.db import db
from surveys.services import lessons as lesson_service
from surveys.services import officers
from tests.browser.conftest import assert_accessible
from tests.factories import make_contact, make_officer, make_round, make_survey

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


def _expect_summary(page, message: str, field_id: str) -> None:
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(message)
    expect(page.locator(f"#{field_id}-error")).to_contain_text(message)
    assert_accessible(page)
    summary.get_by_role("link", name=message).click()
    expect(page.locator(f"#{field_id}")).to_be_focused()


def test_sign_in_and_officer_forms_show_the_error_summary(live_app, page):
    officer = make_officer(role="officer", password_hash=officers.hash_password(PASSWORD))
    round_ = make_round()
    make_survey(round=round_)
    make_contact()
    email_address, round_id, programme_id = officer.email, round_.id, round_.programme_id
    db.session.commit()
    db.session.close()

    page.goto("/sign-in")
    page.get_by_role("button", name="Sign in").click()
    _expect_summary(page, "Enter your email address", "email")
    page.get_by_label("Email address").fill(email_address)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/rounds")

    page.goto(f"/admin/programmes/{programme_id}/rounds/new")
    page.get_by_label("Round name").fill("Phase 9")
    page.get_by_label("Opening date").fill("2031-01-01")
    page.get_by_label("Closing date").fill("2030-01-01")
    page.get_by_role("button", name="Add round").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.get_by_label("Round name")).to_have_value("Phase 9")
    assert_accessible(page)

    page.goto(f"/admin/rounds/{round_id}/invite")
    page.get_by_role("button", name="Invite selected contacts").click()
    _expect_summary(page, "Select at least one contact", "contact")


def test_round_and_lesson_pages_with_several_forms_show_the_error_summary(live_app, page):
    officer = make_officer(role="officer", password_hash=officers.hash_password(PASSWORD))
    round_ = make_round(previous_round=make_round())
    db.session.flush()
    lesson = lesson_service.record_lesson(
        round_,
        None,
        "Give longer",
        "Too short",
        officer,
        actions=[{"description": "Extend the window", "owner": "Sam", "due_on": None}],
    )
    email_address, round_id = officer.email, round_.id
    lesson_page = f"/admin/reports/{round_.slug}/lessons/{lesson.id}"
    action_id = lesson.actions[0].id
    db.session.commit()
    db.session.close()

    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email_address)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/rounds")

    page.goto(f"/admin/rounds/{round_id}")
    page.get_by_role("button", name="Upload and add").click()
    _expect_summary(page, "Select a YAML file", "definition_file")

    page.goto(lesson_page)
    page.locator(f"#status-{action_id}").select_option("done")
    page.get_by_role("button", name="Update action").click()
    _expect_summary(page, "Say what was done (the evidence)", f"evidence-{action_id}")
    page.get_by_role("button", name="Add action").click()
    _expect_summary(page, "Describe the action", "description")
