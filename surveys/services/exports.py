"""Exports of a round's submitted responses: one row each, one column per question.

Rows are produced one at a time (CSV lines or a write-only XLSX), so a large round is
never held in memory. Cells that a spreadsheet would read as a formula are neutralised.
Made for Excel: the CSV starts with a byte-order mark, every rating has a numeric score
column beside its label, and the workbook has one sheet per survey.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from surveys.db import db
from surveys.models import CHANNELS, SECTORS, Response, ResponseStatus, Round, Survey
from surveys.services import audit, respondents

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FIXED_COLUMNS = ("Reference", "Survey", "Organisation", "Sector", "Channel", "Submitted (UTC)")
WIDTHS = {"Reference": 12, "Survey": 30, "Organisation": 32, "Submitted (UTC)": 20}
BATCH = 200
BYTE_ORDER_MARK = "\ufeff"
Cell = str | int | float | None


def neutralise(value: Any) -> str:
    """Return a cell's text, prefixed with ' when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    # Spreadsheets skip leading spaces (and other whitespace) before a formula: " =3+3".
    if text.lstrip(" \t\r\n\u00a0\u3000").startswith(FORMULA_STARTS) or text[:1] in ("\t", "\r"):
        return "'" + text
    return text


@dataclass(frozen=True)
class Column:
    """One exported column: a fixed field, a question's answer, or a rating's score."""

    header: str
    question_id: str = ""
    score: bool = False  # the rating's number, beside its label, for sums and averages
    width: int = 14


def _questions(surveys: list[Survey]):
    from surveys.definitions import definition_of

    for survey in surveys:
        for version in survey.versions:
            for page in definition_of(version.definition).pages:
                yield from page.questions


def columns(surveys: list[Survey]) -> list[Column]:
    """Return the export's columns for these surveys: fixed fields, then each question."""
    found: dict[str, list[Column]] = {}
    for question in _questions(surveys):
        if question.id in found:
            continue
        width = 60 if question.type_name == "long_text" else min(40, max(14, len(question.text)))
        found[question.id] = [Column(question.text, question.id, width=width)]
        if question.type_name == "rating":
            found[question.id].append(Column(f"{question.text} (score)", question.id, True))
    fixed = [Column(name, width=WIDTHS.get(name, 14)) for name in FIXED_COLUMNS]
    return fixed + [column for group in found.values() for column in group]


def _responses(survey_ids: list[int]) -> Iterator[tuple[Response, str, str]]:
    """Yield each submitted response with its organisation's name and its sector key."""
    last_id = 0
    dialect = db.engine.dialect.name
    while survey_ids:
        query = select(
            Response, respondents.organisation_name(), respondents.sector(dialect)
        ).options(selectinload(Response.answers))
        batch = db.session.execute(
            respondents.with_respondent(query)
            .where(
                Response.survey_id.in_(survey_ids),
                Response.status == ResponseStatus.SUBMITTED,
                Response.id > last_id,
            )
            .order_by(Response.id)
            .limit(BATCH)
        ).all()
        if not batch:
            return
        for response, organisation, sector in batch:
            yield response, organisation or "", sector or ""
        last_id = batch[-1][0].id
        # Let the batch go: keep memory flat on large rounds.
        for row in batch:
            db.session.expunge(row[0])


def _score(value: Any) -> int | float | None:
    """A rating's number, or None for "not applicable" and blanks."""
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def rows(round_: Round, survey: Survey | None = None) -> Iterator[list[Cell]]:
    """Yield one neutralised row per submitted response (header first): the whole round's,
    or one survey's. Text cells are strings; ratings' scores are numbers or None."""
    from surveys.services.responses import answers_of, definition_for

    surveys = [survey] if survey is not None else list(round_.surveys)
    wanted = columns(surveys)
    yield [neutralise(column.header) for column in wanted]
    titles = {each.id: each.title for each in surveys}
    for response, organisation, sector in _responses([each.id for each in surveys]):
        definition = definition_for(response)
        answers = answers_of(response)
        asked = {q.id: q for page in definition.pages for q in page.questions}
        cells: list[Cell] = [
            response.reference,
            titles.get(response.survey_id, ""),
            organisation,
            SECTORS.get(sector, sector),
            CHANNELS.get(response.channel, response.channel),
            response.submitted_at.strftime("%Y-%m-%d %H:%M:%S") if response.submitted_at else "",
        ]
        for column in wanted[len(FIXED_COLUMNS) :]:
            value = answers.get(column.question_id)
            question = asked.get(column.question_id)
            if column.score:
                cells.append(_score(value))
            elif question is not None:
                cells.append(question.display(value))
            else:
                cells.append("" if value is None else str(value))
        yield [
            cell if cell is None or isinstance(cell, int | float) else neutralise(cell)
            for cell in cells
        ]


def csv_lines(round_: Round) -> Iterator[str]:
    """Yield the export as CSV text, one line at a time, the first starting with a byte-order
    mark so that Excel reads it as UTF-8."""
    buffer = io.StringIO()
    buffer.write(BYTE_ORDER_MARK)
    writer = csv.writer(buffer)
    for row in rows(round_):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def sheet_titles(surveys: list[Survey]) -> list[str]:
    """Return a distinct worksheet name for each survey (at most 31 characters, no []:*?/\\)."""
    titles: list[str] = []
    for survey in surveys:
        base = re.sub(r"[\[\]:*?/\\]", " ", survey.title).strip()[:31] or "Responses"
        title, number = base, 2
        while title.casefold() in (each.casefold() for each in titles):
            suffix = f" ({number})"
            title, number = base[: 31 - len(suffix)] + suffix, number + 1
        titles.append(title)
    return titles


def write_xlsx(round_: Round, target: IO[bytes]) -> None:
    """Write the export as an XLSX workbook: one sheet per survey, its header row bold,
    frozen and filtered, rows streamed into write-only sheets."""
    from openpyxl import Workbook  # loaded on first use
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    surveys = list(round_.surveys)
    for survey, title in zip(surveys, sheet_titles(surveys), strict=True):
        sheet = workbook.create_sheet(title=title)
        wanted = columns([survey])
        for index, column in enumerate(wanted, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = "A2"
        survey_rows = rows(round_, survey)
        sheet.append(_bold(sheet, next(survey_rows)))
        count = 1
        for row in survey_rows:
            sheet.append(row)
            count += 1
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(wanted))}{count}"
    if not surveys:
        workbook.create_sheet(title="Responses").append(["This round has no surveys."])
    workbook.save(target)


def _bold(sheet, row: list[Cell]) -> list:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cells = [WriteOnlyCell(sheet, value=value) for value in row]
    for cell in cells:
        cell.font = Font(bold=True)
    return cells


def record_export(round_: Round, export_format: str, *, actor=None, via: str = "web") -> None:
    """Note an export in the audit log."""
    audit.record("export.responses", actor=actor, target=round_, format=export_format, via=via)
