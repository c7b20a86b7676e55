"""Notifications the worker posts to Slack: round opened and closed, a weekly digest, and
a direct message to each invited partner whose Slack user is known.

Each notification is claimed in `slack_delivery` only after Slack accepted it, so a Slack
outage or a revoked token leaves it unclaimed: it is recorded as an integration problem
for officers to see, and sent on the worker's next run.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from slack_sdk import WebClient

from bot import blocks, get_bot, web
from bot.blocks import Reply
from bot.runtime import describe
from bot.text import escape, percent, plural
from surveys.db import db
from surveys.models import Invitation, Round, RoundStatus, utcnow
from surveys.services import (
    contacts,
    integration_problems,
    invitations,
    lessons,
    rounds_admin,
    slack_deliveries,
    tracking,
)

log = logging.getLogger(__name__)

# Rounds that opened or closed longer ago than this are not announced (e.g. old data).
ANNOUNCE_WITHIN = timedelta(days=3)


def _client() -> WebClient | None:
    bot = get_bot(current_app)
    return bot.client if bot is not None else None


def _post(client: WebClient, channel: str, reply: Reply, key: str, what: str) -> bool:
    """Post a message once: skip it if sent before, claim it only once Slack accepts it."""
    if slack_deliveries.was_sent(key):
        return False
    try:
        client.chat_postMessage(channel=channel, text=reply.text, blocks=reply.blocks)
    except Exception as error:  # noqa: BLE001 - any failure is reported, then retried
        log.warning("Slack notification failed: %s", error)
        integration_problems.record("slack", f"Could not {what}: {describe(error)}")
        db.session.commit()
        return False
    slack_deliveries.record_sent(key)
    # Commit each claim as soon as Slack has the message, so a failure later in the
    # batch cannot cause this one to be sent again.
    db.session.commit()
    return True


# ---------------------------------------------------------------------------- messages


def _rate(progress: object) -> str:
    invited = getattr(progress, "invited", 0)
    return percent(getattr(progress, "response_rate", None) if invited else None)


def round_opened_reply(round_: Round) -> Reply:
    text = f"{round_.name} is open for feedback"
    closes = f" until {round_.closes_on:%-d %B %Y}" if round_.closes_on else ""
    body = (
        f":inbox_tray: *{escape(round_.name)}* is open for feedback{closes}. "
        f"Ask `/debrief rate {escape(round_.slug)}` for response rates."
    )
    return Reply(text, [blocks.section(body)])


def round_closed_reply(round_: Round) -> Reply:
    progress = tracking.round_progress(round_)
    body = (
        f":white_check_mark: *{escape(round_.name)}* has closed: {progress.submitted} of "
        f"{progress.invited} answered ({_rate(progress)}). "
        f"Ask `/debrief summary {escape(round_.slug)}` or read the "
        f"{blocks.link(web.report_url(round_), 'full report')}."
    )
    return Reply(f"{round_.name} has closed", [blocks.section(body)])


def digest_reply() -> Reply:
    all_rounds = rounds_admin.list_rounds()
    lines = []
    for round_ in (r for r in all_rounds if r.is_open):
        progress = tracking.round_progress(round_)
        chase = len(tracking.chase_list(round_))
        lines.append(
            f"• *{escape(round_.name)}*: {progress.submitted} of {progress.invited} answered "
            f"({_rate(progress)}), "
            f"{plural(chase, 'invitation')} to chase"
        )
    open_actions = sum(
        1
        for round_ in all_rounds
        for lesson in lessons.lessons_for_round(round_)
        for action in lesson.actions
        if action.status not in lessons.CLOSED_ACTION_STATUSES
    )
    body = "\n".join(lines) or "No round is open."
    return Reply(
        "Debrief weekly digest",
        [
            blocks.header("Debrief weekly digest"),
            blocks.section(body),
            blocks.context(f"{plural(open_actions, 'open action')} across all rounds"),
        ],
    )


def invitation_dm(invitation: Invitation) -> Reply:
    survey = invitation.survey
    text = (
        f"Hello {escape(invitation.contact.name)}, the commissioning team would value your "
        f"feedback on *{escape(survey.round.name)}*: _{escape(survey.title)}_. "
        "You can answer here in Slack; your answers are saved page by page."
    )
    answer = blocks.button(
        "Answer in Slack", blocks.ANSWER_ACTION, str(invitation.id), style="primary"
    )
    return Reply(
        f"Your feedback on {survey.round.name}",
        [blocks.section(text), blocks.actions(answer, block_id="answer")],
    )


# ---------------------------------------------------------------------------- sending


def announce_round_changes() -> int:
    """Announce rounds that opened or closed recently to the configured channel."""
    client, channel = _client(), current_app.config.get("SLACK_NOTIFY_CHANNEL")
    if client is None or not channel:
        return 0
    since = (utcnow() - ANNOUNCE_WITHIN).date()
    sent = 0
    for round_ in rounds_admin.list_rounds():
        if round_.is_open and (round_.opens_on is None or round_.opens_on >= since):
            key, reply = f"notify:opened:{round_.id}", round_opened_reply(round_)
        elif round_.status == RoundStatus.CLOSED and round_.closes_on and round_.closes_on >= since:
            key, reply = f"notify:closed:{round_.id}", round_closed_reply(round_)
        else:
            continue
        sent += _post(client, channel, reply, key, f"announce {round_.slug} in Slack")
    return sent


def send_weekly_digest() -> bool:
    """Post the weekly digest to the configured channel (once per ISO week)."""
    client, channel = _client(), current_app.config.get("SLACK_NOTIFY_CHANNEL")
    if client is None or not channel:
        return False
    year, week, _ = utcnow().isocalendar()
    return _post(
        client, channel, digest_reply(), f"digest:{year}-W{week:02d}", "post the weekly digest"
    )


def message_invited_partners() -> int:
    """Send each invited partner with a known Slack user a direct message to answer."""
    client = _client()
    if client is None:
        return 0
    sent = 0
    for round_ in rounds_admin.list_rounds():
        if not round_.is_open:
            continue
        for invitation in invitations.pending_invitations(round_):
            sent += send_invitation_dm(invitation, client)
    return sent


def send_invitation_dm(invitation: Invitation, client: WebClient | None = None) -> bool:
    """Send one invitation's direct message, if its contact is on Slack (once)."""
    client = client or _client()
    contact = invitation.contact
    if client is None or not contact.slack_user_id or not contacts.may_contact(contact):
        return False
    return _post(
        client,
        contact.slack_user_id,
        invitation_dm(invitation),
        f"notify:invitation:{invitation.id}",
        "send a partner their invitation in Slack",
    )


def send_invitation_dm_by_id(invitation_id: int) -> bool:
    """Send the direct message of the invitation with this id, if it still exists."""
    invitation = db.session.get(Invitation, invitation_id)
    return invitation is not None and send_invitation_dm(invitation)
