"""Sentiment tags for free-text answers: a learned classifier, with the rules as its reasons.

The label comes from a logistic regression trained at build time on public, human-labelled
sentences (`analysis/models/train_sentiment.py`; sources in
`analysis/models/sentiment_training/MANIFEST.md`). It reads the rules' own scores,
VADER's, a few counts of the text's shape and hashed words and word pairs. The hand rules
(`analysis.sentiment_rules`) still say *why*: their evaluative words, negations, contrasts
and suggestion cues are the reasons shown to officers, and they set the suggestion flag.

Then, in order:

* An answer that says nothing ("Nothing.", "N/A", "Nothing all good") is neutral.
* A suggestion ("Better communication about...") is not praise: a positive reading
  becomes neutral unless the rules themselves found clear praise.
* When the rules found no evaluative words and no suggestion, the question's kind decides
  ("went_well" -> positive, "improve" -> negative), as before, unless the classifier is
  confident (P >= 0.75) of the opposite label.
* An officer's corrections in the same programme (an `Adaptation`) win for an answer that
  means the same as one they corrected.

Polarity is P(positive) - P(negative); subjectivity is the rules'.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analysis import sentiment_model as model
from analysis import sentiment_rules as rules
from analysis.sentiment_rules import KINDS, Tag, is_opinion, tokenise, word_tags

if TYPE_CHECKING:
    import numpy as np

try:
    from analysis.nonanswers import is_non_answer
except ImportError:  # pragma: no cover - until the non-answer module lands on main
    import re

    _NOTHING = re.compile(
        r"(nothing|none|no comments?|n/?a|nil|not applicable|see above|as above|"
        r"(i )?can('|no)?t think of any(thing| improvements?)|"
        r"in the circumstances i cannot think of any improvements)"
        r"( (at all|else|really|further|in particular|all good|thanks?( you)?))*[.!]*",
        re.IGNORECASE,
    )

    def is_non_answer(text: str) -> bool:
        """Return whether an answer says nothing (a stand-in for analysis.nonanswers)."""
        return _NOTHING.fullmatch(" ".join(text.replace(",", " ").split())) is not None


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

# 2026.12-2.1: the 2026.12-2 weights; a non-answer is judged with the question kind, so
# praise that names nothing to change, asked what could improve, is neutral.
TAGGER_VERSION = "2026.12-2.1"
LABELS = model.LABELS
CONFIDENT = 0.75
_LEXICON_COLUMNS = [
    model.features.NAMES.index(name)
    for name in ("rules praise count", "rules complaint count", "VADER compound")
]
SIMILAR = 0.9


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


def _decide(
    text: str,
    kind: str | None,
    reading: rules.RuleReading,
    probs: np.ndarray,
    vector: np.ndarray,
    adaptation: Adaptation | None,
    lexical: bool = True,
) -> Tag:
    """Turn the classifier's probabilities and the rules' reading into a tag."""
    import numpy as np

    label = LABELS[int(np.argmax(probs))]
    shares = ", ".join(f"{name} {p:.2f}" for name, p in zip(LABELS, probs, strict=True))
    reasons = [r for r in reading.tag.reasons if not r.startswith("no evaluative words")]
    reasons[-1] = f"rules: {reasons[-1]}"
    reasons.append(f"classifier: {shares}")
    found_words = reading.n_positive or reading.n_negative
    if is_non_answer(text, kind):
        label = "neutral"
        reasons.append("says nothing (a non-answer) -> neutral")
    elif reading.tag.suggestion and label == "positive" and reading.tag.label != "positive":
        label = "neutral"
        reasons.append("a suggestion is not praise -> neutral")
    elif not lexical and label != "neutral" and float(probs.max()) < CONFIDENT:
        # No lexicon (ours, VADER's or TextBlob's) found an opinion word: "We are a school."
        label = "neutral"
        reasons.append("no opinion words in any lexicon and the classifier unsure -> neutral")
    if not found_words and not reading.tag.suggestion and not is_non_answer(text, kind):
        hinted = {"went_well": "positive", "improve": "negative"}.get(kind or "")
        opposite = {"positive": "negative", "negative": "positive"}.get(hinted or "", "")
        if hinted and probs[LABELS.index(opposite)] < CONFIDENT:
            label = hinted
            reasons.append(f"no evaluative words; question kind '{kind}' decides")
    near = adaptation.nearest(vector, text) if adaptation is not None else None
    if near is not None:
        label = near[0]
        reasons.append(
            f"an officer labelled a similar answer {near[1]!r} {near[0]} ({near[2]:.2f})"
        )
    polarity = round(float(probs[LABELS.index("positive")] - probs[LABELS.index("negative")]), 4)
    reasons.append(f"-> {label}")
    return Tag(label, polarity, reading.tag.subjectivity, reading.tag.suggestion, tuple(reasons))


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
    probs = model.probabilities(texts, rows)
    lexical = np.abs(rows[:, _LEXICON_COLUMNS]).sum(axis=1) > 0
    return [
        _decide(text, kind, reading, p, v, adaptation, bool(found))
        for (text, kind), reading, p, v, found in zip(
            items, readings, probs, vectors, lexical, strict=True
        )
    ]


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
