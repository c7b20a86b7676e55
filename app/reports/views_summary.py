"""A round's lessons-learned summary page, and its downloads."""

from __future__ import annotations

from flask import Response, abort, render_template
from markupsafe import Markup

from analysis.summary import completed_line, responded_line, side_rows
from app.auth import role_required
from app.reports import blueprint
from app.reports.helpers import can_edit, round_or_404
from surveys.db import db
from surveys.models import THEME_KINDS
from surveys.services import rounds_admin, summaries, summary_store

DOWNLOADS = {
    "md": ("markdown", "text/markdown; charset=utf-8"),
    "json": ("json", "application/json"),
    "html": ("html", "text/html; charset=utf-8"),
}


@blueprint.get("/")
@role_required("viewer")
def index():
    """List every programme's rounds with links to their summaries."""
    return render_template("reports/index.html", programmes=rounds_admin.list_programmes())


@blueprint.get("/<round_slug>")
@role_required("viewer")
def summary(round_slug: str):
    """Show a round's lessons-learned summary with charts and their data tables."""
    round_ = round_or_404(round_slug)
    stored = summary_store.stored_summary(round_)
    db.session.commit()  # keep a summary computed here for the next reader
    result = stored.summary
    charts = {
        key: {
            "title": chart.title,
            # The SVG comes from analysis.charts, which escapes every label it draws.
            "svg": Markup(chart.svg),  # noqa: S704
            "headers": chart.headers,
            "rows": chart.rows,
        }
        for key, chart in summaries.summary_charts(result).items()
    }
    return render_template(
        "reports/summary.html",
        round=round_,
        summary=result,
        stored=stored,
        charts=charts,
        kinds=THEME_KINDS,
        completed_line=completed_line,
        responded_line=responded_line,
        side_rows=side_rows,
        can_edit=can_edit(),
    )


@blueprint.get("/<round_slug>/report.<extension>")
@role_required("viewer")
def download(round_slug: str, extension: str):
    """Download the summary as Markdown, JSON or a standalone HTML page."""
    if extension not in DOWNLOADS:
        abort(404)
    round_ = round_or_404(round_slug)
    fmt, mimetype = DOWNLOADS[extension]
    body = summary_store.render_stored(round_, fmt)
    db.session.commit()
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{round_.slug}-lessons-learned.{extension}"'
    )
    return response
