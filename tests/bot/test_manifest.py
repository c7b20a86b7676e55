"""The Slack app manifest matches what the bot listens for."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.listeners.shortcuts import SAVE_AS_FEEDBACK

MANIFEST = Path(__file__).resolve().parents[2] / "bot" / "manifest.yaml"


def test_the_manifest_declares_the_command_shortcut_events_and_scopes():
    manifest = yaml.safe_load(MANIFEST.read_text())
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == "/debrief"
    assert command["url"].endswith("/slack/events")
    [shortcut] = manifest["features"]["shortcuts"]
    assert (shortcut["type"], shortcut["callback_id"]) == ("message", SAVE_AS_FEEDBACK)
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert settings["interactivity"]["request_url"].endswith("/slack/events")
    assert {"commands", "chat:write", "users:read.email"} <= set(
        manifest["oauth_config"]["scopes"]["bot"]
    )
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
