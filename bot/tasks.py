"""Worker tasks for Slack notifications. `bot.init_app` imports this module, so the
worker (which builds the app) knows these tasks without a line in `app/worker.py`."""

from __future__ import annotations

from huey import crontab

from app.worker import huey, in_app_context
from bot import notifications
from bot.middleware import forget_deliveries_older_than


@huey.periodic_task(crontab(minute="*/5"))
@in_app_context
def announce_round_changes() -> int:
    """Tell the team's channel when a round opens or closes."""
    return notifications.announce_round_changes()


@huey.periodic_task(crontab(minute="*/15"))
@in_app_context
def message_invited_partners() -> int:
    """Invite partners who are on Slack to answer there."""
    return notifications.message_invited_partners()


@huey.periodic_task(crontab(day_of_week="1", hour="8", minute="0"))
@in_app_context
def send_weekly_digest() -> bool:
    """Post the weekly digest on Monday mornings."""
    return notifications.send_weekly_digest()


@huey.task()
@in_app_context
def send_invitation_dm(invitation_id: int) -> bool:
    """Send one invitation's Slack message now (e.g. just after inviting)."""
    return notifications.send_invitation_dm_by_id(invitation_id)


@huey.periodic_task(crontab(hour="3", minute="17"))
@in_app_context
def forget_old_deliveries() -> int:
    """Drop Slack delivery records too old to be retried."""
    return forget_deliveries_older_than(7)
