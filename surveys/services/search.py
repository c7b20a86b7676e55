"""Finding submitted free-text answers by meaning, within a round, sector, side and sentiment.

The officers' search page, `/debrief search` and the plain-words questions (`ask`) all call
`find_answers`: the filters are applied in SQL, then the answers are ranked by how close they
are in meaning to the words (sentence embeddings), so "timeframe" finds "six weeks was not
long enough" and "a longer window"; a relevance cut-off keeps unrelated answers out, and an
answer holding every word is always found. Quotes come back redacted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, Select, func, select

from analysis.redact import redact
from surveys.db import db
from surveys.errors import InvalidInput
from surveys.models import (
    SECTORS,
    Answer,
    Contact,
    Response,
    Round,
    Survey,
    Theme,
)
from surveys.models._base import SENTIMENT_LABELS
from surveys.services import respondents, summaries

MAX_LIMIT = 100
MAX_WORDS = 10
SIDES = ("went_well", "improve")


@dataclass(frozen=True)
class SearchItem:
    """One matching answer, with what a reader needs to place it (text redacted)."""

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
    respondent: str = ""
    round_id: int = 0
    programme_id: int = 0
    score: float = 0.0


@dataclass(frozen=True)
class SearchPage:
    """A page of results, the total number of matches and where the next page starts."""

    items: list[SearchItem]
    total: int
    next_offset: int | None


def answer_text(dialect: str) -> ColumnElement[str]:
    """Return the answer's JSON value as plain (unescaped) text in this database's SQL."""
    return respondents.json_text(Answer.value, dialect)


def search_words(words: str) -> list[str]:
    """Split a query into its words (at most MAX_WORDS)."""
    found = [w for w in re.split(r"\s+", (words or "").strip()) if w]
    return found[:MAX_WORDS]


def sector_key(sector: str | None) -> str | None:
    """Return the sector key for a key or label ("voluntary", "Voluntary/Charity")."""
    if not sector:
        return None
    wanted = sector.strip().lower()
    for key, label in SECTORS.items():
        if wanted in (key, label.lower()) or label.lower().startswith(wanted):
            return key
    raise InvalidInput(f"Unknown sector: {sector}.", {"sector": "Choose a sector"})


def _check(sentiment: str | None, side: str | None) -> None:
    if sentiment is not None and sentiment not in SENTIMENT_LABELS:
        raise InvalidInput(
            "Sentiment must be positive, neutral or negative.", {"sentiment": "Choose a label"}
        )
    if side is not None and side not in SIDES:
        raise InvalidInput("Side must be went_well or improve.", {"side": "Choose a side"})


def _candidates(
    round_slug: str | None, sector: str | None, sentiment: str | None, side: str | None
) -> list[SearchItem]:
    """Read the submitted free-text answers that pass the filters, newest rounds first."""
    dialect = db.engine.dialect.name
    text = answer_text(dialect)
    label = func.coalesce(Answer.override_label, Answer.sentiment_label)
    sector_of = respondents.sector(dialect)
    query: Select = (
        select(
            Answer.id,
            text.label("text"),
            label.label("label"),
            Answer.kind,
            sector_of,
            Round.slug,
            Round.name,
            Round.id.label("round_id"),
            Round.programme_id,
            Answer.question_id,
            Response.id.label("response_id"),
            Response.reference,
            Contact.organisation_id,
            respondents.organisation_name(),
            Theme.label.label("theme_label"),
        )
        .join(Response, Response.id == Answer.response_id)
        .join(Survey, Survey.id == Response.survey_id)
        .join(Round, Round.id == Survey.round_id)
    )
    query = (
        respondents.with_respondent(query)
        .outerjoin(Theme, Theme.id == Answer.theme_id)
        .where(
            Response.status == "submitted",
            Answer.kind.is_not(None),  # free text: long-text questions carry a kind
        )
    )
    if round_slug:
        query = query.where(Round.slug == round_slug)
    if key := sector_key(sector):
        query = query.where(sector_of == key)
    if sentiment:
        query = query.where(label == sentiment)
    if side:
        query = query.where(Answer.kind == side)
    rows = db.session.execute(query.order_by(Round.id.desc(), Answer.id)).all()
    return [
        SearchItem(
            answer_id=row.id,
            text=str(row.text),
            label=row.label,
            kind=row.kind,
            sector=row.sector if row.sector in SECTORS else None,
            sector_label=SECTORS.get(row.sector) if row.sector in SECTORS else None,
            round_slug=row.slug,
            round_name=row.name,
            question_id=row.question_id,
            response_reference=row.reference,
            theme_label=row.theme_label,
            respondent=respondents.respondent_key(
                row.organisation_id, row.organisation_name, row.response_id
            ),
            round_id=row.round_id,
            programme_id=row.programme_id,
        )
        for row in rows
        if isinstance(row.text, str) and row.text.strip()
    ]


def find_answers(
    words: str,
    *,
    round_slug: str | None = None,
    sector: str | None = None,
    sentiment: str | None = None,
    side: str | None = None,
) -> list[SearchItem]:
    """Return every answer passing the filters and relevant to the words, best first."""
    _check(sentiment, side)
    candidates = _candidates(round_slug, sector, sentiment, side)
    query = " ".join(search_words(words))
    if query:
        from surveys.services import relevance  # numpy and the embedding model, when needed

        scores = relevance.scores(query, [(c.answer_id, c.text) for c in candidates])
        kept = relevance.relevant(query, [c.text for c in candidates], scores)
        candidates = [replace(candidates[i], score=float(scores[i])) for i in kept]
    return _redacted(candidates)


def _redacted(items: list[SearchItem]) -> list[SearchItem]:
    """Redact names, emails and phone numbers from the answers, per programme."""
    out: list[SearchItem] = []
    names: dict[int, list[str]] = {}
    for item in items:
        if item.programme_id not in names:
            texts = [i.text for i in items if i.programme_id == item.programme_id]
            names[item.programme_id] = summaries.redaction_names(item.programme_id, texts)
        out.append(replace(item, text=redact(item.text, names[item.programme_id])))
    return out


def search_answers(
    words: str,
    *,
    round_slug: str | None = None,
    sector: str | None = None,
    sentiment: str | None = None,
    side: str | None = None,
    offset: int = 0,
    limit: int = 10,
) -> SearchPage:
    """Return one page of the answers relevant to the words, best first."""
    offset = max(0, int(offset))
    limit = max(1, min(int(limit), MAX_LIMIT))
    found = find_answers(
        words, round_slug=round_slug, sector=sector, sentiment=sentiment, side=side
    )
    items = found[offset : offset + limit]
    next_offset = offset + len(items) if offset + len(items) < len(found) else None
    return SearchPage(items=items, total=len(found), next_offset=next_offset)
