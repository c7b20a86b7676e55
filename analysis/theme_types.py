"""The plain data of theme analysis: answers in, codebook themes, themes out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ThemeInput:
    """One free-text answer to group; label is its sentiment label if already known.

    vector: its stored sentence vector, if any (computed here when missing).
    """

    id: str
    text: str
    kind: str | None = None
    sector: str | None = None
    label: str | None = None
    vector: Any | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class KnownTheme:
    """A codebook theme from earlier rounds; exemplars are representative texts or phrases."""

    key: str
    label: str
    kind: str
    exemplars: tuple[str, ...] = ()


@dataclass(frozen=True)
class Theme:
    """A group of answers about one topic, with quotes, sentiment and sector counts."""

    key: str
    label: str
    kind: str
    answer_ids: tuple[str, ...]
    count: int
    share: float
    quotes: tuple[str, ...]
    sentiment: Mapping[str, int]
    sectors: Mapping[str, int]
    terms: tuple[str, ...]
    is_new: bool


@dataclass(frozen=True)
class ThemeAnalysis:
    """Themes, each answer's sentiment label, and how many answers per kind said nothing."""

    themes: tuple[Theme, ...]
    labels: Mapping[str, str]
    non_answers: Mapping[str, int]
    non_answer_ids: frozenset[str]


@dataclass
class PreparedAnswer:
    """An answer ready to group: its kind, sentiment label, lexical tokens, non-answer flag."""

    inp: ThemeInput
    kind: str
    label: str
    tokens: list[str]
    non_answer: bool


@dataclass
class Group:
    """Answers that go together, and what the group is: codebook, pinned, leftovers or new."""

    members: list[int]
    key: str | None = None
    known: KnownTheme | None = None
    leftover: bool = False
    kind: str = "other"
    # Grouped on a small side (`grouping.SMALL_SIDE`), where groups sharing a topic merge.
    small_side: bool = False
