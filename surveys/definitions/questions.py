"""The question types by `type` name, and reading a question or condition from YAML.

A new question type is a class in one of the modules beside this one (or a new one),
registered in QUESTION_TYPES below.
"""

from __future__ import annotations

from typing import Any

from surveys.definitions.base import Condition, Problems, Question
from surveys.definitions.choice_types import MultipleChoice, Rating, SingleChoice, YesNo
from surveys.definitions.text_types import Email, LongText, ShortText
from surveys.definitions.value_types import DateQuestion, Number

QUESTION_TYPES: dict[str, type[Question]] = {
    cls.type_name: cls
    for cls in (
        ShortText,
        LongText,
        SingleChoice,
        MultipleChoice,
        Rating,
        YesNo,
        Number,
        DateQuestion,
        Email,
    )
}
COMMON_FIELDS = ("id", "type", "text", "hint", "required", "max_length", "show_if", "error_message")


def parse_question(data: Any, where: str, problems: Problems) -> Question | None:
    """Build a question from its definition, recording every problem found."""
    if not isinstance(data, dict):
        problems.add(where, "question", "must be a mapping of fields")
        return None
    qtype = data.get("type")
    cls = QUESTION_TYPES.get(qtype) if isinstance(qtype, str) else None
    if cls is None:
        problems.add(where, "type", f"must be one of {', '.join(QUESTION_TYPES)} (got {qtype!r})")
        return None
    for name in sorted(set(data) - set(COMMON_FIELDS) - set(cls.extra_fields)):
        problems.add(where, name, f"is not a field of a {qtype} question")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        problems.add(where, "text", "is required")
        text = ""
    hint = data.get("hint", "") or ""
    if not isinstance(hint, str):
        problems.add(where, "hint", "must be text")
        hint = ""
    required = data.get("required", True)
    if not isinstance(required, bool):
        problems.add(where, "required", "must be true or false")
        required = True
    max_length = data.get("max_length", cls.default_max_length)
    if max_length is not None and cls.default_max_length is None:
        problems.add(where, "max_length", f"does not apply to a {qtype} question")
        max_length = None
    elif max_length is not None and (
        not isinstance(max_length, int) or isinstance(max_length, bool) or max_length < 1
    ):
        problems.add(where, "max_length", "must be a whole number of characters, 1 or more")
        max_length = cls.default_max_length
    error_message = data.get("error_message", "") or ""
    if not isinstance(error_message, str):
        problems.add(where, "error_message", "must be text")
        error_message = ""
    return cls(
        id=data.get("id") or "",
        text=text,
        hint=hint,
        required=required,
        max_length=max_length,
        error_message=error_message,
        **cls.parse_extra(data, where, problems),
    )


def parse_condition(data: Any, where: str, problems: Problems) -> Condition | None:
    """Read a show_if condition's shape (the question it names is checked later)."""
    if not isinstance(data, dict) or not isinstance(data.get("question"), str):
        problems.add(where, "show_if", "must name an earlier 'question' and one test")
        return None
    tests = [name for name in Condition.OPERATORS if name in data]
    unknown = set(data) - {"question", *Condition.OPERATORS}
    if len(tests) != 1 or unknown:
        problems.add(where, "show_if", f"needs exactly one of {', '.join(Condition.OPERATORS)}")
        return None
    name = tests[0]
    value = data[name]
    if name == "one_of":
        if not isinstance(value, list) or not value:
            problems.add(where, "show_if", "one_of must be a non-empty list")
            return None
        value = tuple(value)
    if name == "answered" and not isinstance(value, bool):
        problems.add(where, "show_if", "answered must be true or false")
        return None
    if value is None:
        problems.add(where, "show_if", f"{name} needs a value")
        return None
    return Condition(question=data["question"], **{name: value})
