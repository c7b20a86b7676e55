"""Build a round's lessons-learned summary from plain data (no database, no web).

`surveys` turns the database into the input dataclasses and calls `build_summary`; every
output renders the `RoundSummary` it returns (see `analysis.summary_model`). Quotes are
redacted and small groups are suppressed here, once, so no output can forget to.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from analysis.nonanswers import is_non_answer
from analysis.redact import redact
from analysis.sentiment import TAGGER_VERSION
from analysis.summary_findings import key_findings
from analysis.summary_model import (
    COMPARED_SIDES,
    LABELS,
    ChannelCount,
    Comparison,
    FreeTextAnswer,
    Lesson,
    LessonSummary,
    MethodologyCounts,
    MethodologySummary,
    RatingAnswer,
    RatingSummary,
    RoundInfo,
    RoundSummary,
    SectorSentiment,
    SideChanges,
    ThemeChange,
)
from analysis.themes import (
    KnownTheme,
    Theme,
    ThemeInput,
    analyse_themes,
    is_catch_all,
    split_by_kind,
)

RESOLVED_RATIO = 0.5
LESSON_QUOTES = 3
OTHER_SECTORS = "Other sectors"
# How people answered; the same labels as surveys.models.CHANNELS (a test keeps them equal).
CHANNEL_LABELS = {"web": "Web", "telephone": "Telephone", "slack": "Slack", "import": "Import"}


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


def _rate(responded: int, invited: int, k: int) -> float | None:
    """Return responded/invited, or None when fewer than k responded (or none invited)."""
    if invited <= 0 or responded < k:
        return None
    return round(responded / invited, 4)


def channel_label(channel: str) -> str:
    """Return a channel's display label ("telephone" -> "Telephone", "slack" -> "Slack")."""
    return CHANNEL_LABELS.get(channel, channel.replace("_", " ").capitalize())


def _by_channel(completed: Mapping[str, int]) -> tuple[ChannelCount, ...]:
    order = {c: i for i, c in enumerate(CHANNEL_LABELS)}
    channels = sorted(completed, key=lambda c: (order.get(c, len(order)), c))
    return tuple(
        ChannelCount(c, channel_label(c), int(completed[c])) for c in channels if completed[c] > 0
    )


def _responded_by_sector(counts: Mapping[str, int], k: int) -> Mapping[str, int]:
    """Count responding organisations by sector, folding sectors under k into one group."""
    shown = {s: n for s, n in sorted(counts.items()) if n >= k}
    folded = sum(n for s, n in counts.items() if 0 < n < k)
    if folded:
        shown[OTHER_SECTORS] = folded
    return _frozen(shown)


def _methodology(m: MethodologyCounts, k: int) -> MethodologySummary:
    invited = sum(m.invited_by_sector.values()) or sum(m.invited_by_channel.values())
    responded = sum(m.responded_by_sector.values())
    # Imported respondents answered without an invitation: shown by sector, never in a rate.
    everyone = Counter(m.responded_by_sector) + Counter(m.imported_by_sector)
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
        completed_by_channel=_by_channel(m.responded_by_channel),
        responded_by_sector=_responded_by_sector(everyone, k),
        response_days=tuple(sorted(m.response_days)),
        imported=sum(m.imported_by_sector.values()),
        imported_responses=int(m.responded_by_channel.get("import", 0)),
    )


def rate_on_day(m: MethodologySummary, day: int, k: int) -> float | None:
    """Return the response rate a round had reached `day` days after opening (None if unknown)."""
    if not m.response_days:
        return None
    return _rate(sum(1 for d in m.response_days if d <= day), m.invited, k)


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


def _lesson(lesson: Lesson, names: Sequence[str], k: int) -> LessonSummary:
    """Redact a lesson's follow-up comments and hide its counts when fewer than k answered."""
    improved = {label: int(n) for label, n in lesson.improved.items() if n}
    respondents = sum(improved.values()) if lesson.respondents is None else int(lesson.respondents)
    suppressed = respondents < k
    quotes: list[str] = []
    for comment in (c for c in lesson.comments if not is_non_answer(c)):
        quote = redact(" ".join(comment.split()), names)
        if quote and quote not in quotes:
            quotes.append(quote)
        if len(quotes) == LESSON_QUOTES:
            break
    return LessonSummary(
        theme_label=lesson.theme_label,
        lesson=lesson.lesson,
        what_we_did=lesson.what_we_did.strip(),
        actions=tuple(lesson.actions),
        respondents=respondents,
        suppressed=suppressed,
        improved=None if suppressed else _frozen(improved),
        quotes=tuple(quotes),
        asked=lesson.asked,
    )


def _side(kind: str, themes: Sequence[Theme]) -> dict[str, Theme]:
    return {t.key: t for t in themes if t.kind == kind and not is_catch_all(t)}


def _side_changes(
    kind: str, title: str, now: dict[str, Theme], before: dict[str, Theme]
) -> SideChanges:
    """Compare one side's themes by key: recurring, resolved (improvement only) and new."""

    def change(key: str) -> ThemeChange:
        theme = now.get(key) or before[key]
        old, new = before.get(key), now.get(key)
        return ThemeChange(
            key,
            theme.label,
            kind,
            old.count if old else 0,
            new.count if new else 0,
            old.share if old else 0.0,
            new.share if new else 0.0,
        )

    resolved = set()
    if kind == "improve":
        resolved = {
            key
            for key in before
            if key not in now or now[key].share <= before[key].share * RESOLVED_RATIO
        }
    recurring = [change(k) for k in now if k in before and k not in resolved]
    new = [change(k) for k in now if k not in before]
    gone = [change(k) for k in resolved]
    return SideChanges(
        kind=kind,
        title=title,
        recurring=tuple(sorted(recurring, key=lambda c: (-c.count, c.label, c.key))),
        resolved=tuple(sorted(gone, key=lambda c: (-c.previous_count, c.label, c.key))),
        new=tuple(sorted(new, key=lambda c: (-c.count, c.label, c.key))),
    )


def _compare(
    current: Sequence[Theme],
    ratings: Sequence[RatingSummary],
    round_info: RoundInfo,
    method: MethodologySummary,
    previous: RoundSummary,
    k: int,
) -> Comparison:
    """Compare each side's themes, rating means and response rate with the previous round.

    While either round is open its counts are partial, so the response rates are given side
    by side but not subtracted, and renderers compare themes by share.
    """
    before = [*previous.went_well, *previous.improve]
    went_well, improve = (
        _side_changes(side.key, side.title, _side(side.key, current), _side(side.key, before))
        for side in COMPARED_SIDES
    )
    prev_means = {r.question_id: r.mean for r in previous.ratings}
    shifted = [
        r for r in ratings if r.mean is not None and prev_means.get(r.question_id) is not None
    ]
    rate, prev_rate = method.response_rate, previous.methodology.response_rate
    open_rounds = tuple(r.name for r in (round_info, previous.round) if r.is_open)
    rounds = ((round_info.name, method), (previous.round.name, previous.methodology))
    uninvited = tuple(name for name, m in rounds if m.invited == 0)
    days = round_info.days_open if open_rounds == (round_info.name,) else None
    same_point = rate_on_day(previous.methodology, days, k) if days is not None else None
    if not open_rounds:
        change = None if rate is None or prev_rate is None else round(rate - prev_rate, 4)
    else:  # like with like: the rate so far against the previous round's on the same day
        change = None if rate is None or same_point is None else round(rate - same_point, 4)
    return Comparison(
        previous_slug=previous.round.slug,
        previous_name=previous.round.name,
        went_well=went_well,
        improve=improve,
        rating_shifts=_frozen(
            {r.question_id: round(r.mean - prev_means[r.question_id], 3) for r in shifted}
        ),
        rating_questions=_frozen({r.question_id: r.question_text for r in shifted}),
        response_rate_change=change,
        open_rounds=open_rounds,
        response_rate=rate,
        previous_response_rate=prev_rate,
        days_open=days,
        previous_rate_same_point=same_point,
        uninvited=uninvited,
    )


def compare_summaries(later: RoundSummary, earlier: RoundSummary) -> Comparison:
    """Compare two built summaries, as `build_summary` does when given the earlier one."""
    themes = [*later.went_well, *later.improve, *later.other]
    return _compare(themes, later.ratings, later.round, later.methodology, earlier, later.k)


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
    recorded_lessons: Sequence[Lesson] = (),
) -> RoundSummary:
    """Build a round's lessons-learned summary with redacted quotes and small groups hidden.

    lessons: those carried into the round and followed up in it ("You said, we did");
    recorded_lessons: those recorded from its themes, counted in the key findings.
    """
    inputs = [ThemeInput(a.id, a.text, a.kind, a.sector, a.label, a.vector) for a in answers]
    found = analyse_themes(inputs, codebook, pinned)
    themes = [_safe_theme(t, names, k) for t in found.themes]
    grouped = split_by_kind(themes)
    method = _methodology(methodology, k)
    rating_summaries = tuple(_rating(r, k) for r in ratings)
    comparison = None
    if previous is not None:
        comparison = _compare(themes, rating_summaries, round_info, method, previous, k)
    lesson_summaries = tuple(_lesson(lesson, names, k) for lesson in lessons)
    return RoundSummary(
        round=round_info,
        key_findings=key_findings(
            round_info,
            method,
            grouped["went_well"],
            grouped["improve"],
            comparison,
            lesson_summaries,
            recorded_lessons,
        ),
        methodology=method,
        went_well=tuple(grouped["went_well"]),
        improve=tuple(grouped["improve"]),
        other=tuple(grouped["other"]),
        ratings=rating_summaries,
        sentiment_by_sector=_sector_sentiment(answers, found.labels, k),
        comparison=comparison,
        lessons=lesson_summaries,
        k=k,
        tagger_version=TAGGER_VERSION,
        non_answers=found.non_answers,
    )
