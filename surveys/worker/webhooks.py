"""Worker tasks for webhooks: send each delivery, retry it with backoff, sweep up lost ones."""

from __future__ import annotations

from surveys.db import db
from surveys.models import WebhookDelivery, utcnow
from surveys.worker import enqueue, periodic, task, tasks
from surveys.worker.summaries import queues_recomputes


@task(priority=1)  # before summaries: a receiver waits for it
def deliver_webhook(delivery_id: int) -> None:
    """Try one webhook delivery, holding no transaction during the call; schedule a retry."""
    from surveys.services import webhook_delivery

    policy = webhook_delivery.Policy.from_config()
    delivery = db.session.get(WebhookDelivery, delivery_id, with_for_update=True)
    outgoing = webhook_delivery.claim(delivery, utcnow(), policy) if delivery else None
    db.session.commit()
    if outgoing is None:
        return
    status, error = webhook_delivery.send(outgoing, policy)
    delivery = db.session.get(WebhookDelivery, delivery_id, with_for_update=True)
    if delivery is None:
        return  # its webhook was deleted during the call, and its log with it
    now = utcnow()
    retry_at = webhook_delivery.record(delivery, status, error, now, policy)
    if retry_at is not None and queues_recomputes():
        delay = max((retry_at - now).total_seconds(), 0)
        tasks()["deliver_webhook"].schedule((delivery_id,), delay=delay)


def hand_over(delivery_ids: list[int]) -> None:
    """Queue freshly committed deliveries (called after the commit that raised them)."""
    for delivery_id in delivery_ids:
        enqueue("deliver_webhook", delivery_id)


@periodic(minute="*")
def deliver_overdue_webhooks() -> int:
    """Queue deliveries whose task was lost (the queue was emptied, a worker died)."""
    from surveys.services import webhook_delivery

    ids = webhook_delivery.due_delivery_ids()
    for delivery_id in ids:
        enqueue("deliver_webhook", delivery_id)
    return len(ids)
