"""Officer accounts (admins only) and the audit log."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from app.admin import blueprint
from app.admin.forms import ActiveForm, NewOfficerForm, RoleForm
from app.admin.helpers import actor, save_form
from app.auth import role_required
from app.extensions import db
from surveys.errors import InvalidInput
from surveys.models import OFFICER_ROLES
from surveys.services import audit_log as audit_log_service
from surveys.services import officers


def _officers_page(form: NewOfficerForm):
    errors = form.error_summary()
    return render_template(
        "admin/officers.html",
        officers=officers.list_officers(),
        roles=OFFICER_ROLES,
        errors=errors,
        form=form,
    ), (422 if errors else 200)


@blueprint.get("/officers", endpoint="officers")
@role_required("admin")
def officers_list():
    """List officers and their roles."""
    return _officers_page(NewOfficerForm(formdata=None))


@blueprint.post("/officers")
@role_required("admin")
def officers_create():
    """Create an officer and show their one-time password once."""
    form = NewOfficerForm()
    saved, created = save_form(
        form,
        lambda: officers.create_officer(
            form.email.data or "",
            form.role.data or "",
            form.name.data or "",
            form.slack_user_id.data or None,
            actor=actor(),
        ),
    )
    if not saved:
        return _officers_page(form)
    officer, password = created
    # Shown once, on this response only; never stored or logged.
    return render_template("admin/officer_created.html", officer=officer, password=password)


@blueprint.post("/officers/<int:officer_id>/role")
@role_required("admin")
def officer_role(officer_id: int):
    """Change an officer's role."""
    officer = officers.get_officer(officer_id)
    if officer.id == actor().id:
        flash("You cannot change your own role", "info")
        return redirect(url_for("admin.officers"))
    try:
        officers.change_role(officer, RoleForm().role.data or "", actor=actor())
    except InvalidInput:
        db.session.rollback()
        flash("Select admin, officer or viewer", "info")
        return redirect(url_for("admin.officers"))
    db.session.commit()
    flash(f"Role changed to {officer.role}", "success")
    return redirect(url_for("admin.officers"))


@blueprint.post("/officers/<int:officer_id>/active")
@role_required("admin")
def officer_active(officer_id: int):
    """Deactivate or reactivate an officer."""
    officer = officers.get_officer(officer_id)
    if officer.id == actor().id:
        flash("You cannot deactivate your own account", "info")
        return redirect(url_for("admin.officers"))
    officers.set_active(officer, ActiveForm().active.data == "1", actor=actor())
    db.session.commit()
    flash("Account updated", "success")
    return redirect(url_for("admin.officers"))


@blueprint.get("/audit")
@role_required("admin")
def audit_log():
    """Show the audit log a page at a time, filtered by action, officer, record and date."""
    page = audit_log_service.audit_listing().page(request.args, per_page=50)
    return render_template(
        "admin/audit.html",
        page=page,
        errors=page.errors,
        named=audit_log_service.name_events(page.items),
        actions=[(action, action) for action in audit_log_service.action_choices()],
        officers=officers.officer_choices(),
        record_types=audit_log_service.RECORD_TYPES,
    )
