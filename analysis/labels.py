"""Theme labels: the short noun phrase that names what a group of answers is about.

A label is a phrase the members themselves use (``analysis.label_phrases`` finds the
candidates), chosen for being shared by many members, characteristic of the group (rare
elsewhere), topical and readable, then reduced to the topic it names: praise and verdicts
fall away ("Excellent care" -> "Care", "Food was lovely" -> "Food", "More information
about the lead agency role" -> "Information about the lead agency role"), so answers that
praise or fault one thing in different words share one label, and one theme. The label is
checked against the members: among good candidates, the one whose key words appear in
most of them wins, and ``check_quotes`` opens with quotes that say what the label says.

A label always names a topic: it holds a noun that is not a verdict ("Care", "Time to
apply"), never only a verdict, adjective, adverb or verb ("Good", "Better", "Well",
"Looked", "Everything was good"). A group whose members share no topic noun ("Very good",
"Went well", "Could be better") is named by what its members do instead (``generic_label``):
"General praise" or "General criticism", or "Other comments" when they do neither.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache

from analysis import _lexicon as lx
from analysis._textfeatures import is_evaluative, sample, stem
from analysis.label_phrases import (
    ACRONYMS,
    COPULAS,
    LABEL_KEEP,
    candidates,
    is_capitalised,
    is_topical,
    names_in,
    phrase_key,
    surface_tokens,
)
from analysis.sentiment import is_opinion, word_tags

OTHER_LABEL = "Other comments"
PRAISE_LABEL = "General praise"
CRITICISM_LABEL = "General criticism"
THANKS_LABEL = "Thanks for asking"
# A thank-you that says what for only in these words thanks the council for asking: "Thank
# you for asking for our views", "Thanks for the opportunity to comment".
_THANKS = re.compile(r"^\s*(?:many |big )?(?:thank you|thankyou|thanks)\b(?P<rest>.*)$", re.I)
_THANKS_FOR_ASKING = frozenset(
    """for asking our my views view opinion opinions feedback the opportunity chance to
    comment give share listening this survey questionnaire very much so again and us""".split()
)
# How many of the best-scoring phrases are weighed by how many members they fit.
_SHORTLIST = 8
# A single topic word replaces a phrase that fits fewer members than this share...
_PHRASE_FIT = 0.34
# ...when the word itself is in at least this share of them.
_WORD_FIT = 0.5
# A label word keeps a capital written by at least this many members, in most of its
# mid-sentence uses.
_CAPITAL_USES = 2


def _term_words(terms: Sequence[str]) -> set[str]:
    return {w for term in terms for w in term.split()}


class PhraseStats:
    """Document frequencies of candidate phrases over a deterministic reference sample."""

    def __init__(self, texts: Sequence[str], ids: Sequence[str]) -> None:
        ref = sample(list(range(len(texts))), list(ids), 2000)
        self.n = len(ref)
        self.df: Counter[str] = Counter()
        for i in ref:
            self.df.update(candidates(texts[i])[0].keys())

    def label(
        self, texts: list[str], terms: Sequence[str] = (), topicless: str = OTHER_LABEL
    ) -> str:
        """Name a group's topic with a short noun phrase its members use.

        A phrase must appear in two members (one for a single answer); failing that, the
        best phrase holding the group's commonest topic word is used. A longer phrase that
        contains the winner and appears in at least a third as many members replaces it, so
        "lead agency" grows into "lead agency role" when members say so. A phrase that
        names no topic ("Well advertised") gives way to a topic noun in at least half the
        members; failing that, the group is named topicless (see ``generic_label``).
        """
        found = _Found(texts)
        label = self._phrase_label(texts, terms, found)
        if label is not None and names_topic(label):
            return found.with_capitals(label)
        noun = self._topic_word(texts, found.names, nouns_only=True)
        if noun is not None and coverage(noun, texts) >= _WORD_FIT:
            return found.with_capitals(_display(found.word_form(noun)))
        return topicless

    def _phrase_label(self, texts: list[str], terms: Sequence[str], found: _Found) -> str | None:
        names = found.names
        need = 2 if len(texts) >= 2 else 1
        shared = [p for p in found.cdf if found.cdf[p] >= need]
        topic = self._topic_word(texts, names)
        if not shared:
            if topic is None:
                return None
            if len(texts) > 2 and coverage(topic, texts) >= _WORD_FIT:
                return _display(found.word_form(topic))  # members share a word, not a phrase
            shared = [p for p in found.cdf if topic in p.split()]
            if not shared:
                return _terms_label(texts, terms, names) or _display(found.word_form(topic))
        top = _term_words(terms)

        def score(phrase: str) -> tuple[float, str]:
            return (found.score(phrase, top, self.idf(phrase)), phrase)

        shortlist = sorted(shared, key=score, reverse=True)[:_SHORTLIST]
        labels = {p: topic_phrase(found.form(self._grow(p, found, need, score))) for p in shortlist}
        fit = {p: coverage(label, texts) for p, label in labels.items()}
        best = max(shortlist, key=lambda p: (score(p)[0] * (0.25 + fit[p]), p))
        if fit[best] < _PHRASE_FIT and topic is not None:
            if coverage(topic, texts) >= _WORD_FIT and fit[best] < coverage(topic, texts) / 2:
                return _display(found.word_form(topic))
        return labels[best]

    def idf(self, phrase: str) -> float:
        return math.log((1 + self.n) / (1 + self.df.get(phrase, 0))) + 1

    @staticmethod
    def _grow(best: str, found: _Found, need: int, score) -> str:
        """Extend a phrase to a longer one members also use ("lead agency role")."""
        cdf, cuts = found.cdf, found.cuts
        while True:
            longer = [
                p
                for p in cdf
                if len(p) > len(best)
                and f" {best} " in f" {p} "
                and cdf[p] >= max(1 if cuts[best] else need, cdf[best] / 3)
            ]
            if not longer:
                return best
            if cuts[best]:
                # Complete a cut phrase by the shortest extension members use.
                shortest = min(len(p.split()) for p in longer)
                longer = [p for p in longer if len(p.split()) == shortest]
            best = max(longer, key=score)

    def _topic_word(
        self, texts: list[str], names: set[str], nouns_only: bool = False
    ) -> str | None:
        """Return the canonical topic word (a noun, when there is one) in most of the texts.

        Verdicts ("good", "better", "well") never name a topic; nouns_only leaves out verbs
        and adjectives too ("looked", "online").
        """
        tags = word_tags()
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(
                {
                    stem(w.lower())
                    for c in surface_tokens(text)
                    for w in c
                    if _plain_topic(w.lower(), names) and (not nouns_only or _is_noun(w.lower()))
                }
            )
        if not counts:
            return None
        return max(
            counts,
            key=lambda w: (counts[w], tags.get(w, "NN").startswith("NN"), -self.df.get(w, 0), w),
        )


class _Found:
    """Candidate phrases of one group: in how many members each occurs, and its forms."""

    def __init__(self, texts: list[str]) -> None:
        self.n = len(texts)
        self.names = set().union(*(names_in(t) for t in texts))
        self.cdf: Counter[str] = Counter()
        self.cuts: Counter[str] = Counter()
        self.surface: dict[str, Counter[str]] = defaultdict(Counter)
        self.words: Counter[str] = Counter()
        # Mid-clause uses of each word, and those written with a capital ("China", "Pay").
        self.mid: Counter[str] = Counter()
        self.capitalised: dict[str, Counter[str]] = defaultdict(Counter)
        for text in texts:
            found, cut = candidates(text)
            found = {k: f for k, f in found.items() if not self.names & set(f.lower().split())}
            self.cdf.update(found.keys())
            self.cuts.update(cut & found.keys())
            for key, form in found.items():
                self.surface[key][form] += 1
            clauses = surface_tokens(text)
            self.words.update(w.lower() for c in clauses for w in c)
            self._count_capitals(clauses)

    def _count_capitals(self, clauses: list[list[str]]) -> None:
        for clause in clauses:
            for word in clause[1:]:
                self.mid[word.lower()] += 1
                if is_capitalised(word):
                    self.capitalised[word.lower()][word] += 1

    def with_capitals(self, label: str) -> str:
        """Restore the capitals members write mid-sentence: "Transfer from China", "Apple Pay".

        A word keeps its capital when at least two members write it so, in most of its
        mid-sentence uses, so one answer typed In Title Case changes nothing.
        """
        words = label.split()
        for j, word in enumerate(words):
            forms = self.capitalised.get(word.lower(), Counter())
            uses = forms.total()
            if uses >= _CAPITAL_USES and 2 * uses > self.mid[word.lower()]:
                words[j] = forms.most_common(1)[0][0]
        return " ".join(words)

    def score(self, phrase: str, top: set[str], idf: float) -> float:
        """Score a phrase: shared by members, rare elsewhere, topical, whole, not a clause."""
        parts = phrase.split()
        words = {w.lower() for f in self.surface[phrase] for w in f.split()}
        hits = sum(1 for w in parts if w in top)
        topical = sum(1 for w in parts if is_topical(w))
        meaning = sum(1 for w in parts if is_evaluative(w) or w in LABEL_KEEP)
        quality = (1 + 0.5 * hits) * (1 + 0.3 * min(meaning, 1)) * (0.8 + 0.2 * topical)
        length = 1 + 0.25 * (len(parts) - 2)
        # A noun phrase ("time to apply") names a topic better than a clause ("window
        # was far too short"), which reads as one member's verdict.
        clause = 0.6 if COPULAS.intersection(words) else 1.0
        # Phrases cut mid-compound in most of their uses read as fragments.
        whole = 1 - 0.5 * self.cuts[phrase] / self.cdf[phrase]
        return self.cdf[phrase] / self.n * idf * quality * length * whole * clause

    def form(self, key: str) -> str:
        """Return the surface form members use most for a phrase key."""

        def form_score(kv: tuple[str, int]) -> tuple[int, int, str]:
            return (kv[1], sum(self.words[w.lower()] for w in kv[0].split()), kv[0])

        return max(self.surface[key].items(), key=form_score)[0]

    def word_form(self, canonical: str) -> str:
        """Return the word members use for a canonical form: a noun, the commonest one.

        The canonical word wins ties when members use it ("timeframe" over "window").
        """
        forms = [w for w in self.words if stem(w) == canonical and is_topical(w)]
        if not forms:
            return canonical
        tags = word_tags()
        return min(
            forms,
            key=lambda w: (
                not tags.get(w, "NN").startswith("NN"),
                -self.words[w],
                w != canonical,
                w,
            ),
        )


def _verdict_word(word: str) -> bool:
    """Say whether a word judges rather than names ("excellent", "more", "very")."""
    return (
        word in LABEL_KEEP
        or word in lx.MODIFIERS
        or is_opinion(word)
        or is_evaluative(word)
        or word in {"real", "really", "so", "all", "absolutely", "extremely", "truly"}
    )


def _is_noun(word: str) -> bool:
    return word_tags().get(word, "NN").startswith("NN")


def _names_thing(words: list[str]) -> bool:
    return any(is_topical(w) and _is_noun(w) for w in words)


def names_topic(label: str) -> bool:
    """Say whether a label names a topic: it holds a noun that is no verdict ("Good")."""
    words = [w.lower() for c in surface_tokens(label) for w in c]
    return any(is_topical(w) and _is_noun(w) and not _verdict_word(w) for w in words)


def is_thanks_for_asking(text: str) -> bool:
    """Say whether an answer only thanks the council for asking ("Thank you for asking for
    our views."); a thank-you that names something else ("Thank you to the officer who
    answered my call") is not."""
    found = _THANKS.match(text)
    if found is None:
        return False
    rest = re.findall(r"[a-z]+", found["rest"].lower())
    return all(word in _THANKS_FOR_ASKING for word in rest)


def generic_label(kind: str, sentiments: Sequence[str]) -> str:
    """Name a group whose members share no topic by what they do: praise or criticise.

    The members' own sentiment decides when most of them lean one way ("Very good",
    "Brilliant" -> "General praise"; "Rubbish", "Too slow" -> "General criticism"). When
    they do not, the question does: answers to what went well are praise, answers to what
    could improve are criticism; other answers are "Other comments". The phrases are plain
    noun phrases, so a generic label still reads well in a list of themes and in "General
    praise (12 answers)". It names no topic, so no quote is said to support it.
    """
    counts = Counter(sentiments)
    if 2 * counts["positive"] > len(sentiments):
        return PRAISE_LABEL
    if 2 * counts["negative"] > len(sentiments):
        return CRITICISM_LABEL
    return {"went_well": PRAISE_LABEL, "improve": CRITICISM_LABEL}.get(kind, OTHER_LABEL)


def topic_phrase(phrase: str) -> str:
    """Reduce a phrase to the topic it names, dropping praise and verdicts around it.

    "Excellent care" -> "Care"; "Food was lovely" -> "Food"; "Longer timeframe" ->
    "Timeframe". A phrase that names no thing without its verdict stays whole ("Well
    advertised", "Easy to download").
    """
    words = phrase.split()
    lows = [w.lower() for w in words]
    cop = next((j for j, w in enumerate(lows) if w in COPULAS), None)
    if cop is not None and _names_thing(lows[:cop]):
        words, lows = words[:cop], lows[:cop]
    start = 0
    while (
        start < len(lows) - 1
        and _verdict_word(lows[start])
        and (is_topical(lows[start + 1]) or _verdict_word(lows[start + 1]))
        and _names_thing(lows[start + 1 :])
    ):
        start += 1
    end = len(lows)
    while end - start > 1 and _verdict_word(lows[end - 1]) and _names_thing(lows[start : end - 1]):
        end -= 1
    kept = words[start:end]
    # A topic does not start or end on a joining word left behind ("and staff" from "kind
    # and staff", "bank card to" from "bank card to be").
    while len(kept) > 1 and kept[0].lower() in lx.STOPWORDS:
        kept = kept[1:]
    while len(kept) > 1 and kept[-1].lower() in lx.STOPWORDS:
        kept = kept[:-1]
    return _display(" ".join(kept))


def coverage(label: str, texts: Sequence[str]) -> float:
    """Return the share of texts that say what a label names (share its key words)."""
    if not texts:
        return 0.0
    return sum(1 for t in texts if supports(label, t)) / len(texts)


def _terms_label(texts: list[str], terms: Sequence[str], names: set[str]) -> str | None:
    """Name a group by its two strongest top terms, in the words members use.

    A two-word term is used whole ("lead agency"); two single terms that members write
    side by side keep that order ("presentation slots"), otherwise they are joined by "and".
    """
    surface: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        for clause in surface_tokens(text):
            for n in (1, 2):
                for i in range(len(clause) - n + 1):
                    gram = clause[i : i + n]
                    if all(_plain_topic(w.lower(), names) for w in gram):
                        surface[phrase_key(gram)][" ".join(gram).lower()] += 1
    found = [t for t in terms if t in surface]
    if not found:
        return None

    def form(term: str) -> str:
        return max(surface[term].items(), key=lambda kv: (kv[1], kv[0]))[0]

    if len(found[0].split()) == 2:
        return _display(form(found[0]))
    pair = [t for t in found if len(t.split()) == 1][:2]
    if len(pair) < 2:
        two = next((t for t in found if len(t.split()) == 2), None)
        return _display(form(two)) if two else None
    a, b = pair
    for joined in (f"{a} {b}", f"{b} {a}"):
        if joined in surface:
            return _display(form(joined))
    tags = word_tags()
    nouns = [t for t in pair if tags.get(t, "NN").startswith("NN")]
    if len(nouns) == 2:
        return _display(f"{form(a)} and {form(b)}")
    return _display(form(nouns[0])) if nouns else None


def topic_label(texts: Sequence[str], canonical: str) -> str:
    """Name a group by a domain topic all its members share, in the word they use most."""
    found = _Found(list(texts))
    return found.with_capitals(_display(found.word_form(canonical)))


def _plain_topic(word: str, names: set[str]) -> bool:
    return (
        is_topical(word)
        and word not in names
        and not any(c.isdigit() for c in word)
        and not _verdict_word(word)
    )


def _display(phrase: str) -> str:
    """Capitalise the first letter only, keeping acronyms in capitals."""
    words = []
    for w in phrase.split():
        low = w.lower()
        if low in ACRONYMS:
            words.append(ACRONYMS[low])
        elif w.isupper() and 2 <= len(w) <= 5:
            words.append(w)
        else:
            words.append(low)
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


@lru_cache(maxsize=4096)
def _label_stems(label: str) -> frozenset[str]:
    if label in (PRAISE_LABEL, CRITICISM_LABEL):
        return frozenset()  # "General" is not what the quotes are about
    return frozenset(
        stem(w.lower()) for c in surface_tokens(label) for w in c if is_topical(w.lower())
    )


def same_topic_key(label: str) -> str:
    """Return what two labels share when they name one topic in other word forms or order.

    "Currency exchange" and "Exchange currencies", or "Exchange rate" and "Exchange rates",
    read as the same theme twice; a label with no topical words keys on itself.
    """
    stems = _label_stems(label)
    return " ".join(sorted(stems)) if stems else label.casefold()


@lru_cache(maxsize=65536)
def _text_stems(text: str) -> frozenset[str]:
    """Return a text's word stems, with each pair of neighbours also written hyphenated, so
    a label saying "top-up" or "follow-up" fits "top up" and "follow up"."""
    stems = set()
    for clause in surface_tokens(text):
        words = [w.lower() for w in clause]
        stems.update(stem(w) for w in words)
        stems.update(stem(f"{a}-{b}") for a, b in zip(words, words[1:], strict=False))
    return frozenset(stems)


def supports(label: str, text: str) -> bool:
    """Say whether a text says what a label names (shares its topical words)."""
    wanted = _label_stems(label)
    if not wanted:
        return False
    return len(wanted & _text_stems(text)) * 2 >= len(wanted)


def check_quotes(label: str, ranked: Sequence[str], count: int) -> tuple[str, ...]:
    """Choose up to count quotes, most representative first, opening with one the label fits.

    ranked come most representative first; those that support the label move to the
    front (keeping their order), so a reader meets the label beside its evidence.
    """
    quotes: list[str] = []
    for text in ranked:
        text = text.strip()
        if text and text not in quotes:
            quotes.append(text)
        if len(quotes) >= 3 * count:
            break
    # Quotes that say what the label says come first, most representative first.
    quotes.sort(key=lambda q: not supports(label, q))
    return tuple(quotes[:count])
