"""Worker tasks that post Slack notifications (see `bot.notifications`)."""
