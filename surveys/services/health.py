"""Whether the core can reach its database (for the faces' health checks)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from surveys.db import db


def database_is_reachable() -> bool:
    """Run a trivial query; say False (and reset the session) when the database fails."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return True
