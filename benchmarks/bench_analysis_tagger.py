"""Sentiment macro-F1 on public human-labelled sets against TextBlob and VADER, and speed.

Run: .venv/bin/python -m benchmarks.bench_analysis_tagger [--show-errors SPLIT | --partial]

The headline sets are public and were never used to train, tune or choose anything
(see benchmarks/data/public/README.md; two are read from DEBRIEF_BENCH_DATA because their
licences do not let us ship them; without them RESULTS.md is left alone unless --partial
is given). The project's own hand-written sets follow as a second
table. Baselines run here, on the same texts and label mapping: TextBlob polarity and
VADER compound, each cut at ±0.05.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from textblob import TextBlob
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis import sentiment_rules
from analysis.models import sentiment_data
from analysis.sentiment import tag_many
from benchmarks.bench_analysis_common import (
    accuracy,
    load_jsonl,
    macro_f1,
    margin_interval,
    table,
    write_section,
)
from benchmarks.bench_sentiment_speed import candidates_section, speed_section

COMMAND = ".venv/bin/python -m benchmarks.bench_analysis_tagger"
THRESHOLD = 0.05
MARGIN = 0.05
INTERVALS = (
    "Each interval is a paired bootstrap (2,000 resamples of the set's texts, seed 0, every "
    "system scored on the same resample): how far the lead could move on another sample of "
    "the same kind of text. The bar is judged on the lead itself, not on its interval"
)
# How often the reserved sets have been scored, said beside the figures so readers can
# judge how blind the test still is. Update it by hand before each run of this benchmark.
RESERVED_RUNS = (
    "How often these sets were scored: tagger 2026.12-1 was scored on them in an earlier "
    "session (one rule, 'no opinion word in any lexicon -> neutral unless confident', was "
    "added after a first look); 2026.12-2 was chosen without them and scored once (it "
    "missed the bar on the NYT editorials); candidate 2026.12-3 (NewsMTSC news sentences "
    "added) was scored once and not shipped (see Candidates); 2026.12-4 (e5 sentence "
    "vectors where the words alone are unsure) was chosen on the training data and scored "
    "once (twice, with identical figures; it missed the bar on the NYT editorials by "
    "0.009). Tagger 2026.12-5 (where 2026.12-2's words-alone weights are "
    "unsure, the mean of their reading, the e5 weights' and a MiniLM fine-tuned on the "
    "training sets) was chosen on 15 % of the training sentences held out and on the "
    "project's own sets (see Held-out combinations), and scored on these sets once, "
    "after the choice was final. That a fine-tuned transformer might close the NYT gap "
    "was the reason to try one. Tagger 2026.12-5.1 changed only the non-answer rule "
    "('Nothing helpful' is a verdict); its non-answer decisions on every Hutto Amazon and "
    "NYT snippet are the same as 2026.12-5's (compared directly, not scored), so their "
    "figures stand; the NHS and airline files were not on that machine to compare. "
    "Tagger 2026.12-5.2 changed only what a question's kind does; every row of this table "
    "is tagged without a kind, so its figures were 2026.12-5.1's (a run re-tagged the "
    "sets and printed the same). Tagger 2026.12-11 (the same three readers "
    "where the words alone are unsure, each weighted by its own top probability instead "
    "of a plain mean) passed two gates written down before measuring: the project's own "
    "sets' mean did not fall (0.841 -> 0.848) and neither did the mean over the five "
    "held-out training sources (0.832 -> 0.834; see Held-out combinations). It was then "
    "scored on these sets once. A later run re-tagged them with 2026.12-11 unchanged, only "
    "to add the NewsMTSC table below, on an Intel Xeon where the run before was on an AMD "
    "EPYC: every figure came out the same except the Amazon macro-F1 (0.661 -> 0.660), as "
    "e5's arithmetic differs slightly between CPUs. Candidate 2026.12-12 was not scored on "
    "them. Tagger 2026.12-13 (this table: NewsMTSC's news training sentences added to the "
    "e5 weights only) passed three gates written down before measuring: the project's own "
    "sets' mean did not fall (0.848 -> 0.849), nor did the mean over the five held-out "
    "training sources (0.834 recorded; 0.833 -> 0.834 in one new run), and the NewsMTSC "
    "test rose (0.560 -> 0.586). The product owner was told beforehand, in writing, that "
    "it would be scored on these sets once and shipped unless a bar that 2026.12-11 met "
    "became missed, with nothing changed after seeing the figures; that was its one "
    "scoring. A later run (this table) re-tagged the sets with 2026.12-13 unchanged, only "
    "to add the 95 % intervals; nothing was chosen or changed on it."
)


def _three_way(score: float) -> str:
    if score >= THRESHOLD:
        return "positive"
    if score <= -THRESHOLD:
        return "negative"
    return "neutral"


def predict(texts: list[str], kinds: list[str | None] | None = None) -> dict[str, list[str]]:
    """Return each system's labels for the texts."""
    vader = SentimentIntensityAnalyzer()
    kinds = kinds or [None] * len(texts)
    return {
        "Debrief": [t.label for t in tag_many(zip(texts, kinds, strict=True))],
        "Debrief rules alone (2026.11-2)": [
            sentiment_rules.tag(t, k).label for t, k in zip(texts, kinds, strict=True)
        ],
        "TextBlob": [_three_way(TextBlob(t).sentiment.polarity) for t in texts],
        "VADER": [_three_way(vader.polarity_scores(t)["compound"]) for t in texts],
    }


def _share(labels: list[str], label: str = "neutral") -> str:
    return f"{100 * sum(x == label for x in labels) / max(1, len(labels)):.0f} %"


_PUBLIC_COLUMNS = ("set", "n", "system", "accuracy", "macro-F1", "predicted neutral")


Margin = tuple[float, float, float]  # Debrief's lead, and its 95 % interval


def _public_rows(sets: dict[str, list]) -> tuple[list[list[object]], dict[str, Margin]]:
    """Score every system on each set: table rows, and Debrief's margin over the better
    of TextBlob and VADER per set, with its paired-bootstrap interval."""
    rows, margins = [], {}
    for name, examples in sets.items():
        texts = [e.text for e in examples]
        gold = [e.label for e in examples]
        preds = predict(texts)
        scores = {system: macro_f1(gold, pred) for system, pred in preds.items()}
        lead = scores["Debrief"] - max(scores["TextBlob"], scores["VADER"])
        rivals = [preds["TextBlob"], preds["VADER"]]
        margins[name] = (lead, *margin_interval(gold, preds["Debrief"], rivals))
        for system, pred in preds.items():
            rows.append(
                [
                    name,
                    len(examples),
                    system,
                    f"{accuracy(gold, pred):.3f}",
                    f"**{scores[system]:.3f}**" if system == "Debrief" else f"{scores[system]:.3f}",
                    f"{_share(pred)} (people {_share(gold)})",
                ]
            )
    return rows, margins


def _verdicts(margins: dict[str, Margin]) -> str:
    return "; ".join(
        f"{name}: {_margin_text(margin)} {'(bar met)' if margin[0] >= MARGIN else '(BAR MISSED)'}"
        for name, margin in margins.items()
    )


def _margin_text(margin: Margin) -> str:
    lead, low, high = margin
    return f"{lead:+.3f} (95 % interval {low:+.3f} to {high:+.3f})"


def _news_section() -> str:
    """Score the news test set that is not reserved (a place to try news-genre ideas)."""
    rows, margins = _public_rows({"NewsMTSC news sentences": sentiment_data.newsmtsc()})
    return (
        "### A news test set that is not reserved\n\n"
        + table(_PUBLIC_COLUMNS, rows)
        + f"\n\nDebrief minus the better of TextBlob and VADER: "
        f"{_margin_text(next(iter(margins.values())))}. NewsMTSC's real-world test split "
        "(`benchmarks/data/public/newsmtsc_devtest_rw.jsonl`; Hamborg and Donnay 2021, MIT): "
        "sentences from US online news on policy issues, each rated towards the people it "
        "names (2 negative, 4 neutral, 6 positive), kept where those ratings agree. Never "
        "trained on. It is not the NYT editorials' task (ratings towards people, not of the "
        "whole snippet); it is here so that news-genre ideas can be judged without the "
        "reserved sets (candidate 2026.12-12 and tagger 2026.12-13 were; see Candidates). "
        "Tagger 2026.12-13's e5 weights learn from NewsMTSC's training split, which shares "
        "no sentence with this one (the four that appear in both are left out of "
        "training).\n\n"
    )


def _cross_validated(manifest: dict) -> str:
    """Say the training sets' cross-validated figures, or that they were not measured."""
    cv = manifest.get("cross_validated_macro_f1") or {}
    loso = manifest.get("leave_one_source_out_macro_f1") or {}
    where = "Training sets (vendored, `analysis/models/sentiment_training/`)"
    if not cv:
        return (
            f"{where}: cross-validated macro-F1 not recorded for the shipped weights "
            "(run `analysis/models/train_sentiment.py --cv`).\n\n"
        )
    return (
        f"{where}, for the shipped weights: 5-fold cross-validated macro-F1 "
        f"`{json.dumps(cv)}`; leave-one-source-out macro-F1 (trained on the other sources) "
        f"`{json.dumps(loso)}`.\n\n"
    )


def _own_rows() -> list[list[object]]:
    """Score the hand-written sets (secondary: the same author wrote them and the rules)."""
    feedback = load_jsonl("sentiment_feedback.jsonl")
    fresh = load_jsonl("sentiment_fresh.jsonl")
    unseen = load_jsonl("sentiment_unseen.jsonl")
    groups = {
        "feedback (rules tuned on it)": [r for r in feedback if r["split"] == "tune"],
        "feedback (held out)": [r for r in feedback if r["split"] == "heldout"],
        "reviews": load_jsonl("sentiment_reviews.jsonl"),
        "fresh feedback": [r for r in fresh if r["source"] == "feedback"],
        "unseen feedback": [r for r in unseen if r["source"] == "feedback"],
        "unseen reviews": [r for r in unseen if r["source"] == "review"],
    }
    rows = []
    for name, items in groups.items():
        rows += _scored_rows(name, items, with_kind=False)
    # In the product every answer is tagged with its question's kind (went well, improve).
    return rows + _scored_rows("feedback, tagged with each question's kind", feedback, True)


def _scored_rows(name: str, items: list[dict], with_kind: bool) -> list[list[object]]:
    gold = [r["label"] for r in items]
    kinds = [r.get("kind") if with_kind else None for r in items]
    preds = predict([r["text"] for r in items], kinds)
    return [
        [name, len(items), system, f"{macro_f1(gold, pred):.3f}"] for system, pred in preds.items()
    ]


def _suggestion_scores(rows: list[dict]) -> tuple[float, float]:
    gold = [r["suggestion"] for r in rows]
    pred = [t.suggestion for t in tag_many((r["text"], None) for r in rows)]
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    return tp / max(1, sum(pred)), tp / max(1, sum(gold))


def _show_errors(split: str) -> None:
    rows = load_jsonl("sentiment_feedback.jsonl") + load_jsonl("sentiment_reviews.jsonl")
    rows = [r for r in rows if split == "all" or r.get("split") == split]
    for r, t in zip(rows, tag_many((r["text"], None) for r in rows), strict=True):
        if t.label != r["label"]:
            print(f"{r['id']} gold={r['label']} got={t.label} {r['text']!r}\n    {t.reasons}")


def main() -> None:
    """Run the evaluation and speed benchmarks and update RESULTS.md."""
    if len(sys.argv) > 2 and sys.argv[1] == "--show-errors":
        _show_errors(sys.argv[2])
        return
    sets, missing = sentiment_data.test_sets()
    public, margins = _public_rows(sets)
    manifest = json.loads(
        (
            Path(__file__).resolve().parent.parent / "analysis/models/sentiment/manifest.json"
        ).read_text(encoding="utf-8")
    )
    held = [r for r in load_jsonl("sentiment_feedback.jsonl") if r["split"] == "heldout"]
    precision, recall = _suggestion_scores(held)
    body = (
        "## Sentiment tagger\n\n"
        "### Public human-labelled sets (never used for training or tuning)\n\n"
        + table(_PUBLIC_COLUMNS, public)
        + "\n\nDebrief minus the better of TextBlob and VADER (bar: +0.05): "
        + _verdicts(margins)
        + ". "
        + INTERVALS
        + (".\n\nNot run (file absent): " + "; ".join(missing) if missing else ".")
        + "\n\n"
        + RESERVED_RUNS
        + "\n\nLabel mapping, fixed before training: Hutto & Gilbert mean rating < -0.5 "
        "negative, > 0.5 positive, else neutral; NHS FFT 'Comment sentiment' 1-2 positive, "
        "3 neutral (or mixed), 4-5 negative; airline tweets as labelled. Macro-F1 over "
        "negative, neutral and positive. Debrief is tagged without the question kind.\n\n"
        + _news_section()
        + _cross_validated(manifest)
        + "### The project's own hand-written sets (secondary)\n\n"
        + table(["set", "n", "system", "macro-F1"], _own_rows())
        + f"\n\nSuggestion flag (rules) on held-out feedback: precision {precision:.3f}, "
        f"recall {recall:.3f}.\n\n" + speed_section() + "\n\n" + candidates_section(manifest) + "\n"
    )
    print(body)
    if missing and "--partial" not in sys.argv:
        # A run without every reserved set would drop their rows from RESULTS.md.
        sys.exit(
            "RESULTS.md not updated: reserved test sets are missing (see "
            "benchmarks/data/public/README.md); pass --partial to write it anyway."
        )
    write_section("tagger", body, COMMAND)


if __name__ == "__main__":
    main()
