"""Faults that are not the request's fault give 503, never 500, and heal without a restart."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import psycopg
from sqlalchemy import text

from app import create_app
from surveys.db import db
from tests.app.public_helpers import PROVIDER_PAGES, csrf_token, post, provider_link
from tests.conftest import make_config
from tests.reliability.faults import (
    KEPT,
    fill,
    immutable,
    needs_root,
    sqlite_app,
    sqlite_path,
    tmpfs,
)

HEARD_PAGE, HEARD = PROVIDER_PAGES[0]


def save_first_page(client, token: str):
    """Save the first question page; the form is fetched while the fault may not yet be on."""
    url = f"/r/{token}/{HEARD_PAGE}"
    return client.post(url, data={"csrf_token": csrf_token(client, url), **HEARD})


def started(client, token: str):
    """Start the questionnaire, so its question pages have a draft to save to."""
    assert post(client, f"/r/{token}", {}).status_code == 303
    return client


def new_link() -> str:
    token, _ = provider_link()
    db.session.commit()
    db.session.close()  # the test's own session must not hold a lock
    return token


def test_a_full_disk_is_503_and_healthz_says_so_then_it_recovers(tmp_path: Path):
    needs_root()
    with (
        tmpfs(tmp_path / "disk") as disk,
        sqlite_app(disk, HEALTH_MIN_FREE_BYTES=512 * 1024) as app,
    ):
        token = new_link()
        client = started(app.test_client(), token)
        assert client.get("/healthz").status_code == 200
        raw = db.engine.raw_connection()  # an empty WAL: the next write must grow it
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        raw.close()
        filler = fill(disk)

        health = client.get("/healthz")
        saved = save_first_page(client, token)

        assert health.status_code == 503
        assert health.get_json()["disk"] == "full"
        assert health.get_json()["database"] == "not writable"
        assert saved.status_code == 503
        assert KEPT in saved.get_data(as_text=True)

        filler.unlink()
        assert client.get("/healthz").status_code == 200
        assert save_first_page(client, token).status_code == 303


def test_an_unwritable_database_file_is_503_and_heals_once_writable(tmp_path: Path):
    needs_root()
    with sqlite_app(tmp_path) as app:
        token = new_link()
        client = started(app.test_client(), token)
        files = [tmp_path / name for name in ("d.db", "d.db-wal")]
        db.engine.dispose()  # new connections open while the file is unwritable
        with immutable(files):
            assert save_first_page(client, token).status_code == 503
            assert client.get("/healthz").status_code == 503
        # The same process, the same pool: no restart needed.
        assert client.get("/healthz").status_code == 200
        assert save_first_page(client, token).status_code == 303


def hold_write_lock(url: str, held: threading.Event, release: threading.Event) -> None:
    """Hold the database's write lock (SQLite) or the answer table's (PostgreSQL)."""
    if url.startswith("sqlite"):
        connection = sqlite3.connect(sqlite_path(url), isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
    else:
        connection = psycopg.connect(url.replace("postgresql+psycopg", "postgresql"))
        connection.execute("LOCK TABLE answer IN EXCLUSIVE MODE")
    held.set()
    release.wait(30)
    connection.rollback() if not url.startswith("sqlite") else connection.execute("ROLLBACK")
    connection.close()


def test_a_lock_held_past_the_timeout_is_503_while_pages_still_load(
    app, migrated_database, tmp_path
):
    token = new_link()
    impatient = create_app(make_config(migrated_database, tmp_path, DB_BUSY_TIMEOUT_SECONDS=0.5))
    client = started(impatient.test_client(), token)
    url = f"/r/{token}/{HEARD_PAGE}"
    assert client.get(url).status_code == 200  # opened: the next GET writes nothing
    held, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(migrated_database, held, release))
    holder.start()
    try:
        assert held.wait(10)
        page = client.get(url)  # reading takes no write lock
        saved = save_first_page(client, token)
    finally:
        release.set()
        holder.join(30)
    assert page.status_code == 200
    assert saved.status_code == 503
    assert KEPT in saved.get_data(as_text=True)
    assert save_first_page(client, token).status_code == 303
    with impatient.app_context():
        db.engine.dispose()


def test_a_reset_connection_is_replaced_without_a_restart(app, client):
    if db.engine.dialect.name != "postgresql":
        return  # SQLite has no server connection to lose
    health = client.get("/healthz")
    assert health.status_code == 200, health.get_json()
    db.session.close()
    others = "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    url = db.engine.url.set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity {others}")
        for _ in range(100):  # until the server has really closed them
            if not admin.execute(f"SELECT count(*) FROM pg_stat_activity {others}").fetchone()[0]:
                break
            time.sleep(0.05)
    assert client.get("/healthz").status_code == 200
    db.session.execute(text("SELECT 1"))
