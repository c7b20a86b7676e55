"""Invitations and their personal links.

A link's token is shown once; only its SHA-256 is stored. Issuing a new link
rotates the token, so the old link stops working at once.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from sqlalchemy import select

from surveys import urls
from surveys.db import db
from surveys.errors import InvalidInput, NotFound, SurveyClosed
from surveys.models import Contact, Invitation, InvitationStatus, Round, Survey, utcnow
from surveys.services.contacts import may_contact

# Invitations still waiting for an answer.
PENDING_STATUSES = tuple(status for status in InvitationStatus if status.is_pending)
MAX_TOKEN_LENGTH = 64


def token_hash(token: str) -> str:
    """Return the stored form of a link token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invite(survey: Survey, contacts: Iterable[Contact]) -> list[Invitation]:
    """Return one invitation per contact for the survey, creating missing ones.

    Contacts who have opted out or been erased are skipped. Running it again
    changes nothing. Only an open round takes invitations (SurveyClosed otherwise).
    """
    if not survey.round.is_open:
        raise SurveyClosed("Open the round before sending invitations")
    existing = {
        invitation.contact_id: invitation
        for invitation in db.session.scalars(
            select(Invitation).where(Invitation.survey_id == survey.id)
        )
    }
    invitations: list[Invitation] = []
    for contact in contacts:
        if not may_contact(contact):
            continue
        invitation = existing.get(contact.id)
        if invitation is None:
            invitation = Invitation(survey=survey, contact=contact)
            db.session.add(invitation)
            existing[contact.id] = invitation
        invitations.append(invitation)
    db.session.flush()
    return invitations


def issue_link(invitation: Invitation) -> str:
    """Give the invitation a new link token and return it; any older link stops working."""
    if invitation.is_revoked:
        raise InvalidInput("This invitation has been revoked", {"invitation": "Revoked"})
    token = secrets.token_urlsafe(24)
    invitation.token_hash = token_hash(token)
    db.session.flush()
    return token


def invitation_for_token(token: str) -> Invitation:
    """Return the invitation a link token belongs to; NotFound for unknown, old or revoked."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise NotFound("No such link")
    invitation = db.session.scalars(
        select(Invitation).where(Invitation.token_hash == token_hash(token))
    ).first()
    if invitation is None or invitation.is_revoked:
        raise NotFound("No such link")
    return invitation


def link_url(token: str) -> str:
    """Return the full web address of a link token."""
    return urls.link("public.start", token=token)


def revoke(invitation: Invitation) -> None:
    """Withdraw an invitation: its link stops working and it cannot be reissued."""
    invitation.status = InvitationStatus.REVOKED
    invitation.token_hash = None
    db.session.flush()


def mark_opened(invitation: Invitation) -> None:
    """Record the first time the respondent opened their link."""
    if invitation.status in ("pending", "sent"):
        invitation.status = InvitationStatus.OPENED
    if invitation.opened_at is None:
        invitation.opened_at = utcnow()
    db.session.flush()


def pending_invitations(round_: Round) -> list[Invitation]:
    """Return a round's invitations still waiting for an answer, in survey and contact order."""
    return list(
        db.session.scalars(
            select(Invitation)
            .join(Survey)
            .where(Survey.round_id == round_.id, Invitation.status.in_(PENDING_STATUSES))
            .order_by(Survey.id, Invitation.id)
        )
    )


def pending_invitation_for_slack_user(round_: Round, slack_user_id: str) -> Invitation | None:
    """Return the Slack user's invitation in a round still waiting for an answer, if any."""
    return db.session.scalars(
        select(Invitation)
        .join(Survey)
        .join(Contact, Invitation.contact_id == Contact.id)
        .where(
            Survey.round_id == round_.id,
            Invitation.status.in_(PENDING_STATUSES),
            Contact.slack_user_id == slack_user_id,
            Contact.erased_at.is_(None),
        )
        .order_by(Survey.id, Invitation.id)
    ).first()


def open_link_url(survey: Survey) -> str:
    """Return the web address of a survey's open link."""
    return urls.link("public.open_start", slug=survey.slug)
