"""Shortcuts: *Save as feedback* on a message."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import feedback
from bot.access import officer_for
from bot.runtime import slack_call
from surveys.db import committing

SAVE_AS_FEEDBACK = "save_as_feedback"


def register(app: App) -> None:
    """Register the shortcut listeners."""
    app.shortcut(SAVE_AS_FEEDBACK)(save_as_feedback)


@committing
def save_as_feedback(ack: Ack, shortcut: dict[str, Any], client: WebClient) -> None:
    """Open the form that records a message as an answer (officers only)."""
    ack()
    officer = officer_for(client, (shortcut.get("user") or {}).get("id"))
    view = feedback.feedback_view(officer, shortcut.get("message") or {})
    slack_call(
        "open the Save as feedback form",
        lambda: client.views_open(trigger_id=shortcut.get("trigger_id"), view=view),
    )
