"""Answering in Slack: a partner's own invitation as a modal walking the web's journey.

Pages, show-if rules, validation and submission come from the one walk
(`surveys.services.walk`), exactly as on the web. Each page is saved to the
draft and committed before Slack gets the next view, so closing the modal (or Slack going
away) never loses what was given; `/debrief give ROUND` later resumes at the first page
still to answer.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_sdk import WebClient

from bot import blocks, errors
from bot.blocks import Reply
from bot.errors import explain
from bot.forms import block_errors, form_from_answers, form_from_state
from bot.parsing import ParsedCommand
from bot.runtime import slack_call
from bot.text import escape
from surveys.db import db
from surveys.errors import DebriefError, InvalidInput, NotFound
from surveys.models import Invitation, Officer, Response
from surveys.services import invitations, responses, rounds_admin
from surveys.services.walk import Walk

log = logging.getLogger(__name__)

TITLE = "Your feedback"
AckArgs = dict[str, Any]


# ---------------------------------------------------------------------------- finding it


def invitation_for(slack_user_id: str | None, round_slug: str) -> Invitation | None:
    """Return this Slack user's invitation waiting for an answer in a round, if any."""
    if not slack_user_id:
        return None
    round_ = rounds_admin.round_by_slug(round_slug)
    return invitations.pending_invitation_for_slack_user(round_, slack_user_id)


def owns(response: Response | None, slack_user_id: str | None, officer: Officer | None) -> bool:
    """Say whether a response is this Slack user's to answer: their own invitation's, or
    one they (as an officer) are entering on someone's behalf."""
    if response is None or not slack_user_id:
        return False
    if response.entered_by_id is not None:
        return officer is not None and response.entered_by_id == officer.id
    invitation = response.invitation
    return invitation is not None and invitation.contact.slack_user_id == slack_user_id


# ---------------------------------------------------------------------------- opening


def open_invitation(
    client: WebClient, user_id: str | None, command: ParsedCommand, trigger_id: str | None
) -> Reply | None:
    """Open the asker's invitation for a round as a modal; return a message otherwise."""
    if not command.args:
        return blocks.usage("give ROUND (for example /debrief give phase-3)")
    slug = command.args[0]
    try:
        invitation = invitation_for(user_id, slug)
    except NotFound:
        return blocks.round_not_found(slug)
    if invitation is None:
        return blocks.message(
            f"I can't find an invitation waiting for your answer in `{escape(slug)}`. "
            "If you have answered already, thank you. If you think you should have been "
            "invited, contact the commissioning team."
        )
    return open_modal(client, invitation, trigger_id)


def open_modal(client: WebClient, invitation: Invitation, trigger_id: str | None) -> Reply | None:
    """Start or resume the invitation's response and open it as a modal."""
    try:
        response = responses.start_or_resume(invitation, channel="slack")
        invitations.mark_opened(invitation)
        view = resume_view(response)
        db.session.commit()
    except DebriefError as error:
        db.session.rollback()
        return errors.message(error)
    opened = slack_call(
        "open the answering modal", lambda: client.views_open(trigger_id=trigger_id, view=view)
    )
    if opened is None:
        return blocks.message(
            "Sorry, Slack would not open the questionnaire just now. Anything you had "
            "answered is saved; please try `/debrief give` again in a moment."
        )
    return None


# ---------------------------------------------------------------------------- views


def _metadata(response: Response, page_id: str) -> dict[str, Any]:
    return {"r": response.id, "p": page_id}


def read_metadata(view: dict[str, Any]) -> tuple[int | None, str | None]:
    """Return (response id, page id) from a modal's private metadata."""
    try:
        data = json.loads(view.get("private_metadata") or "{}")
        return int(data["r"]), str(data["p"])
    except (ValueError, KeyError, TypeError):
        return None, None


def resume_view(response: Response) -> dict[str, Any]:
    """Return the view for the first page still to answer, or the check page."""
    page_id = Walk(response).first_page_id()
    return page_view(response, page_id) if page_id else check_view(response)


def page_view(response: Response, page_id: str, notice: str = "") -> dict[str, Any]:
    """Return one page of the response's questionnaire as a modal, prefilled."""
    walk = Walk(response)
    shown = walk.open_page(page_id)
    return blocks.answer_page_view(
        title=TITLE,
        survey_title=walk.definition.title,
        page=shown.page,
        questions=shown.questions,
        form=form_from_answers(shown.questions, walk.answers),
        metadata=_metadata(response, page_id),
        position=(shown.number, shown.count),
        has_next=shown.next_id is not None,
        can_go_back=shown.previous_id is not None,
        notice=notice,
    )


def check_view(response: Response) -> dict[str, Any]:
    """Return the "check your answers" modal for a response."""
    walk = Walk(response)
    return blocks.check_answers_view(
        title=TITLE,
        survey_title=walk.definition.title,
        rows=[(row.question.text, row.answer) for row in walk.check_rows()],
        metadata=_metadata(response, "check"),
    )


# ---------------------------------------------------------------------------- submissions


def _own_response(
    user_id: str | None, view: dict[str, Any], officer: Officer | None
) -> tuple[Response | None, str]:
    response_id, page_id = read_metadata(view)
    response = db.session.get(Response, response_id) if response_id else None
    if not owns(response, user_id, officer):
        return None, ""
    return response, page_id or ""


def _notice(text: str) -> AckArgs:
    return {"response_action": "update", "view": blocks.notice_view(TITLE, text)}


def save_page(user_id: str | None, view: dict[str, Any], officer: Officer | None = None) -> AckArgs:
    """Save a submitted page and return what to acknowledge: errors, or the next view.

    Domain errors other than field errors are answered by the listener (`bot.errors`).
    """
    response, page_id = _own_response(user_id, view, officer)
    if response is None:
        return _notice("Sorry, this questionnaire belongs to someone else.")
    walk = Walk(response)
    if not walk.has_page(page_id):
        return {"response_action": "update", "view": resume_view(response)}
    values = (view.get("state") or {}).get("values") or {}
    form = form_from_state(walk.visible_questions(page_id), values)
    try:
        next_id = walk.save_page(page_id, form)
    except InvalidInput as error:
        db.session.rollback()
        return {"response_action": "errors", "errors": block_errors(error.errors, values.keys())}
    db.session.commit()  # the page is stored before Slack hears back
    next_view = page_view(response, next_id) if next_id else check_view(response)
    return {"response_action": "update", "view": next_view}


def submit(user_id: str | None, view: dict[str, Any], officer: Officer | None = None) -> AckArgs:
    """Submit the response through the walk, then confirm."""
    response, _ = _own_response(user_id, view, officer)
    if response is None:
        return _notice("Sorry, this questionnaire belongs to someone else.")
    walk = Walk(response)
    try:
        walk.submit()
    except InvalidInput as error:
        db.session.rollback()
        first = next(iter(error.errors), None)
        if first is None:
            return {"response_action": "update", "view": resume_view(response)}
        page_id = walk.page_of(first)
        return {"response_action": "update", "view": page_view(response, page_id, explain(error))}
    db.session.commit()  # committed before the view is acknowledged
    return {
        "response_action": "update",
        "view": blocks.confirmation_view(TITLE, response.reference),
    }


def back_view(
    user_id: str | None, view: dict[str, Any], officer: Officer | None = None
) -> dict[str, Any] | None:
    """Return the view before the current page (unsaved answers on it are dropped)."""
    response, page_id = _own_response(user_id, view, officer)
    if response is None:
        return None
    walk = Walk(response)
    if page_id == "check":
        previous = walk.last_page_id()
    elif walk.has_page(page_id):
        previous = walk.open_page(page_id).previous_id
    else:
        previous = None
    return page_view(response, previous) if previous else None
