"""Sending webhook deliveries: one signed attempt, retries with exponential backoff, disabling.

The worker claims a due delivery and signs it (`claim`), commits, makes the call outside
any transaction (`send`: SQLite's write lock is never held while a receiver thinks), then
records the outcome (`record`); `attempt` does all three at once. A 2xx answer delivers
it; anything else (another status, a refused or timed-out connection, an address no longer
allowed) counts a failure and sets the next attempt retry_seconds * 2^(attempts - 1)
later, until max_attempts. A webhook that fails disable_after attempts in a row, across
deliveries, is turned off, its queued deliveries fail, and officers see an integration
problem."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from surveys.db import db
from surveys.errors import InvalidInput
from surveys.models import Webhook, WebhookDelivery, utcnow
from surveys.services import integration_problems
from surveys.services.webhook_urls import post, resolve
from surveys.services.webhooks import body_of, disabled_summary, sign

log = logging.getLogger(__name__)
MAX_ERROR = 300
USER_AGENT = "Debrief-Webhooks/1"
# A queued delivery this overdue has lost its task; the worker's sweep sends it.
LOST_AFTER = timedelta(minutes=2)
# How long past the call's timeout a claimed delivery stays with the worker sending it.
LEASE_MARGIN = timedelta(seconds=30)


@dataclass(frozen=True)
class Policy:
    """How hard to try: attempts per delivery, the first retry delay, when to give up on a URL."""

    max_attempts: int = 8
    retry_seconds: float = 30
    disable_after: int = 15
    timeout_seconds: float = 10

    @classmethod
    def from_config(cls) -> Policy:
        config = current_app.config
        return cls(
            max_attempts=int(config.get("WEBHOOK_MAX_ATTEMPTS", cls.max_attempts)),
            retry_seconds=float(config.get("WEBHOOK_RETRY_SECONDS", cls.retry_seconds)),
            disable_after=int(config.get("WEBHOOK_DISABLE_AFTER", cls.disable_after)),
            timeout_seconds=float(config.get("WEBHOOK_TIMEOUT_SECONDS", cls.timeout_seconds)),
        )

    def backoff(self, attempts: int) -> timedelta:
        """Return the wait before the next attempt after `attempts` failed ones."""
        return timedelta(seconds=self.retry_seconds * 2 ** max(attempts - 1, 0))


@dataclass(frozen=True)
class Outgoing:
    """A signed request ready to send, read from the database before the call is made."""

    url: str
    body: bytes
    headers: dict[str, str]


def claim(delivery: WebhookDelivery, now: datetime, policy: Policy) -> Outgoing | None:
    """Take a due delivery for one attempt and sign it; None when it is not to be sent now.

    The claim holds the delivery (its next attempt moves past the call's timeout), so the
    caller can commit, and free the database, before making the call.
    """
    if delivery.status != "queued":
        return None
    if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
        return None  # not due, or another worker is sending it
    webhook = delivery.webhook
    if not webhook.active:
        _give_up(delivery, "The webhook was turned off")
        return None
    event = delivery.event
    body = body_of(event)
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": event.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(webhook.secret, event.message_id, timestamp, body),
    }
    delivery.next_attempt_at = now + timedelta(seconds=policy.timeout_seconds) + LEASE_MARGIN
    db.session.flush()
    return Outgoing(webhook.url, body, headers)


def send(outgoing: Outgoing, policy: Policy) -> tuple[int | None, str | None]:
    """Make one POST (no database work); return (status code, error), error None if delivered."""
    try:
        target = resolve(outgoing.url)
        status = post(target, outgoing.body, outgoing.headers, policy.timeout_seconds)
    except InvalidInput as error:
        return None, next(iter(error.errors.values()), str(error))
    except OSError as error:
        return None, f"Could not connect: {type(error).__name__}: {error}"[:MAX_ERROR]
    if 200 <= status < 300:
        return status, None
    return status, f"The receiver answered HTTP {status}"


def record(
    delivery: WebhookDelivery,
    status: int | None,
    error: str | None,
    now: datetime,
    policy: Policy,
) -> datetime | None:
    """Record an attempt's outcome; return when to retry, or None when the delivery is settled."""
    webhook = delivery.webhook
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = status
    delivery.last_error = error
    if error is None:
        delivery.status = "delivered"
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        webhook.consecutive_failures = 0
        db.session.flush()
        return None
    webhook.consecutive_failures += 1
    log.warning("webhook %s delivery %s failed: %s", webhook.id, delivery.id, error)
    if webhook.consecutive_failures >= policy.disable_after:
        _give_up(delivery, error)  # first, so the log keeps this attempt's own answer
        disable(webhook, policy)
        return None
    if delivery.attempts >= policy.max_attempts:
        _give_up(delivery, error)
        return None
    delivery.next_attempt_at = now + policy.backoff(delivery.attempts)
    db.session.flush()
    return delivery.next_attempt_at


def attempt(delivery: WebhookDelivery, now: datetime | None = None) -> datetime | None:
    """Claim, send and record one attempt in this transaction; return when to retry, if ever."""
    now = now or utcnow()
    policy = Policy.from_config()
    outgoing = claim(delivery, now, policy)
    if outgoing is None:
        return None
    status, error = send(outgoing, policy)
    return record(delivery, status, error, now, policy)


def _give_up(delivery: WebhookDelivery, error: str) -> None:
    delivery.status = "failed"
    delivery.last_error = error[:MAX_ERROR]
    delivery.next_attempt_at = None
    db.session.flush()


def disable(webhook: Webhook, policy: Policy) -> None:
    """Turn off a webhook that keeps failing, fail its queued deliveries, tell the officers."""
    webhook.active = False
    webhook.disabled_at = utcnow()
    db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == webhook.id, WebhookDelivery.status == "queued")
        .values(
            status="failed",
            next_attempt_at=None,
            last_error=f"The webhook was turned off after {policy.disable_after} failures in a row",
        )
        .execution_options(synchronize_session="fetch")
    )
    integration_problems.record("webhooks", disabled_summary(webhook, policy.disable_after))
    db.session.flush()


def due_delivery_ids(now: datetime | None = None, *, lost_only: bool = True) -> list[int]:
    """Return queued deliveries due now (only those overdue by LOST_AFTER: their task was lost)."""
    cutoff = (now or utcnow()) - (LOST_AFTER if lost_only else timedelta())
    return list(
        db.session.scalars(
            select(WebhookDelivery.id)
            .where(WebhookDelivery.status == "queued", WebhookDelivery.next_attempt_at <= cutoff)
            .order_by(WebhookDelivery.id)
        )
    )
