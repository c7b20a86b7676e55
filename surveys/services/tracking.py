"""Round progress for the dashboard, and the responses list (the chase list is in chase.py)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from surveys.db import db
from surveys.models import (
    CHANNELS,
    SECTORS,
    Contact,
    Invitation,
    InvitationStatus,
    Organisation,
    Response,
    ResponseStatus,
    Round,
    Survey,
)
from surveys.services.chase import ChaseEntry, chase_list  # noqa: F401  (the bot's names)
from surveys.services.lists import (
    DESCENDING,
    Listing,
    Sort,
    an_id,
    on_or_after,
    on_or_before,
    one_of,
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


def round_progress(round_: Round, survey: Survey | None = None) -> RoundProgress:
    """Count a round's (or one of its surveys') invited, opened, in-progress and submitted."""
    in_scope = Survey.round_id == round_.id if survey is None else Survey.id == survey.id
    live = (
        select(Response.invitation_id, Response.status, Response.channel)
        .join(Survey, Response.survey_id == Survey.id)
        .where(in_scope, Response.status != ResponseStatus.WITHDRAWN)
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
        .where(in_scope, Invitation.status != InvitationStatus.REVOKED)
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


def response_listing() -> Listing:
    """Responses with their survey, organisation and sector, to filter, sort and page."""
    query = (
        select(Response)
        .join(Survey, Response.survey_id == Survey.id)
        .join(Round, Survey.round_id == Round.id)
        .outerjoin(Invitation, Response.invitation_id == Invitation.id)
        .outerjoin(Contact, Invitation.contact_id == Contact.id)
        .outerjoin(Organisation, Contact.organisation_id == Organisation.id)
        .options(
            contains_eager(Response.survey).contains_eager(Survey.round),
            contains_eager(Response.invitation)
            .contains_eager(Invitation.contact)
            .contains_eager(Contact.organisation),
        )
    )
    return Listing(
        query=query,
        sorts={
            "submitted": Sort(Response.submitted_at, DESCENDING),
            "reference": Sort(Response.reference),
            "organisation": Sort(Organisation.name),
            "survey": Sort(Survey.title),
            "channel": Sort(Response.channel),
            "status": Sort(Response.status),
        },
        default_sort="submitted",
        tiebreak=Response.id,
        filters={
            "round": an_id(Survey.round_id),
            "survey": an_id(Response.survey_id),
            "status": one_of(Response.status, tuple(ResponseStatus)),
            "channel": one_of(Response.channel, CHANNELS),
            "sector": one_of(Organisation.sector, SECTORS),
            "submitted_from": on_or_after(Response.submitted_at),
            "submitted_to": on_or_before(Response.submitted_at),
            "entered_by": an_id(Response.entered_by_id),
        },
    )


def survey_choices() -> list[tuple[int, str]]:
    """Return (id, "Round: survey title") for every survey, newest round first."""
    rows = db.session.execute(
        select(Survey.id, Round.name, Survey.title)
        .join(Round, Survey.round_id == Round.id)
        .order_by(Round.opens_on.desc().nulls_last(), Round.id.desc(), Survey.id)
    )
    return [(survey_id, f"{round_name}: {title}") for survey_id, round_name, title in rows]


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
