"""Responses (list, detail, withdrawal), exports and the data-protection pages."""

from __future__ import annotations

import io
import json
import tempfile

from flask import (
    Response as FlaskResponse,
)
from flask import (
    flash,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)

from app.admin import blueprint
from app.admin.forms import EraseContactForm
from app.admin.helpers import actor
from app.auth import role_required
from app.extensions import db
from surveys.errors import InvalidInput
from surveys.models import CHANNELS, SECTORS
from surveys.services import contacts as contact_service
from surveys.services import exports, officers, privacy, rounds_admin, tracking
from surveys.services.walk import Walk


@blueprint.get("/responses", endpoint="responses")
@role_required("viewer")
def responses_list():
    """List responses a page at a time, filtered by round, survey, sector, channel, status, date."""
    page = tracking.response_listing().page(request.args)
    return render_template(
        "admin/responses.html",
        page=page,
        errors=page.errors,
        round_choices=[(r.id, r.name) for r in rounds_admin.list_rounds()],
        survey_choices=tracking.survey_choices(),
        officer_choices=officers.officer_choices(),
        sectors=SECTORS,
        channels=CHANNELS,
        status_choices=[("draft", "Draft"), ("submitted", "Submitted"), ("withdrawn", "Withdrawn")],
    )


@blueprint.get("/responses/<int:response_id>")
@role_required("viewer")
def response_detail(response_id: int):
    """Show one response's answers (escaped, as all respondent text is)."""
    response = tracking.get_response(response_id)
    rows = [(row.question.text, row.answer) for row in Walk(response).check_rows()]
    return render_template(
        "admin/response.html",
        response=response,
        rows=rows,
        channels=CHANNELS,
        origin=response.origin,
        sectors=SECTORS,
        errors={},
    )


@blueprint.post("/responses/<int:response_id>/withdraw")
@role_required("officer")
def response_withdraw(response_id: int):
    """Withdraw a response (kept, and noted in the audit log)."""
    response = tracking.get_response(response_id)
    try:
        tracking.withdraw_response(response, actor=actor())
    except InvalidInput:
        db.session.rollback()
        flash("This response is already withdrawn", "info")
    else:
        db.session.commit()
        flash(f"Response {response.reference} withdrawn", "success")
    return redirect(url_for("admin.response_detail", response_id=response_id))


@blueprint.get("/rounds/<int:round_id>/export.<format>")
@role_required("viewer")
def round_export(round_id: int, format: str):
    """Download a round's submitted responses as CSV (streamed) or XLSX."""
    round_ = rounds_admin.get_round(round_id)
    if format not in ("csv", "xlsx"):
        return "Unknown format", 404
    exports.record_export(round_, format, actor=actor(), via="web")
    db.session.commit()
    filename = f"{round_.slug}-responses.{format}"
    if format == "csv":
        return FlaskResponse(
            stream_with_context(_csv_lines(round_id)),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    # openpyxl's write-only mode writes rows to a temporary file, not memory.
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    exports.write_xlsx(round_, spool)
    spool.seek(0)
    return send_file(
        spool,
        as_attachment=True,
        download_name=filename,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _csv_lines(round_id: int):
    # The view's session is gone by the time the body streams: load the round afresh.
    yield from exports.csv_lines(rounds_admin.get_round(round_id))


@blueprint.get("/contacts/<int:contact_id>/data.json")
@role_required("admin")
def contact_data_export(contact_id: int):
    """Download everything held about a contact as JSON."""
    contact = contact_service.get_contact(contact_id)
    data = privacy.contact_data(contact, actor=actor())
    db.session.commit()
    body = io.BytesIO(json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"))
    return send_file(
        body,
        as_attachment=True,
        download_name=f"contact-{contact_id}.json",
        mimetype="application/json",
    )


@blueprint.route("/contacts/<int:contact_id>/erase", methods=["GET", "POST"])
@role_required("admin")
def contact_erase(contact_id: int):
    """Confirm, then erase a contact's personal data."""
    contact = contact_service.get_contact(contact_id)
    form = EraseContactForm()
    if form.validate_on_submit():
        privacy.erase_contact(contact, actor=actor())
        db.session.commit()
        privacy.compact_after_erasure()
        flash("The contact's personal data has been erased", "success")
        return redirect(url_for("admin.contacts"))
    errors = form.error_summary()
    return render_template("admin/erase.html", contact=contact, form=form, errors=errors), (
        422 if errors else 200
    )
