"""Rebuild the sentiment classifier's weights from the vendored public training sets.

Run: .venv/bin/python analysis/models/train_sentiment.py [--cv]

Reads only analysis/models/sentiment_training/ (Hutto & Gilbert's tweets and movie-review
snippets, the UCI Sentiment Labelled Sentences); never a reserved test set.
Fixed seeds and a deterministic solver make the weights reproducible. Writes
analysis/models/sentiment/weights.npz and manifest.json. With --cv it first measures, on
the training data only, 5-fold cross-validated macro-F1 per training set and
leave-one-source-out macro-F1 (train on the other sources, score the one left out: how
well the model carries to a genre it has not seen, as the reserved sets ask). Those are
the figures the inputs, sources and settings were chosen by.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from analysis import sentiment_features as features  # noqa: E402
from analysis import sentiment_model as model  # noqa: E402
from analysis.models import sentiment_data as data  # noqa: E402

SEED = 20261201
C = 0.3
TOL = 1e-3
OUT = model.MODEL_DIR
# Held out together in leave-one-source-out: the three UCI files are one genre family.
GROUPS = {
    "tweets": ("tweets",),
    "movies": ("movies",),
    "uci": ("uci-amazon", "uci-yelp", "uci-imdb"),
}
# Leave-one-source-out macro-F1 of the candidates (tweets / movies / GoEmotions / UCI;
# GoEmotions is scored as an unseen source in every row), measured 2026-12-04 on the
# training data only; the reserved sets were not used. "old sources" are the shipped
# training sets. GoEmotions (Demszky et al. 2020, Reddit comments, Apache-2.0, grouped by
# the paper into positive / negative / ambiguous, mixed -> neutral) raised the tweets
# score by 0.18 but lowered movies and UCI, and as training data it made clear domain
# complaints neutral ("Deadline too short for small charities." P(neutral) 0.56), which the
# project's own tests caught; so it is not shipped. TextBlob's two features and the static
# embedding added nothing (or lost) in every comparison, so they were dropped. C=0.3 is
# kept from 2026.12-1: C=0.03 scored higher on leave-one-source-out with these sources,
# but its 5-fold figures were not measured before the reserved sets were scored.
CANDIDATES = {
    "2026.12-1 stack (features + TextBlob + embedding + hashed), C=0.3": (
        "0.514 / 0.479 / 0.519 / 0.819"
    ),
    "shipped: features + hashed (no TextBlob, no embedding), C=0.3": (
        "0.521 / 0.479 / 0.507 / 0.836"
    ),
    "the same, C=0.03": "0.586 / 0.470 / 0.558 / 0.811",
    "+ GoEmotions, C=0.3": "0.704 / 0.439 / 0.507 / 0.778",
    "+ GoEmotions, C=0.3, sources weighted equally": "0.632 / 0.452 / 0.509 / 0.783",
    "+ GoEmotions, C=0.3, + sentence-level VADER (min/max/mean/last/shares)": (
        "0.705 / 0.436 / 0.516 / 0.777"
    ),
    "+ GoEmotions, C=0.01": "0.712 / 0.432 / 0.585 / 0.759",
    "+ GoEmotions, C=0.01, + TextBlob polarity and subjectivity": ("0.712 / 0.432 / 0.585 / 0.759"),
    "+ GoEmotions, C=0.01, + static MiniLM embedding": "0.682 / 0.441 / 0.550 / 0.766",
}


def _design(texts: list[str]) -> tuple[np.ndarray, sparse.csr_matrix]:
    """Return the feature rows and the hashed-term matrix of texts."""
    rows = features.matrix(texts)
    indptr, indices = [0], []
    for text in texts:
        buckets = model.hashed_terms(text)
        indices.extend(buckets)
        indptr.append(len(indices))
    hashed = sparse.csr_matrix(
        (np.ones(len(indices), dtype=np.float32), indices, indptr),
        shape=(len(texts), model.HASH_BUCKETS),
    )
    return rows, hashed


def _stack(rows, mean, scale, hashed) -> sparse.csr_matrix:
    return sparse.hstack(
        [sparse.csr_matrix((rows - mean) / scale), hashed * model.HASH_SCALE]
    ).tocsr()


def _fit(rows, hashed, labels) -> tuple[LogisticRegression, np.ndarray, np.ndarray]:
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=C, tol=TOL, max_iter=500, class_weight="balanced", random_state=SEED)
    clf.fit(_stack(rows, mean, scale, hashed), labels)
    return clf, mean, scale


def _predict(train, test, rows, hashed, labels) -> np.ndarray:
    clf, mean, scale = _fit(rows[train], hashed[train], labels[train])
    return clf.predict(_stack(rows[test], mean, scale, hashed[test]))


def _macro_f1(gold: np.ndarray, pred: np.ndarray) -> float:
    present = sorted(set(gold))
    return round(float(f1_score(gold, pred, average="macro", labels=present)), 3)


def _cross_validate(rows, hashed, labels, sources) -> dict[str, float]:
    """Return 5-fold cross-validated macro-F1 per training set (over its own labels)."""
    folds = StratifiedKFold(5, shuffle=True, random_state=SEED)
    strata = np.char.add(sources.astype(str), labels.astype(str))
    pred = np.empty(len(labels), dtype=object)
    for train, test in folds.split(rows, strata):
        pred[test] = _predict(train, test, rows, hashed, labels)
    return {
        source: _macro_f1(labels[sources == source], pred[sources == source].astype(str))
        for source in dict.fromkeys(sources)
    }


def _leave_one_source_out(rows, hashed, labels, sources) -> dict[str, float]:
    """Return macro-F1 on each source group when trained on all the others."""
    out = {}
    for group, members in GROUPS.items():
        test = np.isin(sources, members)
        pred = _predict(np.where(~test)[0], np.where(test)[0], rows, hashed, labels)
        out[group] = _macro_f1(labels[test], pred)
    return out


def training_files_sha256() -> dict[str, str]:
    """Return the SHA-256 of every vendored training file, to tie the weights to their data."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(data.TRAINING.glob("*.tsv"))
    }


def main() -> None:
    """Train on every vendored set, optionally cross-validate, and write the weights."""
    sets = data.training_sets()
    examples = [e for name in sets for e in sets[name]]
    texts = [e.text for e in examples]
    labels = np.array([e.label for e in examples])
    sources = np.array([e.source for e in examples])
    rows, hashed = _design(texts)
    cv, loso = {}, {}
    if "--cv" in sys.argv:
        cv = _cross_validate(rows, hashed, labels, sources)
        print("5-fold cross-validated macro-F1:", json.dumps(cv), flush=True)
        loso = _leave_one_source_out(rows, hashed, labels, sources)
        print("leave-one-source-out macro-F1:", json.dumps(loso), flush=True)
    clf, mean, scale = _fit(rows, hashed, labels)
    order = [list(clf.classes_).index(label) for label in model.LABELS]
    coef = clf.coef_[order].T.astype(np.float32)
    n_rows = rows.shape[1]
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        OUT / "weights.npz",
        labels=np.array(model.LABELS),
        feature_names=np.array(features.NAMES),
        mean=mean.astype(np.float32),
        scale=scale.astype(np.float32),
        bias=clf.intercept_[order].astype(np.float32),
        w_features=coef[:n_rows],
        w_hashed=coef[n_rows:],
    )
    manifest = {
        "model": "multinomial logistic regression (scikit-learn lbfgs), class_weight=balanced",
        "C": C,
        "tol": TOL,
        "seed": SEED,
        "inputs": ["feature row (standardised)", "hashed terms"],
        "label_mapping": data.MAPPING,
        "training_sets": {name: len(rows_) for name, rows_ in sets.items()},
        "training_files_sha256": training_files_sha256(),
        "cross_validated_macro_f1": cv,
        "leave_one_source_out_macro_f1": loso,
        "candidates_leave_one_source_out": CANDIDATES,
        "sources": "analysis/models/sentiment_training/MANIFEST.md",
    }
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT / 'weights.npz'} from {len(texts)} sentences")


if __name__ == "__main__":
    main()
