"""The task queue (Huey), core infrastructure shared by every face.

Tasks are declared once, at import, with `@task` and `@periodic`; that records what they
are, never which app they serve. Each app gets its own queue, with every declared task
bound to it, so a task always runs in the context of the app that built the queue: the
web app that enqueued it (immediate mode in tests), or the app `debrief worker` started.
Each run commits on success and rolls back on error. Storage is SQLite by default and
Redis with REDIS_URL. The queue is built when first used, so commands that never touch
it (`debrief --help`) do not load Huey, Redis or psycopg.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, has_app_context

from surveys.db import committing

if TYPE_CHECKING:
    from huey import Huey
    from huey.api import TaskWrapper

log = logging.getLogger(__name__)

QUEUE = "debrief_queue"
TASKS = "debrief_tasks"


@dataclass(frozen=True)
class TaskSpec:
    """A declared task: its function and how Huey should run it."""

    func: Callable[..., Any]
    schedule: dict[str, str] | None = None  # crontab fields, for periodic tasks
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.func.__name__


_declared: dict[str, TaskSpec] = {}


def task(**options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a task (Huey options such as retries); enqueue it with `enqueue(name, ...)`."""

    def declare(func: Callable[..., Any]) -> Callable[..., Any]:
        _declared[func.__name__] = TaskSpec(func, options=options)
        return func

    return declare


def periodic(**schedule: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a task the worker runs on a schedule given as crontab fields (minute="*/5")."""

    def declare(func: Callable[..., Any]) -> Callable[..., Any]:
        _declared[func.__name__] = TaskSpec(func, schedule=schedule)
        return func

    return declare


_building = threading.Lock()


def init_app(app: Flask) -> None:
    """Give the app a queue, built from its config when first used."""
    from surveys.db import db
    from surveys.services import summary_changes, webhooks
    from surveys.worker import mail, rounds, summaries  # noqa: F401  (declares the core's tasks)
    from surveys.worker import webhooks as webhook_tasks

    app.extensions[QUEUE] = None
    app.extensions[TASKS] = None
    summary_changes.track(db.session, summaries.queue_refresh, summaries.queues_recomputes)
    webhooks.track(db.session, webhook_tasks.hand_over, summaries.queues_recomputes)


def _bind(app: Flask) -> None:
    """Build the app's queue and bind every declared task to the app."""
    from huey import crontab

    huey = _build_queue(app)
    bound: dict[str, TaskWrapper] = {}
    for spec in _declared.values():
        run = _in_context_of(app, spec.func)
        if spec.schedule is not None:
            bound[spec.name] = huey.periodic_task(crontab(**spec.schedule), name=spec.name)(run)
        else:
            bound[spec.name] = huey.task(name=spec.name, **spec.options)(run)
    app.extensions[TASKS] = bound
    app.extensions[QUEUE] = huey


def _build_queue(app: Flask) -> Huey:
    from huey import Huey
    from huey.storage import RedisStorage, SqliteStorage

    if app.config.get("WORKER_IMMEDIATE"):
        return Huey("debrief", immediate=True, results=False)
    if app.config.get("REDIS_URL"):
        return Huey(
            "debrief", storage_class=RedisStorage, url=app.config["REDIS_URL"], results=False
        )
    # The instance folder is otherwise only made for a generated SECRET_KEY.
    Path(app.config["HUEY_SQLITE_PATH"]).parent.mkdir(parents=True, exist_ok=True)
    return Huey(
        "debrief",
        storage_class=SqliteStorage,
        filename=app.config["HUEY_SQLITE_PATH"],
        results=False,
    )


def _in_context_of(app: Flask, func: Callable[..., Any]) -> Callable[..., Any]:
    """Run a task in the app's context as one unit of work."""
    unit_of_work = committing(func)

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        if has_app_context() and current_app._get_current_object() is app:
            return unit_of_work(*args, **kwargs)
        with app.app_context():
            return unit_of_work(*args, **kwargs)

    return run


def queue(app: Flask | None = None) -> Huey:
    """Return the app's queue (the current app's by default), building it on first use."""
    app = app or current_app._get_current_object()
    if app.extensions.get(QUEUE) is None:
        with _building:
            if app.extensions.get(QUEUE) is None:
                _bind(app)
    return app.extensions[QUEUE]


def tasks(app: Flask | None = None) -> dict[str, TaskWrapper]:
    """Return the app's bound tasks by name."""
    app = app or current_app._get_current_object()
    queue(app)
    return app.extensions[TASKS]


def enqueue(name: str, *args: Any, app: Flask | None = None) -> Any:
    """Put a task on the app's queue (run at once in immediate mode)."""
    return tasks(app)[name](*args)


# An idle worker looks for new tasks at least this often, so a webhook or an email leaves
# within a second or so of the commit that queued it (Huey's default backs off to 10 s).
MAX_POLL_SECONDS = 1.0


def create_consumer(app: Flask, workers: int = 2, *, periodic: bool = True) -> Any:
    """Return a consumer of the app's queue (threads; `run()` it or `start()` it)."""
    return queue(app).create_consumer(
        workers=workers, worker_type="thread", periodic=periodic, max_delay=MAX_POLL_SECONDS
    )


def run_consumer(app: Flask, workers: int = 2) -> None:
    """Run the app's consumer in the foreground until interrupted."""
    consumer = create_consumer(app, workers)
    app.logger.info("worker started")
    consumer.run()
