"""API tokens: officers create their own and revoke them; admins see and revoke everyone's."""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for

from app.admin import blueprint
from app.admin.helpers import actor
from app.auth import role_required
from app.extensions import db
from surveys.errors import InvalidInput
from surveys.services import api_tokens

# ASCII digits, few enough for int(): "²" passes str.isdigit() and 5,000 nines pass too.
_DAYS = re.compile(r"[0-9]{1,9}")


def _page(errors: dict[str, str] | None = None, form=None, status: int = 200):
    officer = actor()
    return render_template(
        "admin/tokens.html",
        tokens=api_tokens.tokens_visible_to(officer),
        token_status=api_tokens.token_status,
        scopes=api_tokens.scopes_for(officer),
        errors=errors or {},
        form=form or {},
    ), status


@blueprint.get("/tokens", endpoint="tokens")
@role_required("viewer")
def tokens_list():
    """List the API tokens the officer may see."""
    return _page()


@blueprint.post("/tokens")
@role_required("viewer")
def tokens_create():
    """Create a token for the signed-in officer and show it once."""
    form = request.form
    days_text = form.get("expires_days", "").strip()
    if days_text and not _DAYS.fullmatch(days_text):
        return _page({"expires_days": "Enter a whole number of days"}, form, 422)
    try:
        new = api_tokens.create_token(
            actor(),
            form.get("scope", ""),
            name=form.get("name", ""),
            expires_days=int(days_text) if days_text else None,
            actor=actor(),
        )
    except InvalidInput as error:
        db.session.rollback()
        return _page(error.errors, form, 422)
    db.session.commit()
    # Shown once, on this response only; never stored or logged.
    return render_template("admin/token_created.html", token=new.record, secret=new.secret)


@blueprint.post("/tokens/<int:token_id>/revoke")
@role_required("viewer")
def token_revoke(token_id: int):
    """Revoke a token: the officer's own, or anyone's for an admin."""
    token = api_tokens.get_token(token_id)
    if not api_tokens.may_revoke(actor(), token):
        abort(404)
    api_tokens.revoke_token(token, actor=actor())
    db.session.commit()
    flash("Token revoked", "success")
    return redirect(url_for("admin.tokens"))
