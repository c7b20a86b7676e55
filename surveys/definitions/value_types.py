"""Question types that take a typed value: a number or a date."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from surveys.definitions.base import (
    AnswerError,
    Form,
    Question,
    Raw,
    as_list,
    single_value,
)


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

    @property
    def form_fields(self) -> tuple[str, ...]:
        return tuple(f"{self.id}-{part}" for part in self.PARTS)

    def raw_from(self, form: Form) -> Raw:
        return [single_value(form.get(f"{self.id}-{part}")) for part in self.PARTS]

    def clean(self, raw: Raw) -> str | None:
        if isinstance(raw, str):
            raw = list(reversed(raw.split("-"))) if raw else []
        parts = [part.strip() for part in as_list(raw)]
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
