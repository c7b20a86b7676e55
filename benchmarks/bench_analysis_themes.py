"""Theme grouping quality on hand-labelled answers: adjusted Rand index and per-topic recall.

Run: .venv/bin/python -m benchmarks.bench_analysis_themes
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict

from sklearn.metrics import adjusted_rand_score

from analysis.themes import KnownTheme, ThemeInput, group_themes
from benchmarks.bench_analysis_common import load_jsonl, table, write_section

COMMAND = ".venv/bin/python -m benchmarks.bench_analysis_themes"


def _recall(rows: list[dict], assigned: dict[str, str]) -> dict[str, float]:
    """Per (kind, topic): share of its answers in the theme holding most of them."""
    by_topic: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in rows:
        by_topic[(r["kind"], r["topic"])].append(assigned[r["id"]])
    return {
        f"{kind}: {topic}": Counter(keys).most_common(1)[0][1] / len(keys)
        for (kind, topic), keys in sorted(by_topic.items())
    }


def _run(rows: list[dict], codebook: tuple[KnownTheme, ...] = ()) -> tuple[float, dict, list]:
    themes = group_themes([ThemeInput(r["id"], r["text"], r["kind"]) for r in rows], codebook)
    assigned = {i: t.key for t in themes for i in t.answer_ids}
    gold = [f"{r['kind']}:{r['topic']}" for r in rows]
    pred = [assigned[r["id"]] for r in rows]
    return adjusted_rand_score(gold, pred), _recall(rows, assigned), themes


def _codebook(rows: list[dict]) -> tuple[KnownTheme, ...]:
    """Build a codebook from the first half of each (kind, topic), as an earlier round would."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in rows:
        groups[(r["kind"], r["topic"])].append(r["text"])
    return tuple(
        KnownTheme(
            f"{kind}-{topic}",
            topic.replace("_", " ").capitalize(),
            kind,
            tuple(texts[: max(1, len(texts) // 2)]),
        )
        for (kind, topic), texts in sorted(groups.items())
        if len(texts) >= 4
    )


def main() -> None:
    """Run the theme benchmark and update RESULTS.md."""
    rows = load_jsonl("themes_labelled.jsonl")
    start = time.perf_counter()
    ari, recall, themes = _run(rows)
    elapsed = time.perf_counter() - start
    book = _codebook(rows)
    ari_cb, recall_cb, themes_cb = _run(rows, book)
    recall_rows = [[name, f"{r:.2f}", f"{recall_cb[name]:.2f}"] for name, r in recall.items()]
    mean = sum(recall.values()) / len(recall)
    mean_cb = sum(recall_cb.values()) / len(recall_cb)
    body = (
        "## Themes\n\n"
        + table(
            ["setting", "answers", "themes", "ARI vs (kind, topic)", "mean topic recall"],
            [
                ["no codebook", len(rows), len(themes), f"{ari:.3f}", f"{mean:.2f}"],
                [
                    "codebook from half of each topic",
                    len(rows),
                    len(themes_cb),
                    f"{ari_cb:.3f}",
                    f"{mean_cb:.2f}",
                ],
            ],
        )
        + f"\n\nGrouping {len(rows)} answers took {elapsed:.2f} s. Per-topic recall (share of a "
        "topic's answers that land in its most common theme):\n\n"
        + table(["kind: topic", "recall", "recall with codebook"], recall_rows)
        + "\n\nLabels produced without a codebook, with the theme's first quote, so a reader "
        "can judge them:\n\n"
        + table(
            ["kind", "label", "answers", "first quote"],
            [[t.kind, t.label, t.count, t.quotes[0] if t.quotes else ""] for t in themes],
        )
        + "\n"
    )
    print(body)
    write_section("themes", body, COMMAND)


if __name__ == "__main__":
    main()
