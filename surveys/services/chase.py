"""The chase list: who was invited and has not answered, for a telephone calling session."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, exists, func, not_, select
from sqlalchemy.orm import contains_eager

from surveys.db import db
from surveys.models import (
    CALL_OUTCOMES,
    SECTORS,
    CallLog,
    Contact,
    Invitation,
    InvitationStatus,
    Organisation,
    Response,
    ResponseStatus,
    Round,
    Survey,
    utcnow,
)
from surveys.services import audit
from surveys.services.exports import neutralise
from surveys.services.lists import Listing, Page, Sort, an_id, one_of

WAITING = (InvitationStatus.PENDING, InvitationStatus.SENT, InvitationStatus.OPENED)
CHASE_STATUSES = {
    "not_opened": "Not opened",
    "opened": "Opened, not started",
    "in_progress": "In progress",
}
_has_draft = exists().where(
    Response.invitation_id == Invitation.id, Response.status == ResponseStatus.DRAFT
)
_invited_at = func.coalesce(Invitation.sent_at, Invitation.created_at)
_last_call = (
    select(func.max(CallLog.called_at))
    .where(CallLog.invitation_id == Invitation.id)
    .correlate(Invitation)
    .scalar_subquery()
)


@dataclass(frozen=True)
class ChaseEntry:
    """Someone invited who has not answered yet, with what is needed to phone them."""

    invitation_id: int
    contact_id: int
    name: str
    organisation: str
    sector: str
    survey: str
    phone: str | None
    email: str | None
    status: str
    in_progress: bool
    reminders: int
    last_reminded_at: datetime | None
    invited_at: datetime
    days_since_invited: int
    last_outcome: str | None
    last_called_at: datetime | None


def _status_clause(value: str) -> ColumnElement[bool]:
    if value == "in_progress":
        return _has_draft
    if value == "opened":
        return and_(Invitation.status == InvitationStatus.OPENED, not_(_has_draft))
    if value == "not_opened":
        return and_(Invitation.status != InvitationStatus.OPENED, not_(_has_draft))
    raise ValueError("Choose one of the options")


def chase_listing(round_: Round) -> Listing:
    """The round's invitees who have not submitted, to filter, sort and page."""
    query = (
        select(Invitation)
        .join(Survey, Invitation.survey_id == Survey.id)
        .join(Contact, Invitation.contact_id == Contact.id)
        .join(Organisation, Contact.organisation_id == Organisation.id)
        .where(
            Survey.round_id == round_.id,
            Invitation.status.in_(WAITING),
            Contact.erased_at.is_(None),
        )
        .options(
            contains_eager(Invitation.survey),
            contains_eager(Invitation.contact).contains_eager(Contact.organisation),
        )
    )
    return Listing(
        query=query,
        sorts={
            "organisation": Sort(Organisation.name),
            "survey": Sort(Survey.title),
            "invited": Sort(_invited_at),
            "reminded": Sort(Invitation.reminded_at),
            "called": Sort(_last_call),
        },
        default_sort="organisation",
        tiebreak=Invitation.id,
        filters={
            "survey": an_id(Invitation.survey_id),
            "sector": one_of(Organisation.sector, SECTORS),
            "status": _status_clause,
        },
    )


def chase_page(round_: Round, args: Mapping[str, str], today: date | None = None) -> Page:
    """Return one page of the chase list as ChaseEntry items."""
    page = chase_listing(round_).page(args)
    return dataclasses.replace(page, items=_entries(page.items, today))


def chase_list(
    round_: Round, *, sector: str = "", args: Mapping[str, str] | None = None
) -> list[ChaseEntry]:
    """Return every invitee of the round who has not submitted (filtered and sorted)."""
    args = dict(args or {}, **({"sector": sector} if sector else {}))
    return _entries(chase_listing(round_).all(args))


def _entries(invitations: list[Invitation], today: date | None = None) -> list[ChaseEntry]:
    today = today or utcnow().date()
    ids = [invitation.id for invitation in invitations]
    drafts = set()
    last_calls: dict[int, CallLog] = {}
    if ids:
        drafts = set(
            db.session.scalars(
                select(Response.invitation_id).where(
                    Response.invitation_id.in_(ids), Response.status == ResponseStatus.DRAFT
                )
            )
        )
        calls = db.session.scalars(
            select(CallLog).where(CallLog.invitation_id.in_(ids)).order_by(CallLog.called_at)
        )
        last_calls = {call.invitation_id: call for call in calls}
    return [
        _entry(invitation, invitation.id in drafts, last_calls, today) for invitation in invitations
    ]


def _entry(
    invitation: Invitation, in_progress: bool, last_calls: dict[int, CallLog], today: date
) -> ChaseEntry:
    contact = invitation.contact
    call = last_calls.get(invitation.id)
    invited_at = invitation.sent_at or invitation.created_at
    return ChaseEntry(
        invitation_id=invitation.id,
        contact_id=contact.id,
        name=contact.name,
        organisation=contact.organisation.name,
        sector=contact.organisation.sector,
        survey=invitation.survey.title,
        phone=contact.phone,
        email=contact.email,
        status=invitation.status,
        in_progress=in_progress,
        reminders=invitation.reminder_count,
        last_reminded_at=invitation.reminded_at,
        invited_at=invited_at,
        days_since_invited=max(0, (today - invited_at.date()).days),
        last_outcome=call.outcome if call else invitation.call_outcome,
        last_called_at=call.called_at if call else None,
    )


CSV_HEADER = (
    "Survey",
    "Organisation",
    "Sector",
    "Contact",
    "Phone",
    "Email",
    "Status",
    "Reminders",
    "Last reminder (UTC)",
    "Days since invited",
    "Last call",
    "Last call (UTC)",
)


def status_label(entry: ChaseEntry) -> str:
    """Say where an invitee has got to, in the chase list's words."""
    if entry.in_progress:
        return CHASE_STATUSES["in_progress"]
    return CHASE_STATUSES["opened" if entry.status == "opened" else "not_opened"]


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def chase_csv(round_: Round, args: Mapping[str, str], *, actor=None) -> str:
    """Return the filtered chase list as CSV text (with a byte-order mark for Excel); audited."""
    entries = chase_list(round_, args=args)
    audit.record("export.chase_list", actor=actor, target=round_, format="csv", rows=len(entries))
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for entry in entries:
        row = [
            entry.survey,
            entry.organisation,
            SECTORS.get(entry.sector, entry.sector),
            entry.name,
            entry.phone,
            entry.email,
            status_label(entry),
            entry.reminders,
            _when(entry.last_reminded_at),
            entry.days_since_invited,
            CALL_OUTCOMES.get(entry.last_outcome or "", "Not called"),
            _when(entry.last_called_at),
        ]
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()
