"""API tokens: officers create their own and revoke them; admins see and revoke everyone's."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for

from app.admin import blueprint
from app.admin.forms import TokenForm
from app.admin.helpers import actor, save_form
from app.auth import role_required
from app.extensions import db
from surveys.services import api_tokens


def _token_form() -> TokenForm:
    form = TokenForm()
    form.set_scopes(api_tokens.scopes_for(actor()))
    return form


def _page(form: TokenForm, status: int = 200):
    return render_template(
        "admin/tokens.html",
        tokens=api_tokens.tokens_visible_to(actor()),
        token_status=api_tokens.token_status,
        form=form,
        errors=form.error_summary(),
    ), status


@blueprint.get("/tokens", endpoint="tokens")
@role_required("viewer")
def tokens_list():
    """List the API tokens the officer may see."""
    return _page(_token_form())


@blueprint.post("/tokens")
@role_required("viewer")
def tokens_create():
    """Create a token for the signed-in officer and show it once."""
    form = _token_form()
    saved, new = save_form(
        form,
        lambda: api_tokens.create_token(
            actor(),
            form.scope.data or "",
            name=form.name.data or "",
            expires_days=form.days,
            actor=actor(),
        ),
    )
    if not saved:
        return _page(form, 422)
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
