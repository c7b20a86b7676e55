"""API tokens (stored hashed) and the idempotency keys of API submissions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import db
from surveys.models._base import one_of, utcnow

API_SCOPES = ("read", "write")


class ApiToken(db.Model):
    """An officer's bearer token for the JSON API; only a SHA-256 of its secret is kept."""

    __tablename__ = "api_token"
    __table_args__ = (one_of("scope", API_SCOPES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the token, so officers can tell their tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100), default="")
    scope: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    officer: Mapped[Officer] = relationship()  # noqa: F821


class IdempotencyKey(db.Model):
    """A client's Idempotency-Key with the request it came with and the answer it got."""

    __tablename__ = "api_idempotency_key"
    __table_args__ = (UniqueConstraint("officer_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
