"""Themes: group free-text answers offline and deterministically, keeping codebook identity.

How answers become themes:

1. Each answer is placed in a kind ("went_well", "improve", "other"): its question's kind
   when given, otherwise by its own content (positive -> went_well, negative or suggestion
   -> improve, else other). Themes are grouped within a kind, so a theme's kind is the
   majority kind of its members.
2. Pinned answers (officer edits: answer id -> theme key) always go to that theme.
3. Other answers join the codebook theme of the same kind they are most similar to
   (TF-IDF cosine against the theme's exemplars) when the similarity reaches
   ``JOIN_THRESHOLD``.
4. What is left is clustered: average-linkage agglomerative clustering with a fixed
   cosine-distance threshold over a deterministic sample (chosen by hashing answer ids),
   then every answer is assigned to its nearest cluster centroid. Cost is linear in the
   number of answers; only the sample (at most ``SAMPLE_SIZE`` per kind) is compared
   pairwise.

Determinism: answers are processed in id order and samples are chosen by id hash, so the
same answers give the same themes, keys, labels and order whatever order they arrive in.
New theme keys are the label's slug plus a short hash of the theme's top terms.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from analysis import _lexicon as lx
from analysis._lazy import lazy
from analysis.sentiment import KINDS, is_opinion, tag, tokenise, word_tags

# Loaded when themes are first grouped, not when `debrief` starts.
np = lazy("numpy")
sparse = lazy("scipy.sparse")
cluster = lazy("sklearn.cluster")
text_features = lazy("sklearn.feature_extraction.text")

JOIN_THRESHOLD = 0.1
EXEMPLAR_THRESHOLD = 0.4
ASSIGN_THRESHOLD = 0.08
CLUSTER_DISTANCE = 0.95
SAMPLE_SIZE = 1500
QUOTES = 3
TERMS = 5
OTHER_LABEL = "Other comments"
LEFTOVER_SUFFIX = "-other-comments"


@dataclass(frozen=True)
class ThemeInput:
    """One free-text answer to group; label is its sentiment label if already known."""

    id: str
    text: str
    kind: str | None = None
    sector: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class KnownTheme:
    """A codebook theme from earlier rounds; exemplars are representative texts or phrases."""

    key: str
    label: str
    kind: str
    exemplars: tuple[str, ...] = ()


@dataclass(frozen=True)
class Theme:
    """A group of answers about one topic, with quotes, sentiment and sector counts."""

    key: str
    label: str
    kind: str
    answer_ids: tuple[str, ...]
    count: int
    share: float
    quotes: tuple[str, ...]
    sentiment: Mapping[str, int]
    sectors: Mapping[str, int]
    terms: tuple[str, ...]
    is_new: bool


@dataclass
class _Answer:
    inp: ThemeInput
    kind: str
    label: str
    tokens: list[str]
    words: list[str] = field(default_factory=list)


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
        "document": "document documents docs pack download downloaded downloading",
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


def _stem(word: str) -> str:
    """Map a word to a canonical form: domain synonym, else a light plural strip."""
    if word in _SYNONYMS:
        return _SYNONYMS[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _is_evaluative(word: str) -> bool:
    return word in lx.DOMAIN or word in lx.GENERAL or word in lx.MODIFIERS


def _content_words(text: str) -> list[str]:
    """Return lower-case content words of a text (no stop words, no punctuation)."""
    return [t for t in tokenise(text) if t[0].isalpha() and t not in lx.STOPWORDS]


def _features(words: list[str]) -> list[str]:
    """Turn content words into unigram and bigram features for topic grouping."""
    stems = [_stem(w) for w in words if not _is_evaluative(w) and len(w) > 1]
    stems = [s for s in stems if s not in _WEAK]
    return stems + [f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False) if a != b]


_WEAK = frozenset(
    "process thing things lot bit way also made make felt feel found think need needed "
    "got get given give us our".split()
)


def _hash_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _place(inp: ThemeInput) -> tuple[str, str]:
    """Return (kind, sentiment label) for an answer, tagging its text when needed."""
    if inp.kind in KINDS and inp.label is not None:
        return inp.kind, inp.label
    result = tag(inp.text, inp.kind)
    label = inp.label or result.label
    if inp.kind in KINDS:
        return inp.kind, label
    if label == "positive":
        return "went_well", label
    if label == "negative" or result.suggestion:
        return "improve", label
    return "other", label


def place_by_content(text: str) -> str:
    """Return the kind an answer belongs to from its own content."""
    return _place(ThemeInput(id="", text=text))[0]


def _prepare(answers: Sequence[ThemeInput]) -> list[_Answer]:
    prepared = []
    for inp in sorted(answers, key=lambda a: (a.id, a.text)):
        kind, label = _place(inp)
        words = _content_words(inp.text)
        prepared.append(_Answer(inp, kind, label, _features(words), words))
    return prepared


def _sample(items: list[int], ids: list[str], size: int) -> list[int]:
    """Choose a deterministic sample of indices by hashing answer ids."""
    if len(items) <= size:
        return items
    return sorted(sorted(items, key=lambda i: _hash_key(ids[i]))[:size])


def _vectoriser(
    prepared: list[_Answer], codebook: Sequence[KnownTheme]
) -> text_features.TfidfVectorizer:
    """Fit TF-IDF on a deterministic sample of answers plus codebook exemplars."""
    ids = [a.inp.id for a in prepared]
    fit_idx = _sample(list(range(len(prepared))), ids, 5 * SAMPLE_SIZE)
    docs = [prepared[i].tokens for i in fit_idx]
    docs += [_features(_content_words(t)) for kt in codebook for t in _exemplars(kt)]
    vec = text_features.TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32)
    vec.fit(docs or [["empty"]])
    return vec


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _exemplars(kt: KnownTheme) -> tuple[str, ...]:
    return kt.exemplars or (kt.label,)


def _centroid(rows: sparse.csr_matrix) -> np.ndarray:
    """Return the L2-normalised mean of rows as a dense vector."""
    mean = np.asarray(rows.mean(axis=0)).ravel()
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else mean


def _known_vectors(
    vec: text_features.TfidfVectorizer, codebook: Sequence[KnownTheme]
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Vectorise every codebook exemplar; return the rows and each row's theme index."""
    docs, owner = [], []
    for k, kt in enumerate(codebook):
        for text in _exemplars(kt):
            docs.append(_features(_content_words(text)))
            owner.append(k)
    if not docs:
        return sparse.csr_matrix((0, len(vec.vocabulary_)), dtype=np.float32), np.zeros(0, int)
    return vec.transform(docs).tocsr(), np.array(owner)


def _known_centroids(known: tuple[sparse.csr_matrix, np.ndarray], size: int) -> np.ndarray:
    """Return one normalised exemplar centroid per codebook theme."""
    rows, owner = known
    return np.vstack([_centroid(rows[np.flatnonzero(owner == k)]) for k in range(size)]).astype(
        np.float32
    )


def _join_known(
    x: sparse.csr_matrix,
    prepared: list[_Answer],
    free: list[int],
    codebook: Sequence[KnownTheme],
    known: tuple[sparse.csr_matrix, np.ndarray],
) -> dict[int, str]:
    """Join free answers to the closest codebook theme of their kind, if close enough.

    An answer joins when it is near the theme's exemplar centroid or very near any one
    exemplar; the theme chosen is the one with the highest combined similarity.
    """
    out: dict[int, str] = {}
    rows, owner = known
    if not codebook or not free or rows.shape[0] == 0:
        return out
    centroids = _known_centroids(known, len(codebook))
    same_kind = np.array([[kt.kind == k for kt in codebook] for k in KINDS])
    for start in range(0, len(free), 20000):
        part = free[start : start + 20000]
        to_centroid = np.asarray(x[part] @ centroids.T)
        to_exemplar = np.asarray((x[part] @ rows.T).todense())
        nearest = np.zeros_like(to_centroid)
        np.maximum.at(nearest.T, owner, to_exemplar.T)
        score = np.maximum(to_centroid / JOIN_THRESHOLD, nearest / EXEMPLAR_THRESHOLD)
        for r, idx in enumerate(part):
            candidate = np.where(same_kind[KINDS.index(prepared[idx].kind)], score[r], -1.0)
            best = int(np.argmax(candidate))
            if candidate[best] >= 1.0:
                out[idx] = codebook[best].key
    return out


def _cluster(x: sparse.csr_matrix, members: list[int], ids: list[str]) -> list[list[int]]:
    """Cluster answers of one kind; return groups of indices (leftovers last, maybe empty)."""
    if len(members) == 1:
        return [members, []]
    sample = _sample(members, ids, SAMPLE_SIZE)
    xs = x[sample]
    sim = np.asarray((xs @ xs.T).todense(), dtype=np.float64)
    dist = np.clip(1.0 - sim, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    labels = cluster.AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=CLUSTER_DISTANCE,
    ).fit_predict(dist)
    min_size = 2 if len(members) >= 8 else 1
    groups: dict[int, list[int]] = defaultdict(list)
    for idx, lab in zip(sample, labels, strict=True):
        groups[int(lab)].append(idx)
    kept = [g for g in groups.values() if len(g) >= min_size]
    kept.sort(key=lambda g: min(ids[i] for i in g))
    return _assign_rest(x, members, kept)


def _assign_rest(
    x: sparse.csr_matrix, members: list[int], kept: list[list[int]]
) -> list[list[int]]:
    """Assign every member to its nearest kept cluster; weak matches become leftovers."""
    if not kept:
        return [[], list(members)]
    centroids = np.vstack([_centroid(x[g]) for g in kept])
    groups: list[list[int]] = [[] for _ in kept] + [[]]
    chunk = 20000
    for start in range(0, len(members), chunk):
        part = members[start : start + chunk]
        sims = np.asarray(x[part] @ centroids.T)
        best = sims.argmax(axis=1)
        for row, idx in enumerate(part):
            b = int(best[row])
            groups[b if sims[row, b] >= ASSIGN_THRESHOLD else -1].append(idx)
    return groups


_ACRONYMS = {"eoi": "EOI", "cvs": "CVS", "pct": "PCT", "faq": "FAQ", "vcs": "VCS", "tupe": "TUPE"}
_LABEL_SAMPLE = 300
_LABEL_MIN, _LABEL_MAX = 2, 5
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
    for tok in _SURFACE_RE.findall(text.replace("\u2019", "'")):
        if not tok[0].isalnum():
            if clauses[-1]:
                clauses.append([])
            continue
        clauses[-1].append(tok)
    return [c for c in clauses if c]


def _phrase_key(words: Sequence[str]) -> str:
    """Return a phrase's canonical key; copulas are left out so "window (was) short" meet."""
    return " ".join(_stem(w.lower()) for w in words if w.lower() not in _COPULAS)


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
                # A participle right after a noun is that noun's verb: "pack | changed part".
                prev = lows[i - 1] if i else ""
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
    return tag_ in _ADJECTIVE_TAGS or is_opinion(word) or _is_evaluative(word)


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
        and word not in _WEAK
        and not _is_evaluative(word)
        and len(word) > 1
    )


def _term_words(terms: Sequence[str]) -> set[str]:
    return {w for term in terms for w in term.split()}


class _PhraseStats:
    """Document frequencies of candidate phrases over a deterministic reference sample."""

    def __init__(self, prepared: list[_Answer]) -> None:
        ids = [a.inp.id for a in prepared]
        ref = _sample(list(range(len(prepared))), ids, 2000)
        self.n = len(ref)
        self.df: Counter[str] = Counter()
        for i in ref:
            self.df.update(_phrases(prepared[i].inp.text).keys())

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
            meaning = sum(1 for w in parts if _is_evaluative(w) or w in _LABEL_KEEP)
            quality = (1 + 0.5 * hits) * (1 + 0.3 * min(meaning, 1)) * (0.8 + 0.2 * topical)
            length = 1 + 0.25 * (len(parts) - 2)
            # Phrases cut mid-compound in most of their uses read as fragments.
            whole = 1 - 0.5 * cuts[phrase] / cdf[phrase]
            return (cdf[phrase] / len(texts) * idf * quality * length * whole, phrase)

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
                    _stem(w.lower())
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


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:40] or "theme"


def _top_terms(centroid: np.ndarray, names: np.ndarray) -> tuple[str, ...]:
    order = sorted(np.flatnonzero(centroid), key=lambda j: (-float(centroid[j]), names[j]))
    return tuple(str(names[j]) for j in order[:TERMS])


@dataclass
class _Group:
    members: list[int]
    key: str | None = None
    known: KnownTheme | None = None
    leftover: bool = False
    kind: str = "other"


class _Builder:
    """Turn groups of answer indices into Theme objects."""

    def __init__(self, prepared: list[_Answer], x: sparse.csr_matrix, names: np.ndarray) -> None:
        self.prepared = prepared
        self.x = x
        self.names = names
        self.total = len(prepared)
        self.stats = _PhraseStats(prepared)
        self.used: set[str] = set()

    def build(self, group: _Group) -> Theme:
        members = sorted(group.members, key=lambda i: self.prepared[i].inp.id)
        centroid = _centroid(self.x[members])
        terms = _top_terms(centroid, self.names)
        label, key = self._identity(group, members, terms)
        answers = [self.prepared[i] for i in members]
        sentiment = Counter({"positive": 0, "neutral": 0, "negative": 0})
        sentiment.update(a.label for a in answers)
        sectors = Counter(a.inp.sector for a in answers if a.inp.sector)
        return Theme(
            key=key,
            label=label,
            kind=self._kind(group, answers),
            answer_ids=tuple(a.inp.id for a in answers),
            count=len(members),
            share=round(len(members) / self.total, 4),
            quotes=self._quotes(members, centroid),
            sentiment=MappingProxyType(dict(sentiment)),
            sectors=MappingProxyType(dict(sorted(sectors.items()))),
            terms=terms,
            is_new=group.known is None,
        )

    def _identity(
        self, group: _Group, members: list[int], terms: tuple[str, ...]
    ) -> tuple[str, str]:
        """Return (label, key): codebook identity if known, else derived from the members."""
        if group.known is not None:
            self.used.add(group.known.key)
            return group.known.label, group.known.key
        if group.leftover:
            label = OTHER_LABEL
        else:
            texts = [self.prepared[i].inp.text for i in _sample_texts(members)]
            label = self.stats.label(texts, terms)
        key = group.key or self._new_key(label, group.kind, terms, members)
        self.used.add(key)
        return label, key

    def _new_key(self, label: str, kind: str, terms: tuple[str, ...], members: list[int]) -> str:
        base = f"{_slug(label)}-{_hash_key(kind + '|' + '|'.join(terms))[:6]}"
        if base not in self.used:
            return base
        ids = "|".join(self.prepared[i].inp.id for i in members)
        return f"{base}-{_hash_key(ids)[:6]}"

    def _kind(self, group: _Group, answers: list[_Answer]) -> str:
        counts = Counter(a.kind for a in answers)
        preferred = group.known.kind if group.known is not None else group.kind
        return max(KINDS, key=lambda k: (counts[k], k == preferred, -KINDS.index(k)))

    def _quotes(self, members: list[int], centroid: np.ndarray) -> tuple[str, ...]:
        sims = np.asarray(self.x[members] @ centroid).ravel()
        order = sorted(range(len(members)), key=lambda r: (-round(float(sims[r]), 6), r))
        quotes: list[str] = []
        for r in order:
            text = self.prepared[members[r]].inp.text.strip()
            if text and text not in quotes:
                quotes.append(text)
            if len(quotes) == QUOTES:
                break
        return tuple(quotes)


def _sample_texts(members: list[int]) -> list[int]:
    return members if len(members) <= _LABEL_SAMPLE else members[:: len(members) // _LABEL_SAMPLE]


def _groups(
    prepared: list[_Answer],
    x: sparse.csr_matrix,
    codebook: Sequence[KnownTheme],
    known_rows: tuple[sparse.csr_matrix, np.ndarray],
    pinned: Mapping[str, str],
) -> list[_Group]:
    """Decide which answers go together: pinned, then codebook joins, then new clusters."""
    ids = [a.inp.id for a in prepared]
    known = {kt.key: kt for kt in codebook}
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(prepared):
        if a.inp.id in pinned:
            by_key[pinned[a.inp.id]].append(i)
    free = [i for i, a in enumerate(prepared) if a.inp.id not in pinned]
    for i, key in _join_known(x, prepared, free, codebook, known_rows).items():
        by_key[key].append(i)
    joined = {i for members in by_key.values() for i in members}
    groups = [
        _Group(members, key=key, known=known.get(key), kind=_majority(prepared, members))
        for key, members in sorted(by_key.items())
    ]
    for kind in KINDS:
        rest = [i for i in free if i not in joined and prepared[i].kind == kind]
        if not rest:
            continue
        clusters = _cluster(x, rest, ids)
        groups += [_Group(g, kind=kind) for g in clusters[:-1] if g]
        if clusters[-1]:
            groups.append(
                _Group(clusters[-1], key=f"{kind}{LEFTOVER_SUFFIX}", leftover=True, kind=kind)
            )
    return groups


def _majority(prepared: list[_Answer], members: list[int]) -> str:
    counts = Counter(prepared[i].kind for i in members)
    return max(KINDS, key=lambda k: (counts[k], -KINDS.index(k)))


def group_themes(
    answers: Sequence[ThemeInput],
    codebook: Sequence[KnownTheme] = (),
    pinned: Mapping[str, str] | None = None,
) -> list[Theme]:
    """Group answers into themes, joining codebook themes first and honouring pins."""
    return group_and_label(answers, codebook, pinned)[0]


def group_and_label(
    answers: Sequence[ThemeInput],
    codebook: Sequence[KnownTheme] = (),
    pinned: Mapping[str, str] | None = None,
) -> tuple[list[Theme], dict[str, str]]:
    """Group answers into themes and return each answer id's sentiment label too."""
    if not answers:
        return [], {}
    prepared = _prepare(answers)
    vec = _vectoriser(prepared, codebook)
    x = vec.transform([a.tokens for a in prepared]).tocsr()
    known = _known_vectors(vec, codebook)
    groups = _groups(prepared, x, codebook, known, pinned or {})
    builder = _Builder(prepared, x, vec.get_feature_names_out())
    # Codebook and pinned themes claim their keys before new themes are named.
    ordered = sorted(groups, key=lambda g: (g.key is None, g.key or ""))
    themes = [builder.build(g) for g in ordered]
    leftover = {g.key for g in groups if g.leftover}
    ordered_themes = sorted(
        themes,
        key=lambda t: (KINDS.index(t.kind), t.key in leftover or is_catch_all(t), -t.count, t.key),
    )
    return ordered_themes, {a.inp.id: a.label for a in prepared}


def is_catch_all(theme: Theme) -> bool:
    """Say whether a theme is an "Other comments" bucket of leftovers rather than a topic."""
    return theme.key.endswith(LEFTOVER_SUFFIX) or theme.label == OTHER_LABEL


def split_by_kind(themes: Iterable[Theme]) -> dict[str, list[Theme]]:
    """Split themes into went_well, improve and other lists, keeping their order."""
    out: dict[str, list[Theme]] = {kind: [] for kind in KINDS}
    for theme in themes:
        out[theme.kind].append(theme)
    return out
