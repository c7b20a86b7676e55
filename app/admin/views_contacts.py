"""Contacts and organisations: list, search, add, edit and import from CSV or XLSX."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from app.admin import blueprint, uploads
from app.admin.helpers import actor
from app.auth import role_required
from app.extensions import db
from surveys.errors import InvalidInput
from surveys.models import CONTACT_ROLES, SECTORS
from surveys.services import contact_import
from surveys.services import contacts as contact_service
from surveys.services.contacts import ContactFields

FIELD_NAMES = ("organisation", "sector", "name", "email", "phone", "role", "slack_user_id")


def _fields_from_form() -> ContactFields:
    return ContactFields(**{name: request.form.get(name, "") for name in FIELD_NAMES})


@blueprint.get("/contacts", endpoint="contacts")
@role_required("viewer")
def contacts_list():
    """List and search contacts."""
    search = request.args.get("q", "")
    sector = request.args.get("sector", "")
    role = request.args.get("role", "")
    found = contact_service.list_contacts(search=search, sector=sector, role=role)
    return render_template(
        "admin/contacts.html",
        contacts=found,
        q=search,
        sector=sector,
        role=role,
        sectors=SECTORS,
        roles=CONTACT_ROLES,
    )


def _edit_page(contact=None, fields=None, errors=None, status=200):
    return render_template(
        "admin/contact_form.html",
        contact=contact,
        fields=fields or ContactFields("", "", ""),
        errors=errors or {},
        sectors=SECTORS,
        roles=CONTACT_ROLES,
    ), status


@blueprint.route("/contacts/new", methods=["GET", "POST"])
@role_required("officer")
def contact_new():
    """Add a contact."""
    if request.method == "GET":
        return _edit_page()
    fields = _fields_from_form()
    try:
        contact_service.add_contact(fields, actor=actor())
    except InvalidInput as error:
        db.session.rollback()
        return _edit_page(None, fields, error.errors, 422)
    db.session.commit()
    flash(f"{fields.name.strip()} added", "success")
    return redirect(url_for("admin.contacts"))


@blueprint.route("/contacts/<int:contact_id>", methods=["GET", "POST"])
@role_required("viewer")
def contact_edit(contact_id: int):
    """Show a contact; officers may change their details."""
    contact = contact_service.get_contact(contact_id)
    if request.method == "GET":
        return _edit_page(contact, contact_service.fields_of(contact))
    if current_user_cannot_act():
        abort(403)
    fields = _fields_from_form()
    try:
        contact_service.update_contact(contact, fields, actor=actor())
    except InvalidInput as error:
        db.session.rollback()
        return _edit_page(contact, fields, error.errors, 422)
    db.session.commit()
    flash("Contact saved", "success")
    return redirect(url_for("admin.contact_edit", contact_id=contact_id))


def current_user_cannot_act() -> bool:
    from surveys.services.officers import has_role

    return not has_role(actor(), "officer")


@blueprint.route("/contacts/import", methods=["GET", "POST"])
@role_required("officer")
def contact_import_upload():
    """Upload a CSV or XLSX of contacts and preview it."""
    if request.method == "GET":
        return render_template("admin/contact_import.html", errors={})
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template(
            "admin/contact_import.html", errors={"file": "Select a CSV or XLSX file"}
        ), 422
    data = upload.read()
    try:
        result = contact_import.preview(upload.filename, data)
    except InvalidInput as error:
        return render_template("admin/contact_import.html", errors=error.errors), 422
    key = uploads.keep("contact", upload.filename, data)
    return render_template(
        "admin/contact_import_preview.html",
        preview=result,
        key=key,
        filename=upload.filename,
        sectors=SECTORS,
        roles=CONTACT_ROLES,
    )


@blueprint.post("/contacts/import/confirm")
@role_required("officer")
def contact_import_confirm():
    """Save the rows of a previewed upload that have no problems."""
    key = request.form.get("key", "")
    stored = uploads.fetch("contact", key)
    if stored is None:
        flash("The upload has expired. Upload the file again", "info")
        return redirect(url_for("admin.contact_import_upload"))
    filename, data = stored
    try:
        counts = contact_import.apply(contact_import.preview(filename, data), actor=actor())
    except InvalidInput:
        db.session.rollback()
        flash("The file could not be read. Upload it again", "info")
        return redirect(url_for("admin.contact_import_upload"))
    db.session.commit()
    uploads.discard("contact", key)
    flash(
        f"{counts['added']} contacts added, {counts['updated']} updated, "
        f"{counts['skipped']} rows skipped",
        "success",
    )
    return redirect(url_for("admin.contacts"))
