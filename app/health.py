"""GET /healthz: can the service write to its database, and is there disk room for it?"""

from __future__ import annotations

import shutil
from pathlib import Path

from flask import Blueprint, current_app, jsonify
from sqlalchemy.engine import make_url

from app.extensions import db
from surveys.db import DatabaseError
from surveys.services.health import database_is_reachable, probe_write

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz():
    """Report each check; 503 naming the failed ones when the service cannot take answers."""
    checks = {"database": database_check(), "disk": disk_check()}
    healthy = all(state == "ok" for state in checks.values())
    return jsonify(status="ok" if healthy else "error", **checks), 200 if healthy else 503


def database_check() -> str:
    """Read, then commit one small write: a full or read-only database still answers reads."""
    if not database_is_reachable():
        return "unreachable"
    try:
        probe_write()
        db.session.commit()
    except DatabaseError as error:
        db.session.rollback()
        current_app.logger.warning(
            "Health check: the database refused a write (%s)", type(error).__name__
        )
        return "not writable"
    return "ok"


def disk_check() -> str:
    """Check the free space where the database (SQLite) or the instance folder lives."""
    try:
        free = shutil.disk_usage(storage_folder()).free
    except OSError:
        return "unreachable"
    return "ok" if free >= current_app.config.get("HEALTH_MIN_FREE_BYTES", 0) else "full"


def storage_folder() -> Path:
    """The folder SQLite writes to; for a database server, the instance folder (or its parent)."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    sqlite_file = url.get_backend_name() == "sqlite" and url.database
    folder = Path(url.database).parent if sqlite_file else Path(current_app.instance_path)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder
