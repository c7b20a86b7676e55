"""The `reports` blueprint under /admin/reports: round summaries, themes, lessons and search.

Viewers read summaries, themes, lessons and search results; officers edit themes, override
sentiment tags, re-run the analysis and record lessons and actions.
"""

from __future__ import annotations

from flask import Blueprint, Flask

blueprint = Blueprint("reports", __name__, url_prefix="/admin/reports")


def init_app(app: Flask) -> None:
    """Register the reports pages."""
    from app.reports import (  # noqa: F401  (registers the routes)
        views_lessons,
        views_search,
        views_summary,
        views_themes,
    )

    app.register_blueprint(blueprint)
