"""Small helpers shared by the officer views."""

from __future__ import annotations

from flask_login import current_user


def actor():
    """Return the signed-in officer as a plain model object."""
    return current_user._get_current_object()
