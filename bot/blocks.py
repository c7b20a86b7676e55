"""Block Kit payloads, as pure functions returning dicts (no Slack, no database).

Every piece of respondent text goes through `bot.text.escape` (via `quote`) before it is
put into mrkdwn, so an answer can never ping a channel, mention someone or hide a link.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.text import PLAIN_TEXT_LIMIT, SECTION_LIMIT, escape, percent, plural, quote, truncate

Block = dict[str, Any]

SHARE_ACTION = "share_to_channel"
MORE_ACTION = "search_more"
UPDATE_ACTION = "update_action"
ANSWER_ACTION = "answer_in_slack"
BACK_ACTION = "modal_back"


@dataclass(frozen=True)
class Reply:
    """A message for Slack: fallback text (notifications, screen readers) and blocks."""

    text: str
    blocks: list[Block] = field(default_factory=list)


# ---------------------------------------------------------------------------- primitives


def plain(text: str, limit: int = PLAIN_TEXT_LIMIT) -> dict[str, Any]:
    """Return a plain_text object (already safe: Slack never formats plain text)."""
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    """Return a mrkdwn object; callers escape anything that came from respondents."""
    return {"type": "mrkdwn", "text": truncate(text, SECTION_LIMIT)}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text)}


def section(text: str, **extra: Any) -> Block:
    return {"type": "section", "text": mrkdwn(text), **extra}


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(t) for t in texts if t][:10]}


def divider() -> Block:
    return {"type": "divider"}


def button(
    text: str, action_id: str, value: str = "", *, style: str | None = None, url: str | None = None
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "text": plain(text, 75), "action_id": action_id}
    if value:
        element["value"] = value[:2000]
    if style:
        element["style"] = style
    if url:
        element["url"] = url
    return element


def actions(*elements: dict[str, Any], block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id
    return block


def link(url: str, label: str) -> str:
    """Return a mrkdwn link whose label cannot break out of the link syntax."""
    return f"<{url}|{escape(label).replace('|', '¦')}>"


def share_button(command_text: str) -> Block:
    """Offer to post an ephemeral answer to the channel, by re-running its command."""
    return actions(button("Share to channel", SHARE_ACTION, command_text), block_id="share")


def with_share(reply: Reply, command_text: str) -> Reply:
    """Return the reply with a *Share to channel* button at the end."""
    return Reply(reply.text, [*reply.blocks, share_button(command_text)])


def shared_by(reply: Reply, user_id: str) -> Reply:
    """Return the reply as posted to a channel (no buttons), saying who shared it."""
    note = context(f"Shared by <@{escape(user_id)}> from Debrief")
    kept = [dict(b) for b in reply.blocks if b.get("type") != "actions"]
    for block in kept:
        block.pop("accessory", None)
    return Reply(reply.text, [*kept, note])


def message(text: str) -> Reply:
    """Return a one-section reply (for refusals, errors and confirmations)."""
    return Reply(text, [section(text)])


# ---------------------------------------------------------------------------- help and refusals

OFFICER_HELP = (
    ("help", "this list"),
    ("rounds", "every round with its status and dates"),
    ("summary ROUND", "the lessons-learned summary: top themes with a quote each"),
    ("well ROUND", "every “what went well” theme"),
    ("improve ROUND", "every “what could improve” theme"),
    (
        "ask QUESTION",
        "answers to a question in plain words, e.g. what did charities say "
        "about the timeframe in phase 2?",
    ),
    ("search WORDS [round:SLUG] [sector:NAME] [sentiment:LABEL]", "answers about those words"),
    ("compare ROUND_A ROUND_B", "recurring, resolved and new themes; rating changes"),
    ("rate ROUND", "response rates by sector and channel, and the chase list"),
    ("actions ROUND", "lessons and actions, with buttons to update them"),
    ("give ROUND", "answer your own invitation for a round, here in Slack"),
)


def help_reply(is_officer: bool) -> Reply:
    """Explain the commands this person may use."""
    if not is_officer:
        text = (
            "*Debrief* collects feedback on commissioning rounds.\n"
            "• `/debrief give ROUND` answers your invitation for a round, here in Slack "
            "(for example `/debrief give phase-3`)."
        )
        return Reply("Debrief: /debrief give ROUND answers your invitation.", [section(text)])
    lines = [f"• `/debrief {usage}` — {what}" for usage, what in OFFICER_HELP]
    blocks = [
        section("*Debrief commands*\n" + "\n".join(lines)),
        context("Answers are visible only to you until you choose *Share to channel*."),
    ]
    return Reply("Debrief commands: " + ", ".join(u.split()[0] for u, _ in OFFICER_HELP), blocks)


def refusal() -> Reply:
    """Politely refuse someone who is not a council officer."""
    return message(
        "Sorry, Debrief's answers are only for council officers. If you are an officer, ask "
        "a Debrief admin to add your Slack account to your officer record. If you were "
        "invited to give feedback, try `/debrief give ROUND`."
    )


def usage(text: str) -> Reply:
    return message(f"Try `/debrief {escape(text)}`.")


def round_not_found(slug: str) -> Reply:
    return message(
        f"I can't find a round called `{escape(slug)}`. `/debrief rounds` lists them all."
    )


def failure() -> Reply:
    return message(
        "Sorry, something went wrong answering that. It has been logged; please try again."
    )


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
    blocks = [header("Rounds"), *_chunked_sections(lines)]
    return Reply(f"{len(rounds)} rounds", blocks)


def _chunked_sections(lines: Iterable[str]) -> list[Block]:
    """Pack lines into as few sections as the 3,000-character limit allows."""
    blocks: list[Block] = []
    current = ""
    for line in lines:
        if current and len(current) + len(line) + 1 > SECTION_LIMIT:
            blocks.append(section(current))
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        blocks.append(section(current))
    return blocks


def encode(value: dict[str, Any]) -> str:
    """Encode a button value compactly."""
    return json.dumps(value, separators=(",", ":"))


# ---------------------------------------------------------------------------- answering modal

ANSWER_PAGE = "answer_page"
ANSWER_CHECK = "answer_check"
VALUE = "value"
OTHER_SUFFIX = "-other"
MAX_RADIO_OPTIONS = 10


def modal(
    title: str,
    blocks_: list[Block],
    *,
    callback_id: str,
    private_metadata: dict[str, Any] | None = None,
    submit: str | None = None,
    close: str = "Close",
) -> dict[str, Any]:
    """Return a modal view."""
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, 24),
        "close": plain(close, 24),
        "blocks": blocks_[:100],
    }
    if submit:
        view["submit"] = plain(submit, 24)
    if private_metadata is not None:
        view["private_metadata"] = encode(private_metadata)
    return view


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": plain(label, 75), "value": value}


def _choices(question: Any) -> list[tuple[str, str]]:
    """Return (value, label) pairs a choice, rating or yes/no question offers."""
    kind = question.type_name
    if kind in ("single_choice", "multiple_choice"):
        pairs = [(o.value, o.label) for o in question.options]
        if question.other_label:
            pairs.append(("other", question.other_label))
        return pairs
    if kind == "rating":
        pairs = [(str(p.value), f"{p.value} – {p.label}") for p in question.points]
        if question.not_applicable:
            pairs.append(("na", question.not_applicable))
        return pairs
    if kind == "yes_no":
        return [("yes", "Yes"), ("no", "No")]
    return []


def question_element(question: Any, form: dict[str, Any]) -> dict[str, Any]:
    """Return the input element for a question, showing `form` values already given."""
    kind = question.type_name
    current = form.get(question.id)
    if kind == "date":
        element: dict[str, Any] = {"type": "datepicker", "action_id": VALUE}
        parts = [form.get(f"{question.id}-{p}") for p in ("year", "month", "day")]
        if all(parts):
            year, month, day = parts
            element["initial_date"] = f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
        return element
    choices = _choices(question)
    if choices:
        options = [_option(v, label) for v, label in choices]
        by_value = {o["value"]: o for o in options}
        many = kind == "multiple_choice"
        if len(options) <= MAX_RADIO_OPTIONS:
            element = {"type": "checkboxes" if many else "radio_buttons", "action_id": VALUE}
        else:
            element = {
                "type": "multi_static_select" if many else "static_select",
                "action_id": VALUE,
                "placeholder": plain("Choose"),
            }
        element["options"] = options
        chosen = current if isinstance(current, list) else ([current] if current else [])
        initial = [by_value[str(v)] for v in chosen if str(v) in by_value]
        if initial and many:
            element["initial_options"] = initial
        elif initial:
            element["initial_option"] = initial[0]
        return element
    element = {"type": "plain_text_input", "action_id": VALUE}
    if kind == "long_text":
        element["multiline"] = True
    if question.max_length:
        element["max_length"] = min(int(question.max_length), 3000)
    if isinstance(current, str) and current:
        element["initial_value"] = current
    return element


def question_blocks(question: Any, form: dict[str, Any]) -> list[Block]:
    """Return the input block(s) for one question (a choice with "other" gets two)."""
    block: Block = {
        "type": "input",
        "block_id": question.id,
        "label": plain(question.text, 2000),
        "element": question_element(question, form),
        "optional": not question.required,
    }
    if question.hint:
        block["hint"] = plain(question.hint, 2000)
    blocks_ = [block]
    if getattr(question, "other_label", ""):
        other = {
            "type": "plain_text_input",
            "action_id": VALUE,
            "max_length": 200,
        }
        if form.get(question.id + OTHER_SUFFIX):
            other["initial_value"] = str(form[question.id + OTHER_SUFFIX])
        blocks_.append(
            {
                "type": "input",
                "block_id": question.id + OTHER_SUFFIX,
                "label": plain(f"If “{question.other_label}”, please say what"),
                "element": other,
                "optional": True,
            }
        )
    return blocks_


def answer_page_view(
    *,
    title: str,
    survey_title: str,
    page: Any,
    questions: Sequence[Any],
    form: dict[str, Any],
    metadata: dict[str, Any],
    position: tuple[int, int],
    has_next: bool,
    can_go_back: bool,
    notice: str = "",
) -> dict[str, Any]:
    """Return one page of a questionnaire as a modal."""
    number, total = position
    blocks_: list[Block] = [context(f"*{escape(survey_title)}* · page {number} of {total}")]
    if notice:
        blocks_.append(section(f":warning: {escape(notice)}"))
    if page.title:
        blocks_.append(header(page.title))
    for question in questions:
        blocks_.extend(question_blocks(question, form))
    if can_go_back:
        blocks_.append(actions(button("Back", BACK_ACTION, page.id), block_id="navigation"))
    return modal(
        title,
        blocks_,
        callback_id=ANSWER_PAGE,
        private_metadata=metadata,
        submit="Continue" if has_next else "Check answers",
        close="Save and close",
    )


def check_answers_view(
    *, title: str, survey_title: str, rows: Sequence[tuple[str, str]], metadata: dict[str, Any]
) -> dict[str, Any]:
    """Return the "check your answers" modal: each question with the answer given."""
    lines = [f"*{escape(q)}*\n{escape(a) if a else '_Not answered_'}" for q, a in rows]
    blocks_ = [
        context(f"*{escape(survey_title)}*"),
        header("Check your answers"),
        *_chunked_sections(lines),
        actions(button("Back", BACK_ACTION, "check"), block_id="navigation"),
        context("When you submit, your answers are sent to the commissioning team."),
    ]
    return modal(
        title,
        blocks_,
        callback_id=ANSWER_CHECK,
        private_metadata=metadata,
        submit="Submit",
        close="Save and close",
    )


def confirmation_view(title: str, reference: str) -> dict[str, Any]:
    """Return the modal shown once a response is submitted."""
    text = (
        f"*Thank you — your answers have been sent.*\n"
        f"Your reference is *{escape(reference)}*. The commissioning team will use your "
        "feedback to improve the next round."
    )
    return modal(title, [section(text)], callback_id="answer_done", close="Done")


def notice_view(title: str, text: str) -> dict[str, Any]:
    """Return a modal that only says something (closed round, already answered...)."""
    return modal(title, [section(text)], callback_id="answer_notice", close="Close")


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

SIDES = {"went_well": "What we did well", "to_improve": "What we could improve"}


def methodology_line(m: Any) -> str:
    """Say in one line how the round's feedback was gathered."""
    parts = [
        f"{plural(m.invited, 'organisation')} contacted",
        f"{plural(m.responded, 'response')} ({percent(m.response_rate)})",
        f"{plural(m.completed, 'completed questionnaire')}",
        f"{m.telephone} by telephone",
    ]
    if m.partners_consulted:
        parts.append(f"{plural(m.partners_consulted, 'partner')} consulted")
    return " · ".join(parts)


def theme_text(theme: Any, quotes: int = 1) -> str:
    """Return a theme's label and count, with its first quotes (escaped)."""
    lines = [f"*{escape(theme.label)}* — {plural(theme.count, 'answer')}"]
    lines += [quote(q, 300) for q in theme.quotes[:quotes]]
    return "\n".join(lines)


def _side_blocks(
    title: str, themes: Sequence[Any], limit: int | None, nothing: str = ""
) -> list[Block]:
    shown = list(themes[:limit] if limit else themes)
    heading = f"*{title}*" + (f"\n_{escape(nothing)}_" if nothing else "")
    if not shown:
        return [section(f"{heading}\n_No answers in this section._")]
    blocks_ = [section(heading)]
    blocks_ += [section(theme_text(t)) for t in shown]
    return blocks_


def summary_reply(summary: Any, report_url: str, top: int = 3) -> Reply:
    """Render a round's summary: methodology, top themes of each side, and the report link."""
    blocks_: list[Block] = [
        header(f"Lessons learned: {summary.round.name}"),
        context(methodology_line(summary.methodology)),
        *_side_blocks(SIDES["went_well"], summary.went_well, top, _nothing(summary, "went_well")),
        divider(),
        *_side_blocks(SIDES["to_improve"], summary.to_improve, top, _nothing(summary, "improve")),
        context(
            link(report_url, "Full report")
            + f" · groups under {summary.k} respondents are not shown"
        ),
    ]
    tops = [t.label for t in (*summary.went_well[:1], *summary.to_improve[:1])]
    text = f"Lessons learned: {summary.round.name}" + (f" — {', '.join(tops)}" if tops else "")
    return Reply(text, blocks_[:MAX_MESSAGE_BLOCKS])


def _nothing(summary: Any, kind: str) -> str:
    """Return the side's non-answer count line ("12 said nothing needed improving.")."""
    line = getattr(summary, "non_answer_line", None)
    return line(kind) if line is not None else ""


def side_reply(summary: Any, side: str, report_url: str) -> Reply:
    """Render every theme of one side (went well, or could improve) of a round."""
    themes = getattr(summary, side)
    title = f"{SIDES[side]}: {summary.round.name}"
    room = MAX_MESSAGE_BLOCKS - 3
    kind = "improve" if side == "to_improve" else side
    blocks_ = [header(title)]
    if nothing := _nothing(summary, kind):
        blocks_.append(context(escape(nothing)))
    blocks_ += _side_blocks(SIDES[side], themes, None)[1:room]
    if len(themes) > room - 1:
        blocks_.append(context(f"{len(themes) - (room - 1)} more themes in the full report"))
    blocks_.append(context(link(report_url, "Full report")))
    return Reply(f"{title}: {plural(len(themes), 'theme')}", blocks_)


def compare_reply(comparison: Any, earlier: Any, later: Any, rating_texts: dict[str, str]) -> Reply:
    """Render what changed between two rounds: themes by side, ratings and the response rate."""

    def changes(items: Sequence[Any]) -> str:
        return (
            "\n".join(f"• {escape(t.label)} ({t.previous_count} → {t.count})" for t in items)
            or "_None_"
        )

    def side_section(side: Any) -> dict:
        parts = [
            f"*{escape(side.title)}*",
            "_Recurring_ (raised in both)\n" + changes(side.recurring),
        ]
        if side.kind == "improve":
            parts.append("_Resolved_ (raised much less or not at all)\n" + changes(side.resolved))
        parts.append("_New_\n" + changes(side.new))
        return section("\n".join(parts))

    lines = []
    for qid, delta in comparison.rating_shifts.items():
        lines.append(f"• {escape(rating_texts.get(qid, qid))}: mean {delta:+.2f}")
    rate = comparison.response_rate_change
    rate_text = "not known" if rate is None else f"{rate * 100:+.0f} points"
    blocks_ = [
        header(f"{earlier.name} → {later.name}"),
        *(side_section(side) for side in comparison.sides),
        section("*Ratings*\n" + ("\n".join(lines) or "_No ratings to compare_")),
        context(f"Response rate change: {rate_text}"),
    ]
    text = (
        f"{earlier.name} → {later.name}: {len(comparison.recurring)} recurring, "
        f"{len(comparison.resolved)} resolved, {len(comparison.new)} new themes"
    )
    return Reply(text, blocks_)
