"""Cursor pages: `?cursor=` from the previous page's `next_cursor`, and `limit` (1-100).

The cursor is opaque text for the id `surveys.services.cursor_pages` pages after.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select

from app.edge import MAX_ID
from surveys.errors import InvalidInput
from surveys.services import cursor_pages

BAD_CURSOR = InvalidInput("Bad cursor", {"cursor": "Use the next_cursor of the previous page"})
# ASCII digits only: str.isdigit() also takes "²", which int() then refuses.
_AFTER = re.compile(r"after:([0-9]{1,10})")


def encode(after: int | None) -> str | None:
    """Make an opaque cursor from the last id of a page."""
    if after is None:
        return None
    return base64.urlsafe_b64encode(f"after:{after}".encode()).decode().rstrip("=")


def decode(cursor: str | None) -> int | None:
    """Return the id a cursor stands for (InvalidInput if it is not one of ours)."""
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BAD_CURSOR from None
    match = _AFTER.fullmatch(text)
    if match is None or int(match.group(1)) > MAX_ID:
        raise BAD_CURSOR
    return int(match.group(1))


def paged(source: Select[Any] | Sequence[Any], args: dict[str, Any]) -> dict[str, Any]:
    """Return the page the request's cursor and limit ask for, ready for a page schema."""
    after, limit = decode(args.get("cursor")), args["limit"]
    if isinstance(source, Select):
        result = cursor_pages.page(source, after, limit)
    else:
        result = cursor_pages.page_list(source, after, limit)
    return {"items": result.items, "next_cursor": encode(result.next_after)}
