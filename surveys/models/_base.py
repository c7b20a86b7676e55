"""Shared column helpers and enumerations for the models."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import CheckConstraint

from surveys.models.statuses import (
    InvitationStatus,
    LessonStatus,
    MessageStatus,
    ResponseStatus,
    RoundStatus,
)


def utcnow() -> datetime:
    """Return the current time in UTC, timezone-aware."""
    return datetime.now(UTC)


def one_of(column: str, values: tuple[str, ...], name: str | None = None) -> CheckConstraint:
    """Return a check constraint limiting a column to an enumeration."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=name or f"{column}_valid")


SECTORS: dict[str, str] = {
    "school_fe": "School/Further or Higher Education",
    "health": "Health",
    "district_council": "District/Borough Council",
    "voluntary": "Voluntary/Charity",
    "private": "Private/Sole",
    "other": "Other",
}
CONTACT_ROLES: dict[str, str] = {
    "provider": "Provider",
    "applicant": "Applicant",
    "partner": "Partner",
    "panel_member": "Panel member",
}
ROUND_STATUSES = tuple(RoundStatus)
INVITATION_STATUSES = tuple(InvitationStatus)
CALL_OUTCOMES: dict[str, str] = {
    "completed": "Completed",
    "call_back": "Call back",
    "declined": "Declined",
    "no_answer": "No answer",
}
CHANNELS: dict[str, str] = {
    "web": "Web",
    "telephone": "Telephone",
    "slack": "Slack",
    "import": "Import",
}
RESPONSE_STATUSES = tuple(ResponseStatus)
SENTIMENT_LABELS = ("positive", "neutral", "negative")
THEME_KINDS: dict[str, str] = {
    "went_well": "What went well",
    "improve": "What could improve",
    "other": "Other",
}
OFFICER_ROLES = ("admin", "officer", "viewer")
LESSON_STATUSES = tuple(LessonStatus)
ACTION_STATUSES: dict[str, str] = {
    "planned": "Planned",
    "in_progress": "In progress",
    "done": "Done",
    "dropped": "Dropped",
}
MESSAGE_STATUSES = tuple(MessageStatus)
