"""Reading the audit log: filtered, sorted pages, with officers and records named.

The log itself stores ids only (see `audit.record`); names are looked up when an admin
reads it, so an erased contact shows as erased and nothing personal is kept in the log.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, select

from surveys.db import db
from surveys.models import (
    Action,
    Answer,
    AuditEvent,
    Contact,
    Invitation,
    Lesson,
    Officer,
    Programme,
    Response,
    Round,
    Survey,
    Theme,
)
from surveys.services.lists import (
    DESCENDING,
    Listing,
    Sort,
    an_id,
    on_or_after,
    on_or_before,
    one_of,
)
from surveys.services.officers import officer_name

RECORD_TYPES = {
    "response": "Response",
    "contact": "Contact",
    "invitation": "Invitation",
    "round": "Round",
    "survey": "Survey",
    "programme": "Programme",
    "theme": "Theme",
    "answer": "Answer",
    "lesson": "Lesson",
    "action": "Action",
    "officer": "Officer",
}
# Detail values that are ids of records, shown by name.
DETAIL_RECORDS = {"survey_id": "survey", "round_id": "round", "programme_id": "programme"}
ACTORS = {"system": "Debrief", "respondent": "A respondent", "anonymous": "Someone not signed in"}


@dataclass(frozen=True)
class Named:
    """An event's officer and record, in words an admin recognises."""

    actor: str
    record: str
    found: bool = True
    detail: tuple[tuple[str, str], ...] = ()


def _by_officer(value: str) -> ColumnElement[bool]:
    return and_(AuditEvent.actor_type == "officer", an_id(AuditEvent.actor_id)(value))


def _action(value: str) -> ColumnElement[bool]:
    if len(value) > 64:
        raise ValueError("Choose one of the options")
    return AuditEvent.action == value


def audit_listing() -> Listing:
    """Audit events to filter by action, officer, record type and date; newest first."""
    return Listing(
        query=select(AuditEvent),
        sorts={
            "when": Sort(AuditEvent.occurred_at, DESCENDING),
            "action": Sort(AuditEvent.action),
            "record": Sort(AuditEvent.target_type),
        },
        default_sort="when",
        tiebreak=AuditEvent.id,
        filters={
            "action": _action,
            "officer": _by_officer,
            "record": one_of(AuditEvent.target_type, RECORD_TYPES),
            "from": on_or_after(AuditEvent.occurred_at),
            "to": on_or_before(AuditEvent.occurred_at),
        },
    )


def action_choices() -> list[str]:
    """Return every action the log holds, alphabetically."""
    return list(
        db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    )


def name_events(events: Iterable[AuditEvent]) -> dict[int, Named]:
    """Name each event's actor and record, loading each kind of record once."""
    events = list(events)
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in events:
        if event.actor_type == "officer" and event.actor_id is not None:
            wanted["officer"].add(event.actor_id)
        if event.target_type and event.target_id is not None:
            wanted[event.target_type].add(event.target_id)
        for key, kind in DETAIL_RECORDS.items():
            if isinstance((event.detail or {}).get(key), int):
                wanted[kind].add(event.detail[key])
    names = {kind: _names(kind, ids) for kind, ids in wanted.items()}
    named = {}
    for event in events:
        if event.actor_type == "officer" and event.actor_id is not None:
            actor = names["officer"].get(event.actor_id, "A removed officer")
        else:
            actor = ACTORS.get(event.actor_type, event.actor_type)
        detail = _detail(event.detail or {}, names)
        record = names.get(event.target_type or "", {}).get(event.target_id or 0)
        if record is None and event.target_type:
            gone = f"{RECORD_TYPES.get(event.target_type, event.target_type)} no longer held"
            named[event.id] = Named(actor, gone, found=False, detail=detail)
        else:
            named[event.id] = Named(actor, record or "", detail=detail)
    return named


def _detail(detail: dict[str, Any], names: dict[str, dict[int, str]]) -> tuple:
    """Return an event's detail as (label, value) pairs, record ids given as names."""
    shown = []
    for key, value in detail.items():
        kind = DETAIL_RECORDS.get(key)
        if kind is not None:
            label = RECORD_TYPES[kind]
            value = names.get(kind, {}).get(value, f"{label} no longer held")
        else:
            label = key.replace("_", " ").capitalize()
        shown.append((label, str(value)))
    return tuple(shown)


def _names(kind: str, ids: set[int]) -> dict[int, str]:
    model, describe = NAMERS.get(kind, (None, None))
    if model is None or describe is None:
        return {}
    rows = db.session.scalars(select(model).where(model.id.in_(ids)))
    return {row.id: describe(row) for row in rows}


def _response_name(response: Response) -> str:
    invitation = response.invitation
    who = invitation.contact.organisation.name if invitation is not None else "Open link"
    return f"{who}: {response.survey.title} ({response.reference})"


def _contact_name(contact: Contact) -> str:
    if contact.erased_at is not None:
        return "An erased contact"
    return f"{contact.name}, {contact.organisation.name}"


def _invitation_name(invitation: Invitation) -> str:
    return f"{_contact_name(invitation.contact)}: {invitation.survey.title}"


NAMERS: dict[str, tuple[Any, Callable[[Any], str]]] = {
    "officer": (Officer, officer_name),
    "response": (Response, _response_name),
    "contact": (Contact, _contact_name),
    "invitation": (Invitation, _invitation_name),
    "round": (Round, lambda round_: round_.name),
    "programme": (Programme, lambda programme: programme.name),
    "survey": (Survey, lambda survey: f"{survey.title} ({survey.round.name})"),
    "theme": (Theme, lambda theme: f"Theme ‘{theme.label}’"),
    "answer": (Answer, lambda answer: f"An answer in {_response_name(answer.response)}"),
    "lesson": (Lesson, lambda lesson: f"Lesson ‘{lesson.title}’"),
    "action": (Action, lambda action: f"An action on lesson ‘{action.lesson.title}’"),
}
