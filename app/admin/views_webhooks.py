"""Webhooks (admins only): subscribe addresses to events, see each one's delivery log."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for

from app.admin import blueprint
from app.admin.forms import WebhookForm
from app.admin.helpers import actor
from app.admin.views_problems import banner_context
from app.auth import role_required
from app.extensions import db
from surveys.errors import InvalidInput
from surveys.models import WEBHOOK_EVENTS
from surveys.services import webhooks

_JUST_ADDED = "webhook_just_added"


@blueprint.route("/webhooks", methods=["GET", "POST"])
@role_required("admin")
def webhooks_list():
    """List webhooks and add one."""
    form = WebhookForm()
    if form.validate_on_submit():
        try:
            webhook = webhooks.create_webhook(
                form.url.data or "",
                form.events.data or [],
                form.description.data or "",
                actor=actor(),
            )
        except InvalidInput as error:
            db.session.rollback()
            form.show_errors(error.errors)
        else:
            db.session.commit()
            session[_JUST_ADDED] = webhook.id  # the next page shows the secret, once
            return redirect(url_for("admin.webhook", webhook_id=webhook.id))
    errors = form.error_summary()
    page = render_template(
        "admin/webhooks.html",
        form=form,
        errors=errors,
        webhooks=webhooks.list_webhooks(),
        **banner_context(),
    )
    return page, 422 if errors else 200


def _webhook_page(webhook_id: int, secret: str | None = None):
    webhook = webhooks.get_webhook(webhook_id)
    return render_template(
        "admin/webhook.html",
        webhook=webhook,
        secret=secret,
        deliveries=webhooks.delivery_log(webhook),
        event_labels=WEBHOOK_EVENTS,
        **banner_context(),
    )


@blueprint.get("/webhooks/<int:webhook_id>")
@role_required("admin")
def webhook(webhook_id: int):
    """Show a webhook, its delivery log, and its secret once after it was added."""
    just_added = session.pop(_JUST_ADDED, None) == webhook_id
    secret = webhooks.get_webhook(webhook_id).secret if just_added else None
    return _webhook_page(webhook_id, secret)


@blueprint.post("/webhooks/<int:webhook_id>/secret")
@role_required("admin")
def webhook_secret(webhook_id: int):
    """Show an admin the signing secret again (recorded in the audit log)."""
    secret = webhooks.reveal_secret(webhooks.get_webhook(webhook_id), actor=actor())
    db.session.commit()
    return _webhook_page(webhook_id, secret)


@blueprint.post("/webhooks/<int:webhook_id>/active")
@role_required("admin")
def webhook_active(webhook_id: int):
    """Turn a webhook on or off."""
    webhook = webhooks.get_webhook(webhook_id)
    turn_on = request.form.get("active") == "1"
    webhooks.set_active(webhook, turn_on, actor=actor())
    db.session.commit()
    flash("Webhook turned on" if turn_on else "Webhook turned off", "success")
    return redirect(url_for("admin.webhook", webhook_id=webhook_id))


@blueprint.post("/webhooks/<int:webhook_id>/delete")
@role_required("admin")
def webhook_delete(webhook_id: int):
    """Remove a webhook and its delivery log."""
    webhooks.delete_webhook(webhooks.get_webhook(webhook_id), actor=actor())
    db.session.commit()
    flash("Webhook removed", "success")
    return redirect(url_for("admin.webhooks_list"))
