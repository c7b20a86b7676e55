"""`debrief demo`: load the demonstration programme."""

from __future__ import annotations

import click
from flask import Flask


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Load only when the database holds no programme.")
def demo_command(if_empty: bool) -> None:
    """Load the children's centres demonstration programme (running it twice changes nothing)."""
    click.echo("Demo data is not available yet.")


def register(app: Flask) -> None:
    app.cli.add_command(demo_command)
