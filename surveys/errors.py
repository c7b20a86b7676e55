"""Domain errors raised by services and translated at each face."""

from __future__ import annotations


class DebriefError(Exception):
    """Base class for errors a face can show to a person."""


class NotFound(DebriefError):
    """The record asked for does not exist (or may not be revealed)."""


class InvalidInput(DebriefError):
    """Input failed validation; `errors` maps field names to messages."""

    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


class DefinitionError(DebriefError):
    """A questionnaire definition is invalid; the message names the file, question and field."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


class SurveyClosed(DebriefError):
    """The survey's round is not open, so nothing may be stored."""


class AlreadySubmitted(DebriefError):
    """The response (or the invitation's response) has already been submitted."""

    def __init__(
        self, message: str = "This questionnaire has already been submitted.", *, response=None
    ) -> None:
        super().__init__(message)
        self.response = response
