"""Answering in Slack: a partner's own invitation as a modal walking the web's journey."""

from __future__ import annotations

from slack_sdk import WebClient

from bot import blocks
from bot.blocks import Reply
from bot.parsing import ParsedCommand


def open_invitation(
    client: WebClient, user_id: str | None, command: ParsedCommand, trigger_id: str | None
) -> Reply | None:
    """Open the partner's invitation for a round as a modal; return a message otherwise."""
    return blocks.message("Answering in Slack is not available yet.")
