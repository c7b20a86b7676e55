"""Configuration from environment variables, in one place.

Every setting has a `DEBRIEF_` prefix except the conventional `DATABASE_URL`,
`REDIS_URL`, `SECRET_KEY` and `SLACK_*` names. Tests pass a mapping to
`create_app` instead of touching the environment.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from surveys import urls


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_secret_key(instance_path: Path) -> str:
    """Return SECRET_KEY from the instance folder, generating it once."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def from_environment(
    instance_path: Path, env: Mapping[str, str] | None = None, *, has_secret: bool = False
) -> dict:
    """Build the app configuration from the environment."""
    env = os.environ if env is None else env
    sqlite_path = instance_path / "debrief.db"
    secret = None if has_secret else (env.get("SECRET_KEY") or load_secret_key(instance_path))
    return {
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(
            env.get("DATABASE_URL") or f"sqlite:///{sqlite_path}"
        ),
        "REDIS_URL": env.get("REDIS_URL") or None,
        "HUEY_SQLITE_PATH": str(instance_path / "huey.db"),
        "WORKER_IMMEDIATE": False,
        "ORGANISATION_NAME": env.get("DEBRIEF_ORGANISATION_NAME", "County Council"),
        "BASE_URL": (env.get("DEBRIEF_BASE_URL") or urls.DEFAULT_BASE_URL).rstrip("/"),
        "BASE_URL_SET": bool(env.get("DEBRIEF_BASE_URL")),
        "SMTP_HOST": env.get("DEBRIEF_SMTP_HOST", "localhost"),
        "SMTP_PORT": int(env.get("DEBRIEF_SMTP_PORT", "25")),
        "SMTP_USERNAME": env.get("DEBRIEF_SMTP_USERNAME") or None,
        "SMTP_PASSWORD": env.get("DEBRIEF_SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": _flag(env.get("DEBRIEF_SMTP_STARTTLS")),
        "MAIL_FROM": env.get("DEBRIEF_MAIL_FROM", "debrief@localhost"),
        "SUPPRESSION_K": int(env.get("DEBRIEF_SUPPRESSION_K", "3")),
        "MAX_CONTENT_LENGTH": int(env.get("DEBRIEF_MAX_CONTENT_LENGTH", str(2 * 1024 * 1024))),
        "SECURE_COOKIES": env.get("DEBRIEF_SECURE_COOKIES") or None,
        "SESSION_LIFETIME_MINUTES": int(env.get("DEBRIEF_SESSION_LIFETIME_MINUTES", "480")),
        "SLACK_BOT_TOKEN": env.get("SLACK_BOT_TOKEN") or None,
        "SLACK_SIGNING_SECRET": env.get("SLACK_SIGNING_SECRET") or None,
        "SLACK_APP_TOKEN": env.get("SLACK_APP_TOKEN") or None,
        "SLACK_API_URL": env.get("DEBRIEF_SLACK_API_URL") or None,
        "SLACK_NOTIFY_CHANNEL": env.get("DEBRIEF_SLACK_CHANNEL") or None,
        "TRUSTED_PROXIES": int(env.get("DEBRIEF_TRUSTED_PROXIES", "0") or 0),
        "DB_BUSY_TIMEOUT_SECONDS": float(env.get("DEBRIEF_DB_BUSY_TIMEOUT_SECONDS", "15")),
        "HEALTH_MIN_FREE_BYTES": int(env.get("DEBRIEF_HEALTH_MIN_FREE_BYTES", str(50 * 2**20))),
        # Webhooks may go to http://127.0.0.1 only when this is set (tests, development).
        "WEBHOOK_ALLOW_LOOPBACK": _flag(env.get("DEBRIEF_WEBHOOK_ALLOW_LOOPBACK")),
    }


def engine_options(settings: Mapping) -> dict:
    """Pool settings: reconnect after a lost connection; no answer text in error messages."""
    options: dict = {"pool_pre_ping": True, "hide_parameters": True}
    timeout = float(settings.get("DB_BUSY_TIMEOUT_SECONDS", 15))
    url = str(settings["SQLALCHEMY_DATABASE_URI"])
    # How long a write waits for another's lock before the request is answered 503.
    if url.startswith("sqlite"):
        options["connect_args"] = {"timeout": timeout}
    elif url.startswith("postgresql"):
        options["connect_args"] = {"options": f"-c lock_timeout={int(timeout * 1000)}"}
    return {**options, **settings.get("SQLALCHEMY_ENGINE_OPTIONS", {})}


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs written the conventional way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
