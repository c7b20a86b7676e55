"""Finding a round's summary in a real browser: from `/` through sign-in to the rounds
list, then two clicks to Phase 2's lessons-learned summary, accessible at 320 and 1,280 px."""

from __future__ import annotations

import pytest

from surveys.demo import load_demo
from surveys.services import officers
from tests.browser.conftest import NARROW, assert_accessible
from tests.factories import make_officer

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


def _sign_in(seed, page) -> None:
    with seed():
        load_demo()
        officer = make_officer(
            email="navigator@council.example",
            role="officer",
            password_hash=officers.hash_password(PASSWORD),
        )
        email = officer.email
    page.goto("/")
    page.wait_for_url("**/sign-in**")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/rounds")


def test_an_officer_reaches_the_phase_2_summary_in_two_clicks_from_the_rounds_list(seed, page):
    _sign_in(seed, page)
    rounds_list = page.url
    assert_accessible(page)
    listing = page.locator("main").inner_text()
    assert "9 January 2006" in listing and "2006-01-09" not in listing  # phase 1 opened

    page.get_by_role("navigation").get_by_role("link", name="Summaries").click()  # 1
    page.get_by_role("link", name="Phase 2", exact=True).click()  # 2
    page.wait_for_url("**/admin/reports/phase-2")
    assert "Lessons learned: Phase 2" in page.locator("main").inner_text()

    page.goto(rounds_list)
    page.get_by_role("link", name="Summary of Phase 2").click()  # or one click from its row
    page.wait_for_url("**/admin/reports/phase-2")
    assert "Lessons learned: Phase 2" in page.locator("main").inner_text()


def test_rounds_list_and_round_page_are_accessible_on_a_narrow_screen(seed, new_context):
    page = new_context(viewport=NARROW).new_page()
    _sign_in(seed, page)
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    invited = page.get_by_role("row").filter(has_text="Phase 3").locator("[data-label=Invited]")
    assert invited.inner_text() == "29"  # stacked, each cell shows its column's name
    assert invited.evaluate("cell => getComputedStyle(cell).display") == "block"
    page.get_by_role("link", name="Phase 3", exact=True).click()
    for name in ("Summary", "Themes", "Lessons", "Dashboard"):
        assert page.get_by_role("link", name=f"{name} of Phase 3").count() == 1
    assert_accessible(page)
