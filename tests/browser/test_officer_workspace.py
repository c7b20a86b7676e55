"""The officer workspace in a real browser, end to end: sign in, create a round from a
template, import 30 contacts, send invitations by email, answer from a received link, see
the dashboard count it, export CSV and find the answer; axe-core checks officer pages."""

from __future__ import annotations

import email
import socket
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

from surveys.db import db
from surveys.services import officers
from surveys.services.rounds_admin import create_programme
from tests.browser.conftest import assert_accessible
from tests.factories import make_officer

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
ANSWER = "The countywide briefing sessions made the lead agency role clear"
SECTORS = ["Voluntary/Charity", "school_fe", "Health", "private", "District/Borough Council"]


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(email.message_from_bytes(envelope.original_content))
        return "250 OK"


@pytest.fixture
def inbox(live_app):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    live_app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    try:
        yield handler
    finally:
        controller.stop()


def _contacts_csv(tmp_path: Path) -> Path:
    lines = ["organisation,sector,name,email,phone,role"]
    for n in range(1, 31):
        sector = SECTORS[n % len(SECTORS)]
        lines.append(
            f"Provider {n},{sector},Contact {n},contact{n}@example.org,01632 960{n:03d},provider"
        )
    path = tmp_path / "contacts.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def _answer_questionnaire(page) -> None:
    """Walk the questionnaire, answering every question on each page, then submit."""
    for _ in range(30):
        if "confirmation" in page.url:
            return
        for area in page.locator("textarea").all():
            area.fill(ANSWER)
        for name in set(
            page.locator("input[type=radio]").evaluate_all("els => els.map(e => e.name)")
        ):
            page.locator(f"input[type=radio][name='{name}']").first.check()
        for name in set(
            page.locator("input[type=checkbox]").evaluate_all("els => els.map(e => e.name)")
        ):
            page.locator(f"input[type=checkbox][name='{name}']").first.check()
        page.locator("main button[type=submit], main .govuk-button").first.click()
        page.wait_for_load_state()
    raise AssertionError(f"did not reach the confirmation page; stuck at {page.url}")


def test_officer_runs_a_round_end_to_end(live_app, inbox, page, new_context, tmp_path):
    officer = make_officer(
        email="officer@council.example",
        role="officer",
        password_hash=officers.hash_password(PASSWORD),
    )
    programme = create_programme("Children's centres commissioning")
    email_address, programme_name = officer.email, programme.name
    db.session.commit()
    # SQLite takes its write lock at BEGIN: hold no transaction while the server works.
    db.session.close()

    page.goto("/admin/rounds")
    assert "/sign-in" in page.url
    assert_accessible(page)
    page.get_by_label("Email address").fill(email_address)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/rounds")
    assert_accessible(page)

    page.get_by_role("link", name=f"Add a round to {programme_name}").click()
    assert_accessible(page)
    page.get_by_label("Round name").fill("Phase 4")
    page.get_by_label("Opening date").fill(date.today().isoformat())
    page.get_by_label("Closing date").fill((date.today() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Add round").click()
    page.get_by_label("From a template").select_option("provider-post-round")
    page.get_by_role("button", name="Add from template").click()
    page.get_by_role("button", name="Open round").click()
    expect(page.locator(".govuk-tag", has_text="Open").first).to_be_visible()
    assert_accessible(page)
    round_url = page.url

    page.goto("/admin/contacts/import")
    assert_accessible(page)
    page.get_by_label("Upload a file").set_input_files(str(_contacts_csv(tmp_path)))
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("main")).to_contain_text("30 can be imported")
    assert_accessible(page)
    page.get_by_role("button", name="Import 30 contacts").click()
    expect(page.locator("main")).to_contain_text("30 contacts added")

    page.goto(round_url)
    page.get_by_role("link", name="Invite contacts").click()
    assert_accessible(page)
    page.get_by_role("button", name="Invite all 30 shown").click()
    expect(page.locator("main")).to_contain_text("30 invitations are being sent")
    assert len(inbox.messages) == 30

    message = next(m for m in inbox.messages if m["To"] == "contact1@example.org")
    text = next(part for part in message.walk() if part.get_content_type() == "text/plain")
    link = next(word for word in text.get_payload(decode=True).decode().split() if "/r/" in word)
    respondent = new_context().new_page()
    respondent.goto(urlsplit(link).path)
    _answer_questionnaire(respondent)

    page.goto(round_url)
    page.get_by_role("link", name="Dashboard").click()
    expect(page.locator("[id^=response-rate-]")).to_contain_text("1 of 30")
    assert_accessible(page)
    # The README's dashboard and chase-list screenshots come from the demo programme
    # (tests/browser/test_workspace_pages.py).

    href = page.get_by_role("link", name="Download responses (CSV)").get_attribute("href")
    download = page.request.get(href)  # with the signed-in browser context's cookies
    assert download.headers["content-disposition"].startswith("attachment")
    exported = download.text()
    assert len(exported.strip().splitlines()) >= 2
    assert ANSWER in exported and "Provider 1" in exported

    page.get_by_role("link", name="Chase list").first.click()
    expect(page.locator("main")).to_contain_text("29 invited people have not answered")
    assert_accessible(page)
