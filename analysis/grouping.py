"""Grouping answers on meaning: sentence vectors with lexical evidence, codebook themes first.

Every answer lives in two spaces: its sentence vector (``analysis.embeddings``, which knows
that "six weeks" and "more time" are about the same thing) and TF-IDF over content words
with domain synonyms (which keeps "TUPE" apart from "papers arrived late" when a vector
blurs them). Similarity is a weighted sum of the two cosines.

1. An answer joins the codebook theme of its kind it is closest to when it is close to the
   theme's exemplar centroid or very close to one exemplar, and shares some words with the
   exemplars (unless one exemplar is very close in meaning alone).
2. What is left is clustered per kind: average-linkage agglomerative clustering over a
   deterministic sample (at most ``SAMPLE_SIZE`` answers, chosen by id hash), cut at
   ``CLUSTER_DISTANCE``; a small side (``SMALL_SIDE`` answers or fewer) is cut instead
   where its groups are most distinct (highest mean silhouette, up to
   ``SMALL_SIDE_MAX_CUT``), and higher while that leaves more themes than suit the round's
   size (``max_themes``). At most ``max_themes`` groups are kept;
   clusters smaller than ``min_size`` are dropped; every answer then goes to its nearest
   kept centroid, or to Other when none is near enough. Cost is linear in the number of
   answers beyond the sample.
3. A group holding a large share of its side whose members sit far from its centre (a
   vague group of generic answers) is cut again lower; its parts that are big enough stay,
   and its other answers join a part only when as close as that part's own members, else
   go to Other.

The thresholds were chosen on samples of the public BANKING77 set, even and skewed
(``benchmarks/bench_analysis_themes.py --tune``, ``--tune-codebook``); TOPIC_WEIGHT and the
small-side cut on BANKING77 rounds of 12-32 answers and the project's own labelled
feedback (``--tune-small``); never on the evaluation sets.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from analysis._lazy import lazy
from analysis._textfeatures import TOPIC_FORMS, sample

# Loaded when themes are first grouped, not when `debrief` starts.
np = lazy("numpy")
sparse = lazy("scipy.sparse")
hierarchy = lazy("scipy.cluster.hierarchy")
distance = lazy("scipy.spatial.distance")
text_features = lazy("sklearn.feature_extraction.text")
metrics = lazy("sklearn.metrics")
preprocessing = lazy("sklearn.preprocessing")
embeddings = lazy("analysis.embeddings")

LEXICAL_WEIGHT = 0.45
# A domain topic form ("timeframe" for "six weeks", "deadline", "window") counts this many
# times another word's TF-IDF weight. With the small-side cut below, on the project's own
# labelled feedback ARI rose from 0.44 / 0.49 to 0.67 / 0.60 on whole sides and from about
# 0.6 to 0.75-0.82 on rounds of 12-32 answers; BANKING77 (few such words) moved by -0.01 to
# +0.07 (`benchmarks/bench_analysis_themes.py --tune-small`, `--tune`).
TOPIC_WEIGHT = 2.0
CLUSTER_DISTANCE = 0.58
# A small side is cut where its groups are most distinct (mean silhouette), at a merge
# height between CLUSTER_DISTANCE and this: one fixed cut split its few topics into pairs.
SMALL_SIDE_MAX_CUT = 0.7
# On a small side an answer stays in its group only within this mean distance of the
# group's other members. On rounds of 12 / 20 / 32 answers (48 draws) it raised ARI on
# BANKING77 from 0.54 / 0.46 / 0.53 to 0.58 / 0.51 / 0.54 and on the project's own
# labelled feedback from 0.83 / 0.78 / 0.82 to 0.84 / 0.80 / 0.81 (`--tune-small`).
STRAY_DISTANCE = 0.7
ASSIGN_SIMILARITY = 0.3
JOIN_SIMILARITY = 0.6
JOIN_LEXICAL_WEIGHT = 0.2
EXEMPLAR_SIMILARITY = 0.7
MEANING_ONLY_SIMILARITY = 0.8
JOIN_LEXICAL_EVIDENCE = 0.1
SAMPLE_SIZE = 1500
LEFTOVER_SLACK = 0.15
SMALL_SIDE = 40
# A group holding at least LOOSE_SHARE of a side is split when its members' mean
# similarity to its centre is below COHERENCE (cut again SPLIT_STEP lower, down to
# SPLIT_FLOOR); outsiders join a group only when about as close as its own members.
LOOSE_SHARE = 0.15
COHERENCE = 0.61
SPLIT_STEP = 0.08
SPLIT_FLOOR = 0.3
SPLIT_SLACK = 0.1
_CHUNK = 20000


def max_themes(n: int) -> int:
    """Return how many themes a side of n answers may read as (12 -> 6, 300 -> 12).

    Large sides grow with the square root of their size, to at most 30; a smaller side
    may still have up to 8 themes of about two answers each. (Up to 6 of about three
    forced twelve answers on five topics into four themes; allowing 8 of two raised ARI
    on the project's own labelled sides of 94 and 71 answers from 0.67 / 0.60 to 0.74 /
    0.69, and on BANKING77 rounds of 12 / 20 / 32 moved it by -0.01 / +0.02 / +0.00.)
    """
    if n < 8:
        return max(1, n // 3)
    return max(2, min(30, max(round(0.7 * math.sqrt(n)), min(8, n // 2))))


def is_small_side(n: int) -> bool:
    """Say whether a side of n answers is cut and named the small-side way."""
    return n <= SMALL_SIDE


def min_size(n: int) -> int:
    """Return the smallest group that makes a theme of its own among n answers."""
    if n < 8:
        return 1
    return max(2, round(n / 100))


def _identity(tokens: list[str]) -> list[str]:
    return tokens


@dataclass
class Space:
    """Answers (and codebook exemplars) as unit sentence vectors and unit TF-IDF rows."""

    dense: np.ndarray
    lexical: sparse.csr_matrix
    vectoriser: Any  # a fitted sklearn TfidfVectorizer
    topic_columns: dict[int, str]  # the vectoriser's columns of domain topic forms

    def centroid(self, rows: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """Return the unit mean of some rows in both spaces."""
        return _unit(self.dense[list(rows)].mean(axis=0)), _unit(
            np.asarray(self.lexical[list(rows)].mean(axis=0)).ravel()
        )

    def similarity(
        self,
        rows: Sequence[int],
        dense: np.ndarray,
        lexical: np.ndarray,
        weight: float | None = None,
    ) -> np.ndarray:
        """Return the combined cosine of rows against centroids (k, d) and (k, v)."""
        weight = LEXICAL_WEIGHT if weight is None else weight
        out = np.empty((len(rows), dense.shape[0]), dtype=np.float32)
        for start in range(0, len(rows), _CHUNK):
            part = list(rows[start : start + _CHUNK])
            d = self.dense[part] @ dense.T
            lex = np.asarray(self.lexical[part] @ lexical.T)
            out[start : start + len(part)] = (1 - weight) * d + weight * lex
        return out

    def transform(self, texts: Sequence[str], tokens: Sequence[list[str]]) -> tuple:
        """Place texts that were not fitted (codebook exemplars) in both spaces."""
        return embeddings.embed(list(texts)), _lexical(self.vectoriser, self.topic_columns, tokens)


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return (v / norm if norm else v).astype(np.float32)


def build_space(
    ids: Sequence[str],
    tokens: Sequence[list[str]],
    texts: Sequence[str],
    vectors: Sequence[np.ndarray | None],
    extra_tokens: Sequence[list[str]] = (),
) -> Space:
    """Embed the answers (reusing stored vectors) and fit TF-IDF on a deterministic sample."""
    missing = [i for i, v in enumerate(vectors) if v is None or len(v) != embeddings.DIMENSIONS]
    dense = np.zeros((len(texts), embeddings.DIMENSIONS), dtype=np.float32)
    if missing:
        dense[missing] = embeddings.embed([texts[i] for i in missing])
    for i, v in enumerate(vectors):
        if v is not None and len(v) == embeddings.DIMENSIONS:
            dense[i] = v
    fit = sample(list(range(len(tokens))), list(ids), 5 * SAMPLE_SIZE)
    vec = text_features.TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32)
    vec.fit([tokens[i] for i in fit] + list(extra_tokens) or [["empty"]])
    topics = _topic_columns(vec)
    return Space(dense, _lexical(vec, topics, tokens), vec, topics)


def _topic_columns(vectoriser: Any) -> dict[int, str]:
    """Return the TF-IDF columns of the domain topic forms, with their forms."""
    return {column: term for term, column in vectoriser.vocabulary_.items() if term in TOPIC_FORMS}


def _lexical(
    vectoriser: Any, topic_columns: dict[int, str], tokens: Sequence[list[str]]
) -> sparse.csr_matrix:
    """Return unit TF-IDF rows with the domain topic forms weighted TOPIC_WEIGHT times."""
    weights = np.ones(len(vectoriser.vocabulary_), dtype=np.float32)
    weights[list(topic_columns)] = TOPIC_WEIGHT
    rows = vectoriser.transform(list(tokens)) @ sparse.diags(weights)
    return preprocessing.normalize(rows.tocsr()).astype(np.float32)


def join_codebook(
    space: Space,
    free: Sequence[int],
    kinds: Sequence[str],
    exemplars: Sequence[tuple[np.ndarray, sparse.csr_matrix]],
    theme_kinds: Sequence[str],
) -> dict[int, int]:
    """Return answer index -> codebook theme index for answers close enough to a theme."""
    if not free or not exemplars:
        return {}
    cd = np.vstack([_unit(d.mean(axis=0)) for d, _ in exemplars])
    cl = np.vstack([_unit(np.asarray(lex.mean(axis=0)).ravel()) for _, lex in exemplars])
    to_centroid = space.similarity(free, cd, cl, JOIN_LEXICAL_WEIGHT)
    nearest = np.full_like(to_centroid, -1.0)
    for k, (d, lex) in enumerate(exemplars):
        sims = space.similarity(free, d, lex.toarray(), JOIN_LEXICAL_WEIGHT)
        nearest[:, k] = sims.max(axis=1)
    score = np.maximum(to_centroid / JOIN_SIMILARITY, nearest / EXEMPLAR_SIMILARITY)
    # Meaning alone joins only when very close: otherwise the answer must also share a
    # word with the theme's examples (the static vectors rate most pairs of feedback
    # sentences 0.5-0.7 alike, so "information sharing improved" came close to
    # "easy to download").
    shared = np.asarray(space.lexical[list(free)] @ cl.T) > JOIN_LEXICAL_EVIDENCE
    close = (
        np.column_stack([(space.dense[list(free)] @ d.T).max(axis=1) for d, _ in exemplars])
        >= MEANING_ONLY_SIMILARITY
    )
    score = np.where(shared | close, score, 0.0)
    out: dict[int, int] = {}
    for r, idx in enumerate(free):
        candidate = np.where([tk == kinds[idx] for tk in theme_kinds], score[r], -1.0)
        best = int(np.argmax(candidate))
        if candidate[best] >= 1.0:
            out[idx] = best
    return out


def _distances(space: Space, rows: list[int]) -> np.ndarray:
    """Return the symmetric matrix of combined cosine distances between some rows."""
    d = space.dense[rows]
    lex = space.lexical[rows]
    sim = (1 - LEXICAL_WEIGHT) * (d @ d.T) + LEXICAL_WEIGHT * np.asarray((lex @ lex.T).todense())
    dist = np.clip(1.0 - sim.astype(np.float64), 0.0, None)
    np.fill_diagonal(dist, 0.0)
    return (dist + dist.T) / 2


def _tree(dist: np.ndarray) -> np.ndarray:
    """Return the average-linkage tree over a matrix of `_distances`."""
    return hierarchy.linkage(distance.squareform(dist, checks=False), method="average")


def _most_distinct_cut(dist: np.ndarray, tree: np.ndarray) -> float:
    """Return the cut, from CLUSTER_DISTANCE to SMALL_SIDE_MAX_CUT, of highest silhouette.

    Candidate cuts are the tree's own merge heights; an answer alone scores 0.
    """
    heights = [h + 1e-6 for h in sorted(set(tree[:, 2].tolist()))]
    best, chosen = -1.0, CLUSTER_DISTANCE
    for cut in [CLUSTER_DISTANCE] + [
        h for h in heights if CLUSTER_DISTANCE < h <= SMALL_SIDE_MAX_CUT
    ]:
        labels = hierarchy.fcluster(tree, t=cut, criterion="distance")
        if not 1 < len(set(labels)) < len(dist):
            continue
        score = float(metrics.silhouette_score(dist, labels, metric="precomputed"))
        if score > best + 1e-9:
            best, chosen = score, cut
    return chosen


def cluster(space: Space, members: list[int], ids: Sequence[str]) -> list[list[int]]:
    """Cluster one kind's answers; return groups of indices, leftovers last (maybe empty).

    The tree is cut at CLUSTER_DISTANCE, or on a small side where its groups are most
    distinct (and higher while it has more groups than ``max_themes``); only the largest
    ``max_themes`` groups of at least ``min_size`` are kept. (On a large side, raising the
    cut until few groups remain, or pulling every answer to its nearest centroid, lets one
    vague group swallow half of it.) Sampled answers stay in their own group; the others,
    and those of dropped groups, go to the nearest kept group when near enough, else to
    Other.
    """
    if len(members) == 1:
        return [members, []]
    chosen = sample(members, list(ids), SAMPLE_SIZE)
    dist = _distances(space, chosen)
    tree = _tree(dist)
    smallest, most = min_size(len(members)), max_themes(len(members))
    small = is_small_side(len(members))
    cut = _most_distinct_cut(dist, tree) if small else CLUSTER_DISTANCE
    while True:
        found: dict[int, list[int]] = {}
        for idx, lab in zip(
            chosen, hierarchy.fcluster(tree, t=cut, criterion="distance"), strict=True
        ):
            found.setdefault(int(lab), []).append(idx)
        ranked = sorted(found.values(), key=lambda g: (-len(g), min(ids[i] for i in g)))
        kept = [g for g in ranked if len(g) >= smallest]
        # Only a small side may cut higher to fit its few themes: there a group of
        # four loosely related answers reads better than four singletons.
        if len(kept) <= most or not small or cut >= 2.0:
            break
        cut += 0.02
    kept = kept[:most]
    taken = {i for g in kept for i in g}
    rest = [i for i in members if i not in taken]
    if len(rest) > max(2, len(members) // 10) and len(kept) < most:
        # A large Other hides topics too small for the first cut: leftovers that roughly
        # agree become themes of their own while the side has room (on a small side, even
        # one answer: twelve answers about eight things read better as eight themes).
        least = 1 if small else 2
        # Pairwise over a sample only, like the first cut: the rest join by `assign`.
        extra = _pairs(space, sample(rest, list(ids), SAMPLE_SIZE), cut + LEFTOVER_SLACK)
        kept += [g for g in extra if len(g) >= least][: most - len(kept)]
    kept.sort(key=lambda g: min(ids[i] for i in g))
    if small:
        kept = _merge_same_topic(space, kept, ids)
    *groups, other = assign(space, members, kept)
    if small:
        groups, other = _drop_strays(space, groups, other)
    split = _split_loose(space, groups, len(members), cut)
    if len(split) == len(groups):
        return [*groups, other]
    split = sorted(split[:most], key=lambda g: min(ids[i] for i in g))
    placed = {i for g in split for i in g}
    loose = [i for g in groups for i in g if i not in placed]
    *regrouped, rest = assign(space, loose + [i for g in split for i in g], split, SPLIT_SLACK)
    return [*regrouped, sorted(rest + other)]


def _drop_strays(
    space: Space, groups: list[list[int]], other: list[int]
) -> tuple[list[list[int]], list[int]]:
    """Send a small side's answers that are far from the rest of their group to Other.

    Twelve answers about eight things leave some alone; a cut high enough to pair the
    rest also hangs them on a group ("Parking at the venue" under "Presentations"), and
    a theme's count and quotes then overstate it. A member whose mean distance to its
    group's other members is above STRAY_DISTANCE leaves; a group left with one goes too.
    An answer that was a theme alone stays one.
    """
    kept, rest = [], list(other)
    for group in groups:
        if len(group) == 1:
            kept.append(group)
            continue
        far = _distances(space, group).sum(axis=1) / (len(group) - 1)
        stay = [i for i, d in zip(group, far, strict=True) if d <= STRAY_DISTANCE]
        stay = stay if len(stay) >= 2 else []
        kept += [stay] if stay else []
        rest += [i for i in group if i not in stay]
    return kept, sorted(rest)


def _topic_use(space: Space, group: Sequence[int]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Return the domain topic forms, how many of a group's answers use each, and each
    form's TF-IDF weight summed over the group."""
    columns = space.topic_columns
    block = space.lexical[list(group)][:, list(columns)]
    return list(columns.values()), (block > 0).sum(axis=0).A1, block.sum(axis=0).A1


def _topics(space: Space, group: Sequence[int]) -> set[str]:
    """Return the domain topic forms most used among a group's answers, by over half of them."""
    forms, used, _ = _topic_use(space, group)
    if not forms or 2 * int(used.max()) <= len(group):
        return set()
    return {form for form, count in zip(forms, used, strict=True) if count == used.max()}


def shared_topic(space: Space, group: Sequence[int]) -> str | None:
    """Return the domain topic form every answer in a group uses, or None.

    When several are, the one with the larger TF-IDF weight in the group wins.
    """
    if not group:
        return None
    forms, used, weight = _topic_use(space, group)
    everywhere = np.flatnonzero(used == len(group))
    if not len(everywhere):
        return None
    return forms[int(max(everywhere, key=lambda j: (weight[j], -j)))]


def _merge_same_topic(space: Space, groups: list[list[int]], ids: Sequence[str]) -> list[list[int]]:
    """Merge a small side's groups whose answers mostly share one domain topic.

    A cut that suits twenty answers can still leave "Adverts in the local paper",
    "Publicity" and "Advertising" apart; one theme per topic reads better.
    """
    out: list[tuple[set[str], list[int]]] = []
    for group in groups:
        topics = _topics(space, group)
        into = next((o for o in out if o[0] & topics), None)
        if into is None:
            out.append((topics, list(group)))
        else:
            into[0].update(topics)
            into[1].extend(group)
    return sorted((sorted(g) for _, g in out), key=lambda g: min(ids[i] for i in g))


def coherence(space: Space, group: Sequence[int]) -> np.ndarray:
    """Return each member's combined similarity to its group's centroid."""
    dense, lexical = space.centroid(group)
    return space.similarity(list(group), dense[None, :], lexical[None, :]).ravel()


def _split_loose(space: Space, kept: list[list[int]], n: int, cut: float) -> list[list[int]]:
    """Split any large group whose members are not close to its centre; biggest first.

    A vague group of short generic answers ("Good", "Thank you", "Excellent care") can
    hold a fifth of a side while its members agree on little; it is cut again lower, and
    its parts too small to stand alone go to the leftovers.
    """
    smallest = min_size(n)
    out: list[list[int]] = []
    todo = [(g, cut) for g in kept]
    while todo:
        group, at = todo.pop()
        loose = float(coherence(space, group).mean()) < COHERENCE
        if len(group) < max(2 * smallest, LOOSE_SHARE * n) or not loose or at <= SPLIT_FLOOR:
            out.append(group)
            continue
        parts = _pairs(space, group, at - SPLIT_STEP)
        todo += [(p, at - SPLIT_STEP) for p in parts if len(p) >= smallest]
    return sorted(out, key=lambda g: (-len(g), min(g)))


def assign(
    space: Space, members: list[int], kept: list[list[int]], slack: float | None = None
) -> list[list[int]]:
    """Keep kept groups whole; send every other member to its nearest group, or to Other.

    With a slack, an answer joins a group only when it is about as close to the centre as
    the group's own loosest members (their tenth percentile, less the slack).
    """
    if not kept:
        return [[], list(members)]
    placed = {i: g for g, group in enumerate(kept) for i in group}
    groups: list[list[int]] = [list(g) for g in kept] + [[]]
    rest = [i for i in members if i not in placed]
    if rest:
        centres = [space.centroid(g) for g in kept]
        dense = np.vstack([c[0] for c in centres])
        sims = space.similarity(rest, dense, np.vstack([c[1] for c in centres]))
        floors = [
            ASSIGN_SIMILARITY
            if slack is None
            else max(ASSIGN_SIMILARITY, float(np.percentile(coherence(space, g), 10)) - slack)
            for g in kept
        ]
        best = sims.argmax(axis=1)
        for row, idx in enumerate(rest):
            b = int(best[row])
            groups[b if sims[row, b] >= floors[b] else -1].append(idx)
    for group in groups:
        group.sort()
    return groups


def _pairs(space: Space, rest: list[int], cut: float) -> list[list[int]]:
    """Cluster leftover answers among themselves at the same cut; largest groups first."""
    if len(rest) < 2:
        return []
    tree = _tree(_distances(space, rest))
    groups: dict[int, list[int]] = {}
    for idx, lab in zip(rest, hierarchy.fcluster(tree, t=cut, criterion="distance"), strict=True):
        groups.setdefault(int(lab), []).append(idx)
    return sorted(groups.values(), key=lambda g: (-len(g), min(g)))
