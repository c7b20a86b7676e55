"""Who a response came from: its organisation, sector and respondent, by one rule everywhere.

An invited response is its contact's organisation's; an imported one carries the organisation
name and sector of its row in the earlier evaluation file (`imported_row`); an open-link one
may give its sector in its own `sector` answer. Summaries, answer search (and so plain-words
questions) and exports all read these columns, so a response has one sector wherever it shows.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, Text, and_, func, literal_column
from sqlalchemy.orm import aliased

from surveys.models import Answer, Contact, ImportedRow, Invitation, Organisation, Response

SECTOR_QUESTION_ID = "sector"
_SectorAnswer = aliased(Answer, name="sector_answer")


def json_text(value: ColumnElement, dialect: str) -> ColumnElement[str]:
    """Return a JSON answer value as plain (unescaped) text in this database's SQL."""
    if dialect == "postgresql":
        return value.op("#>>", return_type=Text)(literal_column("'{}'"))
    return func.json_extract(value, "$", type_=Text)


def with_respondent(query: Select) -> Select:
    """Outer-join, onto a query over Response, everything that says who the response is from."""
    return (
        query.outerjoin(Invitation, Invitation.id == Response.invitation_id)
        .outerjoin(Contact, Contact.id == Invitation.contact_id)
        .outerjoin(Organisation, Organisation.id == Contact.organisation_id)
        .outerjoin(ImportedRow, ImportedRow.response_id == Response.id)
        .outerjoin(
            _SectorAnswer,
            and_(
                _SectorAnswer.response_id == Response.id,
                _SectorAnswer.question_id == SECTOR_QUESTION_ID,
            ),
        )
    )


def sector(dialect: str) -> ColumnElement[str | None]:
    """The response's sector key: the invited organisation's, else the imported row's, else
    its own `sector` answer (an open link's). Needs `with_respondent`'s joins."""
    own = json_text(_SectorAnswer.value, dialect)
    return func.coalesce(Organisation.sector, ImportedRow.sector, own).label("sector")


def organisation_name() -> ColumnElement[str | None]:
    """The responding organisation's name: the invited one's, else the imported row's."""
    imported = func.nullif(func.trim(ImportedRow.organisation), "")
    return func.coalesce(Organisation.name, imported).label("organisation_name")


def respondent_key(organisation_id: int | None, name: str | None, response_id: int) -> str:
    """Say who one respondent is, for counting respondents: an invited organisation, an
    imported organisation by its name, or else the response on its own."""
    if organisation_id is not None:
        return f"org-{organisation_id}"
    if name and name.strip():
        return "import-" + " ".join(name.casefold().split())
    return f"response-{response_id}"
