"""Data protection: export what is held about a contact, erase a contact, purge old answers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, select

from surveys.db import db
from surveys.models import (
    Answer,
    CallLog,
    Contact,
    Invitation,
    InvitationStatus,
    MessageStatus,
    Officer,
    OutboundMessage,
    Programme,
    Response,
    Round,
    RoundStatus,
    Survey,
    Theme,
    utcnow,
)
from surveys.services import audit
from surveys.services.rounds import today

ERASED_NAME = "Erased contact"
# Question types whose answers are the respondent's contact details: deleted on erasure.
CONTACT_DETAIL_TYPES = frozenset({"email"})
FREE_TEXT_TYPES = frozenset({"short_text", "long_text"})


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def contact_data(contact: Contact, *, actor: Officer | None = None) -> dict[str, Any]:
    """Return everything held about a contact, and note the export in the audit log."""
    from surveys.definitions import definition_of

    invitations = list(
        db.session.scalars(
            select(Invitation).where(Invitation.contact_id == contact.id).order_by(Invitation.id)
        )
    )
    data: dict[str, Any] = {
        "contact": {
            "name": contact.name,
            "email": contact.email,
            "phone": contact.phone,
            "role": contact.role,
            "slack_user_id": contact.slack_user_id,
            "opted_out": contact.opted_out,
            "created_at": _iso(contact.created_at),
            "erased_at": _iso(contact.erased_at),
        },
        "organisation": {"name": contact.organisation.name, "sector": contact.organisation.sector},
        "invitations": [],
    }
    for invitation in invitations:
        calls = db.session.scalars(
            select(CallLog).where(CallLog.invitation_id == invitation.id).order_by(CallLog.id)
        )
        responses = db.session.scalars(
            select(Response).where(Response.invitation_id == invitation.id).order_by(Response.id)
        )
        messages = db.session.scalars(
            select(OutboundMessage)
            .where(OutboundMessage.invitation_id == invitation.id)
            .order_by(OutboundMessage.id)
        )
        entry = {
            "survey": invitation.survey.title,
            "round": invitation.survey.round.name,
            "status": invitation.status,
            "sent_at": _iso(invitation.sent_at),
            "opened_at": _iso(invitation.opened_at),
            "completed_at": _iso(invitation.completed_at),
            "reminders": invitation.reminder_count,
            "calls": [
                {"outcome": c.outcome, "note": c.note, "called_at": _iso(c.called_at)}
                for c in calls
            ],
            "emails": [
                {"kind": m.kind, "to": m.to_address, "status": m.status, "sent_at": _iso(m.sent_at)}
                for m in messages
            ],
            "responses": [],
        }
        for response in responses:
            definition = definition_of(response.survey_version.definition)
            texts = {q.id: q.text for page in definition.pages for q in page.questions}
            entry["responses"].append(
                {
                    "reference": response.reference,
                    "channel": response.channel,
                    "status": response.status,
                    "submitted_at": _iso(response.submitted_at),
                    "answers": [
                        {"question": texts.get(a.question_id, a.question_id), "answer": a.value}
                        for a in response.answers
                    ],
                }
            )
        data["invitations"].append(entry)
    audit.record("contact.data_exported", actor=actor, target=contact, format="json")
    return data


@dataclass
class Erasure:
    """What an erasure removed and what it redacted, by count."""

    removed: Counter = field(default_factory=Counter)
    redacted: Counter = field(default_factory=Counter)

    def describe(self) -> str:
        """Say it in a line each, for the command and the audit log."""

        def listed(counts: Counter) -> str:
            return ", ".join(f"{n} {what}" for what, n in sorted(counts.items()) if n) or "nothing"

        return f"Removed: {listed(self.removed)}.\nRedacted: {listed(self.redacted)}."


def erase_contact(contact: Contact, *, actor: Officer | None = None) -> Erasure:
    """Delete a contact's personal data, anonymise their answers and kill their links.

    The person's full name, first name and surname are redacted wherever their words were
    kept: their answers, the themes' exemplars and labels. Call `compact_after_erasure`
    once the erasure is committed, so no freed page of the database still holds them.
    """
    erasure = Erasure()
    if contact.erased_at is not None:
        return erasure
    names = [contact.name] if contact.name else []
    invitations = list(
        db.session.scalars(select(Invitation).where(Invitation.contact_id == contact.id))
    )
    for invitation in invitations:
        # Answers stay for the round's learning but can no longer be tied to the person.
        for response in db.session.scalars(
            select(Response).where(Response.invitation_id == invitation.id)
        ):
            _anonymise_answers(response, names, erasure)
            response.invitation_id = None
        invitation.token_hash = None
        invitation.status = InvitationStatus.REVOKED
    erasure.removed["personal links"] = len(invitations)
    _forget_invitation_traces([invitation.id for invitation in invitations], erasure)
    _redact_themes(names, erasure)
    erasure.removed["contact details (name, email, phone, Slack id)"] = 1
    contact.name = ERASED_NAME
    contact.email = None
    contact.phone = None
    contact.slack_user_id = None
    contact.opted_out = True
    contact.erased_at = utcnow()
    db.session.flush()
    audit.record(
        "contact.erased",
        actor=actor,
        target=contact,
        count=len(invitations),
        removed=erasure.removed.total(),
        redacted=erasure.redacted.total(),
    )
    return erasure


# Tables an erasure rewrites: vacuumed afterwards on PostgreSQL.
ERASURE_TABLES = (
    "contact",
    "answer",
    "response",
    "invitation",
    "call_log",
    "outbound_message",
    "theme",
    "audit_event",
)


def compact_after_erasure() -> None:
    """Leave no copy of erased text in the database files (call after committing).

    SQLite runs with `secure_delete`, so freed pages are zeroed; truncating the WAL drops
    the old page images it still holds. On PostgreSQL, VACUUM (outside a transaction)
    clears the dead row versions. Backups taken earlier still hold the data (see README).
    """
    engine = db.engine
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()  # outside any transaction, as a checkpoint must be
        try:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            raw.close()
    elif engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in ERASURE_TABLES:
                connection.exec_driver_sql(f'VACUUM "{table}"')


def _anonymise_answers(response: Response, names: list[str], erasure: Erasure) -> None:
    """Drop answers that are contact details; redact the person from their free text."""
    from analysis.redact import redact
    from surveys.definitions import definition_of

    definition = definition_of(response.survey_version.definition)
    types = {q.id: q.type_name for page in definition.pages for q in page.questions}

    def scrub(value: Any) -> Any:
        if isinstance(value, str):
            return redact(value, names)
        if isinstance(value, dict):  # a choice's "Other" text
            return {key: scrub(text) if key == "other" else text for key, text in value.items()}
        if isinstance(value, list):
            return [scrub(item) if isinstance(item, dict) else item for item in value]
        return value

    for answer in list(response.answers):
        question_type = types.get(answer.question_id)
        if question_type in CONTACT_DETAIL_TYPES:
            response.answers.remove(answer)
            erasure.removed["contact-detail answers"] += 1
        elif question_type in FREE_TEXT_TYPES or isinstance(answer.value, dict | list):
            value = scrub(answer.value)
            if value != answer.value:
                answer.value = value
                erasure.redacted["answers"] += 1
            if answer.reasons:  # the tagger's cue words are taken from the text
                answer.reasons = [redact(reason, names) for reason in answer.reasons]


def _redact_themes(names: list[str], erasure: Erasure) -> None:
    """Redact the person from theme exemplars (copies of answer text) and theme labels."""
    from analysis.redact import label_without_names, redact

    if not names:
        return
    for theme in db.session.scalars(select(Theme)):
        exemplars = [redact(text, names) for text in theme.exemplars or []]
        if exemplars != theme.exemplars:
            erasure.redacted["theme exemplars"] += sum(
                new != old for new, old in zip(exemplars, theme.exemplars, strict=True)
            )
            theme.exemplars = exemplars
        label = label_without_names(theme.label, names)
        if label != theme.label:
            theme.label = label
            erasure.redacted["theme labels"] += 1
        if redact(theme.key.replace("-", " "), names) != theme.key.replace("-", " "):
            theme.key = f"erased-{theme.id}"


def _forget_invitation_traces(invitation_ids: list[int], erasure: Erasure | None = None) -> None:
    """Blank call notes and the emails sent about these invitations (addresses, bodies, errors)."""
    if not invitation_ids:
        return
    erasure = erasure or Erasure()
    calls = select(CallLog).where(CallLog.invitation_id.in_(invitation_ids))
    for call in db.session.scalars(calls):
        if call.note:
            erasure.removed["call notes"] += 1
        call.note = ""
    for message in db.session.scalars(
        select(OutboundMessage).where(OutboundMessage.invitation_id.in_(invitation_ids))
    ):
        erasure.removed["emails sent"] += 1
        message.to_address = None
        message.body_text = message.body_html = ""
        # An SMTP refusal usually quotes the address it refused.
        message.last_error = None
        if message.status == MessageStatus.QUEUED:
            message.status = MessageStatus.CANCELLED


def expired_rounds(on: date | None = None) -> list[Round]:
    """Return closed rounds whose programme's retention period has passed."""
    on = on or today()
    query = (
        select(Round)
        .join(Programme)
        .where(
            Round.status == RoundStatus.CLOSED,
            Round.closes_on.is_not(None),
            Programme.retention_days.is_not(None),
        )
    )
    return [
        round_
        for round_ in db.session.scalars(query)
        if round_.closes_on + timedelta(days=round_.programme.retention_days) < on
    ]


def purge_expired(on: date | None = None) -> int:
    """Delete the responses of rounds past their retention period; return how many."""
    total = 0
    for round_ in expired_rounds(on):
        survey_ids = select(Survey.id).where(Survey.round_id == round_.id)
        response_ids = list(
            db.session.scalars(select(Response.id).where(Response.survey_id.in_(survey_ids)))
        )
        if not response_ids:
            continue
        db.session.execute(delete(Answer).where(Answer.response_id.in_(response_ids)))
        db.session.execute(delete(Response).where(Response.id.in_(response_ids)))
        invitation_ids = list(
            db.session.scalars(select(Invitation.id).where(Invitation.survey_id.in_(survey_ids)))
        )
        db.session.execute(
            Invitation.__table__.update()
            .where(Invitation.id.in_(invitation_ids))
            .values(token_hash=None)
        )
        # Notes taken on the phone and the emails sent go with the answers.
        _forget_invitation_traces(invitation_ids)
        total += len(response_ids)
        audit.record("responses.purged", target=round_, count=len(response_ids))
    db.session.flush()
    return total
