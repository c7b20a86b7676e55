"""Background and scheduled work on Huey: SQLite-backed by default, Redis with REDIS_URL.

Tasks run inside the Flask app's context so they can call the same services as the web.
`debrief worker` runs the consumer.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, has_app_context
from huey import Huey, crontab
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from surveys.db import committing

log = logging.getLogger(__name__)

huey = Huey("debrief", storage_class=MemoryStorage, results=False)
_apps: list[Flask] = []


def init_app(app: Flask) -> None:
    """Point the task queue at the storage this app is configured for."""
    if app.config.get("WORKER_IMMEDIATE"):
        huey.immediate = True
    else:
        huey.immediate = False
        if app.config.get("REDIS_URL"):
            huey.storage_class = RedisStorage
            huey.storage_kwargs = {"url": app.config["REDIS_URL"]}
        else:
            huey.storage_class = SqliteStorage
            huey.storage_kwargs = {"filename": app.config["HUEY_SQLITE_PATH"]}
        huey.storage = huey.create_storage()
    _apps[:] = [app]
    app.extensions["huey"] = huey


def in_app_context(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run a task inside the app's context, committing on success and rolling back on error."""

    unit_of_work = committing(func)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if has_app_context():
            return unit_of_work(*args, **kwargs)
        with _apps[0].app_context():
            return unit_of_work(*args, **kwargs)

    return wrapper


@huey.periodic_task(crontab(minute="*/5"))
@in_app_context
def apply_round_dates() -> None:
    """Open and close rounds whose dates have come."""
    from surveys.services.rounds import apply_round_dates as apply

    changed = apply()
    if changed:
        log.info("rounds opened or closed: %s", ", ".join(r.slug for r in changed))


def run_consumer(workers: int = 2) -> None:
    """Run the Huey consumer in the foreground until interrupted."""
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
    current_app.logger.info("worker started")
    consumer.run()


from app import tasks_mail  # noqa: E402, F401  (registers the mail, reminder and purge tasks)
