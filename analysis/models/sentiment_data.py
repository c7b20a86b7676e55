"""Load the public, human-labelled sentiment sets: training sets (vendored) and test sets.

Labels are mapped to negative / neutral / positive by rules fixed before any model was
trained or evaluated (see analysis/models/sentiment_training/MANIFEST.md):

* Hutto & Gilbert (2014) snippets carry the mean of 20 people's ratings on -4..4:
  below -0.5 is negative, above 0.5 positive, otherwise neutral.
* UCI Sentiment Labelled Sentences are 0 (negative) or 1 (positive).
* NHS Friends and Family Test (pxtextmining v6 framework): "Comment sentiment" 1-2 is
  positive, 3 (neutral or mixed) neutral, 4-5 negative; unlabelled rows are skipped.
* US airline tweets carry their own three labels.
* NewsMTSC (Hamborg and Donnay 2021), a news test set that is not reserved, rates a
  sentence's sentiment towards each person it names (2 negative, 4 neutral, 6 positive): a
  sentence whose targets all share one rating takes it; one whose targets differ is left out.
  Its training split is read by the e5 weights only (`e5_only_sets`); its real-world test
  split is a test set that is not reserved.
"""

from __future__ import annotations

import csv
import json
import os
import random
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRAINING = Path(__file__).resolve().parent / "sentiment_training"
PUBLIC = ROOT / "benchmarks" / "data" / "public"
EXTERNAL = Path(os.environ.get("DEBRIEF_BENCH_DATA", ROOT / "benchmarks" / "data" / "external"))
HUTTO_BAND = 0.5
MAPPING = {
    "Hutto & Gilbert": "mean rating < -0.5 negative, > 0.5 positive, otherwise neutral",
    "UCI": "0 negative, 1 positive",
    "NewsMTSC": "2 negative, 4 neutral, 6 positive, where a sentence's targets agree",
}
NEWSMTSC_LABELS = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
NEWS_TEST = PUBLIC / "newsmtsc_devtest_rw.jsonl"
NEWS_TRAIN = TRAINING / "newsmtsc_train.jsonl"


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    source: str


def hutto_label(rating: float) -> str:
    """Map a Hutto & Gilbert mean rating (-4..4) to a label."""
    if rating > HUTTO_BAND:
        return "positive"
    if rating < -HUTTO_BAND:
        return "negative"
    return "neutral"


def _hutto(path: Path, source: str) -> list[Example]:
    out = []
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        for line in fh:
            parts = line.rstrip("\r\n").split("\t")
            if len(parts) >= 3 and parts[2].strip():
                out.append(Example(parts[2].strip(), hutto_label(float(parts[1])), source))
    return out


def _uci(path: Path, source: str) -> list[Example]:
    out = []
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        for line in fh.read().replace("\x85", " ").splitlines():
            text, _, label = line.rstrip().rpartition("\t")
            if text.strip() and label in ("0", "1"):
                out.append(
                    Example(text.strip(), "positive" if label == "1" else "negative", source)
                )
    return out


def newsmtsc(path: Path = NEWS_TEST) -> list[Example]:
    """Read the NewsMTSC sentences whose targets all carry one rating (the test split by default).

    The test split is not reserved, and never trained on: a second news test beside the NYT
    editorials, for trying news-genre ideas without looking at a reserved set.
    """
    ratings: dict[str, set[float]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            found = ratings.setdefault(rec["sentence_normalized"].strip(), set())
            found.update(target["polarity"] for target in rec["targets"])
    return [
        Example(text, NEWSMTSC_LABELS[next(iter(found))], "news")
        for text, found in ratings.items()
        if text and len(found) == 1
    ]


def training_sets() -> dict[str, list[Example]]:
    """Return the vendored training sets by name (never any reserved test set)."""
    return {
        "Hutto tweets": _hutto(TRAINING / "hutto_tweets.tsv", "tweets"),
        "Hutto movie reviews": _hutto(TRAINING / "hutto_movies.tsv", "movies"),
        "UCI Amazon": _uci(TRAINING / "uci_amazon_cells.tsv", "uci-amazon"),
        "UCI Yelp": _uci(TRAINING / "uci_yelp.tsv", "uci-yelp"),
        "UCI IMDB": _uci(TRAINING / "uci_imdb.tsv", "uci-imdb"),
    }


def e5_only_sets() -> dict[str, list[Example]]:
    """Return the training sets that only the e5 weights learn from.

    NewsMTSC's news sentences helped news text wherever they were added, but in the
    words-alone weights they cost the project's own feedback answers (candidate 2026.12-12);
    the e5 weights are read only where the words alone are unsure (tagger 2026.12-13).
    Sentences that also appear in the NewsMTSC test split are left out.
    """
    tested = {e.text for e in newsmtsc(NEWS_TEST)}
    return {"NewsMTSC train": [e for e in newsmtsc(NEWS_TRAIN) if e.text not in tested]}


# The share of every training set held out to choose how the tagger combines its readers;
# both trainers split with these, so their held-out sentences are the same.
HELD_OUT_SHARE = 0.15
HELD_OUT_SEED = 20261205


def held_out_split(
    share: float = HELD_OUT_SHARE, seed: int = HELD_OUT_SEED
) -> tuple[list[Example], list[Example]]:
    """Return (train, held out): `share` of every training set, chosen by a seeded shuffle.

    Used to choose how the tagger combines its readers without the reserved sets.
    """
    rng = random.Random(seed)  # noqa: S311 - a repeatable shuffle, not a secret
    train: list[Example] = []
    held: list[Example] = []
    for examples in training_sets().values():
        shuffled = list(examples)
        rng.shuffle(shuffled)
        cut = int(len(shuffled) * share)
        held += shuffled[:cut]
        train += shuffled[cut:]
    return train, held


def _nhs(path: Path) -> list[Example]:
    mapping = {"1": "positive", "2": "positive", "3": "neutral", "4": "negative", "5": "negative"}
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            text, score = (rec.get("FFT answer") or "").strip(), rec.get("Comment sentiment", "")
            if text and score in mapping:
                out.append(Example(text, mapping[score], "nhs-fft"))
    return out


def _airline(path: Path) -> list[Example]:
    with open(path, encoding="utf-8", newline="") as fh:
        return [
            Example(rec["text"].strip(), rec["airline_sentiment"], "airline")
            for rec in csv.DictReader(fh)
            if rec["text"].strip()
            and rec["airline_sentiment"] in ("positive", "neutral", "negative")
        ]


def test_sets() -> tuple[dict[str, list[Example]], list[str]]:
    """Return the reserved test sets that are present, and notes on those that are not."""
    found: dict[str, list[Example]] = {}
    missing: list[str] = []
    for name, path, loader in (
        ("NHS FFT", EXTERNAL / "nhs_fft_v6framework_230831.csv", _nhs),
        ("Hutto Amazon reviews", PUBLIC / "hutto_amazon.tsv", None),
        ("Hutto NYT editorials", PUBLIC / "hutto_nyt.tsv", None),
        ("US airline tweets", EXTERNAL / "Tweets.csv", _airline),
    ):
        if not path.exists():
            missing.append(f"{name}: {path} not found")
        elif loader is None:
            found[name] = _hutto(path, name)
        else:
            found[name] = loader(path)
    return found, missing
