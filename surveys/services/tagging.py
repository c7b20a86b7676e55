"""Sentiment tags on free-text answers, from `analysis.sentiment`.

An officer's `override_label` is never touched: the tagger's label sits beside it.
"""

from __future__ import annotations

from surveys.models import Answer, Response

try:
    from analysis import sentiment
except ImportError:  # pragma: no cover - only while the analysis package is being built
    sentiment = None


def is_free_text(answer: Answer) -> bool:
    """Return whether an answer is free text that analysis reads (long text has a kind)."""
    return answer.kind is not None and isinstance(answer.value, str) and bool(answer.value.strip())


def tag_answer(answer: Answer) -> None:
    """Store the tagger's label, scores, suggestion flag and reasons on one answer."""
    if sentiment is None or not is_free_text(answer):
        return
    tag = sentiment.tag(answer.value, answer.kind)
    answer.sentiment_label = tag.label
    answer.polarity = tag.polarity
    answer.subjectivity = tag.subjectivity
    answer.suggestion = tag.suggestion
    answer.reasons = list(tag.reasons)
    answer.tagger_version = sentiment.TAGGER_VERSION


def tag_answers(response: Response) -> None:
    """Tag every free-text answer of a response."""
    for answer in response.answers:
        tag_answer(answer)
