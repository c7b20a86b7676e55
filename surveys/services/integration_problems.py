"""Integration problems: failures talking to Slack (or mail) that officers must see.

The bot and the worker record a problem when Slack is down, a token is revoked or a
message cannot be delivered; the officer pages list the open ones. A failure that keeps
happening updates one open row instead of adding a row per attempt.
"""

from __future__ import annotations

from sqlalchemy import select

from surveys.db import db
from surveys.models import IntegrationProblem, utcnow

MAX_SUMMARY = 1000


def record(service: str, summary: str) -> IntegrationProblem:
    """Record a failure talking to `service`, reusing the open problem with the same summary."""
    summary = summary.strip()[:MAX_SUMMARY]
    query = select(IntegrationProblem).where(
        IntegrationProblem.service == service,
        IntegrationProblem.summary == summary,
        IntegrationProblem.resolved_at.is_(None),
    )
    problem = db.session.scalars(query).first()
    if problem is None:
        problem = IntegrationProblem(service=service, summary=summary)
        db.session.add(problem)
    else:
        problem.occurred_at = utcnow()
    db.session.flush()
    return problem


def open_problems(service: str | None = None) -> list[IntegrationProblem]:
    """Return unresolved problems, newest first (all services unless one is named)."""
    query = select(IntegrationProblem).where(IntegrationProblem.resolved_at.is_(None))
    if service is not None:
        query = query.where(IntegrationProblem.service == service)
    order = (IntegrationProblem.occurred_at.desc(), IntegrationProblem.id.desc())
    return list(db.session.scalars(query.order_by(*order)))


def resolve(problem: IntegrationProblem) -> None:
    """Mark a problem as dealt with."""
    if problem.resolved_at is None:
        problem.resolved_at = utcnow()
        db.session.flush()
