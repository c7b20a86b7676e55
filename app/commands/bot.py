"""`debrief bot --socket`: run the Slack bot over Socket Mode (no public URL needed)."""

from __future__ import annotations

import click
from flask import Flask, current_app


@click.command("bot")
@click.option("--socket", is_flag=True, help="Connect to Slack over Socket Mode.")
def bot_command(socket: bool) -> None:
    """Run the Slack bot over Socket Mode (HTTP mode needs no command: /slack/events)."""
    from bot import get_bot

    if not socket:
        raise click.UsageError(
            "Over HTTP the bot is served by the web app at /slack/events; "
            "use --socket to connect over Socket Mode instead."
        )
    bot = get_bot(current_app)
    app_token = current_app.config.get("SLACK_APP_TOKEN")
    if bot is None or not app_token:
        raise click.ClickException(
            "Set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_APP_TOKEN (xapp-...) first."
        )
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    click.echo("Debrief's Slack bot is connecting over Socket Mode (Ctrl-C stops it).")
    SocketModeHandler(bot.bolt, app_token).start()


def register(app: Flask) -> None:
    app.cli.add_command(bot_command)
