"""Hostile requests are refused at the edge with a 4xx, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
import time

import pytest

from tests.app.public_helpers import csrf_token, provider_link
from tests.app.test_admin_workspace import signed_in

UNREADABLE = "characters we could not read"


def test_nul_in_the_sign_in_email_is_400_with_a_page_saying_so(client):
    token = csrf_token(client, "/sign-in")
    response = client.post(
        "/sign-in", data={"email": "a\x00@example.org", "password": "x", "csrf_token": token}
    )
    assert response.status_code == 400
    assert UNREADABLE in response.get_data(as_text=True)


def test_nul_in_the_reset_password_form_is_400(client):
    token = csrf_token(client, "/reset-password")
    response = client.post("/reset-password", data={"email": "\x00", "csrf_token": token})
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/s/%00", "/r/%00", "/r/abc%00/check", "/sign-in?next=%00"])
def test_nul_in_a_path_or_query_is_400(client, path):
    assert client.get(path).status_code == 400


def test_invalid_utf8_in_a_path_or_query_is_400(client):
    # As a WSGI server passes them: the raw bytes of the path, one character per byte.
    raw_path = client.get("/", environ_overrides={"PATH_INFO": "/s/\xff\xfe"})
    assert raw_path.status_code == 400
    assert UNREADABLE in raw_path.get_data(as_text=True)
    assert client.get("/sign-in?next=%C3%28").status_code == 400


def test_raw_invalid_bytes_in_a_form_say_so_not_that_the_page_expired(client, app):
    token, _ = provider_link()
    from surveys.db import db

    db.session.commit()
    url = f"/r/{token}"
    body = f"csrf_token={csrf_token(client, url)}&x=".encode() + b"\xff\xfe\x00"
    response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert UNREADABLE in page and "open for a long time" not in page


def test_nul_in_json_for_the_api_is_a_400_problem(client):
    response = client.post(
        "/api/responses", data='{"x": "\\u0000"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    "path",
    [
        "/admin/responses/9223372036854775808",
        "/admin/responses/2147483648",
        "/admin/rounds/99999999999999999999/dashboard",
        "/admin/contacts/18446744073709551616",
    ],
)
def test_ids_past_the_integer_range_are_404(client, path):
    signed_in(client, "admin")
    assert client.get(path).status_code == 404


def test_every_int_route_is_bounded(app):
    from app.edge import MAX_ID, BoundedIntConverter

    converters = [
        conv
        for rule in app.url_map.iter_rules()
        for conv in rule._converters.values()
        if type(conv).__name__.endswith("IntegerConverter") or isinstance(conv, BoundedIntConverter)
    ]
    assert converters
    assert all(isinstance(c, BoundedIntConverter) and c.max == MAX_ID for c in converters)


@pytest.mark.parametrize(
    ("body", "content_type", "headers", "status"),
    [
        ("{x", "application/json", {"X-Slack-Request-Timestamp": "now"}, 401),
        (
            "payload=%7Bx",
            "application/x-www-form-urlencoded",
            {"X-Slack-Request-Timestamp": "now"},
            401,
        ),
        (
            "text=help",
            "application/x-www-form-urlencoded",
            {"X-Slack-Request-Timestamp": "abc"},
            400,
        ),
        (
            "text=help",
            "application/x-www-form-urlencoded",
            {"X-Slack-Request-Timestamp": "١٢٣"},
            400,
        ),
        ("text=help", "application/x-www-form-urlencoded", {}, 400),
    ],
)
def test_unsigned_or_malformed_slack_bodies_are_refused(
    post, slack, body, content_type, headers, status
):
    if headers.get("X-Slack-Request-Timestamp") == "now":
        headers = {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=00"}
    response = post.client.post(
        "/slack/events", data=body, content_type=content_type, headers=headers
    )
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert slack.calls == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{x", "application/json"),
        ("[1, 2]", "application/json"),
        ("payload=%7Bx", "application/x-www-form-urlencoded"),
        ("payload=%5B%5D", "application/x-www-form-urlencoded"),
    ],
)
def test_signed_but_malformed_slack_bodies_are_400(post, slack, body, content_type):
    headers = post.headers(body)
    response = post.client.post(
        "/slack/events", data=body, content_type=content_type, headers=headers
    )
    assert response.status_code == 400
    assert slack.calls == []


def test_a_signed_slack_body_with_a_stale_timestamp_is_401(post):
    body = json.dumps({"type": "url_verification", "challenge": "c"})
    headers = post.headers(body, timestamp=int(time.time()) - 3600)
    response = post.client.post(
        "/slack/events", data=body, content_type="application/json", headers=headers
    )
    assert response.status_code == 401
