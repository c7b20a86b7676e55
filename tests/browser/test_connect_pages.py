"""Webhooks and importing earlier answers in a real browser, with axe-core on each page.

An admin subscribes a loopback receiver, sees the secret once, then sets up a round for a
phase that ended years ago (no invitations), imports 80 past answers and reads the summary.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from surveys.db import db
from surveys.services import officers
from surveys.services.rounds_admin import create_programme
from tests.browser.conftest import assert_accessible
from tests.factories import make_officer

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"
FIXTURE = Path(__file__).parents[1] / "fixtures" / "past_evaluation_80.csv"


@pytest.fixture
def admin_page(live_app, page):
    officer = make_officer(role="admin", password_hash=officers.hash_password(PASSWORD))
    create_programme("Children's centres commissioning")
    email_address = officer.email
    db.session.commit()
    db.session.close()  # hold no SQLite transaction while the server works
    live_app.config["WEBHOOK_ALLOW_LOOPBACK"] = True
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email_address)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/rounds")
    try:
        yield page
    finally:
        live_app.config["WEBHOOK_ALLOW_LOOPBACK"] = False


def test_an_admin_subscribes_a_webhook(admin_page):
    page = admin_page
    page.get_by_role("link", name="Webhooks").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add webhook").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the address")
    assert_accessible(page)
    page.get_by_label("Address to send events to").fill("http://127.0.0.1:9/debrief")
    page.get_by_label("A response is submitted (response.submitted)").check()
    page.get_by_role("button", name="Add webhook").click()
    expect(page.locator("#webhook-secret")).to_contain_text("whsec_")
    assert_accessible(page)
    page.reload()
    expect(page.locator("#webhook-secret")).to_have_count(0)
    page.get_by_role("button", name="Show signing secret").click()
    expect(page.locator("#webhook-secret")).to_contain_text("whsec_")


def test_an_officer_imports_a_past_phase_and_reads_its_summary(admin_page):
    page = admin_page
    page.get_by_role("link", name="Add a round to Children's centres commissioning").click()
    page.get_by_label("Round name").fill("Phase 2 (2006 to 2008)")
    page.get_by_label("Opening date").fill("2006-09-01")
    page.get_by_label("Closing date").fill("2008-03-31")
    page.get_by_role("button", name="Add round").click()
    page.get_by_label("From a template").select_option("provider-post-round")
    page.get_by_role("button", name="Add from template").click()
    page.get_by_role("link", name="Import earlier answers").click()
    assert_accessible(page)
    page.get_by_label("Upload a file").set_input_files(str(FIXTURE))
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("main")).to_contain_text("80 can be imported")
    assert_accessible(page)
    page.get_by_role("button", name="Import 80 responses").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("80 responses imported")
    expect(page.locator(".govuk-tag", has_text="Draft").first).to_be_visible()

    page.goto("/admin/reports/phase-2-2006-to-2008")
    expect(page.locator("main")).to_contain_text("Completed questionnaires: 80 (Import 80)")
    expect(page.locator("main")).to_contain_text("What went well")
    expect(page.locator("main")).to_contain_text("What could improve")
    # Eighty rows with no organisation named: eighty respondents, and no response rate.
    expect(page.locator("main")).to_contain_text(
        "Organisations that responded: 80 (80 responses imported from earlier evaluation files;"
        " no invitations, so no response rate)"
    )
