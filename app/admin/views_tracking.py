"""Officer views: tracking."""

from __future__ import annotations

from app.admin import blueprint  # noqa: F401
from app.auth import role_required


@blueprint.get("/rounds/<int:round_id>/dashboard")
@role_required("viewer")
def round_dashboard(round_id):
    return "Dashboard"


@blueprint.get("/rounds/<int:round_id>/chase")
@role_required("viewer")
def chase_list(round_id):
    return "Chase"


@blueprint.get("/rounds/<int:round_id>/invite")
@role_required("officer")
def round_invite(round_id):
    return "Invite"
