"""No token in any log line: Flask's error log, gunicorn's access and error logs, the worker."""

from __future__ import annotations

import io
import logging
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import requests

from surveys.db import db
from tests.app.public_helpers import provider_link
from tests.reliability.faults import sqlite_app

TOKEN = "Zq9SecretLinkToken0000000000000001"


def captured(logger: logging.Logger) -> tuple[io.StringIO, logging.Handler]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    logger.addHandler(handler)
    return stream, handler


def test_flask_error_lines_and_tracebacks_are_scrubbed(app):
    stream, handler = captured(app.logger)
    try:
        with app.test_request_context(f"/r/{TOKEN}/contact"):
            try:
                raise RuntimeError(f"failed for /opt-out/{TOKEN} and someone@example.org")
            except RuntimeError as error:
                app.log_exception((type(error), error, error.__traceback__))
        logging.getLogger("huey").warning("task for /reset-password/%s", TOKEN)
    finally:
        app.logger.removeHandler(handler)
    text = stream.getvalue()
    assert "Exception on /r/[token]/contact [GET]" in text
    assert "/opt-out/[token]" in text and "[email]" in text
    assert TOKEN not in text and "someone@example.org" not in text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_logs_hold_no_token_after_errors(tmp_path: Path):
    with sqlite_app(tmp_path) as _app:
        token, _ = provider_link()
        db.session.commit()
    port = free_port()
    logs = {name: tmp_path / f"{name}.log" for name in ("access", "error")}
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'd.db'}",
        "SECRET_KEY": "logs-test",
        "DEBRIEF_DB_BUSY_TIMEOUT_SECONDS": "0.3",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    args = [str(gunicorn), "--workers=1", "--graceful-timeout=2", f"--bind=127.0.0.1:{port}"]
    args += ["app:create_app()"]
    args += [f"--access-logfile={logs['access']}", f"--error-logfile={logs['error']}"]
    server = subprocess.Popen(args, env=env)  # noqa: S603 - our own gunicorn
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                requests.get(f"{base}/healthz", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.1)
        paths = [
            f"/r/{token}",
            f"/r/{token}/heard",
            f"/opt-out/{TOKEN}",
            f"/reset-password/{TOKEN}",
        ]
        for path in paths:
            assert requests.get(base + path, timeout=5).status_code < 500
        # Errors: every write times out while another process holds the write lock.
        holder = sqlite3.connect(tmp_path / "d.db", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        unknown = requests.get(f"{base}/r/{TOKEN}?t={TOKEN}", timeout=10)
        holder.execute("ROLLBACK")
        holder.close()
        assert unknown.status_code == 503
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    text = logs["access"].read_text() + logs["error"].read_text()
    assert "/r/[token]" in text and "Database unavailable" in text
    assert token not in text and TOKEN not in text
