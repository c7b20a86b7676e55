"""Reminders to contacts who have not answered: by hand, and on each round's schedule."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from surveys.db import db
from surveys.models import (
    Invitation,
    MessageStatus,
    Officer,
    OutboundMessage,
    Round,
    RoundStatus,
    Survey,
)
from surveys.services import audit, mail
from surveys.services.rounds import today

WAITING = ("sent", "opened")


def non_responders(round_: Round) -> list[Invitation]:
    """Return invitations in a round that were sent but not yet answered."""
    query = (
        select(Invitation)
        .join(Survey)
        .where(Survey.round_id == round_.id, Invitation.status.in_(WAITING))
        .order_by(Invitation.id)
    )
    return [
        invitation for invitation in db.session.scalars(query) if mail.can_email(invitation.contact)
    ]


def _queued_reminders(invitation: Invitation) -> int:
    prefix = f"invitation:{invitation.id}:reminder:"
    query = select(OutboundMessage.id).where(
        OutboundMessage.idempotency_key.startswith(prefix),
        OutboundMessage.status == MessageStatus.QUEUED,
    )
    return len(list(db.session.scalars(query)))


def remind_non_responders(round_: Round, *, actor: Officer | None = None) -> list[OutboundMessage]:
    """Queue one reminder for each non-responder (a second click before sending adds none)."""
    messages = []
    for invitation in non_responders(round_):
        if _queued_reminders(invitation):
            continue
        message = mail.queue_reminder(invitation, str(invitation.reminder_count + 1))
        if message is not None:
            messages.append(message)
    audit.record("reminders.queued", actor=actor, target=round_, count=len(messages), via="button")
    return messages


def due_reminder_day(round_: Round, on: date) -> int | None:
    """Return the schedule entry (days before closing) due on a date, or None."""
    if not round_.is_open or round_.closes_on is None or not round_.reminder_days:
        return None
    days = [int(part) for part in round_.reminder_days.split(",") if part.strip()]
    # The latest entry whose date has come, so a worker that was down sends one, not two.
    due = [day for day in days if round_.closes_on - timedelta(days=day) <= on <= round_.closes_on]
    return min(due) if due else None


def queue_scheduled_reminders(on: date | None = None) -> list[OutboundMessage]:
    """Queue the automatic reminders due today for every open round."""
    on = on or today()
    messages = []
    for round_ in db.session.scalars(select(Round).where(Round.status == RoundStatus.OPEN)):
        day = due_reminder_day(round_, on)
        if day is None:
            continue
        queued = [
            mail.queue_reminder(invitation, f"auto-{day}") for invitation in non_responders(round_)
        ]
        queued = [message for message in queued if message is not None]
        if queued:
            audit.record("reminders.queued", target=round_, count=len(queued), via="schedule")
        messages.extend(queued)
    return messages
