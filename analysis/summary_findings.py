"""The report's key findings: what a steering group reads before the sections.

Top themes of each side with counts, who answered (rate, sectors, channels), what changed
since the previous round, where the lessons followed up in this round have got to (actions,
"Has this improved?") and the lessons recorded from this round's own themes, phrased once here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from types import MappingProxyType

from analysis.summary_model import (
    SIDE_TITLES,
    Comparison,
    Finding,
    KeyFindings,
    Lesson,
    LessonSummary,
    MethodologySummary,
    RoundInfo,
    ThemeChange,
    TopTheme,
)
from analysis.summary_text import counts_text, imported_text, percent, plural, points_change
from analysis.themes import Theme, is_catch_all

TOP_THEMES = 3


def _top(themes: Sequence[Theme]) -> tuple[TopTheme, ...]:
    topical = [t for t in themes if not is_catch_all(t)]
    ranked = sorted(topical, key=lambda t: -t.count)[:TOP_THEMES]
    return tuple(TopTheme(t.key, t.label, t.count) for t in ranked)


def _themes_text(top: Sequence[TopTheme]) -> str:
    if not top:
        return "No themes yet."
    return "; ".join(f"{t.label} ({plural(t.count, 'answer')})" for t in top) + "."


def _response_text(round_info: RoundInfo, m: MethodologySummary) -> str:
    so_far = " so far (the round is still open)" if round_info.is_open else ""
    who = []
    if m.invited or not m.imported_responses:
        who.append(
            f"{m.responded} of {plural(m.invited, 'organisation')} contacted answered"
            f" ({percent(m.response_rate)}){so_far}"
        )
    if m.imported_responses:  # answered without an invitation, so they have no rate
        who.append(imported_text(m))
    text = f"{'; '.join(who)}; {plural(m.completed, 'questionnaire')} completed."
    if m.responded_by_sector:
        text += f" By sector: {counts_text(list(m.responded_by_sector.items()))}."
    if m.completed_by_channel:
        channels = [(c.label, c.completed) for c in m.completed_by_channel]
        text += f" By channel: {counts_text(channels)}."
    return text


def _named(labels: Sequence[str]) -> str:
    """Name up to TOP_THEMES themes and say how many more there are, so counts agree."""
    text = "; ".join(labels[:TOP_THEMES])
    more = len(labels) - TOP_THEMES
    return text + (f" (and {more} more)" if more > 0 else "")


def _resolved_name(change: ThemeChange) -> str:
    """Name a resolved theme, saying so when a few still raise it (its share halved)."""
    if change.count == 0:
        return change.label
    return f"{change.label} (still raised by {change.count})"


def _changes_text(c: Comparison) -> str:
    text = (
        f"Since {c.previous_name}: {len(c.recurring)} recurring, {len(c.resolved)} resolved "
        f"and {len(c.new)} new themes."
    )
    if c.resolved:
        text += " Resolved: " + _named([_resolved_name(t) for t in c.resolved]) + "."
    up = sum(1 for d in c.rating_shifts.values() if d > 0)
    if c.rating_shifts:
        text += f" Mean ratings rose on {up} of {plural(len(c.rating_shifts), 'question')}."
    change = c.response_rate_change
    if c.open_rounds:
        text += f" {' and '.join(c.open_rounds)} still open: a comparison so far"
        if change is not None:
            text += (
                f"; response rate {points_change(change)} against "
                f"{c.previous_name} on the same day after opening"
            )
        text += "."
    elif change is not None:
        text += f" Response rate {points_change(change)}."
    return text


def _actions_text(actions: Counter[str]) -> str:
    if not actions:
        return "; no actions yet"
    return "; actions: " + ", ".join(f"{n} {s.lower()}" for s, n in actions.items())


def _followed_up_text(lessons: Sequence[LessonSummary], actions: Counter[str]) -> str:
    asked = sum(1 for lesson in lessons if lesson.asked)
    text = f"{plural(len(lessons), 'lesson')} from earlier rounds carried into this round"
    if asked == len(lessons):
        text += ", all asked about in it" if asked > 1 else ", asked about in it"
    else:
        text += f", {asked or 'none'} of them asked about in it"
    text += _actions_text(actions)
    improved: Counter[str] = Counter()
    for lesson in lessons:
        improved.update(lesson.improved or {})
    if improved:
        text += f". Has this improved? {counts_text(list(improved.items()))}"
    return text + "."


def _recorded_text(lessons: Sequence[Lesson]) -> str:
    statuses = Counter(lesson.status for lesson in lessons)
    text = f"{plural(len(lessons), 'lesson')} recorded from this round (" + ", ".join(
        f"{n} {status}" for status, n in sorted(statuses.items())
    )
    rounds = sorted({lesson.followed_up_in for lesson in lessons if lesson.followed_up_in})
    text += f"), followed up in {' and '.join(rounds)}" if rounds else ")"
    actions = Counter(a.status_label for lesson in lessons for a in lesson.actions)
    return text + _actions_text(actions) + "."


def key_findings(
    round_info: RoundInfo,
    m: MethodologySummary,
    went_well: Sequence[Theme],
    improve: Sequence[Theme],
    comparison: Comparison | None,
    lessons: Sequence[LessonSummary],
    recorded: Sequence[Lesson] = (),
) -> KeyFindings:
    """Pick and phrase the key findings from the built parts of the summary."""
    top_well, top_improve = _top(went_well), _top(improve)
    actions = Counter(a.status_label for lesson in lessons for a in lesson.actions)
    findings = [
        Finding("went_well", SIDE_TITLES["went_well"], _themes_text(top_well)),
        Finding("improve", SIDE_TITLES["improve"], _themes_text(top_improve)),
        Finding("response", "Who answered", _response_text(round_info, m)),
    ]
    if comparison is not None:
        findings.append(Finding("changes", "What changed", _changes_text(comparison)))
    if lessons:
        text = _followed_up_text(lessons, actions)
        findings.append(Finding("lessons", "Lessons followed up", text))
    if recorded:
        text = _recorded_text(recorded)
        findings.append(Finding("lessons_recorded", "Lessons from this round", text))
    return KeyFindings(top_well, top_improve, tuple(findings), MappingProxyType(dict(actions)))
