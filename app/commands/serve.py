"""`debrief serve`: the web app and the background worker together, stopped by Ctrl-C."""

from __future__ import annotations

import signal
import subprocess
import sys

import click
from flask import Flask, current_app
from werkzeug.serving import run_simple


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
def serve_command(host: str, port: int) -> None:
    """Serve Debrief with its worker beside it (for local use; use gunicorn in production)."""
    worker = subprocess.Popen([sys.executable, "-m", "app.cli", "worker"])  # noqa: S603
    # Ctrl-C reaches both processes; on SIGTERM, exit through `finally` so the worker stops too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    click.echo(f"\n  Debrief is running at http://{host}:{port}")
    click.echo("  Ctrl-C stops the server and the worker.\n")
    try:
        run_simple(host, port, current_app._get_current_object(), threaded=True)
    finally:
        worker.terminate()
        worker.wait(timeout=10)


def register(app: Flask) -> None:
    app.cli.add_command(serve_command)
