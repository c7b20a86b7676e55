"""Keep secrets and personal details out of every log line.

Personal-link, opt-out and password-reset tokens travel in URL paths (and API tokens
may be pasted into a query string by mistake, or a header quoted in an error), so Flask's
"Exception on /r/<token>" lines, gunicorn's access log and the worker's messages would
all carry them. One log-record factory, installed once per process, scrubs every record
as it is made, whichever logger or handler it is for: its message, formatted with its
arguments, and its traceback. Email addresses are masked too.
"""

from __future__ import annotations

import logging
import re
from typing import Any

TOKEN_PATHS = re.compile(r"(/(?:r|opt-out|reset-password)/)(?!sent\b)[^/\s?#\"'<>]+")
TOKEN_QUERY = re.compile(r"([?&](?:token|t|access_token|api_key|apikey)=)[^&\s\"'#]+")
# API tokens wherever they appear (a query string, a pasted header) and Bearer credentials.
API_TOKEN = re.compile(r"dbt_[A-Za-z0-9_-]+")
BEARER = re.compile(r"(Bearer\s+)[^\s\"',;]+", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_previous_factory: Any = None


def scrub(text: str) -> str:
    """Replace tokens in link paths and email addresses with placeholders."""
    text = TOKEN_PATHS.sub(r"\1[token]", text)
    text = TOKEN_QUERY.sub(r"\1[token]", text)
    text = API_TOKEN.sub("[token]", text)
    text = BEARER.sub(r"\1[token]", text)
    return EMAIL.sub("[email]", text)


def scrub_record(record: logging.LogRecord) -> logging.LogRecord:
    """Scrub a record's message (formatted with its arguments) and traceback in place."""
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a malformed call: leave it for logging to report
        message = None
    if message is not None:
        # Formatted first: a token may arrive as an argument ("/r/%s", token).
        record.msg, record.args = scrub(message), ()
    if record.exc_info and record.exc_info[0] is not None:
        # Formatters reuse exc_text when it is set, so the scrubbed traceback is what they write.
        record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
    return record


def install() -> None:
    """Scrub every log record made in this process (idempotent)."""
    global _previous_factory
    if _previous_factory is not None:
        return
    _previous_factory = logging.getLogRecordFactory()
    previous = _previous_factory

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return scrub_record(previous(*args, **kwargs))

    logging.setLogRecordFactory(factory)
