"""The statuses a record moves through, as string enums with the questions asked of them.

Members are `str`, so they compare equal to the stored values and go into the database
as they are; the predicates name the rules ("takes answers", "waiting for an answer")
once instead of repeating string literals.
"""

from __future__ import annotations

from enum import StrEnum


class RoundStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"

    @property
    def takes_answers(self) -> bool:
        """Only an open round takes answers and invitations."""
        return self is RoundStatus.OPEN


class InvitationStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    OPENED = "opened"
    COMPLETED = "completed"
    REVOKED = "revoked"

    @property
    def is_pending(self) -> bool:
        """Still waiting for an answer."""
        return self in (InvitationStatus.PENDING, InvitationStatus.SENT, InvitationStatus.OPENED)


class ResponseStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"

    @property
    def is_live(self) -> bool:
        """A draft or a submitted response: one an invitation may have at most one of."""
        return self is not ResponseStatus.WITHDRAWN


class LessonStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class MessageStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
