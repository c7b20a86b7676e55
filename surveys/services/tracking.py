"""Round progress for the dashboard, and the chase list for telephone follow-up."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from surveys.db import db
from surveys.models import (
    CHANNELS,
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
)


@dataclass(frozen=True)
class Counts:
    invited: int = 0
    opened: int = 0
    in_progress: int = 0
    submitted: int = 0

    @property
    def response_rate(self) -> float:
        return self.submitted / self.invited if self.invited else 0.0


@dataclass(frozen=True)
class RoundProgress:
    """How far a round's invitations have got, overall, by sector and by channel."""

    totals: Counts
    by_sector: dict[str, Counts] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    uninvited_submitted: int = 0

    @property
    def invited(self) -> int:
        return self.totals.invited

    @property
    def opened(self) -> int:
        return self.totals.opened

    @property
    def in_progress(self) -> int:
        return self.totals.in_progress

    @property
    def submitted(self) -> int:
        return self.totals.submitted

    @property
    def response_rate(self) -> float:
        return self.totals.response_rate


def round_progress(round_: Round) -> RoundProgress:
    """Count a round's invited, opened, in-progress and submitted, by sector and channel."""
    live = (
        select(Response.invitation_id, Response.status, Response.channel)
        .join(Survey, Response.survey_id == Survey.id)
        .where(Survey.round_id == round_.id, Response.status != ResponseStatus.WITHDRAWN)
    )
    response_of: dict[int, tuple[str, str]] = {}
    by_channel: Counter[str] = Counter()
    uninvited = 0
    for invitation_id, status, channel in db.session.execute(live):
        if status == "submitted":
            by_channel[channel] += 1
            if invitation_id is None:
                uninvited += 1
        if invitation_id is not None:
            response_of[invitation_id] = (status, channel)
    rows = db.session.execute(
        select(Invitation.id, Invitation.opened_at, Organisation.sector)
        .join(Survey, Invitation.survey_id == Survey.id)
        .join(Contact, Invitation.contact_id == Contact.id)
        .join(Organisation, Contact.organisation_id == Organisation.id)
        .where(Survey.round_id == round_.id, Invitation.status != InvitationStatus.REVOKED)
    )
    tallies: dict[str, Counter[str]] = {}
    for invitation_id, opened_at, sector in rows:
        tally = tallies.setdefault(sector, Counter())
        tally["invited"] += 1
        status = response_of.get(invitation_id, (None, None))[0]
        if opened_at is not None or status is not None:
            tally["opened"] += 1
        if status == "draft":
            tally["in_progress"] += 1
        elif status == "submitted":
            tally["submitted"] += 1
    by_sector = {
        sector: Counts(**{key: tallies[sector][key] for key in Counts.__dataclass_fields__})
        for sector in SECTORS
        if sector in tallies
    }
    totals = Counts(
        **{
            key: sum(getattr(counts, key) for counts in by_sector.values())
            for key in Counts.__dataclass_fields__
        }
    )
    return RoundProgress(
        totals=totals,
        by_sector=by_sector,
        by_channel={channel: by_channel[channel] for channel in CHANNELS if by_channel[channel]},
        uninvited_submitted=uninvited,
    )


@dataclass(frozen=True)
class ChaseEntry:
    """Someone invited who has not answered yet, with what is needed to phone them."""

    invitation_id: int
    contact_id: int
    name: str
    organisation: str
    sector: str
    phone: str | None
    email: str | None
    status: str
    in_progress: bool
    reminders: int
    last_outcome: str | None
    last_called_at: datetime | None


def chase_list(round_: Round, *, sector: str = "") -> list[ChaseEntry]:
    """Return the round's invitees who have not submitted, for telephone follow-up."""
    query = (
        select(Invitation)
        .join(Survey)
        .join(Contact, Invitation.contact_id == Contact.id)
        .join(Organisation, Contact.organisation_id == Organisation.id)
        .where(
            Survey.round_id == round_.id,
            Invitation.status.in_(("pending", "sent", "opened")),
            Contact.erased_at.is_(None),
        )
        .order_by(Organisation.name, Contact.name)
    )
    if sector:
        query = query.where(Organisation.sector == sector)
    invitations = list(db.session.scalars(query))
    ids = [invitation.id for invitation in invitations]
    drafts = (
        set(
            db.session.scalars(
                select(Response.invitation_id).where(
                    Response.invitation_id.in_(ids), Response.status == ResponseStatus.DRAFT
                )
            )
        )
        if ids
        else set()
    )
    last_calls: dict[int, CallLog] = {}
    if ids:
        calls = db.session.scalars(
            select(CallLog).where(CallLog.invitation_id.in_(ids)).order_by(CallLog.called_at)
        )
        for call in calls:
            last_calls[call.invitation_id] = call
    entries = []
    for invitation in invitations:
        contact = invitation.contact
        call = last_calls.get(invitation.id)
        entries.append(
            ChaseEntry(
                invitation_id=invitation.id,
                contact_id=contact.id,
                name=contact.name,
                organisation=contact.organisation.name,
                sector=contact.organisation.sector,
                phone=contact.phone,
                email=contact.email,
                status=invitation.status,
                in_progress=invitation.id in drafts,
                reminders=invitation.reminder_count,
                last_outcome=call.outcome if call else invitation.call_outcome,
                last_called_at=call.called_at if call else None,
            )
        )
    return entries


RESPONSE_FILTERS = ("round", "sector", "channel", "status")


def list_responses(
    *,
    round_id: int | None = None,
    sector: str = "",
    channel: str = "",
    status: str = "",
    limit: int = 500,
) -> list[Response]:
    """Return responses matching the filters, newest first."""
    query = (
        select(Response)
        .join(Survey, Response.survey_id == Survey.id)
        .outerjoin(Invitation, Response.invitation_id == Invitation.id)
        .outerjoin(Contact, Invitation.contact_id == Contact.id)
        .outerjoin(Organisation, Contact.organisation_id == Organisation.id)
        .order_by(Response.updated_at.desc(), Response.id.desc())
        .limit(limit)
    )
    if round_id:
        query = query.where(Survey.round_id == round_id)
    if sector:
        query = query.where(Organisation.sector == sector)
    if channel:
        query = query.where(Response.channel == channel)
    if status:
        query = query.where(Response.status == status)
    return list(db.session.scalars(query))


def get_response(response_id: int) -> Response:
    """Return a response or raise NotFound."""
    from surveys.errors import NotFound

    response = db.session.get(Response, response_id)
    if response is None:
        raise NotFound("response")
    return response


def withdraw_response(response: Response, *, actor=None) -> None:
    """Withdraw a response: it leaves the counts and exports but stays, audit-logged."""
    from surveys.errors import InvalidInput
    from surveys.models import utcnow
    from surveys.services import audit

    if response.is_withdrawn:
        raise InvalidInput("Already withdrawn", {"response": "This response is already withdrawn"})
    previous = response.status
    response.status = ResponseStatus.WITHDRAWN
    response.withdrawn_at = utcnow()
    invitation = response.invitation
    if invitation is not None and invitation.status == InvitationStatus.COMPLETED:
        # The invitee may answer again with a new link.
        sent = invitation.sent_at is not None
        invitation.status = InvitationStatus.SENT if sent else InvitationStatus.PENDING
        invitation.completed_at = None
    db.session.flush()
    audit.record(
        "response.withdrawn",
        actor=actor,
        target=response,
        status=previous,
        reference=response.reference,
    )
