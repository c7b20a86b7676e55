"""How a respondent reaches a survey: a personal link or an open link, and the open link's
guards against robots (a honeypot, a signed start stamp and per-address limits)."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any

from flask import abort, current_app, request, session, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

from surveys.db import db
from surveys.definitions import Definition
from surveys.errors import NotFound
from surveys.models import Invitation, Response, Survey
from surveys.services import invitations, throttle
from surveys.services import responses as service

# Token guessing: after this many unknown links from one address, every link is refused.
BAD_LINK_LIMIT = 20
BAD_LINK_WINDOW = 10 * 60
# Open links: new responses per address per hour, and the quickest a person fills the start.
OPEN_START_LIMIT = 30
OPEN_START_WINDOW = 60 * 60
OPEN_MIN_SECONDS = 3
OPEN_MAX_AGE = 24 * 60 * 60
OPEN_STAMP_USES = 3
HONEYPOT_FIELD = "website"
SESSION_KEY = "open_responses"


@dataclass
class Access:
    """How a respondent reached the survey, and how to build the journey's addresses."""

    survey: Survey
    invitation: Invitation | None = None
    token: str | None = None
    response: Response | None = None

    def url(self, step: str, **values: Any) -> str:
        if self.token is not None:
            return url_for(f"public.{step}", token=self.token, **values)
        return url_for(f"public.open_{step}", slug=self.survey.slug, **values)

    @property
    def definition(self) -> Definition:
        if self.response is not None:
            return service.definition_for(self.response)
        return service.current_definition(self.survey)


def client_address() -> str:
    return request.remote_addr or "unknown"


def access_by_token(token: str) -> Access:
    """Find the invitation for a link; the same 404 for unknown, old and revoked links."""
    key = f"link-guess:{client_address()}"
    if throttle.is_blocked(key, BAD_LINK_LIMIT, BAD_LINK_WINDOW):
        abort(429)
    try:
        invitation = invitations.invitation_for_token(token)
    except NotFound:
        allowed = throttle.hit(key, BAD_LINK_LIMIT, BAD_LINK_WINDOW)
        db.session.commit()
        abort(404 if allowed else 429)
    return Access(
        survey=invitation.survey,
        invitation=invitation,
        token=token,
        response=service.live_response(invitation),
    )


def access_by_slug(slug: str) -> Access:
    survey = service.open_link_survey(slug)
    response = None
    response_id = session.get(SESSION_KEY, {}).get(str(survey.id))
    if response_id is not None:
        try:
            response = service.find_draft(survey, int(response_id))
        except NotFound:
            response = None
    return Access(survey=survey, response=response)


def remember_open_response(response: Response) -> None:
    remembered = dict(session.get(SESSION_KEY, {}))
    remembered[str(response.survey_id)] = response.id
    session[SESSION_KEY] = remembered


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="open-link-start")


def start_stamp() -> str:
    return _serializer().dumps(time.time())


def check_not_spam() -> str | None:
    """Keep robots out without failing a person: a filled honeypot is refused; a start
    that came too quickly, or whose stamp is missing, old or used up, returns the stamp for
    a page asking them to continue (None when the start may go ahead)."""
    if request.form.get(HONEYPOT_FIELD):
        abort(400)
    posted = request.form.get("started", "")
    try:
        started = float(_serializer().loads(posted, max_age=OPEN_MAX_AGE))
    except (BadSignature, TypeError, ValueError):
        return start_stamp()
    minimum = current_app.config.get("OPEN_LINK_MIN_SECONDS", OPEN_MIN_SECONDS)
    if time.time() - started < minimum:
        return posted  # the same stamp: its clock keeps running
    # A stamp serves a double click or a resubmit, not a replay loop.
    stamp = hashlib.sha256(posted.encode()).hexdigest()[:32]
    if not throttle.hit(f"open-stamp:{stamp}", OPEN_STAMP_USES, OPEN_MAX_AGE):
        db.session.commit()
        return start_stamp()
    if not throttle.hit(f"open-start:{client_address()}", OPEN_START_LIMIT, OPEN_START_WINDOW):
        db.session.commit()
        abort(429)
    return None
