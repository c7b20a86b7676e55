"""Organisations, their contacts, and the council's officers."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import db
from surveys.models._base import CONTACT_ROLES, OFFICER_ROLES, SECTORS, one_of, utcnow


class Organisation(db.Model):
    __tablename__ = "organisation"
    __table_args__ = (one_of("sector", tuple(SECTORS)),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    sector: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contacts: Mapped[list[Contact]] = relationship(back_populates="organisation")

    @property
    def sector_label(self) -> str:
        return SECTORS[self.sector]


class Contact(db.Model):
    """A person at an organisation whom the council asks for feedback."""

    __tablename__ = "contact"
    __table_args__ = (one_of("role", tuple(CONTACT_ROLES)),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    slack_user_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    role: Mapped[str] = mapped_column(String(16), default="provider")
    opted_out: Mapped[bool] = mapped_column(default=False)
    erased_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="contacts")


class Officer(UserMixin, db.Model):
    """A council officer who signs in to the workspace or queries the bot."""

    __tablename__ = "officer"
    __table_args__ = (one_of("role", OFFICER_ROLES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="officer")
    slack_user_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    must_change_password: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)
    session_version: Mapped[int] = mapped_column(default=1)
    last_sign_in_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        # Bumping session_version signs out every session of this officer.
        return f"{self.id}:{self.session_version}"
