"""Themes: group free-text answers on meaning, offline and deterministically, keeping codebooks.

How answers become themes:

1. Each answer is placed in a kind ("went_well", "improve", "other"): its question's kind
   when given, otherwise by its own content (positive -> went_well, negative or suggestion
   -> improve, else other).
2. Non-answers ("Nothing", "N/A", "See above": ``analysis.nonanswers``; and, asked what
   could improve, praise that names nothing to change: "Very good") are counted per kind
   and kept out of every theme, unless an officer pinned one somewhere.
3. Pinned answers (officer edits: answer id -> theme key) always go to that theme.
4. Other answers join the codebook theme of their kind they mean the same as, then what is
   left is clustered (``analysis.grouping``: grouping only), and each new theme is named
   (``analysis.labels``) and built with quotes checked against its label
   (``analysis.theme_build``: labelling only).
5. No side shows two themes with one label: a new theme named like a codebook theme joins
   it, and new themes named alike are merged (so "Nice staff" and "Staff were lovely",
   both labelled "Staff", become one theme; "Exchange rates" and "Exchange rate" too).

Determinism: answers are processed in id order and samples are chosen by id hash, so the
same answers give the same themes, keys, labels and order whatever order they arrive in.
New theme keys are the label's slug plus a short hash of the theme's top terms.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType

from analysis import grouping
from analysis._textfeatures import content_words, features
from analysis.labels import OTHER_LABEL
from analysis.nonanswers import is_non_answer
from analysis.sentiment import KINDS, Tag, tag_many
from analysis.theme_build import ThemeBuilder, name_groups
from analysis.theme_types import (
    Group,
    KnownTheme,
    PreparedAnswer,
    Theme,
    ThemeAnalysis,
    ThemeInput,
)

LEFTOVER_SUFFIX = "-other-comments"
PROGRESS_STEP = 500  # answers placed (and tagged in one batch) between progress ticks
# Called with how many more units of work are done: 2 per answer (reading, embedding), 1 to end.
Progress = Callable[[int], None]
__all__ = ["OTHER_LABEL", "KnownTheme", "Theme", "ThemeAnalysis", "ThemeInput"]


def _needs_tag(inp: ThemeInput, non_answer: bool) -> bool:
    return not non_answer and not (inp.kind in KINDS and inp.label is not None)


def _placement(inp: ThemeInput, non_answer: bool, result: Tag | None) -> tuple[str, str]:
    """Return (kind, sentiment label) for an answer, from its tag when it needed one."""
    if non_answer:
        # A non-answer is never negative, whatever its stored tag: asked what could improve,
        # "Don't change a thing" reads to the tagger like a complaint.
        label = inp.label if inp.label in ("positive", "neutral") else "neutral"
        return (inp.kind if inp.kind in KINDS else "other"), label
    if result is None:
        return str(inp.kind), str(inp.label)
    label = inp.label or result.label
    if inp.kind in KINDS:
        return inp.kind, label
    if label == "positive":
        return "went_well", label
    if label == "negative" or result.suggestion:
        return "improve", label
    return "other", label


def _place_all(inputs: Sequence[ThemeInput], empties: Sequence[bool]) -> list[tuple[str, str]]:
    """Place answers, tagging the ones that need it in one batch (the classifier is batched)."""
    todo = [
        i
        for i, (inp, empty) in enumerate(zip(inputs, empties, strict=True))
        if _needs_tag(inp, empty)
    ]
    tags = dict(zip(todo, tag_many((inputs[i].text, inputs[i].kind) for i in todo), strict=True))
    return [
        _placement(inp, empty, tags.get(i))
        for i, (inp, empty) in enumerate(zip(inputs, empties, strict=True))
    ]


def place_by_content(text: str) -> str:
    """Return the kind an answer belongs to from its own content."""
    return _place_all([ThemeInput(id="", text=text)], [False])[0][0]


def _prepare(
    answers: Sequence[ThemeInput], pinned: Mapping[str, str], progress: Progress
) -> list[PreparedAnswer]:
    ordered = sorted(answers, key=lambda a: (a.id, a.text))
    prepared = []
    for start in range(0, len(ordered), PROGRESS_STEP):
        chunk = ordered[start : start + PROGRESS_STEP]
        empties = [inp.id not in pinned and is_non_answer(inp.text, inp.kind) for inp in chunk]
        for inp, empty, (kind, label) in zip(
            chunk, empties, _place_all(chunk, empties), strict=True
        ):
            prepared.append(
                PreparedAnswer(inp, kind, label, features(content_words(inp.text)), empty)
            )
        progress(len(chunk))
    return prepared


def _no_progress(_done: int) -> None:
    """Ignore progress (the default)."""


def _exemplars(kt: KnownTheme) -> tuple[str, ...]:
    return kt.exemplars or (kt.label,)


def _groups(
    prepared: list[PreparedAnswer],
    space: grouping.Space,
    codebook: Sequence[KnownTheme],
    pinned: Mapping[str, str],
) -> list[Group]:
    """Decide which answers go together: pinned, then codebook joins, then new clusters."""
    ids = [a.inp.id for a in prepared]
    known = {kt.key: kt for kt in codebook}
    by_key: dict[str, list[int]] = {}
    for i, a in enumerate(prepared):
        if a.inp.id in pinned:
            by_key.setdefault(pinned[a.inp.id], []).append(i)
    free = [i for i, a in enumerate(prepared) if a.inp.id not in pinned and not a.non_answer]
    exemplars = [
        space.transform(_exemplars(kt), [features(content_words(t)) for t in _exemplars(kt)])
        for kt in codebook
    ]
    kinds = [a.kind for a in prepared]
    joined = grouping.join_codebook(space, free, kinds, exemplars, [kt.kind for kt in codebook])
    for i, k in sorted(joined.items()):
        by_key.setdefault(codebook[k].key, []).append(i)
    groups = [
        Group(members, key=key, known=known.get(key), kind=_majority(prepared, members))
        for key, members in sorted(by_key.items())
    ]
    for kind in KINDS:
        rest = [i for i in free if i not in joined and prepared[i].kind == kind]
        if not rest:
            continue
        clusters = grouping.cluster(space, rest, ids)
        small = grouping.is_small_side(len(rest))
        groups += [Group(g, kind=kind, small_side=small) for g in clusters[:-1] if g]
        if clusters[-1]:
            groups.append(
                Group(clusters[-1], key=f"{kind}{LEFTOVER_SUFFIX}", leftover=True, kind=kind)
            )
    return groups


def _majority(prepared: list[PreparedAnswer], members: list[int]) -> str:
    counts = Counter(prepared[i].kind for i in members)
    return max(KINDS, key=lambda k: (counts[k], -KINDS.index(k)))


def analyse_themes(
    answers: Sequence[ThemeInput],
    codebook: Sequence[KnownTheme] = (),
    pinned: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> ThemeAnalysis:
    """Group answers into themes, count non-answers, and label every answer's sentiment."""
    pinned = pinned or {}
    progress = progress or _no_progress
    if not answers:
        progress(1)
        return ThemeAnalysis((), MappingProxyType({}), MappingProxyType({}), frozenset())
    prepared = _prepare(answers, pinned, progress)
    extra = [features(content_words(t)) for kt in codebook for t in _exemplars(kt)]
    space = grouping.build_space(
        [a.inp.id for a in prepared],
        [a.tokens for a in prepared],
        [a.inp.text for a in prepared],
        [a.inp.vector for a in prepared],
        extra,
    )
    progress(len(prepared))
    groups = _groups(prepared, space, codebook, pinned)
    builder = ThemeBuilder(prepared, space)
    # Codebook and pinned themes claim their keys before new themes are named.
    groups.sort(key=lambda g: (g.key is None, g.key or ""))
    named = name_groups(groups, builder, codebook)
    themes = [builder.build(g, label) for g, label in named]
    themes.sort(key=lambda t: (KINDS.index(t.kind), is_catch_all(t), -t.count, t.key))
    empty = [a for a in prepared if a.non_answer]
    progress(1)
    return ThemeAnalysis(
        themes=tuple(themes),
        labels=MappingProxyType({a.inp.id: a.label for a in prepared}),
        non_answers=MappingProxyType(dict(sorted(Counter(a.kind for a in empty).items()))),
        non_answer_ids=frozenset(a.inp.id for a in empty),
    )


def group_themes(
    answers: Sequence[ThemeInput],
    codebook: Sequence[KnownTheme] = (),
    pinned: Mapping[str, str] | None = None,
) -> list[Theme]:
    """Group answers into themes, joining codebook themes first and honouring pins."""
    return list(analyse_themes(answers, codebook, pinned).themes)


def group_and_label(
    answers: Sequence[ThemeInput],
    codebook: Sequence[KnownTheme] = (),
    pinned: Mapping[str, str] | None = None,
) -> tuple[list[Theme], dict[str, str]]:
    """Group answers into themes and return each answer id's sentiment label too."""
    result = analyse_themes(answers, codebook, pinned)
    return list(result.themes), dict(result.labels)


def is_catch_all(theme: Theme) -> bool:
    """Say whether a theme is an "Other comments" bucket of leftovers rather than a topic."""
    return theme.key.endswith(LEFTOVER_SUFFIX) or theme.label == OTHER_LABEL


def split_by_kind(themes: Iterable[Theme]) -> dict[str, list[Theme]]:
    """Split themes into went_well, improve and other lists, keeping their order."""
    out: dict[str, list[Theme]] = {kind: [] for kind in KINDS}
    for theme in themes:
        out[theme.kind].append(theme)
    return out
