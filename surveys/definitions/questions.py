"""Question types: each small class reads its own definition and cleans its own answers.

A question's *raw* input is what a form gives (a string, or a list of strings for
multiple choice and dates); `clean` turns it into the stored JSON value or raises
`AnswerError` with a plain-English message. `None` means "left blank" (optional only).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from email_validator import EmailNotValidError, validate_email

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


def _single(raw: Raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, list):
        return raw[-1] if raw else ""
    return raw


def _as_list(raw: Raw) -> list[str]:
    if raw is None:
        return []
    return list(raw) if isinstance(raw, list) else [raw]


def _check_text(text: str, limit: int | None, *, field_id: str | None = None) -> None:
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

    def raw_from(self, form: Form) -> Raw:
        """Pick this question's raw input out of a submitted form."""
        return form.get(self.id)

    def clean_form(self, form: Form) -> Any:
        """Clean this question's answer from a submitted form."""
        return self.clean(self.raw_from(form))

    def clean(self, raw: Raw) -> Any:
        """Return the stored value for raw input, or raise AnswerError."""
        text = _single(raw)
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

    @property
    def field_id(self) -> str:
        """The id of the element an error summary links to."""
        return self.id


@dataclass(frozen=True, kw_only=True)
class ShortText(Question):
    type_name: ClassVar[str] = "short_text"
    type_label: ClassVar[str] = "Short text"
    default_max_length: ClassVar[int | None] = 200

    def clean_text(self, text: str) -> str:
        _check_text(text, self.max_length, field_id=self.field_id)
        return text


@dataclass(frozen=True, kw_only=True)
class LongText(Question):
    type_name: ClassVar[str] = "long_text"
    type_label: ClassVar[str] = "Long text"
    extra_fields: ClassVar[tuple[str, ...]] = ("kind",)
    default_max_length: ClassVar[int | None] = 2000

    answer_kind: str = "other"

    @classmethod
    def parse_extra(cls, data, where, problems):
        kind = data.get("kind")
        if kind not in LONG_TEXT_KINDS:
            problems.add(where, "kind", f"must be one of {', '.join(LONG_TEXT_KINDS)}")
            kind = "other"
        return {"answer_kind": kind}

    @property
    def kind(self) -> str:
        return self.answer_kind

    @property
    def is_free_text(self) -> bool:
        return True

    def extra_dict(self):
        return {"kind": self.answer_kind}

    def clean_text(self, text: str) -> str:
        _check_text(text, self.max_length, field_id=self.field_id)
        return text


@dataclass(frozen=True, kw_only=True)
class Option:
    value: str
    label: str
    hint: str = ""


def _parse_options(data, where, problems) -> tuple[Option, ...]:
    raw_options = data.get("options")
    if not isinstance(raw_options, list) or not raw_options:
        problems.add(where, "options", "must be a list of at least one option")
        return ()
    options: list[Option] = []
    for index, item in enumerate(raw_options, start=1):
        if isinstance(item, str) and item.strip():
            options.append(Option(value=slugify(item), label=item))
        elif isinstance(item, dict) and isinstance(item.get("label"), str):
            value = str(item.get("value") or slugify(item["label"]))
            if not VALUE_PATTERN.match(value):
                problems.add(where, "options", f"option {index} has an invalid value {value!r}")
            options.append(Option(value=value, label=item["label"], hint=item.get("hint", "")))
        else:
            problems.add(where, "options", f"option {index} needs a label")
    values = [option.value for option in options]
    if len(set(values)) != len(values):
        problems.add(where, "options", "option values must be different from each other")
    if OTHER_VALUE in values:
        problems.add(where, "options", "use 'other: true' rather than an option valued 'other'")
    return tuple(options)


def _parse_other(data, where, problems) -> str:
    other = data.get("other", False)
    if other is True:
        return "Other"
    if other is False or other is None:
        return ""
    if isinstance(other, str) and other.strip():
        return other
    problems.add(where, "other", "must be true, false or the option's label")
    return ""


@dataclass(frozen=True, kw_only=True)
class _Choice(Question):
    extra_fields: ClassVar[tuple[str, ...]] = ("options", "other")
    blank_message: ClassVar[str] = "Select an option"

    options: tuple[Option, ...] = ()
    other_label: str = ""

    @classmethod
    def parse_extra(cls, data, where, problems):
        return {
            "options": _parse_options(data, where, problems),
            "other_label": _parse_other(data, where, problems),
        }

    def extra_dict(self):
        data: dict[str, Any] = {
            "options": [
                {"value": o.value, "label": o.label} | ({"hint": o.hint} if o.hint else {})
                for o in self.options
            ]
        }
        if self.other_label:
            data["other"] = self.other_label
        return data

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options) + ((OTHER_VALUE,) if self.other_label else ())

    @property
    def other_field(self) -> str:
        """The name of the "please specify" text field."""
        return f"{self.id}-other"

    def label_for(self, value: Any) -> str:
        if isinstance(value, dict):
            return f"{self.other_label}: {value.get('other', '')}"
        for option in self.options:
            if option.value == value:
                return option.label
        return str(value)

    def clean_form(self, form: Form) -> Any:
        return self.clean(self.raw_from(form), other_text=_single(form.get(self.other_field)))

    def _other(self, other_text: str) -> dict[str, str]:
        if not other_text.strip():
            raise AnswerError("Tell us what ‘other’ means for you", self.other_field)
        _check_text(other_text, MAX_OTHER_LENGTH, field_id=self.other_field)
        return {"other": other_text}

    def _pick(self, value: str, other_text: str) -> Any:
        if value not in self.values:
            raise AnswerError("Select one of the options", self.field_id)
        return self._other(other_text) if value == OTHER_VALUE else value


@dataclass(frozen=True, kw_only=True)
class SingleChoice(_Choice):
    type_name: ClassVar[str] = "single_choice"
    type_label: ClassVar[str] = "Single choice"

    def clean(self, raw: Raw, other_text: str = "") -> Any:
        value = _single(raw)
        if not value:
            return self._blank()
        return self._pick(value, other_text)

    def form_values(self, value):
        if value is None:
            return {}
        if isinstance(value, dict):
            return {self.id: OTHER_VALUE, self.other_field: value.get("other", "")}
        return {self.id: value}

    def display(self, value):
        return "" if value is None else self.label_for(value)


@dataclass(frozen=True, kw_only=True)
class MultipleChoice(_Choice):
    type_name: ClassVar[str] = "multiple_choice"
    type_label: ClassVar[str] = "Multiple choice"
    blank_message: ClassVar[str] = "Select at least one option"

    def clean(self, raw: Raw, other_text: str = "") -> Any:
        chosen = [value for value in _as_list(raw) if value]
        if not chosen:
            return self._blank()
        picked = {value: self._pick(value, other_text) for value in chosen}
        return [picked[value] for value in self.values if value in picked]

    def form_values(self, value):
        if not value:
            return {}
        fields: dict[str, str | list[str]] = {
            self.id: [OTHER_VALUE if isinstance(item, dict) else item for item in value]
        }
        for item in value:
            if isinstance(item, dict):
                fields[self.other_field] = item.get("other", "")
        return fields

    def display(self, value):
        return "" if not value else "\n".join(self.label_for(item) for item in value)


@dataclass(frozen=True, kw_only=True)
class Point:
    value: int
    label: str


NOT_APPLICABLE = "na"


@dataclass(frozen=True, kw_only=True)
class Rating(Question):
    """A rating scale of ordered, labelled points, optionally with "not applicable"."""

    type_name: ClassVar[str] = "rating"
    type_label: ClassVar[str] = "Rating scale"
    extra_fields: ClassVar[tuple[str, ...]] = ("points", "not_applicable")
    blank_message: ClassVar[str] = "Select a rating"

    points: tuple[Point, ...] = ()
    not_applicable: str = ""

    @classmethod
    def parse_extra(cls, data, where, problems):
        raw_points = data.get("points")
        points: list[Point] = []
        if not isinstance(raw_points, list) or len(raw_points) < 2:
            problems.add(where, "points", "must be a list of at least 2 points")
            raw_points = []
        for index, item in enumerate(raw_points, start=1):
            if (
                isinstance(item, dict)
                and isinstance(item.get("value"), int)
                and not isinstance(item.get("value"), bool)
                and isinstance(item.get("label"), str)
                and item["label"].strip()
            ):
                points.append(Point(value=item["value"], label=item["label"]))
            else:
                problems.add(
                    where, "points", f"point {index} needs a whole-number value and a label"
                )
        values = [point.value for point in points]
        if values != sorted(set(values)):
            problems.add(where, "points", "values must be different and in ascending order")
        not_applicable = data.get("not_applicable") or ""
        if not isinstance(not_applicable, str):
            problems.add(
                where, "not_applicable", "must be the label of the 'not applicable' option"
            )
            not_applicable = ""
        return {"points": tuple(points), "not_applicable": not_applicable}

    def extra_dict(self):
        data: dict[str, Any] = {
            "points": [{"value": p.value, "label": p.label} for p in self.points]
        }
        if self.not_applicable:
            data["not_applicable"] = self.not_applicable
        return data

    def clean_text(self, text: str) -> int | str:
        if self.not_applicable and text == NOT_APPLICABLE:
            return NOT_APPLICABLE
        for point in self.points:
            if text == str(point.value):
                return point.value
        raise AnswerError("Select one of the ratings", self.field_id)

    def display(self, value):
        if value is None:
            return ""
        if value == NOT_APPLICABLE:
            return self.not_applicable
        for point in self.points:
            if point.value == value:
                return f"{point.value} – {point.label}"
        return str(value)


@dataclass(frozen=True, kw_only=True)
class YesNo(Question):
    type_name: ClassVar[str] = "yes_no"
    type_label: ClassVar[str] = "Yes or no"
    blank_message: ClassVar[str] = "Select yes or no"

    def clean_text(self, text: str) -> bool:
        if text in ("yes", "no"):
            return text == "yes"
        raise AnswerError("Select yes or no", self.field_id)

    def form_values(self, value):
        return {} if value is None else {self.id: "yes" if value else "no"}

    def display(self, value):
        return "" if value is None else ("Yes" if value else "No")


@dataclass(frozen=True, kw_only=True)
class Number(Question):
    type_name: ClassVar[str] = "number"
    type_label: ClassVar[str] = "Number"
    extra_fields: ClassVar[tuple[str, ...]] = ("min", "max", "whole")
    blank_message: ClassVar[str] = "Enter a number"

    min: float | None = None
    max: float | None = None
    whole: bool = True

    @classmethod
    def parse_extra(cls, data, where, problems):
        extra: dict[str, Any] = {"whole": data.get("whole", True)}
        if not isinstance(extra["whole"], bool):
            problems.add(where, "whole", "must be true or false")
            extra["whole"] = True
        for name in ("min", "max"):
            value = data.get(name)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                problems.add(where, name, "must be a number")
                value = None
            extra[name] = value
        if extra["min"] is not None and extra["max"] is not None and extra["min"] > extra["max"]:
            problems.add(where, "max", "must not be less than min")
        return extra

    def extra_dict(self):
        data: dict[str, Any] = {"whole": self.whole}
        if self.min is not None:
            data["min"] = self.min
        if self.max is not None:
            data["max"] = self.max
        return data

    def clean_text(self, text: str) -> int | float:
        cleaned = text.strip().replace(",", "")
        if len(cleaned) > 30:
            raise AnswerError("Enter a shorter number", self.field_id)
        try:
            number: int | float = int(cleaned) if self.whole else float(cleaned)
        except ValueError:
            message = "Enter a whole number, like 12" if self.whole else "Enter a number, like 2.5"
            raise AnswerError(message, self.field_id) from None
        if not math.isfinite(number):
            raise AnswerError("Enter a number, like 2.5", self.field_id)
        low, high = self.min, self.max
        if (low is not None and number < low) or (high is not None and number > high):
            if low is not None and high is not None:
                message = f"Enter a number between {low:g} and {high:g}"
            elif low is not None:
                message = f"Enter a number that is {low:g} or more"
            else:
                message = f"Enter a number that is {high:g} or less"
            raise AnswerError(message, self.field_id)
        return number

    def display(self, value):
        return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


@dataclass(frozen=True, kw_only=True)
class DateQuestion(Question):
    """A date entered as day, month and year (the GOV.UK date input pattern)."""

    type_name: ClassVar[str] = "date"
    type_label: ClassVar[str] = "Date"
    blank_message: ClassVar[str] = "Enter a date"
    PARTS: ClassVar[tuple[str, ...]] = ("day", "month", "year")

    def raw_from(self, form: Form) -> Raw:
        return [_single(form.get(f"{self.id}-{part}")) for part in self.PARTS]

    def clean(self, raw: Raw) -> str | None:
        if isinstance(raw, str):
            raw = list(reversed(raw.split("-"))) if raw else []
        parts = [part.strip() for part in _as_list(raw)]
        if not any(parts):
            return self._blank()
        parts += [""] * (3 - len(parts))
        missing = [name for name, part in zip(self.PARTS, parts, strict=False) if not part]
        if missing:
            raise AnswerError(f"The date must include a {' and '.join(missing)}", self.field_id)
        try:
            day, month, year = (int(part) for part in parts[:3])
            if year < 1000:
                raise ValueError
            return date(year, month, day).isoformat()
        except ValueError:
            raise AnswerError(
                "The date must be a real date, like 27 3 2008", self.field_id
            ) from None

    def form_values(self, value):
        if not value:
            return {}
        year, month, day = value.split("-")
        return {
            f"{self.id}-day": str(int(day)),
            f"{self.id}-month": str(int(month)),
            f"{self.id}-year": year,
        }

    def display(self, value):
        if not value:
            return ""
        return f"{date.fromisoformat(value):%-d %B %Y}"

    @property
    def field_id(self) -> str:
        return f"{self.id}-day"


@dataclass(frozen=True, kw_only=True)
class Email(Question):
    type_name: ClassVar[str] = "email"
    type_label: ClassVar[str] = "Email address"
    default_max_length: ClassVar[int | None] = 254
    blank_message: ClassVar[str] = "Enter an email address"

    def clean_text(self, text: str) -> str:
        address = text.strip()
        _check_text(address, self.max_length, field_id=self.field_id)
        try:
            validate_email(address, check_deliverability=False)
        except EmailNotValidError:
            raise AnswerError(
                "Enter an email address in the correct format, like name@example.com",
                self.field_id,
            ) from None
        return address


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


def possible_values(question: Question) -> tuple[Any, ...] | None:
    """Return the values a condition may compare with, where they are a fixed set."""
    if isinstance(question, _Choice):
        return question.values
    if isinstance(question, Rating):
        return tuple(p.value for p in question.points) + (
            (NOT_APPLICABLE,) if question.not_applicable else ()
        )
    if isinstance(question, YesNo):
        return (True, False)
    return None


__all__ = [
    "LONG_TEXT_KINDS",
    "AnswerError",
    "Condition",
    "DateQuestion",
    "Email",
    "LongText",
    "MultipleChoice",
    "Number",
    "Option",
    "Point",
    "Question",
    "Rating",
    "ShortText",
    "SingleChoice",
    "YesNo",
]
