"""The learned sentiment classifier: committed weights applied with numpy alone.

The weights (`analysis/models/sentiment/weights.npz`) are a multinomial logistic
regression trained by `analysis/models/train_sentiment.py` from the vendored public sets in
`analysis/models/sentiment_training/` with fixed seeds; `manifest.json` beside them names
the sources, the label mapping and the training figures. Two blocks of inputs, each with
its own weights: the standardised feature row (`analysis.sentiment_features`) and hashed
words and word pairs; a second file, `weights_e5.npz`, also reads the e5 sentence vector
(`analysis.e5`) for answers the first is unsure of. The static sentence embedding is not
an input (cross-validation found it added nothing once the feature row and hashed terms
were there); it still serves officers' corrections (`analysis.sentiment.Adaptation`).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import sentiment_features as features
from analysis import sentiment_rules as rules

if TYPE_CHECKING:
    import numpy as np

MODEL_DIR = Path(__file__).resolve().parent / "models" / "sentiment"
LABELS = ("negative", "neutral", "positive")
HASH_BUCKETS = 2**16
HASH_SCALE = 0.3
E5_WEIGHTS = "weights_e5.npz"
E5_SCALE = 3.0
_TOKEN_RE = re.compile(r"[a-z0-9']+|[!?]")


class SentimentModelError(RuntimeError):
    """The committed sentiment weights are missing or do not fit this code."""


def hashed_terms(text: str) -> list[int]:
    """Return the hash buckets of a text's distinct words and adjacent word pairs."""
    words = _TOKEN_RE.findall(text.lower().replace("\u2019", "'"))
    terms = set(words) | {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}
    return sorted({zlib.crc32(term.encode("utf-8")) % HASH_BUCKETS for term in terms})


def embed(texts: Sequence[str]) -> np.ndarray:
    """Return the texts' sentence embeddings (rows L2-normalised)."""
    from analysis.embeddings import embed as embed_texts

    return embed_texts(list(texts))


@cache
def weights(name: str = "weights.npz") -> dict[str, np.ndarray]:
    """Load a committed weight set once and check it fits the feature code.

    "weights.npz" reads words alone; "weights_e5.npz" also reads the e5 sentence vector
    (`w_e5`), for the answers the first is unsure of (`analysis.e5`).
    """
    import numpy as np

    path = MODEL_DIR / name
    if not path.exists():
        raise SentimentModelError(f"{path} is missing; run analysis/models/train_sentiment.py")
    with np.load(path, allow_pickle=False) as data:
        loaded = {key: data[key] for key in data.files}
    if tuple(loaded["labels"]) != LABELS or tuple(loaded["feature_names"]) != features.NAMES:
        raise SentimentModelError(f"{path} was trained for other features; retrain it")
    return loaded


def feature_rows(texts: Sequence[str], readings: Sequence[rules.RuleReading]) -> np.ndarray:
    """Return the texts' feature rows (see analysis.sentiment_features.NAMES)."""
    import numpy as np

    return np.asarray(
        [features.row(t, r) for t, r in zip(texts, readings, strict=True)], dtype=np.float32
    ).reshape(len(texts), len(features.NAMES))


def logits(texts: Sequence[str], rows: np.ndarray, e5: np.ndarray | None = None) -> np.ndarray:
    """Return the classifier's raw scores, one row per text, columns in LABELS order.

    With e5 sentence vectors (one row per text) the weights that also read them are used.
    """
    w = weights() if e5 is None else weights(E5_WEIGHTS)
    dense = (rows - w["mean"]) / w["scale"]
    out = dense @ w["w_features"] + w["bias"]
    table = w["w_hashed"] * HASH_SCALE
    for i, text in enumerate(texts):
        buckets = hashed_terms(text)
        if buckets:
            out[i] += table[buckets].sum(axis=0)
    if e5 is not None:
        out += (e5 * E5_SCALE) @ w["w_e5"]
    return out


def probabilities(
    texts: Sequence[str], rows: np.ndarray, e5: np.ndarray | None = None
) -> np.ndarray:
    """Return P(label) per text (softmax of the logits), columns in LABELS order."""
    import numpy as np

    scores = logits(texts, rows, e5)
    scores -= scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)
