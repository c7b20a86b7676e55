"""Cursor pages for the JSON API: each page is the next rows, by id, after the last one seen.

Keyset paging on the primary key: a page never repeats or skips a row when rows are added
between requests, and costs the same on the hundredth page as on the first. The order is
always by id (a cursor needs one fixed order) and the filters take values the API's schemas
have already checked and typed, so they are plain keyword arguments.

Officers' pages page differently: `surveys.services.lists` (a `Listing`) reads filters from
query-string text with messages for the officer, sorts on a chosen column and numbers its
pages, with a total. The two are kept apart because neither order nor input is shared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from surveys.db import db
from surveys.models import (
    Contact,
    Invitation,
    Lesson,
    Organisation,
    Programme,
    Response,
    Round,
    Survey,
    Theme,
)
from surveys.services.contacts import current_contacts

T = TypeVar("T")


@dataclass(frozen=True)
class CursorPage(Generic[T]):
    """One page of records and the cursor (last id) to ask for the next, if any."""

    items: list[T]
    next_after: int | None


def page(query: Select[Any], after: int | None, limit: int) -> CursorPage[Any]:
    """Return the rows of a select of one model after the id `after`, in id order."""
    model = query.column_descriptions[0]["entity"]
    if after is not None:
        query = query.where(model.id > after)
    rows = list(db.session.scalars(query.order_by(model.id).limit(limit + 1)))
    return _cut(rows, limit)


def page_list(items: Sequence[T], after: int | None, limit: int) -> CursorPage[T]:
    """Page a short list already read by a service, in the same way as `page`."""
    rows = sorted((item for item in items if after is None or _id(item) > after), key=_id)
    return _cut(rows[: limit + 1], limit)


def _id(item: Any) -> int:
    return item.id if hasattr(item, "id") else item.theme.id


def _cut(rows: list[T], limit: int) -> CursorPage[T]:
    more = len(rows) > limit
    rows = rows[:limit]
    return CursorPage(rows, _id(rows[-1]) if more and rows else None)


def _equal_where_given(query: Select[Any], *pairs: tuple[Any, Any]) -> Select[Any]:
    """Keep rows whose column equals each value given; None or "" filters nothing."""
    for column, value in pairs:
        if value is not None and value != "":
            query = query.where(column == value)
    return query


def programmes() -> Select[Any]:
    return select(Programme)


def rounds(programme_id: int | None = None, status: str = "") -> Select[Any]:
    return _equal_where_given(
        select(Round), (Round.programme_id, programme_id), (Round.status, status)
    )


def surveys(round_id: int | None = None) -> Select[Any]:
    return _equal_where_given(select(Survey), (Survey.round_id, round_id))


def contacts(sector: str = "", role: str = "") -> Select[Any]:
    """Contacts not erased, with their organisations."""
    query = current_contacts()
    return _equal_where_given(query, (Organisation.sector, sector), (Contact.role, role))


def invitations(survey_id: int | None = None, status: str = "") -> Select[Any]:
    return _equal_where_given(
        select(Invitation), (Invitation.survey_id, survey_id), (Invitation.status, status)
    )


def responses(
    *,
    round_id: int | None = None,
    survey_id: int | None = None,
    status: str = "",
    channel: str = "",
    updated_since: datetime | None = None,
) -> Select[Any]:
    """Responses with their answers, filtered."""
    query = select(Response).options(selectinload(Response.answers))
    if round_id is not None:
        query = query.join(Survey, Survey.id == Response.survey_id).where(
            Survey.round_id == round_id
        )
    if updated_since is not None:
        query = query.where(Response.updated_at >= updated_since)
    return _equal_where_given(
        query,
        (Response.survey_id, survey_id),
        (Response.status, status),
        (Response.channel, channel),
    )


def themes(programme_id: int) -> Select[Any]:
    """The programme's codebook, merged themes included (they point at their target)."""
    return select(Theme).where(Theme.programme_id == programme_id)


def lessons(round_id: int | None = None) -> Select[Any]:
    query = select(Lesson).options(selectinload(Lesson.actions))
    return _equal_where_given(query, (Lesson.round_id, round_id))
