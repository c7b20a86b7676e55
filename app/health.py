"""GET /healthz: is the service up and can it reach its database?"""

from __future__ import annotations

from flask import Blueprint, jsonify

from surveys.services.health import database_is_reachable

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz():
    """Report the database status; 503 when it cannot be reached."""
    if not database_is_reachable():
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
