"""Worker tasks for email: send queued messages (retried, never twice), reminders, purge."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from surveys.db import db
from surveys.models import OutboundMessage
from surveys.worker import enqueue, periodic, task

log = logging.getLogger(__name__)

SEND_RETRIES = 6
SEND_RETRY_DELAY_SECONDS = 120


@task(retries=SEND_RETRIES, retry_delay=SEND_RETRY_DELAY_SECONDS, context=True)
def send_message(message_id: int, task=None) -> None:
    """Send one queued email; on refusal count the attempt and let Huey retry later."""
    send_message_now(message_id, task.retries if task is not None else 0)


def send_message_now(message_id: int, retries_left: int) -> None:
    """Send one queued email: claim it and commit, send holding no transaction, then record
    the outcome (raises DeliveryFailed to be retried)."""
    from surveys.services import mail

    message = db.session.get(OutboundMessage, message_id, with_for_update=True)
    email = mail.claim(message) if message is not None else None
    db.session.commit()
    if email is None:
        return
    error = mail.send(email)  # the session is untouched until the server has answered
    message = db.session.get(OutboundMessage, message_id, with_for_update=True)
    if message is None:  # erased while it was being sent
        return
    try:
        mail.record(message, error)
    except mail.DeliveryFailed:
        if retries_left <= 0:
            mail.mark_failed(message)
            db.session.commit()
            log.warning("message %s failed for good", message_id)
            return
        # Keep the attempt count and error, then raise so Huey schedules a retry.
        db.session.commit()
        raise
    db.session.commit()


def enqueue_messages(messages: Iterable[OutboundMessage]) -> None:
    """Hand freshly committed outbox rows to the worker."""
    for message in messages:
        enqueue("send_message", message.id)


@periodic(minute="*/10")
def send_queued_messages() -> None:
    """Pick up any queued message whose task was lost (e.g. the queue was emptied)."""
    from surveys.services import mail

    for message_id in mail.queued_message_ids():
        enqueue("send_message", message_id)


@periodic(minute="15", hour="8")
def send_scheduled_reminders() -> None:
    """Queue the automatic reminders that fall due today, then send them."""
    from surveys.services import reminders

    messages = reminders.queue_scheduled_reminders()
    db.session.commit()
    enqueue_messages(messages)


@periodic(minute="30", hour="2")
def purge_expired_responses() -> None:
    """Delete responses past their programme's retention period."""
    from surveys.services import privacy

    count = privacy.purge_expired()
    if count:
        log.info("purged %s responses past their retention period", count)
