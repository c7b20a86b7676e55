"""Operational records: the audit log, outgoing mail, throttles and Slack deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from surveys.db import db
from surveys.models._base import MESSAGE_STATUSES, one_of, utcnow


class AuditEvent(db.Model):
    """Who did what to which record, and when. Never personal data, tokens or answers."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_type: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[int | None]
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class OutboundMessage(db.Model):
    """An email queued for the worker; the idempotency key stops a second send."""

    __tablename__ = "outbound_message"
    __table_args__ = (one_of("status", MESSAGE_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitation.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    to_address: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300), default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    # While a worker is handing it to the SMTP server (no lock held), others leave it alone.
    claimed_until: Mapped[datetime | None]


class Throttle(db.Model):
    """A fixed-window counter shared by every worker process (e.g. token guesses)."""

    __tablename__ = "throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[datetime]
    count: Mapped[int] = mapped_column(default=0)


class SlackDelivery(db.Model):
    """A Slack event or interaction already handled, so a retry has no second effect."""

    __tablename__ = "slack_delivery"

    delivery_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class IntegrationProblem(db.Model):
    """A failure talking to Slack or mail that officers should see in the web app."""

    __tablename__ = "integration_problem"

    id: Mapped[int] = mapped_column(primary_key=True)
    service: Mapped[str] = mapped_column(String(32))
    summary: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
