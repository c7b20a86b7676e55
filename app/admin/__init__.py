"""The `admin` blueprint: the officers' workspace under /admin.

`init_app` also sets up sign-in (`app.auth`) and the opt-out page for respondents.
"""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, url_for

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


def init_app(app: Flask) -> None:
    """Register sign-in, the officers' workspace and the opt-out page."""
    from app import auth
    from app.admin import (  # noqa: F401  (registers the routes)
        views_contacts,
        views_officers,
        views_problems,
        views_responses,
        views_rounds,
        views_tracking,
    )

    auth.init_app(app)
    app.register_blueprint(blueprint)


@blueprint.get("")
def root():
    return redirect(url_for("admin.home"))
