"""Plain-text phrases of the report, shared by every output (each output escapes them).

The page, the HTML and Word downloads, Markdown and Slack say a count, a rate, a change or
an action in the same words because they all call these.
"""

from __future__ import annotations

from collections.abc import Sequence

from analysis.summary_model import (
    Comparison,
    LessonAction,
    LessonSummary,
    MethodologySummary,
    RatingSummary,
    SideChanges,
    ThemeChange,
)


def plural(count: int, word: str, words: str | None = None) -> str:
    """Return "1 answer" / "3 answers"."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def signed(value: float, places: int = 0) -> str:
    """Return a change with its sign, a real minus sign (−) for a fall, no sign for none."""
    text = f"{value:+.{places}f}"
    if float(text) == 0:
        return f"{0:.{places}f}"
    return text.replace("-", "\N{MINUS SIGN}")


def points_change(change: float) -> str:
    """Return a change in a rate (a fraction) as percentage points: "−12 percentage points"."""
    return f"{signed(change * 100)} percentage points"


def percent(value: float | None) -> str:
    """Return a share as a whole percentage, or "suppressed" when it is hidden."""
    return "suppressed" if value is None else f"{value * 100:.0f}%"


def completed_line(m: MethodologySummary) -> str:
    """Say how many questionnaires were completed and how they came in."""
    channels = ", ".join(f"{c.label} {c.completed}" for c in m.completed_by_channel)
    return f"Completed questionnaires: {m.completed}" + (f" ({channels})" if channels else "")


def imported_text(m: MethodologySummary) -> str:
    """Say how many responses came from files of earlier evaluations (no invitation, no rate)."""
    return f"{plural(m.imported_responses, 'response')} imported from earlier evaluation files"


def responded_line(m: MethodologySummary) -> str:
    """Say how many organisations responded and the response rate (of those invited only)."""
    rate = f"response rate {percent(m.response_rate)}"
    if not m.imported_responses:
        return f"Organisations that responded: {m.responded} ({rate})"
    total = m.responded + m.imported
    if not m.invited:
        none = "no invitations, so no response rate"
        return f"Organisations that responded: {total} ({imported_text(m)}; {none})"
    return (
        f"Organisations that responded: {total} ({m.responded} of those contacted, {rate}; "
        f"{m.imported} in {imported_text(m)})"
    )


def suppression_note(k: int) -> str:
    """Say what is hidden to protect respondents."""
    return (
        f"Rates and breakdowns for groups of fewer than {k} respondents are suppressed. "
        "Names, email addresses and phone numbers in quotes are redacted."
    )


def theme_heading(label: str, count: int) -> str:
    """Return a theme's heading: its label and how many answers it holds."""
    return f"{label} ({plural(count, 'answer')})"


def side_rows(side: SideChanges) -> tuple[tuple[str, str, tuple[ThemeChange, ...]], ...]:
    """Return (title, hint, changes) rows for one side; the went-well side has no "Resolved"."""
    rows = [("Recurring", "raised in both rounds", side.recurring)]
    if side.kind == "improve":
        rows.append(("Resolved", "raised much less or not at all", side.resolved))
    rows.append(("New", "not raised last round", side.new))
    return tuple(rows)


def change_text(change: ThemeChange, by_share: bool) -> str:
    """Say how a theme moved between rounds: counts, or shares when a round is still open."""
    if by_share:
        before, now = percent(change.previous_share), percent(change.share)
        return f"{change.label} ({before} → {now} of answers)"
    return f"{change.label} ({change.previous_count} → {change.count})"


def open_note(c: Comparison) -> str:
    """Say which compared rounds are still open and how that limits the comparison ("")."""
    if not c.open_rounds:
        return ""
    names = " and ".join(c.open_rounds)
    verb = "is" if len(c.open_rounds) == 1 else "are"
    rates = (
        f"the response rate with {c.previous_name}'s on the same day after opening"
        if c.days_open is not None
        else "response rates are not compared until both rounds close"
    )
    return (
        f"{names} {verb} still open, so answers are still coming in: themes are compared by "
        f"their share of answers, and {rates}."
    )


def rate_change_line(c: Comparison) -> str:
    """Say how the response rate changed, like with like, or why it is not compared."""
    if c.uninvited:  # answers imported from earlier evaluation files, or by open link
        names = " and ".join(c.uninvited)
        return f"{names} had no invitations, so there is no response rate to compare"
    change = c.response_rate_change
    if change is not None and not c.open_rounds:
        return f"Response rate changed by {points_change(change)}"
    final = f"{c.previous_name} finished at {percent(c.previous_response_rate)}"
    if change is not None:
        return (
            f"Response rate {plural(c.days_open or 0, 'day')} after opening: "
            f"{percent(c.response_rate)}, against {percent(c.previous_rate_same_point)} for "
            f"{c.previous_name} at the same point ({points_change(change)}); "
            f"{final}"
        )
    if c.open_rounds:
        return f"Response rate so far {percent(c.response_rate)}; {final} (not compared while open)"
    return "Response rates cannot be compared (too few respondents)"


def rating_shift_lines(c: Comparison) -> list[str]:
    """Say how each rating question's mean moved since the previous round."""
    lines = []
    for qid, delta in c.rating_shifts.items():
        question = c.rating_questions.get(qid, qid)
        joint = " " if question.rstrip().endswith(("?", ".", "!")) else ": "
        lines.append(f"{question}{joint}Mean rating changed by {signed(delta, 2)}")
    return lines


def action_line(action: LessonAction) -> str:
    """Say what an action is and where it got to."""
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


def counts_text(counts: Sequence[tuple[str, int]]) -> str:
    """Return "School 4, Voluntary 5" from (name, count) pairs."""
    return ", ".join(f"{name} {count}" for name, count in counts)


def rating_groups(
    ratings: Sequence[RatingSummary],
) -> list[tuple[tuple[str, ...], list[RatingSummary]]]:
    """Group rating questions that share a scale, so each group is one chart and one table."""
    groups: dict[tuple[str, ...], list[RatingSummary]] = {}
    for r in ratings:
        groups.setdefault(tuple(r.points), []).append(r)
    return list(groups.items())
