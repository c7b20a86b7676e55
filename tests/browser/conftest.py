"""Real-browser test harness: a live Debrief server and Debian's Chromium driven by Playwright.

One server and one browser serve the whole session; each test gets fresh
browser contexts (cookies, storage) and an app context for seeding data.

    def test_something(seed, page, live_url):
        with seed():                      # commits, then ends the transaction
            survey = make_survey(...)
        page.goto(live_url("public.start", slug=survey.slug))
        assert_accessible(page)

Touch the database only inside `with seed():` (reads too). On SQLite every
transaction begins IMMEDIATE and so holds the write lock: a transaction left open
in the test would stall the server until its busy timeout. Tables are emptied
after each test that used `seed` or `live_app`.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, url_for
from werkzeug.serving import BaseWSGIServer, make_server

from app import create_app
from surveys.db import db
from tests.conftest import empty_all_tables, make_config

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 375, "height": 740}
NARROW = {"width": 320, "height": 640}


def chromium_path() -> str | None:
    """Where Debian's Chromium is: DEBRIEF_CHROMIUM, else `chromium` on PATH."""
    candidate = os.environ.get("DEBRIEF_CHROMIUM") or shutil.which("chromium")
    return candidate if candidate and Path(candidate).exists() else None


# --- The live server -------------------------------------------------------------------


@dataclass
class LiveServer:
    """A Debrief app served over real HTTP on a free local port."""

    app: Flask
    url: str

    def url_for(self, endpoint: str, **values: Any) -> str:
        """Return the absolute URL of an endpoint on this server."""
        with self.app.test_request_context(base_url=self.url):
            return url_for(endpoint, _external=True, **values)


@pytest.fixture(scope="session")
def live_server(
    migrated_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """Serve Debrief on 127.0.0.1 in a background thread for the whole session."""
    config = make_config(
        migrated_database,
        tmp_path_factory.mktemp("live-instance"),
        ORGANISATION_NAME="Shire County Council",
    )
    app = create_app(config)
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = url
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=url)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def live_app(live_server: LiveServer) -> Iterator[Flask]:
    """Yield the live server's app inside an app context; every table is emptied afterwards.

    Prefer `seed`; if you use the session directly, commit and then `db.session.close()`
    before the browser acts, or SQLite's write lock stalls the server.
    """
    app = live_server.app
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            empty_all_tables()


@pytest.fixture
def seed(live_app: Flask) -> Callable[[], AbstractContextManager[None]]:
    """`with seed(): ...` runs database work for the live server: commit, then close.

    Objects made inside stay readable afterwards (their loaded attributes are kept);
    to read what the browser changed, open another `with seed():`.
    """

    @contextmanager
    def transaction() -> Iterator[None]:
        session = db.session()
        session.expire_on_commit = False
        try:
            yield
            session.commit()
        finally:
            session.close()

    return transaction


@pytest.fixture
def live_url(live_server: LiveServer) -> Callable[..., str]:
    """`live_url("public.start", slug=...)`: the absolute URL of an endpoint."""
    return live_server.url_for


# --- The browser -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Launch Debian's Chromium once per session (headless, fresh profile, no network)."""
    executable = chromium_path()
    if executable is None:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_context(browser: Any, live_server: LiveServer) -> Iterator[Callable[..., Any]]:
    """`new_context(**options)`: a fresh browser context (own cookies) closed after the test.

    Options are Playwright's `Browser.new_context` options, e.g. `viewport=PHONE` or
    `java_script_enabled=False`. The context records its pages' console errors (CSP
    violations among them) for `assert_no_console_errors`.
    """
    contexts = []

    def open_context(**options: Any) -> Any:
        options.setdefault("base_url", live_server.url)
        options.setdefault("locale", "en-GB")
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        errors: list[str] = []
        CONSOLE_ERRORS[id(context)] = errors
        context.on("console", lambda message: _keep_error(errors, message))
        context.on("weberror", lambda error: errors.append(f"uncaught: {error.error}"))
        context.on("response", lambda response: _keep_failed_subresource(errors, response))
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        CONSOLE_ERRORS.pop(id(context), None)
        context.close()


# Console errors per open context, keyed by id(context).
CONSOLE_ERRORS: dict[int, list[str]] = {}


def _keep_error(errors: list[str], message: Any) -> None:
    # A page's own error status (a 404 page, say) is logged too; subresources are
    # checked by _keep_failed_subresource instead.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        errors.append(message.text)


def _keep_failed_subresource(errors: list[str], response: Any) -> None:
    if response.status >= 400 and response.request.resource_type != "document":
        errors.append(f"{response.request.method} {response.url} answered {response.status}")


@pytest.fixture
def context(new_context: Callable[..., Any]) -> Any:
    """A fresh desktop browser context."""
    return new_context()


@pytest.fixture
def page(context: Any) -> Any:
    """A page in a fresh desktop browser context."""
    return context.new_page()


@pytest.fixture
def phone_page(new_context: Callable[..., Any]) -> Any:
    """A page in a fresh context 375 px wide, as on a phone (touch, mobile viewport)."""
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()


@pytest.fixture
def no_js_page(new_context: Callable[..., Any]) -> Any:
    """A page in a fresh context with JavaScript turned off."""
    return new_context(java_script_enabled=False).new_page()


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """Where to save screenshots: docs/screenshots/ with DEBRIEF_SCREENSHOTS=1, else tmp_path.

    `python docs/screenshots/take.py` runs the screenshot tests that way.
    """
    if os.environ.get("DEBRIEF_SCREENSHOTS") == "1":
        return DOCS_SCREENSHOTS
    return tmp_path


# --- Checks ----------------------------------------------------------------------------


@cache
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `make assets`", pytrace=False)
    return AXE_SCRIPT.read_text()


def assert_accessible(page: Any, *, disable: tuple[str, ...] = ()) -> None:
    """Fail if axe-core finds WCAG 2.2 A/AA violations or the page broke its CSP.

    axe is evaluated through the DevTools protocol, which the page's Content
    Security Policy does not govern, so the page's own policy stays strict.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    if disable:
        options["rules"] = {rule: {"enabled": False} for rule in disable}
    violations = page.evaluate("options => axe.run(document, options)", options)["violations"]
    assert not violations, f"{page.url} has accessibility violations:\n" + describe(violations)
    assert_no_console_errors(page)


def assert_no_console_errors(page: Any) -> None:
    """Fail if the page logged errors, such as Content Security Policy violations."""
    errors = CONSOLE_ERRORS.get(id(page.context), [])
    assert not errors, f"{page.url} logged errors:\n" + "\n".join(errors)


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['failureSummary']}")
    return "\n".join(lines)
