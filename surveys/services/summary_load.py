"""Read one round's submitted answers and respondents in bulk, for its summary.

One query reads every answer with its response, channel and organisation (no per-answer lazy
loads); the rows become the plain inputs `analysis.summary.build_summary` takes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from analysis.summary_model import FreeTextAnswer, RatingAnswer
from surveys.db import db
from surveys.models import SECTORS, Answer, Contact, Response, Round, Survey, SurveyVersion
from surveys.services import lessons as lesson_service
from surveys.services import respondents, tagging, vectors
from surveys.services.analysis_runs import programme_themes, resolve_theme

NOT_KNOWN_SECTOR = "Not known"


@dataclass
class Followups:
    """Answers to one lesson's follow-up questions: counts, who answered, and comments."""

    improved: Counter[str] = field(default_factory=Counter)
    respondents: set[str] = field(default_factory=set)
    # (submitted at as a timestamp, answer id, text), so the most recent is quoted first.
    comments: list[tuple[float, int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Loaded:
    """One round's answers and respondents, read in bulk."""

    free_text: list[FreeTextAnswer]
    pinned: dict[str, str]
    ratings: list[RatingAnswer]
    followups: dict[int, Followups]
    completed: int
    telephone: int
    responded_by_sector: Counter[str]
    responded_by_channel: Counter[str]
    # Respondents (organisations by name, else rows) in files imported from earlier evaluations.
    imported_by_sector: Counter[str] = field(default_factory=Counter)
    # For each invited organisation that answered: the day after opening it first did.
    response_days: tuple[int, ...] = ()


def quotable_texts(loaded: Loaded) -> list[str]:
    """Return every text the summary may quote: free-text answers and follow-up comments."""
    comments = [text for f in loaded.followups.values() for _, _, text in f.comments]
    return [a.text for a in loaded.free_text] + comments


def load_round(round_: Round) -> Loaded:
    """Read every submitted answer of the round with its respondent in one query."""
    query = (
        select(
            Answer.id,
            Answer.response_id,
            Answer.question_id,
            Answer.value,
            Answer.kind,
            Answer.sentiment_label,
            Answer.override_label,
            Answer.theme_id,
            Answer.theme_pinned,
            Answer.vector,
            Answer.vector_model,
            Response.channel,
            Response.submitted_at,
            Response.survey_version_id,
            Contact.organisation_id,
            respondents.organisation_name(),
            respondents.sector(db.engine.dialect.name),
        )
        .join(Response, Response.id == Answer.response_id)
        .join(Survey, Survey.id == Response.survey_id)
    )
    rows = db.session.execute(
        respondents.with_respondent(query)
        .where(Survey.round_id == round_.id, Response.status == "submitted")
        .order_by(Answer.id)
    ).all()
    by_id = programme_themes(round_.programme_id)
    theme_key = {tid: resolve_theme(t, by_id).key for tid, t in by_id.items()}
    questions = _rating_questions(round_)

    # Respondents: invited and imported ones by organisation, others by their response.
    sector_of: dict[int, str | None] = {}
    respondent_of: dict[int, str] = {}
    channel_of: dict[int, str] = {}
    day_of: dict[int, int] = {}
    invited: set[int] = set()
    for row in rows:
        response_id = row.response_id
        channel_of[response_id] = row.channel
        sector_of[response_id] = row.sector if row.sector in SECTORS else None
        respondent_of[response_id] = respondents.respondent_key(
            row.organisation_id, row.organisation_name, response_id
        )
        if round_.opens_on is not None and row.submitted_at is not None:
            day_of[response_id] = max(0, (row.submitted_at.date() - round_.opens_on).days)
        if row.organisation_id is not None:
            invited.add(response_id)

    free_text: list[FreeTextAnswer] = []
    pinned: dict[str, str] = {}
    rating_counts: dict[str, Counter[str]] = defaultdict(Counter)
    rating_by_sector: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    followups: dict[int, Followups] = defaultdict(Followups)
    for row in rows:
        sector = sector_of.get(row.response_id)
        sector_label = SECTORS.get(sector, NOT_KNOWN_SECTOR) if sector else NOT_KNOWN_SECTOR
        if lesson_id := lesson_service.lesson_id_of(row.question_id):
            # Follow-ups belong under their lesson, not in this round's themes.
            _add_followup(followups[lesson_id], row, respondent_of[row.response_id])
        elif tagging.is_free_text(row):
            if row.theme_pinned and row.theme_id is None:
                continue  # an officer took it out of every theme
            answer_id = str(row.id)
            if row.theme_id is not None and row.theme_id in theme_key:
                pinned[answer_id] = theme_key[row.theme_id]
            free_text.append(
                FreeTextAnswer(
                    id=answer_id,
                    text=row.value,
                    kind=row.kind,
                    sector=sector_label,
                    channel=row.channel,
                    label=row.override_label or row.sentiment_label,
                    respondent_id=respondent_of[row.response_id],
                    vector=vectors.decode(row.vector, row.vector_model),
                )
            )
        elif row.question_id in questions:
            point = questions[row.question_id][1].get(row.value)
            if point is not None:
                rating_counts[row.question_id][point] += 1
                rating_by_sector[row.question_id][sector_label][point] += 1

    ratings = [
        RatingAnswer(
            question_id=qid,
            question_text=text,
            points=tuple(points.values()),
            counts=dict(rating_counts[qid]),
            counts_by_sector={s: dict(c) for s, c in rating_by_sector[qid].items()},
        )
        for qid, (text, points) in questions.items()
        if rating_counts[qid]  # a question nobody in this round answered says nothing
    ]
    responded_by_sector: Counter[str] = Counter()
    first_day: dict[str, int] = {}
    for response_id in sorted(invited):
        respondent = respondent_of[response_id]
        if respondent not in first_day:
            first_day[respondent] = day_of.get(response_id, 0)
            responded_by_sector[SECTORS.get(sector_of.get(response_id) or "", "Other")] += 1
        first_day[respondent] = min(first_day[respondent], day_of.get(response_id, 0))
    return Loaded(
        imported_by_sector=_imported_by_sector(channel_of, respondent_of, sector_of),
        free_text=free_text,
        pinned=pinned,
        ratings=ratings,
        followups=followups,
        completed=len(channel_of),
        telephone=sum(1 for c in channel_of.values() if c == "telephone"),
        responded_by_sector=responded_by_sector,
        # Every completed questionnaire, invited or by open link, by how it came in.
        responded_by_channel=Counter(channel_of.values()),
        response_days=tuple(sorted(first_day.values())) if day_of else (),
    )


def _imported_by_sector(
    channel_of: dict[int, str], respondent_of: dict[int, str], sector_of: dict[int, str | None]
) -> Counter[str]:
    """Count the imported respondents by sector (the sector of their first imported row)."""
    sector_by_respondent: dict[str, str] = {}
    for response_id in sorted(r for r, channel in channel_of.items() if channel == "import"):
        sector = SECTORS.get(sector_of.get(response_id) or "", NOT_KNOWN_SECTOR)
        sector_by_respondent.setdefault(respondent_of[response_id], sector)
    return Counter(sector_by_respondent.values())


def _add_followup(followup: Followups, row: Any, respondent: str) -> None:
    """Count a "Has this improved?" answer or keep a follow-up comment."""
    if not isinstance(row.value, str) or not row.value.strip():
        return
    if row.question_id.endswith("_improved"):
        followup.improved[row.value] += 1
        followup.respondents.add(respondent)
    else:
        submitted = row.submitted_at.timestamp() if row.submitted_at else 0.0
        followup.comments.append((submitted, row.id, row.value))


def _rating_questions(round_: Round) -> dict[str, tuple[str, dict[Any, str]]]:
    """Return the round's rating questions: id -> (text, {stored value: point label})."""
    found: dict[str, tuple[str, dict[Any, str]]] = {}
    definitions = db.session.scalars(
        select(SurveyVersion.definition)
        .join(Survey, Survey.id == SurveyVersion.survey_id)
        .where(Survey.round_id == round_.id)
        .order_by(SurveyVersion.id)
    )
    for definition in definitions:
        for question in lesson_service.iter_questions(definition or {}):
            if question.get("type") != "rating" or question.get("id") in found:
                continue
            points = {
                p["value"]: str(p.get("label") or p["value"])
                for p in question.get("points") or ()
                if isinstance(p, dict) and "value" in p
            }
            if points:
                found[question["id"]] = (str(question.get("text") or question["id"]), points)
    return found
