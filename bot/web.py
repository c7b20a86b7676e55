"""Links from Slack into the officers' web pages."""

from __future__ import annotations

from flask import current_app

from surveys.models import Round


def url(path: str) -> str:
    """Return an absolute web address on this Debrief server."""
    return current_app.config["BASE_URL"].rstrip("/") + path


def report_url(round_: Round) -> str:
    """Return the web address of a round's full lessons-learned report."""
    return url(f"/admin/reports/{round_.slug}")


def lessons_url(round_: Round) -> str:
    """Return the web address of a round's lessons and actions."""
    return url(f"/admin/reports/{round_.slug}/lessons")


def dashboard_url(round_: Round) -> str:
    """Return the web address of a round's progress dashboard."""
    return url(f"/admin/rounds/{round_.id}/dashboard")


def chase_url(round_: Round) -> str:
    """Return the web address of a round's chase list."""
    return url(f"/admin/rounds/{round_.id}/chase")
