"""Telephone follow-up: call outcomes, and answers entered by an officer on the phone."""

from __future__ import annotations

from surveys.db import db
from surveys.errors import InvalidInput, NotFound
from surveys.models import CALL_OUTCOMES, CallLog, Invitation, Officer, Response
from surveys.services import audit

MAX_NOTE_LENGTH = 2000


def get_invitation(invitation_id: int) -> Invitation:
    """Return an invitation or raise NotFound."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.contact.erased_at is not None:
        raise NotFound("invitation")
    return invitation


def record_call(invitation: Invitation, officer: Officer, outcome: str, note: str = "") -> CallLog:
    """Record the outcome of a call to an invitee."""
    if outcome not in CALL_OUTCOMES:
        raise InvalidInput("No outcome", {"outcome": "Select the outcome of the call"})
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput(
            "Long note", {"note": f"Note must be {MAX_NOTE_LENGTH} characters or fewer"}
        )
    call = CallLog(
        invitation_id=invitation.id, officer_id=officer.id, outcome=outcome, note=note.strip()
    )
    db.session.add(call)
    invitation.call_outcome = outcome
    db.session.flush()
    audit.record("call.recorded", actor=officer, target=invitation, outcome=outcome)
    return call


def start_telephone_response(invitation: Invitation, officer: Officer) -> Response:
    """Start (or take over) the invitee's draft, to be filled in by the officer on the phone."""
    from surveys.services.responses import start_or_resume

    response = start_or_resume(invitation, channel="telephone", entered_by=officer)
    if response.channel != "telephone" or response.entered_by_id != officer.id:
        # A draft they began on the web, now finished over the phone.
        response.channel = "telephone"
        response.entered_by_id = officer.id
        db.session.flush()
    return response


def submit_telephone_response(response: Response, officer: Officer) -> Response:
    """Submit a telephone response through the same submission service as the web."""
    from surveys.services.responses import submit_response

    submit_response(response)
    if response.invitation is not None:
        response.invitation.call_outcome = "completed"
    return response
