"""The tagger's optional readers (e5, MiniLM): each may be turned off, or unusable here.

Either way the tagger reads without it, after one warning that says why.
"""

from __future__ import annotations

import logging
import os

_OFF = ("off", "0", "false", "no")


def turned_off(variable: str) -> bool:
    """Return whether an environment variable such as DEBRIEF_E5 says "off"."""
    return os.environ.get(variable, "").strip().lower() in _OFF


def usable(log: logging.Logger, reader: str, reason: str | None) -> bool:
    """Return whether there is no reason against the reader; warn when there is one.

    Callers cache the answer, so the warning is given once per process.
    """
    if reason is not None:
        log.warning("%s unavailable: %s; sentiment reads without it", reader, reason)
    return reason is None
