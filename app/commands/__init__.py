"""The project's own `debrief` commands, each group in its own module."""

from __future__ import annotations

from flask import Flask

from app.commands import demo, export, officer, privacy, serve, worker


def register(app: Flask) -> None:
    """Add every command module's commands to the app's CLI."""
    for module in (demo, serve, worker, officer, export, privacy):
        module.register(app)
