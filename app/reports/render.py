"""Render a stored round summary in each download format: Markdown, JSON, HTML and Word.

Each renderer only renders the `RoundSummary` model: Markdown from `analysis`, the HTML page
and download from the same Jinja partial, the Word file from `app.reports.docx`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import render_template
from markupsafe import Markup

from analysis.summary_charts import summary_charts
from analysis.summary_markdown import summary_to_markdown
from analysis.summary_model import RoundSummary, summary_to_dict
from analysis.summary_text import (
    action_line,
    change_text,
    completed_line,
    improved_line,
    open_note,
    rate_change_line,
    rating_shift_lines,
    responded_line,
    side_rows,
    suppression_note,
)
from surveys.errors import InvalidInput


@dataclass(frozen=True)
class Format:
    """A download format: the file extension and the Content-Type it is sent with."""

    name: str
    extension: str
    content_type: str


FORMATS = {
    f.name: f
    for f in (
        Format("markdown", "md", "text/markdown; charset=utf-8"),
        Format("json", "json", "application/json"),
        Format("html", "html", "text/html; charset=utf-8"),
        Format(
            "docx",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    )
}
BY_EXTENSION = {f.extension: f for f in FORMATS.values()}


def chart_context(summary: RoundSummary) -> dict[str, list[dict[str, Any]]]:
    """Return the report's charts for a template, each SVG marked safe."""
    return {
        section: [
            {
                "key": chart.key,
                "title": chart.title,
                # The SVG comes from analysis.charts, which escapes every label it draws.
                "svg": Markup(chart.svg),  # noqa: S704
                "headers": chart.headers,
                "rows": chart.rows,
            }
            for chart in charts
        ]
        for section, charts in summary_charts(summary).items()
    }


def template_context(summary: RoundSummary) -> dict[str, Any]:
    """Return what the report partial needs: the summary, its charts and the shared phrases."""
    return {
        "summary": summary,
        "charts": chart_context(summary),
        "phrases": {
            "action": action_line,
            "change": change_text,
            "completed": completed_line,
            "improved": improved_line,
            "open_note": open_note,
            "rate_change": rate_change_line,
            "rating_shifts": rating_shift_lines,
            "responded": responded_line,
            "side_rows": side_rows,
            "suppression": suppression_note,
        },
    }


def render(summary: RoundSummary, fmt: str) -> str | bytes:
    """Render a summary as Markdown, JSON, a standalone HTML page or a Word document."""
    if fmt not in FORMATS:
        raise InvalidInput(f"Unknown format {fmt!r}; use {', '.join(FORMATS)}.")
    if fmt == "markdown":
        return summary_to_markdown(summary)
    if fmt == "json":
        return json.dumps(summary_to_dict(summary), indent=2, ensure_ascii=False) + "\n"
    if fmt == "docx":
        from app.reports.docx import summary_to_docx  # python-docx loads only when asked

        return summary_to_docx(summary)
    return render_template("reports/standalone.html", **template_context(summary))
