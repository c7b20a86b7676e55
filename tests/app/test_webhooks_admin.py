"""The webhooks admin page, and the acceptance: a web submission reaches a loopback receiver."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from app import create_app
from surveys.db import db
from surveys.models import AuditEvent, Webhook
from surveys.services import lessons, webhooks
from surveys.services.webhook_delivery import attempt
from surveys.worker import create_consumer, queue
from tests.app.public_helpers import answer_everything, csrf_token, provider_link
from tests.app.public_helpers import post as public_post
from tests.app.test_admin_workspace import post, signed_in
from tests.conftest import empty_all_tables, make_config
from tests.factories import make_round
from tests.webhook_receiver import running_receiver, verify

EVENTS = ["response.submitted", "lesson.updated"]


@pytest.fixture
def admin(app, client):
    app.config["WEBHOOK_ALLOW_LOOPBACK"] = True
    return signed_in(client, role="admin")


def add_webhook(client, url: str, events=EVENTS):
    data = {"url": url, "events": events, "description": "Steering group dashboard"}
    return post(client, "/admin/webhooks", data, page="/admin/webhooks")


def test_an_admin_adds_a_webhook_and_sees_its_secret_once(client, admin):
    added = add_webhook(client, "http://127.0.0.1:9/hooks")
    assert added.status_code == 302
    first = client.get(added.headers["Location"]).get_data(as_text=True)
    webhook = db.session.scalars(select(Webhook)).one()
    assert webhook.secret in first and webhook.events == EVENTS
    again = client.get(added.headers["Location"]).get_data(as_text=True)
    assert webhook.secret not in again and "Show signing secret" in again

    shown = post(client, f"/admin/webhooks/{webhook.id}/secret", {}, page="/admin/webhooks")
    assert webhook.secret in shown.get_data(as_text=True)
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "webhook.created" in actions and "webhook.secret_shown" in actions
    assert webhook.secret not in str(db.session.scalars(select(AuditEvent.detail)).all())


@pytest.mark.parametrize(
    ("url", "events", "field", "message"),
    [
        ("https://192.168.1.20/hooks", EVENTS, "url", "public internet"),
        ("http://127.0.0.1:9/hooks", [], "events", "Select the events to send"),
    ],
)
def test_a_refused_webhook_shows_the_error_summary(client, admin, url, events, field, message):
    page = add_webhook(client, url, events)
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "govuk-error-summary" in html and f'href="#{field}"' in html and message in html
    assert db.session.scalars(select(Webhook)).all() == []


def test_only_admins_manage_webhooks(client, app):
    signed_in(client, role="officer")
    assert client.get("/admin/webhooks").status_code == 403


def test_the_delivery_log_and_the_banner_show_a_webhook_turned_off(client, admin, app):
    app.config["WEBHOOK_DISABLE_AFTER"] = 1
    with running_receiver([500]) as receiver:
        webhook = webhooks.create_webhook(receiver.url, EVENTS)
        lessons.record_lesson(make_round(), None, "Longer window", "", None)
        db.session.commit()
        [delivery] = webhooks.delivery_log(webhook)
        attempt(delivery)
        db.session.commit()
    page = client.get(f"/admin/webhooks/{webhook.id}").get_data(as_text=True)
    assert "lesson.updated" in page and "HTTP 500" in page and "Failed" in page
    assert "integration-problems" in page and "Webhooks" in page and "turned off" in page

    turned_on = post(client, f"/admin/webhooks/{webhook.id}/active", {"active": "1"})
    assert turned_on.status_code == 302
    assert "integration-problems" not in client.get("/admin/webhooks").get_data(as_text=True)
    removed = post(client, f"/admin/webhooks/{webhook.id}/delete", {})
    assert removed.status_code == 302 and db.session.get(Webhook, webhook.id) is None


def test_a_web_submission_reaches_a_loopback_receiver_signed_with_the_worker_running(
    migrated_database, tmp_path
):
    app = create_app(
        make_config(
            migrated_database, tmp_path, WORKER_IMMEDIATE=False, WEBHOOK_ALLOW_LOOPBACK=True
        )
    )
    consumer = create_consumer(app, periodic=False)
    consumer.start()
    try:
        with app.app_context(), running_receiver() as receiver:
            webhook = webhooks.create_webhook(receiver.url, ["response.submitted"])
            token, invitation = provider_link()
            db.session.commit()
            client = app.test_client()
            assert public_post(client, f"/r/{token}", {}).status_code == 303
            answer_everything(client, token)
            submitted_at = time.monotonic()
            sent = client.post(
                f"/r/{token}/check", data={"csrf_token": csrf_token(client, f"/r/{token}/check")}
            )
            assert sent.status_code == 303
            [got] = receiver.wait_for(1, timeout=15)
            seconds = time.monotonic() - submitted_at
            event = verify(webhook.secret, got.headers, got.body)
            assert event["type"] == "response.submitted"
            assert event["data"]["response"]["round"] == invitation.survey.round.slug
            assert event["data"]["response"]["channel"] == "web"
            assert seconds < 10, seconds
            assert re.fullmatch(r"msg_[\w-]+", got.headers["webhook-id"])
    finally:
        consumer.stop(graceful=True)
        queue(app).flush()
        with app.app_context():
            db.session.remove()
            empty_all_tables()
            db.engine.dispose()
