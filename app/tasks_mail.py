"""Worker tasks for email: send queued messages (retried, never twice), reminders, purge."""

from __future__ import annotations

import logging

from huey import crontab

from app.worker import huey, in_app_context

log = logging.getLogger(__name__)

SEND_RETRIES = 6
SEND_RETRY_DELAY_SECONDS = 120


@huey.task(retries=SEND_RETRIES, retry_delay=SEND_RETRY_DELAY_SECONDS, context=True)
def send_message(message_id: int, task=None) -> None:
    """Send one queued email; on refusal count the attempt and let Huey retry later."""
    _send_message(message_id, task.retries if task is not None else 0)


@in_app_context
def _send_message(message_id: int, retries_left: int) -> None:
    from surveys.db import db
    from surveys.models import OutboundMessage
    from surveys.services import mail

    message = db.session.get(OutboundMessage, message_id, with_for_update=True)
    if message is None:
        return
    try:
        mail.deliver(message)
    except mail.DeliveryFailed:
        if retries_left <= 0:
            mail.mark_failed(message)
            log.warning("message %s failed for good", message_id)
            return
        # Keep the attempt count and error, then raise so Huey schedules a retry.
        db.session.commit()
        raise


def enqueue_messages(messages) -> None:
    """Hand freshly committed outbox rows to the worker."""
    for message in messages:
        send_message(message.id)


@huey.periodic_task(crontab(minute="*/10"))
@in_app_context
def send_queued_messages() -> None:
    """Pick up any queued message whose task was lost (e.g. the queue was emptied)."""
    from surveys.services import mail

    for message_id in mail.queued_message_ids():
        send_message(message_id)


@huey.periodic_task(crontab(minute="15", hour="8"))
@in_app_context
def send_scheduled_reminders() -> None:
    """Queue the automatic reminders that fall due today, then send them."""
    from surveys.db import db
    from surveys.services import reminders

    messages = reminders.queue_scheduled_reminders()
    db.session.commit()
    enqueue_messages(messages)


@huey.periodic_task(crontab(minute="30", hour="2"))
@in_app_context
def purge_expired_responses() -> None:
    """Delete responses past their programme's retention period."""
    from surveys.services import privacy

    count = privacy.purge_expired()
    if count:
        log.info("purged %s responses past their retention period", count)
