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


# Name parts that are also everyday words: redacted only when written with a capital
# ("ask Will", "WILL"), never as the word ("we will", "may help", "mark the form").
COMMON_WORD_NAMES = frozenset(
    """
    will may mark bill grace hope joy faith rose june april august summer dawn
    sue pat ray frank drew chase hunter page dean holly ivy lily daisy jade ruby
    pearl amber angel sunny rich guy gene art miles penny sandy carol don rob robin
    jack sky river brook hall king young white brown green black wood hill long
    little rice cook baker smith price lane best moss stone marsh bell bush field
    """.split()
)


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """Return TextBlob's English word list, so surnames like "Grant" spare "a small grant"."""
    from analysis.sentiment_lexicon import spelling_vocabulary

    return spelling_vocabulary()


def is_everyday_word(part: str) -> bool:
    """Say whether a name part is also an ordinary English word ("Will", "Grant", "Mason")."""
    lower = part.lower()
    return lower in COMMON_WORD_NAMES or lower in _english_words()


# Parts too short or too common as particles to stand alone as a name.
_PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "la", "le", "du", "da", "di", "del", "st"}
)


def _name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """Return one pattern for full names and their parts, longest first (cached)."""
    return _compiled_names(tuple(sorted({" ".join(n.split()) for n in names} - {""})))


def name_parts(name: str) -> list[str]:
    """Return the parts of a name that can identify a person on their own (first, surname).

    Initials, particles ("de", "van"), titles and parts without a letter ("Contact 12")
    are not names on their own.
    """
    parts = [part.strip(".,") for part in name.split()]
    return [
        p
        for p in parts
        if len(p) >= 2
        and any(ch.isalpha() for ch in p)
        and p.lower() not in _PARTICLES
        and p.rstrip(".") not in _TITLES
    ]


def _alternation(variants: Iterable[str]) -> str:
    ordered = sorted(set(variants), key=lambda v: (-len(v), v))
    return "|".join(r"\s+".join(re.escape(p) for p in v.split()) for v in ordered)


@lru_cache(maxsize=64)
def _compiled_names(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """Compile the pattern for a sorted tuple of distinct names; a summary reuses it per quote.

    Full names and uncommon parts match in any case ("yolanda xenakis" in a theme label);
    parts that are everyday words match only capitalised or in capitals.
    """
    anycase: set[str] = set()
    capitalised: set[str] = set()
    for name in names:
        full = " ".join(name.split())
        parts = name_parts(full)
        if parts and all(is_everyday_word(part) for part in parts):
            capitalised.update({full.title(), full.upper()})  # "Will Hope", not "will hope"
        else:
            anycase.add(full)
        for part in parts:
            if is_everyday_word(part):
                capitalised.update({part[:1].upper() + part[1:].lower(), part.upper()})
            else:
                anycase.add(part)
    if not anycase and not capitalised:
        return None
    branches = [f"(?i:{_alternation(anycase)})"] if anycase else []
    if capitalised:
        branches.append(_alternation(capitalised))
    return re.compile(rf"(?<![\w@])(?:{'|'.join(branches)})(?![\w@])")


def redact(text: str, names: Iterable[str] = ()) -> str:
    """Replace emails, UK phone numbers and people's names with "[redacted]"."""
    out = _EMAIL_RE.sub(REDACTED, text)
    out = _replace_phones(out)
    out = _replace_titled(out)
    pattern = _name_pattern(names)
    if pattern is not None:
        out = pattern.sub(REDACTED, out)
    return _REPEATS_RE.sub(lambda m: REDACTED + (" " if m.group().endswith(" ") else ""), out)


def label_without_names(label: str, names: Iterable[str], fallback: str = "Other comments") -> str:
    """Return a theme label with people's names (and contact details) dropped, not masked."""
    cleaned = redact(label, names)
    if cleaned == label:
        return label
    words = [word for word in cleaned.split() if REDACTED not in word]
    return " ".join(words).strip(" ,;:-") or fallback
