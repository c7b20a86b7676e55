"""Worker tasks for Slack notifications, declared on the core's queue (`surveys.worker`).

`bot.init_app` imports this module, so every app with the bot binds these tasks too.
"""

from __future__ import annotations

from bot import notifications
from surveys.services import slack_deliveries
from surveys.worker import periodic, task


@periodic(minute="*/5")
def announce_round_changes() -> int:
    """Tell the team's channel when a round opens or closes."""
    return notifications.announce_round_changes()


@periodic(minute="*/15")
def message_invited_partners() -> int:
    """Invite partners who are on Slack to answer there."""
    return notifications.message_invited_partners()


@periodic(day_of_week="1", hour="8", minute="0")
def send_weekly_digest() -> bool:
    """Post the weekly digest on Monday mornings."""
    return notifications.send_weekly_digest()


@task()
def send_invitation_dm(invitation_id: int) -> bool:
    """Send one invitation's Slack message now (e.g. just after inviting)."""
    return notifications.send_invitation_dm_by_id(invitation_id)


@periodic(hour="3", minute="17")
def forget_old_deliveries() -> int:
    """Drop Slack delivery records too old to be retried."""
    return slack_deliveries.forget_events_older_than(7)
