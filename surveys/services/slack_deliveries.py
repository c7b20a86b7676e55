"""Slack deliveries: which events were handled and which notifications were sent, once.

An event delivery is claimed before its listeners run (Slack retries a slow one); a
notification is recorded only after Slack accepted it, so an outage sends it next time.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError

from surveys.db import db
from surveys.models import SlackDelivery, utcnow


def claim_event(key: str) -> bool:
    """Record an event delivery as handled; say False when it had been handled already.

    The claim has its own connection and transaction, so it is durable before any effect.
    """
    try:
        with db.engine.begin() as connection:
            connection.execute(insert(SlackDelivery).values(delivery_id=key, received_at=utcnow()))
    except IntegrityError:
        return False
    return True


def was_sent(key: str) -> bool:
    """Say whether a notification with this key was accepted by Slack before."""
    return db.session.get(SlackDelivery, key) is not None


def record_sent(key: str) -> None:
    """Record that Slack accepted a notification (the caller commits at once)."""
    db.session.add(SlackDelivery(delivery_id=key))


def forget_events_older_than(days: int = 7) -> int:
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
