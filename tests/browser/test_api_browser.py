"""The API tokens page and the API docs page in a real browser, with axe-core on our page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from surveys.services import officers
from tests.browser.conftest import assert_accessible, assert_no_console_errors
from tests.factories import make_officer

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


def test_officer_creates_a_token_and_reads_the_api_docs(seed, page) -> None:
    with seed():
        officer = make_officer(role="officer", password_hash=officers.hash_password(PASSWORD))
    page.goto("/admin/tokens")
    page.get_by_label("Email address").fill(officer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/tokens")
    assert_accessible(page)

    page.get_by_label("What is it for? (optional)").fill("Reporting dashboard")
    page.get_by_label("Scope").select_option("read")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", name="Token created")).to_be_visible()
    secret = page.locator("code").inner_text()
    assert secret.startswith("dbt_")
    assert_accessible(page)

    page.get_by_role("link", name="Back to API tokens").click()
    expect(page.get_by_role("cell", name="Reporting dashboard")).to_be_visible()
    assert secret not in page.content()
    assert_accessible(page)

    page.goto("/api/v1/docs")
    expect(page.get_by_text("Debrief API").first).to_be_visible()
    expect(page.get_by_text("/api/v1/rounds").first).to_be_visible()
    assert_no_console_errors(page)  # Swagger UI runs under our CSP, from our own files
