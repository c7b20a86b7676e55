"""The shared layout in a real browser: styles, scripts, CSP, small screens, no JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NARROW, assert_accessible, assert_no_console_errors

pytestmark = pytest.mark.browser


def test_page_loads_styles_and_scripts_within_the_csp(page, live_server):
    response = page.goto("/no-such-page")

    assert response.status == 404
    assert page.title() == "Page not found – Debrief – Shire County Council"
    assert page.get_by_role("banner").get_by_text("Shire County Council").is_visible()
    font = page.evaluate("() => getComputedStyle(document.querySelector('h1')).fontFamily")
    assert font.startswith("system-ui")
    assert "GDS Transport" not in font
    # The nonced inline script and the module both ran: GOV.UK Frontend initialised.
    page.wait_for_function("() => document.body.classList.contains('govuk-frontend-supported')")
    assert page.locator(".govuk-skip-link[data-govuk-skip-link-init]").count() == 1
    assert_accessible(page)


def test_skip_link_is_the_first_thing_keyboard_users_reach(page):
    page.goto("/no-such-page")
    page.wait_for_function("() => document.body.classList.contains('govuk-frontend-supported')")

    page.keyboard.press("Tab")

    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main-content$"))
    expect(page.locator("#main-content")).to_be_focused()


def test_layout_fits_a_320px_screen(new_context):
    page = new_context(viewport=NARROW).new_page()

    page.goto("/no-such-page")

    assert page.evaluate("() => document.documentElement.scrollWidth") <= NARROW["width"]
    assert_accessible(page)


def test_layout_works_without_javascript(no_js_page):
    response = no_js_page.goto("/no-such-page")

    assert response.status == 404
    assert no_js_page.get_by_role("heading", name="Page not found").is_visible()
    assert "js-enabled" not in (no_js_page.get_attribute("body", "class") or "")
    assert_no_console_errors(no_js_page)
