"""Fixed-window rate limits kept in the database, so every worker process shares them.

Used for token guessing on questionnaire links, open-link spam and officer sign-in.
Like every service it flushes; the caller commits, even when it then refuses the request.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from surveys.db import db
from surveys.models import Throttle, utcnow


def _current(key: str, window_seconds: int) -> Throttle | None:
    row = db.session.get(Throttle, key, with_for_update=True, populate_existing=True)
    if row is not None and row.window_start <= utcnow() - timedelta(seconds=window_seconds):
        row.window_start = utcnow()
        row.count = 0
    return row


def hit(key: str, limit: int, window_seconds: int) -> bool:
    """Count one attempt against `key`; return False once the window's limit is passed."""
    row = _current(key, window_seconds)
    if row is None:
        try:
            with db.session.begin_nested():
                row = Throttle(key=key, window_start=utcnow(), count=0)
                db.session.add(row)
        except IntegrityError:
            # Another process made the row first; count against theirs.
            row = _current(key, window_seconds)
            assert row is not None  # noqa: S101 - the conflicting insert has committed
    row.count += 1
    db.session.flush()
    return row.count <= limit


def is_blocked(key: str, limit: int, window_seconds: int) -> bool:
    """Return whether `key` is over its limit in the current window, without counting."""
    row = db.session.get(Throttle, key, populate_existing=True)
    if row is None or row.window_start <= utcnow() - timedelta(seconds=window_seconds):
        return False
    return row.count >= limit


def reset(key: str) -> None:
    """Forget the attempts counted against `key` (e.g. after a successful sign-in)."""
    row = db.session.get(Throttle, key)
    if row is not None:
        db.session.delete(row)
        db.session.flush()
