"""Lexical features shared by theme grouping and labelling: content words, stems, synonyms."""

from __future__ import annotations

import hashlib

from analysis import _lexicon as lx
from analysis.sentiment import tokenise

# Canonical forms so that "deadline", "timescale" and "window" meet in one feature.
_SYNONYMS: dict[str, str] = {
    w: canon
    for canon, words in {
        "timeframe": "deadline deadlines timescale timescales timeframe timeframes window "
        "windows timetable closing weeks week time timing",
        "advertise": "advert adverts advertised advertising advertise advertisement publicity "
        "publicised publicized publicise postcard postcards",
        "briefing": "briefing briefings brief session sessions event events",
        "officer": "officer officers staff team",
        "panel": "panel panels panellist panellists assessment scoring scored score scores",
        "document": "document documents docs pack download downloaded downloading downloadable",
        "online": "online website web site internet",
        "guidance": "guidance guide instructions instruction notes",
        "communicate": "communication communications communicate communicated updates update "
        "informed news",
        "consult": "consult consultation consulted consulting",
        "network": "network networks networking forum buddy peer",
        "form": "form forms",
        "community": "community communities residents parents local",
        "cvs": "cvs voluntary charity charities",
    }.items()
    for w in words.split()
}
# The canonical forms name the topics commissioning feedback is about; grouping weights them
# above other words (`analysis.grouping.TOPIC_WEIGHT`).
TOPIC_FORMS = frozenset(_SYNONYMS.values())


def stem(word: str) -> str:
    """Map a word to a canonical form: domain synonym, else a light plural strip."""
    if word in _SYNONYMS:
        return _SYNONYMS[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def is_evaluative(word: str) -> bool:
    return word in lx.DOMAIN or word in lx.GENERAL or word in lx.MODIFIERS


def content_words(text: str) -> list[str]:
    """Return lower-case content words of a text (no stop words, no punctuation)."""
    return [t for t in tokenise(text) if t[0].isalpha() and t not in lx.STOPWORDS]


def features(words: list[str]) -> list[str]:
    """Turn content words into unigram and bigram features for topic grouping."""
    stems = [stem(w) for w in words if not is_evaluative(w) and len(w) > 1]
    stems = [s for s in stems if s not in WEAK]
    return stems + [f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False) if a != b]


WEAK = frozenset(
    "process thing things lot bit way also made make felt feel found think need needed "
    "got get given give us our".split()
)


def hash_key(text: str) -> str:
    """Return a stable hex digest of a text (for sampling and keys)."""
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def sample(items: list[int], ids: list[str], size: int) -> list[int]:
    """Choose a deterministic sample of indices by hashing answer ids."""
    if len(items) <= size:
        return items
    return sorted(sorted(items, key=lambda i: hash_key(ids[i]))[:size])
