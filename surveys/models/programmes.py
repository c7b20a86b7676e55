"""Programmes and their commissioning rounds."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import db
from surveys.models._base import ROUND_STATUSES, one_of, utcnow
from surveys.models.statuses import RoundStatus


class Programme(db.Model):
    __tablename__ = "programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # Days to keep responses after a round closes; None keeps them until erased.
    retention_days: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    rounds: Mapped[list[Round]] = relationship(
        back_populates="programme", order_by="Round.opens_on"
    )


class Round(db.Model):
    """One commissioning round (phase) whose process is evaluated."""

    __tablename__ = "round"
    __table_args__ = (one_of("status", ROUND_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    opens_on: Mapped[date | None]
    closes_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default="draft")
    previous_round_id: Mapped[int | None] = mapped_column(ForeignKey("round.id"))
    reminder_days: Mapped[str] = mapped_column(String(40), default="7,2")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    programme: Mapped[Programme] = relationship(back_populates="rounds")
    previous_round: Mapped[Round | None] = relationship(remote_side=[id])
    surveys: Mapped[list[Survey]] = relationship(  # noqa: F821
        back_populates="round", order_by="Survey.id"
    )

    @property
    def is_open(self) -> bool:
        """Whether the round takes answers and invitations now."""
        return RoundStatus(self.status).takes_answers
