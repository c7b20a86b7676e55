"""Bot fixtures: an app whose Slack client talks to a local fake, and signed requests."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from slack_sdk.signature import SignatureVerifier

from app import create_app
from bot import get_bot
from bot.access import forget_cached_emails
from surveys.db import db
from tests.bot.fake_slack import FakeSlack
from tests.conftest import empty_all_tables, make_config

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture
def app(migrated_database: str, tmp_path: Path, slack: FakeSlack) -> Iterator[Flask]:
    """An app with Slack configured against the fake; every table is emptied afterwards."""
    config = make_config(
        migrated_database,
        tmp_path,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,
        SLACK_NOTIFY_CHANNEL="C0NOTIFY",
    )
    app = create_app(config)
    forget_cached_emails()
    with app.app_context():
        yield app
        get_bot(app).executor.shutdown(wait=True)
        db.session.remove()
        empty_all_tables()
        db.engine.dispose()


class SlackPoster:
    """Posts bodies to /slack/events signed as Slack signs them, then waits for the work."""

    def __init__(self, app: Flask, slack: FakeSlack) -> None:
        self.app = app
        self.slack = slack
        self.client = app.test_client()
        self.verifier = SignatureVerifier(SIGNING_SECRET)

    def headers(self, body: str, *, timestamp: int | None = None, **extra: str) -> dict:
        timestamp = int(time.time()) if timestamp is None else timestamp
        signature = self.verifier.generate_signature(timestamp=str(timestamp), body=body)
        return {
            "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": signature,
            **extra,
        }

    def post(self, body: str, content_type: str, *, wait: bool = True, **options: Any):
        # Whatever the test set up must be visible to the listeners' own sessions.
        db.session.commit()
        headers = options.pop("headers", None) or self.headers(body, **options)
        response = self.client.post(
            "/slack/events", data=body, headers=headers, content_type=content_type
        )
        if wait:
            self.wait()
        return response

    def wait(self) -> None:
        assert get_bot(self.app).executor.wait_idle(15), "listener work did not finish"
        db.session.expire_all()

    def command(self, text: str, user_id: str = "U0OFFICER", **options: Any):
        body = urlencode(
            {
                "token": "legacy",
                "team_id": "T1",
                "team_domain": "council",
                "channel_id": "C0GENERAL",
                "channel_name": "general",
                "user_id": user_id,
                "user_name": "someone",
                "command": "/debrief",
                "text": text,
                "api_app_id": "A1",
                "response_url": self.slack.response_url("commands"),
                "trigger_id": "trigger-123",
            }
        )
        return self.post(body, "application/x-www-form-urlencoded", **options)

    def interaction(self, payload: dict[str, Any], **options: Any):
        body = urlencode({"payload": json.dumps(payload)})
        return self.post(body, "application/x-www-form-urlencoded", **options)

    def block_action(
        self, action_id: str, value: str, user_id: str = "U0OFFICER", **extra: Any
    ) -> Any:
        payload = {
            "type": "block_actions",
            "team": {"id": "T1"},
            "user": {"id": user_id},
            "api_app_id": "A1",
            "trigger_id": "trigger-456",
            "channel": {"id": "C0GENERAL"},
            "container": {"type": "message"},
            "response_url": self.slack.response_url("actions"),
            "actions": [
                {"action_id": action_id, "block_id": "b", "value": value, "type": "button"}
            ],
            **extra,
        }
        return self.interaction(payload)

    def view_submission(self, view: dict[str, Any], values: dict, user_id: str, **options):
        submitted = {
            **view,
            "id": view.get("id", "V0001"),
            "hash": "hash-1",
            "state": {"values": values},
        }
        payload = {
            "type": "view_submission",
            "team": {"id": "T1"},
            "user": {"id": user_id},
            "api_app_id": "A1",
            "trigger_id": "trigger-789",
            "view": submitted,
        }
        return self.interaction(payload, **options)

    def event(self, event: dict[str, Any], event_id: str = "Ev001", **options: Any):
        body = json.dumps(
            {
                "token": "legacy",
                "team_id": "T1",
                "api_app_id": "A1",
                "type": "event_callback",
                "event_id": event_id,
                "event_time": int(time.time()),
                "event": event,
            }
        )
        return self.post(body, "application/json", **options)


@pytest.fixture
def post(app: Flask, slack: FakeSlack) -> SlackPoster:
    return SlackPoster(app, slack)
