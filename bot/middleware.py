"""Bolt middleware: a retried delivery of one Slack event has one effect."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

from flask import Flask, has_app_context
from slack_bolt import BoltResponse
from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError

from surveys.db import db
from surveys.models import SlackDelivery, utcnow

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


def claim_delivery(key: str) -> bool:
    """Record a delivery as handled; say False when it had been handled already."""
    try:
        # Its own connection and transaction, so the claim is durable before any effect.
        with db.engine.begin() as connection:
            connection.execute(insert(SlackDelivery).values(delivery_id=key, received_at=utcnow()))
    except IntegrityError:
        return False
    return True


def forget_deliveries_older_than(days: int = 7) -> int:
    """Delete event records Slack can no longer retry; return how many went.

    Only `event:` records: `notify:` records say a notification was sent and must stay,
    or the partner would be messaged again.
    """
    cutoff = utcnow() - timedelta(days=days)
    result = db.session.execute(
        delete(SlackDelivery).where(
            SlackDelivery.received_at < cutoff, SlackDelivery.delivery_id.like("event:%")
        )
    )
    return result.rowcount or 0


def deduplicate_retries(flask_app: Flask) -> Callable[..., BoltResponse | None]:
    """Return middleware acknowledging a repeated event delivery without running listeners."""

    def deduplicate(body: dict[str, Any], req: Any, next: Callable[[], Any]) -> Any:
        key = delivery_key(body)
        if key is None:
            return next()
        with _app_context(flask_app):
            first = claim_delivery(key)
        if not first:
            retry = req.headers.get("x-slack-retry-num", ["?"])[0]
            log.info("ignoring repeated Slack delivery %s (retry %s)", key, retry)
            return BoltResponse(status=200, body="")
        return next()

    return deduplicate
