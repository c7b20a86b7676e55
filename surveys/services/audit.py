"""The audit log: who did what to which record. Never personal data, tokens or answers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from surveys.db import db
from surveys.models import AuditEvent, Officer

# Detail keys allowed in an audit event. Anything else (an email, a name, a token, an
# answer) is refused, so a careless caller cannot leak personal data into the log.
DETAIL_KEYS = frozenset(
    {
        "role",
        "previous_role",
        "format",
        "rows",
        "count",
        "reason",
        "outcome",
        "channel",
        "status",
        "round_id",
        "survey_id",
        "template",
        "kind",
        "via",
        "programme_id",
        "reference",
        "removed",
        "redacted",
        # Theme names (officers' or the analysis's labels, never respondents' words).
        "old_name",
        "new_name",
        "into_name",
        "scope",
    }
)
MAX_DETAIL_LENGTH = 80
ACTOR_TYPES = ("officer", "system", "respondent", "anonymous")


def record(
    action: str,
    *,
    actor: Officer | None = None,
    actor_type: str = "officer",
    target: Any = None,
    **detail: Any,
) -> AuditEvent:
    """Record an audit event; refuse detail keys or values that could hold personal data."""
    if actor is None and actor_type == "officer":
        actor_type = "system"
    if actor_type not in ACTOR_TYPES:
        raise ValueError(f"unknown actor type {actor_type!r}")
    for key, value in detail.items():
        if key not in DETAIL_KEYS:
            raise ValueError(f"audit detail key {key!r} is not allowed")
        if not isinstance(value, str | int | float | bool | type(None)):
            raise ValueError(f"audit detail {key!r} must be a plain value")
        if isinstance(value, str) and len(value) > MAX_DETAIL_LENGTH:
            raise ValueError(f"audit detail {key!r} is too long")
    event = AuditEvent(
        actor_type=actor_type,
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=target.__tablename__ if target is not None else None,
        target_id=target.id if target is not None else None,
        detail=dict(detail),
    )
    db.session.add(event)
    db.session.flush()
    return event


def recent_events(limit: int = 200, action: str | None = None) -> list[AuditEvent]:
    """Return the latest audit events, newest first."""
    query = select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query.limit(limit)))
