"""Text for Slack: escaping respondent text and keeping it within Block Kit's limits."""

from __future__ import annotations

# Slack's mrkdwn treats these three as control characters: `<!channel>`, `<@U123>` and
# `<https://evil|click>` all start with `<`. Escaping them is the whole of Slack's advice.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})

SECTION_LIMIT = 3000
PLAIN_TEXT_LIMIT = 150


def escape(text: object) -> str:
    """Escape text for Slack so it can never ping a channel, mention anyone or smuggle a link."""
    return str(text if text is not None else "").translate(_ESCAPES)


def truncate(text: str, limit: int) -> str:
    """Shorten text to `limit` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def quote(text: object, limit: int = 400) -> str:
    """Return respondent text escaped, shortened and set as a Slack block quote."""
    cleaned = " ".join(str(text or "").split())
    return "> " + escape(truncate(cleaned, limit))


def plural(count: int, word: str, plural_word: str | None = None) -> str:
    """Return '1 answer' or '3 answers'."""
    return f"{count} {word if count == 1 else (plural_word or word + 's')}"


def percent(rate: float | None) -> str:
    """Return a rate in 0..1 as a whole percentage, or a dash when there is none."""
    return "–" if rate is None else f"{round(rate * 100)}%"
