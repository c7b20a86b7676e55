"""Lessons-learned summary of a round, built from plain data (no database, no web).

``surveys`` builds the input dataclasses from the database and calls ``build_summary``;
pages, the API, the CLI and the bot render the result with ``summary_to_dict`` or
``summary_to_markdown``. Quotes are redacted and small groups are suppressed here, once,
so no face can forget to.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from analysis.redact import redact
from analysis.sentiment import TAGGER_VERSION
from analysis.themes import KnownTheme, Theme, ThemeInput, group_and_label, split_by_kind

LABELS = ("positive", "neutral", "negative")
RESOLVED_RATIO = 0.5


@dataclass(frozen=True)
class RoundInfo:
    """The round being summarised: its slug and display name (e.g. "Phase 2")."""

    slug: str
    name: str


@dataclass(frozen=True)
class MethodologyCounts:
    """How feedback was gathered.

    invited_by_sector / invited_by_channel: organisations contacted, keyed by sector name
    and by channel ("web", "telephone", "slack", "import"). responded_by_sector /
    responded_by_channel: organisations that answered. completed: completed questionnaires;
    telephone: responses taken by telephone; partners_consulted: partners asked separately.
    """

    invited_by_sector: Mapping[str, int]
    invited_by_channel: Mapping[str, int]
    responded_by_sector: Mapping[str, int]
    responded_by_channel: Mapping[str, int]
    completed: int
    telephone: int = 0
    partners_consulted: int = 0


@dataclass(frozen=True)
class FreeTextAnswer:
    """One free-text answer.

    kind: "went_well" | "improve" | "other" | None (None: placed by its own content);
    label: stored sentiment label or None (tagged here); respondent_id: the responding
    organisation, used to count respondents for small-group suppression.
    """

    id: str
    text: str
    kind: str | None
    sector: str | None
    channel: str | None
    label: str | None
    respondent_id: str


@dataclass(frozen=True)
class RatingAnswer:
    """Counts for one rating question: points in order (worst to best) and answers per point.

    counts: point label -> number of answers; counts_by_sector: sector -> the same.
    Point i (0-based) scores i + 1 for the mean.
    """

    question_id: str
    question_text: str
    points: tuple[str, ...]
    counts: Mapping[str, int]
    counts_by_sector: Mapping[str, Mapping[str, int]] = dataclasses.field(
        default_factory=lambda: MappingProxyType({})
    )


@dataclass(frozen=True)
class Lesson:
    """A "you said, we did" entry: theme, lesson, actions done, "has this improved" counts."""

    theme_label: str
    lesson: str
    actions: tuple[str, ...] = ()
    improved: Mapping[str, int] = dataclasses.field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class MethodologySummary:
    """Methodology with response rates; a rate is None where suppressed (fewer than k)."""

    invited: int
    responded: int
    completed: int
    telephone: int
    partners_consulted: int
    response_rate: float | None
    invited_by_sector: Mapping[str, int]
    response_rate_by_sector: Mapping[str, float | None]
    invited_by_channel: Mapping[str, int]
    response_rate_by_channel: Mapping[str, float | None]


@dataclass(frozen=True)
class RatingSummary:
    """One rating question: answers per point, mean score (1 = first point) and by sector."""

    question_id: str
    question_text: str
    points: tuple[str, ...]
    counts: Mapping[str, int]
    answers: int
    mean: float | None
    by_sector: Mapping[str, Mapping[str, int] | None]


@dataclass(frozen=True)
class SectorSentiment:
    """Sentiment counts of one sector's answers; counts is None when suppressed."""

    sector: str
    respondents: int
    suppressed: bool
    counts: Mapping[str, int] | None


@dataclass(frozen=True)
class ThemeChange:
    """A theme compared across rounds, by key."""

    key: str
    label: str
    previous_count: int
    count: int


@dataclass(frozen=True)
class Comparison:
    """How this round compares with the previous one."""

    previous_slug: str
    previous_name: str
    recurring: tuple[ThemeChange, ...]
    resolved: tuple[ThemeChange, ...]
    new: tuple[ThemeChange, ...]
    rating_shifts: Mapping[str, float]
    response_rate_change: float | None


@dataclass(frozen=True)
class RoundSummary:
    """The lessons-learned summary of a round."""

    round: RoundInfo
    methodology: MethodologySummary
    went_well: tuple[Theme, ...]
    to_improve: tuple[Theme, ...]
    other: tuple[Theme, ...]
    ratings: tuple[RatingSummary, ...]
    sentiment_by_sector: tuple[SectorSentiment, ...]
    comparison: Comparison | None
    lessons: tuple[Lesson, ...]
    k: int
    tagger_version: str


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


def _rate(responded: int, invited: int, k: int) -> float | None:
    """Return responded/invited, or None when fewer than k responded (or none invited)."""
    if invited <= 0 or responded < k:
        return None
    return round(responded / invited, 4)


def _methodology(m: MethodologyCounts, k: int) -> MethodologySummary:
    invited = sum(m.invited_by_sector.values()) or sum(m.invited_by_channel.values())
    responded = sum(m.responded_by_sector.values()) or sum(m.responded_by_channel.values())
    return MethodologySummary(
        invited=invited,
        responded=responded,
        completed=m.completed,
        telephone=m.telephone,
        partners_consulted=m.partners_consulted,
        response_rate=round(responded / invited, 4) if invited else None,
        invited_by_sector=_frozen(dict(sorted(m.invited_by_sector.items()))),
        response_rate_by_sector=_frozen(
            {
                s: _rate(m.responded_by_sector.get(s, 0), n, k)
                for s, n in sorted(m.invited_by_sector.items())
            }
        ),
        invited_by_channel=_frozen(dict(sorted(m.invited_by_channel.items()))),
        response_rate_by_channel=_frozen(
            {
                c: _rate(m.responded_by_channel.get(c, 0), n, k)
                for c, n in sorted(m.invited_by_channel.items())
            }
        ),
    )


def _rating(r: RatingAnswer, k: int) -> RatingSummary:
    counts = {p: int(r.counts.get(p, 0)) for p in r.points}
    answers = sum(counts.values())
    total = sum((i + 1) * counts[p] for i, p in enumerate(r.points))
    by_sector: dict[str, Mapping[str, int] | None] = {}
    for sector, sc in sorted(r.counts_by_sector.items()):
        n = sum(sc.values())
        by_sector[sector] = _frozen({p: int(sc.get(p, 0)) for p in r.points}) if n >= k else None
    return RatingSummary(
        question_id=r.question_id,
        question_text=r.question_text,
        points=tuple(r.points),
        counts=_frozen(counts),
        answers=answers,
        mean=round(total / answers, 3) if answers else None,
        by_sector=_frozen(by_sector),
    )


def _sector_sentiment(
    answers: Sequence[FreeTextAnswer], labels: Mapping[str, str], k: int
) -> tuple[SectorSentiment, ...]:
    respondents: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for a in answers:
        sector = a.sector or "Not known"
        respondents[sector].add(a.respondent_id)
        counts[sector][labels[a.id]] += 1
    out = []
    for sector in sorted(respondents):
        n = len(respondents[sector])
        suppressed = n < k
        shown = None if suppressed else _frozen({lab: counts[sector][lab] for lab in LABELS})
        out.append(SectorSentiment(sector, n, suppressed, shown))
    return tuple(out)


def _safe_theme(theme: Theme, names: Sequence[str], k: int) -> Theme:
    """Redact a theme's quotes and label and drop sector counts below k."""
    return dataclasses.replace(
        theme,
        label=redact(theme.label, names),
        quotes=tuple(redact(q, names) for q in theme.quotes),
        sectors=_frozen({s: n for s, n in theme.sectors.items() if n >= k}),
    )


def _themes_by_key(s: RoundSummary) -> dict[str, Theme]:
    return {t.key: t for t in (*s.went_well, *s.to_improve, *s.other)}


def _compare(
    current: dict[str, Theme],
    ratings: Sequence[RatingSummary],
    rate: float | None,
    previous: RoundSummary,
) -> Comparison:
    """Compare themes (by key), rating means and response rate with the previous round."""
    before = _themes_by_key(previous)

    def change(key: str) -> ThemeChange:
        theme = current.get(key) or before[key]
        old = before[key].count if key in before else 0
        return ThemeChange(key, theme.label, old, current[key].count if key in current else 0)

    improve_before = {t.key for t in previous.to_improve}
    resolved = sorted(
        key
        for key in improve_before
        if key not in current or current[key].share <= before[key].share * RESOLVED_RATIO
    )
    recurring = sorted(k for k in current if k in before and k not in resolved)
    new = sorted(k for k in current if k not in before)
    prev_means = {r.question_id: r.mean for r in previous.ratings}
    shifts = {
        r.question_id: round(r.mean - prev_means[r.question_id], 3)
        for r in ratings
        if r.mean is not None and prev_means.get(r.question_id) is not None
    }
    prev_rate = previous.methodology.response_rate
    return Comparison(
        previous_slug=previous.round.slug,
        previous_name=previous.round.name,
        recurring=tuple(change(k) for k in recurring),
        resolved=tuple(change(k) for k in resolved),
        new=tuple(change(k) for k in new),
        rating_shifts=_frozen(shifts),
        response_rate_change=(
            round(rate - prev_rate, 4) if rate is not None and prev_rate is not None else None
        ),
    )


def build_summary(
    round_info: RoundInfo,
    methodology: MethodologyCounts,
    answers: Sequence[FreeTextAnswer],
    ratings: Sequence[RatingAnswer] = (),
    *,
    codebook: Sequence[KnownTheme] = (),
    pinned: Mapping[str, str] | None = None,
    names: Sequence[str] = (),
    k: int = 3,
    previous: RoundSummary | None = None,
    lessons: Sequence[Lesson] = (),
) -> RoundSummary:
    """Build a round's lessons-learned summary with redacted quotes and small groups hidden."""
    inputs = [ThemeInput(a.id, a.text, a.kind, a.sector, a.label) for a in answers]
    grouped_themes, labels = group_and_label(inputs, codebook, pinned)
    themes = [_safe_theme(t, names, k) for t in grouped_themes]
    grouped = split_by_kind(themes)
    method = _methodology(methodology, k)
    rating_summaries = tuple(_rating(r, k) for r in ratings)
    comparison = None
    if previous is not None:
        comparison = _compare(
            {t.key: t for t in themes},
            rating_summaries,
            method.response_rate,
            previous,
        )
    return RoundSummary(
        round=round_info,
        methodology=method,
        went_well=tuple(grouped["went_well"]),
        to_improve=tuple(grouped["improve"]),
        other=tuple(grouped["other"]),
        ratings=rating_summaries,
        sentiment_by_sector=_sector_sentiment(answers, labels, k),
        comparison=comparison,
        lessons=tuple(lessons),
        k=k,
        tagger_version=TAGGER_VERSION,
    )


def _plain(value: Any) -> Any:
    """Convert dataclasses and mappings to JSON-ready values, keeping field order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def summary_to_dict(s: RoundSummary) -> dict[str, Any]:
    """Return the summary as JSON-ready data with a stable key order."""
    return _plain(s)


_MD_INLINE = re.compile(r"([\\`*_\[\]{}|~])")
_MD_LEADING = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])")


def escape_markdown(text: str) -> str:
    """Escape respondent text for Markdown: no HTML, no active markup, one line."""
    one_line = " ".join(text.split())
    escaped = html.escape(one_line, quote=False)
    escaped = _MD_INLINE.sub(r"\\\1", escaped)
    return _MD_LEADING.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def _pct(value: float | None) -> str:
    return "suppressed" if value is None else f"{value * 100:.0f}%"


def _md_methodology(m: MethodologySummary, k: int) -> list[str]:
    lines = [
        "## Methodology",
        "",
        f"- Organisations contacted for feedback: {m.invited}",
        f"- Responses: {m.responded} (response rate {_pct(m.response_rate)})",
        f"- Completed questionnaires: {m.completed}",
        f"- Telephone responses: {m.telephone}",
    ]
    if m.partners_consulted:
        lines.append(f"- Partners consulted: {m.partners_consulted}")
    for title, invited, rates in (
        ("Sector", m.invited_by_sector, m.response_rate_by_sector),
        ("Channel", m.invited_by_channel, m.response_rate_by_channel),
    ):
        if invited:
            lines += ["", f"| {title} | Contacted | Response rate |", "|---|---:|---:|"]
            lines += [
                f"| {escape_markdown(n)} | {c} | {_pct(rates.get(n))} |" for n, c in invited.items()
            ]
    lines += ["", f"Rates for groups with fewer than {k} respondents are suppressed."]
    return lines


def _md_themes(title: str, themes: Sequence[Theme]) -> list[str]:
    lines = [f"## {title}", ""]
    if not themes:
        return lines + ["No answers in this section."]
    for t in themes:
        answers = "answer" if t.count == 1 else "answers"
        lines += [f"### {escape_markdown(t.label)} ({t.count} {answers})", ""]
        lines += [f"> {escape_markdown(q)}" + "\n" for q in t.quotes]
    return lines


def _md_ratings(ratings: Sequence[RatingSummary]) -> list[str]:
    lines = ["## Ratings", ""]
    if not ratings:
        return lines + ["No rating questions in this round."]
    for r in ratings:
        mean = "no answers" if r.mean is None else f"mean {r.mean:.2f} of {len(r.points)}"
        lines += [
            f"### {escape_markdown(r.question_text)}",
            "",
            f"{r.answers} answers, {mean}.",
            "",
            "| Answer | Count |",
            "|---|---:|",
        ]
        lines += [f"| {escape_markdown(p)} | {r.counts[p]} |" for p in r.points]
        lines.append("")
    return lines


def _md_sectors(rows: Sequence[SectorSentiment], k: int) -> list[str]:
    lines = [
        "## Sentiment by sector",
        "",
        "| Sector | Respondents | Positive | Neutral | Negative |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r.counts is None:
            lines.append(f"| {escape_markdown(r.sector)} | fewer than {k} | - | - | - |")
        else:
            c = r.counts
            lines.append(
                f"| {escape_markdown(r.sector)} | {r.respondents} | {c['positive']} | "
                f"{c['neutral']} | {c['negative']} |"
            )
    return lines + ["", f"Sectors with fewer than {k} respondents are not broken down."]


def _md_comparison(c: Comparison) -> list[str]:
    lines = [f"## Compared with {escape_markdown(c.previous_name)}", ""]
    for title, items in (("Recurring", c.recurring), ("Resolved", c.resolved), ("New", c.new)):
        shown = ", ".join(
            f"{escape_markdown(t.label)} ({t.previous_count} → {t.count})" for t in items
        )
        lines.append(f"- {title}: {shown or 'none'}")
    for qid, delta in c.rating_shifts.items():
        lines.append(f"- Rating {escape_markdown(qid)}: mean changed by {delta:+.2f}")
    if c.response_rate_change is not None:
        lines.append(f"- Response rate changed by {c.response_rate_change * 100:+.0f} points")
    return lines


def _md_lessons(lessons: Sequence[Lesson]) -> list[str]:
    lines = ["## You said, we did", ""]
    for lesson in lessons:
        lines += [
            f"### {escape_markdown(lesson.theme_label)}",
            "",
            f"**You said:** {escape_markdown(lesson.lesson)}",
            "",
        ]
        lines += [f"- We did: {escape_markdown(a)}" for a in lesson.actions]
        if lesson.improved:
            counts = ", ".join(f"{escape_markdown(p)}: {n}" for p, n in lesson.improved.items())
            lines += ["", f"Has this improved? {counts}"]
        lines.append("")
    return lines


def summary_to_markdown(s: RoundSummary) -> str:
    """Render the summary as a lessons-learned page for a steering group."""
    lines = [f"# Lessons learned: {escape_markdown(s.round.name)}", ""]
    lines += _md_methodology(s.methodology, s.k) + [""]
    lines += _md_themes("What we did well", s.went_well) + [""]
    lines += _md_themes("What we could improve", s.to_improve) + [""]
    if s.other:
        lines += _md_themes("Other comments", s.other) + [""]
    lines += _md_ratings(s.ratings) + [""]
    lines += _md_sectors(s.sentiment_by_sector, s.k) + [""]
    if s.comparison is not None:
        lines += _md_comparison(s.comparison) + [""]
    if s.lessons:
        lines += _md_lessons(s.lessons)
    return "\n".join(lines).rstrip() + "\n"
