"""Exports of a round's submitted responses: one row each, one column per question.

Rows are produced one at a time (CSV lines or a write-only XLSX), so a large round is
never held in memory. Cells that a spreadsheet would read as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from surveys.db import db
from surveys.models import CHANNELS, SECTORS, Invitation, Response, ResponseStatus, Round, Survey
from surveys.services import audit

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FIXED_COLUMNS = ("Reference", "Survey", "Organisation", "Sector", "Channel", "Submitted (UTC)")
BATCH = 200


def neutralise(value: Any) -> str:
    """Return a cell's text, prefixed with ' when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    # Spreadsheets skip leading spaces (and other whitespace) before a formula: " =3+3".
    if text.lstrip(" \t\r\n\u00a0\u3000").startswith(FORMULA_STARTS) or text[:1] in ("\t", "\r"):
        return "'" + text
    return text


def _definitions(round_: Round):
    from surveys.definitions import definition_of

    for survey in round_.surveys:
        for version in survey.versions:
            yield definition_of(version.definition)


def question_columns(round_: Round) -> list[tuple[str, str]]:
    """Return (question id, question text) for every question in the round's surveys."""
    columns: dict[str, str] = {}
    for definition in _definitions(round_):
        for page in definition.pages:
            for question in page.questions:
                columns.setdefault(question.id, question.text)
    return list(columns.items())


def header(round_: Round) -> list[str]:
    """Return the export's header row."""
    return [*FIXED_COLUMNS, *(text for _, text in question_columns(round_))]


def _responses(round_: Round) -> Iterator[Response]:
    last_id = 0
    while True:
        batch = list(
            db.session.scalars(
                select(Response)
                .join(Survey, Response.survey_id == Survey.id)
                .where(
                    Survey.round_id == round_.id,
                    Response.status == ResponseStatus.SUBMITTED,
                    Response.id > last_id,
                )
                .options(
                    selectinload(Response.answers),
                    selectinload(Response.origin),
                    selectinload(Response.invitation).selectinload(Invitation.contact),
                )
                .order_by(Response.id)
                .limit(BATCH)
            )
        )
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id
        # Let the batch go: keep memory flat on large rounds.
        for response in batch:
            db.session.expunge(response)


def rows(round_: Round) -> Iterator[list[str]]:
    """Yield one neutralised row per submitted response (header first)."""
    from surveys.services.responses import answers_of, definition_for

    columns = question_columns(round_)
    yield [neutralise(cell) for cell in header(round_)]
    surveys = {survey.id: survey.title for survey in round_.surveys}
    for response in _responses(round_):
        definition = definition_for(response)
        answers = answers_of(response)
        organisation = sector = ""
        if response.invitation is not None:
            org = response.invitation.contact.organisation
            organisation, sector = org.name, SECTORS.get(org.sector, org.sector)
        elif response.origin is not None:  # an imported row's own organisation and sector
            organisation = response.origin.organisation
            sector = SECTORS.get(response.origin.sector or "", "")
        cells = [
            response.reference,
            surveys.get(response.survey_id, ""),
            organisation,
            sector,
            CHANNELS.get(response.channel, response.channel),
            response.submitted_at.strftime("%Y-%m-%d %H:%M:%S") if response.submitted_at else "",
        ]
        for question_id, _ in columns:
            question = definition.question(question_id) if _has(definition, question_id) else None
            value = answers.get(question_id)
            cells.append(
                question.display(value)
                if question is not None
                else ("" if value is None else str(value))
            )
        yield [neutralise(cell) for cell in cells]


def _has(definition, question_id: str) -> bool:
    return any(q.id == question_id for page in definition.pages for q in page.questions)


def csv_lines(round_: Round) -> Iterator[str]:
    """Yield the export as CSV text, one line at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows(round_):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def write_xlsx(round_: Round, target: IO[bytes]) -> None:
    """Write the export as an XLSX workbook, streaming rows into a write-only sheet."""
    from openpyxl import Workbook  # loaded on first use

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=round_.slug[:31] or "Responses")
    for row in rows(round_):
        sheet.append(row)
    workbook.save(target)


def record_export(round_: Round, export_format: str, *, actor=None, via: str = "web") -> None:
    """Note an export in the audit log."""
    audit.record("export.responses", actor=actor, target=round_, format=export_format, via=via)
