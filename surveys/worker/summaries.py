"""Worker tasks that keep stored round summaries current (see surveys.services.summary_store).

A commit that changes what a summary is built from queues one `refresh_summaries`, delayed
by DEBOUNCE_SECONDS so a burst of submissions is summarised once. A periodic sweep picks up
stale summaries whose task was lost. In immediate mode (tests) nothing is queued: a
recompute inside every commit would hold SQLite's write lock; stale summaries are then
recomputed by their next reader, or by running these tasks.
"""

from __future__ import annotations

import logging

from flask import current_app, has_app_context

from surveys.db import db
from surveys.worker import periodic, task, tasks

log = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 5


@task(priority=-1)  # after mail and Slack messages
def refresh_summaries(round_ids: list[int]) -> int:
    """Recompute and store the summaries of these rounds."""
    from surveys.services import summary_store

    rounds = summary_store.claim(list(round_ids))
    db.session.commit()  # changes from now on queue another recompute
    for round_ in rounds:
        summary_store.refresh(round_)
        db.session.commit()
    if rounds:
        log.info("stored %s round summaries", len(rounds))
    return len(rounds)


@periodic(minute="*")
def refresh_overdue_summaries() -> int:
    """Recompute stale summaries whose queued recompute never ran."""
    from surveys.services import summary_store

    round_ids = summary_store.stale_round_ids()
    return refresh_summaries(round_ids) if round_ids else 0


def queues_recomputes() -> bool:
    """Say whether a worker runs this app's queue (not immediate mode)."""
    return has_app_context() and not current_app.config.get("WORKER_IMMEDIATE")


def queue_refresh(round_ids: list[int]) -> None:
    """Hand freshly committed changes to the worker (called after the commit)."""
    tasks()["refresh_summaries"].schedule((round_ids,), delay=DEBOUNCE_SECONDS)
