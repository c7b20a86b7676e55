"""Question types answered by choosing: single and multiple choice, rating, yes or no."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from surveys.definitions.base import (
    MAX_OTHER_LENGTH,
    OTHER_VALUE,
    VALUE_PATTERN,
    AnswerError,
    Form,
    Question,
    Raw,
    as_list,
    check_text,
    single_value,
    slugify,
)


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
    def form_fields(self) -> tuple[str, ...]:
        return (self.id, self.other_field) if self.other_label else (self.id,)

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
        return self.clean(self.raw_from(form), other_text=single_value(form.get(self.other_field)))

    def _other(self, other_text: str) -> dict[str, str]:
        if not other_text.strip():
            raise AnswerError("Tell us what ‘other’ means for you", self.other_field)
        check_text(other_text, MAX_OTHER_LENGTH, field_id=self.other_field)
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
        value = single_value(raw)
        if not value:
            return self._blank()
        return self._pick(value, other_text)

    def form_values(self, value):
        if value is None:
            return {}
        if isinstance(value, dict):
            return {self.id: OTHER_VALUE, self.other_field: value.get("other", "")}
        return {self.id: value}

    def condition_values(self) -> tuple[Any, ...]:
        return self.values

    def display(self, value):
        return "" if value is None else self.label_for(value)


@dataclass(frozen=True, kw_only=True)
class MultipleChoice(_Choice):
    type_name: ClassVar[str] = "multiple_choice"
    type_label: ClassVar[str] = "Multiple choice"
    blank_message: ClassVar[str] = "Select at least one option"

    def clean(self, raw: Raw, other_text: str = "") -> Any:
        chosen = [value for value in as_list(raw) if value]
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

    def condition_values(self) -> tuple[Any, ...]:
        return tuple(p.value for p in self.points) + (
            (NOT_APPLICABLE,) if self.not_applicable else ()
        )

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

    def condition_values(self) -> tuple[Any, ...]:
        return (True, False)

    def display(self, value):
        return "" if value is None else ("Yes" if value else "No")
