"""Email: queue invitations, reminders and password resets; render and send them by SMTP.

A message is queued as an outbox row whose idempotency key (`invitation:<id>:invite`,
`invitation:<id>:reminder:<n>`...) makes queueing twice harmless. The body is rendered when
the worker sends it, because it carries a fresh link token that is never stored. The worker
claims and renders a message (`claim`), commits, makes the SMTP call outside any transaction
(`send`: SQLite's write lock is never held while a mail server thinks), then records the
outcome (`record`).
"""

from __future__ import annotations

import functools
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from surveys import urls
from surveys.db import db
from surveys.errors import DebriefError
from surveys.models import (
    Contact,
    Invitation,
    InvitationStatus,
    MessageStatus,
    Officer,
    OutboundMessage,
    utcnow,
)
from surveys.services import audit
from surveys.services.contacts import may_contact

MAIL_TEMPLATES = Path(__file__).resolve().parent.parent / "mail_templates"

OPT_OUT_SALT = "debrief.opt-out"
MAX_ERROR_LENGTH = 500
# How long a claimed message stays with the worker sending it: well past the SMTP timeout.
CLAIM_LEASE = timedelta(minutes=5)


class DeliveryFailed(DebriefError):
    """The SMTP server did not accept a message; the worker will try again."""


def can_email(contact: Contact) -> bool:
    """Say whether a contact may be emailed (has an address, not opted out or erased)."""
    return bool(contact.email) and may_contact(contact)


def _queue(
    key: str,
    kind: str,
    to_address: str,
    *,
    invitation: Invitation | None = None,
    officer: Officer | None = None,
) -> OutboundMessage | None:
    """Add an outbox row unless one with this key exists; return the new row or None."""
    existing = db.session.scalars(
        select(OutboundMessage.id).where(OutboundMessage.idempotency_key == key)
    ).first()
    if existing is not None:
        return None
    message = OutboundMessage(
        idempotency_key=key,
        kind=kind,
        invitation_id=invitation.id if invitation else None,
        officer_id=officer.id if officer else None,
        to_address=to_address,
        status="queued",
    )
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:
        return None
    return message


def invitation_of(message: OutboundMessage) -> Invitation | None:
    """Return the invitation an outbox row is about, if any."""
    if message.invitation_id is None:
        return None
    return db.session.get(Invitation, message.invitation_id)


def queue_invitation(invitation: Invitation) -> OutboundMessage | None:
    """Queue an invitation email unless the contact may not be emailed or it is queued."""
    if not can_email(invitation.contact) or invitation.status in ("completed", "revoked"):
        return None
    return _queue(
        f"invitation:{invitation.id}:invite",
        "invitation",
        invitation.contact.email,
        invitation=invitation,
    )


def queue_invitations(invitations: list[Invitation]) -> list[OutboundMessage]:
    """Queue invitation emails for each invitation that may be emailed."""
    queued = [queue_invitation(invitation) for invitation in invitations]
    return [message for message in queued if message is not None]


def queue_reminder(invitation: Invitation, label: str) -> OutboundMessage | None:
    """Queue a reminder under a label (a number or `auto-<days>`); the label dedupes it."""
    if not can_email(invitation.contact) or invitation.status in ("completed", "revoked"):
        return None
    return _queue(
        f"invitation:{invitation.id}:reminder:{label}",
        "reminder",
        invitation.contact.email,
        invitation=invitation,
    )


def queue_password_reset(officer: Officer) -> OutboundMessage | None:
    """Queue a password-reset email; a second request within the same minute is a no-op."""
    stamp = utcnow().strftime("%Y%m%d%H%M")
    return _queue(
        f"officer:{officer.id}:reset:{stamp}", "password_reset", officer.email, officer=officer
    )


def opt_out_token(contact: Contact) -> str:
    """Return a signed token that lets a contact opt out of further emails."""
    serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=OPT_OUT_SALT)
    return serializer.dumps(contact.id)


def contact_for_opt_out_token(token: str) -> Contact | None:
    """Return the contact an opt-out token belongs to, or None if it is not genuine."""
    serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=OPT_OUT_SALT)
    try:
        contact_id = serializer.loads(token)
    except BadSignature:
        return None
    contact = db.session.get(Contact, contact_id) if isinstance(contact_id, int) else None
    if contact is None or contact.erased_at is not None:
        return None
    return contact


def opt_out(contact: Contact) -> None:
    """Stop emailing a contact, and cancel emails already queued for them."""
    if contact.opted_out:
        return
    contact.opted_out = True
    queued = db.session.scalars(
        select(OutboundMessage)
        .join(Invitation, OutboundMessage.invitation_id == Invitation.id)
        .where(Invitation.contact_id == contact.id, OutboundMessage.status == MessageStatus.QUEUED)
    )
    for message in queued:
        message.status = MessageStatus.CANCELLED
    audit.record("contact.opted_out", actor=None, actor_type="respondent", target=contact)


@functools.cache
def _templates() -> Environment:
    # The core's own templates: .html autoescaped, so names and titles cannot inject markup.
    return Environment(
        loader=FileSystemLoader(MAIL_TEMPLATES),
        autoescape=select_autoescape(["html"]),
        keep_trailing_newline=True,
    )


def _render_template(name: str, **context: object) -> str:
    return _templates().get_template(name).render(**context)


def _long_date(day) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def render(message: OutboundMessage) -> EmailMessage:
    """Build the email for an outbox row, issuing a fresh link where it needs one."""
    config = current_app.config
    context: dict = {"organisation_name": config.get("ORGANISATION_NAME", "County Council")}
    if message.kind in ("invitation", "reminder"):
        from surveys.services.invitations import issue_link, link_url

        invitation = invitation_of(message)
        contact = invitation.contact
        survey = invitation.survey
        context |= {
            "contact": contact,
            "organisation": contact.organisation,
            "survey": survey,
            "round": survey.round,
            "closes_on": _long_date(survey.round.closes_on),
            "link": link_url(issue_link(invitation)),
            "opt_out_link": urls.link("auth.opt_out", token=opt_out_token(contact)),
            "reminder": message.kind == "reminder",
        }
        if message.kind == "reminder":
            subject = f"Reminder: tell us about {survey.round.name}"
        else:
            subject = f"Tell us how {survey.round.name} went for you"
        template = "invitation"
    elif message.kind == "password_reset":
        from surveys.services.auth import password_reset_token

        officer = db.session.get(Officer, message.officer_id)
        context |= {
            "officer": officer,
            "link": urls.link("auth.reset_password", token=password_reset_token(officer)),
        }
        subject = "Reset your Debrief password"
        template = "password_reset"
    else:
        raise ValueError(f"unknown message kind {message.kind!r}")
    email = EmailMessage()
    email["Subject"] = subject
    email["From"] = formataddr((context["organisation_name"], config["MAIL_FROM"]))
    email["To"] = message.to_address
    email["Message-ID"] = make_msgid(idstring=f"debrief-{message.id}")
    if "opt_out_link" in context:
        # RFC 2369 and RFC 8058: mail programs offer a one-click "Unsubscribe" that POSTs
        # List-Unsubscribe=One-Click to this address; the token in it is the authority.
        email["List-Unsubscribe"] = f"<{context['opt_out_link']}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(_render_template(f"{template}.txt", **context))
    email.add_alternative(_render_template(f"{template}.html", **context), subtype="html")
    return email


def _smtp_send(email: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=30) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("SMTP_USERNAME"):
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
        smtp.send_message(email)


def claim(message: OutboundMessage, now: datetime | None = None) -> EmailMessage | None:
    """Take a queued message for one attempt and render it; None when it is not to be sent.

    The claim (claimed_until) keeps other workers off the message, so the caller can commit,
    and free the database, before the SMTP call. A worker that dies holding it leaves it to
    the sweep once the claim runs out.
    """
    now = now or utcnow()
    if message.status != MessageStatus.QUEUED:
        return None
    if message.claimed_until is not None and message.claimed_until > now:
        return None  # another worker is sending it
    invitation = invitation_of(message)
    if invitation is not None and not can_email(invitation.contact):
        message.status = MessageStatus.CANCELLED
        return None
    email = render(message)
    message.attempts += 1
    message.claimed_until = now + CLAIM_LEASE
    db.session.flush()
    return email


def send(email: EmailMessage) -> str | None:
    """Hand an email to the SMTP server (no database work); return the error, None if taken."""
    try:
        _smtp_send(email)
    except (smtplib.SMTPException, OSError) as error:
        return f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH]
    return None


def record(message: OutboundMessage, error: str | None) -> None:
    """Record a claimed attempt: sent, or the error kept and DeliveryFailed raised to retry."""
    message.claimed_until = None
    if error is not None:
        message.last_error = error
        if message.status == MessageStatus.QUEUED:  # not cancelled (opted out) meanwhile
            raise DeliveryFailed(error)
        return
    now = utcnow()
    message.status = MessageStatus.SENT  # it went, whatever happened to the row meanwhile
    message.sent_at = now
    message.last_error = None
    invitation = invitation_of(message)
    if invitation is not None:
        if message.kind == "invitation":
            invitation.sent_at = invitation.sent_at or now
            if invitation.status == InvitationStatus.PENDING:
                invitation.status = InvitationStatus.SENT
        else:
            invitation.reminded_at = now
            invitation.reminder_count += 1


def mark_failed(message: OutboundMessage) -> None:
    """Give up on a message after its last retry, and tell officers."""
    from surveys.models import IntegrationProblem

    message.status = MessageStatus.FAILED
    db.session.add(
        IntegrationProblem(
            service="mail",
            summary=f"An email ({message.kind}, message {message.id}) could not be sent after "
            f"{message.attempts} attempts: {message.last_error or 'unknown error'}",
        )
    )


def queued_message_ids(limit: int = 500, now: datetime | None = None) -> list[int]:
    """Return ids of messages still waiting to be sent (not held by a live claim), oldest first."""
    unclaimed = or_(
        OutboundMessage.claimed_until.is_(None), OutboundMessage.claimed_until <= (now or utcnow())
    )
    query = (
        select(OutboundMessage.id)
        .where(OutboundMessage.status == MessageStatus.QUEUED, unclaimed)
        .order_by(OutboundMessage.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))
