"""Block Kit payloads, as pure functions returning dicts (no Slack, no database).

Every piece of respondent text goes through `bot.text.escape` (via `quote`) before it is
put into mrkdwn, so an answer can never ping a channel, mention someone or hide a link.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.text import PLAIN_TEXT_LIMIT, SECTION_LIMIT, escape, truncate

Block = dict[str, Any]

SHARE_ACTION = "share_to_channel"
MORE_ACTION = "search_more"
UPDATE_ACTION = "update_action"
ANSWER_ACTION = "answer_in_slack"
BACK_ACTION = "modal_back"


@dataclass(frozen=True)
class Reply:
    """A message for Slack: fallback text (notifications, screen readers) and blocks."""

    text: str
    blocks: list[Block] = field(default_factory=list)


# ---------------------------------------------------------------------------- primitives


def plain(text: str, limit: int = PLAIN_TEXT_LIMIT) -> dict[str, Any]:
    """Return a plain_text object (already safe: Slack never formats plain text)."""
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    """Return a mrkdwn object; callers escape anything that came from respondents."""
    return {"type": "mrkdwn", "text": truncate(text, SECTION_LIMIT)}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text)}


def section(text: str, **extra: Any) -> Block:
    return {"type": "section", "text": mrkdwn(text), **extra}


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(t) for t in texts if t][:10]}


def divider() -> Block:
    return {"type": "divider"}


def button(
    text: str, action_id: str, value: str = "", *, style: str | None = None, url: str | None = None
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "text": plain(text, 75), "action_id": action_id}
    if value:
        element["value"] = value[:2000]
    if style:
        element["style"] = style
    if url:
        element["url"] = url
    return element


def actions(*elements: dict[str, Any], block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id
    return block


def link(url: str, label: str) -> str:
    """Return a mrkdwn link whose label cannot break out of the link syntax."""
    return f"<{url}|{escape(label).replace('|', '¦')}>"


def share_button(command_text: str) -> Block:
    """Offer to post an ephemeral answer to the channel, by re-running its command."""
    return actions(button("Share to channel", SHARE_ACTION, command_text), block_id="share")


def with_share(reply: Reply, command_text: str) -> Reply:
    """Return the reply with a *Share to channel* button at the end."""
    return Reply(reply.text, [*reply.blocks, share_button(command_text)])


def shared_by(reply: Reply, user_id: str) -> Reply:
    """Return the reply as posted to a channel, saying who shared it."""
    note = context(f"Shared by <@{escape(user_id)}> from Debrief")
    return Reply(reply.text, [*reply.blocks, note])


def message(text: str) -> Reply:
    """Return a one-section reply (for refusals, errors and confirmations)."""
    return Reply(text, [section(text)])


# ---------------------------------------------------------------------------- help and refusals

OFFICER_HELP = (
    ("help", "this list"),
    ("rounds", "every round with its status and dates"),
    ("summary ROUND", "the lessons-learned summary: top themes with a quote each"),
    ("well ROUND", "every “what went well” theme"),
    ("improve ROUND", "every “what could improve” theme"),
    ("search WORDS [round:SLUG] [sector:NAME] [sentiment:LABEL]", "matching answers"),
    ("compare ROUND_A ROUND_B", "recurring, resolved and new themes; rating changes"),
    ("rate ROUND", "response rates by sector and channel, and the chase list"),
    ("actions ROUND", "lessons and actions, with buttons to update them"),
    ("give ROUND", "answer your own invitation for a round, here in Slack"),
)


def help_reply(is_officer: bool) -> Reply:
    """Explain the commands this person may use."""
    if not is_officer:
        text = (
            "*Debrief* collects feedback on commissioning rounds.\n"
            "• `/debrief give ROUND` answers your invitation for a round, here in Slack "
            "(for example `/debrief give phase-3`)."
        )
        return Reply("Debrief: /debrief give ROUND answers your invitation.", [section(text)])
    lines = [f"• `/debrief {usage}` — {what}" for usage, what in OFFICER_HELP]
    blocks = [
        section("*Debrief commands*\n" + "\n".join(lines)),
        context("Answers are visible only to you until you choose *Share to channel*."),
    ]
    return Reply("Debrief commands: " + ", ".join(u.split()[0] for u, _ in OFFICER_HELP), blocks)


def refusal() -> Reply:
    """Politely refuse someone who is not a council officer."""
    return message(
        "Sorry, Debrief's answers are only for council officers. If you are an officer, ask "
        "a Debrief admin to add your Slack account to your officer record. If you were "
        "invited to give feedback, try `/debrief give ROUND`."
    )


def unknown_command(name: str) -> Reply:
    return message(f"I don't know `{escape(name)}`. Try `/debrief help` for the list.")


def usage(text: str) -> Reply:
    return message(f"Try `/debrief {escape(text)}`.")


def round_not_found(slug: str) -> Reply:
    return message(
        f"I can't find a round called `{escape(slug)}`. `/debrief rounds` lists them all."
    )


def failure() -> Reply:
    return message(
        "Sorry, something went wrong answering that. It has been logged; please try again."
    )


# ---------------------------------------------------------------------------- rounds


def _dates(round_: Any) -> str:
    opens, closes = round_.opens_on, round_.closes_on
    if opens and closes:
        return f"{opens:%-d %b %Y} to {closes:%-d %b %Y}"
    if opens:
        return f"from {opens:%-d %b %Y}"
    return "dates not set"


def rounds_reply(rounds: Sequence[Any]) -> Reply:
    """List rounds with their slug, status and dates."""
    if not rounds:
        return message("There are no rounds yet.")
    lines = [
        f"• `{escape(r.slug)}` *{escape(r.name)}* — {escape(r.status)}, {_dates(r)}" for r in rounds
    ]
    blocks = [header("Rounds"), *_chunked_sections(lines)]
    return Reply(f"{len(rounds)} rounds", blocks)


def _chunked_sections(lines: Iterable[str]) -> list[Block]:
    """Pack lines into as few sections as the 3,000-character limit allows."""
    blocks: list[Block] = []
    current = ""
    for line in lines:
        if current and len(current) + len(line) + 1 > SECTION_LIMIT:
            blocks.append(section(current))
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        blocks.append(section(current))
    return blocks


def encode(value: dict[str, Any]) -> str:
    """Encode a button value compactly."""
    return json.dumps(value, separators=(",", ":"))
