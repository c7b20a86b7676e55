"""Officer views: responses."""

from __future__ import annotations

from app.admin import blueprint  # noqa: F401
from app.auth import role_required


@blueprint.get("/responses")
@role_required("viewer")
def responses():
    return "Responses"
