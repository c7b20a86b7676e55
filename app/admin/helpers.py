"""Small helpers shared by the officer views."""

from __future__ import annotations

from datetime import date

from flask_login import current_user


def actor():
    """Return the signed-in officer as a plain model object."""
    return current_user._get_current_object()


def parse_date(text: str | None, field: str, errors: dict[str, str], label: str) -> date | None:
    """Parse a YYYY-MM-DD date from a form, adding a readable error if it is wrong."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[field] = f"{label} must be a real date, like 2026-03-27"
        return None
