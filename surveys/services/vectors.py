"""Sentence vectors of free-text answers, computed once and stored on the answer.

Submission, import and analysis call `store_vectors`; grouping and search read them back
with `stored_vector`. A vector made by another model is ignored and remade.
"""

from __future__ import annotations

from collections.abc import Iterable

from analysis._lazy import lazy
from surveys.models import Answer
from surveys.services.tagging import is_free_text

# Loaded when a vector is first needed, not when `debrief` starts.
np = lazy("numpy")
embeddings = lazy("analysis.embeddings")
# The model that made a stored vector (analysis.embeddings.MODEL_NAME, kept here as text so
# reading it loads nothing); a vector from any other model is remade.
MODEL = "minilm-static-256"


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


def model_ready() -> bool:
    """Say whether this process has the embedding model loaded (loading takes a second or two)."""
    return embeddings.model.cache_info().currsize > 0


def store_vectors(answers: Iterable[Answer], *, when_ready: bool = False) -> int:
    """Compute and store the vectors of free-text answers that lack a current one.

    when_ready: only if the model is already loaded, so a request with a deadline (a Slack
    modal must be answered within 3 s) never waits for it; analysis stores the rest.
    """
    if when_ready and not model_ready():
        return 0
    stale = [a for a in answers if is_free_text(a) and stored_vector(a) is None]
    if not stale:
        return 0
    for answer, vector in zip(stale, embeddings.embed([a.value for a in stale]), strict=True):
        answer.vector = np.ascontiguousarray(vector, dtype=np.float32).tobytes()
        answer.vector_model = MODEL
    return len(stale)
