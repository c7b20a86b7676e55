"""Sentiment rules: the reasons behind every tag, the suggestion flag and classifier features.

`analysis.sentiment` labels answers with a learned classifier; these hand rules say why
(the reasons officers see), set the suggestion flag, and are among the classifier's inputs.
`tag()` here is the rules alone (the tagger before 2026.12), kept for the benchmark.

The rules are built on TextBlob's pattern lexicon (polarity, subjectivity per word), read
from its data file once (`analysis.sentiment_lexicon`, without importing TextBlob, whose
import pulls in NLTK and SciPy) and scored by our own clause-aware rules. The modules:
`sentiment_lexicon` (word scores and fallbacks), `sentiment_cues` (tokens, sentences,
suggestion and counterfactual cues), `sentiment_scorer` (one sentence's evaluative items)
and this one (the answer's reading, label and reasons).

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
from dataclasses import dataclass

from analysis.sentiment_cues import sentences, tokenise
from analysis.sentiment_lexicon import is_opinion, word_tags
from analysis.sentiment_scorer import Item, SentenceScorer, State

__all__ = [
    "KINDS",
    "RuleReading",
    "Tag",
    "is_opinion",
    "read",
    "tag",
    "tag_many",
    "tokenise",
    "word_tags",
]

TAGGER_VERSION = "2026.11-2"

POSITIVE_THRESHOLD = 0.1
NEGATIVE_THRESHOLD = -0.1
KINDS = ("went_well", "improve", "other")


@dataclass(frozen=True)
class Tag:
    """Sentiment of one answer: label, polarity, subjectivity, suggestion flag and reasons."""

    label: str
    polarity: float
    subjectivity: float
    suggestion: bool
    reasons: tuple[str, ...]


def _label(polarity: float) -> str:
    if polarity >= POSITIVE_THRESHOLD:
        return "positive"
    if polarity <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


def _aggregate(items: list[Item]) -> float:
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
    state = State()
    subjectivity: list[float] = []
    shouted = _shouted(text)
    for sentence in sentences(tokenise(text)):
        scorer = SentenceScorer(sentence, state, shouted)
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
