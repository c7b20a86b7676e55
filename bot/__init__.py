"""The Slack face: a Bolt app mounted at /slack/events, or run over Socket Mode.

`init_app(flask_app)` builds the Bolt app from the Flask config and registers the `slack`
blueprint. Nothing talks to Slack at import time or while the app is built; when the Slack
settings are missing the endpoint answers 503 and everything else runs as usual.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Blueprint, Flask, current_app, jsonify, request

if TYPE_CHECKING:  # slack-bolt is loaded when a bot is built, not when `debrief` starts
    from slack_bolt import App
    from slack_bolt.adapter.flask import SlackRequestHandler
    from slack_sdk import WebClient

    from bot.runtime import AppContextExecutor

from bot import edge

log = logging.getLogger(__name__)

EXTENSION = "debrief_bot"
DEFAULT_API_URL = "https://slack.com/api/"

blueprint = Blueprint("slack", __name__)


@dataclass
class Bot:
    """The Bolt app of one Flask app, with the executor its listeners run on."""

    bolt: App
    handler: SlackRequestHandler
    executor: AppContextExecutor

    @property
    def client(self) -> WebClient:
        return self.bolt.client


def init_app(flask_app: Flask) -> None:
    """Build the Bolt app from config (when Slack is configured) and mount /slack/events."""
    from bot import tasks  # noqa: F401  (declares the notification tasks on the core's queue)

    flask_app.extensions[EXTENSION] = build_bot(flask_app) if is_configured(flask_app) else None
    if "slack" not in flask_app.blueprints:
        # Slack signs its requests and sends no CSRF token: the web face exempts this
        # blueprint from its CSRF check (`csrf.exempt(bot.blueprint)`).
        flask_app.register_blueprint(blueprint)


def is_configured(flask_app: Flask) -> bool:
    """Say whether the bot token and signing secret are both set."""
    return bool(
        flask_app.config.get("SLACK_BOT_TOKEN") and flask_app.config.get("SLACK_SIGNING_SECRET")
    )


def get_bot(flask_app: Flask | None = None) -> Bot | None:
    """Return the app's bot, or None when Slack is not configured."""
    flask_app = flask_app or current_app
    return flask_app.extensions.get(EXTENSION)


def make_client(flask_app: Flask) -> WebClient:
    """Return a Web API client for the configured token and API address, honouring 429s."""
    from slack_sdk import WebClient
    from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

    base_url = flask_app.config.get("SLACK_API_URL") or DEFAULT_API_URL
    client = WebClient(
        token=flask_app.config["SLACK_BOT_TOKEN"],
        base_url=base_url.rstrip("/") + "/",
        timeout=10,
    )
    # The default handlers retry connection errors; add Slack's Retry-After for 429s.
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    return client


def build_bot(flask_app: Flask) -> Bot:
    """Build the Bolt app and its listeners for a Flask app."""
    from slack_bolt import App
    from slack_bolt.adapter.flask import SlackRequestHandler

    from bot import listeners
    from bot.middleware import deduplicate_retries
    from bot.runtime import AppContextExecutor

    executor = AppContextExecutor(flask_app)
    bolt = App(
        client=make_client(flask_app),
        signing_secret=flask_app.config["SLACK_SIGNING_SECRET"],
        # auth.test runs on the first request, not at start-up, so a Slack outage
        # cannot stop the web app from starting.
        token_verification_enabled=False,
        listener_executor=executor,
        logger=logging.getLogger("bot.bolt"),
    )
    bolt.use(deduplicate_retries(flask_app))
    listeners.register(bolt)
    return Bot(bolt=bolt, handler=SlackRequestHandler(bolt), executor=executor)


@blueprint.post("/slack/events")
def events():
    """Receive Slack's slash commands, interactions and events (all signed by Slack)."""
    bot = get_bot()
    if bot is None:
        return jsonify(error="Slack is not configured on this server."), 503
    try:
        edge.check(request, current_app.config["SLACK_SIGNING_SECRET"])
    except edge.Refused as refused:
        return edge.problem(refused.status, "Refused", refused.detail)
    response = bot.handler.handle(request)
    if response.status_code >= 500:
        # A listener failed (Bolt has logged it): tell Slack to retry later, as JSON.
        return edge.problem(503, "Service unavailable", edge.UNAVAILABLE)
    return response


__all__ = ["Bot", "blueprint", "build_bot", "get_bot", "init_app"]
