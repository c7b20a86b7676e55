"""Officer views: contacts."""

from __future__ import annotations

from app.admin import blueprint  # noqa: F401
from app.auth import role_required


@blueprint.get("/contacts")
@role_required("viewer")
def contacts():
    return "Contacts"
