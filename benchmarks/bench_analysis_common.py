"""Shared helpers for the analysis benchmarks: data loading, metrics and RESULTS.md sections."""

from __future__ import annotations

import json
import os
import platform
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np

DATA = Path(__file__).parent / "data"
RESULTS = Path(__file__).parent / "RESULTS.md"
LABELS = ("positive", "neutral", "negative")


def load_jsonl(name: str) -> list[dict]:
    """Load one JSON-lines file from benchmarks/data."""
    with open(DATA / name, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Return the share of predictions equal to the gold label."""
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)


def macro_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str] = LABELS) -> float:
    """Return the unweighted mean F1 over the given labels (any other label counts as wrong)."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predictions")
    return _macro_f1_codes(_codes(gold, labels), _codes(pred, labels), len(labels))


def _codes(values: Sequence[str], labels: Sequence[str]) -> np.ndarray:
    """Number the labels 0..n-1 in order; any other value becomes n."""
    index = {label: i for i, label in enumerate(labels)}
    return np.array([index.get(v, len(labels)) for v in values], dtype=np.int64)


def margin_interval(
    gold: Sequence[str],
    system: Sequence[str],
    rivals: Sequence[Sequence[str]],
    draws: int = 2000,
    seed: int = 0,
) -> tuple[float, float]:
    """Return a 95 % paired-bootstrap interval for a system's macro-F1 lead over its best rival.

    Every draw resamples the same texts for all systems (a paired bootstrap), so the
    interval reflects how much the lead would move on another sample of the same kind of
    text, not the systems' own disagreement.
    """
    g = _codes(gold, LABELS)
    preds = [_codes(p, LABELS) for p in (system, *rivals)]
    rng = np.random.default_rng(seed)
    leads = np.empty(draws)
    for d in range(draws):
        idx = rng.integers(0, len(g), len(g))
        scores = [_macro_f1_codes(g[idx], p[idx], len(LABELS)) for p in preds]
        leads[d] = scores[0] - max(scores[1:])
    low, high = np.percentile(leads, [2.5, 97.5])
    return float(low), float(high)


def _macro_f1_codes(gold: np.ndarray, pred: np.ndarray, n: int) -> float:
    """Macro-F1 over label codes 0..n-1 from one confusion matrix; code n is any other
    label, wrong wherever it appears and not scored itself."""
    size = n + 1
    confusion = np.bincount(gold * size + pred, minlength=size * size).reshape(size, size)
    tp = np.diag(confusion)[:n]
    denom = confusion.sum(axis=0)[:n] + confusion.sum(axis=1)[:n]
    f1 = np.divide(2 * tp, denom, out=np.zeros(n), where=denom > 0)
    return float(f1.mean())


def machine() -> str:
    """Describe the machine for the results file.

    The CPU model is named because e5's engine (AVX2 code) ran about three times faster on
    one session's CPU than on another's, which moves every speed figure here.
    """
    return (
        f"{os.cpu_count()} CPUs (nproc), {_cpu()}, Python {platform.python_version()}, "
        f"{sys.platform}"
    )


def _cpu() -> str:
    """Return the CPU model and whether it has AVX2 and AVX-512, from /proc/cpuinfo."""
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.machine()
    fields: dict[str, str] = {}
    for line in info.splitlines():
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    flags = set(fields.get("flags", "").split())
    vector = [name for name in ("avx2", "avx512f") if name in flags]
    return f"{fields.get('model name', platform.machine())} ({', '.join(vector) or 'no AVX2'})"


def write_section(name: str, body: str, command: str) -> None:
    """Replace (or append) this benchmark's section of benchmarks/RESULTS.md."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    header = f"Command: `{command}`  \nDate: {date.today().isoformat()}  \nMachine: {machine()}\n\n"
    block = f"{start}\n{header}{body.rstrip()}\n{end}"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _m: block, text)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Render a Markdown table."""
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)
