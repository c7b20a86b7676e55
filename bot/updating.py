"""Updating an action's status and evidence from Slack, through the lessons service."""

from __future__ import annotations

import json
from typing import Any

from bot import blocks
from bot.access import may_change
from bot.text import escape
from surveys.db import db
from surveys.errors import InvalidInput, NotFound
from surveys.models import ACTION_STATUSES, Officer
from surveys.services import lessons

ACTION_VIEW = "action_update"
TITLE = "Update action"


def action_view(officer: Officer | None, action_id: str) -> dict[str, Any]:
    """Return the modal to update an action, or a notice saying why it cannot be."""
    if officer is None or not may_change(officer):
        return blocks.notice_view(TITLE, "Sorry, only officers who can edit may update actions.")
    try:
        action = lessons.get_action(int(action_id))
    except (NotFound, ValueError):
        return blocks.notice_view(TITLE, "Sorry, that action no longer exists.")
    options = [
        {"text": blocks.plain(label), "value": key} for key, label in ACTION_STATUSES.items()
    ]
    current = next(o for o in options if o["value"] == action.status)
    evidence: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": blocks.VALUE,
        "multiline": True,
        "max_length": 3000,
    }
    if action.evidence:
        evidence["initial_value"] = action.evidence
    body = [
        blocks.section(f"*{escape(action.lesson.title)}*\n{escape(action.description)}"),
        blocks.context(f"Owner: {escape(action.owner) or '–'}"),
        {
            "type": "input",
            "block_id": "status",
            "label": blocks.plain("Status"),
            "element": {
                "type": "radio_buttons",
                "action_id": blocks.VALUE,
                "options": options,
                "initial_option": current,
            },
        },
        {
            "type": "input",
            "block_id": "evidence",
            "label": blocks.plain("What was done (evidence)"),
            "hint": blocks.plain("Needed to mark the action done."),
            "element": evidence,
            "optional": True,
        },
    ]
    return blocks.modal(
        TITLE, body, callback_id=ACTION_VIEW, private_metadata={"a": action.id}, submit="Save"
    )


def save_action(officer: Officer | None, view: dict[str, Any]) -> dict[str, Any]:
    """Apply a submitted action form; return what to acknowledge (errors or a notice)."""
    if officer is None or not may_change(officer):
        return {"response_action": "errors", "errors": {"status": "You may not update actions"}}
    try:
        action = lessons.get_action(int(json.loads(view.get("private_metadata") or "{}")["a"]))
    except (NotFound, ValueError, KeyError, TypeError):
        return {
            "response_action": "update",
            "view": blocks.notice_view(TITLE, "Sorry, that action no longer exists."),
        }
    values = (view.get("state") or {}).get("values") or {}
    status = ((values.get("status") or {}).get(blocks.VALUE) or {}).get("selected_option") or {}
    evidence = ((values.get("evidence") or {}).get(blocks.VALUE) or {}).get("value") or ""
    try:
        lessons.update_action(action, status.get("value") or "", evidence, officer)
    except InvalidInput as error:
        db.session.rollback()
        errors = {
            k if k in ("status", "evidence") else "status": v for k, v in error.errors.items()
        }
        return {"response_action": "errors", "errors": errors or {"status": str(error)}}
    db.session.commit()  # saved before Slack closes the form
    label = ACTION_STATUSES[action.status]
    return {
        "response_action": "update",
        "view": blocks.notice_view(TITLE, f"Saved: the action is now *{label}*."),
    }
