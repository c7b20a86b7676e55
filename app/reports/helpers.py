"""Small helpers shared by the reports views."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from surveys.errors import NotFound
from surveys.models import Round
from surveys.services.officers import has_role
from surveys.services.rounds_admin import round_by_slug


def round_or_404(slug: str) -> Round:
    """Return the round with this slug, or answer 404."""
    try:
        return round_by_slug(slug)
    except NotFound:
        abort(404)


def can_edit() -> bool:
    """Say whether the signed-in person may edit themes, tags and lessons."""
    return current_user.is_authenticated and has_role(current_user, "officer")
