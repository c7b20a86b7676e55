"""Stored round summaries: computed by the worker after each change, read by every face.

`summary_changes` marks a round stale when something it is built from changes and queues
one recompute per burst; the worker calls `claim` then `refresh`. Pages, Slack, every
download and `debrief report` call `stored_summary`, which reads the stored JSON and only
computes (and stores) when nothing current is stored, or when a queued recompute looks lost.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select, update

from analysis.sentiment import TAGGER_VERSION
from analysis.summary import compare_summaries
from analysis.summary_codec import SCHEMA, summary_from_dict, summary_to_dict
from analysis.summary_model import Comparison, RoundSummary
from surveys.db import db
from surveys.errors import InvalidInput
from surveys.models import Round, RoundStatus, StoredSummary, utcnow
from surveys.services import summaries
from surveys.services.summary_changes import insert_summary

# While the worker's recompute is this fresh, readers take the stored summary as it is.
UPDATE_GRACE = timedelta(minutes=2)
_ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def code_version() -> str:
    """Fingerprint the code a summary comes from, so a new release recomputes summaries."""
    digest = hashlib.sha256(f"{SCHEMA}:{TAGGER_VERSION}".encode())
    sources = sorted((_ROOT / "analysis").glob("*.py")) + [
        _ROOT / "surveys" / "services" / name
        for name in (
            "summaries.py",
            "summary_load.py",
            "analysis_runs.py",
            "lessons.py",
            "tagging.py",
        )
    ]
    for path in sources:
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


@dataclass(frozen=True)
class Stored:
    """A round's summary as stored, when it was computed, and whether newer changes wait."""

    summary: RoundSummary
    computed_at: datetime
    updating: bool


def _current(row: StoredSummary | None, k: int) -> bool:
    return (
        row is not None
        and row.data is not None
        and row.computed_at is not None
        and row.version == code_version()
        and row.k == k
    )


def stored_summary(round_: Round, *, k: int | None = None, wait: bool = True) -> Stored:
    """Return the round's stored summary, computing and storing it when none is current.

    A stale summary whose recompute was queued within UPDATE_GRACE is returned as it is,
    marked `updating` (unless `wait` is False: the CLI wants the latest); otherwise (no
    worker running, say) it is recomputed here. A `k` other than the configured one is
    computed and not stored.
    """
    wanted = summaries.suppression_k(k)
    if wanted != summaries.suppression_k():
        return Stored(summaries.round_summary(round_, k=wanted), utcnow(), False)
    row = db.session.get(StoredSummary, round_.id)
    if row is not None and _current(row, wanted):
        assert row.data is not None and row.computed_at is not None  # noqa: S101 - checked
        stale = row.changes > row.computed_changes
        waiting = row.queued_at is not None and utcnow() - row.queued_at < UPDATE_GRACE
        if not stale or (waiting and wait):
            return Stored(summary_from_dict(row.data), row.computed_at, stale)
    return refresh(round_)


def refresh(round_: Round) -> Stored:
    """Compute the round's summary and store it (the caller commits)."""
    k = summaries.suppression_k()
    changes = db.session.scalar(
        select(StoredSummary.changes).where(StoredSummary.round_id == round_.id)
    )
    summary = summaries.round_summary(round_, k=k)
    now = utcnow()
    values = {
        "version": code_version(),
        "k": k,
        "data": summary_to_dict(summary),
        "computed_changes": changes or 0,
        "computed_at": now,
    }
    db.session.execute(
        insert_summary(db.session)
        .values(round_id=round_.id, changes=changes or 0, **values)
        .on_conflict_do_update(index_elements=["round_id"], set_=values)
    )
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, StoredSummary) and obj.round_id == round_.id:
            db.session.expire(obj)
    return Stored(summary, now, False)


def claim(round_ids: list[int]) -> list[Round]:
    """Take queued recomputes off the rounds, so changes made meanwhile queue another."""
    db.session.execute(
        update(StoredSummary)
        .where(StoredSummary.round_id.in_(round_ids))
        .values(queued_at=None)
        .execution_options(synchronize_session=False)
    )
    return list(db.session.scalars(select(Round).where(Round.id.in_(round_ids))))


def stale_round_ids() -> list[int]:
    """Return rounds whose stored summary is behind (or from older code) and not queued.

    An open round's summary also goes stale at midnight: it says how many days the round
    has been open, to compare its response rate with the last round's on the same day.
    """
    row = StoredSummary
    now = utcnow()
    overdue = now - UPDATE_GRACE
    midnight = datetime.combine(now.date(), time.min, tzinfo=UTC)
    dated_open = select(Round.id).where(
        Round.status == RoundStatus.OPEN, Round.opens_on.is_not(None)
    )
    behind = (
        (row.changes > row.computed_changes)
        | (row.version != code_version())
        | (row.round_id.in_(dated_open) & (row.computed_at < midnight))
    )
    return list(
        db.session.scalars(
            select(row.round_id)
            .where(behind)
            .where(row.queued_at.is_(None) | (row.queued_at < overdue))
            .order_by(row.round_id)
        )
    )


def compare_stored(round_a: Round, round_b: Round) -> Comparison:
    """Compare a later round (b) with an earlier one (a) from their stored summaries."""
    if round_a.programme_id != round_b.programme_id:
        raise InvalidInput("Only rounds of the same programme can be compared.")
    return compare_summaries(stored_summary(round_b).summary, stored_summary(round_a).summary)
