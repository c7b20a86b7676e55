"""Sign-in, sign-out, password change and password reset pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import blueprint
from app.auth.forms import ChangePasswordForm, NewPasswordForm, RequestResetForm, SignInForm
from app.extensions import csrf, db
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


@blueprint.get("/")
def home():
    """Send officers to the rounds list and everyone else to sign in."""
    if current_user.is_authenticated:
        return redirect(url_for("admin.home"))
    return redirect(url_for("auth.sign_in"))


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """Ask for an email address and password and sign the officer in."""
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        try:
            officer = auth_service.authenticate(
                form.email.data, form.password.data, request.remote_addr
            )
        except auth_service.SignInThrottled:
            db.session.commit()
            form.show_errors({"email": "Too many attempts. Wait 15 minutes, then try again"})
            status = 429
        except auth_service.SignInFailed:
            db.session.commit()
            form.show_errors({"email": GENERIC_FAILURE})
        else:
            db.session.commit()
            _start_session(officer)
            if officer.must_change_password:
                return redirect(url_for("auth.change_password"))
            return redirect(_safe_next(request.args.get("next")))
    return _form_page("auth/sign_in.html", form, status)


def _form_page(template: str, form, status: int = 200):
    """Render a form page: 422 with the error summary when the form has errors."""
    errors = form.error_summary()
    return render_template(template, form=form, errors=errors), (
        status if status != 200 or not errors else 422
    )


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
    form = ChangePasswordForm()
    if form.validate_on_submit():
        errors: dict[str, str] = {}
        if not officers.verify_password(current_user.password_hash, form.current_password.data):
            errors["current_password"] = "Your current password is not correct"  # noqa: S105
        new = form.new_password.data or ""
        errors |= officers.validate_new_password(new, form.confirm_password.data, current_user)
        if not errors:
            officer = current_user._get_current_object()
            officers.set_password(officer, new)
            db.session.commit()
            _start_session(officer)
            flash("Your password has been changed", "success")
            return redirect(_safe_next(request.args.get("next")))
        form.show_errors(errors)
    return _form_page("auth/change_password.html", form)


@blueprint.route("/reset-password", methods=["GET", "POST"])
def request_reset():
    """Ask for an email address and send a reset link if it belongs to an officer."""
    form = RequestResetForm()
    if form.validate_on_submit():
        auth_service.request_password_reset(form.email.data)
        db.session.commit()
        # The same answer whether or not the address is known.
        return redirect(url_for("auth.reset_sent"))
    return _form_page("auth/request_reset.html", form)


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
    form = NewPasswordForm()
    if form.validate_on_submit():
        new = form.new_password.data or ""
        errors = officers.validate_new_password(new, form.confirm_password.data or "", officer)
        if not errors:
            officers.set_password(officer, new)
            db.session.commit()
            flash("Your password has been reset. Sign in with your new password", "success")
            return redirect(url_for("auth.sign_in"))
        form.show_errors(errors)
    return _form_page("auth/reset_password.html", form)


@blueprint.app_context_processor
def _officer_context() -> dict:
    return {"officer_navigation": _officer_navigation}


_NAVIGATION = [
    ("admin.home", "Rounds", "viewer", ("admin.home", "admin.round")),
    ("reports.index", "Summaries", "viewer", ("reports.",)),
    ("admin.contacts", "Contacts", "viewer", ("admin.contact", "admin.organisation")),
    ("admin.responses", "Responses", "viewer", ("admin.response",)),
    ("admin.officers", "Officers", "admin", ("admin.officer",)),
    ("admin.tokens", "API tokens", "viewer", ("admin.token",)),
    ("admin.audit_log", "Audit log", "admin", ("admin.audit",)),
    ("admin.webhooks_list", "Webhooks", "admin", ("admin.webhook",)),
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
@csrf.exempt  # a mail program's one-click POST (RFC 8058) has no CSRF token; the link's does
def opt_out(token: str):
    """Let a contact stop emails about questionnaires, from the link in any email or with
    the one-click unsubscribe of their mail program."""
    from surveys.services import mail

    contact = mail.contact_for_opt_out_token(token)
    if contact is None:
        return render_template("auth/opt_out.html", state="invalid"), 404
    if request.method == "POST":
        mail.opt_out(contact)
        db.session.commit()
        if request.form.get("List-Unsubscribe") == "One-Click":
            return render_template("auth/opt_out.html", state="done")
        return redirect(url_for("auth.opt_out", token=token), 303)
    return render_template("auth/opt_out.html", state="done" if contact.opted_out else "ask")
