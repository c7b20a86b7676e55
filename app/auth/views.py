"""Sign-in, sign-out, password change and password reset pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import blueprint
from app.extensions import db
from surveys.models import utcnow
from surveys.services import auth as auth_service
from surveys.services import officers

GENERIC_FAILURE = "Enter a correct email address and password"


def _safe_next(target: str | None) -> str:
    """Only follow a `next` that stays on this site."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            if not target.startswith("//"):
                return target
    return url_for("admin.home")


def _start_session(officer) -> None:
    # A fresh session on sign-in (no fixation); its CSRF token goes with it.
    session.clear()
    g.pop("csrf_token", None)
    session.permanent = True
    login_user(officer)
    session["signed_in_at"] = utcnow().timestamp()


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """Ask for an email address and password and sign the officer in."""
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    errors: dict[str, str] = {}
    email = ""
    if request.method == "POST":
        email = request.form.get("email", "").strip()
        password = request.form.get("password", "")
        if not email:
            errors["email"] = "Enter your email address"
        if not password:
            errors["password"] = "Enter your password"  # noqa: S105
        if not errors:
            try:
                officer = auth_service.authenticate(email, password, request.remote_addr)
            except auth_service.SignInThrottled:
                db.session.commit()
                errors["email"] = "Too many attempts. Wait 15 minutes, then try again"
            except auth_service.SignInFailed:
                db.session.commit()
                errors["email"] = GENERIC_FAILURE
            else:
                db.session.commit()
                _start_session(officer)
                if officer.must_change_password:
                    return redirect(url_for("auth.change_password"))
                return redirect(_safe_next(request.args.get("next")))
        status = 429 if "Too many" in errors.get("email", "") else 422
        return render_template("auth/sign_in.html", errors=errors, email=email), status
    return render_template("auth/sign_in.html", errors=errors, email=email)


@blueprint.post("/sign-out")
def sign_out():
    """Sign the officer out."""
    if current_user.is_authenticated:
        auth_service.record_sign_out(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash("You have signed out", "success")
    return redirect(url_for("auth.sign_in"))


@blueprint.route("/change-password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the signed-in officer's password (required after a one-time password)."""
    errors: dict[str, str] = {}
    if request.method == "POST":
        current = request.form.get("current_password", "")
        new = request.form.get("new_password", "")
        confirm = request.form.get("confirm_password", "")
        if not officers.verify_password(current_user.password_hash, current):
            errors["current_password"] = "Your current password is not correct"  # noqa: S105
        errors |= officers.validate_new_password(new, confirm, current_user)
        if not errors:
            officer = current_user._get_current_object()
            officers.set_password(officer, new)
            db.session.commit()
            _start_session(officer)
            flash("Your password has been changed", "success")
            return redirect(_safe_next(request.args.get("next")))
        return render_template("auth/change_password.html", errors=errors), 422
    return render_template("auth/change_password.html", errors=errors)


@blueprint.route("/reset-password", methods=["GET", "POST"])
def request_reset():
    """Ask for an email address and send a reset link if it belongs to an officer."""
    errors: dict[str, str] = {}
    if request.method == "POST":
        email = request.form.get("email", "").strip()
        if not email:
            errors["email"] = "Enter your email address"
            return render_template("auth/request_reset.html", errors=errors), 422
        auth_service.request_password_reset(email)
        db.session.commit()
        # The same answer whether or not the address is known.
        return redirect(url_for("auth.reset_sent"))
    return render_template("auth/request_reset.html", errors=errors)


@blueprint.get("/reset-password/sent")
def reset_sent():
    """Confirm that a link is on its way (if the address is known)."""
    return render_template("auth/reset_sent.html")


@blueprint.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Set a new password from a reset link."""
    officer = auth_service.officer_for_reset_token(token)
    if officer is None:
        return render_template("auth/reset_invalid.html"), 404
    errors: dict[str, str] = {}
    if request.method == "POST":
        new = request.form.get("new_password", "")
        errors = officers.validate_new_password(
            new, request.form.get("confirm_password", ""), officer
        )
        if not errors:
            officers.set_password(officer, new)
            db.session.commit()
            flash("Your password has been reset. Sign in with your new password", "success")
            return redirect(url_for("auth.sign_in"))
        return render_template("auth/reset_password.html", errors=errors), 422
    return render_template("auth/reset_password.html", errors=errors)


@blueprint.app_context_processor
def _officer_context() -> dict:
    return {"officer_navigation": _officer_navigation}


_NAVIGATION = [
    ("admin.home", "Rounds", "viewer", ("admin.home", "admin.round")),
    ("admin.contacts", "Contacts", "viewer", ("admin.contact", "admin.organisation")),
    ("admin.responses", "Responses", "viewer", ("admin.response",)),
    ("admin.officers", "Officers", "admin", ("admin.officer",)),
    ("admin.tokens", "API tokens", "viewer", ("admin.token",)),
    ("admin.audit_log", "Audit log", "admin", ("admin.audit",)),
]


def _officer_navigation() -> list[dict]:
    """Return the service navigation items the signed-in officer may use."""
    if not current_user.is_authenticated or current_user.must_change_password:
        return []
    endpoint = request.endpoint or ""
    return [
        {
            "href": url_for(target),
            "text": text,
            "active": any(endpoint.startswith(prefix) for prefix in prefixes),
        }
        for target, text, role, prefixes in _NAVIGATION
        if officers.has_role(current_user, role)
    ]


@blueprint.route("/opt-out/<token>", methods=["GET", "POST"])
def opt_out(token: str):
    """Let a contact stop emails about questionnaires, from the link in any email."""
    from surveys.services import mail

    contact = mail.contact_for_opt_out_token(token)
    if contact is None:
        return render_template("auth/opt_out.html", state="invalid"), 404
    if request.method == "POST":
        mail.opt_out(contact)
        db.session.commit()
        return redirect(url_for("auth.opt_out", token=token))
    return render_template("auth/opt_out.html", state="done" if contact.opted_out else "ask")
