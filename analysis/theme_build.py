"""Turning grouped answers into themes: labels, keys, quotes, terms, sentiment and sectors.

Grouping (``analysis.grouping``) decides which answers go together; this module names
each group (``analysis.labels``), checks its quotes against its label, and merges groups
that would show the same label on one side.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from types import MappingProxyType

from analysis import grouping
from analysis._lazy import lazy
from analysis._textfeatures import TOPIC_FORMS, content_words, features, hash_key
from analysis.labels import (
    OTHER_LABEL,
    THANKS_LABEL,
    PhraseStats,
    check_quotes,
    coverage,
    generic_label,
    is_thanks_for_asking,
    same_topic_key,
    topic_label,
)
from analysis.redact import redact
from analysis.sentiment import KINDS
from analysis.theme_types import Group, KnownTheme, PreparedAnswer, Theme

np = lazy("numpy")

QUOTES = 3
TERMS = 5
_LABEL_SAMPLE = 300
# On a small side, a topic all members share names the group unless a phrase that names a
# topic itself fits this share of its answers.
TOPIC_LABEL_FIT = 0.5
# A label held whole in another folds its theme into that one only when this long: a bare
# head word ("Card" in "Card payment") names a different topic too often.
NESTED_LABEL_WORDS = 2


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:40] or "theme"


class ThemeBuilder:
    """Turn groups of answer indices into Theme objects."""

    def __init__(self, prepared: list[PreparedAnswer], space: grouping.Space) -> None:
        self.prepared = prepared
        self.space = space
        self.names = space.vectoriser.get_feature_names_out()
        self.total = len(prepared)
        self.stats = PhraseStats([a.inp.text for a in prepared], [a.inp.id for a in prepared])
        self.used: set[str] = set()

    def label(self, group: Group) -> str:
        """Return a group's label: its codebook name, Other, or a phrase its members use."""
        if group.known is not None:
            return group.known.label
        if group.leftover:
            return OTHER_LABEL
        members = self._sorted(group)
        texts = [self.prepared[i].inp.text for i in _sample_texts(members)]
        if group.kind == "other" and all(is_thanks_for_asking(t) for t in texts):
            return THANKS_LABEL
        topicless = generic_label(group.kind, [self.prepared[i].label for i in members])
        label = self.stats.label(texts, self._terms(members), topicless)
        topic = self._small_side_topic(group, members)
        if topic is not None and not _may_name_topic_group(label, texts):
            return topic_label(texts, topic)
        return label

    def _small_side_topic(self, group: Group, members: list[int]) -> str | None:
        """Return the domain topic all of a small side's group share (see `grouping`).

        On a small side, groups that share a topic are merged; a phrase from some of their
        answers ("Adverts in the local paper") would then misname the rest.
        """
        if not group.small_side or len(members) < 2:
            return None
        return grouping.shared_topic(self.space, members)

    def build(self, group: Group, label: str) -> Theme:
        members = self._sorted(group)
        terms = self._terms(members)
        key = self._key(group, label, terms, members)
        answers = [self.prepared[i] for i in members]
        sentiment = Counter({"positive": 0, "neutral": 0, "negative": 0})
        sentiment.update(a.label for a in answers)
        sectors = Counter(a.inp.sector for a in answers if a.inp.sector)
        return Theme(
            key=key,
            label=label,
            kind=self._kind(group, answers),
            answer_ids=tuple(a.inp.id for a in answers),
            count=len(members),
            share=round(len(members) / self.total, 4),
            quotes=check_quotes(label, self._representative(members), QUOTES),
            sentiment=MappingProxyType(dict(sentiment)),
            sectors=MappingProxyType(dict(sorted(sectors.items()))),
            terms=terms,
            is_new=group.known is None,
        )

    def _sorted(self, group: Group) -> list[int]:
        return sorted(group.members, key=lambda i: self.prepared[i].inp.id)

    def _terms(self, members: list[int]) -> tuple[str, ...]:
        centroid = np.asarray(self.space.lexical[members].mean(axis=0)).ravel()
        order = sorted(np.flatnonzero(centroid), key=lambda j: (-float(centroid[j]), self.names[j]))
        return tuple(str(self.names[j]) for j in order[:TERMS])

    def _key(self, group: Group, label: str, terms: tuple[str, ...], members: list[int]) -> str:
        if group.known is not None:
            key = group.known.key
        elif group.key is not None:
            key = group.key
        else:
            key = f"{_slug(redact(label))}-{hash_key(group.kind + '|' + '|'.join(terms))[:6]}"
            if key in self.used:
                ids = "|".join(self.prepared[i].inp.id for i in members)
                key = f"{key}-{hash_key(ids)[:6]}"
        self.used.add(key)
        return key

    def _kind(self, group: Group, answers: list[PreparedAnswer]) -> str:
        counts = Counter(a.kind for a in answers)
        preferred = group.known.kind if group.known is not None else group.kind
        return max(KINDS, key=lambda k: (counts[k], k == preferred, -KINDS.index(k)))

    def _representative(self, members: list[int]) -> list[str]:
        """Return member texts nearest the group's centre first."""
        dense, lexical = self.space.centroid(members)
        sims = self.space.similarity(members, dense[None, :], lexical[None, :]).ravel()
        order = sorted(range(len(members)), key=lambda r: (-round(float(sims[r]), 5), r))
        return [self.prepared[members[r]].inp.text for r in order]


def _may_name_topic_group(label: str, texts: list[str]) -> bool:
    """Say whether a phrase, not the topic its members share, may name a small side's group.

    It must fit at least TOPIC_LABEL_FIT of the answers and name a domain topic itself:
    "Stage" fits "we always knew what stage we were at" and "kept informed at every
    stage", but both are about being kept informed, which "Communication" names.
    """
    names_domain_topic = not TOPIC_FORMS.isdisjoint(features(content_words(label)))
    return names_domain_topic and coverage(label, texts) >= TOPIC_LABEL_FIT


def _sample_texts(members: list[int]) -> list[int]:
    return members if len(members) <= _LABEL_SAMPLE else members[:: len(members) // _LABEL_SAMPLE]


def name_groups(
    groups: list[Group], builder: ThemeBuilder, codebook: Sequence[KnownTheme]
) -> list[tuple[Group, str]]:
    """Name every group so that no side shows one label twice or one label inside another.

    Groups named alike merge (codebook identity wins); then, on a small side, a new theme
    whose label sits whole in another's folds into it, and the merged group, named again,
    may in turn match a third.
    """
    named = _merge_same_labels(groups, [builder.label(g) for g in groups], codebook)
    named = _fold_nested_labels(named, builder)
    return _merge_same_labels([g for g, _ in named], [label for _, label in named], codebook)


def _merge_same_labels(
    groups: list[Group], labels: list[str], codebook: Sequence[KnownTheme]
) -> list[tuple[Group, str]]:
    """Merge groups that would show the same label on one side; codebook identity wins.

    A new group also joins a theme whose label names the same topical words in other forms
    or order (`same_topic_key`: "Currency exchange" and "Exchange currencies"); themes an
    officer or an earlier round named stay apart unless their labels are the same.
    """
    known = {(kt.kind, kt.label.casefold()): kt for kt in codebook}
    known_topics = {(kt.kind, same_topic_key(kt.label)): kt for kt in codebook}
    merged: dict[tuple[str, str], tuple[Group, str]] = {}
    slot_of_topic: dict[tuple[str, str], tuple[str, str]] = {}
    for group, label in zip(groups, labels, strict=True):
        fresh = group.known is None and group.key is None and not group.leftover
        topic = (group.kind, same_topic_key(label))
        if group.known is None and not group.leftover:
            kt = known.get((group.kind, label.casefold()))
            kt = kt or (known_topics.get(topic) if fresh else None)
            if kt is not None:
                group.known, group.key, label, fresh = kt, kt.key, kt.label, False
        slot = (group.kind, label.casefold())
        if fresh:
            slot = slot_of_topic.get(topic, slot)
        if not group.leftover:
            slot_of_topic.setdefault(topic, slot)
        if slot not in merged:
            merged[slot] = (group, label)
            continue
        keep, keep_label = merged[slot]
        if keep.known is None and keep.key is None and (group.known or group.key):
            keep, group, keep_label = group, keep, label
        keep.members = keep.members + group.members
        merged[slot] = (keep, keep_label)
    return list(merged.values())


def _is_new_small(group: Group) -> bool:
    return group.small_side and group.known is None and group.key is None and not group.leftover


def _holds(host: tuple[Group, str], group: Group, label: str) -> bool:
    """Say whether a host theme's label holds another's whole, both new on one small side."""
    host_group, host_label = host
    inner, outer = label.casefold(), host_label.casefold()
    return (
        _is_new_small(group)
        and _is_new_small(host_group)
        and host_group.kind == group.kind
        and len(inner.split()) >= NESTED_LABEL_WORDS
        and inner != outer
        and f" {inner} " in f" {outer} "
    )


def _fold_nested_labels(
    named: list[tuple[Group, str]], builder: ThemeBuilder
) -> list[tuple[Group, str]]:
    """On a small side, fold a new theme into one whose label holds its label whole.

    "Lead agency" beside "Information about the lead agency role" splits one topic in two;
    the merged group is named again from all its answers.
    """
    hosts: list[tuple[Group, str]] = []
    grown: set[int] = set()
    for group, label in sorted(named, key=lambda gl: (-len(gl[1]), gl[1])):
        host = next((h for h in hosts if _holds(h, group, label)), None)
        if host is None:
            hosts.append((group, label))
        else:
            host[0].members = host[0].members + group.members
            grown.add(id(host[0]))
    kept = {id(g) for g, _ in hosts}
    return [
        (g, builder.label(g) if id(g) in grown else label) for g, label in named if id(g) in kept
    ]
