"""Redaction of personal details (emails, UK phone numbers, people's names) from quotes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

REDACTED = "[redacted]"

_EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Candidate phone spans; the digit count decides (UK numbers have 10 or 11 digits with the 0).
_PHONE_RE = re.compile(r"(?<![\w+])(?:\+\s?44|\(?0)[\d\s()\-.]{8,18}\d(?!\d)")
_TITLES = (
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Mx",
    "Dr",
    "Prof",
    "Professor",
    "Cllr",
    "Councillor",
    "Sir",
    "Dame",
    "Rev",
    "Revd",
    "Lady",
    "Lord",
)
# A title counts only when written as one ("Miss Patel", "MRS PATEL"), so "hard to miss. Good"
# is left alone.
_TITLE_WORDS = "|".join(sorted({*_TITLES, *(t.upper() for t in _TITLES)}, key=len, reverse=True))
_TITLED_RE = re.compile(rf"\b(?:{_TITLE_WORDS})\b\.?\s+[A-Z][\w'\-]*(?:\s+[A-Z][\w'\-]*)?")
_REPEATS_RE = re.compile(r"(?:\[redacted\][\s,]*){2,}")


def _is_uk_phone(span: str) -> bool:
    """Say whether a candidate span has the digit count of a UK phone number."""
    digits = re.sub(r"\D", "", span)
    if span.lstrip().startswith("+"):
        digits = "0" + digits[2:].removeprefix("0")
    return digits.startswith("0") and len(digits) in (10, 11)


def _replace_phones(text: str) -> str:
    return _PHONE_RE.sub(lambda m: REDACTED if _is_uk_phone(m.group()) else m.group(), text)


def _replace_titled(text: str) -> str:
    """Redact "Mrs Patel" and "Dr. Jones"; the name must start with a capital letter."""
    return _TITLED_RE.sub(REDACTED, text)


def _name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """Return one pattern for full names and first names, longest first (cached)."""
    return _compiled_names(tuple(sorted({" ".join(n.split()) for n in names} - {""})))


@lru_cache(maxsize=64)
def _compiled_names(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """Compile the pattern for a sorted tuple of distinct names; a summary reuses it per quote."""
    variants: set[str] = set()
    for name in names:
        parts = name.split()
        variants.add(" ".join(parts))
        variants.add(parts[0])
    if not variants:
        return None
    ordered = sorted(variants, key=lambda v: (-len(v), v))
    body = "|".join(r"\s+".join(re.escape(p) for p in v.split()) for v in ordered)
    return re.compile(rf"(?<![\w@])(?:{body})(?![\w@])", re.IGNORECASE)


def redact(text: str, names: Iterable[str] = ()) -> str:
    """Replace emails, UK phone numbers and people's names with "[redacted]"."""
    out = _EMAIL_RE.sub(REDACTED, text)
    out = _replace_phones(out)
    out = _replace_titled(out)
    pattern = _name_pattern(names)
    if pattern is not None:
        out = pattern.sub(REDACTED, out)
    return _REPEATS_RE.sub(lambda m: REDACTED + (" " if m.group().endswith(" ") else ""), out)
