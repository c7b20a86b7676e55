"""Answers to officers' `/debrief` questions: parsed command in, `Reply` out.

Each answer calls the services that own the rule (summaries, search, tracking, lessons)
and renders their results with `bot.blocks`. The same function answers the first ask, a
*More* page and a *Share to channel*, so a shared answer is recomputed, never copied.
"""

from __future__ import annotations

from collections.abc import Callable

from bot import blocks, reply_blocks, web
from bot.blocks import Reply
from bot.parsing import ParsedCommand
from bot.text import escape
from surveys.errors import InvalidInput, NotFound
from surveys.models import ACTION_STATUSES, CHANNELS, SECTORS, Officer, Round
from surveys.services import ask as ask_service
from surveys.services import lessons, rounds_admin, summary_store, tracking
from surveys.services import search as search_service

Answerer = Callable[[ParsedCommand, Officer], Reply]

# Answers that a *Share to channel* button may post for everyone to see.
SEARCH_PAGE = 8
SHAREABLE = frozenset(
    {"ask", "summary", "well", "improve", "search", "compare", "rate", "actions", "rounds"}
)


def answer(command: ParsedCommand, officer: Officer) -> Reply:
    """Answer an officer's command, translating domain errors into a friendly message."""
    command = as_known(command)
    try:
        return ANSWERERS[command.name](command, officer)
    except UnknownRound as error:
        return blocks.round_not_found(error.slug)
    except InvalidInput as error:
        return blocks.message(escape(str(error)))


def as_known(command: ParsedCommand) -> ParsedCommand:
    """Read anything that is not a command as a question in plain words (`ask`)."""
    if command.name in ANSWERERS:
        return command
    return ParsedCommand("ask", (command.name, *command.args), command.filters)


def answer_for_asker(command: ParsedCommand, officer: Officer) -> Reply:
    """Answer as above, adding *Share to channel* when the answer may be shared."""
    command = as_known(command)
    reply = answer(command, officer)
    if command.name in SHAREABLE and _is_answer(reply):
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
    return reply_blocks.rounds_reply(rounds_admin.list_rounds())


def _criteria(command: ParsedCommand, example: str) -> dict[str, str | None]:
    """Return the round:, sector: and sentiment: filters typed, checking the round exists."""
    filters = command.filters
    if not command.words and not filters:
        raise InvalidInput(f"Say what to look for, like `/debrief {example}`.")
    if "round" in filters:
        round_named(filters["round"])
    return {
        "round_slug": filters.get("round"),
        "sector": filters.get("sector"),
        "sentiment": (filters.get("sentiment") or "").lower() or None,
    }


def search(command: ParsedCommand, officer: Officer, offset: int = 0) -> Reply:
    """Find answers about the words, by meaning, with the round, sector and sentiment filters."""
    criteria = _criteria(command, "search timeframe round:phase-2")
    page = search_service.search_answers(
        command.words, offset=offset, limit=SEARCH_PAGE, **criteria
    )
    filters = command.filters
    more = blocks.encode({"q": command.text(), "o": page.next_offset})
    return reply_blocks.search_reply(
        command.words, filters, page, offset, more if page.next_offset is not None else None
    )


def ask(command: ParsedCommand, officer: Officer) -> Reply:
    """Answer a question in plain words, like `/debrief ask what did charities say ...`."""
    criteria = _criteria(command, "ask what went well in phase 2?")
    asked = ask_service.ask(command.words, **criteria)
    return reply_blocks.ask_reply(asked, ask_service.describe_filters(asked.question))


def actions(command: ParsedCommand, officer: Officer) -> Reply:
    """List a round's lessons and actions, with buttons to update each action."""
    round_ = _round_from(command)
    return reply_blocks.actions_reply(
        round_, lessons.lessons_for_round(round_), ACTION_STATUSES, web.lessons_url(round_)
    )


def rate(command: ParsedCommand, officer: Officer) -> Reply:
    """Show a round's response rates by sector and channel, and the chase list's size."""
    round_ = _round_from(command)
    return reply_blocks.rate_reply(
        round_,
        tracking.round_progress(round_),
        SECTORS,
        CHANNELS,
        len(tracking.chase_list(round_)),
        {"dashboard": web.dashboard_url(round_), "chase": web.chase_url(round_)},
    )


def summary(command: ParsedCommand, officer: Officer) -> Reply:
    """Summarise a round: methodology, top themes each side with a quote, report link."""
    round_ = _round_from(command)
    stored = summary_store.stored_summary(round_)
    return reply_blocks.summary_reply(stored.summary, web.report_url(round_))


def went_well(command: ParsedCommand, officer: Officer) -> Reply:
    """List every "what went well" theme of a round."""
    round_ = _round_from(command)
    summary_ = summary_store.stored_summary(round_).summary
    return reply_blocks.side_reply(summary_, "went_well", web.report_url(round_))


def improve(command: ParsedCommand, officer: Officer) -> Reply:
    """List every "what could improve" theme of a round."""
    round_ = _round_from(command)
    summary_ = summary_store.stored_summary(round_).summary
    return reply_blocks.side_reply(summary_, "improve", web.report_url(round_))


def compare(command: ParsedCommand, officer: Officer) -> Reply:
    """Compare two rounds: recurring, resolved and new themes, ratings, response rate."""
    if len(command.args) < 2:
        raise InvalidInput("Name two rounds, like `/debrief compare phase-2 phase-3`.")
    earlier, later = _round_from(command, 0), _round_from(command, 1)
    comparison = summary_store.compare_stored(earlier, later)
    return reply_blocks.compare_reply(comparison, earlier, later)


ANSWERERS: dict[str, Answerer] = {
    "summary": summary,
    "well": went_well,
    "improve": improve,
    "compare": compare,
    "rate": rate,
    "rounds": rounds,
    "search": search,
    "ask": ask,
    "actions": actions,
}
