"""Sentiment rules: the reasons behind every tag, the suggestion flag and classifier features.

`analysis.sentiment` labels answers with a learned classifier; these hand rules say why
(the reasons officers see), set the suggestion flag, and are among the classifier's inputs.
`tag()` here is the rules alone (the tagger before 2026.12), kept for the benchmark.

The rules are built on TextBlob's pattern lexicon (polarity, subjectivity, intensity per
word), read once and scored by our own clause-aware rules instead of TextBlob's tokeniser,
which needs NLTK data we do not ship. TextBlob is imported here and, for its own polarity
score as a classifier feature, in `analysis.sentiment_features`.

Rules, in the order an officer would read them in ``Tag.reasons``:

* Words score from the TextBlob lexicon overlaid with a commissioning-feedback lexicon;
  multi-word phrases ("out of our depth", "spot on") are matched first. Words neither
  knows fall back to VADER's human-rated lexicon (shipped inside vaderSentiment, read once),
  then to a base form ("struggles" -> "struggle"), the last part of a hyphenated word
  ("user-friendly") and a one-edit spelling correction ("dissapointed"). Faint praise
  ("fine", "adequate", "ok") is near zero, so on its own it is neutral.
* Intensifiers and downtoners (including VADER's booster list) scale the next word; "!"
  and a word written in CAPITALS (in otherwise mixed-case text) strengthen it.
* Negation ("not", "no", "never", "n't"...) within four tokens flips an evaluative word:
  "not good" is mildly negative, "not confusing" mildly positive; "at all" strengthens it.
  "no"/"never"/"nothing"/"nobody" followed by nothing evaluative means something was
  missing ("nobody rang us back") and counts against, at half weight. Negation stops at
  punctuation and at clause words ("and", "because", "which"); "I don't think"/"can't say"
  carry it into the next clause; "nothing to add" is no comment.
* "too" + word ("too short", "far too long") and "not ... enough" are complaints;
  "lack of" is a complaint; "couldn't have been more helpful" keeps its sign.
* Contrast: "but"/"however" halve the weight of everything before them; a clause opened by
  "although"/"though"/"while" counts half.
* Suggestions ("would help", "should", "next time", "please", "more time", an instruction
  such as "Extend the deadline") set ``suggestion``. Praise words inside the suggestion
  clause ("it would be *good* if...") are not praise, so they are damped. A past
  counterfactual ("could have been clearer", "would have liked") is a suggestion *and* a
  mild complaint; so are "I wish", "if only" and "would have preferred/expected".
  "had to chase/wait/ring" and "kept crashing" (repeated trouble) are mild complaints;
  "would buy again" and "will be back" are endorsements, flipped by negation.
* Label: weighted mean polarity >= 0.1 is positive, <= -0.1 negative, else neutral.
  A pure suggestion is therefore neutral; a suggestion carrying clear praise or complaint
  keeps that label. ``label`` and ``suggestion`` are independent fields.
* The question's kind is only a hint: it decides the label only when the text carries no
  evaluative words and no suggestion ("went_well" -> positive, "improve" -> negative).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from analysis import _lexicon as lx

TAGGER_VERSION = "2026.11-2"

POSITIVE_THRESHOLD = 0.1
NEGATIVE_THRESHOLD = -0.1
KINDS = ("went_well", "improve", "other")

_NEGATION_WINDOW = 4
_NEGATED_POSITIVE = -0.6
_NEGATED_NEGATIVE = -0.5
_SUGGESTION_DAMP_POSITIVE = 0.1
_SUGGESTION_DAMP_NEGATIVE = 0.6
_SUGGESTION_DAMP_ABSENCE = 0.3
_COUNTERFACTUAL = -0.35
_ABSENCE = -0.3
_ABSENCE_WEIGHT = 0.5
_REPEATED = -0.3
_ENDORSE = 0.4
_CAPS = 1.3
_TOO = -0.45
_NOT_ENOUGH = -0.45
_LACK = -0.5
_CONTRAST_BEFORE = 0.3

_TOKEN_RE = re.compile(r"[:;]-?[()dp]\b|[a-z0-9]+(?:-[a-z]+)*(?:'[a-z]+)?|[.!?;]+|[,:()\-–—/]")
_SENTENCE_END = frozenset({".", "!", "?", ";", "!!", "?!", "!?", "...", ".."})
_CHUNK_BREAK = frozenset({",", ":", "-", "–", "—", "(", ")", "/"})
_EMOTICONS = {":)": 0.5, ":-)": 0.5, ";)": 0.4, ":d": 0.6, ":(": -0.5, ":-(": -0.5, ":p": 0.2}


@dataclass(frozen=True)
class Tag:
    """Sentiment of one answer: label, polarity, subjectivity, suggestion flag and reasons."""

    label: str
    polarity: float
    subjectivity: float
    suggestion: bool
    reasons: tuple[str, ...]


@dataclass
class _Item:
    pos: int
    polarity: float
    subjectivity: float
    weight: float
    reason: str


@dataclass
class _State:
    items: list[_Item] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    suggestion: bool = False


@cache
def _word_scores() -> dict[str, tuple[float, float]]:
    """Load TextBlob's lexicon once and overlay the domain words."""
    from textblob.en import sentiment as pattern_sentiment

    if not dict.__len__(pattern_sentiment):
        pattern_sentiment.load()
    scores: dict[str, tuple[float, float]] = {}
    for word, senses in dict.items(pattern_sentiment):
        polarity, subjectivity, _intensity = senses[None]
        if " " not in word and (polarity or subjectivity):
            scores[word] = (float(polarity), float(subjectivity))
    for word in lx.NEUTRALISED:
        if word in scores:
            scores[word] = (0.0, scores[word][1])
    for word, polarity in (lx.GENERAL | lx.DOMAIN).items():
        scores[word] = (polarity, 0.6 if polarity else 0.0)
    return scores


def _package_text(package: str, name: str) -> str:
    from importlib import resources

    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


@cache
def _vader_scores() -> dict[str, float]:
    """Load VADER's human-rated lexicon once, as a fallback for words TextBlob lacks.

    Valences (-4..4) are scaled to TextBlob's -1..1. VADER rated words out of context, so
    topic nouns such as "charity", "support" or "opportunity" carry praise they do not
    have in feedback: nouns (by the Brill tag list TextBlob ships) count only when
    strongly rated, and words our own rules read (negators, cues, modifiers) are skipped.
    """
    valences: dict[str, float] = {}
    for line in _package_text("vaderSentiment", "vader_lexicon.txt").splitlines():
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
    for line in _package_text("textblob.en", "en-lexicon.txt").splitlines():
        word, _, pos = line.partition(" ")
        if pos and not word.startswith(";"):
            tags.setdefault(word, pos)
    return tags


def is_opinion(word: str) -> bool:
    """Return whether a word carries clear sentiment in the tagger's lexicons."""
    found = _lookup(word)
    return found is not None and abs(found[0]) >= 0.3


@cache
def _spelling_vocabulary() -> frozenset[str]:
    """Return the English word list TextBlob ships, to tell typos from real words."""
    return frozenset(
        line.split(" ", 1)[0]
        for line in _package_text("textblob.en", "en-spelling.txt").splitlines()
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
    score = _word_scores().get(word)
    if score is not None and (adjectives or word in lx.DOMAIN or word in lx.GENERAL):
        return score[0], score[1], ""
    valence = _vader_scores().get(word)
    if valence is not None:
        return valence, 0.6, " (VADER)"
    return None


def _lookup(word: str) -> tuple[float, float, str] | None:
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
        inner = _lookup(tail)
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
    if word in _spelling_vocabulary():
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
    words = [w for w, (p, _s) in _word_scores().items() if p] + list(_vader_scores())
    for word in sorted(set(words)):
        if word.isalpha() and len(word) >= 5:
            key = _squash(word)
            index[key] = word if index.get(key, word) == word else ""
    return index


_PHRASE_FIRST = frozenset(p[0] for p in lx.PHRASES)
_PHRASE_LENGTHS = sorted({len(p) for p in lx.PHRASES}, reverse=True)


def tokenise(text: str) -> list[str]:
    """Split text into lower-case word and punctuation tokens, expanding "n't"."""
    raw = _TOKEN_RE.findall(text.lower().replace("\u2019", "'").replace("\u2018", "'"))
    tokens: list[str] = []
    for tok in raw:
        if tok.endswith("n't"):
            base = tok[:-3]
            tokens.extend((lx.N_T_BASES.get(base, base), "not"))
        elif tok in lx.CONTRACTIONS:
            tokens.extend((lx.CONTRACTIONS[tok], "not"))
        elif "'" in tok:
            head, _, tail = tok.partition("'")
            tokens.append(head)
            if tail in ("d", "ll", "ve", "re"):
                tokens.append({"d": "would", "ll": "will", "ve": "have", "re": "are"}[tail])
        else:
            tokens.append(tok)
    return tokens


def _sentences(tokens: list[str]) -> list[list[str]]:
    """Split tokens into sentences at full stops, question marks and semicolons."""
    out: list[list[str]] = []
    current: list[str] = []
    for tok in tokens:
        if tok in _SENTENCE_END or tok[0] in ".!?;":
            if current:
                current.append("!" if "!" in tok else ".")
                out.append(current)
            current = []
        else:
            current.append(tok)
    if current:
        out.append(current)
    return out


def _phrase_at(toks: list[str], i: int) -> tuple[int, float] | None:
    """Return (length, polarity) of a known phrase starting at position i."""
    if toks[i] not in _PHRASE_FIRST:
        return None
    for n in _PHRASE_LENGTHS:
        key = tuple(toks[i : i + n])
        if len(key) == n and key in lx.PHRASES:
            return n, lx.PHRASES[key]
    return None


def _is_word(tok: str) -> bool:
    return tok[0].isalnum()


def _find_ahead(toks: list[str], i: int, targets: frozenset[str], span: int) -> int:
    """Return the index of the first target within span words after i, or -1."""
    for j in range(i + 1, min(len(toks), i + 1 + span)):
        if not _is_word(toks[j]):
            return -1
        if toks[j] in targets:
            return j
    return -1


_WOULD_BE = frozenset(
    """good better great nice useful helpful ideal welcome appreciated a an more easier clearer
    simpler fairer best sensible worth valuable beneficial""".split()
)
_NOT_OBJECT = frozenset({"been", "to", "not", "we", "i", "and", "or", "is", "was"})
_TIME_ADJ = frozenset({"short", "long", "tight", "brief", "slow", "lengthy", "late"})
_SENTENCE_HEDGES = frozenset({"suppose", "guess", "s'pose"})
_GOT_VERBS = frozenset(
    "get got receive received hear heard have had see seen given offered".split()
)
_ENOUGH = frozenset({"enough", "sufficient", "adequate"})
_COMPARATIVE = frozenset({"more", "happier", "better", "less", "worse", "fewer"})
_TOO_SKIP = frozenset({"and", "but", "or", "as", "to", "for"})


def _suggestion_cue(toks: list[str], i: int) -> str | None:
    """Name the suggestion cue starting at position i, if any."""
    tok = toks[i]
    nxt = toks[i + 1] if i + 1 < len(toks) else ""
    nxt2 = toks[i + 2] if i + 2 < len(toks) else ""
    if tok in lx.SUGGESTION_WORDS:
        return tok
    if i == 0 and tok in _COMPARATIVE_HEADS and _is_word(nxt or ",") and nxt not in _NOT_NOUN:
        # A verbless "Better communication about..." asks for something.
        if _lookup(nxt) is None and nxt not in lx.STOPWORDS:
            return f"{tok} {nxt}"
    if i == 0 and tok in lx.IMPERATIVES and _is_word(nxt or ",") and nxt not in _NOT_OBJECT:
        return f"instruction '{tok}'"
    if tok == "would" and nxt in ("help", "make", "welcome", "like", "prefer", "love", "suit"):
        return f"would {nxt}"
    if tok == "would" and nxt == "be" and nxt2 in _WOULD_BE:
        return f"would be {nxt2}"
    if tok == "should" and nxt not in ("not", "have"):
        return "should"
    if tok == "could" and nxt != "not" and (i == 0 or nxt in ("be", "you", "we", "do", "there")):
        return f"could {nxt}".strip()
    if tok in ("need", "needs") and nxt in ("to", "more", "a", "an", "spelling", "clearer"):
        return f"{tok} {nxt}"
    if (tok, nxt) in (("next", "time"), ("future", "rounds"), ("future", "phases")):
        return f"{tok} {nxt}"
    if tok == "in" and (nxt == "future" or (nxt == "the" and nxt2 == "future")):
        return "in future"
    if tok == "recommend" and nxt in ("that", "a", "an", "the", "more", "having", "using"):
        return "recommend"
    if tok == "going" and nxt == "forward":
        return "going forward"
    if tok in lx.REQUEST_HEADS and nxt and _is_word(nxt) and nxt not in ("than", "of", "and"):
        if _lookup(nxt) is None and nxt not in lx.STOPWORDS:
            return f"{tok} {nxt}"
    if tok in ("why", "how") and nxt in ("not", "about"):
        return f"{tok} {nxt}"
    if tok in ("can", "could", "would", "will") and nxt == "you":
        return f"{tok} you"
    return None


_COMPARATIVE_HEADS = frozenset("better clearer simpler quicker faster fewer improved".split())
_NOT_NOUN = frozenset("than still was were is are and or to".split())
_RELATIVE = frozenset({"that", "who", "which", "whom"})


_COUNTERFACTUAL_VERBS = frozenset(
    """been liked helped made covered included had loved preferred appreciated welcomed
    benefited benefitted expected hoped thought""".split()
)


def _counterfactual(toks: list[str], i: int) -> str | None:
    """Name a past counterfactual ("could have been clearer") starting at i, if any."""
    tok = toks[i]
    nxt = toks[i + 1] if i + 1 < len(toks) else ""
    nxt2 = toks[i + 2] if i + 2 < len(toks) else ""
    if tok in ("could", "should", "would", "might") and nxt == "have":
        if nxt2 in _COUNTERFACTUAL_VERBS:
            return f"{tok} have {nxt2}"
    if tok in ("wish", "wished") and i > 0 and toks[i - 1] in ("i", "we"):
        return f"{toks[i - 1]} {tok}"
    if tok == "if" and nxt == "only":
        return "if only"
    if tok == "needed" and nxt in ("more", "a", "to", "clearer", "better"):
        return f"needed {nxt}"
    return None


class _Scorer:
    """Score one sentence's tokens into weighted evaluative items."""

    def __init__(self, toks: list[str], state: _State, shouted: frozenset[str]) -> None:
        self.toks = toks
        self.shouted = shouted
        self.state = state
        self.items: list[_Item] = []
        self.subjectivity: list[float] = []
        self.chunk_start = 0
        self.cue_start: int | None = None
        self.neg_word = ""
        self.neg_left = 0
        self.neg_seen = 0
        self.neg_hit = False
        self.mod = 1.0
        self.mod_word = ""
        self.mod_left = 0
        self.concessive = False
        self.last_negated: _Item | None = None
        self.hedged = False

    def run(self) -> None:
        """Walk the sentence once, emitting items, then apply suggestion damping."""
        i = 0
        while i < len(self.toks):
            i = self._step(i)
        self._close_negation()
        self._damp_suggestion()
        if self.hedged:
            for item in self.items:
                item.polarity *= 0.3
        self.state.items.extend(self.items)

    def _emit(self, i: int, polarity: float, reason: str, subjectivity: float = 0.6) -> None:
        """Record an evaluative item, applying pending modifier, negation and clause weight."""
        if self.mod_left > 0 and self.mod != 1.0:
            polarity = polarity * self.mod
            reason = f"{self.mod_word} {reason}"
            if self.mod_word in lx.HEDGES:
                self.state.reasons.append(f"hedge '{self.mod_word}' softens '{self.toks[i]}'")
        self.mod_left = 0
        if self.toks[i] in self.shouted:
            polarity *= _CAPS
            reason = f"{reason} in CAPITALS"
        negated = False
        if self.neg_left > 0:
            factor = _NEGATED_POSITIVE if polarity > 0 else _NEGATED_NEGATIVE
            polarity *= factor
            reason = f"{self.neg_word} ... {reason}"
            self.neg_hit = True
            self.neg_left = 0
            negated = True
        weight = 0.5 if self.concessive else 1.0
        item = _Item(i, max(-1.0, min(1.0, polarity)), subjectivity, weight, reason)
        self.items.append(item)
        self.subjectivity.append(subjectivity)
        self.last_negated = item if negated else None

    def _close_negation(self) -> None:
        """End a negation window; a bare "no"/"never"/"nobody" means something was missing."""
        if self.neg_word in lx.ABSENCE and not self.neg_hit and self.neg_seen > 0:
            self.items.append(
                _Item(
                    len(self.toks),
                    _ABSENCE,
                    0.5,
                    _ABSENCE_WEIGHT * (0.5 if self.concessive else 1.0),
                    f"'{self.neg_word} ...' (something missing)",
                )
            )
        self.neg_word, self.neg_left, self.neg_seen, self.neg_hit = "", 0, 0, False

    def _damp_suggestion(self) -> None:
        """Treat praise inside a suggestion clause as hypothetical, not as praise."""
        if self.cue_start is None:
            return
        for item in self.items:
            if item.pos >= self.cue_start and not item.reason.startswith("counterfactual"):
                if item.polarity > 0:
                    factor = _SUGGESTION_DAMP_POSITIVE
                elif item.reason.endswith("(something missing)"):
                    factor = _SUGGESTION_DAMP_ABSENCE
                else:
                    factor = _SUGGESTION_DAMP_NEGATIVE
                item.polarity *= factor

    def _mark_suggestion(self, start: int, reason: str) -> None:
        self.state.suggestion = True
        self.state.reasons.append(f"suggestion cue: {reason}")
        if self.cue_start is None or start < self.cue_start:
            self.cue_start = start

    def _step(self, i: int) -> int:
        """Consume the token(s) at i and return the next position."""
        tok = self.toks[i]
        if not _is_word(tok):
            return self._punctuation(i, tok)
        if tok in lx.CONTRAST:
            for item in self.state.items + self.items:
                item.weight *= _CONTRAST_BEFORE
            self.state.reasons.append(f"contrast '{tok}': what came before counts less")
            self._close_negation()
            self.chunk_start = i + 1
            return i + 1
        if tok in _CLAUSE_BREAK:
            self._close_negation()
            return i + 1
        if tok in lx.CONCESSIVE:
            self.concessive = True
            self.state.reasons.append(f"concession '{tok}': its clause counts half")
            return i + 1
        handled = self._cues(i, tok)
        if handled is not None:
            return handled
        phrase = _phrase_at(self.toks, i)
        if phrase is not None:
            length, polarity = phrase
            if polarity:
                self._emit(i, polarity, f"'{' '.join(self.toks[i : i + length])}'")
            return i + length
        if tok in lx.NEGATORS:
            return self._negator(i, tok)
        return self._word(i, tok)

    def _punctuation(self, i: int, tok: str) -> int:
        if tok == "!" and self.items:
            self.items[-1].polarity = max(-1.0, min(1.0, self.items[-1].polarity * 1.2))
        if tok in _CHUNK_BREAK:
            self._close_negation()
            self.chunk_start = i + 1
            self.concessive = False
            self.mod_left = 0
        return i + 1

    def _cues(self, i: int, tok: str) -> int | None:
        """Handle counterfactuals and suggestion cues; return next position if consumed."""
        counterfactual = _counterfactual(self.toks, i)
        if counterfactual is not None:
            self.items.append(
                _Item(
                    i,
                    _COUNTERFACTUAL,
                    0.5,
                    0.5 if self.concessive else 1.0,
                    f"counterfactual '{counterfactual}'",
                )
            )
            self._mark_suggestion(self.chunk_start, f"'{counterfactual}'")
            return i + len(counterfactual.split())
        cue = _suggestion_cue(self.toks, i)
        if cue is None:
            return None
        start = 0 if cue.startswith("instruction") or tok == "please" else self.chunk_start
        self._mark_suggestion(start, cue if cue.startswith("instruction") else f"'{cue}'")
        if cue.startswith("instruction") or tok in lx.SUGGESTION_WORDS:
            return i + 1
        return None

    def _negator(self, i: int, tok: str) -> int:
        toks = self.toks
        j = _find_ahead(toks, i, _ENOUGH, 3)
        if j >= 0 and "recommend" not in toks[i:j]:
            self._emit(i, _NOT_ENOUGH, f"'{' '.join(toks[i : j + 1])}'")
            return j + 1
        if tok == "not" and i > 0 and toks[i - 1] in ("could", "can"):
            j = _find_ahead(toks, i, _COMPARATIVE, 4)
            if j >= 0:
                return self._could_not_more(i, j)
        self._close_negation()
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if tok == "not" and nxt in ("only", "just"):
            return i + 1
        if tok in ("nothing", "none") and nxt in _NO_COMMENT:
            # "Nothing to add" is no comment, not something missing; "nothing to complain
            # about" still flips what follows.
            self.neg_word, self.neg_left = f"{tok} {nxt}", _NEGATION_WINDOW
            return i + 2
        any_at = _find_ahead(toks, i, _ANY, 3) if tok == "not" else -1
        got = any_at > 0 and any(t in _GOT_VERBS for t in toks[i + 1 : any_at])
        scarce = tok in ("hardly", "barely", "scarcely") and (nxt in _ANY or nxt == "ever")
        self.neg_word = "no" if got or scarce else tok
        if tok == "never" and i > 0 and toks[i - 1] in _RELATIVE:
            # "groups that never hear about contracts" describes the groups: it can still
            # flip an evaluative word, but it is not something missing.
            self.neg_word = "never (describing)"
        self.neg_left = _NEGATION_WINDOW
        return i + 1

    def _could_not_more(self, i: int, j: int) -> int:
        """Score "couldn't have been more helpful" as strong praise, "less helpful" as blame."""
        toks = self.toks
        comparative = toks[j]
        target = toks[j + 1] if j + 1 < len(toks) else ""
        polarity = (_lookup(target) or (0.0, 0.0, ""))[0]
        if comparative in ("more", "less", "fewer") and polarity:
            polarity = polarity if comparative == "more" else -abs(polarity)
            end = j + 2
        else:
            polarity = {"happier": 0.8, "better": 0.7, "worse": -0.7}.get(comparative, 0.6)
            end = j + 1
        self._emit(i, max(-1.0, min(1.0, polarity * 1.3)), f"'{' '.join(toks[i - 1 : end])}'")
        return end

    def _word(self, i: int, tok: str) -> int:
        toks = self.toks
        prev = toks[i - 1] if i > 0 else ""
        nxt = toks[i + 1] if i + 1 < len(toks) else ""
        if tok in lx.MODIFIERS and not (tok == "so" and nxt in ("that", "far", "much")):
            self.mod, self.mod_word, self.mod_left = lx.MODIFIERS[tok], tok, 2
            return i + 1
        if self.neg_left > 0 and tok in _NEG_RAISING:
            self.neg_left = _NEGATION_WINDOW
            return i + 1
        if tok in ("kept", "keeps") and nxt.endswith("ing") and len(nxt) > 4:
            if (_lookup(nxt) or (0.0, 0.0, ""))[0] <= 0:
                self._emit(i, _REPEATED, f"'{tok} {nxt}' (repeated)")
                return i + 1
        if tok == "had" and nxt == "to" and i + 2 < len(toks) and toks[i + 2] in _BURDEN:
            self._emit(i, _REPEATED, f"'had to {toks[i + 2]}'")
            return i + 3
        if (tok == "again" and prev in _AGAIN_VERBS) or (tok == "back" and prev == "be"):
            if _FUTURE & set(toks[max(0, i - 5) : i]):
                self._emit(i, _ENDORSE, f"'{prev} {tok}' (would return)")
                return i + 1
        if tok == "too" or (tok == "to" and prev in ("way", "far", "much")):
            return self._too(i, nxt)
        if tok in ("lack", "lacked", "lacking", "lacks"):
            self._emit(i, _LACK, f"'{tok}'")
            return i + 3 if nxt == "of" else i + 1
        if tok in _TIME_ADJ and self.mod_left > 0 and self.mod != 1.0:
            self._emit(i, -0.35, f"'{tok}'")
            return i + 1
        if tok in _SENTENCE_HEDGES:
            self.hedged = True
            self.state.reasons.append(f"hedge '{tok}' softens the sentence")
            return i + 1
        if tok == "well":
            if prev != "as" and not (i == 0 and not _is_word(nxt or ".")):
                self._emit(i, 0.45, "'well'")
            return i + 1
        if tok in ("at", "whatsoever") and (tok == "whatsoever" or nxt == "all"):
            if self.last_negated is not None:
                self.last_negated.polarity = max(-1.0, min(1.0, self.last_negated.polarity * 1.5))
            return i + (1 if tok == "whatsoever" else 2)
        if tok in _EMOTICONS:
            score: tuple[float, float, str] | None = (_EMOTICONS[tok], 0.8, "")
        else:
            score = _lookup(tok)
        if score is not None and score[0]:
            self._emit(i, score[0], f"'{tok}'{score[2]}", score[1])
        elif score is not None:
            self.subjectivity.append(score[1])
        self._tick_negation(i)
        if self.mod_left > 0:
            self.mod_left -= 1
        return i + 1

    def _too(self, i: int, nxt: str) -> int:
        if not nxt or not _is_word(nxt) or nxt in _TOO_SKIP:
            return i + 1
        polarity = (_lookup(nxt) or (0.0, 0.0, ""))[0]
        polarity = polarity * 1.2 if polarity < -0.3 else _TOO
        self._emit(i, polarity, f"'too {nxt}'")
        return i + 2

    def _tick_negation(self, i: int) -> None:
        if self.neg_left > 0:
            self.neg_seen += 1
            self.neg_left -= 1
            if self.neg_left == 0:
                self._close_negation()


_ANY = frozenset({"any", "anyone", "anything", "anybody"})
# Words that end a negation's scope: "no reminders and [we] nearly missed the deadline".
_CLAUSE_BREAK = frozenset("and because which who until since whereas then".split())
# Verbs that carry a negation into their clause: "I can't say it was fair".
_NEG_RAISING = frozenset("say think believe feel felt thought reckon expect".split())
_NO_COMMENT = frozenset("to further else more much new".split())
# "had to chase", "had to wait": effort the respondent should not have needed.
_BURDEN = frozenset("chase wait guess ring phone call email resubmit redo rely ask".split())
_AGAIN_VERBS = frozenset(
    "buy order use go come visit stay apply book return bid recommend choose".split()
)
_FUTURE = frozenset({"will", "would", "definitely", "certainly", "def", "probably"})


def _label(polarity: float) -> str:
    if polarity >= POSITIVE_THRESHOLD:
        return "positive"
    if polarity <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


def _aggregate(items: list[_Item]) -> float:
    """Return the clause-weighted mean polarity of the evaluative items."""
    total = sum(it.weight for it in items if it.polarity)
    if not total:
        return 0.0
    return max(-1.0, min(1.0, sum(it.weight * it.polarity for it in items) / total))


_CAPS_RE = re.compile(r"\b[A-Z]{3,}\b")


def _shouted(text: str) -> frozenset[str]:
    """Return words written in capitals for emphasis, unless the whole text is in capitals."""
    if not any(c.islower() for c in text):
        return frozenset()
    return frozenset(w.lower() for w in _CAPS_RE.findall(text))


@dataclass(frozen=True)
class RuleReading:
    """What the rules saw in one answer: their tag plus counts the classifier reads."""

    tag: Tag
    positive: float
    negative: float
    n_positive: int
    n_negative: int
    n_negated: int
    n_contrast: int


def read(text: str, kind: str | None = None) -> RuleReading:
    """Score one answer by the rules, keeping the evaluative items' totals."""
    state = _State()
    subjectivity: list[float] = []
    shouted = _shouted(text)
    for sentence in _sentences(tokenise(text)):
        scorer = _Scorer(sentence, state, shouted)
        scorer.run()
        subjectivity.extend(scorer.subjectivity)
    polarity = round(_aggregate(state.items), 4)
    label = _label(polarity)
    reasons = [f"{it.reason} {it.polarity * it.weight:+.2f}" for it in state.items if it.polarity]
    reasons.extend(state.reasons)
    if not any(it.polarity for it in state.items) and not state.suggestion:
        if kind == "went_well":
            label = "positive"
            reasons.append("no evaluative words; question kind 'went_well' decides")
        elif kind == "improve":
            label = "negative"
            reasons.append("no evaluative words; question kind 'improve' decides")
    reasons.append(f"score {polarity:+.2f} -> {label}")
    subj = round(sum(subjectivity) / len(subjectivity), 4) if subjectivity else 0.0
    signed = [it.polarity * it.weight for it in state.items if it.polarity]
    return RuleReading(
        tag=Tag(label, polarity, subj, state.suggestion, tuple(reasons)),
        positive=sum(v for v in signed if v > 0),
        negative=sum(v for v in signed if v < 0),
        n_positive=sum(1 for v in signed if v > 0),
        n_negative=sum(1 for v in signed if v < 0),
        n_negated=sum(1 for it in state.items if " ... " in it.reason),
        n_contrast=sum(1 for r in state.reasons if r.startswith("contrast")),
    )


def tag(text: str, kind: str | None = None) -> Tag:
    """Tag one answer's sentiment by the rules alone (the question kind breaks ties)."""
    return read(text, kind).tag


def tag_many(items: Iterable[tuple[str, str | None]]) -> list[Tag]:
    """Tag many (text, kind) pairs, reusing results for repeated pairs."""
    seen: dict[tuple[str, str | None], Tag] = {}
    out: list[Tag] = []
    for text, kind in items:
        key = (text, kind)
        if key not in seen:
            seen[key] = tag(text, kind)
        out.append(seen[key])
    return out
