"""Links from Slack into the officers' web pages."""

from __future__ import annotations

from surveys import urls
from surveys.models import Round


def report_url(round_: Round) -> str:
    """Return the web address of a round's full lessons-learned report."""
    return urls.link("reports.summary", round_slug=round_.slug)


def lessons_url(round_: Round) -> str:
    """Return the web address of a round's lessons and actions."""
    return urls.link("reports.lessons", round_slug=round_.slug)


def dashboard_url(round_: Round) -> str:
    """Return the web address of a round's progress dashboard."""
    return urls.link("admin.round_dashboard", round_id=round_.id)


def chase_url(round_: Round) -> str:
    """Return the web address of a round's chase list."""
    return urls.link("admin.chase_list", round_id=round_.id)
