"""Tagger accuracy and macro-F1 against plain TextBlob and VADER, plus throughput ratio.

Run: .venv/bin/python -m benchmarks.bench_analysis_tagger [--show-errors SPLIT]
"""

from __future__ import annotations

import sys
import time

from textblob import TextBlob
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis.sentiment import tag
from benchmarks.bench_analysis_common import accuracy, load_jsonl, macro_f1, table, write_section

COMMAND = ".venv/bin/python -m benchmarks.bench_analysis_tagger"
THRESHOLD = 0.05


def _three_way(score: float) -> str:
    if score >= THRESHOLD:
        return "positive"
    if score <= -THRESHOLD:
        return "negative"
    return "neutral"


def _predict(texts: list[str], kinds: list[str | None] | None = None) -> dict[str, list[str]]:
    vader = SentimentIntensityAnalyzer()
    kinds = kinds or [None] * len(texts)
    return {
        "Debrief tagger": [tag(t).label for t in texts],
        "Debrief tagger + question kind": [
            tag(t, k).label for t, k in zip(texts, kinds, strict=True)
        ],
        "TextBlob polarity (±0.05)": [_three_way(TextBlob(t).sentiment.polarity) for t in texts],
        "VADER compound (±0.05)": [_three_way(vader.polarity_scores(t)["compound"]) for t in texts],
    }


def _evaluate(name: str, rows: list[dict], with_kind: bool) -> list[list[object]]:
    texts = [r["text"] for r in rows]
    gold = [r["label"] for r in rows]
    preds = _predict(texts, [r.get("kind") for r in rows] if with_kind else None)
    out = []
    for system, pred in preds.items():
        if system.endswith("kind") and not with_kind:
            continue
        out.append(
            [name, len(rows), system, f"{accuracy(gold, pred):.3f}", f"{macro_f1(gold, pred):.3f}"]
        )
    return out


def _throughput(texts: list[str], repeats: int = 5) -> tuple[float, float]:
    """Return texts/second for plain TextBlob sentiment and for the tagger (best of runs)."""
    best_tb = best_tag = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for t in texts:
            TextBlob(t).sentiment  # noqa: B018
        best_tb = min(best_tb, time.perf_counter() - start)
        start = time.perf_counter()
        for t in texts:
            tag(t)
        best_tag = min(best_tag, time.perf_counter() - start)
    return len(texts) / best_tb, len(texts) / best_tag


def _suggestion_scores(rows: list[dict]) -> tuple[float, float]:
    gold = [r["suggestion"] for r in rows]
    pred = [tag(r["text"]).suggestion for r in rows]
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    precision = tp / max(1, sum(pred))
    recall = tp / max(1, sum(gold))
    return precision, recall


def _show_errors(split: str) -> None:
    rows = load_jsonl("sentiment_feedback.jsonl") + load_jsonl("sentiment_reviews.jsonl")
    for r in rows:
        if r.get("split") != split and split != "all":
            continue
        t = tag(r["text"])
        if t.label != r["label"] or t.suggestion != r.get("suggestion", t.suggestion):
            print(
                f"{r['id']} gold={r['label']}/{r.get('suggestion')} got={t.label}/{t.suggestion}"
                f" {r['text']!r}\n    {t.reasons}"
            )


def main() -> None:
    """Run the evaluation and throughput benchmark and update RESULTS.md."""
    if len(sys.argv) > 2 and sys.argv[1] == "--show-errors":
        _show_errors(sys.argv[2])
        return
    feedback = load_jsonl("sentiment_feedback.jsonl")
    reviews = load_jsonl("sentiment_reviews.jsonl")
    tune = [r for r in feedback if r["split"] == "tune"]
    held = [r for r in feedback if r["split"] == "heldout"]
    rows = _evaluate("feedback (tune)", tune, True)
    rows += _evaluate("feedback (held out)", held, True)
    rows += _evaluate("reviews (held out)", reviews, False)
    fresh = load_jsonl("sentiment_fresh.jsonl")
    rows += _evaluate(
        "fresh feedback (unseen)", [r for r in fresh if r["source"] == "feedback"], False
    )
    rows += _evaluate(
        "fresh reviews (unseen)", [r for r in fresh if r["source"] == "review"], False
    )
    unseen = load_jsonl("sentiment_unseen.jsonl")
    rows += _evaluate(
        "unseen feedback (never tuned)", [r for r in unseen if r["source"] == "feedback"], False
    )
    rows += _evaluate(
        "unseen reviews (never tuned)", [r for r in unseen if r["source"] == "review"], False
    )
    texts = [r["text"] for r in feedback + reviews] * 4
    tb_rate, tag_rate = _throughput(texts)
    precision, recall = _suggestion_scores(held)
    u_precision, u_recall = _suggestion_scores([r for r in unseen if r["source"] == "feedback"])
    body = "## Sentiment tagger\n\n" + table(["set", "n", "system", "accuracy", "macro-F1"], rows)
    body += (
        f"\n\nSuggestion flag on held-out feedback: precision {precision:.3f}, "
        f"recall {recall:.3f}. On unseen feedback: precision {u_precision:.3f}, "
        f"recall {u_recall:.3f}.\n\n"
        + table(
            ["system", "texts/s", "ratio to TextBlob"],
            [
                ["TextBlob(text).sentiment", f"{tb_rate:,.0f}", "1.00"],
                ["analysis.sentiment.tag", f"{tag_rate:,.0f}", f"{tag_rate / tb_rate:.2f}"],
            ],
        )
        + f"\n\nThroughput over {len(texts)} texts (evaluation texts x4), best of 5 runs. "
        "Baselines map polarity/compound to labels at ±0.05. 'tune' rows were used to "
        "choose rules and weights; 'held out' feedback rows were never looked at row by row "
        "during tuning. Caveat: the same author wrote the data and the lexicons, so the "
        "held-out and review sets share vocabulary with the rules (review-only words were "
        "removed from the domain lexicon after the first run, then a general evaluative "
        "vocabulary was added). The 'fresh' sets (benchmarks/data/sentiment_fresh.jsonl) "
        "were written and committed after the rules were built and never used for tuning; "
        "they are small (40 feedback, 60 reviews). The 'unseen' sets "
        "(benchmarks/data/sentiment_unseen.jsonl, 92 feedback answers in many voices and 61 "
        "reviews) were written and committed before the 2026.11-2 rules (VADER lexicon "
        "fallback, inflections, typos, capitals, negation scope, polite complaints, faint "
        "praise) and are never used for tuning: rules were chosen on the tune split, with "
        "held-out and review accuracy as a check. One threshold (_VADER_MIN) was swept while "
        "the unseen totals were visible (not its rows); the value kept was the best on tune.\n"
    )
    print(body)
    write_section("tagger", body, COMMAND)


if __name__ == "__main__":
    main()
