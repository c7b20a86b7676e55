"""Webhooks: admins' subscriptions, the events services raise, and Standard Webhooks signing.

A service raises an event (`raise_event`) in the transaction of the change it reports: one
`WebhookEvent` row and a queued `WebhookDelivery` per subscribed webhook. A rolled-back
change therefore sends nothing. After the commit the deliveries are handed to the worker
(`track`); `surveys.services.webhook_delivery` sends them. Payloads carry identifiers and
statuses only, never answers or personal data: a receiver reads more through the API.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from surveys.db import db
from surveys.errors import InvalidInput, NotFound
from surveys.models import (
    WEBHOOK_EVENTS,
    Action,
    Lesson,
    Officer,
    Response,
    Round,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
    utcnow,
)
from surveys.services import audit, integration_problems
from surveys.services.webhook_urls import check_url, shown_url

log = logging.getLogger(__name__)
SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret
SECRET_BYTES = 32
MAX_DESCRIPTION = 200
_PENDING = "webhook_deliveries"
DELIVERY_LOG_LENGTH = 50


# -- signing (https://www.standardwebhooks.com) ---------------------------------------------


def new_secret() -> str:
    """Return a fresh signing secret in the Standard Webhooks format (whsec_ + base64)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """Return the `webhook-signature` value: v1, then base64 HMAC-SHA256 of id.timestamp.body."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


# -- subscriptions --------------------------------------------------------------------------


def list_webhooks() -> list[Webhook]:
    """Return every webhook, oldest first."""
    return list(db.session.scalars(select(Webhook).order_by(Webhook.id)))


def get_webhook(webhook_id: int) -> Webhook:
    """Return a webhook or raise NotFound."""
    webhook = db.session.get(Webhook, webhook_id)
    if webhook is None:
        raise NotFound("No such webhook")
    return webhook


def _checked_events(events: list[str]) -> list[str]:
    chosen = [name for name in WEBHOOK_EVENTS if name in set(events)]
    if not chosen or len(chosen) != len(set(events)):
        raise InvalidInput("No events", {"events": "Select the events to send"})
    return chosen


def create_webhook(
    url: str, events: list[str], description: str = "", *, actor: Officer | None = None
) -> Webhook:
    """Subscribe a URL to events, with a new signing secret (raises InvalidInput)."""
    errors: dict[str, str] = {}
    try:
        url = check_url(url)
    except InvalidInput as error:
        errors |= error.errors
    try:
        events = _checked_events(events)
    except InvalidInput as error:
        errors |= error.errors
    description = " ".join((description or "").split())
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = f"Description must be {MAX_DESCRIPTION} characters or fewer"
    if errors:
        raise InvalidInput("The webhook could not be added", errors)
    webhook = Webhook(
        url=url,
        events=events,
        description=description,
        secret=new_secret(),
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(webhook)
    db.session.flush()
    audit.record("webhook.created", actor=actor, target=webhook, count=len(events))
    return webhook


def set_active(webhook: Webhook, active: bool, *, actor: Officer | None = None) -> None:
    """Turn a webhook on (counting failures afresh) or off."""
    webhook.active = active
    webhook.disabled_at = None if active else utcnow()
    if active:
        webhook.consecutive_failures = 0
        for problem in integration_problems.open_problems("webhooks"):
            if _is_about(problem.summary, webhook):
                integration_problems.resolve(problem)
    db.session.flush()
    audit.record(
        "webhook.turned_on" if active else "webhook.turned_off", actor=actor, target=webhook
    )


def disabled_summary(webhook: Webhook, failures: int) -> str:
    """Say that a webhook was turned off after failing (an integration problem's summary)."""
    return (
        f"The webhook to {shown_url(webhook.url)} was turned off after "
        f"{failures} failed deliveries in a row. Check the receiver, "
        "then turn the webhook back on."
    )


def _is_about(summary: str, webhook: Webhook) -> bool:
    # The summary may be cut short (integration_problems.MAX_SUMMARY) inside a long address;
    # "…/hooks " never matches a problem about "…/hooks-2".
    start = disabled_summary(webhook, 0).split(" was turned off", 1)[0] + " "
    return summary.startswith(start) or (
        len(summary) >= integration_problems.MAX_SUMMARY and start.startswith(summary)
    )


def delete_webhook(webhook: Webhook, *, actor: Officer | None = None) -> None:
    """Remove a webhook and its delivery log."""
    audit.record("webhook.deleted", actor=actor, target=webhook)
    db.session.delete(webhook)
    db.session.flush()


def reveal_secret(webhook: Webhook, *, actor: Officer) -> str:
    """Return the webhook's signing secret to an admin, and record that it was shown."""
    audit.record("webhook.secret_shown", actor=actor, target=webhook)
    return webhook.secret


def delivery_log(webhook: Webhook, limit: int = DELIVERY_LOG_LENGTH) -> list[WebhookDelivery]:
    """Return the webhook's latest deliveries, newest first."""
    return list(
        db.session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == webhook.id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )


# -- raising events (the outbox) ------------------------------------------------------------


def raise_event(event_type: str, data: dict[str, Any]) -> WebhookEvent | None:
    """Queue an event for every active webhook subscribed to it, in the caller's transaction."""
    if event_type not in WEBHOOK_EVENTS:
        raise ValueError(f"unknown webhook event {event_type!r}")
    subscribers = [
        w
        for w in db.session.scalars(select(Webhook).where(Webhook.active))
        if event_type in w.events
    ]
    if not subscribers:
        return None
    now = utcnow()
    row = WebhookEvent(
        message_id="msg_" + secrets.token_urlsafe(18),
        event_type=event_type,
        payload=data,
        created_at=now,
    )
    db.session.add(row)
    deliveries = [
        WebhookDelivery(event=row, webhook=webhook, next_attempt_at=now) for webhook in subscribers
    ]
    db.session.add_all(deliveries)
    db.session.flush()
    db.session.info.setdefault(_PENDING, []).extend(d.id for d in deliveries)
    return row


def body_of(row: WebhookEvent) -> bytes:
    """Return the JSON body sent for an event: its type, when it happened and its data."""
    envelope = {
        "type": row.event_type,
        "timestamp": row.created_at.isoformat().replace("+00:00", "Z"),
        "data": row.payload,
    }
    return json.dumps(envelope, separators=(",", ":"), sort_keys=True).encode()


def response_submitted(response: Response) -> None:
    """Raise `response.submitted` for a response just submitted."""
    survey = response.survey
    raise_event(
        "response.submitted",
        {
            "response": {
                "id": response.id,
                "reference": response.reference,
                "channel": response.channel,
                "survey": survey.slug,
                "round": survey.round.slug,
                "submitted_at": _when(response.submitted_at),
            }
        },
    )


def round_changed(round_: Round) -> None:
    """Raise `round.opened` or `round.closed` for a round whose status just changed."""
    kind = "round.opened" if round_.is_open else "round.closed"
    data = {"round": {"id": round_.id, "slug": round_.slug, "name": round_.name}}
    raise_event(kind, data | {"status": round_.status})


def lesson_updated(lesson: Lesson, change: str) -> None:
    """Raise `lesson.updated` (change: recorded or updated)."""
    raise_event(
        "lesson.updated",
        {
            "change": change,
            "lesson": {
                "id": lesson.id,
                "title": lesson.title,
                "status": lesson.status,
                "round_id": lesson.round_id,
            },
        },
    )


def action_updated(action: Action, change: str) -> None:
    """Raise `action.updated` (change: added or updated)."""
    raise_event(
        "action.updated",
        {
            "change": change,
            "action": {
                "id": action.id,
                "lesson_id": action.lesson_id,
                "status": action.status,
                "due_on": action.due_on.isoformat() if action.due_on else None,
            },
        },
    )


def _when(moment: Any) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment is not None else None


# -- handing committed deliveries to the worker ---------------------------------------------

_handlers: list[tuple[Callable[[list[int]], None], Callable[[], bool]]] = []


def track(target: Any, hand_over: Callable[[list[int]], None], queues: Callable[[], bool]) -> None:
    """After each commit, hand the deliveries it queued to `hand_over` (if a worker runs)."""
    _handlers[:] = [(hand_over, queues)]
    if event.contains(target, "after_commit", _after_commit):
        return
    event.listen(target, "after_commit", _after_commit)
    event.listen(target, "after_rollback", _after_rollback)


def _after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending or not _handlers:
        return
    hand_over, queues = _handlers[0]
    if not queues():
        return
    try:
        hand_over(list(pending))
    except Exception:
        # The deliveries are committed; the worker's sweep sends them a few minutes later.
        log.exception("could not hand %s webhook deliveries to the worker", len(pending))


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
