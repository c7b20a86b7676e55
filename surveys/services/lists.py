"""Numbered pages for officers' lists (responses, contacts, audit, chase list): filter, sort, page.

A `Listing` is a base query plus the filters and sort orders a list offers. It reads them
from plain query-string values (`survey=3&sort=submitted&order=descending&page=2`), so every
face can hand over what it was given: unknown keys are ignored, a filter that cannot be
read says why in `Page.errors`, and a page past the end shows the last one.

The JSON API pages differently: `surveys.services.cursor_pages` gives the next rows by id
after a cursor (stable while rows are added, no total, no chosen sort), from filters its
schemas have already typed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select

from surveys.db import db

PER_PAGE = 25
ASCENDING, DESCENDING = "ascending", "descending"

# A filter turns a non-empty query-string value into a WHERE clause, or raises
# ValueError with a message for the officer.
Filter = Callable[[str], ColumnElement[bool]]


@dataclass(frozen=True)
class Sort:
    """A column a list may be sorted on, and the order a first click gives."""

    column: Any
    first_order: str = ASCENDING


@dataclass(frozen=True)
class Page:
    """One page of a list, with what was asked for so the face can link to the others."""

    items: list[Any]
    total: int
    number: int
    per_page: int
    sort: str
    order: str
    filters: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    first_orders: dict[str, str] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_item(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_item(self) -> int:
        return min(self.total, self.number * self.per_page)


@dataclass(frozen=True)
class Listing:
    """A base query and the filters and sorts officers may apply to it."""

    query: Select
    sorts: Mapping[str, Sort]
    default_sort: str
    tiebreak: Any
    filters: Mapping[str, Filter] = field(default_factory=dict)

    def _filtered(self, args: Mapping[str, str]) -> tuple[Select, dict[str, str], dict[str, str]]:
        query, applied, errors = self.query, {}, {}
        for name, make_clause in self.filters.items():
            value = (args.get(name) or "").strip()
            if not value:
                continue
            try:
                query = query.where(make_clause(value))
            except ValueError as error:
                errors[name] = str(error)
            else:
                applied[name] = value
        return query, applied, errors

    def _sort(self, args: Mapping[str, str]) -> tuple[str, str]:
        key = args.get("sort") or ""
        if key not in self.sorts:
            key = self.default_sort
        order = args.get("order") or self.sorts[key].first_order
        return key, order if order in (ASCENDING, DESCENDING) else ASCENDING

    def _ordered(self, query: Select, key: str, order: str) -> Select:
        column = self.sorts[key].column
        if order == DESCENDING:
            return query.order_by(column.desc().nulls_last(), self.tiebreak.desc())
        return query.order_by(column.asc().nulls_last(), self.tiebreak)

    def all(self, args: Mapping[str, str]) -> list[Any]:
        """Return every row that matches, in the asked-for order (for an export)."""
        query, _applied, _errors = self._filtered(args)
        return list(db.session.scalars(self._ordered(query, *self._sort(args))))

    def page(self, args: Mapping[str, str], per_page: int = PER_PAGE) -> Page:
        """Return the asked-for page of the matching rows."""
        query, applied, errors = self._filtered(args)
        key, order = self._sort(args)
        total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
        pages = max(1, math.ceil((total or 0) / per_page))
        number = min(max(_whole_number(args.get("page")), 1), pages)
        rows = db.session.scalars(
            self._ordered(query, key, order).limit(per_page).offset((number - 1) * per_page)
        )
        first_orders = {name: sort.first_order for name, sort in self.sorts.items()}
        return Page(
            list(rows), total or 0, number, per_page, key, order, applied, errors, first_orders
        )


def _whole_number(text: str | None) -> int:
    return int(text) if text and text.isdigit() and len(text) < 9 else 1


def one_of(column: Any, allowed: Mapping[str, Any] | tuple[str, ...]) -> Filter:
    """A filter on a column whose value must be one of the allowed keys."""

    def clause(value: str) -> ColumnElement[bool]:
        if value not in allowed:
            raise ValueError("Choose one of the options")
        return column == value

    return clause


def an_id(column: Any) -> Filter:
    """A filter on a record's id."""

    def clause(value: str) -> ColumnElement[bool]:
        if not value.isdigit() or len(value) > 12:
            raise ValueError("Choose one of the options")
        return column == int(value)

    return clause


def on_or_after(column: Any) -> Filter:
    """A filter keeping rows on or after a date (YYYY-MM-DD, UTC)."""
    return lambda value: column >= _start_of(value)


def on_or_before(column: Any) -> Filter:
    """A filter keeping rows on or before a date (YYYY-MM-DD, UTC)."""
    return lambda value: column < _start_of(value) + timedelta(days=1)


def _start_of(text: str) -> datetime:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError("Enter a real date, like 2027-01-05") from None
    return datetime.combine(day, time(0, 0), tzinfo=UTC)
