"""The report's key findings: what a steering group reads before the sections.

Top themes of each side with counts, who answered (rate, sectors, channels), what changed
since the previous round and where the lessons carried in have got to, phrased once here.
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
    LessonSummary,
    MethodologySummary,
    RoundInfo,
    TopTheme,
)
from analysis.summary_text import counts_text, imported_text, percent, plural
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


def _changes_text(c: Comparison) -> str:
    text = (
        f"Since {c.previous_name}: {len(c.recurring)} recurring, {len(c.resolved)} resolved "
        f"and {len(c.new)} new themes."
    )
    if c.resolved:
        text += " Resolved: " + ", ".join(t.label for t in c.resolved[:TOP_THEMES]) + "."
    up = sum(1 for d in c.rating_shifts.values() if d > 0)
    if c.rating_shifts:
        text += f" Mean ratings rose on {up} of {plural(len(c.rating_shifts), 'question')}."
    change = c.response_rate_change
    if c.open_rounds:
        text += f" {' and '.join(c.open_rounds)} still open: a comparison so far"
        if change is not None:
            text += (
                f"; response rate {change * 100:+.0f} percentage points against "
                f"{c.previous_name} on the same day after opening"
            )
        text += "."
    elif change is not None:
        text += f" Response rate {change * 100:+.0f} percentage points."
    return text


def _lessons_text(lessons: Sequence[LessonSummary], actions: Counter[str]) -> str:
    text = f"{plural(len(lessons), 'lesson')} carried into this round"
    if actions:
        text += "; actions: " + ", ".join(f"{n} {s.lower()}" for s, n in actions.items())
    improved: Counter[str] = Counter()
    for lesson in lessons:
        improved.update(lesson.improved or {})
    if improved:
        text += f". Has this improved? {counts_text(list(improved.items()))}"
    return text + "."


def key_findings(
    round_info: RoundInfo,
    m: MethodologySummary,
    went_well: Sequence[Theme],
    improve: Sequence[Theme],
    comparison: Comparison | None,
    lessons: Sequence[LessonSummary],
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
        findings.append(Finding("lessons", "Lessons", _lessons_text(lessons, actions)))
    return KeyFindings(top_well, top_improve, tuple(findings), MappingProxyType(dict(actions)))
