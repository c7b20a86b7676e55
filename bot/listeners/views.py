"""Modal submissions. Each is acknowledged only after its changes are committed."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import blocks, errors, feedback, giving, updating
from bot.access import officer_for
from surveys.db import db
from surveys.errors import DebriefError

log = logging.getLogger(__name__)


def register(app: App) -> None:
    """Register the modal submission listeners."""
    app.view(blocks.ANSWER_PAGE)(save_answer_page)
    app.view(blocks.ANSWER_CHECK)(submit_answers)
    app.view(updating.ACTION_VIEW)(save_action_update)
    app.view(feedback.FEEDBACK_VIEW)(save_feedback)


def _acknowledge(
    ack: Ack, work: Any, body: dict[str, Any], view: dict[str, Any], client: WebClient
) -> None:
    user_id = (body.get("user") or {}).get("id")
    try:
        result = work(user_id, view, officer_for(client, user_id))
    except DebriefError as error:
        db.session.rollback()
        result = errors.notice(error)
    except Exception:
        log.exception("modal submission failed")
        result = {
            "response_action": "update",
            "view": blocks.notice_view(
                giving.TITLE, "Sorry, something went wrong. Please try again in a moment."
            ),
        }
    ack(**result)


def save_answer_page(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
) -> None:
    """Save a page of answers; show field errors or the next page."""
    _acknowledge(ack, giving.save_page, body, view, client)


def submit_answers(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
    """Submit the checked answers through the submission service."""
    _acknowledge(ack, giving.submit, body, view, client)


def save_feedback(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
    """Record a Slack message as an answer, then walk the rest of the questionnaire."""
    _acknowledge(ack, feedback.save, body, view, client)


def save_action_update(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
) -> None:
    """Move an action on through the lessons service."""

    def work(user_id: str | None, view: dict[str, Any], officer: Any) -> dict[str, Any]:
        return updating.save_action(officer, view)

    _acknowledge(ack, work, body, view, client)
