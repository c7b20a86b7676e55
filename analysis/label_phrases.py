"""Candidate label phrases: the 2-6 word noun phrases (or short clauses) an answer contains.

A candidate is shared, topical and readable: it names a thing (not a feeling or filler), has
no dangling verb or preposition at its edges, no finite verb in the middle ("apply made all
the difference"), no person's name, handle or number ("Zoe", "@united", "90 minutes"), and
is not negated praise ("too much trouble" from "nothing was too much trouble"). A phrase cut
out of a longer noun compound ("sector on the scoring panel" from "voluntary sector on the
scoring panel") is marked as cut, so labelling prefers the whole compound.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from analysis import _lexicon as lx
from analysis._textfeatures import WEAK, is_evaluative, stem
from analysis.sentiment import is_opinion, word_tags

LABEL_MIN, LABEL_MAX = 2, 6
ACRONYMS = {
    "eoi": "EOI",
    "cvs": "CVS",
    "pct": "PCT",
    "faq": "FAQ",
    "vcs": "VCS",
    "tupe": "TUPE",
    "nhs": "NHS",
    "gp": "GP",
    "covid": "COVID",
}
_HANDLES_RE = re.compile(r"(?:[@#]\w+|https?://\S+|www\.\S+)")
_SURFACE_RE = re.compile(r"[A-Za-z0-9]+(?:['\u2019-][A-Za-z0-9]+)*|[^\sA-Za-z0-9]")


# Words that carry a label's meaning even though they are stop words or modifiers:
# "too short", "more information", "well advertised", "longer timeframe".
LABEL_KEEP = frozenset("too more less longer shorter clearer earlier better well".split())
# Words that may not open or close a label (filler, weak verbs, dangling modifiers).
_LABEL_EDGE_BAN = frozenset(
    (lx.STOPWORDS - LABEL_KEEP)
    | lx.NEGATORS
    | lx.MODIFIERS.keys()
    | set(
        """lot bit through throughout widely know let put hold told went go going come came
        took take even still yet already always ever like need needs needed felt feel found
        think thought made make makes got get gets given give seemed seem way help helped
        please thanks thank whenever however although though while whilst yes ok okay one
        used using being before after during day days able""".split()
    )
)
# Copulas may sit inside a label only before its predicate: "decision was thin".
COPULAS = frozenset("was were is are been be felt seemed".split())
# Words ending -ed/-ing that read as evaluative adjectives, so a label may end on them.
_PARTICIPLE_ADJECTIVES = frozenset(
    """rushed confusing detailed limited organised organized complicated overcomplicated
    outdated dated interesting engaging welcoming misleading frustrating disappointing
    encouraging reassuring balanced experienced""".split()
)
# Adverbs that turn a following participle into an evaluation: "well advertised".
_PARTICIPLE_ADVERBS = frozenset("well badly poorly clearly widely".split())
_ADJECTIVE_TAGS = ("JJ", "JJR", "JJS")


def surface_tokens(text: str) -> list[list[str]]:
    """Split text into clauses of surface-case words at punctuation."""
    clauses: list[list[str]] = [[]]
    # Handles, hashtags and links name nobody's topic ("@united", "#fail", "https://...").
    text = _HANDLES_RE.sub(" , ", text.replace("\u2019", "'"))
    for tok in _SURFACE_RE.findall(text):
        if not tok[0].isalnum():
            if clauses[-1]:
                clauses.append([])
            continue
        clauses[-1].append(tok)
    return [c for c in clauses if c]


def phrase_key(words: Sequence[str]) -> str:
    """Return a phrase's canonical key; copulas are left out so "window (was) short" meet."""
    return " ".join(stem(w.lower()) for w in words if w.lower() not in COPULAS)


def is_capitalised(word: str) -> bool:
    """Say whether a word is written with a capital, not in capitals ("Zoe", not "TUPE")."""
    return word[0].isupper() and not word.isupper()


def names_in(text: str) -> set[str]:
    """Return lower-case words written as names: capitalised mid-clause, unknown as words.

    "Zoe", "Roger" and "Caroline" are people; "Staff" in "All Staff were kind" is a known
    word, and all-capital words are acronyms ("TUPE", "CVS").
    """
    tags = word_tags()
    found = set()
    for clause in surface_tokens(text):
        for word in clause[1:]:
            low = word.lower()
            if (
                is_capitalised(word)
                and low not in ACRONYMS
                and tags.get(low, "NNP").startswith("NNP")
            ):
                found.add(low)
    return found


_NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve twenty few".split()
)
_FINITE = ("VBZ", "VBP", "MD")


def candidates(text: str) -> tuple[dict[str, str], set[str]]:
    """Return candidate phrases (key -> surface form) and the keys cut mid-compound.

    A phrase is cut when a noun compound goes on past either end ("twelve week" in
    "twelve week window", "sector on the panel" in "voluntary sector on the panel"); such
    phrases read as fragments, so labelling prefers the whole.
    """
    out: dict[str, str] = {}
    cut: set[str] = set()
    tags = word_tags()
    names = names_in(text)
    for clause in surface_tokens(text):
        lows = [w.lower() for w in clause]
        titled = _title_case(clause)
        # One extra word leaves room for a copula: "consultation on boundaries was thorough".
        for n in range(LABEL_MIN, LABEL_MAX + 2):
            for i in range(len(clause) - n + 1):
                gram = lows[i : i + n]
                prev = lows[i - 1] if i else ""
                if names.intersection(gram) or not _acceptable(gram, prev, lows[:i]):
                    continue
                if not titled and _splits_a_name(clause, i, i + n):
                    continue
                key = phrase_key(gram)
                if not LABEL_MIN <= len(key.split()) <= LABEL_MAX:
                    continue
                out.setdefault(key, " ".join(clause[i : i + n]))
                nxt = lows[i + n] if i + n < len(lows) else ""
                if lows[i + n + 1 : i + n + 2] == [gram[-1]]:
                    continue  # "form side" from "side by side", "step" from "step by step"
                if nxt and is_topical(nxt) and tags.get(nxt, "NN").startswith("NN"):
                    cut.add(key)
                if prev in _NUMBER_WORDS or (
                    prev
                    and is_topical(prev)
                    and tags.get(prev, "NN").startswith(("NN", "JJ"))
                    and tags.get(gram[0], "NN").startswith("NN")
                ):
                    cut.add(key)
    return out, cut


def _title_case(clause: list[str]) -> bool:
    """Say whether a clause is written In Title Case, so its capitals mark no names."""
    mid = clause[1:]
    capitals = sum(1 for w in mid if is_capitalised(w))
    return capitals >= 3 and 2 * capitals >= len(mid)


def _splits_a_name(clause: list[str], start: int, end: int) -> bool:
    """Say whether words start..end split a capitalised name ("Express" of "American
    Express", "Apple" of "Apple Pay"): the words either side of the cut are both written
    with a capital, and the one inside the phrase is not the clause's first word. A label
    holds a name whole or not at all."""
    before = start > 0 and is_capitalised(clause[start - 1]) and is_capitalised(clause[start])
    after = (
        end < len(clause)
        and end - 1 > 0
        and is_capitalised(clause[end - 1])
        and is_capitalised(clause[end])
    )
    return before or after


def _acceptable(gram: list[str], prev: str, before: list[str]) -> bool:
    """Return whether a word sequence can stand as a label on its own."""
    if gram[0] in _LABEL_EDGE_BAN or gram[-1] in _LABEL_EDGE_BAN:
        return False
    if gram[-1] in LABEL_KEEP and gram[-1] != "well":
        return False
    if not _good_edges(gram[0], gram[-1], gram[-2]) or _PRONOUNS.intersection(gram):
        return False
    if not any(is_topical(w) for w in gram) or not _readable(gram):
        return False
    if any(w.endswith("n't") for w in gram):
        return False  # "hasn't", "can't": a negated verb makes a clause, not a topic
    if _PERSONAL.intersection(gram) or any(c.isdigit() for w in gram for c in w):
        return False  # names and numbers are for quotes (redacted), never labels
    if prev and prev[0].isdigit():
        return False  # "year old on the flight" from "8 year old on the flight"
    if _RELATIVES.intersection(gram) or (gram[1] == "and" and _is_adjective(gram[0])):
        return False  # "part that worries", "clear and the moderation meeting"
    if _NEGATED.intersection(before[-2:]):
        return False  # "nothing was | too much trouble" praises, it names nothing
    tags = word_tags()
    # A participle right after a noun is that noun's verb: "pack | changed part".
    if (
        gram[0].endswith("ed")
        and gram[0] not in _PARTICIPLE_ADJECTIVES
        and prev
        and tags.get(prev, "NN").startswith("NN")
    ):
        return False
    return not _has_verb(gram)


def _has_verb(gram: list[str]) -> bool:
    """Return whether a phrase holds a verb that makes it a clause, not a noun phrase.

    "apply made all the difference", "agency managers can share practice" and "done
    better" are fragments of sentences; a copula before an evaluative predicate ("window
    was short") and participles used as adjectives ("well advertised") are allowed.
    """
    tags = word_tags()
    first = gram[0]
    if (
        tags.get(first) in ("VBN", "VBD")
        and first not in _PARTICIPLE_ADJECTIVES
        and not tags.get(gram[1], "NN").startswith("NN")
    ):
        return True
    for j, word in enumerate(gram[1:], start=1):
        prev = gram[j - 1]
        if word in COPULAS or word in _PARTICIPLE_ADJECTIVES or prev in COPULAS:
            continue
        tag = tags.get(word, "NN")
        if tag in _FINITE or (
            tag in ("VBD", "VBN") and prev not in _PARTICIPLE_ADVERBS and j < len(gram) - 1
        ):
            return True
    return False


def _is_adjective(word: str) -> bool:
    tag_ = word_tags().get(word, "")
    if word.endswith(("ed", "ing")) and word not in _PARTICIPLE_ADJECTIVES:
        return False
    return tag_ in _ADJECTIVE_TAGS or is_opinion(word) or is_evaluative(word)


def _readable(gram: list[str]) -> bool:
    """Return whether a phrase reads as a noun phrase or a short clause, not a fragment.

    A copula must be followed only by its predicate, ending on an adjective ("decision
    was thin"); a phrase may not end on a participle ("pack changed") or adverb unless the
    word is an evaluative adjective or follows "well"; a past participle straight after a
    noun starts a clause whose object the phrase lacks ("pack changed part"); and a phrase
    needs two content words.
    """
    if sum(1 for w in gram if w not in lx.STOPWORDS and w not in COPULAS) < 2:
        return False
    cop = [j for j, w in enumerate(gram) if w in COPULAS]
    if cop:
        predicate = gram[cop[-1] + 1 :]
        if not predicate or not _is_adjective(predicate[-1]) or predicate[-1] in LABEL_KEEP:
            return False
        allowed = LABEL_KEEP | lx.NEGATORS | lx.MODIFIERS.keys() | {"and"}
        if not all(w in allowed or _is_adjective(w) for w in predicate):
            return False
    tags = word_tags()
    last, before = gram[-1], gram[-2]
    participle = last.endswith("ed") or tags.get(last) in ("VBN", "VBD")  # "gone" too
    if participle and last not in _PARTICIPLE_ADJECTIVES:
        if before not in _PARTICIPLE_ADVERBS and not (cop and is_opinion(last)):
            return False
    # "-ing" words are often nouns ("information sharing", "TUPE and staffing"); a
    # gerund after a preposition or verb is waiting for its object ("on completing").
    if last.endswith("ing") and last not in _PARTICIPLE_ADJECTIVES and not cop:
        if tags.get(last) == "VBG" and not (
            tags.get(before, "NN").startswith("NN") or before == "and"
        ):
            return False
    if last != "well" and (tags.get(last) == "RB" or last.endswith("ly")) and not cop:
        return False
    for j in range(1, len(gram)):
        word, prev = gram[j], gram[j - 1]
        if (
            tags.get(word) in ("VBD", "VBN")
            and word not in _PARTICIPLE_ADJECTIVES
            and word not in COPULAS
            and prev not in COPULAS
            and prev not in _PARTICIPLE_ADVERBS
            and tags.get(prev, "NN").startswith("NN")
            and j < len(gram) - 1
        ):
            return False
    return True


_PRONOUNS = frozenset("i me my we us our you your they them their it its he she".split())
_PERSONAL = frozenset("mr mrs ms miss dr prof sir madam".split())
_RELATIVES = frozenset("that which who whom whose where when what whether why how".split())
_NEGATED = frozenset("nothing not no never nobody none".split()) | {"n't", "didn't", "wasn't"}
# Words that never name a topic on their own ("Want", "Wish", "Tell").
_NOT_TOPICS = frozenset(
    """want wanted wish wished tell told say said ask asked like liked love loved know
    needs thing things everything anything something nothing lot lots people person
    someone anyone everyone somebody anybody everybody part minute minutes min mins hour
    hours hr hrs second seconds day days week weeks month months year years old ago""".split()
)
# Parts of speech that leave a label dangling: "publicity did not reach private".
_BAD_END = ("JJ", "VB", "VBD", "VBG", "VBP", "VBZ", "IN", "DT", "CC", "RB", "PRP", "MD", "TO")
_BAD_START = ("VBD", "VBG", "VBP", "VBZ", "IN", "DT", "CC", "PRP", "MD", "TO", "WDT", "WRB")


def _good_edges(first: str, last: str, before_last: str) -> bool:
    """Return whether a phrase starts and ends on words that can bound a label."""
    tags = word_tags()
    if (
        last not in LABEL_KEEP
        and before_last not in LABEL_KEEP
        and not is_opinion(last)
        and tags.get(last, "NN") in _BAD_END
        # "-ing" after a noun names an activity: "information sharing".
        and not (
            tags.get(last) == "VBG"
            and (before_last == "and" or tags.get(before_last, "NN").startswith("NN"))
        )
    ):
        return False
    return first in LABEL_KEEP or is_opinion(first) or tags.get(first, "NN") not in _BAD_START


def is_topical(word: str) -> bool:
    """Return whether a word can name a topic (not filler, stop or evaluative word)."""
    return (
        word[0].isalpha()
        and word not in lx.STOPWORDS
        and word not in _LABEL_EDGE_BAN
        and word not in WEAK
        and not is_evaluative(word)
        and word not in _NOT_TOPICS
        and "'" not in word  # "don't", "we'd": contractions of function words
        and not word.isdigit()
        and len(word) > 1
    )
