"""Searching submitted free-text answers by words, round, sector and sentiment.

The officers' search page and the Slack bot ("what did voluntary-sector providers say about
the timeframe in phase 2?") both call `search_answers`. Matching is a case-insensitive
substring match of every word, done in SQL on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, Text, func, literal_column, select

from surveys.db import db
from surveys.errors import InvalidInput
from surveys.models import (
    SECTORS,
    Answer,
    Contact,
    Invitation,
    Organisation,
    Response,
    Round,
    Survey,
    Theme,
)
from surveys.models._base import SENTIMENT_LABELS

MAX_LIMIT = 100
MAX_WORDS = 10


@dataclass(frozen=True)
class SearchItem:
    """One matching answer, with what a reader needs to place it."""

    answer_id: int
    text: str
    label: str | None
    kind: str | None
    sector: str | None
    sector_label: str | None
    round_slug: str
    round_name: str
    question_id: str
    response_reference: str
    theme_label: str | None


@dataclass(frozen=True)
class SearchPage:
    """A page of results, the total number of matches and where the next page starts."""

    items: list[SearchItem]
    total: int
    next_offset: int | None


def answer_text(dialect: str) -> ColumnElement[str]:
    """Return the answer's JSON value as plain (unescaped) text in this database's SQL."""
    if dialect == "postgresql":
        return Answer.value.op("#>>", return_type=Text)(literal_column("'{}'"))
    return func.json_extract(Answer.value, "$", type_=Text)


def search_words(words: str) -> list[str]:
    """Split a query into the words every match must contain."""
    found = [w for w in re.split(r"\s+", (words or "").strip()) if w]
    return found[:MAX_WORDS]


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _sector_key(sector: str | None) -> str | None:
    if not sector:
        return None
    wanted = sector.strip().lower()
    for key, label in SECTORS.items():
        if wanted in (key, label.lower()) or label.lower().startswith(wanted):
            return key
    raise InvalidInput(f"Unknown sector: {sector}.", {"sector": "Choose a sector"})


def search_answers(
    words: str,
    *,
    round_slug: str | None = None,
    sector: str | None = None,
    sentiment: str | None = None,
    offset: int = 0,
    limit: int = 10,
) -> SearchPage:
    """Find submitted free-text answers containing every word, newest rounds first."""
    if sentiment is not None and sentiment not in SENTIMENT_LABELS:
        raise InvalidInput(
            "Sentiment must be positive, neutral or negative.", {"sentiment": "Choose a label"}
        )
    offset = max(0, int(offset))
    limit = max(1, min(int(limit), MAX_LIMIT))
    text = answer_text(db.engine.dialect.name)
    label = func.coalesce(Answer.override_label, Answer.sentiment_label)

    query: Select = (
        select(
            Answer.id,
            text.label("text"),
            label.label("label"),
            Answer.kind,
            Organisation.sector,
            Round.slug,
            Round.name,
            Answer.question_id,
            Response.reference,
            Theme.label.label("theme_label"),
        )
        .join(Response, Response.id == Answer.response_id)
        .join(Survey, Survey.id == Response.survey_id)
        .join(Round, Round.id == Survey.round_id)
        .outerjoin(Invitation, Invitation.id == Response.invitation_id)
        .outerjoin(Contact, Contact.id == Invitation.contact_id)
        .outerjoin(Organisation, Organisation.id == Contact.organisation_id)
        .outerjoin(Theme, Theme.id == Answer.theme_id)
        .where(
            Response.status == "submitted",
            Answer.kind.is_not(None),  # free text: long-text questions carry a kind
        )
    )
    for word in search_words(words):
        query = query.where(text.ilike(f"%{_escape_like(word)}%", escape="\\"))
    if round_slug:
        query = query.where(Round.slug == round_slug)
    sector_key = _sector_key(sector)
    if sector_key:
        query = query.where(Organisation.sector == sector_key)
    if sentiment:
        query = query.where(label == sentiment)

    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.execute(
        query.order_by(Round.id.desc(), Answer.id).offset(offset).limit(limit)
    ).all()
    items = [
        SearchItem(
            answer_id=row[0],
            text=str(row.text),
            label=row.label,
            kind=row.kind,
            sector=row.sector,
            sector_label=SECTORS.get(row.sector) if row.sector else None,
            round_slug=row.slug,
            round_name=row.name,
            question_id=row.question_id,
            response_reference=row.reference,
            theme_label=row.theme_label,
        )
        for row in rows
    ]
    next_offset = offset + len(items) if offset + len(items) < total else None
    return SearchPage(items=items, total=total, next_offset=next_offset)
