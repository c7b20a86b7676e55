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

from analysis.nonanswers import is_non_answer, non_answer_line
from analysis.redact import redact
from analysis.sentiment import TAGGER_VERSION
from analysis.themes import (
    KnownTheme,
    Theme,
    ThemeInput,
    analyse_themes,
    is_catch_all,
    split_by_kind,
)

LABELS = ("positive", "neutral", "negative")
RESOLVED_RATIO = 0.5
LESSON_QUOTES = 3
# How people answered; the same labels as surveys.models.CHANNELS (a test keeps them equal).
CHANNEL_LABELS = {"web": "Web", "telephone": "Telephone", "slack": "Slack", "import": "Import"}
SIDES = (("went_well", "What we did well"), ("improve", "What we could improve"))


@dataclass(frozen=True)
class RoundInfo:
    """The round being summarised: its slug and display name (e.g. "Phase 2")."""

    slug: str
    name: str


@dataclass(frozen=True)
class MethodologyCounts:
    """How feedback was gathered.

    invited_by_sector: organisations contacted, by sector name; responded_by_sector: those
    that answered. responded_by_channel: completed questionnaires by the channel they came in
    on ("web", "telephone", "slack", "import"), so its values add up to completed.
    invited_by_channel: organisations contacted, by channel; only counted for the total when
    no sector is known (everyone invited gets the web link, so a per-channel rate says
    little). telephone: responses taken by telephone; partners_consulted: partners asked
    separately.
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
    vector: Any = dataclasses.field(default=None, compare=False, repr=False)


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
class LessonAction:
    """An action that answers a lesson: what it is, how far it got and the evidence.

    status: the stored key ("planned", "in_progress", "done", "dropped"); status_label: how
    to show it ("In progress").
    """

    description: str
    status: str
    status_label: str
    evidence: str = ""


@dataclass(frozen=True)
class Lesson:
    """A lesson carried into the round, as ``build_summary`` takes it.

    what_we_did: the officer's own account, if any; actions: every action with its status.
    improved: "Has this improved?" answer label -> count; respondents: how many respondents
    answered that question (for small-group suppression; None counts the answers).
    comments: the follow-up comment answers about the lesson, most recent first, unredacted.
    """

    theme_label: str
    lesson: str
    actions: tuple[LessonAction, ...] = ()
    improved: Mapping[str, int] = dataclasses.field(default_factory=lambda: MappingProxyType({}))
    what_we_did: str = ""
    respondents: int | None = None
    comments: tuple[str, ...] = ()


@dataclass(frozen=True)
class LessonSummary:
    """A "You said, we did" entry: the lesson, what was done, and whether it improved.

    improved is None (and suppressed True) when fewer than k respondents answered "Has this
    improved?"; quotes are up to LESSON_QUOTES redacted follow-up comments, most recent first.
    """

    theme_label: str
    lesson: str
    what_we_did: str
    actions: tuple[LessonAction, ...]
    respondents: int
    suppressed: bool
    improved: Mapping[str, int] | None
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class ChannelCount:
    """Completed questionnaires that came in through one channel (label: "Web", "Slack")."""

    channel: str
    label: str
    completed: int


@dataclass(frozen=True)
class MethodologySummary:
    """Methodology with response rates by sector (None where fewer than k responded).

    completed_by_channel says how the completed questionnaires came in (web, telephone,
    Slack, import), in that order, leaving out channels nobody used.
    """

    invited: int
    responded: int
    completed: int
    telephone: int
    partners_consulted: int
    response_rate: float | None
    invited_by_sector: Mapping[str, int]
    response_rate_by_sector: Mapping[str, float | None]
    completed_by_channel: tuple[ChannelCount, ...]


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
    """A theme compared across rounds, by key within one side (kind "went_well"/"improve")."""

    key: str
    label: str
    kind: str
    previous_count: int
    count: int


@dataclass(frozen=True)
class SideChanges:
    """One side's themes (what went well, or what could improve) against the previous round.

    recurring: raised in both rounds; resolved: improvement themes raised much less or not at
    all (never any on the went-well side); new: not raised on this side last round.
    """

    kind: str
    title: str
    recurring: tuple[ThemeChange, ...]
    resolved: tuple[ThemeChange, ...]
    new: tuple[ThemeChange, ...]


@dataclass(frozen=True)
class Comparison:
    """How this round compares with the previous one, side by side.

    A theme is matched by key on the same side only: praise for the lead agency this round
    does not make last round's complaint about it "recurring". "Other comments" buckets of
    leftovers are not compared. rating_shifts: question id -> change in mean;
    rating_questions: question id -> question text.
    """

    previous_slug: str
    previous_name: str
    went_well: SideChanges
    to_improve: SideChanges
    rating_shifts: Mapping[str, float]
    rating_questions: Mapping[str, str]
    response_rate_change: float | None

    @property
    def sides(self) -> tuple[SideChanges, SideChanges]:
        """Return the went-well side, then the could-improve side."""
        return (self.went_well, self.to_improve)

    @property
    def recurring(self) -> tuple[ThemeChange, ...]:
        """Return recurring themes of both sides, went well first."""
        return self.went_well.recurring + self.to_improve.recurring

    @property
    def resolved(self) -> tuple[ThemeChange, ...]:
        """Return improvement themes raised much less or not at all this round."""
        return self.to_improve.resolved

    @property
    def new(self) -> tuple[ThemeChange, ...]:
        """Return new themes of both sides, went well first."""
        return self.went_well.new + self.to_improve.new


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
    lessons: tuple[LessonSummary, ...]
    k: int
    tagger_version: str
    # Answers that said nothing ("Nothing.", "N/A"), counted by kind and never quoted.
    non_answers: Mapping[str, int] = dataclasses.field(default_factory=lambda: MappingProxyType({}))

    def non_answer_line(self, kind: str) -> str:
        """Say how many on one side said nothing ("" when none did)."""
        count = self.non_answers.get(kind, 0)
        return non_answer_line(kind, count) if count else ""


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


def _methodology(m: MethodologyCounts, k: int) -> MethodologySummary:
    invited = sum(m.invited_by_sector.values()) or sum(m.invited_by_channel.values())
    responded = sum(m.responded_by_sector.values())
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
    )


def _side(kind: str, themes: Sequence[Theme]) -> dict[str, Theme]:
    return {t.key: t for t in themes if t.kind == kind and not is_catch_all(t)}


def _side_changes(
    kind: str, title: str, now: dict[str, Theme], before: dict[str, Theme]
) -> SideChanges:
    """Compare one side's themes by key: recurring, resolved (improvement only) and new."""

    def change(key: str) -> ThemeChange:
        theme = now.get(key) or before[key]
        old = before[key].count if key in before else 0
        return ThemeChange(key, theme.label, kind, old, now[key].count if key in now else 0)

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
    rate: float | None,
    previous: RoundSummary,
) -> Comparison:
    """Compare each side's themes, rating means and response rate with the previous round."""
    before = [*previous.went_well, *previous.to_improve]
    went_well, to_improve = (
        _side_changes(kind, title, _side(kind, current), _side(kind, before))
        for kind, title in SIDES
    )
    prev_means = {r.question_id: r.mean for r in previous.ratings}
    shifted = [
        r for r in ratings if r.mean is not None and prev_means.get(r.question_id) is not None
    ]
    prev_rate = previous.methodology.response_rate
    return Comparison(
        previous_slug=previous.round.slug,
        previous_name=previous.round.name,
        went_well=went_well,
        to_improve=to_improve,
        rating_shifts=_frozen(
            {r.question_id: round(r.mean - prev_means[r.question_id], 3) for r in shifted}
        ),
        rating_questions=_frozen({r.question_id: r.question_text for r in shifted}),
        response_rate_change=(
            round(rate - prev_rate, 4) if rate is not None and prev_rate is not None else None
        ),
    )


def compare_summaries(later: RoundSummary, earlier: RoundSummary) -> Comparison:
    """Compare two built summaries, as `build_summary` does when given the earlier one."""
    themes = [*later.went_well, *later.to_improve, *later.other]
    return _compare(themes, later.ratings, later.methodology.response_rate, earlier)


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
    inputs = [ThemeInput(a.id, a.text, a.kind, a.sector, a.label, a.vector) for a in answers]
    found = analyse_themes(inputs, codebook, pinned)
    labels = found.labels
    themes = [_safe_theme(t, names, k) for t in found.themes]
    grouped = split_by_kind(themes)
    method = _methodology(methodology, k)
    rating_summaries = tuple(_rating(r, k) for r in ratings)
    comparison = None
    if previous is not None:
        comparison = _compare(themes, rating_summaries, method.response_rate, previous)
    return RoundSummary(
        round=round_info,
        methodology=method,
        went_well=tuple(grouped["went_well"]),
        to_improve=tuple(grouped["improve"]),
        other=tuple(grouped["other"]),
        ratings=rating_summaries,
        sentiment_by_sector=_sector_sentiment(answers, labels, k),
        comparison=comparison,
        lessons=tuple(_lesson(lesson, names, k) for lesson in lessons),
        k=k,
        tagger_version=TAGGER_VERSION,
        non_answers=found.non_answers,
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


def completed_line(m: MethodologySummary) -> str:
    """Say how many questionnaires were completed and how they came in, in plain text."""
    channels = ", ".join(f"{c.label} {c.completed}" for c in m.completed_by_channel)
    return f"Completed questionnaires: {m.completed}" + (f" ({channels})" if channels else "")


def responded_line(m: MethodologySummary) -> str:
    """Say how many organisations responded and the response rate, in plain text."""
    return f"Organisations that responded: {m.responded} (response rate {_pct(m.response_rate)})"


def _md_methodology(m: MethodologySummary, k: int) -> list[str]:
    lines = [
        "## Methodology",
        "",
        f"- Organisations contacted for feedback: {m.invited}",
        f"- {responded_line(m)}",
        f"- {completed_line(m)}",
    ]
    if m.partners_consulted:
        lines.append(f"- Partners consulted: {m.partners_consulted}")
    if m.invited_by_sector:
        lines += ["", "| Sector | Contacted | Response rate |", "|---|---:|---:|"]
        lines += [
            f"| {escape_markdown(s)} | {n} | {_pct(m.response_rate_by_sector.get(s))} |"
            for s, n in m.invited_by_sector.items()
        ]
    lines += ["", f"Rates for sectors with fewer than {k} respondents are suppressed."]
    return lines


def _md_themes(title: str, themes: Sequence[Theme], nothing: str = "") -> list[str]:
    lines = [f"## {title}", ""] + ([nothing, ""] if nothing else [])
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


def side_rows(side: SideChanges) -> tuple[tuple[str, str, tuple[ThemeChange, ...]], ...]:
    """Return (title, hint, changes) rows for one side; the went-well side has no "Resolved"."""
    rows = [("Recurring", "raised in both rounds", side.recurring)]
    if side.kind == "improve":
        rows.append(("Resolved", "raised much less or not at all", side.resolved))
    rows.append(("New", "not raised last round", side.new))
    return tuple(rows)


def _md_comparison(c: Comparison) -> list[str]:
    lines = [f"## Compared with {escape_markdown(c.previous_name)}", ""]
    for side in c.sides:
        lines += [f"### {side.title}", ""]
        for title, hint, items in side_rows(side):
            shown = ", ".join(
                f"{escape_markdown(t.label)} ({t.previous_count} → {t.count})" for t in items
            )
            lines.append(f"- {title} ({hint}): {shown or 'none'}")
        lines.append("")
    lines += ["### Ratings and response rate", ""]
    for qid, delta in c.rating_shifts.items():
        text = escape_markdown(c.rating_questions.get(qid, qid))
        lines.append(f"- {text} — mean rating changed by {delta:+.2f}")
    if c.response_rate_change is not None:
        lines.append(f"- Response rate changed by {c.response_rate_change * 100:+.0f} points")
    elif not c.rating_shifts:
        lines.append("- No ratings or response rates to compare.")
    return lines


def action_line(action: LessonAction) -> str:
    """Say what an action is and where it got to, in plain text (escape it to show it)."""
    line = f"{action.description.strip()} ({action.status_label})"
    return line + (f". Evidence: {action.evidence.strip()}" if action.evidence.strip() else "")


def improved_line(lesson: LessonSummary, k: int) -> str:
    """Say how respondents answered "Has this improved?" ("" when nobody answered it)."""
    if lesson.respondents == 0:
        return ""
    if lesson.improved is None:
        return f"Has this improved? Not shown: fewer than {k} answers."
    counts = ", ".join(f"{p}: {n}" for p, n in lesson.improved.items())
    return f"Has this improved? {counts} ({lesson.respondents} answered)"


def _md_lessons(lessons: Sequence[LessonSummary], k: int) -> list[str]:
    lines = ["## You said, we did", ""]
    for lesson in lessons:
        lines += [
            f"### {escape_markdown(lesson.theme_label)}",
            "",
            f"**You said:** {escape_markdown(lesson.lesson)}",
            "",
        ]
        if lesson.what_we_did:
            lines += [f"**We did:** {escape_markdown(lesson.what_we_did)}", ""]
        if lesson.actions:
            lines += ["Actions:", ""]
            lines += [f"- {escape_markdown(action_line(a))}" for a in lesson.actions]
            lines.append("")
        if improved := improved_line(lesson, k):
            lines += [escape_markdown(improved), ""]
        if lesson.quotes:
            lines += ["What respondents said:", ""]
            lines += [f"> {escape_markdown(q)}" + "\n" for q in lesson.quotes]
    return lines


def summary_to_markdown(s: RoundSummary) -> str:
    """Render the summary as a lessons-learned page for a steering group."""
    lines = [f"# Lessons learned: {escape_markdown(s.round.name)}", ""]
    lines += _md_methodology(s.methodology, s.k) + [""]
    lines += _md_themes("What we did well", s.went_well, s.non_answer_line("went_well")) + [""]
    lines += _md_themes("What we could improve", s.to_improve, s.non_answer_line("improve"))
    lines.append("")
    if s.other or s.non_answers.get("other"):
        lines += _md_themes("Other comments", s.other, s.non_answer_line("other")) + [""]
    lines += _md_ratings(s.ratings) + [""]
    lines += _md_sectors(s.sentiment_by_sector, s.k) + [""]
    if s.comparison is not None:
        lines += _md_comparison(s.comparison) + [""]
    if s.lessons:
        lines += _md_lessons(s.lessons, s.k)
    return "\n".join(lines).rstrip() + "\n"
