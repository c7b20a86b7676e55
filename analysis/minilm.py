"""The fine-tuned MiniLM sentiment reader, run with numpy alone.

all-MiniLM-L6-v2 (Apache-2.0) fine-tuned on the vendored public sentiment sets by
`analysis/models/train_minilm_sentiment.py`; its weights, tokenizer and NOTICE are in
`analysis/models/minilm_sentiment/`. Where the words-alone classifier is unsure
(`analysis.sentiment.UNSURE`) the tagger averages its reading with this one and e5's,
each weighted by its top probability: a six-layer transformer reads the word order,
negation and contrast that hashed words cannot (of an answer's first 64 tokens, as in
training; most answers are shorter).

The weights are committed as int8 with a float scale per row (a quarter of float32; on
held-out training sentences 99.5 % of labels agree with float32). On first use the model
must reproduce probabilities the trainer recorded with torch (`known_probabilities.json`);
if it does not, or `DEBRIEF_MINILM=off`, one warning says why and the tagger reads without
it: every answer is still tagged, a little less well.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from analysis._lazy import lazy
from analysis._optional import turned_off, usable
from analysis.sentiment_model import LABELS

np = lazy("numpy")

MODEL_DIR = Path(__file__).resolve().parent / "models" / "minilm_sentiment"
KNOWN = MODEL_DIR / "known_probabilities.json"
MODEL_NAME = "all-MiniLM-L6-v2 fine-tuned for sentiment (int8)"
ACTIVATION = "gelu_pytorch_tanh"
MAX_TOKENS = 64
BATCH = 32
SELF_TEST_TOLERANCE = 1e-3
_log = logging.getLogger(__name__)


class _Model:
    """A BERT encoder with mean pooling and a linear head, by the trainer's weight names."""

    def __init__(self, directory: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
        if config["hidden_act"] != ACTIVATION or tuple(config["labels"]) != LABELS:
            raise ValueError("the model was trained for another activation or labels")
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.epsilon = float(config["layer_norm_eps"])
        self.w = _dequantised(load_file(str(directory / "model.safetensors")))
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        weight = self.w[f"{name}.weight"]
        out = x.reshape(-1, x.shape[-1]) @ weight  # one large product, not one per answer
        out += self.w[f"{name}.bias"]
        return out.reshape(*x.shape[:-1], weight.shape[1])

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        x = x - x.mean(-1, keepdims=True)
        x /= np.sqrt((x * x).mean(-1, keepdims=True) + self.epsilon)
        return x * self.w[f"{name}.weight"] + self.w[f"{name}.bias"]

    def _attention(self, x: np.ndarray, blocked: np.ndarray, prefix: str) -> np.ndarray:
        batch, length, width = x.shape
        size = width // self.heads

        def heads(name: str) -> np.ndarray:
            out = self._dense(x, f"{prefix}.self.{name}")
            return out.reshape(batch, length, self.heads, size).transpose(0, 2, 1, 3)

        scores = heads("query") @ heads("key").transpose(0, 1, 3, 2)
        scores *= np.float32(size**-0.5)
        scores += blocked
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ heads("value")).transpose(0, 2, 1, 3).reshape(batch, length, width)
        out = self._dense(context, f"{prefix}.output.dense") + x
        return self._norm(out, f"{prefix}.output.LayerNorm")

    def _layer(self, x: np.ndarray, blocked: np.ndarray, index: int) -> np.ndarray:
        prefix = f"encoder.encoder.layer.{index}"
        x = self._attention(x, blocked, f"{prefix}.attention")
        inner = self._dense(x, f"{prefix}.intermediate.dense")
        out = self._dense(_gelu(inner), f"{prefix}.output.dense") + x
        return self._norm(out, f"{prefix}.output.LayerNorm")

    def logits(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Return the head's scores for a padded batch of token ids (mask 1 = real token)."""
        emb = "encoder.embeddings"
        x = (
            self.w[f"{emb}.word_embeddings.weight"][ids]
            + self.w[f"{emb}.position_embeddings.weight"][: ids.shape[1]][None]
            + self.w[f"{emb}.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, f"{emb}.LayerNorm")
        blocked = np.where(mask[:, None, None, :] > 0, 0.0, -1e9).astype(np.float32)
        for index in range(self.layers):
            x = self._layer(x, blocked, index)
        real = mask[..., None].astype(np.float32)
        pooled = (x * real).sum(1) / np.maximum(real.sum(1), 1.0)
        return self._dense(pooled, "head")


def _dequantised(stored: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Return float32 weights: int8 matrices times their row scales; linear layers'
    matrices turned to (in, out), so that a layer is `x @ w`."""
    out = {}
    for name, array in stored.items():
        if name.endswith(".scale"):
            continue
        values = array.astype(np.float32)
        scale = stored.get(f"{name}.scale")
        if scale is not None:
            values *= scale[:, None]
            if "embeddings" not in name:
                values = np.ascontiguousarray(values.T)
        out[name] = values
    return out


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU in its tanh form, in place (the activation the model was fine-tuned with)."""
    inner = x * x
    inner *= np.float32(0.044715)
    inner += 1.0
    inner *= x
    inner *= np.float32((2.0 / np.pi) ** 0.5)
    np.tanh(inner, out=inner)
    inner += 1.0
    inner *= 0.5
    x *= inner
    return x


@cache
def _model() -> _Model:
    return _Model(MODEL_DIR)


def probabilities(texts: Sequence[str]) -> np.ndarray:
    """Return P(label) per text, columns in LABELS order; check available() first."""
    model = _model()
    encodings = model.tokenizer.encode_batch(list(texts))
    out = np.zeros((len(texts), len(LABELS)), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
    for start in range(0, len(order), BATCH):
        chunk = order[start : start + BATCH]  # similar lengths, so little padding
        length = max(len(encodings[i].ids) for i in chunk)
        ids = np.zeros((len(chunk), length), dtype=np.int64)
        mask = np.zeros((len(chunk), length), dtype=np.int64)
        for row, i in enumerate(chunk):
            found = encodings[i].ids
            ids[row, : len(found)] = found
            mask[row, : len(found)] = 1
        scores = model.logits(ids, mask)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        out[chunk] = scores / scores.sum(-1, keepdims=True)
    return out


def _why_unavailable() -> str | None:
    """Return why the model cannot be used here, or None when it can."""
    if turned_off("DEBRIEF_MINILM"):
        return "turned off by DEBRIEF_MINILM"
    try:
        known = json.loads(KNOWN.read_text(encoding="utf-8"))
        found = probabilities([item["text"] for item in known])
    except (ImportError, OSError, KeyError, ValueError) as error:
        return f"the model could not be loaded ({type(error).__name__})"
    expected = np.array([item["probabilities"] for item in known], dtype=np.float32)
    if found.shape != expected.shape or not np.allclose(found, expected, atol=SELF_TEST_TOLERANCE):
        return "the model does not reproduce its known probabilities"
    return None


@cache
def available() -> bool:
    """Return whether the model may be used in this process (checked once, warned once)."""
    return usable(_log, "the fine-tuned MiniLM", _why_unavailable())
