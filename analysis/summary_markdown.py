"""The report as Markdown: renders a `RoundSummary` section by section, escaping free text."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from analysis.summary_model import RoundSummary, Section
from analysis.summary_text import (
    action_line,
    change_text,
    completed_line,
    improved_line,
    open_note,
    percent,
    rate_change_line,
    rating_groups,
    rating_shift_lines,
    responded_line,
    side_rows,
    suppression_note,
    theme_heading,
)
from analysis.themes import Theme

_MD_INLINE = re.compile(r"([\\`*_\[\]{}|~])")
_MD_LEADING = re.compile(r"^(\s*)([#>+\-=])")
# "2. The form..." would open an ordered list. Markdown escapes only punctuation, so the
# backslash goes before the dot ("2\."): before the digit it would be shown as typed.
_MD_ORDERED = re.compile(r"^(\s*\d{1,9})([.)])(?=\s|$)")


def escape_markdown(text: str) -> str:
    """Escape respondent text for Markdown: no HTML, no active markup, one line."""
    one_line = " ".join(str(text).split())
    escaped = html.escape(one_line, quote=False)
    escaped = _MD_INLINE.sub(r"\\\1", escaped)
    escaped = _MD_ORDERED.sub(r"\1\\\2", escaped)
    return _MD_LEADING.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


e = escape_markdown


def _quote(text: str) -> str:
    return f"> {e(text)}\n"


def _key_findings(s: RoundSummary) -> list[str]:
    return [f"- **{e(f.title)}:** {e(f.text)}" for f in s.key_findings.findings]


def markdown_themes(themes: Sequence[Theme], nothing: str = "") -> list[str]:
    """Render one side's themes with their quotes (shared with `debrief summarise`)."""
    lines = [e(nothing), ""] if nothing else []
    if not themes:
        return [*lines, "No answers in this section."]
    for t in themes:
        lines += [f"### {e(theme_heading(t.label, t.count))}", ""]
        lines += [_quote(q) for q in t.quotes]
    return lines


def _side(side: str) -> Callable[[RoundSummary], list[str]]:
    return lambda s: markdown_themes(s.themes(side), s.non_answer_line(side))


def _methodology(s: RoundSummary) -> list[str]:
    m = s.methodology
    lines = [
        f"- Organisations contacted for feedback: {m.invited}",
        f"- {e(responded_line(m))}",
        f"- {e(completed_line(m))}",
    ]
    if m.partners_consulted:
        lines.append(f"- Partners consulted: {m.partners_consulted}")
    if m.invited_by_sector:
        lines += ["", "| Sector | Contacted | Response rate |", "|---|---:|---:|"]
        lines += [
            f"| {e(sector)} | {n} | {percent(m.response_rate_by_sector.get(sector))} |"
            for sector, n in m.invited_by_sector.items()
        ]
    return [*lines, "", e(suppression_note(s.k))]


def _ratings(s: RoundSummary) -> list[str]:
    lines: list[str] = []
    for points, ratings in rating_groups(s.ratings):
        lines += [
            "| Question | " + " | ".join(e(p) for p in points) + " | Answers | Mean |",
            "|---|" + "---:|" * (len(points) + 2),
        ]
        for r in ratings:
            counts = " | ".join(str(r.counts.get(p, 0)) for p in points)
            mean = "-" if r.mean is None else f"{r.mean:.2f}"
            lines.append(f"| {e(r.question_text)} | {counts} | {r.answers} | {mean} |")
        lines.append("")
    return lines


def _sentiment(s: RoundSummary) -> list[str]:
    lines = [
        "| Sector | Respondents | Positive | Neutral | Negative |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in s.sentiment_by_sector:
        if r.counts is None:
            lines.append(f"| {e(r.sector)} | fewer than {s.k} | - | - | - |")
        else:
            c = r.counts
            lines.append(
                f"| {e(r.sector)} | {r.respondents} | {c['positive']} | "
                f"{c['neutral']} | {c['negative']} |"
            )
    return [*lines, "", f"Sectors with fewer than {s.k} respondents are not broken down."]


def _comparison(s: RoundSummary) -> list[str]:
    c = s.comparison
    assert c is not None  # noqa: S101 - the section is only listed with a comparison
    lines = [e(note), ""] if (note := open_note(c)) else []
    for side in c.sides:
        lines += [f"### {e(side.title)}", ""]
        for title, hint, items in side_rows(side):
            shown = ", ".join(e(change_text(t, bool(c.open_rounds))) for t in items)
            lines.append(f"- {title} ({hint}): {shown or 'none'}")
        lines.append("")
    lines += ["### Ratings and response rate", ""]
    lines += [f"- {e(line)}" for line in rating_shift_lines(c)]
    return [*lines, f"- {e(rate_change_line(c))}"]


def _lessons(s: RoundSummary) -> list[str]:
    lines: list[str] = []
    for lesson in s.lessons:
        lines += [f"### {e(lesson.theme_label)}", "", f"**You said:** {e(lesson.lesson)}", ""]
        if lesson.what_we_did:
            lines += [f"**We did:** {e(lesson.what_we_did)}", ""]
        if lesson.actions:
            lines += ["Actions:", "", *(f"- {e(action_line(a))}" for a in lesson.actions), ""]
        if improved := improved_line(lesson, s.k):
            lines += [e(improved), ""]
        if lesson.quotes:
            lines += ["What respondents said:", "", *(_quote(q) for q in lesson.quotes)]
    return lines


_SECTIONS: dict[str, Callable[[RoundSummary], list[str]]] = {
    "key_findings": _key_findings,
    "went_well": _side("went_well"),
    "improve": _side("improve"),
    "other": _side("other"),
    "lessons": _lessons,
    "comparison": _comparison,
    "ratings": _ratings,
    "sentiment": _sentiment,
    "methodology": _methodology,
}


def _section(s: RoundSummary, section: Section) -> list[str]:
    return [f"## {e(section.title)}", "", *_SECTIONS[section.key](s), ""]


def summary_to_markdown(s: RoundSummary) -> str:
    """Render the summary as a lessons-learned report for a steering group."""
    lines = [f"# Lessons learned: {e(s.round.name)}", ""]
    for section in s.sections():
        lines += _section(s, section)
    lines.append(f"Sentiment tagger version {e(s.tagger_version)}.")
    return "\n".join(lines).rstrip() + "\n"
