from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from huey.storage import RedisStorage, SqliteStorage

from app import create_app, worker
from surveys.db import db
from surveys.models import Round
from tests.conftest import make_config
from tests.factories import make_round


@pytest.fixture
def restore_huey():
    """Put the shared Huey back into immediate mode for the rest of the suite."""
    yield
    worker.huey.immediate = True


def test_queue_is_sqlite_backed_by_default(tmp_path: Path, restore_huey):
    create_app(make_config("sqlite://", tmp_path, WORKER_IMMEDIATE=False))

    assert isinstance(worker.huey.storage, SqliteStorage)
    worker.apply_round_dates()  # enqueued, not run
    assert worker.huey.pending_count() == 1
    worker.huey.flush()


def test_queue_is_redis_backed_with_redis_url(tmp_path: Path, restore_huey):
    redis_url = "redis://127.0.0.1:6379/15"
    create_app(make_config("sqlite://", tmp_path, WORKER_IMMEDIATE=False, REDIS_URL=redis_url))

    worker.huey.flush()  # database 15 is kept for tests
    assert isinstance(worker.huey.storage, RedisStorage)
    worker.apply_round_dates()
    assert worker.huey.pending_count() == 1
    worker.huey.flush()


def test_periodic_task_opens_and_closes_rounds_and_commits(app):
    today = date.today()
    due_to_open = make_round(status="draft", opens_on=today, closes_on=today + timedelta(days=9))
    due_to_close = make_round(
        status="open", opens_on=today - timedelta(days=30), closes_on=today - timedelta(days=1)
    )
    db.session.commit()
    ids = (due_to_open.id, due_to_close.id)
    db.session.expunge_all()

    worker.apply_round_dates.call_local()

    db.session.expunge_all()
    assert db.session.get(Round, ids[0]).status == "open"
    assert db.session.get(Round, ids[1]).status == "closed"
