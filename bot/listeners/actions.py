"""Bolt listeners for actions."""

from __future__ import annotations

from slack_bolt import App


def register(app: App) -> None:
    """Register the actions listeners."""
