"""Domain errors in Slack's words: one translation for every listener of the bot face.

Modal submissions answer with a notice view, commands with an ephemeral message; both
take the text from `explain`, which says what actually happened.
"""

from __future__ import annotations

from typing import Any

from bot import blocks
from bot.text import escape
from surveys.errors import AlreadySubmitted, DebriefError, InvalidInput, NotFound, SurveyClosed

TITLE = "Your feedback"


def explain(error: DebriefError) -> str:
    """Return the message telling a Slack user what happened."""
    if isinstance(error, AlreadySubmitted):
        response = error.response
        reference = f" (reference *{escape(response.reference)}*)" if response is not None else ""
        return f"You have already submitted this questionnaire{reference}. Thank you."
    if isinstance(error, SurveyClosed):
        return "Sorry, this questionnaire has closed, so nothing more was saved."
    if isinstance(error, InvalidInput) and error.errors:
        return f"{escape(str(error))}: {escape(next(iter(error.errors.values())))}."
    if isinstance(error, NotFound):
        return f"Sorry, I can't do that: {escape(_sentence(str(error)))}."
    return f"Sorry, {escape(_sentence(str(error)))}."


def _sentence(text: str) -> str:
    text = text.rstrip(".")
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def notice(error: DebriefError, title: str = TITLE) -> dict[str, Any]:
    """Return the acknowledgement replacing a modal with what happened."""
    return {"response_action": "update", "view": blocks.notice_view(title, explain(error))}


def message(error: DebriefError) -> blocks.Reply:
    """Return the ephemeral reply to a command that hit a domain error."""
    return blocks.message(explain(error))
