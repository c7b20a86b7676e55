"""Results computed by the worker and stored, so pages and Slack read rather than recompute."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from surveys.db import db


class StoredSummary(db.Model):
    """A round's serialised lessons-learned summary and how current it is.

    `changes` counts the changes recorded against the round; `computed_changes` is the count
    the stored `data` reflects, so the summary is stale while the first is ahead. `queued_at`
    says a recompute is waiting in the worker's queue (one per burst of changes).
    """

    __tablename__ = "round_summary"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("round.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[str] = mapped_column(String(64), default="")
    k: Mapped[int] = mapped_column(default=0)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    changes: Mapped[int] = mapped_column(default=0)
    computed_changes: Mapped[int] = mapped_column(default=0)
    computed_at: Mapped[datetime | None]
    queued_at: Mapped[datetime | None]
