"""*Save as feedback*: an officer records a Slack message as an answer for a round.

The officer picks an open round's free-text question; the message becomes that answer in
a new response (channel `slack`, entered by the officer) saved through the submission
service. The modal then walks the rest of the questionnaire, as telephone entry does, so
the response is checked and submitted by the same rules as every other.
"""

from __future__ import annotations

from typing import Any

from bot import blocks, giving
from bot.access import may_change
from bot.errors import explain
from bot.text import escape
from surveys.db import db
from surveys.errors import DebriefError, InvalidInput, NotFound
from surveys.models import Officer, Survey
from surveys.services import responses, rounds_admin
from surveys.services.walk import Walk

FEEDBACK_VIEW = "save_feedback"
TITLE = "Save as feedback"
QUESTION_BLOCK = "question"
TEXT_BLOCK = "text"


def question_choices() -> list[tuple[str, str]]:
    """Return (value, label) for every free-text question of every open round's surveys."""
    choices: list[tuple[str, str]] = []
    for round_ in rounds_admin.list_rounds():
        if not round_.is_open:
            continue
        for survey in round_.surveys:
            try:
                definition = responses.current_definition(survey)
            except NotFound:
                continue
            for question in definition.questions:
                if question.is_free_text:
                    label = f"{round_.name} · {survey.title} · {question.text}"
                    choices.append((f"{survey.id}:{question.id}", label))
    return choices[:100]


def feedback_view(officer: Officer | None, message: dict[str, Any]) -> dict[str, Any]:
    """Return the modal to save a message as feedback, or a notice saying why not."""
    if officer is None or not may_change(officer):
        return blocks.notice_view(TITLE, "Sorry, only council officers can save feedback.")
    choices = question_choices()
    if not choices:
        return blocks.notice_view(TITLE, "There is no open round to save feedback to.")
    author = message.get("user") or ""
    body = [
        blocks.context(f"From a message by <@{escape(author)}>" if author else "From a message"),
        {
            "type": "input",
            "block_id": QUESTION_BLOCK,
            "label": blocks.plain("Which question does it answer?"),
            "element": {
                "type": "static_select",
                "action_id": blocks.VALUE,
                "placeholder": blocks.plain("Choose a question"),
                "options": [
                    {"text": blocks.plain(label, 75), "value": value} for value, label in choices
                ],
            },
        },
        {
            "type": "input",
            "block_id": TEXT_BLOCK,
            "label": blocks.plain("The feedback (edit out anything personal)"),
            "element": {
                "type": "plain_text_input",
                "action_id": blocks.VALUE,
                "multiline": True,
                "max_length": 3000,
                "initial_value": (message.get("text") or "")[:3000],
            },
        },
    ]
    return blocks.modal(
        TITLE, body, callback_id=FEEDBACK_VIEW, private_metadata={}, submit="Continue"
    )


def _picked(values: dict[str, Any]) -> tuple[int, str] | None:
    selected = ((values.get(QUESTION_BLOCK) or {}).get(blocks.VALUE) or {}).get("selected_option")
    try:
        survey_id, question_id = (selected or {})["value"].split(":", 1)
        return int(survey_id), question_id
    except (KeyError, ValueError, AttributeError):
        return None


def save(user_id: str | None, view: dict[str, Any], officer: Officer | None) -> dict[str, Any]:
    """Store the message as an answer in a new response, then continue the journey."""
    if officer is None or not may_change(officer):
        return {"response_action": "errors", "errors": {TEXT_BLOCK: "Only officers can save"}}
    values = (view.get("state") or {}).get("values") or {}
    picked = _picked(values)
    survey = db.session.get(Survey, picked[0]) if picked else None
    if survey is None or picked is None:
        return {"response_action": "errors", "errors": {QUESTION_BLOCK: "Choose a question"}}
    question_id = picked[1]
    text = ((values.get(TEXT_BLOCK) or {}).get(blocks.VALUE) or {}).get("value") or ""
    try:
        page = responses.current_definition(survey).page_of(question_id)
    except KeyError:
        return {"response_action": "errors", "errors": {QUESTION_BLOCK: "Choose a question"}}
    try:
        response = responses.start_or_resume(survey=survey, channel="slack", entered_by=officer)
        Walk(response).save_page(page.id, {question_id: text})
    except InvalidInput as error:
        db.session.rollback()
        message = error.errors.get(question_id) or next(iter(error.errors.values()), str(error))
        return {"response_action": "errors", "errors": {TEXT_BLOCK: message}}
    except DebriefError as error:
        db.session.rollback()
        return {"response_action": "errors", "errors": {QUESTION_BLOCK: explain(error)}}
    db.session.commit()  # the message is stored before Slack hears back
    return {"response_action": "update", "view": giving.resume_view(response)}
