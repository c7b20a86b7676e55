"""Connections out of and into Debrief: webhook subscriptions and their deliveries, imports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import db
from surveys.models._base import one_of, utcnow

WEBHOOK_EVENTS: dict[str, str] = {
    "response.submitted": "A response is submitted",
    "round.opened": "A round opens",
    "round.closed": "A round closes",
    "lesson.updated": "A lesson is recorded or changed",
    "action.updated": "An action is added or changed",
}
DELIVERY_STATUSES = ("queued", "delivered", "failed")


class Webhook(db.Model):
    """An admin's subscription of a URL to events, signed with its own secret."""

    __tablename__ = "webhook"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(200), default="")
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The signing key must be read to sign, so it cannot be hashed; it is never logged.
    secret: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    disabled_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookEvent(db.Model):
    """An event raised in the transaction of the change it reports (the outbox)."""

    __tablename__ = "webhook_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    event_type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookDelivery(db.Model):
    """One event's delivery to one webhook: attempts, the last answer, and when to retry."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("event_id", "webhook_id"),
        one_of("status", DELIVERY_STATUSES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("webhook_event.id", ondelete="CASCADE"))
    webhook_id: Mapped[int] = mapped_column(
        ForeignKey("webhook.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    last_status_code: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_attempt_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[WebhookEvent] = relationship()
    webhook: Mapped[Webhook] = relationship()


class ImportedRow(db.Model):
    """Where an imported response came from; its key stops a second import of the row.

    The row is kept when the response is erased or purged (response_id is then null), so
    importing the file again does not bring the answers back.
    """

    __tablename__ = "imported_row"
    __table_args__ = (UniqueConstraint("round_id", "row_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"))
    row_key: Mapped[str] = mapped_column(String(120))
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("response.id", ondelete="SET NULL"), unique=True
    )
    file_name: Mapped[str] = mapped_column(String(255))
    row_number: Mapped[int]
    organisation: Mapped[str] = mapped_column(String(200), default="")
    sector: Mapped[str | None] = mapped_column(String(32))
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)

    response: Mapped[Response | None] = relationship()  # noqa: F821
