"""Sentence vectors of free-text answers, computed once and stored on the answer.

Submission, import and analysis call `store_vectors`; grouping and search read them back
with `stored_vector`. A vector made by another model is ignored and remade.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from analysis import embeddings
from surveys.models import Answer
from surveys.services.tagging import is_free_text

MODEL = str(getattr(embeddings, "MODEL_NAME", f"static-{embeddings.DIMENSIONS}"))[:64]


def stored_vector(answer: Answer) -> np.ndarray | None:
    """Return an answer's stored vector if the current model made it, else None."""
    if answer.vector_model != MODEL or not answer.vector:
        return None
    vector = np.frombuffer(answer.vector, dtype=np.float32)
    return vector if vector.shape == (embeddings.DIMENSIONS,) else None


def decode(blob: bytes | None, model: str | None) -> np.ndarray | None:
    """Return a stored vector read as plain columns (no ORM object), if current."""
    if model != MODEL or not blob:
        return None
    vector = np.frombuffer(blob, dtype=np.float32)
    return vector if vector.shape == (embeddings.DIMENSIONS,) else None


def store_vectors(answers: Iterable[Answer]) -> int:
    """Compute and store the vectors of free-text answers that lack a current one."""
    stale = [a for a in answers if is_free_text(a) and stored_vector(a) is None]
    if not stale:
        return 0
    for answer, vector in zip(stale, embeddings.embed([a.value for a in stale]), strict=True):
        answer.vector = np.ascontiguousarray(vector, dtype=np.float32).tobytes()
        answer.vector_model = MODEL
    return len(stale)
