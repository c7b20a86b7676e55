"""Small helpers shared by the reports views."""

from __future__ import annotations

from flask_login import current_user

from surveys.models import Round
from surveys.services.officers import has_role
from surveys.services.rounds_admin import round_by_slug


def round_or_404(slug: str) -> Round:
    """Return the round with this slug (NotFound is answered 404 by the error handler)."""
    return round_by_slug(slug)


def can_edit() -> bool:
    """Say whether the signed-in person may edit themes, tags and lessons."""
    return current_user.is_authenticated and has_role(current_user, "officer")
