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
