"""Theme labels: the short phrase that names what a group of answers is about.

A label is a 2-5 word phrase the members themselves use, chosen for being shared by many
members, characteristic of the group (rare elsewhere), topical (it names a thing, not a
feeling) and readable (no dangling verbs or prepositions, no negated praise such as
"too much trouble" from "nothing was too much trouble"). ``check_quotes`` then puts first a
quote that says what the label says, so a label is always read beside evidence for it.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from analysis import _lexicon as lx
from analysis._textfeatures import WEAK, is_evaluative, sample, stem
from analysis.sentiment import is_opinion, word_tags

OTHER_LABEL = "Other comments"
_ACRONYMS = {"eoi": "EOI", "cvs": "CVS", "pct": "PCT", "faq": "FAQ", "vcs": "VCS", "tupe": "TUPE"}
_LABEL_SAMPLE = 300
_LABEL_MIN, _LABEL_MAX = 2, 5
_HANDLES_RE = re.compile(r"(?:[@#]\w+|https?://\S+|www\.\S+)")
_SURFACE_RE = re.compile(r"[A-Za-z0-9]+(?:['\u2019-][A-Za-z0-9]+)*|[^\sA-Za-z0-9]")


def _plural(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# Words that carry a label's meaning even though they are stop words or modifiers:
# "too short", "more information", "well advertised", "longer timeframe".
_LABEL_KEEP = frozenset("too more less longer shorter clearer earlier better well".split())
# Words that may not open or close a label (filler, weak verbs, dangling modifiers).
_LABEL_EDGE_BAN = frozenset(
    (lx.STOPWORDS - _LABEL_KEEP)
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
_COPULAS = frozenset("was were is are been be felt seemed".split())
# Words ending -ed/-ing that read as evaluative adjectives, so a label may end on them.
_PARTICIPLE_ADJECTIVES = frozenset(
    """rushed confusing detailed limited organised organized complicated overcomplicated
    outdated dated interesting engaging welcoming misleading frustrating disappointing
    encouraging reassuring balanced experienced""".split()
)
# Adverbs that turn a following participle into an evaluation: "well advertised".
_PARTICIPLE_ADVERBS = frozenset("well badly poorly clearly widely".split())
_ADJECTIVE_TAGS = ("JJ", "JJR", "JJS")


def _surface_tokens(text: str) -> list[list[str]]:
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


def _phrase_key(words: Sequence[str]) -> str:
    """Return a phrase's canonical key; copulas are left out so "window (was) short" meet."""
    return " ".join(stem(w.lower()) for w in words if w.lower() not in _COPULAS)


def _phrases(text: str) -> dict[str, str]:
    """Map candidate label phrases (2-5 words, no dangling stop words) to surface form."""
    return _candidates(text)[0]


def _candidates(text: str) -> tuple[dict[str, str], set[str]]:
    """Return candidate phrases (key -> surface form) and the keys cut mid-compound.

    A phrase is cut when the word after it continues a noun compound ("twelve week" in
    "twelve week window"); such phrases read as fragments, so labelling prefers others.
    """
    out: dict[str, str] = {}
    cut: set[str] = set()
    tags = word_tags()
    for clause in _surface_tokens(text):
        lows = [w.lower() for w in clause]
        # One extra word leaves room for a copula: "consultation on boundaries was thorough".
        for n in range(_LABEL_MIN, _LABEL_MAX + 2):
            for i in range(len(clause) - n + 1):
                gram = lows[i : i + n]
                if gram[0] in _LABEL_EDGE_BAN or gram[-1] in _LABEL_EDGE_BAN:
                    continue
                if gram[-1] in _LABEL_KEEP and gram[-1] != "well":
                    continue
                before_last = gram[-2]
                if not _good_edges(gram[0], gram[-1], before_last) or _PRONOUNS.intersection(gram):
                    continue
                if not any(_is_topical(w) for w in gram) or not _readable(gram):
                    continue
                if _PERSONAL.intersection(gram) or any(
                    sum(c.isdigit() for c in w) > 3 for w in gram
                ):
                    continue  # names and numbers are for quotes (redacted), never labels
                if _RELATIVES.intersection(gram) or (gram[1] == "and" and _is_adjective(gram[0])):
                    continue  # "part that worries", "clear and the moderation meeting"
                # A participle right after a noun is that noun's verb: "pack | changed part".
                prev = lows[i - 1] if i else ""
                if _NEGATED.intersection(lows[max(0, i - 2) : i]):
                    continue  # "nothing was | too much trouble" praises, it names nothing
                if (
                    gram[0].endswith("ed")
                    and gram[0] not in _PARTICIPLE_ADJECTIVES
                    and prev
                    and tags.get(prev, "NN").startswith("NN")
                ):
                    continue
                key = _phrase_key(gram)
                if not _LABEL_MIN <= len(key.split()) <= _LABEL_MAX:
                    continue
                out.setdefault(key, " ".join(clause[i : i + n]))
                nxt = lows[i + n] if i + n < len(lows) else ""
                if nxt and _is_topical(nxt) and tags.get(nxt, "NN").startswith("NN"):
                    cut.add(key)
    return out, cut


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
    if sum(1 for w in gram if w not in lx.STOPWORDS and w not in _COPULAS) < 2:
        return False
    cop = [j for j, w in enumerate(gram) if w in _COPULAS]
    if cop:
        predicate = gram[cop[-1] + 1 :]
        if not predicate or not _is_adjective(predicate[-1]) or predicate[-1] in _LABEL_KEEP:
            return False
        allowed = _LABEL_KEEP | lx.NEGATORS | lx.MODIFIERS.keys() | {"and"}
        if not all(w in allowed or _is_adjective(w) for w in predicate):
            return False
    tags = word_tags()
    last, before = gram[-1], gram[-2]
    if last.endswith("ed") and last not in _PARTICIPLE_ADJECTIVES:
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
            and word not in _COPULAS
            and prev not in _COPULAS
            and prev not in _PARTICIPLE_ADVERBS
            and tags.get(prev, "NN").startswith("NN")
            and j < len(gram) - 1
        ):
            return False
    return True


_PRONOUNS = frozenset("i me my we us our you your they them their it its he she".split())
_PERSONAL = frozenset("mr mrs ms miss dr prof sir madam".split())
_RELATIVES = frozenset("that which who whom whose where when what whether".split())
_NEGATED = frozenset("nothing not no never nobody none".split()) | {"n't", "didn't", "wasn't"}
# Words that never name a topic on their own ("Want", "Wish", "Tell").
_NOT_TOPICS = frozenset(
    """want wanted wish wished tell told say said ask asked like liked love loved know
    needs thing things everything anything something nothing lot lots people person
    someone anyone everyone somebody anybody everybody part""".split()
)
# Parts of speech that leave a label dangling: "publicity did not reach private".
_BAD_END = ("JJ", "VB", "VBD", "VBG", "VBP", "VBZ", "IN", "DT", "CC", "RB", "PRP", "MD", "TO")
_BAD_START = ("VBD", "VBG", "VBP", "VBZ", "IN", "DT", "CC", "PRP", "MD", "TO", "WDT", "WRB")


def _good_edges(first: str, last: str, before_last: str) -> bool:
    """Return whether a phrase starts and ends on words that can bound a label."""
    tags = word_tags()
    if (
        last not in _LABEL_KEEP
        and before_last not in _LABEL_KEEP
        and not is_opinion(last)
        and tags.get(last, "NN") in _BAD_END
        # "-ing" after a noun names an activity: "information sharing".
        and not (
            tags.get(last) == "VBG"
            and (before_last == "and" or tags.get(before_last, "NN").startswith("NN"))
        )
    ):
        return False
    return first in _LABEL_KEEP or is_opinion(first) or tags.get(first, "NN") not in _BAD_START


def _is_topical(word: str) -> bool:
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


def _term_words(terms: Sequence[str]) -> set[str]:
    return {w for term in terms for w in term.split()}


class PhraseStats:
    """Document frequencies of candidate phrases over a deterministic reference sample."""

    def __init__(self, texts: Sequence[str], ids: Sequence[str]) -> None:
        ref = sample(list(range(len(texts))), list(ids), 2000)
        self.n = len(ref)
        self.df: Counter[str] = Counter()
        for i in ref:
            self.df.update(_phrases(texts[i]).keys())

    def label(self, texts: list[str], terms: Sequence[str] = ()) -> str:
        """Pick the most characteristic 2-5 word phrase shared by a group's texts.

        A phrase must appear in two members (one for a single answer); failing that, the
        best phrase holding the group's commonest topic word is used. A longer phrase that
        contains the winner and appears in at least a third as many members replaces it, so
        "lead agency" grows into "lead agency role" when members say so.
        """
        cdf: Counter[str] = Counter()
        surface: dict[str, Counter[str]] = defaultdict(Counter)
        words: Counter[str] = Counter()
        cuts: Counter[str] = Counter()
        for text in texts:
            found, cut = _candidates(text)
            cdf.update(found.keys())
            cuts.update(cut)
            for key, form in found.items():
                surface[key][form] += 1
            words.update(w.lower() for c in _surface_tokens(text) for w in c)
        top = _term_words(terms)
        surface_words = {k: {w.lower() for f in v for w in f.split()} for k, v in surface.items()}
        need = 2 if len(texts) >= 2 else 1
        shared = [p for p in cdf if cdf[p] >= need]
        if not shared:
            topic = self._topic_word(texts)
            if topic is None:
                return OTHER_LABEL
            shared = [p for p in cdf if topic in p.split()]
            if not shared:
                return _terms_label(texts, terms) or _display(topic)

        def score(phrase: str) -> tuple[float, str]:
            parts = phrase.split()
            idf = math.log((1 + self.n) / (1 + self.df.get(phrase, 0))) + 1
            hits = sum(1 for w in parts if w in top)
            topical = sum(1 for w in parts if _is_topical(w))
            meaning = sum(1 for w in parts if is_evaluative(w) or w in _LABEL_KEEP)
            quality = (1 + 0.5 * hits) * (1 + 0.3 * min(meaning, 1)) * (0.8 + 0.2 * topical)
            length = 1 + 0.25 * (len(parts) - 2)
            # A noun phrase ("time to apply") names a topic better than a clause ("window
            # was far too short"), which reads as one member's verdict.
            clause = 0.6 if _COPULAS.intersection(surface_words[phrase]) else 1.0
            # Phrases cut mid-compound in most of their uses read as fragments.
            whole = 1 - 0.5 * cuts[phrase] / cdf[phrase]
            return (cdf[phrase] / len(texts) * idf * quality * length * whole * clause, phrase)

        best = max(shared, key=score)
        while True:
            longer = [
                p
                for p in cdf
                if len(p) > len(best)
                and f" {best} " in f" {p} "
                and cdf[p] >= max(1 if cuts[best] else need, cdf[best] / 3)
            ]
            if not longer:
                break
            if cuts[best]:
                # Complete a cut phrase by the shortest extension members use.
                shortest = min(len(p.split()) for p in longer)
                longer = [p for p in longer if len(p.split()) == shortest]
            best = max(longer, key=score)

        def form_score(kv: tuple[str, int]) -> tuple[int, int, str]:
            return (kv[1], sum(words[w.lower()] for w in kv[0].split()), kv[0])

        return _display(max(surface[best].items(), key=form_score)[0])

    def _topic_word(self, texts: list[str]) -> str | None:
        """Return the canonical topic word found in most of the texts, if any."""
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(
                {
                    stem(w.lower())
                    for c in _surface_tokens(text)
                    for w in c
                    if _is_topical(w.lower())
                }
            )
        if not counts:
            return None
        tags = word_tags()
        return max(
            counts,
            key=lambda w: (counts[w], tags.get(w, "NN").startswith("NN"), -self.df.get(w, 0), w),
        )


def _terms_label(texts: list[str], terms: Sequence[str]) -> str | None:
    """Name a group by its two strongest top terms, in the words members use.

    A two-word term is used whole ("lead agency"); two single terms that members write
    side by side keep that order ("presentation slots"), otherwise they are joined by "and".
    """
    surface: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        for clause in _surface_tokens(text):
            for n in (1, 2):
                for i in range(len(clause) - n + 1):
                    gram = clause[i : i + n]
                    if all(_is_topical(w.lower()) for w in gram):
                        surface[_phrase_key(gram)][" ".join(gram).lower()] += 1
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


def _display(phrase: str) -> str:
    """Capitalise the first letter only, keeping acronyms in capitals."""
    words = []
    for w in phrase.split():
        low = w.lower()
        if low in _ACRONYMS:
            words.append(_ACRONYMS[low])
        elif w.isupper() and 2 <= len(w) <= 5:
            words.append(w)
        else:
            words.append(low)
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def _label_stems(label: str) -> set[str]:
    return {stem(w.lower()) for c in _surface_tokens(label) for w in c if _is_topical(w.lower())}


def supports(label: str, text: str) -> bool:
    """Say whether a text says what a label names (shares its topical words)."""
    wanted = _label_stems(label)
    if not wanted:
        return False
    found = {stem(w.lower()) for c in _surface_tokens(text) for w in c}
    return len(wanted & found) * 2 >= len(wanted)


def check_quotes(label: str, candidates: Sequence[str], count: int) -> tuple[str, ...]:
    """Choose up to count quotes, most representative first, opening with one the label fits.

    candidates come most representative first; the first that supports the label moves to
    the front, so a reader meets the label beside its evidence.
    """
    quotes: list[str] = []
    for text in candidates:
        text = text.strip()
        if text and text not in quotes:
            quotes.append(text)
        if len(quotes) >= 3 * count:
            break
    fit = next((q for q in quotes if supports(label, q)), None)
    if fit is not None:
        quotes.remove(fit)
        quotes.insert(0, fit)
    return tuple(quotes[:count])
