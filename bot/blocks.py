"""Block Kit payloads, as pure functions returning dicts (no Slack, no database).

Every piece of respondent text goes through `bot.text.escape` (via `quote`) before it is
put into mrkdwn, so an answer can never ping a channel, mention someone or hide a link.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.text import PLAIN_TEXT_LIMIT, SECTION_LIMIT, escape, truncate

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


def chunked_sections(lines: Iterable[str]) -> list[Block]:
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
        *chunked_sections(lines),
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
