"""Sentiment tags on free-text answers, from `analysis.sentiment`, computed once and stored.

An officer's `override_label` is never touched: the tagger's label sits beside it. The
programme's overrides also adapt the tagger: an answer that means the same as one an
officer corrected takes the officer's label. The stored `tagger_version` names the
adaptation too, so re-analysis re-tags a round when an officer's corrections change.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from analysis import sentiment
from surveys.db import db
from surveys.models import Answer, Response, Round, Survey


def is_free_text(answer: Answer) -> bool:
    """Return whether an answer is free text that analysis reads (long text has a kind)."""
    return answer.kind is not None and isinstance(answer.value, str) and bool(answer.value.strip())


def programme_adaptation(programme_id: int) -> sentiment.Adaptation:
    """Return the tagger's adaptation to the officers' corrections in one programme."""
    rows = db.session.execute(
        select(Answer.value, Answer.override_label)
        .join(Response, Response.id == Answer.response_id)
        .join(Survey, Survey.id == Response.survey_id)
        .join(Round, Round.id == Survey.round_id)
        .where(Round.programme_id == programme_id, Answer.override_label.is_not(None))
        .order_by(Answer.id)
    ).all()
    return sentiment.Adaptation.build(
        (value, label) for value, label in rows if isinstance(value, str)
    )


def _store(answer: Answer, tag: sentiment.Tag, version: str) -> None:
    answer.sentiment_label = tag.label
    answer.polarity = tag.polarity
    answer.subjectivity = tag.subjectivity
    answer.suggestion = tag.suggestion
    answer.reasons = list(tag.reasons)
    answer.tagger_version = version


def tag_all(answers: Iterable[Answer], adaptation: sentiment.Adaptation | None = None) -> int:
    """Tag free-text answers in one batch and store the tags; return how many were tagged."""
    todo = [a for a in answers if is_free_text(a)]
    tags = sentiment.tag_many(((a.value, a.kind) for a in todo), adaptation)
    version = adaptation.version() if adaptation is not None else sentiment.TAGGER_VERSION
    for answer, tag in zip(todo, tags, strict=True):
        _store(answer, tag, version)
    return len(todo)


def tag_answer(answer: Answer, adaptation: sentiment.Adaptation | None = None) -> None:
    """Store the tagger's label, scores, suggestion flag and reasons on one answer."""
    tag_all([answer], adaptation)


def tag_answers(response: Response) -> None:
    """Tag every free-text answer of a response, adapted to its programme's corrections."""
    survey = response.survey or db.session.get(Survey, response.survey_id)
    tag_all(response.answers, programme_adaptation(survey.round.programme_id))


def stale_answers(answers: Iterable[Answer], programme_id: int) -> list[Answer]:
    """Return the answers tagged by another tagger version or adaptation (or never)."""
    version = programme_adaptation(programme_id).version()
    return [a for a in answers if a.tagger_version != version]


def retag(answers: Iterable[Answer], programme_id: int, *, force: bool = False) -> int:
    """Re-tag answers tagged by another tagger version or adaptation; return how many."""
    stale = list(answers) if force else stale_answers(answers, programme_id)
    return tag_all(stale, programme_adaptation(programme_id))
