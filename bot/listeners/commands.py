"""The `/debrief` slash command: acknowledged at once, answered by a lazy listener."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import blocks, giving, replies
from bot.access import officer_for
from bot.blocks import Reply
from bot.parsing import parse
from bot.runtime import report_problem, slack_call
from surveys.db import committing

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.command("/debrief")(ack=acknowledge, lazy=[answer_command])


def acknowledge(ack: Ack) -> None:
    """Acknowledge within Slack's 3 seconds; the answer follows from the lazy listener."""
    ack()


@committing
def answer_command(command: dict[str, Any], client: WebClient, respond: Respond) -> None:
    """Answer `/debrief ...` with an ephemeral message (or open the answering modal)."""
    parsed = parse(command.get("text"))
    user_id = command.get("user_id")
    if parsed.name == "give":
        reply = giving.open_invitation(client, user_id, parsed, command.get("trigger_id"))
    else:
        officer = officer_for(client, user_id)
        if parsed.name == "help":
            reply = blocks.help_reply(officer is not None)
        elif officer is None:
            reply = blocks.refusal()
        else:
            try:
                reply = replies.answer_for_asker(parsed, officer)
            except Exception:
                log.exception("/debrief %s failed", parsed.name)
                reply = blocks.failure()
    if reply is not None:
        send_ephemeral(respond, reply)


def send_ephemeral(respond: Respond, reply: Reply, *, replace_original: bool = False) -> None:
    """Answer through the response URL, visible only to the person who asked."""
    respond_or_report(
        respond,
        reply,
        "answer a /debrief command",
        response_type="ephemeral",
        replace_original=replace_original,
    )


def respond_or_report(respond: Respond, reply: Reply, what: str, **options: Any) -> bool:
    """Send a reply through the response URL; record a problem if Slack refuses it."""
    sent = slack_call(what, lambda: respond(text=reply.text, blocks=reply.blocks, **options))
    if sent is not None and sent.status_code >= 400:
        report_problem(f"Could not {what}: HTTP {sent.status_code} {sent.body[:200]}")
        return False
    return sent is not None
