"""The /slack/events endpoint: signatures, configuration, retries and rate limits."""

from __future__ import annotations

import time
from pathlib import Path

from app import create_app
from bot import get_bot
from tests.conftest import make_config
from tests.factories import make_officer


def test_help_for_an_officer_lists_the_commands(post, slack):
    make_officer(slack_user_id="U0OFFICER")
    response = post.command("help")
    assert response.status_code == 200
    [answer] = slack.calls_to("/respond/commands")
    assert answer.body["response_type"] == "ephemeral"
    assert "/debrief summary ROUND" in answer.text()


def test_a_bad_signature_is_refused_and_no_listener_runs(post, slack):
    make_officer(slack_user_id="U0OFFICER")
    headers = post.headers("something else")
    response = post.post(
        "text=help&user_id=U0OFFICER", "application/x-www-form-urlencoded", headers=headers
    )
    assert response.status_code == 401
    assert slack.calls == []


def test_a_stale_timestamp_is_refused(post, slack):
    make_officer(slack_user_id="U0OFFICER")
    response = post.command("help", timestamp=int(time.time()) - 60 * 10)
    assert response.status_code == 401
    assert slack.calls == []


def test_without_slack_settings_the_endpoint_says_so(migrated_database, tmp_path: Path):
    app = create_app(make_config(migrated_database, tmp_path))
    response = app.test_client().post("/slack/events", data="x")
    assert response.status_code == 503
    assert "not configured" in response.get_json()["error"]


def test_debrief_bot_socket_needs_an_app_token(runner):
    result = runner.invoke(args=["bot", "--socket"])
    assert result.exit_code != 0
    assert "SLACK_APP_TOKEN" in result.output


def test_debrief_bot_socket_connects_with_the_bolt_app(app, monkeypatch):
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    started = []
    monkeypatch.setattr(SocketModeHandler, "start", lambda self: started.append(self))
    app.config["SLACK_APP_TOKEN"] = "xapp-test"
    result = app.test_cli_runner().invoke(args=["bot", "--socket"])
    assert result.exit_code == 0, result.output
    [handler] = started
    assert handler.app is get_bot(app).bolt
    assert handler.app_token == "xapp-test"
