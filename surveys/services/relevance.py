"""How relevant each answer is to a query, by meaning: the one place answer vectors come from.

An answer's vectors are its sentence embedding and one per clause (analysis.questions.clauses),
so "More time to complete the form, and more about the lead agency role" matches a question
about either. `answer_vectors` embeds answers on the fly with an in-process cache keyed by
answer id and a hash of the text; when answers carry stored vectors, only it changes.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from analysis import embeddings
from analysis.questions import TOPIC_WORDS, clauses, mentions, topic_words

# Cosine similarity an answer needs, on meaning alone, to count as about the query; and it
# must be within BEST_MARGIN of the best match. Answers that use the query's words (or, for a
# known topic, its other words: "timeframe" -> "weeks", "window") always count.
MIN_SIMILARITY = 0.45
BEST_MARGIN = 0.3
LITERAL_BONUS = 1.0
CACHE_SIZE = 100_000
_cache: OrderedDict[tuple[int, str], np.ndarray] = OrderedDict()


def _key(answer_id: int, text: str) -> tuple[int, str]:
    return answer_id, hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def answer_vectors(answers: Sequence[tuple[int, str]]) -> list[np.ndarray]:
    """Return, per (answer id, text), its sentence vector and clause vectors as rows."""
    keys = [_key(i, t) for i, t in answers]
    missing = [n for n, k in enumerate(keys) if k not in _cache]
    if missing:
        pieces = [[answers[n][1], *clauses(answers[n][1])] for n in missing]
        flat = embeddings.embed([p for piece in pieces for p in piece])
        start = 0
        for n, piece in zip(missing, pieces, strict=True):
            _cache[keys[n]] = flat[start : start + len(piece)]
            start += len(piece)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    for k in keys:
        _cache.move_to_end(k)
    return [_cache[k] for k in keys]


def _uses_words(query: str, text: str) -> bool:
    """Say whether the text holds every query word, or for a topic word any word of its topic."""
    lowered = text.lower()
    for word in query.lower().split():
        if word in lowered:
            continue
        group = next((g for g in TOPIC_WORDS if word in g), None)
        if group is None or not mentions(text, group):
            return False
    return True


def scores(query: str, answers: Sequence[tuple[int, str]]) -> np.ndarray:
    """Return each answer's best cosine similarity to the query, plus a bonus for its words."""
    if not answers:
        return np.zeros(0, dtype=np.float32)
    query_vector = embeddings.embed([" ".join(topic_words(query))])[0]
    similarity = np.array([float(np.max(v @ query_vector)) for v in answer_vectors(answers)])
    literal = np.array([_uses_words(query, t) for _, t in answers], dtype=np.float32)
    return similarity + LITERAL_BONUS * literal


def relevant(query: str, texts: Sequence[str], score: np.ndarray) -> list[int]:
    """Return the indices of relevant answers, best first."""
    if not len(texts):
        return []
    meaning = np.where(score >= LITERAL_BONUS, score - LITERAL_BONUS, score)
    floor = max(MIN_SIMILARITY, float(np.max(meaning)) - BEST_MARGIN)
    kept = [i for i in range(len(texts)) if score[i] >= LITERAL_BONUS or meaning[i] >= floor]
    return sorted(kept, key=lambda i: (-float(score[i]), i))
