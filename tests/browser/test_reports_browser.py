"""The round summary as a report, in a real browser on the demo programme.

At 320 and 1,280 px: key findings in the first screen, no WCAG 2.2 A/AA violations (axe-core),
no horizontal scrolling, no Content Security Policy errors, charts with their data tables
folded in details elements; printed, the report alone on a few A4 pages; a screenshot.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from surveys.demo import load_demo
from surveys.services import officers
from tests.browser.conftest import assert_accessible
from tests.factories import make_officer

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"
MAX_PRINTED_PAGES = 6


@pytest.fixture
def demo_viewer(seed) -> str:
    with seed():
        load_demo()  # as `make run` loads it, so the screenshot shows what an officer sees
        officer = make_officer(
            email="reports@council.example",
            role="viewer",
            password_hash=officers.hash_password(PASSWORD),
        )
        return officer.email


def _sign_in(page, email: str, path: str) -> None:
    page.goto(path)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{path}")


def _first_screen(page) -> None:
    """Assert the key findings start within the first screen and their top themes show."""
    height = page.viewport_size["height"]
    findings = page.get_by_role("heading", name="Key findings", exact=True)
    assert findings.bounding_box()["y"] < height * 0.75
    top = page.locator(".app-key-findings .govuk-list--number li").first
    assert top.bounding_box()["y"] < height * 1.5  # the first top theme is a glance away


@pytest.mark.parametrize(("width", "height"), [(320, 640), (1280, 800)])
def test_summary_report_is_accessible_with_key_findings_first(
    demo_viewer, new_context, width, height
):
    page = new_context(viewport={"width": width, "height": height}).new_page()
    _sign_in(page, demo_viewer, "/admin/reports/phase-2")
    main = page.locator("main")
    expect(main).to_contain_text("Lessons learned: Phase 2")
    _first_screen(page)
    headings = main.locator("h2").all_inner_texts()
    assert headings[:3] == ["Key findings", "What went well", "What could improve"]
    # One compact chart for all ratings, and one for "Has this improved?" on phase 3.
    assert main.locator("figure svg").count() >= 3
    assert (
        main.locator(
            "#section-ratings ~ figure, section[aria-labelledby='section-ratings'] figure"
        ).count()
        == 1
    )
    assert main.locator("figure + details.govuk-details").count() == main.locator("figure").count()
    scroll = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll <= width, f"the page scrolls sideways at {width} px ({scroll} px wide)"
    assert_accessible(page)
    # A folded data table opens and is accessible too.
    main.locator("details summary").first.click()
    assert_accessible(page)

    page.goto("/admin/reports/phase-3")
    expect(main).to_contain_text("Compared with Phase 2")
    expect(main).to_contain_text("Phase 3 is still open")
    # An open round's rate so far is compared with phase 2's on the same day, not its final.
    assert "Response rate so far" not in main.inner_text()
    expect(main).to_contain_text("at the same point")
    assert (
        main.locator("figure svg[aria-labelledby]")
        .filter(has_text=re.compile("Has this improved"))
        .count()
        == 1
    )
    _first_screen(page)
    assert_accessible(page)


def test_summary_prints_alone_on_a_few_pages_and_screenshot(demo_viewer, page, screenshots):
    _sign_in(page, demo_viewer, "/admin/reports/phase-2")
    page.emulate_media(media="print")
    for hidden in (
        "header.govuk-header",
        ".govuk-service-navigation",
        "nav[aria-label='Round reports']",
        "footer",
    ):
        locator = page.locator(hidden)
        assert locator.count() == 0 or not locator.first.is_visible(), hidden
    assert not page.get_by_role("button", name="Sign out").is_visible()
    assert page.get_by_role("heading", name="Key findings").is_visible()
    pdf = page.pdf(format="A4", print_background=False, prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= MAX_PRINTED_PAGES, f"phase 2 prints on {pages} A4 pages"
    page.emulate_media(media="screen")
    screenshots.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1100, "height": 1400})
    page.screenshot(path=str(screenshots / "summary.png"))


def test_downloaded_html_report_stands_alone_and_is_accessible(demo_viewer, page, screenshots):
    _sign_in(page, demo_viewer, "/admin/reports/phase-3")
    download = page.request.get("/admin/reports/phase-3/report.html")
    assert download.headers["content-type"] == "text/html; charset=utf-8"
    body = download.text()
    assert "<script" not in body and "<link" not in body and "src=" not in body
    page.goto("about:blank")  # opened from disk, as a downloaded file is
    page.set_content(body)
    headings = page.locator("h2").all_inner_texts()
    assert headings[:3] == ["Key findings", "What went well", "What could improve"]
    assert page.locator("figure svg").count() >= 4
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshots / "summary-download.png"))
