"""Security headers, cookies, CSRF and the error pages people and machines see."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask, abort, render_template_string, request, session

from app import create_app
from tests.conftest import make_config

PAGE = """{% extends "base.html" %}{% block title %}Test page{% endblock %}
{% block content %}<h1 class="govuk-heading-l">Test page</h1>
<form method="post"><input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
<button class="govuk-button">Send</button></form>{% endblock %}"""


@pytest.fixture
def make_app(migrated_database: str, tmp_path: Path) -> Callable[..., Flask]:
    """Build an app with config overrides and a few routes to exercise the handlers."""

    def build(**overrides: object) -> Flask:
        app = create_app(make_config(migrated_database, tmp_path, **overrides))

        @app.route("/page", methods=["GET", "POST"])
        def page():
            if request.method == "POST":
                session["sent"] = request.form.get("answer", "")
            return render_template_string(PAGE)

        @app.get("/boom")
        def boom():
            raise RuntimeError("secret internals")

        @app.get("/busy/<int:code>")
        def busy(code: int):
            abort(code)

        @app.post("/api/things")
        def api_things():
            raise RuntimeError("secret internals")

        return app

    return build


def test_pages_get_security_headers(make_app):
    response = make_app().test_client().get("/page")

    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in headers


def test_content_security_policy_allows_only_the_nonced_inline_script(make_app):
    client = make_app().test_client()

    first, second = client.get("/page"), client.get("/page")

    policy = parse_csp(first.headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'none'"]
    assert "'unsafe-inline'" not in first.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in first.headers["Content-Security-Policy"]
    nonce = next(s for s in policy["script-src"] if s.startswith("'nonce-"))[7:-1]
    html = first.get_data(as_text=True)
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline_scripts, "the GOV.UK template's js-enabled script is expected"
    assert all(f'nonce="{nonce}"' in attributes for attributes in inline_scripts)
    assert nonce not in second.get_data(as_text=True)


def test_hsts_only_over_https(make_app):
    client = make_app().test_client()

    assert "Strict-Transport-Security" in client.get("/page", base_url="https://localhost").headers
    assert "Strict-Transport-Security" not in client.get("/page").headers


def test_static_files_may_be_cached(make_app):
    app = make_app()
    if not (Path(app.static_folder) / "build" / "app.css").exists():
        pytest.skip("assets are not built; `make assets` builds them")

    response = app.test_client().get("/static/build/app.css")

    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


def session_cookie(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def post_with_token(client, base_url: str = "http://localhost"):
    html = client.get("/page", base_url=base_url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    return client.post("/page", data={"csrf_token": token, "answer": "x"}, base_url=base_url)


def test_session_cookie_is_httponly_and_lax_and_not_secure_over_http(make_app):
    cookie = session_cookie(post_with_token(make_app().test_client()))

    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_over_https(make_app):
    cookie = session_cookie(post_with_token(make_app().test_client(), "https://localhost"))

    assert "Secure" in cookie


@pytest.mark.parametrize(
    ("overrides", "secure"),
    [
        ({"SECURE_COOKIES": "true"}, True),
        ({"BASE_URL": "https://debrief.example.org"}, True),
        ({"BASE_URL": "https://debrief.example.org", "SECURE_COOKIES": "0"}, False),
        ({}, False),
    ],
)
def test_secure_cookie_setting_follows_config(make_app, overrides, secure):
    app = make_app(**overrides)

    assert app.config["SESSION_COOKIE_SECURE"] is secure
    assert app.config["REMEMBER_COOKIE_SECURE"] is secure
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_post_without_csrf_token_gets_a_friendly_page_linking_back(make_app):
    response = make_app().test_client().post("/page", data={"answer": "x"})

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "for your security we did not save what you sent" in html
    assert 'href="/page"' in html
    assert "<title>Error: " not in html  # an error page, not a form with errors
    assert response.headers["Cache-Control"] == "no-store"


def test_not_found_page(make_app):
    response = make_app(ORGANISATION_NAME="Shire County Council").test_client().get("/nowhere")

    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "<title>Page not found – Debrief – Shire County Council</title>" in html
    assert "Shire County Council" in html
    assert "Content-Security-Policy" in response.headers


def test_pages_carry_no_crown_and_no_crown_copyright(make_app):
    html = make_app().test_client().get("/nowhere").get_data(as_text=True)

    assert "govuk-logo" not in html
    assert "crown" not in html.lower()
    assert "Open Government Licence" not in html


def test_method_not_allowed_keeps_the_allow_header(make_app):
    response = make_app().test_client().delete("/page")

    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert "cannot do that" in response.get_data(as_text=True)


def test_request_too_large_gets_a_friendly_page(make_app):
    client = make_app(MAX_CONTENT_LENGTH=1024, WTF_CSRF_ENABLED=False).test_client()

    response = client.post("/page", data={"answer": "x" * 5000})

    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "too large" in html
    assert "The limit is 1 KB." in html
    assert 'href="/page"' in html


def test_unexpected_error_shows_no_traceback(make_app):
    client = make_app(PROPAGATE_EXCEPTIONS=False).test_client()

    response = client.get("/boom")

    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "secret internals" not in html
    assert "Traceback" not in html


def test_api_errors_are_json_problems(make_app):
    client = make_app(PROPAGATE_EXCEPTIONS=False, WTF_CSRF_ENABLED=False).test_client()

    missing = client.get("/api/nothing-here")
    failed = client.post("/api/things")

    assert missing.status_code == 404
    assert missing.mimetype == "application/problem+json"
    assert missing.json["status"] == 404
    assert missing.json["title"] == "Not Found"
    assert failed.status_code == 500
    assert failed.mimetype == "application/problem+json"
    assert "secret internals" not in failed.get_data(as_text=True)


def test_slack_paths_get_json_problems(make_app):
    response = make_app().test_client().get("/slack/nothing-here")

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def parse_csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize(
    ("code", "title"),
    [
        (429, "Sorry, there have been too many attempts"),
        (503, "Sorry, the service is unavailable"),
        (418, "I&#39;m a teapot"),
    ],
)
def test_other_errors_get_their_own_pages(make_app, code, title):
    response = make_app().test_client().get(f"/busy/{code}")

    assert response.status_code == code
    assert f'<h1 class="govuk-heading-l">{title}</h1>' in response.get_data(as_text=True)


def test_a_broken_error_page_falls_back_to_plain_html(make_app, monkeypatch):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    def broken(*args, **kwargs):
        raise RuntimeError("template trouble")

    monkeypatch.setattr("app.errors.render_template", broken)
    response = app.test_client().get("/boom")

    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "template trouble" not in html
