"""Reading spreadsheet cells as answers: ratings by number or label, choices by label, dates.

Old evaluations were typed by hand, so a cell says "Good", "4 – Good", "Yes" or
"01/05/2008" where the questionnaire stores 4, True or 2008-05-01. These helpers turn a
cell into the raw input a question's own `clean` accepts; the question still validates it.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from surveys.definitions import (
    NOT_APPLICABLE,
    DateQuestion,
    MultipleChoice,
    Question,
    Rating,
    SingleChoice,
    YesNo,
)

# The words a "kind" column uses for each side of the summary.
KIND_WORDS = {
    "went_well": "went_well",
    "what_went_well": "went_well",
    "well": "went_well",
    "improve": "improve",
    "what_could_improve": "improve",
    "could_improve": "improve",
    "even_better_if": "improve",
    "other": "other",
}
NOT_APPLICABLE_WORDS = {"n/a", "na", "not applicable", "does not apply"}
YES_WORDS = {"yes", "y", "true"}
NO_WORDS = {"no", "n", "false"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y")
_NUMBER_FIRST = re.compile(r"^(\d+)\s*[–—-]")


def parse_date(text: str) -> date | None:
    """Return the date a cell gives (ISO, UK day/month/year, or an XLSX date-time), or None."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?", text):
        text = text[:10]  # a spreadsheet's date cell read as a date-time
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _by_label(text: str, options: dict[str, str]) -> str:
    """Return the value whose value or label the text names (any case), else the text."""
    wanted = text.strip().lower()
    for value, label in options.items():
        if wanted in (value.lower(), label.strip().lower()):
            return value
    return text


def _rating(question: Rating, text: str) -> str:
    lowered = text.strip().lower()
    if question.not_applicable and (
        lowered in NOT_APPLICABLE_WORDS or lowered == question.not_applicable.lower()
    ):
        return NOT_APPLICABLE
    number = _NUMBER_FIRST.match(lowered)  # "4 – Good", as exports and reports write it
    if number:
        return number.group(1)
    return _by_label(text, {str(p.value): p.label for p in question.points})


def raw_for(question: Question, text: str) -> str | list[str]:
    """Turn a cell into the raw input the question's `clean` takes."""
    if isinstance(question, Rating):
        return _rating(question, text)
    if isinstance(question, SingleChoice):
        return _by_label(text, {o.value: o.label for o in question.options})
    if isinstance(question, MultipleChoice):
        options = {o.value: o.label for o in question.options}
        return [_by_label(part, options) for part in re.split(r"[;|]", text) if part.strip()]
    if isinstance(question, YesNo):
        lowered = text.strip().lower()
        return "yes" if lowered in YES_WORDS else "no" if lowered in NO_WORDS else text
    if isinstance(question, DateQuestion):
        given = parse_date(text)
        return given.isoformat() if given else text
    return text
