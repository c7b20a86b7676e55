"""Sentiment tags for free-text answers: a learned classifier, with the rules as its reasons.

The label comes from a logistic regression trained at build time on public, human-labelled
sentences (`analysis/models/train_sentiment.py`; sources in
`analysis/models/sentiment_training/MANIFEST.md`). It reads the rules' own scores,
VADER's, a few counts of the text's shape and hashed words and word pairs; where that
reading is unsure (top probability below `UNSURE`), two more readers are asked and the
three probabilities are averaged, each weighted by its own top probability (a sure reader
counts for more): a second set of weights that also reads the answer's e5 sentence vector
(`analysis.e5`), and a MiniLM transformer fine-tuned on the same public sentences
(`analysis.minilm`), which reads word order and negation. The hand rules
(`analysis.sentiment_rules`) still say *why*: their evaluative words, negations, contrasts
and suggestion cues are the reasons shown to officers, and they set the suggestion flag.

Then, in order:

* An answer that says nothing ("Nothing.", "N/A", "Nothing all good") is neutral.
* A suggestion ("Better communication about...") is not praise: a positive reading
  becomes neutral unless the rules themselves found clear praise.
* When the rules found no evaluative words and no suggestion, the question's kind decides
  ("went_well" -> positive, "improve" -> negative), unless the classifier is confident
  (P >= 0.75) of the opposite label, judged on the words alone.
* Otherwise a label against the question's kind (negative for "went_well", positive for
  "improve") needs that confidence too: "The officer support was second to none" answering
  what went well is not a complaint because a sentence reader half-thought so. Below it,
  the label becomes the kind's own if the rules read it so, else the likelier of the
  kind's and neutral; a suggestion answering "improve" is never praise.
* An officer's corrections in the same programme (an `Adaptation`) win for an answer that
  means the same as one they corrected.

Polarity is P(positive) - P(negative); subjectivity is the rules'.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analysis import e5, minilm
from analysis import sentiment_model as model
from analysis import sentiment_rules as rules
from analysis.nonanswers import is_non_answer
from analysis.sentiment_rules import KINDS, Tag, is_opinion, tokenise, word_tags

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "KINDS",
    "TAGGER_VERSION",
    "Adaptation",
    "Tag",
    "is_opinion",
    "tag",
    "tag_many",
    "tokenise",
    "word_tags",
]

# 2026.12-5: 2026.12-2's words-alone weights; where they are unsure, the mean of their
# reading, the e5 weights' and the fine-tuned MiniLM's. (2026.12-4 used e5 alone there;
# 2026.12-3 was a candidate, not shipped.) 2026.12-5.1: the same readers; a nothing-word
# right before any word of praise ("Nothing helpful") is a verdict, not a non-answer, so
# answers tagged earlier are re-tagged at the next analysis. 2026.12-5.2: the same
# readers; a label against the question's kind needs confidence (`_weigh_kind`).
# 2026.12-11: the same readers, each weighted by its own top probability (`weigh_readings`)
# instead of a plain mean. (2026.12-6 to -10 were candidates, not shipped.)
# 2026.12-13: the e5 weights also learn from NewsMTSC's news sentences (the words-alone
# weights and MiniLM do not: there they cost the project's own sets; 2026.12-12 was a
# candidate, not shipped).
TAGGER_VERSION = "2026.12-13"
LABELS = model.LABELS
CONFIDENT = 0.75
# Below this top probability the words-alone classifier is unsure, and e5 and MiniLM are
# read too: on the training data, leave-one-source-out, that kept nearly all of e5's gain
# while encoding fewer than half the answers. Averaging the three readings there beat e5
# alone on every held-out training source without MiniLM alone's losses on the project's
# own sets (`analysis/models/train_sentiment.py`, HELD_OUT_COMBINATIONS).
UNSURE = 0.7
_LEXICON_COLUMNS = [
    model.features.NAMES.index(name)
    for name in ("rules praise count", "rules complaint count", "VADER compound")
]
SIMILAR = 0.9
# The label each question kind leads people to give, and its opposite.
_HINTED = {"went_well": "positive", "improve": "negative"}
_OPPOSITE = {"positive": "negative", "negative": "positive"}


@dataclass(frozen=True)
class Adaptation:
    """Officer-labelled answers of one programme, used to correct answers that mean the same.

    Build it with `Adaptation.build(pairs)`; `digest` changes whenever the labels do, so
    stored tags can be recomputed when an officer corrects one.
    """

    texts: tuple[str, ...]
    labels: tuple[str, ...]
    vectors: np.ndarray
    digest: str

    @classmethod
    def build(cls, pairs: Iterable[tuple[str, str]]) -> Adaptation:
        """Return the adaptation for (text, officer label) pairs (order does not matter)."""
        unique = sorted({(t.strip(), label) for t, label in pairs if t.strip() and label in LABELS})
        texts = tuple(t for t, _ in unique)
        labels = tuple(label for _, label in unique)
        digest = hashlib.sha256(repr(unique).encode("utf-8")).hexdigest()[:12]
        return cls(texts, labels, model.embed(list(texts)), digest)

    def version(self) -> str:
        """Return the tagger version for answers tagged with this adaptation."""
        return f"{TAGGER_VERSION}+{self.digest}" if self.texts else TAGGER_VERSION

    def nearest(self, vector: np.ndarray, text: str) -> tuple[str, str, float] | None:
        """Return (label, text, similarity) of the closest corrected answer, if close enough."""
        import numpy as np

        if not self.texts:
            return None
        key = _normalise(text)
        for known, label in zip(self.texts, self.labels, strict=True):
            if _normalise(known) == key:
                return label, known, 1.0
        sims = self.vectors @ vector
        best = int(np.argmax(sims))
        if sims[best] >= SIMILAR and float(np.linalg.norm(vector)) > 0:
            return self.labels[best], self.texts[best], float(sims[best])
        return None


def _normalise(text: str) -> str:
    return " ".join(rules.tokenise(text))


def _shares(probs: np.ndarray) -> str:
    """Show probabilities as officers read them: "negative 0.61, neutral 0.30, ..."."""
    return ", ".join(f"{name} {p:.2f}" for name, p in zip(LABELS, probs, strict=True))


def _decide(
    text: str,
    kind: str | None,
    reading: rules.RuleReading,
    probs: np.ndarray,
    words: np.ndarray | None,
    vector: np.ndarray,
    adaptation: Adaptation | None,
    lexical: bool = True,
) -> Tag:
    """Turn the classifier's probabilities and the rules' reading into a tag.

    `words` are the words-alone probabilities when other readers were asked too (`probs`
    are then the weighted average), else None.
    """
    import numpy as np

    label = LABELS[int(np.argmax(probs))]
    reasons = [r for r in reading.tag.reasons if not r.startswith("no evaluative words")]
    reasons[-1] = f"rules: {_rules_verdict(reading, reasons[-1])}"
    if words is not None:
        reasons.append(f"classifier, words alone: {_shares(words)} (unsure)")
        readers = ", ".join(_sentence_readers())
        reasons.append(
            f"weighted average with the whole sentence read ({readers}): {_shares(probs)}"
        )
    else:
        reasons.append(f"classifier: {_shares(probs)}")
    says_nothing = is_non_answer(text, kind)
    if says_nothing:
        label = "neutral"
        reasons.append("says nothing (a non-answer) -> neutral")
    elif reading.tag.suggestion and label == "positive" and reading.tag.label != "positive":
        label = "neutral"
        reasons.append("a suggestion is not praise -> neutral")
    elif not lexical and label != "neutral" and float(probs.max()) < CONFIDENT:
        # No lexicon (ours, VADER's or TextBlob's) found an opinion word: "We are a school."
        label = "neutral"
        reasons.append("no opinion words in any lexicon and the classifier unsure -> neutral")
    if not says_nothing:
        label = _weigh_kind(label, kind, reading, probs, words, reasons)
    near = adaptation.nearest(vector, text) if adaptation is not None else None
    if near is not None:
        label = near[0]
        reasons.append(
            f"an officer labelled a similar answer {near[1]!r} {near[0]} ({near[2]:.2f})"
        )
    polarity = round(float(probs[LABELS.index("positive")] - probs[LABELS.index("negative")]), 4)
    reasons.append(f"-> {label}")
    return Tag(label, polarity, reading.tag.subjectivity, reading.tag.suggestion, tuple(reasons))


def _rules_verdict(reading: rules.RuleReading, verdict: str) -> str:
    """Say the rules' verdict, without the label they took from the question kind alone.

    The kind is weighed (and its reason given) after the classifier, so "score +0.00 ->
    negative" for "Nothing." would state a conclusion the rules did not reach from words.
    """
    if any(r.startswith("no evaluative words") for r in reading.tag.reasons):
        return f"score {reading.tag.polarity:+.2f}, no evaluative words"
    return verdict


def _weigh_kind(
    label: str,
    kind: str | None,
    reading: rules.RuleReading,
    probs: np.ndarray,
    words: np.ndarray | None,
    reasons: list[str],
) -> str:
    """Let the question's kind weigh in, appending the reason when it changes the label.

    Someone answering "what went well?" is praising unless they plainly say otherwise, and
    an answer to "what could improve?" is not praise, least of all a suggestion.
    """
    hinted = _HINTED.get(kind or "")
    if hinted is None:
        return label
    opposite = _OPPOSITE[hinted]
    if not (reading.n_positive or reading.n_negative) and not reading.tag.suggestion:
        # The words-alone reading weighs against the kind: the sentence readers read more
        # into "groups that never normally hear about council contracts" than is there.
        judged = probs if words is None else words
        if judged[LABELS.index(opposite)] < CONFIDENT:
            if label != hinted:
                reasons.append(f"no evaluative words; question kind '{kind}' decides")
            return hinted
    if label != opposite:
        return label
    if kind == "improve" and reading.tag.suggestion:
        reasons.append("a suggestion answering 'improve' is not praise -> neutral")
        return "neutral"
    if probs[LABELS.index(opposite)] >= CONFIDENT:
        return label
    if reading.tag.label == hinted:  # the rules' own words agree with the kind
        kept = hinted
    else:
        kept = max((hinted, "neutral"), key=lambda name: probs[LABELS.index(name)])
    reasons.append(f"question kind '{kind}': {opposite} needs P >= {CONFIDENT} -> {kept}")
    return kept


def _tag_batch(items: Sequence[tuple[str, str | None]], adaptation: Adaptation | None) -> list[Tag]:
    """Tag a batch: the rules, the classifier (and embeddings, to adapt) each run once."""
    import numpy as np

    readings = [rules.read(text, kind) for text, kind in items]
    texts = [text for text, _ in items]
    if adaptation is not None and adaptation.texts:
        vectors = model.embed(texts)
    else:  # nothing to compare with: skip loading the embedding model
        vectors = np.zeros((len(texts), 1), dtype=np.float32)
    rows = model.feature_rows(texts, readings)
    words = model.probabilities(texts, rows)
    probs, meaning = _read_meaning_where_unsure(texts, rows, words)
    lexical = np.abs(rows[:, _LEXICON_COLUMNS]).sum(axis=1) > 0
    return [
        _decide(text, kind, reading, p, w if m else None, v, adaptation, bool(found))
        for (text, kind), reading, p, w, m, v, found in zip(
            items, readings, probs, words, meaning, vectors, lexical, strict=True
        )
    ]


def _e5_reading(texts: Sequence[str], rows: np.ndarray) -> np.ndarray:
    return model.probabilities(texts, rows, e5.embed(texts))


def _minilm_reading(texts: Sequence[str], rows: np.ndarray) -> np.ndarray:
    return minilm.probabilities(texts)


# The readers of the whole sentence asked where the words alone are unsure: the name shown
# to officers, its module (whose available() says whether this process may use it), and
# its probabilities for some texts.
_SENTENCE_READERS = (
    ("e5", e5, _e5_reading),
    ("MiniLM", minilm, _minilm_reading),
)


def _sentence_readers() -> list[str]:
    """Return the names of the readers, beyond words alone, available in this process."""
    return [name for name, reader, _ in _SENTENCE_READERS if reader.available()]


def _read_meaning_where_unsure(
    texts: Sequence[str], rows: np.ndarray, words: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return the probabilities to decide by, and which answers other readers were asked for.

    Where the words-alone classifier is unsure, its probabilities are averaged with those of
    the readers available here (the e5 weights, MiniLM), each weighted by how sure it is;
    elsewhere they stand alone.
    """
    import numpy as np

    unsure = np.flatnonzero(words.max(axis=1) < UNSURE)
    meaning = np.zeros(len(texts), dtype=bool)
    if unsure.size == 0:
        return words, meaning
    picked = [texts[i] for i in unsure]
    readings = [words[unsure]]
    readings += [
        read(picked, rows[unsure]) for _, reader, read in _SENTENCE_READERS if reader.available()
    ]
    if len(readings) == 1:
        return words, meaning
    probs = words.copy()
    probs[unsure] = weigh_readings(readings)
    meaning[unsure] = True
    return probs, meaning


def weigh_readings(readings: Sequence[np.ndarray]) -> np.ndarray:
    """Combine readers' probabilities (one array each), each weighted by its top probability.

    A reader that is sure of an answer counts for more than one that is not: MiniLM sure
    of a long sentence outweighs words-alone weights that hesitate over it.
    """
    import numpy as np

    stacked = np.stack(readings)
    weights = stacked.max(axis=-1, keepdims=True)
    return (stacked * weights).sum(axis=0) / weights.sum(axis=0)


def tag(text: str, kind: str | None = None, adaptation: Adaptation | None = None) -> Tag:
    """Tag one answer's sentiment; the question kind breaks ties, an adaptation corrects."""
    return _tag_batch([(text, kind)], adaptation)[0]


def tag_many(
    items: Iterable[tuple[str, str | None]], adaptation: Adaptation | None = None, batch: int = 256
) -> list[Tag]:
    """Tag many (text, kind) pairs in batches, reusing results for repeated pairs."""
    pairs = list(items)
    unique = list(dict.fromkeys(pairs))
    tags: dict[tuple[str, str | None], Tag] = {}
    for start in range(0, len(unique), batch):
        chunk = unique[start : start + batch]
        tags.update(zip(chunk, _tag_batch(chunk, adaptation), strict=True))
    return [tags[pair] for pair in pairs]
