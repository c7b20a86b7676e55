"""The fine-tuned MiniLM reader: numpy inference, its self-test, and the fallback."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest

from analysis import minilm


@pytest.fixture
def fresh_check():
    minilm.available.cache_clear()
    yield
    minilm.available.cache_clear()


def test_it_reproduces_the_probabilities_torch_recorded(fresh_check) -> None:
    assert minilm.available(), "the committed model should pass its self-test"
    known = json.loads(minilm.KNOWN.read_text(encoding="utf-8"))
    found = minilm.probabilities([item["text"] for item in known])
    expected = np.array([item["probabilities"] for item in known])
    assert np.allclose(found, expected, atol=minilm.SELF_TEST_TOLERANCE)
    assert np.allclose(found.sum(axis=1), 1.0, atol=1e-5)


def test_it_reads_word_order_and_keeps_input_order() -> None:
    texts = [
        "The panel was well run and the feedback was clear.",
        "Not well run at all: the feedback never came.",
        "Online documents were easy to find.",
    ]
    probs = minilm.probabilities(texts)
    labels = [minilm.LABELS[i] for i in probs.argmax(axis=1)]
    assert labels == ["positive", "negative", "positive"]
    # Batching sorts by length; each row must still belong to its own text.
    alone = np.vstack([minilm.probabilities([t]) for t in texts])
    assert np.allclose(probs, alone, atol=1e-5)


def test_long_answers_are_truncated_not_refused() -> None:
    probs = minilm.probabilities(["The window was too short. " * 200, ""])
    assert probs.shape == (2, 3) and np.all(np.isfinite(probs))


def test_turned_off_it_warns_once_and_is_unavailable(fresh_check, monkeypatch, caplog) -> None:
    monkeypatch.setenv("DEBRIEF_MINILM", "off")
    with caplog.at_level(logging.WARNING, logger="analysis.minilm"):
        assert not minilm.available()
        assert not minilm.available()
    warnings = [r for r in caplog.records if "unavailable" in r.getMessage()]
    assert len(warnings) == 1 and "DEBRIEF_MINILM" in warnings[0].getMessage()


def test_a_model_that_drifts_from_its_known_probabilities_is_refused(
    fresh_check, monkeypatch, tmp_path: Path
) -> None:
    known = json.loads(minilm.KNOWN.read_text(encoding="utf-8"))
    assert known[0]["text"] == "The six week window was far too short."
    known[0]["probabilities"] = [0.0, 1.0, 0.0]  # as if it had read that as neutral
    drifted = tmp_path / "known_probabilities.json"
    drifted.write_text(json.dumps(known), encoding="utf-8")
    monkeypatch.setattr(minilm, "KNOWN", drifted)
    assert minilm._why_unavailable() == "the model does not reproduce its known probabilities"


def test_without_it_every_answer_is_still_tagged(fresh_check, monkeypatch) -> None:
    from analysis.sentiment import tag

    monkeypatch.setenv("DEBRIEF_MINILM", "off")
    result = tag("Deadline too short for small charities.", "improve")
    assert result.label == "negative"
    assert not any("MiniLM" in reason for reason in result.reasons)
