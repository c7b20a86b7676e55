"""Importing contacts from CSV or XLSX: a preview of every row's problems, then the save.

Columns: organisation, sector, name, email, phone, role, slack_user_id (any order, any case).
Rows whose email matches an existing contact update that contact (merged by email).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from surveys.db import db
from surveys.errors import InvalidInput
from surveys.models import Contact, Officer
from surveys.services import audit
from surveys.services.contacts import (
    ContactFields,
    _apply,
    contact_by_email,
    contact_by_slack_user,
    length_errors,
    normalise_email,
    role_key,
    sector_key,
)

COLUMNS = ("organisation", "sector", "name", "email", "phone", "role", "slack_user_id")
REQUIRED = ("organisation", "sector", "name")
MAX_ROWS = 5000


@dataclass
class ImportRow:
    """One row of the file, with what would happen to it and why not."""

    number: int
    fields: ContactFields
    problems: list[str] = field(default_factory=list)
    action: str = "add"  # add, update (merge by email) or skip

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ImportPreview:
    rows: list[ImportRow]

    @property
    def valid_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.ok]

    @property
    def problem_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.ok]


def _read_csv(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return [row for row in csv.reader(io.StringIO(text))]


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook  # loaded on first use

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [
            ["" if cell is None else str(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    finally:
        workbook.close()


def read_numbered(
    filename: str, data: bytes, max_rows: int = MAX_ROWS
) -> list[tuple[int, list[str]]]:
    """Read a CSV or XLSX file's non-blank rows with their row numbers in the file, header first.

    Raises InvalidInput (field `file`) for a file that is not CSV or XLSX, is unreadable,
    empty or too long.
    """
    name = filename.lower()
    try:
        if name.endswith(".xlsx"):
            table = _read_xlsx(data)
        elif name.endswith(".csv"):
            table = _read_csv(data)
        else:
            raise InvalidInput("Bad type", {"file": "The selected file must be a CSV or XLSX"})
    except (UnicodeDecodeError, csv.Error, OSError, KeyError, ValueError) as error:
        if isinstance(error, InvalidInput):
            raise
        raise InvalidInput("Unreadable", {"file": "The selected file could not be read"}) from None
    numbered = [(n, row) for n, row in enumerate(table, start=1) if any(c.strip() for c in row)]
    if not numbered:
        raise InvalidInput("Empty", {"file": "The selected file is empty"})
    if len(numbered) - 1 > max_rows:
        raise InvalidInput("Too big", {"file": f"The file must have {max_rows} rows or fewer"})
    return numbered


def read_rows(filename: str, data: bytes) -> list[dict[str, str]]:
    """Read a CSV or XLSX file into dicts keyed by the known column names."""
    table = [cells for _, cells in read_numbered(filename, data)]
    header = [cell.strip().lower().replace(" ", "_") for cell in table[0]]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise InvalidInput(
            "Missing columns",
            {"file": "The first row must name the columns; missing: " + ", ".join(missing)},
        )
    rows = []
    for cells in table[1:]:
        record = {column: "" for column in COLUMNS}
        for index, column in enumerate(header):
            if column in record and index < len(cells):
                record[column] = (cells[index] or "").strip()
        rows.append(record)
    return rows


def preview(filename: str, data: bytes) -> ImportPreview:
    """Check every row of a file without saving anything."""
    seen_emails: dict[str, int] = {}
    seen_slack_users: dict[str, int] = {}
    rows: list[ImportRow] = []
    for number, record in enumerate(read_rows(filename, data), start=2):
        fields = ContactFields(**record)
        row = ImportRow(number=number, fields=fields)
        for column in REQUIRED:
            if not record[column]:
                row.problems.append(f"No {column.replace('_', ' ')}")
        if record["sector"] and sector_key(record["sector"]) is None:
            row.problems.append(f"Unknown sector ‘{record['sector']}’")
        if role_key(record["role"]) is None:
            row.problems.append(f"Unknown role ‘{record['role']}’")
        row.problems.extend(length_errors(fields).values())
        email, problem = normalise_email(record["email"])
        existing = None
        if problem:
            row.problems.append(f"Bad email address ‘{record['email']}’")
        elif email:
            if email in seen_emails:
                row.problems.append(f"Duplicate of row {seen_emails[email]} (same email)")
            else:
                seen_emails[email] = number
                existing = contact_by_email(email)
                if existing is not None:
                    if existing.erased_at is not None:
                        row.problems.append("This contact was erased")
                    else:
                        row.action = "update"
        slack_user = record["slack_user_id"]
        if slack_user:
            holder = contact_by_slack_user(slack_user)
            if slack_user in seen_slack_users:
                row.problems.append(
                    f"Duplicate of row {seen_slack_users[slack_user]} (same Slack user)"
                )
            elif holder is not None and holder is not existing:
                row.problems.append("Another contact already has this Slack user")
            else:
                seen_slack_users[slack_user] = number
        if not row.ok:
            row.action = "skip"
        rows.append(row)
    return ImportPreview(rows=rows)


def apply(preview_: ImportPreview, *, actor: Officer | None = None) -> dict[str, int]:
    """Save a preview's valid rows: add new contacts, merge those matched by email."""
    counts = {"added": 0, "updated": 0, "skipped": len(preview_.problem_rows)}
    for row in preview_.valid_rows:
        contact = contact_by_email(row.fields.email) if row.fields.email else None
        if contact is None:
            contact = Contact()
            counts["added"] += 1
        else:
            counts["updated"] += 1
        merged = row.fields
        if contact.id is not None and not merged.slack_user_id and contact.slack_user_id:
            merged = ContactFields(**{**merged.__dict__, "slack_user_id": contact.slack_user_id})
        if contact.id is not None and not merged.phone and contact.phone:
            merged = ContactFields(**{**merged.__dict__, "phone": contact.phone})
        _apply(contact, merged)
        db.session.add(contact)
        db.session.flush()
    audit.record(
        "contacts.imported",
        actor=actor,
        rows=len(preview_.rows),
        count=counts["added"] + counts["updated"],
    )
    return counts
