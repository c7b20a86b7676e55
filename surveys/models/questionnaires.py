"""Surveys, their versioned definitions, invitations, responses and answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import db
from surveys.models._base import (
    CALL_OUTCOMES,
    CHANNELS,
    INVITATION_STATUSES,
    RESPONSE_STATUSES,
    SENTIMENT_LABELS,
    one_of,
    utcnow,
)
from surveys.models.statuses import InvitationStatus, ResponseStatus


class Survey(db.Model):
    """A questionnaire attached to a round."""

    __tablename__ = "survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"), index=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    template: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    current_version: Mapped[int] = mapped_column(default=1)
    open_link: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    round: Mapped[Round] = relationship(back_populates="surveys")  # noqa: F821
    versions: Mapped[list[SurveyVersion]] = relationship(
        back_populates="survey", order_by="SurveyVersion.version"
    )


class SurveyVersion(db.Model):
    """One validated definition of a survey; responses point at the version answered."""

    __tablename__ = "survey_version"
    __table_args__ = (UniqueConstraint("survey_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"))
    version: Mapped[int]
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    survey: Mapped[Survey] = relationship(back_populates="versions")


class Invitation(db.Model):
    """A contact's personal invitation to answer one survey."""

    __tablename__ = "invitation"
    __table_args__ = (
        UniqueConstraint("survey_id", "contact_id"),
        one_of("status", INVITATION_STATUSES),
        one_of("call_outcome", tuple(CALL_OUTCOMES)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    # Only a SHA-256 of the link token is kept; the token itself is shown once.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    call_outcome: Mapped[str | None] = mapped_column(String(16))
    sent_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    reminder_count: Mapped[int] = mapped_column(default=0)
    opened_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    survey: Mapped[Survey] = relationship()
    contact: Mapped[Contact] = relationship()  # noqa: F821

    @property
    def is_revoked(self) -> bool:
        return self.status == InvitationStatus.REVOKED

    @property
    def is_pending(self) -> bool:
        """Whether the invitation is still waiting for an answer."""
        return InvitationStatus(self.status).is_pending


class Response(db.Model):
    """One respondent's answers to a survey version, as a draft or submitted."""

    __tablename__ = "response"
    __table_args__ = (
        one_of("channel", tuple(CHANNELS)),
        one_of("status", RESPONSE_STATUSES),
        # The database itself refuses a second live response for one invitation.
        Index(
            "uq_response_live_invitation",
            "invitation_id",
            unique=True,
            sqlite_where=text("status <> 'withdrawn'"),
            postgresql_where=text("status <> 'withdrawn'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), index=True)
    survey_version_id: Mapped[int] = mapped_column(ForeignKey("survey_version.id"))
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitation.id"))
    channel: Mapped[str] = mapped_column(String(16), default="web")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]

    survey: Mapped[Survey] = relationship()
    survey_version: Mapped[SurveyVersion] = relationship()
    invitation: Mapped[Invitation | None] = relationship()
    entered_by: Mapped[Officer | None] = relationship()  # noqa: F821
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="Answer.id"
    )
    # Where an imported response came from (None for every other channel).
    origin: Mapped[ImportedRow | None] = relationship(  # noqa: F821
        viewonly=True, uselist=False
    )

    @property
    def is_draft(self) -> bool:
        return self.status == ResponseStatus.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED

    @property
    def is_withdrawn(self) -> bool:
        return self.status == ResponseStatus.WITHDRAWN


class Answer(db.Model):
    """One question's answer; free text also carries its sentiment tag and theme."""

    __tablename__ = "answer"
    __table_args__ = (
        UniqueConstraint("response_id", "question_id"),
        one_of("sentiment_label", SENTIMENT_LABELS),
        one_of("override_label", SENTIMENT_LABELS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(80))
    value: Mapped[Any] = mapped_column(JSON)
    kind: Mapped[str | None] = mapped_column(String(16))
    sentiment_label: Mapped[str | None] = mapped_column(String(16))
    polarity: Mapped[float | None]
    subjectivity: Mapped[float | None]
    suggestion: Mapped[bool | None]
    reasons: Mapped[list[str] | None] = mapped_column(JSON)
    tagger_version: Mapped[str | None] = mapped_column(String(32))
    override_label: Mapped[str | None] = mapped_column(String(16))
    override_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    override_at: Mapped[datetime | None]
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"), index=True)
    theme_pinned: Mapped[bool] = mapped_column(default=False)
    # The answer's sentence vector (float32 bytes) and the model that made it, computed once.
    vector: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    vector_model: Mapped[str | None] = mapped_column(String(64))

    response: Mapped[Response] = relationship(back_populates="answers")
    theme: Mapped[Theme | None] = relationship()  # noqa: F821

    @property
    def effective_label(self) -> str | None:
        """Return the officer's label where there is one, else the tagger's."""
        return self.override_label or self.sentiment_label


class CallLog(db.Model):
    """An officer's telephone call to chase an invitation."""

    __tablename__ = "call_log"
    __table_args__ = (one_of("outcome", tuple(CALL_OUTCOMES)),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"))
    outcome: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    called_at: Mapped[datetime] = mapped_column(default=utcnow)
