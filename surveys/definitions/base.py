"""What every question type shares: the Question base, show_if conditions, answer errors.

Each family of types lives in a module beside this one (text, choices, values) and is
registered by its `type` name in `questions.py`.

A question's *raw* input is what a form gives (a string, or a list of strings for
multiple choice and dates); `clean` turns it into the stored JSON value or raises
`AnswerError` with a plain-English message. `None` means "left blank" (optional only).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

LONG_TEXT_KINDS = ("went_well", "improve", "other")
OTHER_VALUE = "other"
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,79}$")
VALUE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
MAX_OTHER_LENGTH = 200

Raw = str | list[str] | None
Form = Mapping[str, "str | list[str]"]


class AnswerError(ValueError):
    """An answer failed its question's validation; the message is shown to the respondent."""

    def __init__(self, message: str, field_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_id = field_id


class Problems:
    """Collect definition problems, each naming where it was found."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[str] = []

    def add(self, where: str, field_name: str, message: str) -> None:
        self.items.append(f"{self.source}: {where}, field '{field_name}': {message}")


def single_value(raw: Raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, list):
        return raw[-1] if raw else ""
    return raw


def as_list(raw: Raw) -> list[str]:
    if raw is None:
        return []
    return list(raw) if isinstance(raw, list) else [raw]


def check_text(text: str, limit: int | None, *, field_id: str | None = None) -> None:
    if "\x00" in text:
        raise AnswerError("Your answer contains a character that cannot be saved", field_id)
    # Browsers send line breaks as two characters; people count them as one.
    length = len(text.replace("\r\n", "\n"))
    if limit is not None and length > limit:
        raise AnswerError(
            f"Your answer must be {limit:,} characters or fewer (it is {length:,} characters)",
            field_id,
        )


def slugify(label: str) -> str:
    """Make an option value from its label."""
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:80] or "option"


@dataclass(frozen=True, kw_only=True)
class Condition:
    """Show a question only when an earlier answer matches."""

    question: str
    equals: Any = None
    not_equals: Any = None
    one_of: tuple[Any, ...] | None = None
    includes: Any = None
    answered: bool | None = None

    OPERATORS: ClassVar[tuple[str, ...]] = (
        "equals",
        "not_equals",
        "one_of",
        "includes",
        "answered",
    )

    def matches(self, answers: Mapping[str, Any]) -> bool:
        """Return whether the answers so far satisfy this condition."""
        value = _comparable(answers.get(self.question))
        if self.answered is not None:
            return (value not in (None, [], "")) == self.answered
        if value is None:
            return False
        if self.equals is not None:
            return value == self.equals
        if self.not_equals is not None:
            return value != self.not_equals
        if self.one_of is not None:
            return value in self.one_of
        if self.includes is not None:
            return isinstance(value, list) and self.includes in value
        return False

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"question": self.question}
        for name in self.OPERATORS:
            value = getattr(self, name)
            if value is not None:
                data[name] = list(value) if isinstance(value, tuple) else value
        return data


def _comparable(value: Any) -> Any:
    """Reduce a stored answer to what a condition compares ("Other" text counts as "other")."""
    if isinstance(value, dict):
        return OTHER_VALUE
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    return value


@dataclass(frozen=True, kw_only=True)
class Question:
    """The fields every question has; subclasses add their own and their cleaning."""

    type_name: ClassVar[str] = ""
    type_label: ClassVar[str] = ""
    extra_fields: ClassVar[tuple[str, ...]] = ()
    default_max_length: ClassVar[int | None] = None
    blank_message: ClassVar[str] = "Enter your answer"

    id: str
    text: str
    hint: str = ""
    required: bool = True
    max_length: int | None = None
    show_if: Condition | None = None
    error_message: str = ""

    # -- reading definitions --------------------------------------------------------------

    @classmethod
    def parse_extra(cls, data: Mapping[str, Any], where: str, problems: Problems) -> dict:
        """Read the type's own fields; the base type has none."""
        return {}

    @property
    def kind(self) -> str | None:
        """The analysis kind of a free-text answer (only long text has one)."""
        return None

    @property
    def is_free_text(self) -> bool:
        return False

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type_name, "text": self.text}
        if self.hint:
            data["hint"] = self.hint
        data["required"] = self.required
        if self.max_length is not None:
            data["max_length"] = self.max_length
        if self.show_if is not None:
            data["show_if"] = self.show_if.to_dict()
        if self.error_message:
            data["error_message"] = self.error_message
        data.update(self.extra_dict())
        return data

    def extra_dict(self) -> dict[str, Any]:
        return {}

    # -- answers --------------------------------------------------------------------------

    @property
    def form_fields(self) -> tuple[str, ...]:
        """The names of the form fields this question reads (see `raw_from`, `clean_form`)."""
        return (self.id,)

    def raw_from(self, form: Form) -> Raw:
        """Pick this question's raw input out of a submitted form."""
        return form.get(self.id)

    def clean_form(self, form: Form) -> Any:
        """Clean this question's answer from a submitted form."""
        return self.clean(self.raw_from(form))

    def clean(self, raw: Raw) -> Any:
        """Return the stored value for raw input, or raise AnswerError."""
        text = single_value(raw)
        if not text.strip():
            return self._blank()
        return self.clean_text(text)

    def clean_text(self, text: str) -> Any:
        raise NotImplementedError

    def _blank(self) -> None:
        if self.required:
            raise AnswerError(self.error_message or self.blank_message, self.field_id)
        return None

    def form_values(self, value: Any) -> dict[str, str | list[str]]:
        """Return the form fields that show a stored value again (to prefill a page)."""
        if value is None:
            return {}
        return {self.id: str(value)}

    def check(self, value: Any) -> Any:
        """Validate a stored value again (as at submission); return it cleaned."""
        if value is None:
            return self._blank()
        form = self.form_values(value)
        return self.clean_form(form)

    def display(self, value: Any) -> str:
        """Return a stored value as text for people to read."""
        return "" if value is None else str(value)

    def condition_values(self) -> tuple[Any, ...] | None:
        """Return the values a show_if condition may compare with, where they are a fixed set."""
        return None

    @property
    def field_id(self) -> str:
        """The id of the element an error summary links to."""
        return self.id
