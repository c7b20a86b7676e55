"""Answering a question in plain words: "what did voluntary-sector providers say about the
timeframe in phase 2?".

`ask` reads the round, sector, side and sentiment the question names (analysis.questions),
finds the answers by meaning (search.find_answers), places each under its theme from the
round's stored summary, and says how many said what. The CLI (`debrief ask`), the web search
box and Slack (`/debrief ask`, or any `/debrief` text that is not a command) all call it.
Fewer than k respondents are never shown; quotes are redacted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from analysis.questions import Question, RoundName, parse_question
from analysis.summary_text import plural
from surveys.db import db
from surveys.errors import InvalidInput
from surveys.models import SECTORS, Round
from surveys.services import rounds_admin, search, summaries, summary_store
from surveys.services.rounds_admin import list_rounds

QUOTES = 5
SIDE_NAMES = {"went_well": "what went well", "improve": "what could improve"}
OTHER_THEME = "Other comments"


@dataclass(frozen=True)
class ThemeCount:
    """How many of the answers found fall in one theme."""

    label: str
    count: int


@dataclass(frozen=True)
class Asked:
    """The answer to a question: filters applied, a one-line summary, themes and quotes."""

    question: Question
    summary: str
    themes: tuple[ThemeCount, ...]
    answers: tuple[search.SearchItem, ...]
    matched: int
    respondents: int
    suppressed: bool
    k: int

    def filters(self) -> dict[str, str | None]:
        return self.question.filters()

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form `debrief ask --format json` prints."""
        return {
            "question": self.question.text,
            "filters": self.filters(),
            "summary": self.summary,
            "themes": [{"label": t.label, "count": t.count} for t in self.themes],
            "answers": [
                {
                    "id": a.answer_id,
                    "text": a.text,
                    "sector": a.sector_label,
                    "round": a.round_slug,
                    "theme": a.theme_label,
                    "sentiment": a.label,
                }
                for a in self.answers
            ],
        }


def read_question(text: str, **given: str | None) -> Question:
    """Parse a question against the rounds and sectors there are; given filters win."""
    rounds = [RoundName(r.slug, r.name) for r in list_rounds()]
    if given.get("round_slug") and given["round_slug"] not in {r.slug for r in rounds}:
        raise InvalidInput(f"Unknown round: {given['round_slug']}.", {"round": "Choose a round"})
    question = parse_question(text, rounds, SECTORS)
    overrides = {
        "round_slug": given.get("round_slug"),
        "sector": search.sector_key(given.get("sector")),
        "side": given.get("side"),
        "sentiment": given.get("sentiment"),
    }
    return replace(question, **{k: v for k, v in overrides.items() if v})


def ask(
    text: str,
    *,
    limit: int = QUOTES,
    offset: int = 0,
    k: int | None = None,
    **given: str | None,
) -> Asked:
    """Answer a plain-words question with a summary line, its themes and the best quotes.

    given: round_slug, sector, side or sentiment chosen outside the question (they win).
    offset and limit pick the page of answers returned (best first).
    """
    k = summaries.suppression_k(k)
    question = read_question(text, **given)
    found = search.find_answers(
        question.topic,
        round_slug=question.round_slug,
        sector=question.sector,
        sentiment=question.sentiment,
        side=question.side,
    )
    found = _with_themes(found)
    respondents = len({a.respondent for a in found})
    suppressed = 0 < respondents < k
    themes = Counter(a.theme_label or OTHER_THEME for a in found)
    ordered = tuple(ThemeCount(label, n) for label, n in sorted(themes.items(), key=_by_count))
    return Asked(
        question=question,
        summary=_summary_line(question, len(found), respondents, ordered, k, suppressed),
        themes=() if suppressed else ordered,
        answers=() if suppressed else tuple(found[max(0, offset) :][: max(1, limit)]),
        matched=len(found),
        respondents=respondents,
        suppressed=suppressed,
        k=k,
    )


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def _with_themes(found: list[search.SearchItem]) -> list[search.SearchItem]:
    """Name each answer's theme as its round's stored summary groups it."""
    labels: dict[int, str] = {}
    for round_id in {a.round_id for a in found}:
        round_ = db.session.get(Round, round_id)
        if round_ is None:
            continue
        stored = summary_store.stored_summary(round_).summary
        for theme in (*stored.went_well, *stored.improve, *stored.other):
            labels.update({int(i): theme.label for i in theme.answer_ids if str(i).isdigit()})
    return [replace(a, theme_label=labels.get(a.answer_id, a.theme_label)) for a in found]


def describe_filters(question: Question) -> str:
    """Say in words which filters were applied ("round phase-2, sector Voluntary/Charity")."""
    parts = []
    if question.round_slug:
        parts.append(f"round {question.round_slug}")
    if question.sector:
        parts.append(f"sector {SECTORS.get(question.sector, question.sector)}")
    if question.side:
        parts.append(SIDE_NAMES[question.side])
    if question.sentiment:
        parts.append(f"{question.sentiment} answers")
    if question.topic:
        parts.append(f"about “{question.topic}”")
    return ", ".join(parts) or "no filters"


def _summary_line(
    question: Question,
    matched: int,
    respondents: int,
    themes: tuple[ThemeCount, ...],
    k: int,
    suppressed: bool,
) -> str:
    sector = SECTORS.get(question.sector, question.sector) if question.sector else None
    who = f"{sector} respondents" if sector else "respondents"
    named = rounds_admin.round_by_slug(question.round_slug).name if question.round_slug else ""
    where = f" in {named}" if named else ""
    about = f" about “{question.topic}”" if question.topic else ""
    if matched == 0:
        return f"No answers from {who}{where}{about}."
    if suppressed:
        return (
            f"Fewer than {k} {who}{where} answered{about}, so their answers are not shown "
            "to protect their anonymity."
        )
    answers = "answer" if matched == 1 else "answers"
    people = "respondent" if respondents == 1 else "respondents"
    spread = "; ".join(f"{t.count} in “{t.label}”" for t in themes[:4])
    more = f" and {plural(len(themes) - 4, 'more theme', 'more themes')}" if len(themes) > 4 else ""
    of = f" ({sector})" if sector else ""
    return f"{matched} {answers} from {respondents} {people}{of}{where}{about}: {spread}{more}."
