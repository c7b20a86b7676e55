"""Flask-Migrate, loaded when a migration is first run rather than when `debrief` starts.

Importing Flask-Migrate imports Alembic (and Mako and Pygments with it). `init_app`
registers a `db` command group that loads them only when one of its commands runs, and
a stand-in for `app.extensions["migrate"]` that becomes the real one on first use
(`flask_migrate.upgrade()` in the tests, Alembic's `env.py`).
"""

from __future__ import annotations

from typing import Any

import click
from flask import Flask

MIGRATE_HELP = "Perform database migrations."


def _load(app: Flask, options: dict[str, Any]) -> Any:
    """Initialise the real Flask-Migrate for the app and return its config object."""
    if not isinstance(app.extensions.get("migrate"), _PendingMigrate):
        return app.extensions["migrate"]
    from flask_migrate import Migrate

    from surveys.db import db

    Migrate().init_app(app, db, **options)  # also replaces the `db` group with the real one
    return app.extensions["migrate"]


class _PendingMigrate:
    """Stands in for Flask-Migrate's config until something reads it."""

    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        self._app = app
        self._options = options

    def __getattr__(self, name: str) -> Any:
        return getattr(_load(self._app, self._options), name)


class _LazyDbGroup(click.Group):
    """The `db` command group, whose commands come from Flask-Migrate once asked for."""

    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        super().__init__("db", help=MIGRATE_HELP, short_help=MIGRATE_HELP)
        self._app = app
        self._options = options

    def _real(self) -> click.Group:
        _load(self._app, self._options)
        from flask_migrate.cli import db as db_group

        return db_group

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        # From here on the real group parses, helps and runs: its options, its commands.
        return self._real().make_context(info_name, args, parent=parent, **extra)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._real().list_commands(ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self._real().get_command(ctx, name)


def init_app(app: Flask, **options: Any) -> None:
    """Register migrations for the app without importing Alembic yet."""
    app.extensions["migrate"] = _PendingMigrate(app, options)
    app.cli.add_command(_LazyDbGroup(app, options))
