"""Whether the core can reach its database, and write to it (for the faces' health checks)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from surveys.db import db
from surveys.models import Throttle, utcnow

PROBE_KEY = "health:write-probe"


def database_is_reachable() -> bool:
    """Run a trivial query; say False (and reset the session) when the database fails."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return True


def probe_write() -> None:
    """Write (and leave for the caller to commit) one tiny row, proving the database is writable."""
    row = db.session.get(Throttle, PROBE_KEY)
    if row is None:
        db.session.add(Throttle(key=PROBE_KEY, window_start=utcnow(), count=0))
    else:
        row.window_start = utcnow()
        row.count = (row.count + 1) % 1_000_000
    db.session.flush()
