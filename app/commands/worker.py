"""`debrief worker`: run the background task consumer."""

from __future__ import annotations

import click
from flask import Flask


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
def worker_command(workers: int) -> None:
    """Run the background worker (emails, reminders, scheduled round changes)."""
    from flask import current_app

    from surveys.worker import run_consumer

    run_consumer(current_app._get_current_object(), workers)


def register(app: Flask) -> None:
    app.cli.add_command(worker_command)
