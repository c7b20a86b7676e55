"""Buttons: share an answer, page through search results, update an action, go back a
page in the answering modal, and answer an invitation from its direct message."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import blocks, giving, replies, updating
from bot.access import officer_for
from bot.listeners.commands import respond_or_report, send_ephemeral
from bot.parsing import parse
from bot.runtime import slack_call
from surveys.db import committing, db
from surveys.models import Invitation

log = logging.getLogger(__name__)


def register(app: App) -> None:
    """Register the button listeners."""
    app.action(blocks.SHARE_ACTION)(ack=acknowledge, lazy=[share_to_channel])
    app.action(blocks.MORE_ACTION)(ack=acknowledge, lazy=[show_more_results])
    app.action(blocks.UPDATE_ACTION)(open_action_update)
    app.action(blocks.BACK_ACTION)(go_back)
    app.action(blocks.ANSWER_ACTION)(ack=acknowledge, lazy=[answer_invitation])


def acknowledge(ack: Ack) -> None:
    ack()


def _value(body: dict[str, Any]) -> str:
    return ((body.get("actions") or [{}])[0]).get("value") or ""


def _user(body: dict[str, Any]) -> str | None:
    return (body.get("user") or {}).get("id")


@committing
def share_to_channel(body: dict[str, Any], client: WebClient, respond: Respond) -> None:
    """Post an answer for the channel to see, recomputed (so suppression still applies)."""
    user_id = _user(body)
    officer = officer_for(client, user_id)
    if officer is None:
        send_ephemeral(respond, blocks.refusal())
        return
    command = parse(_value(body))
    if command.name not in replies.SHAREABLE:
        return
    reply = blocks.shared_by(replies.answer(command, officer), user_id or "")
    respond_or_report(
        respond,
        reply,
        "share an answer to a channel",
        response_type="in_channel",
        replace_original=False,
    )


@committing
def show_more_results(body: dict[str, Any], client: WebClient, respond: Respond) -> None:
    """Replace a page of search results with the next page."""
    officer = officer_for(client, _user(body))
    if officer is None:
        send_ephemeral(respond, blocks.refusal())
        return
    try:
        value = json.loads(_value(body))
        command, offset = parse(str(value["q"])), int(value["o"])
    except (ValueError, KeyError, TypeError):
        return
    reply = replies.search(command, officer, offset=offset)
    send_ephemeral(respond, reply, replace_original=True)


@committing
def open_action_update(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """Open the form to move an action on (officers who may change records only)."""
    ack()
    officer = officer_for(client, _user(body))
    view = updating.action_view(officer, _value(body))
    slack_call(
        "open the action form",
        lambda: client.views_open(trigger_id=body.get("trigger_id"), view=view),
    )


@committing
def go_back(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """Show the previous page of the answering modal."""
    ack()
    view = body.get("view") or {}
    previous = giving.back_view(_user(body), view, officer_for(client, _user(body)))
    if previous is None:
        return
    slack_call(
        "show the previous page",
        lambda: client.views_update(view_id=view.get("id"), hash=view.get("hash"), view=previous),
    )


@committing
def answer_invitation(body: dict[str, Any], client: WebClient, respond: Respond) -> None:
    """Open the invitation a direct message offered, if it is the clicker's own."""
    try:
        invitation = db.session.get(Invitation, int(_value(body)))
    except ValueError:
        invitation = None
    if invitation is None or invitation.contact.slack_user_id != _user(body):
        send_ephemeral(respond, blocks.message("Sorry, this invitation is not yours to answer."))
        return
    reply = giving.open_modal(client, invitation, body.get("trigger_id"))
    if reply is not None:
        send_ephemeral(respond, reply)
