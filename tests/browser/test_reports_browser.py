"""The round summary in a real browser, on the demo programme: charts and their tables,
accessible (axe-core), no Content Security Policy errors, printable; its screenshot."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from surveys.db import db
from surveys.demo import load_demo
from surveys.models import Round
from surveys.services import analysis_runs, officers
from tests.browser.conftest import assert_accessible
from tests.factories import make_officer

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


def test_summary_page_screenshot_on_the_demo_data(seed, page, screenshots):
    with seed():
        load_demo()
        for round_ in db.session.scalars(select(Round).order_by(Round.id)):
            analysis_runs.analyse_round(round_)
        officer = make_officer(
            email="reports@council.example",
            role="viewer",
            password_hash=officers.hash_password(PASSWORD),
        )
        email = officer.email

    page.goto("/admin/reports/phase-2")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/reports/phase-2")

    main = page.locator("main")
    assert "Lessons learned: Phase 2" in main.inner_text()
    assert main.locator("figure svg").count() >= 4
    assert main.locator("figure + table").count() == main.locator("figure").count()
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator("nav[aria-label='Round reports']").is_visible()
    page.emulate_media(media="screen")
    screenshots.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1100, "height": 1400})
    page.get_by_role("heading", name="What went well").evaluate("el => el.scrollIntoView()")
    page.screenshot(path=str(screenshots / "summary.png"))

    page.goto("/admin/reports/phase-3")
    expect(page.locator("main")).to_contain_text("Compared with Phase 2")
    assert_accessible(page)
