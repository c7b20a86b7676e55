"""Events API: the App Home tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot import home
from bot.access import officer_for
from bot.runtime import slack_call
from surveys.db import committing


def register(app: App) -> None:
    """Register the event listeners (Bolt acknowledges events at once)."""
    app.event("app_home_opened")(publish_home)


@committing
def publish_home(event: dict[str, Any], client: WebClient) -> None:
    """Publish the Home tab for whoever opened it."""
    if event.get("tab", "home") != "home":
        return
    user_id = event.get("user") or ""
    view = home.home_view(officer_for(client, user_id), user_id)
    slack_call("publish the App Home", lambda: client.views_publish(user_id=user_id, view=view))
