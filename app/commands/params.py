"""Parameter types the `debrief` commands share."""

from __future__ import annotations

import re

import click

from app.edge import MAX_ID

# ASCII digits, few enough for int(): "²" passes str.isdigit() and 5,000 nines pass too.
_DIGITS = re.compile(r"[0-9]{1,10}")


class RecordId(click.ParamType):
    """A record's id: a whole number a database id column can hold, as `<int:...>` in URLs.

    A larger number would overflow the database driver (a traceback on SQLite) instead of
    being the "no such record" of any unknown id.
    """

    name = "id"

    def convert(self, value, param, ctx) -> int:
        if isinstance(value, int):
            number = value
        else:
            text = str(value).strip()
            number = int(text) if _DIGITS.fullmatch(text) else 0
        if not 1 <= number <= MAX_ID:
            self.fail(f"{value!r} is not an id: use a whole number from 1 to {MAX_ID}", param, ctx)
        return number


RECORD_ID = RecordId()
