"""The programme codebook of themes, and the lessons and actions drawn from it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import db
from surveys.models._base import ACTION_STATUSES, LESSON_STATUSES, THEME_KINDS, one_of, utcnow


class Theme(db.Model):
    """A codebook theme; its key stays stable across rounds of one programme."""

    __tablename__ = "theme"
    __table_args__ = (UniqueConstraint("programme_id", "key"), one_of("kind", tuple(THEME_KINDS)))

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    label: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    exemplars: Mapped[list[str]] = mapped_column(JSON, default=list)
    label_edited: Mapped[bool] = mapped_column(default=False)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"))
    first_round_id: Mapped[int | None] = mapped_column(ForeignKey("round.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Lesson(db.Model):
    """What the team learned from an improvement theme, carried into a later round."""

    __tablename__ = "lesson"
    __table_args__ = (one_of("status", LESSON_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"))
    target_round_id: Mapped[int | None] = mapped_column(ForeignKey("round.id"))
    title: Mapped[str] = mapped_column(String(200))
    what_we_heard: Mapped[str] = mapped_column(Text, default="")
    what_we_did: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    ask_next_round: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    theme: Mapped[Theme | None] = relationship()
    actions: Mapped[list[Action]] = relationship(
        back_populates="lesson", cascade="all, delete-orphan", order_by="Action.id"
    )


class Action(db.Model):
    """A tracked action that answers a lesson."""

    __tablename__ = "action"
    __table_args__ = (one_of("status", tuple(ACTION_STATUSES)),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id", ondelete="CASCADE"))
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default="planned")
    evidence: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    lesson: Mapped[Lesson] = relationship(back_populates="actions")
