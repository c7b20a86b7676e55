"""Word scores for the sentiment rules: TextBlob's pattern lexicon, VADER's, and fallbacks.

TextBlob's data files (`en-sentiment.xml`, `en-lexicon.txt`, `en-spelling.txt`) are read
straight from the installed package, without importing TextBlob: its import pulls in NLTK
and SciPy, about a second of start-up that `debrief tag` cannot afford. The pattern
lexicon is averaged as TextBlob does (senses per part of speech, then parts of speech) and
overlaid with the commissioning-feedback lexicon in `analysis._lexicon`. Words neither
knows fall back to VADER's human-rated lexicon, then to base forms, the last part of a
hyphenated word and a one-edit spelling correction.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources, util
from pathlib import Path
from xml.etree import ElementTree

from analysis import _lexicon as lx


def _textblob_file(name: str) -> Path:
    """Return the path of a data file TextBlob ships, without importing TextBlob."""
    spec = util.find_spec("textblob")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("textblob is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "en" / name


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


@cache
def pattern_lexicon() -> dict[str, tuple[float, float]]:
    """Return TextBlob's (polarity, subjectivity) per word, computed as TextBlob does.

    Senses are averaged per part of speech, then over parts of speech; each adjective
    also scores its "-ly" adverb ("terrible" -> "terribly"), overriding the file's entry.
    """
    senses: dict[str, dict[str | None, list[tuple[float, float]]]] = {}
    # The file is TextBlob's own installed data, not user input.
    root = ElementTree.parse(_textblob_file("en-sentiment.xml")).getroot()  # noqa: S314
    for node in root.iter("word"):
        form = node.get("form")
        if form:
            pair = (float(node.get("polarity", 0.0)), float(node.get("subjectivity", 0.0)))
            senses.setdefault(form, {}).setdefault(node.get("pos"), []).append(pair)
    out: dict[str, tuple[float, float]] = {}
    adjectives: list[tuple[str, tuple[float, float]]] = []
    for form, by_pos in senses.items():
        per_pos = {pos: _mean_pair(pairs) for pos, pairs in by_pos.items()}
        out[form] = _mean_pair(list(per_pos.values()))
        if "JJ" in per_pos:
            adjectives.append((form, per_pos["JJ"]))
    for form, pair in adjectives:
        stem = form[:-1] + "i" if form.endswith("y") else form
        out[(stem[:-2] if stem.endswith("le") else stem) + "ly"] = pair
    return out


def _mean_pair(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    return _mean([p for p, _ in pairs]), _mean([s for _, s in pairs])


@cache
def word_scores() -> dict[str, tuple[float, float]]:
    """Load TextBlob's lexicon once and overlay the domain words."""
    scores: dict[str, tuple[float, float]] = {}
    for word, (polarity, subjectivity) in pattern_lexicon().items():
        if " " not in word and (polarity or subjectivity):
            scores[word] = (polarity, subjectivity)
    for word in lx.NEUTRALISED:
        if word in scores:
            scores[word] = (0.0, scores[word][1])
    for word, polarity in (lx.GENERAL | lx.DOMAIN).items():
        scores[word] = (polarity, 0.6 if polarity else 0.0)
    return scores


def _vader_text() -> str:
    return resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text("utf-8")


@cache
def _vader_scores() -> dict[str, float]:
    """Load VADER's human-rated lexicon once, as a fallback for words TextBlob lacks.

    Valences (-4..4) are scaled to TextBlob's -1..1. VADER rated words out of context, so
    topic nouns such as "charity", "support" or "opportunity" carry praise they do not
    have in feedback: nouns (by the Brill tag list TextBlob ships) count only when
    strongly rated, and words our own rules read (negators, cues, modifiers) are skipped.
    """
    valences: dict[str, float] = {}
    for line in _vader_text().splitlines():
        word, _, rest = line.partition("\t")
        if word.replace("-", "").replace("'", "").isalpha() and rest:
            valences[word] = float(rest.split("\t", 1)[0])
    tags = word_tags()
    nouns = {word for word in valences if tags.get(word, "").startswith("NN")}
    skip = lx.NEUTRALISED | lx.NEGATORS | lx.IMPERATIVES | lx.SUGGESTION_WORDS | _VADER_SKIP
    return {
        word: round(value / 4.0, 3)
        for word, value in valences.items()
        if word not in skip
        and word not in lx.MODIFIERS
        and abs(value) >= (_VADER_NOUN_MIN if word in nouns else _VADER_MIN)
    }


@cache
def word_tags() -> dict[str, str]:
    """Return each word's commonest part of speech from the Brill list TextBlob ships.

    This reads the data file only; TextBlob's taggers need NLTK data we do not ship.
    """
    tags: dict[str, str] = {}
    for line in _textblob_file("en-lexicon.txt").read_text("utf-8").splitlines():
        word, _, pos = line.partition(" ")
        if pos and not word.startswith(";"):
            tags.setdefault(word, pos)
    return tags


def is_opinion(word: str) -> bool:
    """Return whether a word carries clear sentiment in the tagger's lexicons."""
    found = lookup(word)
    return found is not None and abs(found[0]) >= 0.3


@cache
def spelling_vocabulary() -> frozenset[str]:
    """Return the English word list TextBlob ships, to tell typos from real words."""
    return frozenset(
        line.split(" ", 1)[0]
        for line in _textblob_file("en-spelling.txt").read_text("utf-8").splitlines()
        if line and not line.startswith(";")
    )


_VADER_MIN = 2.0
_VADER_NOUN_MIN = 2.5
# Function words and question-kind words VADER scores that carry no opinion here.
_VADER_SKIP = frozenset("like likes please yes no want ok okay fine well help kind".split())
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_RESOLVED: dict[str, tuple[float, float, str] | None] = {}


def _inflections(word: str) -> list[str]:
    """Return plausible base forms of an inflected word ("struggles" -> "struggle")."""
    out = []
    if word.endswith("ies") and len(word) > 4:
        out.append(word[:-3] + "y")
    if word.endswith("ied") and len(word) > 4:
        out.append(word[:-3] + "y")
    if word.endswith("s") and not word.endswith("ss"):
        out.append(word[:-1])
    if word.endswith("es"):
        out.append(word[:-2])
    for suffix in ("ed", "ing"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            out += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                out.append(stem[:-1])
    if word.endswith("ly") and len(word) > 4:
        out.append(word[:-2])
        if word.endswith("ily"):
            out.append(word[:-3] + "y")
    return out


def _edits(word: str) -> set[str]:
    """Return every string one edit away from word (Norvig's spelling corrector)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return {
        *(a + b[1:] for a, b in splits if b),
        *(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1),
        *(a + c + b[1:] for a, b in splits if b for c in _LETTERS),
        *(a + c + b for a, b in splits for c in _LETTERS),
    }


def _direct(word: str, adjectives: bool = True) -> tuple[float, float, str] | None:
    score = word_scores().get(word)
    if score is not None and (adjectives or word in lx.DOMAIN or word in lx.GENERAL):
        return score[0], score[1], ""
    valence = _vader_scores().get(word)
    if valence is not None:
        return valence, 0.6, " (VADER)"
    return None


def lookup(word: str) -> tuple[float, float, str] | None:
    """Score a word: TextBlob and domain lexicon, then VADER, inflections, hyphen, typos.

    Returns (polarity, subjectivity, note) where note says which fallback found it.
    """
    if word in _RESOLVED:
        return _RESOLVED[word]
    found = _direct(word)
    if found is None and word.isalpha():
        for base in _inflections(word):
            found = _direct(base, adjectives=word.endswith("ly"))
            if found is not None and found[0]:
                found = (found[0], found[1], f" (as '{base}'){found[2]}")
                break
            found = None
    if found is None and "-" in word:
        head, _, tail = word.rpartition("-")
        inner = lookup(tail)
        if inner is not None and inner[0] and head not in ("non", "un", "anti"):
            found = (inner[0], inner[1], f" (as '{tail}'){inner[2]}")
    if found is None and word.isalpha() and len(word) >= 6:
        found = _correct(word)
    _RESOLVED[word] = found
    return found


def _correct(word: str) -> tuple[float, float, str] | None:
    """Score a misspelt evaluative word ("dissapointed", "experiance") by its correction.

    Doubled letters are squashed first, then one edit is allowed; a correction counts only
    when it is unique among the scored words and the typo is not itself an English word.
    """
    if word in spelling_vocabulary():
        return None
    index = _squashed_index()
    squashed = _squash(word)
    if squashed in index:
        candidates = {index[squashed]}
    else:
        candidates = {index[e] for e in _edits(squashed) if e in index}
    if len(candidates) != 1 or "" in candidates:
        return None
    candidate = candidates.pop()
    polarity, subjectivity, note = _direct(candidate) or (0.0, 0.0, "")
    return (polarity, subjectivity, f" (read as '{candidate}'){note}") if polarity else None


def _squash(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", word)


@cache
def _squashed_index() -> dict[str, str]:
    """Map each scored word with its doubled letters squashed to the word ("" if ambiguous)."""
    index: dict[str, str] = {}
    words = [w for w, (p, _s) in word_scores().items() if p] + list(_vader_scores())
    for word in sorted(set(words)):
        if word.isalpha() and len(word) >= 5:
            key = _squash(word)
            index[key] = word if index.get(key, word) == word else ""
    return index
