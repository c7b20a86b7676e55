"""Rebuild the sentiment classifier's weights from the vendored public training sets.

Run: .venv/bin/python analysis/models/train_sentiment.py [--cv] [--e5-cache FILE.npy]
     .venv/bin/python analysis/models/train_sentiment.py --combinations HELD_OUT.npz

Reads only analysis/models/sentiment_training/ (Hutto & Gilbert's tweets and movie-review
snippets, the UCI Sentiment Labelled Sentences, and NewsMTSC's news sentences for the e5
weights only); never a reserved test set. Fixed seeds and a deterministic solver make the
weights reproducible. Writes, in analysis/models/sentiment/:

* weights.npz: the feature row and hashed terms (words alone), C=0.3, from the five
  training sets (`sentiment_data.training_sets`);
* weights_e5.npz: the same inputs plus the e5 sentence vector (`analysis.e5`), C=0.1, for
  the answers the first is unsure of (top probability below `analysis.sentiment.UNSURE`),
  from the five sets and the news sentences (`sentiment_data.e5_only_sets`);
* e5_known_vectors.json, which `analysis.e5` self-tests against; and manifest.json.

With --cv it first measures, on the training data only (the news sentences are always in
the e5 weights' training and never scored), 5-fold cross-validated macro-F1
per training set and leave-one-source-out macro-F1 (train on the other sources, score the
one left out: how well the model carries to a genre it has not seen, as the reserved sets
ask), for words alone, with e5, and for the two as 2026.12-4 used them (e5 only where
words are unsure). Those are the figures the inputs, sources and settings were chosen by. Encoding
the training sentences with e5 takes several minutes; --e5-cache keeps the vectors.

With --combinations it writes nothing: it reads the fine-tuned MiniLM's probabilities on
15 % of the training sentences held out (`train_minilm_sentiment.py --holdout`), fits the
two sets of weights on the rest, and prints macro-F1 per source for each way of combining
the readers (HELD_OUT_COMBINATIONS below records the figures the tagger was chosen by).
"""

from __future__ import annotations

import argparse
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

from analysis import e5  # noqa: E402
from analysis import sentiment_features as features  # noqa: E402
from analysis import sentiment_model as model  # noqa: E402
from analysis.minilm import MODEL_NAME as MINILM_NAME  # noqa: E402
from analysis.models import sentiment_data as data  # noqa: E402
from analysis.sentiment import UNSURE, weigh_readings  # noqa: E402

SEED = 20261201
C = 0.3
C_E5 = 0.1
TOL = 1e-3
OUT = model.MODEL_DIR
# Printed by --combinations on 2026-12-05, from a held-out MiniLM fine-tuned with GELU in
# the tanh form the shipped model uses. Every row comes from that one run; the run that
# chose 2026.12-11, in an earlier session, differed by at most 0.007 per source (2026.12-11's
# mean: 0.834 there, 0.833 here). 2026.12-13's gate, written down before this run: its mean
# must not fall below 0.834.
HELD_OUT_COMBINATIONS: dict[str, dict[str, float]] = {
    "words alone": {
        "tweets": 0.681,
        "movies": 0.532,
        "uci-amazon": 0.861,
        "uci-yelp": 0.854,
        "uci-imdb": 0.837,
    },
    "e5 where unsure (2026.12-4)": {
        "tweets": 0.678,
        "movies": 0.569,
        "uci-amazon": 0.925,
        "uci-yelp": 0.906,
        "uci-imdb": 0.924,
    },
    "MiniLM alone": {
        "tweets": 0.766,
        "movies": 0.62,
        "uci-amazon": 0.96,
        "uci-yelp": 0.886,
        "uci-imdb": 0.929,
    },
    "MiniLM where unsure": {
        "tweets": 0.751,
        "movies": 0.592,
        "uci-amazon": 0.96,
        "uci-yelp": 0.92,
        "uci-imdb": 0.922,
    },
    "mean of words and MiniLM where unsure": {
        "tweets": 0.753,
        "movies": 0.585,
        "uci-amazon": 0.96,
        "uci-yelp": 0.927,
        "uci-imdb": 0.919,
    },
    "mean of e5 and MiniLM where unsure": {
        "tweets": 0.745,
        "movies": 0.593,
        "uci-amazon": 0.956,
        "uci-yelp": 0.94,
        "uci-imdb": 0.926,
    },
    "mean of all three where unsure (2026.12-5)": {
        "tweets": 0.755,
        "movies": 0.585,
        "uci-amazon": 0.949,
        "uci-yelp": 0.94,
        "uci-imdb": 0.929,
    },
    "all three where unsure, each weighted by its top probability (2026.12-11)": {
        "tweets": 0.756,
        "movies": 0.585,
        "uci-amazon": 0.963,
        "uci-yelp": 0.94,
        "uci-imdb": 0.922,
    },
    "the same, with the news sentences in the e5 weights (shipped, 2026.12-13)": {
        "tweets": 0.758,
        "movies": 0.581,
        "uci-amazon": 0.963,
        "uci-yelp": 0.933,
        "uci-imdb": 0.936,
    },
}
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
# The e5 sentence vector lifted every unseen source (movies +0.05, UCI +0.06); the scales
# and Cs tried scored within 0.015 of one another, and C=0.1 with scale 3 was kept.
# Reading e5 only where words alone are unsure (top probability < 0.7) scored within
# 0.002 of reading it everywhere, on fewer than half the answers.
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
    # 2026.12-4: the shipped inputs plus the e5 vector (times a scale), no GoEmotions.
    "+ e5 vector, C=0.3, scale 1": "0.536 / 0.510 / - / 0.899",
    "+ e5 vector, C=0.3, scale 3": "0.546 / 0.528 / - / 0.897",
    "+ e5 vector, C=0.1, scale 3 (where words alone are unsure, 2026.12-4 to 2026.12-11)": (
        "0.575 / 0.524 / - / 0.896"
    ),
    "+ e5 vector, C=0.1, scale 6": "0.573 / 0.529 / - / 0.889",
    "+ e5 vector, C=0.03, scale 6": "0.592 / 0.526 / - / 0.891",
    "+ e5 vector, C=0.1, scale 10": "0.573 / 0.522 / - / 0.888",
    # 2026.12-13, measured 2026-12-05: NewsMTSC's news sentences in the e5 weights' training
    # in every fold, never scored (the words-alone weights as before: 0.521 / 0.479 / 0.836).
    "+ e5 vector, C=0.1, scale 3, + NewsMTSC in the e5 weights only (shipped where words "
    "alone are unsure)": "0.664 / 0.524 / - / 0.903",
}


def _design(texts: list[str]) -> tuple[np.ndarray, sparse.csr_matrix]:
    """Return the feature rows and the scaled hashed-term matrix of texts."""
    rows = features.matrix(texts)
    indptr, indices = [0], []
    for text in texts:
        buckets = model.hashed_terms(text)
        indices.extend(buckets)
        indptr.append(len(indices))
    hashed = sparse.csr_matrix(
        (np.full(len(indices), model.HASH_SCALE, dtype=np.float32), indices, indptr),
        shape=(len(texts), model.HASH_BUCKETS),
    )
    return rows, hashed


def _with_e5(hashed: sparse.csr_matrix, vectors: np.ndarray) -> sparse.csr_matrix:
    """Append the scaled e5 vectors to the hashed block, as `sentiment_model.logits` reads."""
    return sparse.hstack([hashed, sparse.csr_matrix(vectors * model.E5_SCALE)]).tocsr()


def _stack(rows, mean, scale, block) -> sparse.csr_matrix:
    return sparse.hstack([sparse.csr_matrix((rows - mean) / scale), block]).tocsr()


def _fit(rows, block, labels, c: float) -> tuple[LogisticRegression, np.ndarray, np.ndarray]:
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=c, tol=TOL, max_iter=500, class_weight="balanced", random_state=SEED)
    clf.fit(_stack(rows, mean, scale, block), labels)
    return clf, mean, scale


def _probabilities(train, test, rows, block, labels, c: float) -> tuple[np.ndarray, np.ndarray]:
    """Fit on train; return the classes and the test rows' probabilities."""
    clf, mean, scale = _fit(rows[train], block[train], labels[train], c)
    return clf.classes_, clf.predict_proba(_stack(rows[test], mean, scale, block[test]))


def _predictions(train, test, rows, hashed, both, labels, extra) -> dict[str, np.ndarray]:
    """Return test predictions of words alone, with e5, and e5 where words are unsure.

    `extra` indexes the rows only the e5 weights learn from (`sentiment_data.e5_only_sets`).
    """
    classes, words = _probabilities(train, test, rows, hashed, labels, C)
    e5_train = np.concatenate([train, extra])
    classes_e5, with_e5 = _probabilities(e5_train, test, rows, both, labels, C_E5)
    alone, meaning = classes[words.argmax(axis=1)], classes_e5[with_e5.argmax(axis=1)]
    shipped = np.where(words.max(axis=1) < UNSURE, meaning, alone)
    return {"words alone": alone, "with e5": meaning, "e5 where unsure (2026.12-4)": shipped}


def _macro_f1(gold: np.ndarray, pred: np.ndarray) -> float:
    present = sorted(set(gold))
    return round(float(f1_score(gold, pred, average="macro", labels=present)), 3)


def _cross_validate(rows, hashed, both, labels, sources, extra) -> dict[str, dict[str, float]]:
    """Return 5-fold cross-validated macro-F1 per training set (over its own labels)."""
    folds = StratifiedKFold(5, shuffle=True, random_state=SEED)
    core = np.setdiff1d(np.arange(len(labels)), extra)
    strata = np.char.add(sources[core].astype(str), labels[core].astype(str))
    pred: dict[str, np.ndarray] = {}
    for train, test in folds.split(core, strata):
        found_by_system = _predictions(core[train], core[test], rows, hashed, both, labels, extra)
        for system, found in found_by_system.items():
            pred.setdefault(system, np.empty(len(labels), dtype=object))[core[test]] = found
    return {
        system: {
            source: _macro_f1(labels[sources == source], found[sources == source].astype(str))
            for source in dict.fromkeys(sources[core])
        }
        for system, found in pred.items()
    }


def _leave_one_source_out(
    rows, hashed, both, labels, sources, extra
) -> dict[str, dict[str, float]]:
    """Return macro-F1 on each source group when trained on all the others."""
    out: dict[str, dict[str, float]] = {}
    for group, members in GROUPS.items():
        test = np.isin(sources, members)
        train, held = np.setdiff1d(np.where(~test)[0], extra), np.where(test)[0]
        for system, found in _predictions(train, held, rows, hashed, both, labels, extra).items():
            out.setdefault(system, {})[group] = _macro_f1(labels[test], found)
    return out


def training_files_sha256() -> dict[str, str]:
    """Return the SHA-256 of every vendored training file, to tie the weights to their data."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted([*data.TRAINING.glob("*.tsv"), *data.TRAINING.glob("*.jsonl")])
    }


def _examples() -> tuple[list[data.Example], list[data.Example]]:
    """Return the five training sets' sentences and those only the e5 weights learn from,
    always in the same order (so that --e5-cache fits every run)."""
    core = [e for rows in data.training_sets().values() for e in rows]
    extra = [e for rows in data.e5_only_sets().values() for e in rows]
    return core, extra


def _e5_vectors(texts: list[str], cache: Path | None = None) -> np.ndarray:
    """Encode the training texts with e5, reusing the cache file (.npy) when it fits them."""
    if not e5.cpu_supported():
        sys.exit("e5 needs an x86-64 CPU with AVX2; it is needed to train")
    # Record the vectors the app self-tests against from the engine that encodes training.
    e5.KNOWN_VECTORS.write_text(json.dumps(e5.known_vectors(), indent=1) + "\n", encoding="utf-8")
    if not e5.available():
        sys.exit("e5 is unavailable here (see the warning above); it is needed to train")
    if cache is not None and cache.exists():
        vectors = np.load(cache)
        if vectors.shape == (len(texts), e5.DIMENSIONS):
            return vectors
    vectors = np.vstack([e5.embed(texts[i : i + 256]) for i in range(0, len(texts), 256)])
    if cache is not None:
        np.save(cache, vectors)
    return vectors


def _combinations(path: Path, cache: Path | None) -> dict[str, dict[str, float]]:
    """Return held-out macro-F1 per source for each way of combining the readers."""
    found = np.load(path)
    train, held = data.held_out_split()
    if list(found["texts"]) != [e.text for e in held]:
        sys.exit(f"{path} holds other sentences than the held-out split")
    core, extra = _examples()
    everything = [e.text for e in core + extra]
    by_text = dict(zip(everything, _e5_vectors(everything, cache), strict=True))
    texts = [e.text for e in train + held + extra]
    labels = np.array([e.label for e in train + held + extra])
    rows, hashed = _design(texts)
    both = _with_e5(hashed, np.array([by_text[t] for t in texts]))
    fit, test = np.arange(len(train)), np.arange(len(train), len(train) + len(held))
    news = np.arange(len(train) + len(held), len(texts))
    classes, words = _probabilities(fit, test, rows, hashed, labels, C)
    _, with_e5 = _probabilities(fit, test, rows, both, labels, C_E5)
    _, with_e5_news = _probabilities(np.concatenate([fit, news]), test, rows, both, labels, C_E5)
    if tuple(classes) != model.LABELS:
        sys.exit("the classifier's labels are not in the order MiniLM's are")
    mini = found["probs"]
    unsure = (words.max(axis=1) < UNSURE)[:, None]
    systems = {
        "words alone": words,
        "e5 where unsure (2026.12-4)": np.where(unsure, with_e5, words),
        "MiniLM alone": mini,
        "MiniLM where unsure": np.where(unsure, mini, words),
        "mean of words and MiniLM where unsure": np.where(unsure, (words + mini) / 2, words),
        "mean of e5 and MiniLM where unsure": np.where(unsure, (with_e5 + mini) / 2, words),
        "mean of all three where unsure (2026.12-5)": np.where(
            unsure, (words + with_e5 + mini) / 3, words
        ),
        "all three where unsure, each weighted by its top probability (2026.12-11)": np.where(
            unsure, weigh_readings([words, with_e5, mini]), words
        ),
        "the same, with the news sentences in the e5 weights (shipped, 2026.12-13)": np.where(
            unsure, weigh_readings([words, with_e5_news, mini]), words
        ),
    }
    gold, sources = labels[test], np.array([e.source for e in held])
    return {
        name: {
            source: _macro_f1(
                gold[sources == source], classes[probs.argmax(axis=1)][sources == source]
            )
            for source in dict.fromkeys(sources)
        }
        for name, probs in systems.items()
    }


def _save(name: str, clf: LogisticRegression, mean, scale, n_rows: int) -> None:
    """Write one weight set, columns in the order `sentiment_model` reads them (any
    columns after the hashed terms are the e5 vector's)."""
    order = [list(clf.classes_).index(label) for label in model.LABELS]
    coef = clf.coef_[order].T.astype(np.float32)
    end_hashed = n_rows + model.HASH_BUCKETS
    blocks = {"w_features": coef[:n_rows], "w_hashed": coef[n_rows:end_hashed]}
    if len(coef) > end_hashed:
        blocks["w_e5"] = coef[end_hashed:]
    np.savez_compressed(
        OUT / name,
        labels=np.array(model.LABELS),
        feature_names=np.array(features.NAMES),
        mean=mean.astype(np.float32),
        scale=scale.astype(np.float32),
        bias=clf.intercept_[order].astype(np.float32),
        **blocks,
    )


def _arguments() -> argparse.Namespace:
    """Read the options, so that --help explains them instead of starting to train."""
    parser = argparse.ArgumentParser(
        description="Rebuild the sentiment weights in analysis/models/sentiment/ from the "
        "vendored public training sets (overwrites the committed weights; git checkout "
        "restores them)."
    )
    parser.add_argument(
        "--cv",
        action="store_true",
        help="first print 5-fold and leave-one-source-out macro-F1 on the training data",
    )
    parser.add_argument(
        "--e5-cache",
        type=Path,
        metavar="FILE.npy",
        help="keep the training sentences' e5 vectors here and reuse them next time",
    )
    parser.add_argument(
        "--combinations",
        type=Path,
        metavar="HELD_OUT.npz",
        help="write nothing; print held-out macro-F1 for each way of combining the readers, "
        "from train_minilm_sentiment.py --holdout's file",
    )
    return parser.parse_args()


def main() -> None:
    """Train on every vendored set, optionally cross-validate, and write the weights."""
    args = _arguments()
    if args.combinations is not None:
        print(json.dumps(_combinations(args.combinations, args.e5_cache), indent=1))
        return
    core, extra = _examples()
    texts = [e.text for e in core + extra]
    labels = np.array([e.label for e in core + extra])
    sources = np.array([e.source for e in core + extra])
    rows, hashed = _design(texts)
    both = _with_e5(hashed, _e5_vectors(texts, args.e5_cache))
    news = np.arange(len(core), len(texts))
    cv, loso = {}, {}
    if args.cv:
        cv = _cross_validate(rows, hashed, both, labels, sources, news)
        print("5-fold cross-validated macro-F1:", json.dumps(cv), flush=True)
        loso = _leave_one_source_out(rows, hashed, both, labels, sources, news)
        print("leave-one-source-out macro-F1:", json.dumps(loso), flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    n = len(core)
    clf, mean, scale = _fit(rows[:n], hashed[:n], labels[:n], C)
    _save("weights.npz", clf, mean, scale, rows.shape[1])
    clf, mean, scale = _fit(rows, both, labels, C_E5)
    _save(model.E5_WEIGHTS, clf, mean, scale, rows.shape[1])
    manifest = {
        "model": "multinomial logistic regression (scikit-learn lbfgs), class_weight=balanced",
        "C": C,
        "tol": TOL,
        "seed": SEED,
        "inputs": ["feature row (standardised)", "hashed terms"],
        "e5": {
            "weights": model.E5_WEIGHTS,
            "encoder": e5.MODEL_NAME,
            "C": C_E5,
            "scale": model.E5_SCALE,
            "inputs": ["feature row (standardised)", "hashed terms", "e5 passage vector"],
            "extra_training_sets": {name: len(set_) for name, set_ in data.e5_only_sets().items()},
            "used_when": f"the words-alone model's top probability is below {UNSURE}",
        },
        "minilm": {
            "model": MINILM_NAME,
            "files": "analysis/models/minilm_sentiment/",
            "trainer": "analysis/models/train_minilm_sentiment.py",
            "used_when": f"read where the words-alone model's top probability is below "
            f"{UNSURE}; the three readings are combined, each weighted by its top probability",
        },
        "held_out_combinations": HELD_OUT_COMBINATIONS,
        "label_mapping": data.MAPPING,
        "training_sets": {name: len(rows_) for name, rows_ in data.training_sets().items()},
        "training_files_sha256": training_files_sha256(),
        "cross_validated_macro_f1": cv,
        "leave_one_source_out_macro_f1": loso,
        "candidates_leave_one_source_out": CANDIDATES,
        "sources": "analysis/models/sentiment_training/MANIFEST.md",
    }
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"wrote the weights in {OUT} from {len(texts)} sentences")


if __name__ == "__main__":
    main()
