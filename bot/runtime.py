"""How listeners run: on Bolt's worker threads, each inside the Flask app's context.

Bolt hands every ack function and lazy listener to its `listener_executor`. Ours pushes
the Flask app context around each one (so listeners can call the services, each with its
own database session) and keeps count of work in flight, so tests and benchmarks can wait
for the lazy work of a request to finish.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from flask import Flask
from slack_sdk.errors import SlackApiError, SlackClientError

from surveys.db import db
from surveys.services import integration_problems

log = logging.getLogger(__name__)


class AppContextExecutor(ThreadPoolExecutor):
    """A thread pool whose tasks run inside a Flask app context."""

    def __init__(self, flask_app: Flask, max_workers: int = 8) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="slack-listener")
        self._flask_app = flask_app
        self._in_flight = 0
        self._idle = threading.Condition()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        with self._idle:
            self._in_flight += 1
        try:
            return super().submit(self._run, fn, args, kwargs)
        except BaseException:
            self._done()
            raise

    def _run(self, fn: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
        try:
            with self._flask_app.app_context():
                return fn(*args, **kwargs)
        except Exception:
            log.exception("Slack listener failed")
            raise
        finally:
            self._done()

    def _done(self) -> None:
        with self._idle:
            self._in_flight -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until no listener work is running or queued; say whether that happened."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._in_flight:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True


def report_problem(summary: str) -> None:
    """Record a Slack failure for officers to see, in its own transaction."""
    log.warning("Slack problem: %s", summary)
    db.session.rollback()
    integration_problems.record("slack", summary)
    db.session.commit()


def describe(error: Exception) -> str:
    """Say in one line what went wrong talking to Slack."""
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or error.response.status_code)
    return f"{type(error).__name__}: {error}"


def slack_call(what: str, call: Callable[[], Any]) -> Any | None:
    """Make a Slack call after the domain work is committed; record a problem if it fails."""
    try:
        return call()
    except (SlackApiError, SlackClientError, OSError) as error:
        report_problem(f"Could not {what}: {describe(error)}")
        return None
