"""Contacts and organisations: list, search, add, edit and import from CSV or XLSX."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from app.admin import blueprint, uploads
from app.admin.forms import ContactForm, ContactImportForm, ImportConfirmForm
from app.admin.helpers import actor, save_form
from app.auth import role_required
from app.extensions import db
from surveys.errors import InvalidInput
from surveys.models import CONTACT_ROLES, SECTORS
from surveys.services import contact_import
from surveys.services import contacts as contact_service


@blueprint.get("/contacts", endpoint="contacts")
@role_required("viewer")
def contacts_list():
    """List contacts a page at a time; search by name, email or organisation; filter; sort."""
    page = contact_service.contact_listing().page(request.args)
    return render_template(
        "admin/contacts.html", page=page, errors=page.errors, sectors=SECTORS, roles=CONTACT_ROLES
    )


def _edit_page(form: ContactForm, contact=None):
    errors = form.error_summary()
    return render_template(
        "admin/contact_form.html",
        contact=contact,
        form=form,
        errors=errors,
        sectors=SECTORS,
        roles=CONTACT_ROLES,
    ), (422 if errors else 200)


@blueprint.route("/contacts/new", methods=["GET", "POST"])
@role_required("officer")
def contact_new():
    """Add a contact."""
    form = ContactForm()
    saved, _ = save_form(
        form, lambda: contact_service.add_contact(form.contact_fields(), actor=actor())
    )
    if saved:
        flash(f"{form.name.data.strip()} added", "success")
        return redirect(url_for("admin.contacts"))
    return _edit_page(form)


@blueprint.route("/contacts/<int:contact_id>", methods=["GET", "POST"])
@role_required("viewer")
def contact_edit(contact_id: int):
    """Show a contact; officers may change their details."""
    contact = contact_service.get_contact(contact_id)
    if request.method == "POST" and current_user_cannot_act():
        abort(403)
    form = ContactForm(obj=contact_service.fields_of(contact) if request.method == "GET" else None)
    saved, _ = save_form(
        form, lambda: contact_service.update_contact(contact, form.contact_fields(), actor=actor())
    )
    if saved:
        flash("Contact saved", "success")
        return redirect(url_for("admin.contact_edit", contact_id=contact_id))
    return _edit_page(form, contact)


def current_user_cannot_act() -> bool:
    from surveys.services.officers import has_role

    return not has_role(actor(), "officer")


@blueprint.route("/contacts/import", methods=["GET", "POST"])
@role_required("officer")
def contact_import_upload():
    """Upload a CSV or XLSX of contacts and preview it."""
    form = ContactImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        try:
            result = contact_import.preview(upload.filename, data)
        except InvalidInput as error:
            form.show_errors(error.errors)
        else:
            return _preview_page(upload.filename, data, result)
    errors = form.error_summary()
    return render_template("admin/contact_import.html", form=form, errors=errors), (
        422 if errors else 200
    )


def _preview_page(filename: str, data: bytes, result):
    """Keep the upload for this session under a random key and show its preview."""
    key = uploads.keep("contact", filename, data)
    return render_template(
        "admin/contact_import_preview.html",
        preview=result,
        key=key,
        filename=filename,
        sectors=SECTORS,
        roles=CONTACT_ROLES,
    )


@blueprint.post("/contacts/import/confirm")
@role_required("officer")
def contact_import_confirm():
    """Save the rows of a previewed upload that have no problems."""
    form = ImportConfirmForm()
    key = form.key.data or ""
    stored = uploads.fetch("contact", key) if form.validate_on_submit() else None
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
