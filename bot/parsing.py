"""Reading the text after `/debrief`: a subcommand, its words and `key:value` filters."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

FILTER_KEYS = ("round", "sector", "sentiment")
# Slack sends channel and user references as <#C123|name> and <@U123>; keep the words only.
_SLACK_REFERENCE = re.compile(r"<[#@!][^>|]*\|?([^>]*)>")


@dataclass(frozen=True)
class ParsedCommand:
    """A `/debrief` command: `name`, positional `args`, and `filters` given as key:value."""

    name: str
    args: tuple[str, ...] = ()
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def words(self) -> str:
        return " ".join(self.args)

    def text(self) -> str:
        """Return the command as an officer would type it (for re-running and sharing)."""
        parts = [self.name, *self.args, *(f"{k}:{v}" for k, v in self.filters.items())]
        return " ".join(p for p in parts if p)


def parse(text: str | None) -> ParsedCommand:
    """Parse the text of a slash command."""
    cleaned = _SLACK_REFERENCE.sub(r"\1", html.unescape(text or ""))
    tokens = cleaned.split()
    if not tokens:
        return ParsedCommand(name="help")
    name, rest = tokens[0].lower(), tokens[1:]
    args: list[str] = []
    filters: dict[str, str] = {}
    for token in rest:
        key, sep, value = token.partition(":")
        if sep and key.lower() in FILTER_KEYS and value:
            filters[key.lower()] = value
        else:
            args.append(token)
    return ParsedCommand(name=name, args=tuple(args), filters=filters)
