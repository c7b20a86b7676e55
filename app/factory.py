"""The Flask application factory: settings, extensions, blueprints, commands, handlers."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from app import config as app_config
from app import edge, errors, logs, migrations, security, templating
from app.extensions import csrf, db
from surveys import worker

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Debrief web application.

    Without `config` the settings come from the environment (`app.config`); with it
    (tests, benchmarks) they are the defaults plus that mapping, and the environment
    is never read, so a shell's DATABASE_URL cannot leak into a test.
    """
    app = Flask("app", instance_relative_config=True)
    app.config.update(_settings(Path(app.instance_path), config))
    logs.install()
    edge.init_url_converters(app)
    register_extensions(app)
    register_blueprints(app)
    worker.init_app(app)  # after the blueprints, whose faces declare their own tasks
    register_commands(app)
    templating.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    edge.init_app(app)
    return app


def _settings(instance_path: Path, overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    if overrides is None:
        settings = app_config.from_environment(instance_path)
        settings["SQLALCHEMY_ENGINE_OPTIONS"] = app_config.engine_options(settings)
        return settings
    env: dict[str, str] = {}  # a given mapping is the whole story: never os.environ
    settings = app_config.from_environment(instance_path, env, has_secret="SECRET_KEY" in overrides)
    settings.update(overrides)
    settings["SQLALCHEMY_ENGINE_OPTIONS"] = app_config.engine_options(settings)
    return settings


def register_extensions(app: Flask) -> None:
    import surveys.models  # noqa: F401  (registers the tables)

    db.init_app(app)
    migrations.init_app(app, directory=str(MIGRATIONS_DIR), compare_type=True, render_as_batch=True)
    csrf.init_app(app)


def register_blueprints(app: Flask) -> None:
    from app.admin import init_app as init_officer_workspace
    from app.api import init_app as init_api
    from app.health import blueprint as health
    from app.public import blueprint as public
    from app.reports import init_app as init_reports
    from bot import blueprint as slack_blueprint
    from bot import init_app as init_slack_bot

    app.register_blueprint(health)
    app.register_blueprint(public)
    init_slack_bot(app)
    csrf.exempt(slack_blueprint)  # Slack signs its requests; it cannot send a CSRF token.
    init_officer_workspace(app)
    init_reports(app)
    init_api(app)  # CSRF-exempts its own blueprint: it takes bearer tokens, never cookies


def register_commands(app: Flask) -> None:
    from app.commands import register

    register(app)
