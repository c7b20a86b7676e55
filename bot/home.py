"""The App Home tab: what each person may see when they open Debrief in Slack."""

from __future__ import annotations

from typing import Any

from analysis.summary_model import SIDE_TITLES
from bot import blocks, reply_blocks, web
from bot.blocks import Block
from bot.text import escape, percent, plural
from surveys.models import Officer, RoundStatus
from surveys.services import invitations, lessons, rounds_admin, summary_store, tracking

LATEST_SUMMARIES = 2
MAX_OPEN_ACTIONS = 10


def home_view(officer: Officer | None, slack_user_id: str) -> dict[str, Any]:
    """Return the Home tab for an officer, an invited partner, or anyone else."""
    if officer is not None:
        return {"type": "home", "blocks": officer_blocks()[:100]}
    return {"type": "home", "blocks": partner_blocks(slack_user_id)}


def officer_blocks() -> list[Block]:
    """Open rounds with response rates, the latest summaries and the open actions."""
    all_rounds = rounds_admin.list_rounds()
    open_rounds = [r for r in all_rounds if r.is_open]
    closed = [r for r in all_rounds if r.status == RoundStatus.CLOSED][:LATEST_SUMMARIES]
    out: list[Block] = [blocks.header("Debrief")]

    out.append(blocks.section("*Open rounds*"))
    if not open_rounds:
        out.append(blocks.context("No round is open."))
    for round_ in open_rounds:
        progress = tracking.round_progress(round_)
        out.append(
            blocks.section(
                f"*{escape(round_.name)}* (`{escape(round_.slug)}`) — "
                f"{progress.submitted} of {progress.invited} answered "
                f"({percent(progress.response_rate if progress.invited else None)}), "
                f"{progress.in_progress} in progress",
                accessory=blocks.button(
                    "Dashboard", "open_dashboard", url=web.dashboard_url(round_)
                ),
            )
        )

    out += [blocks.divider(), blocks.section("*Latest summaries*")]
    if not closed:
        out.append(blocks.context("No round has closed yet."))
    for round_ in closed:
        summary = summary_store.stored_summary(round_).summary
        tops = [
            f"{label}: " + (escape(themes[0].label) + f" ({themes[0].count})" if themes else "–")
            for label, themes in (
                (SIDE_TITLES["went_well"], summary.went_well),
                (SIDE_TITLES["improve"], summary.improve),
            )
        ]
        out.append(
            blocks.section(
                f"*{escape(round_.name)}* — {reply_blocks.methodology_line(summary.methodology)}\n"
                + "\n".join(tops)
                + f"\n{blocks.link(web.report_url(round_), 'Full report')}"
            )
        )

    out += [blocks.divider(), blocks.section("*Open actions*")]
    open_actions = [
        (round_, lesson, action)
        for round_ in all_rounds
        for lesson in lessons.lessons_for_round(round_)
        for action in lesson.actions
        if action.status not in lessons.CLOSED_ACTION_STATUSES
    ]
    if not open_actions:
        out.append(blocks.context("No open actions."))
    for round_, _lesson, action in open_actions[:MAX_OPEN_ACTIONS]:
        out.append(
            blocks.section(
                f"{escape(action.description)}\n_{escape(round_.name)} · "
                f"{escape(action.owner) or 'no owner'} · {escape(action.status)}_",
                accessory=blocks.button("Update", blocks.UPDATE_ACTION, str(action.id)),
            )
        )
    if len(open_actions) > MAX_OPEN_ACTIONS:
        out.append(blocks.context(f"{plural(len(open_actions) - MAX_OPEN_ACTIONS, 'more action')}"))
    out.append(blocks.context("Type `/debrief help` to ask Debrief about any round."))
    return out


def partner_blocks(slack_user_id: str) -> list[Block]:
    """A partner's invitations waiting for an answer, each with a button to answer."""
    waiting = [
        invitation
        for round_ in rounds_admin.list_rounds()
        if round_.is_open
        for invitation in invitations.pending_invitations(round_)
        if invitation.contact.slack_user_id == slack_user_id
    ]
    out: list[Block] = [blocks.header("Debrief")]
    if not waiting:
        out.append(
            blocks.section(
                "Debrief collects feedback on the council's commissioning rounds. "
                "There is nothing waiting for you to answer."
            )
        )
        return out
    out.append(blocks.section("*Waiting for your feedback*"))
    for invitation in waiting:
        survey = invitation.survey
        out.append(
            blocks.section(
                f"*{escape(survey.title)}* — {escape(survey.round.name)}",
                accessory=blocks.button(
                    "Answer", blocks.ANSWER_ACTION, str(invitation.id), style="primary"
                ),
            )
        )
    return out
