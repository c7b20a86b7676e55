"""Rounds: opening and closing them, by hand or when their dates come."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from surveys.db import db
from surveys.models import Round, RoundStatus, utcnow
from surveys.services import webhooks


def today() -> date:
    """Return today's date in UTC (the council's working day is close enough)."""
    return utcnow().date()


def apply_round_dates(on: date | None = None) -> list[Round]:
    """Open draft rounds whose opening date has come and close open rounds past their end."""
    on = on or today()
    changed: list[Round] = []
    to_open = select(Round).where(Round.status == RoundStatus.DRAFT, Round.opens_on <= on)
    for round_ in db.session.scalars(to_open):
        if round_.closes_on is None or round_.closes_on >= on:
            round_.status = RoundStatus.OPEN
            changed.append(round_)
    to_close = select(Round).where(Round.status == RoundStatus.OPEN, Round.closes_on < on)
    for round_ in db.session.scalars(to_close):
        round_.status = RoundStatus.CLOSED
        changed.append(round_)
    db.session.flush()
    for round_ in changed:
        webhooks.round_changed(round_)
    return changed
