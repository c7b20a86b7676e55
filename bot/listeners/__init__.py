"""Bolt listeners, grouped by kind; each module registers its own with `register(app)`."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import actions, commands, events, shortcuts, views


def register(app: App) -> None:
    """Register every listener on a Bolt app."""
    for module in (commands, actions, views, shortcuts, events):
        module.register(app)
