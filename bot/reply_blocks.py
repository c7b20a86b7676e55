"""Block Kit for officers' answers: search, ask, lessons and actions, response rates and
the lessons-learned summary (pure functions returning dicts, as in `bot.blocks`).

The summary replies render the stored `RoundSummary` with the report's own vocabulary and
phrases (`analysis.summary_model`, `analysis.summary_text`); every piece of free text goes
through `bot.text.escape` before it is put into mrkdwn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from analysis.summary_model import SIDE_TITLES, RoundSummary
from analysis.summary_text import (
    change_text,
    imported_text,
    open_note,
    rate_change_line,
    rating_shift_lines,
    side_rows,
)
from bot.blocks import (
    MORE_ACTION,
    UPDATE_ACTION,
    Block,
    Reply,
    actions,
    button,
    chunked_sections,
    context,
    divider,
    header,
    link,
    message,
    section,
)
from bot.text import escape, percent, plural, quote

# ---------------------------------------------------------------------------- rounds


def _dates(round_: Any) -> str:
    opens, closes = round_.opens_on, round_.closes_on
    if opens and closes:
        return f"{opens:%-d %b %Y} to {closes:%-d %b %Y}"
    if opens:
        return f"from {opens:%-d %b %Y}"
    return "dates not set"


def rounds_reply(rounds: Sequence[Any]) -> Reply:
    """List rounds with their slug, status and dates."""
    if not rounds:
        return message("There are no rounds yet.")
    lines = [
        f"• `{escape(r.slug)}` *{escape(r.name)}* — {escape(r.status)}, {_dates(r)}" for r in rounds
    ]
    blocks = [header("Rounds"), *chunked_sections(lines)]
    return Reply(f"{len(rounds)} rounds", blocks)


# ---------------------------------------------------------------------------- search

MAX_MESSAGE_BLOCKS = 50
SENTIMENT_EMOJI = {
    "positive": ":large_green_circle:",
    "neutral": ":white_circle:",
    "negative": ":red_circle:",
}
KIND_LABELS = {"went_well": "went well", "improve": "could improve", "other": "other"}


def search_reply(
    words: str, filters: dict[str, str], page: Any, offset: int, more_value: str | None
) -> Reply:
    """Render a page of search results: each answer quoted, with its tags, and *More*."""
    described = " ".join(
        [
            f"“{escape(words)}”" if words else "everything",
            *(f"{k}:{escape(v)}" for k, v in filters.items()),
        ]
    )
    if not page.items:
        return message(f"No answers match {described}.")
    first, last = offset + 1, offset + len(page.items)
    blocks_: list[Block] = [
        section(f"*Answers matching {described}* — {first}–{last} of {page.total}")
    ]
    for item in page.items:
        blocks_.append(section(quote(item.text, 600)))
        blocks_.append(context(_answer_tags(item)))
    if more_value:
        blocks_.append(actions(button("More", MORE_ACTION, more_value), block_id="more"))
    return Reply(f"{page.total} answers match {described}", blocks_[:MAX_MESSAGE_BLOCKS])


def _answer_tags(item: Any) -> str:
    tags = [f"`{escape(item.round_slug)}`"]
    if item.sector_label:
        tags.append(escape(item.sector_label))
    if item.label:
        tags.append(f"{SENTIMENT_EMOJI.get(item.label, '')} {escape(item.label)}".strip())
    if item.kind:
        tags.append(KIND_LABELS.get(item.kind, escape(item.kind)))
    if item.theme_label:
        tags.append(f"theme: {escape(item.theme_label)}")
    return " · ".join(tags)


def ask_reply(asked: Any, filters: str) -> Reply:
    """Answer a plain-words question: the summary line, the filters applied, the best quotes."""
    applied = context(f"Filters: {escape(filters)}")
    if not asked.answers:
        hint = context("Try fewer words, another round, or `/debrief help` for the commands.")
        return Reply(asked.summary, [section(escape(asked.summary)), applied, hint])
    blocks_: list[Block] = [section(f"*{escape(asked.summary)}*"), applied]
    for item in asked.answers:
        blocks_ += [section(quote(item.text, 600)), context(_answer_tags(item))]
    return Reply(asked.summary, blocks_[:MAX_MESSAGE_BLOCKS])


# ---------------------------------------------------------------------------- lessons and actions


def _due(action: Any) -> str:
    return f", due {action.due_on:%-d %b %Y}" if action.due_on else ""


def actions_reply(
    round_: Any, lessons: Sequence[Any], status_labels: dict[str, str], web_url: str | None
) -> Reply:
    """List a round's lessons and their actions, each action with an *Update* button."""
    if not lessons:
        return message(f"No lessons have been recorded for {escape(round_.name)} yet.")
    blocks_: list[Block] = [header(f"Lessons and actions: {round_.name}")]
    shown = 0
    total = sum(len(lesson.actions) for lesson in lessons)
    for lesson in lessons:
        if len(blocks_) >= MAX_MESSAGE_BLOCKS - 4:
            break
        blocks_.append(section(f"*{escape(lesson.title)}* ({escape(lesson.status)})"))
        for action in lesson.actions:
            if len(blocks_) >= MAX_MESSAGE_BLOCKS - 3:
                break
            text = (
                f"• {escape(action.description)}\n"
                f"_{escape(action.owner) or 'No owner'}{_due(action)}_ — "
                f"*{escape(status_labels.get(action.status, action.status))}*"
            )
            accessory = button("Update", UPDATE_ACTION, str(action.id))
            blocks_.append(section(text, accessory=accessory))
            shown += 1
    if shown < total:
        more = f"{total - shown} more actions"
        blocks_.append(context(link(web_url, more) if web_url else more))
    return Reply(f"{len(lessons)} lessons for {round_.name}", blocks_)


# ---------------------------------------------------------------------------- response rates


def _rate_line(label: str, counts: Any) -> str:
    return (
        f"• {escape(label)}: {counts.submitted} of {counts.invited} "
        f"({percent(counts.response_rate if counts.invited else None)})"
        + (f", {counts.in_progress} in progress" if counts.in_progress else "")
    )


def rate_reply(
    round_: Any,
    progress: Any,
    sector_labels: dict[str, str],
    channel_labels: dict[str, str],
    chase_size: int,
    urls: dict[str, str],
) -> Reply:
    """Render a round's response rates by sector and channel, and the chase list's size."""
    totals = progress.totals
    headline = (
        f"*{totals.submitted} of {totals.invited} invited have answered "
        f"({percent(totals.response_rate if totals.invited else None)})* · "
        f"{totals.opened} opened · {totals.in_progress} in progress"
    )
    if progress.uninvited_submitted:
        headline += f" · plus {progress.uninvited_submitted} without an invitation"
    sectors = [_rate_line(sector_labels.get(k, k), c) for k, c in progress.by_sector.items()]
    channels = " · ".join(
        f"{escape(channel_labels.get(k, k))} {n}" for k, n in progress.by_channel.items()
    )
    chase = f"*Chase list:* {plural(chase_size, 'invitation')} still waiting"
    if urls.get("chase"):
        chase += f" — {link(urls['chase'], 'open the chase list')}"
    blocks_ = [
        header(f"Response rates: {round_.name}"),
        section(headline),
        section("*By sector*\n" + ("\n".join(sectors) or "No invitations yet.")),
        section("*Answers by channel*\n" + (channels or "None yet.")),
        section(chase),
    ]
    if urls.get("dashboard"):
        blocks_.append(context(link(urls["dashboard"], "Round dashboard")))
    return Reply(f"{round_.name}: {percent(totals.response_rate)} response rate", blocks_)


# ---------------------------------------------------------------------------- summaries


def methodology_line(m: Any) -> str:
    """Say in one line how the round's feedback was gathered."""
    parts = [f"{plural(m.invited, 'organisation')} contacted"]
    if m.invited or not m.imported_responses:
        parts.append(f"{plural(m.responded, 'response')} ({percent(m.response_rate)})")
    if m.imported_responses:  # no invitations behind them, so no rate
        parts.append(imported_text(m))
    parts += [f"{plural(m.completed, 'completed questionnaire')}", f"{m.telephone} by telephone"]
    if m.partners_consulted:
        parts.append(f"{plural(m.partners_consulted, 'partner')} consulted")
    return " · ".join(parts)


def theme_text(theme: Any, quotes: int = 1) -> str:
    """Return a theme's label and count, with its first quotes (escaped)."""
    lines = [f"*{escape(theme.label)}* — {plural(theme.count, 'answer')}"]
    lines += [quote(q, 300) for q in theme.quotes[:quotes]]
    return "\n".join(lines)


def _side_blocks(summary: RoundSummary, side: str, limit: int | None) -> list[Block]:
    themes = summary.themes(side)
    shown = list(themes[:limit] if limit else themes)
    nothing = summary.non_answer_line(side)
    heading = f"*{SIDE_TITLES[side]}*" + (f"\n_{escape(nothing)}_" if nothing else "")
    if not shown:
        return [section(f"{heading}\n_No answers in this section._")]
    return [section(heading), *(section(theme_text(t)) for t in shown)]


def _findings(summary: RoundSummary) -> Block:
    """The key findings that are not the sides' themes (shown below as themes)."""
    lines = [
        f"*{escape(f.title)}:* {escape(f.text)}"
        for f in summary.key_findings.findings
        if f.key not in SIDE_TITLES
    ]
    return section("\n".join(lines))


def summary_reply(summary: RoundSummary, report_url: str, top: int = 3) -> Reply:
    """Render a round's key findings, the top themes of each side, and the report link."""
    blocks_: list[Block] = [
        header(f"Lessons learned: {summary.round.name}"),
        _findings(summary),
        *_side_blocks(summary, "went_well", top),
        divider(),
        *_side_blocks(summary, "improve", top),
        context(
            link(report_url, "Full report")
            + f" · groups under {summary.k} respondents are not shown"
        ),
    ]
    tops = [t.label for t in (*summary.went_well[:1], *summary.improve[:1])]
    text = f"Lessons learned: {summary.round.name}" + (f" — {', '.join(tops)}" if tops else "")
    return Reply(text, blocks_[:MAX_MESSAGE_BLOCKS])


def side_reply(summary: RoundSummary, side: str, report_url: str) -> Reply:
    """Render every theme of one side ("went_well" or "improve") of a round."""
    themes = summary.themes(side)
    title = f"{SIDE_TITLES[side]}: {summary.round.name}"
    room = MAX_MESSAGE_BLOCKS - 3
    blocks_ = [header(title), *_side_blocks(summary, side, None)[:room]]
    if len(themes) > room - 1:
        more = plural(len(themes) - (room - 1), "more theme", "more themes")
        blocks_.append(context(f"{more} in the full report"))
    blocks_.append(context(link(report_url, "Full report")))
    return Reply(f"{title}: {plural(len(themes), 'theme')}", blocks_)


def compare_reply(comparison: Any, earlier: Any, later: Any) -> Reply:
    """Render what changed between two rounds: themes by side, ratings and the response rate."""
    by_share = bool(comparison.open_rounds)

    def side_section(side: Any) -> Block:
        parts = [f"*{escape(side.title)}*"]
        for title, hint, items in side_rows(side):
            shown = "\n".join(f"• {escape(change_text(t, by_share))}" for t in items)
            parts.append(f"_{title}_ ({hint})\n" + (shown or "_None_"))
        return section("\n".join(parts))

    ratings = [f"• {escape(line)}" for line in rating_shift_lines(comparison)]
    blocks_ = [header(f"{earlier.name} → {later.name}")]
    if note := open_note(comparison):
        blocks_.append(context(escape(note)))
    blocks_ += [
        *(side_section(side) for side in comparison.sides),
        section("*Ratings*\n" + ("\n".join(ratings) or "_No ratings to compare_")),
        context(escape(rate_change_line(comparison))),
    ]
    text = (
        f"{earlier.name} → {later.name}: {len(comparison.recurring)} recurring, "
        f"{len(comparison.resolved)} resolved, {len(comparison.new)} new themes"
    )
    return Reply(text, blocks_)
