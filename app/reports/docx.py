"""The report as a Word document, for a team to paste into its evaluation report.

Renders the `RoundSummary` section by section with real headings, tables and quotes
(python-docx escapes text itself, so free text cannot become markup). The tables are the
same data tables the HTML shows beside its charts.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from docx import Document
from docx.document import Document as DocumentType

from analysis.summary_charts import Chart, summary_charts
from analysis.summary_model import RoundSummary
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
    theme_heading,
)

Writer = Callable[[DocumentType, RoundSummary], None]


def _bullets(doc: DocumentType, lines: Sequence[str]) -> None:
    for line in lines:
        doc.add_paragraph(line, style="List Bullet")


def _table(doc: DocumentType, chart: Chart) -> None:
    doc.add_paragraph(chart.title, style="Caption")
    table = doc.add_table(rows=1, cols=len(chart.headers))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, chart.headers, strict=True):
        cell.text = text
    for row in chart.rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def _key_findings(doc: DocumentType, s: RoundSummary) -> None:
    for finding in s.key_findings.findings:
        paragraph = doc.add_paragraph(style="List Bullet")
        paragraph.add_run(f"{finding.title}: ").bold = True
        paragraph.add_run(finding.text)


def _side(side: str) -> Writer:
    def write(doc: DocumentType, s: RoundSummary) -> None:
        if nothing := s.non_answer_line(side):
            doc.add_paragraph(nothing)
        themes = s.themes(side)
        if not themes:
            doc.add_paragraph("No answers in this section.")
        for theme in themes:
            doc.add_heading(theme_heading(theme.label, theme.count), level=2)
            for quote in theme.quotes:
                doc.add_paragraph(f"“{quote}”", style="Quote")

    return write


def _lessons(doc: DocumentType, s: RoundSummary) -> None:
    for lesson in s.lessons:
        doc.add_heading(lesson.theme_label, level=2)
        said = doc.add_paragraph()
        said.add_run("You said: ").bold = True
        said.add_run(lesson.lesson)
        if lesson.what_we_did:
            did = doc.add_paragraph()
            did.add_run("We did: ").bold = True
            did.add_run(lesson.what_we_did)
        _bullets(doc, [action_line(a) for a in lesson.actions])
        if improved := improved_line(lesson, s.k):
            doc.add_paragraph(improved)
        for quote in lesson.quotes:
            doc.add_paragraph(f"“{quote}”", style="Quote")


def _comparison(doc: DocumentType, s: RoundSummary) -> None:
    c = s.comparison
    assert c is not None  # noqa: S101 - the section is only listed with a comparison
    if note := open_note(c):
        doc.add_paragraph(note)
    for side in c.sides:
        doc.add_heading(side.title, level=2)
        for title, hint, items in side_rows(side):
            shown = ", ".join(change_text(t, bool(c.open_rounds)) for t in items)
            doc.add_paragraph(f"{title} ({hint}): {shown or 'none'}", style="List Bullet")
    doc.add_heading("Ratings and response rate", level=2)
    _bullets(doc, [*rating_shift_lines(c), rate_change_line(c)])


def _methodology(doc: DocumentType, s: RoundSummary) -> None:
    m = s.methodology
    lines = [
        f"Organisations contacted for feedback: {m.invited}",
        responded_line(m),
        completed_line(m),
    ]
    if m.partners_consulted:
        lines.append(f"Partners consulted: {m.partners_consulted}")
    _bullets(doc, lines)


def _nothing(doc: DocumentType, s: RoundSummary) -> None:
    return None


_SECTIONS: dict[str, Writer] = {
    "key_findings": _key_findings,
    "went_well": _side("went_well"),
    "improve": _side("improve"),
    "other": _side("other"),
    "lessons": _lessons,
    "comparison": _comparison,
    "ratings": _nothing,  # the ratings table says it all
    "sentiment": _nothing,
    "methodology": _methodology,
}


def summary_to_docx(s: RoundSummary) -> bytes:
    """Render the summary as a .docx file: headings, bullet lists, tables and quotes."""
    doc = Document()
    doc.core_properties.title = f"Lessons learned: {s.round.name}"
    doc.add_heading(f"Lessons learned: {s.round.name}", level=0)
    if s.round.is_open:
        doc.add_paragraph(f"{s.round.name} is still open: figures so far.")
    charts = summary_charts(s)
    for section in s.sections():
        doc.add_heading(section.title, level=1)
        tables = charts.get(section.key, [])
        if section.key == "methodology":  # the figures first, then the table by sector
            _SECTIONS[section.key](doc, s)
        for chart in tables:
            _table(doc, chart)
        if section.key != "methodology":
            _SECTIONS[section.key](doc, s)
    doc.add_paragraph(suppression_note(s.k))
    doc.add_paragraph(f"Sentiment tagger version {s.tagger_version}.")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
