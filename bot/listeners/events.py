"""Bolt listeners for events."""

from __future__ import annotations

from slack_bolt import App


def register(app: App) -> None:
    """Register the events listeners."""
