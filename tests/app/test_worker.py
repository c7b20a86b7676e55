from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from huey.storage import RedisStorage, SqliteStorage

from app import create_app
from surveys import worker
from surveys.db import db
from surveys.models import Round
from tests.conftest import make_config
from tests.factories import make_round


def test_queue_is_sqlite_backed_by_default(tmp_path: Path):
    app = create_app(make_config("sqlite://", tmp_path, WORKER_IMMEDIATE=False))
    huey = worker.queue(app)

    assert isinstance(huey.storage, SqliteStorage)
    worker.enqueue("apply_round_dates", app=app)  # enqueued, not run
    assert huey.pending_count() == 1
    huey.flush()


def test_queue_is_redis_backed_with_redis_url(tmp_path: Path):
    redis_url = "redis://127.0.0.1:6379/15"
    app = create_app(
        make_config("sqlite://", tmp_path, WORKER_IMMEDIATE=False, REDIS_URL=redis_url)
    )
    huey = worker.queue(app)

    huey.flush()  # database 15 is kept for tests
    assert isinstance(huey.storage, RedisStorage)
    worker.enqueue("apply_round_dates", app=app)
    assert huey.pending_count() == 1
    huey.flush()


def test_periodic_task_opens_and_closes_rounds_and_commits(app):
    today = date.today()
    due_to_open = make_round(status="draft", opens_on=today, closes_on=today + timedelta(days=9))
    due_to_close = make_round(
        status="open", opens_on=today - timedelta(days=30), closes_on=today - timedelta(days=1)
    )
    db.session.commit()
    ids = (due_to_open.id, due_to_close.id)
    db.session.expunge_all()

    worker.tasks(app)["apply_round_dates"].call_local()

    db.session.expunge_all()
    assert db.session.get(Round, ids[0]).status == "open"
    assert db.session.get(Round, ids[1]).status == "closed"
