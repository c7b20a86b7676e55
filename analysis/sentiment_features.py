"""Features the learned sentiment classifier reads: the rules, VADER and the text's shape.

Each answer becomes one fixed-length row of floats. The rules' own reading comes first
(so the classifier learns how far to trust them), then VADER's scores, then a few counts
of the text's shape. Rows are built the same way at training and at tagging time.
TextBlob's own polarity and subjectivity were inputs until 2026.12-2; cross-validation
found they added nothing over the rules (which read TextBlob's lexicon) and importing
TextBlob costs about a second of start-up, so they were dropped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from analysis import sentiment_rules as rules

if TYPE_CHECKING:
    import numpy as np

NAMES = (
    "rules polarity",
    "rules subjectivity",
    "rules suggestion",
    "rules praise",
    "rules complaint",
    "rules praise count",
    "rules complaint count",
    "rules negations",
    "rules contrasts",
    "VADER compound",
    "VADER positive",
    "VADER negative",
    "VADER neutral",
    "log words",
    "exclamations",
    "questions",
)

_WORD_RE = re.compile(r"[A-Za-z0-9']+")


@cache
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def row(text: str, reading: rules.RuleReading | None = None) -> list[float]:
    """Return one answer's feature row (see NAMES); reuse the rules' reading if given."""
    reading = reading or rules.read(text)
    vader = _vader().polarity_scores(text)
    words = len(_WORD_RE.findall(text))
    return [
        reading.tag.polarity,
        reading.tag.subjectivity,
        float(reading.tag.suggestion),
        reading.positive,
        reading.negative,
        float(min(reading.n_positive, 5)),
        float(min(reading.n_negative, 5)),
        float(min(reading.n_negated, 3)),
        float(min(reading.n_contrast, 3)),
        vader["compound"],
        vader["pos"],
        vader["neg"],
        vader["neu"],
        math.log1p(words),
        float(min(text.count("!"), 3)),
        float(min(text.count("?"), 3)),
    ]


def matrix(texts: Sequence[str]) -> np.ndarray:
    """Return the feature rows of many texts as a float32 matrix."""
    import numpy as np

    return np.asarray([row(t) for t in texts], dtype=np.float32).reshape(len(texts), len(NAMES))
