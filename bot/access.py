"""Who may do what in Slack: officers query; partners answer their own invitations.

An officer is found by the Slack user id on their account, or else by the email address
Slack holds for the user (`users.info`, which needs the `users:read.email` scope).
"""

from __future__ import annotations

import logging
import threading
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from surveys.models import Officer
from surveys.services import officers

log = logging.getLogger(__name__)

EMAIL_CACHE_SECONDS = 300

_emails: dict[str, tuple[float, str | None]] = {}
_emails_lock = threading.Lock()


def slack_email(client: WebClient, user_id: str) -> str | None:
    """Return the email address Slack holds for a user (cached for a few minutes)."""
    now = time.monotonic()
    with _emails_lock:
        cached = _emails.get(user_id)
    if cached and now - cached[0] < EMAIL_CACHE_SECONDS:
        return cached[1]
    try:
        user = client.users_info(user=user_id).get("user") or {}
    except (SlackApiError, SlackClientError, OSError) as error:
        log.warning("users.info failed for a Slack user: %s", error)
        return None
    email = ((user.get("profile") or {}).get("email") or "").strip() or None
    if user.get("deleted") or user.get("is_bot"):
        email = None
    with _emails_lock:
        _emails[user_id] = (now, email)
    return email


def forget_cached_emails() -> None:
    """Drop the cached Slack emails (tests and a changed workspace)."""
    with _emails_lock:
        _emails.clear()


def officer_for(client: WebClient, user_id: str | None) -> Officer | None:
    """Return the active officer behind a Slack user, or None for anyone else."""
    if not user_id:
        return None
    officer = officers.officer_for_slack_user(user_id)
    if officer is None:
        email = slack_email(client, user_id)
        officer = officers.officer_by_email(email) if email else None
    if officer is None or not officers.has_role(officer, "viewer"):
        return None
    return officer


def may_change(officer: Officer) -> bool:
    """Say whether an officer may change records (viewers may only read)."""
    return officers.has_role(officer, "officer")
