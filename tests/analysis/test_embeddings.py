"""The committed static embedding model: loads offline, self-tests, and encodes by meaning."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from analysis import embeddings
from analysis.embeddings import DIMENSIONS, EmbeddingModelError, StaticModel, embed


def test_rows_are_normalised_float32_vectors() -> None:
    vectors = embed(["Six weeks was too short.", "Great briefing sessions."])
    assert vectors.shape == (2, DIMENSIONS)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_empty_inputs_give_empty_or_zero_rows() -> None:
    assert embed([]).shape == (0, DIMENSIONS)
    assert not embed([""]).any()


def test_same_meaning_in_other_words_is_closer_than_another_topic() -> None:
    question, paraphrase, other = embed(
        [
            "We needed a longer timeframe to complete the form.",
            "Six weeks was not enough time to apply.",
            "The car park at the venue was full.",
        ]
    )
    assert question @ paraphrase > question @ other + 0.1


def test_a_damaged_model_fails_its_self_test(tmp_path: Path) -> None:
    for item in embeddings.MODEL_DIR.iterdir():
        shutil.copy(item, tmp_path / item.name)
    known = (tmp_path / "known_vectors.json").read_text()
    (tmp_path / "known_vectors.json").write_text(known.replace("0.", "0.9", 5))
    with pytest.raises(EmbeddingModelError, match="known vectors"):
        embeddings._self_test(StaticModel(tmp_path), tmp_path)


def test_texts_are_encoded_alike_whatever_the_batch_they_fall_in(monkeypatch) -> None:
    texts = ["Six weeks was too short.", "", "Great briefing sessions.", "Parking was awful."]
    one_at_a_time = np.vstack([embed([text]) for text in texts])
    monkeypatch.setattr(embeddings, "ENCODE_BATCH", 3)
    assert np.allclose(embed(texts), one_at_a_time, atol=1e-6)
