"""Importing an earlier evaluation into a round: upload, map columns, check each row, import."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from app.admin import blueprint, uploads
from app.admin.helpers import actor
from app.auth import role_required
from app.extensions import db
from surveys.errors import InvalidInput
from surveys.services import response_import, rounds_admin
from surveys.services.responses import current_definition

KIND = "response"
MAX_COLUMNS = 1000  # columns past this cannot be mapped, so a file using them is refused


def _upload_page(round_, errors: dict[str, str], status: int = 200):
    return render_template(
        "admin/response_import.html",
        round=round_,
        errors=errors,
        targets=response_import.SPECIAL_TARGETS,
        survey_choices=[(survey.slug, survey.title) for survey in round_.surveys],
    ), status


def _preview_page(preview: response_import.ImportPreview, key: str):
    errors = {}
    if preview.unmapped:
        # Each column whose answers would be lost gets its own message, by its select.
        for index in preview.unmapped:
            column = preview.header[index] or "(no name)"
            errors[f"map-{index}"] = (
                f"Choose where the answers in ‘{column}’ go, or choose to leave the column out"
            )
    elif preview.problem:
        errors = {"map-0": preview.problem}
    page = render_template(
        "admin/response_import_preview.html",
        preview=preview,
        key=key,
        targets=response_import.targets(current_definition(preview.survey)),
        errors=errors,
    )
    return page, 422 if errors else 200


@blueprint.route("/rounds/<int:round_id>/import", methods=["GET", "POST"])
@role_required("officer")
def response_import_upload(round_id: int):
    """Upload a CSV or XLSX of earlier answers and preview it row by row."""
    round_ = rounds_admin.get_round(round_id)
    if request.method == "GET":
        return _upload_page(round_, {})
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _upload_page(round_, {"file": "Select a CSV or XLSX file"}, 422)
    data = upload.read()
    survey = request.form.get("survey") or None
    try:
        preview = response_import.preview(round_, upload.filename, data, survey_slug=survey)
    except InvalidInput as error:
        return _upload_page(round_, error.errors, 422)
    return _preview_page(preview, uploads.keep(KIND, upload.filename, data))


@blueprint.post("/rounds/<int:round_id>/import/confirm")
@role_required("officer")
def response_import_confirm(round_id: int):
    """Preview again with a changed mapping, or import the rows without problems."""
    round_ = rounds_admin.get_round(round_id)
    key = request.form.get("key", "")
    stored = uploads.fetch(KIND, key)
    if stored is None:
        flash("The upload has expired. Upload the file again", "info")
        return redirect(url_for("admin.response_import_upload", round_id=round_id))
    filename, data = stored
    mapping = [request.form.get(f"map-{n}", "") for n in range(MAX_COLUMNS)]
    survey = request.form.get("survey") or None
    try:
        preview = response_import.preview(
            round_, filename, data, mapping=mapping, survey_slug=survey
        )
    except InvalidInput:
        flash("The file could not be read. Upload it again", "info")
        return redirect(url_for("admin.response_import_upload", round_id=round_id))
    if request.form.get("action") != "import" or preview.problem:
        return _preview_page(preview, key)
    try:
        counts = response_import.apply(preview, officer=actor())
    except InvalidInput as error:
        db.session.rollback()
        flash(next(iter(error.errors.values()), str(error)), "info")
        return redirect(url_for("admin.response_import_upload", round_id=round_id))
    db.session.commit()
    uploads.discard(KIND, key)
    flash(
        f"{counts['new']} responses imported, {counts['already']} rows were already imported, "
        f"{counts['problems']} rows with problems were not imported",
        "success",
    )
    return redirect(url_for("admin.round_detail", round_id=round_id))
