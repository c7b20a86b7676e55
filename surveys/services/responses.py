"""The one submission service: drafts, page saves and submission, for every channel.

The web journey, the Slack modal, the API and telephone entry all call these
functions. Each validates against the exact survey version the response started
on. They flush and never commit; the caller commits. A concurrent duplicate is
reported as AlreadySubmitted: no caller ever sees a database error.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from surveys import journey
from surveys.db import db
from surveys.definitions import Definition, definition_of
from surveys.errors import AlreadySubmitted, InvalidInput, NotFound, SurveyClosed
from surveys.models import (
    Answer,
    Invitation,
    InvitationStatus,
    Officer,
    Response,
    ResponseStatus,
    Survey,
    SurveyVersion,
    utcnow,
)
from surveys.services import audit, webhooks
from surveys.services.tagging import tag_answers
from surveys.services.vectors import store_vectors

# No 0/O or 1/I/L, so a reference read over the telephone is unambiguous.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
Form = Mapping[str, "str | list[str]"]


def new_reference() -> str:
    """Return a fresh response reference such as DB-7K3M-Q9PX."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"DB-{chars[:4]}-{chars[4:]}"


def definition_for(response: Response) -> Definition:
    """Return the definition of the exact version a response answers."""
    return definition_of(response.survey_version.definition)


def current_version(survey: Survey) -> SurveyVersion:
    """Return the survey's current definition version."""
    version = db.session.scalars(
        select(SurveyVersion).where(
            SurveyVersion.survey_id == survey.id, SurveyVersion.version == survey.current_version
        )
    ).first()
    if version is None:
        raise NotFound("This survey has no questionnaire yet")
    return version


def is_open(survey: Survey) -> bool:
    """Say whether a survey takes answers: its round is open."""
    return survey.round.is_open


def current_definition(survey: Survey) -> Definition:
    """Return the definition of the survey's current version (NotFound if it has none)."""
    return definition_of(current_version(survey).definition)


def ensure_open(survey: Survey) -> None:
    """Raise SurveyClosed unless the survey's round is open."""
    if not is_open(survey):
        raise SurveyClosed("This questionnaire is closed")


def live_response(invitation: Invitation) -> Response | None:
    """Return the invitation's draft or submitted response, if it has one."""
    return db.session.scalars(
        select(Response).where(
            Response.invitation_id == invitation.id, Response.status != ResponseStatus.WITHDRAWN
        )
    ).first()


def start_or_resume(
    invitation: Invitation | None = None,
    *,
    survey: Survey | None = None,
    channel: str = "web",
    entered_by: Officer | None = None,
) -> Response:
    """Return the invitation's draft response, starting one if there is none.

    Without an invitation (an open link, or an officer entering an anonymous reply)
    a new draft is always started.
    """
    if invitation is not None:
        if invitation.is_revoked:
            raise NotFound("This invitation has been revoked")
        survey = invitation.survey
    if survey is None:
        raise ValueError("start_or_resume needs an invitation or a survey")
    if invitation is None and channel == "web" and not survey.open_link:
        raise NotFound("This survey has no open link")
    existing = live_response(invitation) if invitation is not None else None
    if existing is not None:
        return _resumable(existing)
    ensure_open(survey)
    response = Response(
        survey=survey,
        survey_version=current_version(survey),
        invitation=invitation,
        channel=channel,
        entered_by=entered_by,
        reference=new_reference(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(response)
    except IntegrityError:
        # Another request started this invitation's response at the same moment.
        existing = live_response(invitation) if invitation is not None else None
        if existing is None:
            raise
        return _resumable(existing)
    return response


def _resumable(response: Response) -> Response:
    if response.is_submitted:
        raise AlreadySubmitted(response=response)
    ensure_open(response.survey)
    return response


def open_link_survey(slug: str) -> Survey:
    """Return the survey whose open link this is; NotFound unless it has one."""
    survey = survey_by_slug(slug)
    if not survey.open_link:
        raise NotFound("No such questionnaire")
    return survey


def get_survey(survey_id: int) -> Survey:
    """Return a survey by id, or raise NotFound."""
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        raise NotFound("No such questionnaire")
    return survey


def survey_by_slug(slug: str) -> Survey:
    """Return a survey by its slug, or raise NotFound."""
    survey = db.session.scalars(select(Survey).where(Survey.slug == slug)).first()
    if survey is None:
        raise NotFound("No such questionnaire")
    return survey


def find_draft(survey: Survey, response_id: int) -> Response:
    """Return a survey's response by id (for an open link's cookie); NotFound otherwise."""
    response = db.session.get(Response, response_id)
    if response is None or response.survey_id != survey.id or response.is_withdrawn:
        raise NotFound("No such response")
    return response


def answers_of(response: Response) -> dict[str, Any]:
    """Return a response's answers so far, by question id (None = seen and left blank)."""
    return {answer.question_id: answer.value for answer in response.answers}


def _check_draft(response: Response) -> None:
    if response.is_submitted:
        raise AlreadySubmitted(response=response)
    if not response.is_draft:
        raise NotFound("This response has been withdrawn")
    ensure_open(response.survey)


def save_page(response: Response, page_id: str, form: Form) -> Response:
    """Validate one page of answers and store them in the draft (raises InvalidInput)."""
    _check_draft(response)
    definition = definition_for(response)
    answers = answers_of(response)
    if not journey.page_is_visible(definition, answers, page_id):
        raise NotFound("This page is not part of the questionnaire")
    cleaned, errors = journey.validate_page(definition, page_id, form, answers)
    if errors:
        raise InvalidInput("There is a problem with your answers", errors)
    store_answers(response, cleaned, definition)
    # Questions on this page hidden by earlier answers lose any old draft answer.
    stale = {q.id for q in definition.page(page_id).questions} - set(cleaned)
    _remove_answers(response, stale)
    response.updated_at = utcnow()
    db.session.flush()
    return response


def store_answers(response: Response, values: Mapping[str, Any], definition: Definition) -> None:
    """Insert or update draft answers by question id (values already cleaned)."""
    by_question = {answer.question_id: answer for answer in response.answers}
    for qid, value in values.items():
        answer = by_question.get(qid)
        if answer is None:
            answer = Answer(question_id=qid)
            response.answers.append(answer)
        elif answer.value != value:
            _clear_tag(answer)
        answer.value = value
        answer.kind = definition.question(qid).kind


def _remove_answers(response: Response, question_ids: set[str]) -> None:
    for answer in list(response.answers):
        if answer.question_id in question_ids:
            response.answers.remove(answer)


def _clear_tag(answer: Answer) -> None:
    answer.sentiment_label = answer.polarity = answer.subjectivity = None
    answer.suggestion = answer.reasons = answer.tagger_version = None


def _mark_submitted(response: Response, when: datetime) -> None:
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = when
    invitation = response.invitation
    if invitation is not None:
        invitation.status = InvitationStatus.COMPLETED
        invitation.completed_at = when


def submit_response(response: Response, *, submitted_at: datetime | None = None) -> Response:
    """Check every visible answer against the response's version and submit it, once.

    Raises AlreadySubmitted, SurveyClosed, or InvalidInput (errors by question id).
    `submitted_at` backdates a response entered after the fact (imports, the demo).
    """
    # Lock the row so two simultaneous submissions of one response cannot both pass.
    db.session.refresh(response, with_for_update=True)
    _check_draft(response)
    definition = definition_for(response)
    answers = answers_of(response)
    errors = journey.check_answers(definition, answers)
    if errors:
        raise InvalidInput("Some answers are missing or need changing", errors)
    kept = journey.answered_questions(definition, answers)
    try:
        with db.session.begin_nested():
            _remove_answers(response, set(answers) - set(kept))
            _mark_submitted(response, submitted_at or utcnow())
            tag_answers(response)
            store_vectors(response.answers, when_ready=True)
            db.session.flush()
    except IntegrityError as error:
        # A simultaneous submission of the same invitation won; it is stored once.
        raise AlreadySubmitted() from error
    audit.record(
        "response.submitted",
        actor=response.entered_by,
        actor_type="officer" if response.entered_by else "respondent",
        target=response,
        channel=response.channel,
        survey_id=response.survey_id,
    )
    webhooks.response_submitted(response)
    return response
