"""Sentence embeddings, offline: a static model distilled from all-MiniLM-L6-v2.

A static model keeps one vector per token of MiniLM's vocabulary; a text's vector is the
mean of its tokens' vectors, L2-normalised. It needs only the `tokenizers` package and numpy,
loads in well under a second and encodes tens of thousands of answers a second on one core,
so every answer can be embedded on submission and compared by meaning (cosine = dot product).

The weights are committed in `analysis/models/minilm_static/` with their licence, a NOTICE
and the script that rebuilt them (`analysis/models/build_static_model.py`). Loading checks
the files against `known_vectors.json`, so a damaged or substituted file fails loudly rather
than quietly changing every theme.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).resolve().parent / "models" / "minilm_static"
MODEL_NAME = "minilm-static-256"
DIMENSIONS = 256
MAX_TOKENS = 512
SELF_TEST_TOLERANCE = 1e-4
ENCODE_BATCH = 2048


class EmbeddingModelError(RuntimeError):
    """The committed embedding model is missing or does not reproduce its known vectors."""


class StaticModel:
    """A tokenizer and one vector per token; encodes texts as normalised mean vectors."""

    def __init__(self, directory: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)
        weights = load_file(str(directory / "model.safetensors"))
        self._vectors = next(iter(weights.values())).astype(np.float32)
        self._unknown = self._tokenizer.token_to_id("[UNK]")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return one L2-normalised row per text (a zero row for a text with no known tokens).

        Texts are encoded ENCODE_BATCH at a time: a batch gathers one vector per token
        before averaging, which for 100,000 answers at once held about 2 GB.
        """
        out = np.zeros((len(texts), self._vectors.shape[1]), dtype=np.float32)
        for start in range(0, len(texts), ENCODE_BATCH):
            out[start : start + ENCODE_BATCH] = self._encode_batch(
                texts[start : start + ENCODE_BATCH]
            )
        return out

    def _encode_batch(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self._vectors.shape[1]), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch_fast(list(texts), add_special_tokens=False)
        ids = [np.array(e.ids, dtype=np.int64) for e in encodings]
        ids = [row[row != self._unknown] for row in ids]
        lengths = np.array([len(row) for row in ids])
        filled = np.flatnonzero(lengths)
        if filled.size:
            flat = np.concatenate([ids[i] for i in filled])
            starts = np.concatenate(([0], np.cumsum(lengths[filled])[:-1]))
            sums = np.add.reduceat(self._vectors[flat], starts, axis=0)
            out[filled] = sums / lengths[filled, None]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return np.divide(out, norms, out=out, where=norms > 0)


def _self_test(model: StaticModel, directory: Path) -> None:
    known = json.loads((directory / "known_vectors.json").read_text())
    texts = [item["text"] for item in known]
    expected = np.array([item["vector"] for item in known], dtype=np.float32)
    error = float(np.abs(model.encode(texts) - expected).max())
    if error > SELF_TEST_TOLERANCE:
        raise EmbeddingModelError(
            f"The embedding model in {directory} does not reproduce its known vectors "
            f"(largest difference {error:.2g}); rebuild it with build_static_model.py."
        )


@cache
def model() -> StaticModel:
    """Load the committed model once per process and check it against its known vectors."""
    if not (MODEL_DIR / "model.safetensors").is_file():
        raise EmbeddingModelError(f"No embedding model in {MODEL_DIR}.")
    loaded = StaticModel(MODEL_DIR)
    _self_test(loaded, MODEL_DIR)
    return loaded


def embed(texts: Sequence[str]) -> np.ndarray:
    """Return a float32 array (len(texts), DIMENSIONS) of L2-normalised sentence vectors."""
    return model().encode(texts)


def similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity between the rows of two arrays of normalised vectors."""
    return a @ b.T
