"""Bolt middleware: a retried delivery of one Slack event has one effect."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from typing import Any

from flask import Flask, has_app_context
from slack_bolt import BoltResponse

from surveys.services import slack_deliveries

log = logging.getLogger(__name__)


def delivery_key(body: dict[str, Any]) -> str | None:
    """Return the id Slack keeps the same across retries of one delivery, if it has one."""
    if body.get("type") == "event_callback" and body.get("event_id"):
        return f"event:{body['event_id']}"
    return None


@contextlib.contextmanager
def _app_context(flask_app: Flask) -> Iterator[None]:
    # Over HTTP the Flask request already has a context; Socket Mode threads have none.
    if has_app_context():
        yield
    else:
        with flask_app.app_context():
            yield


def deduplicate_retries(flask_app: Flask) -> Callable[..., BoltResponse | None]:
    """Return middleware acknowledging a repeated event delivery without running listeners."""

    def deduplicate(body: dict[str, Any], req: Any, next: Callable[[], Any]) -> Any:
        key = delivery_key(body)
        if key is None:
            return next()
        with _app_context(flask_app):
            first = slack_deliveries.claim_event(key)
        if not first:
            retry = req.headers.get("x-slack-retry-num", ["?"])[0]
            log.info("ignoring repeated Slack delivery %s (retry %s)", key, retry)
            return BoltResponse(status=200, body="")
        return next()

    return deduplicate
