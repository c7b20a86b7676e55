"""The officers' lists, the round dashboard, the chase list and the theme pages in a real
browser on the demo programme, at 320 px and 1,280 px: axe-core finds no WCAG 2.2 A/AA
violation, the page never scrolls sideways, and merge and split ask before they change."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from surveys.db import db
from surveys.demo import load_demo
from surveys.models import Round
from surveys.services import analysis_runs, officers, themes
from tests.browser.conftest import assert_accessible
from tests.factories import make_officer

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"
WIDTHS = (320, 1280)


def _fits(page) -> None:
    """Fail if the page is wider than the window (it would scroll sideways)."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]} px wide in {widths[1]} px"


def _check(page, path: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(path)
        assert_accessible(page)
        _fits(page)


@pytest.fixture
def demo(seed):
    with seed():
        load_demo()
        for round_ in db.session.scalars(select(Round).order_by(Round.id)):
            analysis_runs.analyse_round(round_)
        officer = make_officer(
            email="lists@council.example",
            role="admin",
            password_hash=officers.hash_password(PASSWORD),
        )
        rounds = {r.slug: r for r in db.session.scalars(select(Round))}
        phase_2 = rounds["phase-2"]
        improve = [
            rt.theme for rt in themes.themes_for_round(phase_2) if rt.theme.kind == "improve"
        ]
        # A respondent's unbroken string must wrap, not widen the theme page.
        themes.theme_answers(improve[0], phase_2)[0][0].value = "Nothing" + "x" * 300 + " <b>"
        return {
            "email": officer.email,
            "phase_2": phase_2.id,
            "phase_3": rounds["phase-3"].id,
            "themes": [(t.id, t.label) for t in improve],
        }


def _sign_in(page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/**")


def test_lists_dashboard_and_chase_list_fit_pass_axe_and_screenshot(demo, page, screenshots):
    _sign_in(page, demo["email"])
    dashboard = f"/admin/rounds/{demo['phase_3']}/dashboard"
    _check(page, dashboard)
    main = page.locator("main")
    expect(main).to_contain_text("days left")
    assert main.locator("figure svg[role=img]").count() >= 1
    assert main.locator("#progress-by-survey tbody tr").count() >= 2  # the surveys kept apart
    screenshots.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1100, "height": 1400})
    page.screenshot(path=str(screenshots / "dashboard.png"))

    chase = f"/admin/rounds/{demo['phase_3']}/chase"
    _check(page, chase)
    page.get_by_role("link", name="Invited").click()
    expect(page.locator("th[aria-sort]")).to_contain_text("Invited")
    expect(page.locator("#chase-list tbody tr").first).to_contain_text("days ago")
    assert_accessible(page)
    page.set_viewport_size({"width": 1100, "height": 1300})
    page.screenshot(path=str(screenshots / "chase-list.png"))

    for path in ("/admin/responses", "/admin/contacts", "/admin/audit"):
        _check(page, path)
    page.goto("/admin/responses?sort=organisation&order=ascending")
    expect(page.locator("#list-count")).to_contain_text("Showing 1 to 25")
    page.get_by_role("navigation", name="Pagination").get_by_role("link", name="Next").click()
    expect(page.locator("#list-count")).to_contain_text("Showing 26 to")
    assert_accessible(page)
    page.goto("/admin/audit")
    expect(page.locator("#audit-events")).not_to_contain_text("officer #")
    page.goto("/admin/responses?submitted_from=last+week")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a real date")
    assert_accessible(page)


def test_theme_page_fits_and_merge_and_split_confirm_first(demo, page, tmp_path):
    _sign_in(page, demo["email"])
    (theme_id, label), (other_id, other_label) = demo["themes"][:2]
    theme_page = f"/admin/reports/phase-2/themes/{theme_id}"
    _check(page, "/admin/reports/phase-2/themes")
    _check(page, theme_page)
    expect(page.locator("#answers")).to_contain_text("x" * 300 + " <b>")
    page.set_viewport_size({"width": 320, "height": 900})
    page.locator("#answers details").first.locator("summary").click()
    assert_accessible(page)
    _fits(page)
    page.screenshot(path=str(tmp_path / "theme-320.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("New name").fill("   ")
    page.get_by_role("button", name="Rename theme").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the theme")
    assert_accessible(page)
    _fits(page)

    page.goto(theme_page)
    page.get_by_label("Theme to merge into").select_option(str(other_id))
    page.get_by_role("button", name="Merge themes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Merge ‘{label}’ into")
    expect(page.locator("#what-moves")).to_contain_text("in Phase 2")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        _fits(page)
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(label)

    page.locator("#answer_ids").check()
    page.get_by_label("Name of the new theme").fill("Deadline pressure")
    page.get_by_role("button", name="Split theme").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Make a new theme")
    assert_accessible(page)
    page.get_by_role("button", name="Yes, split the theme").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Deadline pressure")
    expect(page.get_by_role("heading", level=1)).to_have_text("Deadline pressure")
    assert other_label
