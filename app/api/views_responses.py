"""Responses: list them with their answers, show one, and submit a whole one.

A submission walks the questionnaire through `surveys.services.walk` like every
other face. With an `Idempotency-Key` header, the same key and body give the same
answer and store one response; the same key with another body is refused (422).
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from app.api import blueprint as blp
from app.api.auth import current_officer
from app.api.paging import paged
from app.api.schemas import ResponseArgs, ResponseInput, ResponseSchema, page_of
from app.extensions import db
from surveys.errors import InvalidInput
from surveys.models import Officer
from surveys.services import api_tokens, cursor_pages, responses, telephone, tracking
from surveys.services.walk import Walk

IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
    "description": "Any unique text (a UUID); retries with it store one response.",
}


@blp.get("/responses")
@blp.etag
@blp.arguments(ResponseArgs, location="query")
@blp.response(200, page_of(ResponseSchema))
def list_responses(args: dict[str, Any]):
    """List responses with their answers, filtered by round, survey, status, channel or date."""
    filters = {k: args[k] for k in ("round_id", "survey_id", "status", "channel") if k in args}
    query = cursor_pages.responses(updated_since=args.get("updated_since"), **filters)
    return paged(query, args)


@blp.get("/responses/<int:response_id>")
@blp.etag
@blp.response(200, ResponseSchema)
def get_response(response_id: int):
    """Show one response with its answers."""
    return tracking.get_response(response_id)


@blp.post("/responses")
@blp.arguments(ResponseInput)
@blp.doc(parameters=[IDEMPOTENCY_KEY])
@blp.response(201, ResponseSchema)
def submit_response(data: dict[str, Any]):
    """Submit a whole response: every answer at once, checked page by page, then submitted."""
    officer = current_officer()
    key = request.headers.get("Idempotency-Key")
    if key is None:
        response = _submit(data, officer)
        db.session.commit()
        return response
    key = api_tokens.check_key(key)
    fingerprint = api_tokens.request_fingerprint("POST", request.path, request.get_json())
    stored = api_tokens.replay(officer, key, fingerprint)
    if stored is not None:
        return _replayed(stored.status_code, stored.body)
    response = _submit(data, officer)
    body = ResponseSchema().dump(response)
    if not api_tokens.remember(officer, key, fingerprint, 201, body):
        # A concurrent request with this key won: answer as it did, storing nothing.
        db.session.rollback()
        stored = api_tokens.replay(officer, key, fingerprint)
        if stored is None:
            raise InvalidInput("Retry", {"Idempotency-Key": "Retry the request"})
        return _replayed(stored.status_code, stored.body)
    db.session.commit()
    return response


def _submit(data: dict[str, Any], officer: Officer):
    """Start the response, walk every page with the answers given, and submit it."""
    channel = data["channel"]
    entered_by = None if channel == "web" else officer
    if "invitation_id" in data:
        invitation = telephone.get_invitation(data["invitation_id"])
        response = responses.start_or_resume(invitation, channel=channel, entered_by=entered_by)
    elif "survey_id" in data:
        survey = responses.get_survey(data["survey_id"])
        response = responses.start_or_resume(survey=survey, channel=channel, entered_by=entered_by)
    else:
        raise InvalidInput(
            "Say which survey", {"survey_id": "Give a survey_id or an invitation_id"}
        )
    walk = Walk(response)
    walk.save_all(data["answers"])
    walk.submit()
    db.session.flush()
    return response


def _replayed(status: int, body: dict[str, Any]) -> Response:
    response = jsonify(body)
    response.status_code = status
    response.headers["Idempotent-Replayed"] = "true"
    return response
