"""Free-text question types: short text, long text (the analysed kinds) and email."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from email_validator import EmailNotValidError, validate_email

from surveys.definitions.base import (
    LONG_TEXT_KINDS,
    AnswerError,
    Question,
    check_text,
)


@dataclass(frozen=True, kw_only=True)
class ShortText(Question):
    type_name: ClassVar[str] = "short_text"
    type_label: ClassVar[str] = "Short text"
    default_max_length: ClassVar[int | None] = 200

    def clean_text(self, text: str) -> str:
        check_text(text, self.max_length, field_id=self.field_id)
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
        check_text(text, self.max_length, field_id=self.field_id)
        return text


@dataclass(frozen=True, kw_only=True)
class Email(Question):
    type_name: ClassVar[str] = "email"
    type_label: ClassVar[str] = "Email address"
    default_max_length: ClassVar[int | None] = 254
    blank_message: ClassVar[str] = "Enter an email address"

    def clean_text(self, text: str) -> str:
        address = text.strip()
        check_text(address, self.max_length, field_id=self.field_id)
        try:
            validate_email(address, check_deliverability=False)
        except EmailNotValidError:
            raise AnswerError(
                "Enter an email address in the correct format, like name@example.com",
                self.field_id,
            ) from None
        return address
