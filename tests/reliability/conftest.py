"""The proof suite runs on the bot's app (Slack configured against a local fake)."""

from tests.bot.conftest import app, post, slack  # noqa: F401 - fixtures
