"""The `admin` blueprint: the officers' workspace under /admin.

`init_app` also sets up sign-in (`app.auth`) and the opt-out page for respondents.
"""

from __future__ import annotations

from flask import Blueprint, Flask, flash, g, redirect, url_for

from app.errors import domain_error_page
from surveys.db import db
from surveys.errors import AlreadySubmitted, SurveyClosed

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


def init_app(app: Flask) -> None:
    """Register sign-in, the officers' workspace and the opt-out page."""
    from app import auth
    from app.admin import (  # noqa: F401  (registers the routes)
        lists,
        views_contacts,
        views_imports,
        views_officers,
        views_problems,
        views_responses,
        views_rounds,
        views_tracking,
        views_webhooks,
    )

    auth.init_app(app)
    app.register_blueprint(blueprint)


@blueprint.get("")
def root():
    return redirect(url_for("admin.home"))


@blueprint.errorhandler(AlreadySubmitted)
@blueprint.errorhandler(SurveyClosed)
def conflict(error: AlreadySubmitted | SurveyClosed):
    """Say what happened and go back to where the officer came from (`g.back_to`)."""
    back_to = g.get("back_to")
    if back_to is None:
        return domain_error_page(error)
    db.session.rollback()
    flash(str(error), "info")
    return redirect(back_to)
