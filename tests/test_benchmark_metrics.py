"""The benchmark's margin interval: the headline figures' uncertainty must be computed right."""

import random

from benchmarks.bench_analysis_common import LABELS, macro_f1, margin_interval


def _noisy(gold: list[str], keep: float, rng: random.Random) -> list[str]:
    return [g if rng.random() < keep else rng.choice(LABELS) for g in gold]


def test_the_interval_brackets_the_lead_and_narrows_as_the_sample_grows():
    rng = random.Random(3)
    widths = []
    for n in (300, 3000):
        gold = [rng.choice(LABELS) for _ in range(n)]
        system, rival = _noisy(gold, 0.8, rng), _noisy(gold, 0.6, rng)
        lead = macro_f1(gold, system) - macro_f1(gold, rival)
        low, high = margin_interval(gold, system, [rival], draws=400)
        assert low < lead < high
        widths.append(high - low)
    assert widths[1] < widths[0] / 2


def test_the_lead_is_over_the_best_rival_in_each_resample():
    rng = random.Random(4)
    gold = [rng.choice(LABELS) for _ in range(1000)]
    system = _noisy(gold, 0.7, rng)
    weak = _noisy(gold, 0.2, rng)
    low, high = margin_interval(gold, system, [weak, system], draws=200)
    assert (low, high) == (0.0, 0.0)  # the system itself is among the rivals
