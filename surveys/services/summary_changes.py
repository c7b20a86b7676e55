"""Noticing every change that alters a round's summary, so the worker can recompute it.

Session events watch the models a summary is built from (answers, responses, invitations,
surveys, rounds, themes, lessons and actions, and the names redacted from quotes). At commit
the changed rounds (and the rounds compared with them) are marked stale in the same
transaction, and after the commit one recompute per burst is handed to the worker. Faces and
services need do nothing; a bulk UPDATE or DELETE on those tables marks every round.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import event, inspect, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from surveys.models import (
    Action,
    Answer,
    Contact,
    Invitation,
    Lesson,
    Officer,
    Organisation,
    Response,
    Round,
    StoredSummary,
    Survey,
    SurveyVersion,
    Theme,
    utcnow,
)

log = logging.getLogger(__name__)
# A queued recompute not run after this long is taken as lost, and queued again.
LOST_AFTER = timedelta(minutes=10)
_CHANGES = "summary_changes"
_QUEUE = "summary_queue"
_TABLES = frozenset(
    m.__tablename__
    for m in (Answer, Response, Invitation, Survey, SurveyVersion, Round, Theme, Lesson, Action)
) | {"contact", "organisation", "officer"}

Refresher = Callable[[list[int]], None]


@dataclass
class Changes:
    """What a transaction changed, by the ids that lead to the rounds concerned."""

    everything: bool = False
    programmes: set[int] = field(default_factory=set)
    rounds: set[int] = field(default_factory=set)
    surveys: set[int] = field(default_factory=set)
    responses: set[int] = field(default_factory=set)
    lessons: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return self.everything or any(
            (self.programmes, self.rounds, self.surveys, self.responses, self.lessons)
        )


def track(target: Any, refresher: Refresher, queues: Callable[[], bool]) -> None:
    """Watch a session (or scoped session) and hand changed round ids to `refresher`.

    When `queues()` says no worker runs the queue, rounds are only marked stale, and the
    next reader recomputes.
    """
    _refreshers[:] = [(refresher, queues)]
    if event.contains(target, "after_flush", _after_flush):
        return
    event.listen(target, "after_flush", _after_flush)
    event.listen(target, "do_orm_execute", _bulk_statement)
    event.listen(target, "before_commit", _before_commit)
    event.listen(target, "after_commit", _after_commit)
    event.listen(target, "after_rollback", _after_rollback)


_refreshers: list[tuple[Refresher, Callable[[], bool]]] = []


def _queues() -> bool:
    return bool(_refreshers) and _refreshers[0][1]()


def changes_of(session: Session) -> Changes:
    return session.info.setdefault(_CHANGES, Changes())


def _changed(obj: Any, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _note(changes: Changes, obj: Any, *, new: bool = False, deleted: bool = False) -> None:
    """Record which rounds a changed object belongs to (cheaply: ids only, no queries)."""
    if isinstance(obj, Answer):
        changes.responses.add(obj.response_id)
    elif isinstance(obj, Response):
        if new or deleted or obj.status == "submitted" or _changed(obj, "status"):
            changes.surveys.add(obj.survey_id)
    elif isinstance(obj, Invitation):
        if new or deleted or _changed(obj, "status", "contact_id"):
            changes.surveys.add(obj.survey_id)
    elif isinstance(obj, Survey):
        changes.rounds.add(obj.round_id)
    elif isinstance(obj, SurveyVersion):
        changes.surveys.add(obj.survey_id)
    elif isinstance(obj, Round | Theme | Lesson):
        changes.programmes.add(obj.programme_id)
    elif isinstance(obj, Action):
        changes.lessons.add(obj.lesson_id)
    elif isinstance(obj, Contact | Officer):
        # Names are redacted from quotes; a new contact says nothing until invited.
        changes.everything |= deleted or (not new and _changed(obj, "name"))
    elif isinstance(obj, Organisation):
        changes.everything |= deleted or (not new and _changed(obj, "sector"))


def _after_flush(session: Session, _context: Any) -> None:
    changes = changes_of(session)
    for obj in session.new:
        _note(changes, obj, new=True)
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            _note(changes, obj)
    for obj in session.deleted:
        _note(changes, obj, deleted=True)


def _bulk_statement(state: Any) -> None:
    if state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in _TABLES:
            changes_of(state.session).everything = True


def _before_commit(session: Session) -> None:
    session.flush()
    changes = session.info.pop(_CHANGES, None)
    if not changes:
        return
    round_ids = affected_rounds(session, changes)
    if round_ids:
        queued = mark_stale(session, round_ids)
        if queued:
            session.info.setdefault(_QUEUE, set()).update(queued)


def _after_commit(session: Session) -> None:
    queued = session.info.pop(_QUEUE, None)
    if not queued or not _refreshers:
        return
    try:
        _refreshers[0][0](sorted(queued))
    except Exception:
        # The change is committed; the worker's sweep recomputes the summary a minute later.
        log.exception("could not queue a summary recompute for rounds %s", sorted(queued))


def _after_rollback(session: Session) -> None:
    session.info.pop(_CHANGES, None)
    session.info.pop(_QUEUE, None)


def _ids(session: Session, query: Any) -> set[int]:
    return {i for i in session.scalars(query) if i is not None}


def affected_rounds(session: Session, changes: Changes) -> set[int]:
    """Return the rounds whose summary the changes alter, and the rounds compared with them."""
    if changes.everything:
        return _ids(session, select(Round.id))
    programmes = set(changes.programmes)
    if changes.lessons:
        programmes |= _ids(
            session, select(Lesson.programme_id).where(Lesson.id.in_(changes.lessons))
        )
    surveys = set(changes.surveys)
    if changes.responses:
        surveys |= _ids(
            session,
            select(Response.survey_id).where(
                Response.id.in_(changes.responses), Response.status == "submitted"
            ),
        )
    rounds = set(changes.rounds)
    if surveys:
        rounds |= _ids(session, select(Survey.round_id).where(Survey.id.in_(surveys)))
    if programmes:
        rounds |= _ids(session, select(Round.id).where(Round.programme_id.in_(programmes)))
    if rounds:
        # The next round's summary compares itself with this one.
        rounds |= _ids(session, select(Round.id).where(Round.previous_round_id.in_(rounds)))
    return rounds


def insert_summary(session: Session) -> Any:
    """Return an INSERT into round_summary that can skip or update an existing row."""
    dialect = session.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(StoredSummary)


def mark_stale(session: Session, round_ids: Iterable[int]) -> set[int]:
    """Count a change against each round; return those that now need a recompute queued."""
    ids = sorted(set(round_ids))
    existing = _ids(session, select(Round.id).where(Round.id.in_(ids)))
    ids = [i for i in ids if i in existing]
    if not ids:
        return set()
    session.execute(
        insert_summary(session)
        .values([{"round_id": i, "version": "", "k": 0, "changes": 0} for i in ids])
        .on_conflict_do_nothing(index_elements=["round_id"])
    )
    row = StoredSummary
    session.execute(
        update(row).where(row.round_id.in_(ids)).values(changes=row.changes + 1),
        execution_options={"synchronize_session": False},
    )
    if not _queues():
        return set()
    now = utcnow()
    waiting = or_(row.queued_at.is_(None), row.queued_at < now - LOST_AFTER)
    queued = _ids(session, select(row.round_id).where(row.round_id.in_(ids), waiting))
    if queued:
        session.execute(
            update(row).where(row.round_id.in_(queued)).values(queued_at=now),
            execution_options={"synchronize_session": False},
        )
    return queued
