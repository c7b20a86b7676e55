"""The one URL builder: every absolute link the core and the faces send out.

Emails, Slack messages and the CLI all link into the web face; the paths are written
here once (`tests/surveys/test_urls.py` checks each against the web app's routes).
"""

from __future__ import annotations

from flask import current_app

# Endpoint of the web face -> its path, with the values it takes.
PATHS: dict[str, str] = {
    "public.start": "/r/{token}",
    "public.open_start": "/s/{slug}",
    "auth.opt_out": "/opt-out/{token}",
    "auth.reset_password": "/reset-password/{token}",
    "reports.summary": "/admin/reports/{round_slug}",
    "reports.lessons": "/admin/reports/{round_slug}/lessons",
    "admin.round_dashboard": "/admin/rounds/{round_id}/dashboard",
    "admin.chase_list": "/admin/rounds/{round_id}/chase",
}


# Where `make run` serves the app; used when DEBRIEF_BASE_URL is not set.
DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def base_url_is_default() -> bool:
    """Whether links would point at the local default because DEBRIEF_BASE_URL is unset."""
    config = current_app.config
    return not config.get("BASE_URL_SET") and base_url() == DEFAULT_BASE_URL


def base_url() -> str:
    """Return this server's public address (DEBRIEF_BASE_URL), without a trailing slash."""
    return str(current_app.config["BASE_URL"]).rstrip("/")


def link(endpoint: str, **values: object) -> str:
    """Return the absolute web address of a web-face endpoint."""
    return base_url() + PATHS[endpoint].format(**values)
