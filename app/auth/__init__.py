"""The `auth` blueprint: officers sign in and out, change and reset passwords.

Also owns Flask-Login's setup and the `role_required` decorator used by officer views.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Blueprint, Flask, abort, redirect, request, session, url_for
from flask_login import current_user

from app.extensions import db, login_manager
from surveys.models import Officer, utcnow
from surveys.services.officers import has_role

blueprint = Blueprint("auth", __name__)


def init_app(app: Flask) -> None:
    """Set up Flask-Login, expiring sessions and the sign-in pages."""
    lifetime = timedelta(minutes=app.config.get("SESSION_LIFETIME_MINUTES", 480))
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", lifetime)
    app.permanent_session_lifetime = lifetime
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    from app.auth import views  # noqa: F401  (registers the routes)

    app.register_blueprint(blueprint)
    app.before_request(_expire_old_sessions)


@login_manager.user_loader
def load_officer(user_id: str) -> Officer | None:
    """Load the signed-in officer; a stale session version signs them out."""
    try:
        officer_id, version = (int(part) for part in user_id.split(":"))
    except ValueError:
        return None
    officer = db.session.get(Officer, officer_id)
    if officer is None or officer.session_version != version or not officer.active:
        return None
    return officer


def _expire_old_sessions() -> None:
    """End a session older than the configured lifetime, however active it has been."""
    from flask import current_app, g
    from flask_login import logout_user

    # g outlives a request when an app context is already pushed (as in tests): never let
    # one request's officer leak into the next.
    g.pop("_login_user", None)
    g.pop("csrf_token", None)
    started = session.get("signed_in_at")
    if started is None or "_user_id" not in session:
        return
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    if utcnow().timestamp() - float(started) > lifetime:
        logout_user()
        session.clear()


def role_required(role: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Refuse anonymous users (sign-in page) and officers below `role` (403)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.must_change_password:
                return redirect(url_for("auth.change_password", next=request.path))
            if not has_role(current_user, role):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator
