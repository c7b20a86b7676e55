"""Answers to officers' `/debrief` questions: parsed command in, `Reply` out.

Each answer calls the services that own the rule (summaries, search, tracking, lessons)
and renders their results with `bot.blocks`. The same function answers the first ask, a
*More* page and a *Share to channel*, so a shared answer is recomputed, never copied.
"""

from __future__ import annotations

from collections.abc import Callable

from bot import blocks
from bot.blocks import Reply
from bot.parsing import ParsedCommand
from bot.text import escape
from surveys.errors import InvalidInput, NotFound
from surveys.models import Officer, Round
from surveys.services import rounds_admin

Answerer = Callable[[ParsedCommand, Officer], Reply]

# Answers that a *Share to channel* button may post for everyone to see.
SHAREABLE = frozenset({"summary", "well", "improve", "compare", "rate", "actions", "rounds"})


def answer(command: ParsedCommand, officer: Officer) -> Reply:
    """Answer an officer's command, translating domain errors into a friendly message."""
    answerer = ANSWERERS.get(command.name)
    if answerer is None:
        return blocks.unknown_command(command.name)
    try:
        return answerer(command, officer)
    except UnknownRound as error:
        return blocks.round_not_found(error.slug)
    except InvalidInput as error:
        return blocks.message(escape(str(error)))


def answer_for_asker(command: ParsedCommand, officer: Officer) -> Reply:
    """Answer as above, adding *Share to channel* when the answer may be shared."""
    reply = answer(command, officer)
    if command.name in SHAREABLE and command.name in ANSWERERS and _is_answer(reply):
        return blocks.with_share(reply, command.text())
    return reply


def _is_answer(reply: Reply) -> bool:
    return len(reply.blocks) > 1


class UnknownRound(Exception):
    def __init__(self, slug: str) -> None:
        super().__init__(slug)
        self.slug = slug


def round_named(slug: str) -> Round:
    """Return the round with this slug, or raise UnknownRound."""
    try:
        return rounds_admin.round_by_slug(slug)
    except NotFound:
        raise UnknownRound(slug) from None


def _round_from(command: ParsedCommand, position: int = 0) -> Round:
    if len(command.args) <= position:
        raise InvalidInput(f"Name a round, like `/debrief {command.name} phase-2`.")
    return round_named(command.args[position])


def rounds(command: ParsedCommand, officer: Officer) -> Reply:
    return blocks.rounds_reply(rounds_admin.list_rounds())


ANSWERERS: dict[str, Answerer] = {
    "rounds": rounds,
}
