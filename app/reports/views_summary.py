"""A round's lessons-learned summary page, and its downloads."""

from __future__ import annotations

from flask import Response, abort, render_template

from app.auth import role_required
from app.reports import blueprint
from app.reports.helpers import can_edit, round_or_404
from app.reports.render import BY_EXTENSION, render, template_context
from surveys.db import db
from surveys.services import rounds_admin, summary_store


@blueprint.get("/")
@role_required("viewer")
def index():
    """List every programme's rounds with links to their summaries."""
    return render_template("reports/index.html", programmes=rounds_admin.list_programmes())


@blueprint.get("/<round_slug>")
@role_required("viewer")
def summary(round_slug: str):
    """Show a round's lessons-learned report: key findings first, then the sections."""
    round_ = round_or_404(round_slug)
    stored = summary_store.stored_summary(round_)
    db.session.commit()  # keep a summary computed here for the next reader
    return render_template(
        "reports/summary.html",
        round=round_,
        stored=stored,
        can_edit=can_edit(),
        **template_context(stored.summary),
    )


@blueprint.get("/<round_slug>/report.<extension>")
@role_required("viewer")
def download(round_slug: str, extension: str):
    """Download the summary as Word, HTML, Markdown or JSON, from the stored copy."""
    if extension not in BY_EXTENSION:
        abort(404)
    round_ = round_or_404(round_slug)
    fmt = BY_EXTENSION[extension]
    body = render(summary_store.stored_summary(round_).summary, fmt.name)
    db.session.commit()
    response = Response(body, content_type=fmt.content_type)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{round_.slug}-lessons-learned.{extension}"'
    )
    return response
