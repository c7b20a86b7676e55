"""Shared fixtures: an app on a database built by running the migrations.

The suite runs on SQLite by default. With TEST_DATABASE_URL pointing at a
PostgreSQL server it creates a throwaway database there, migrates it and runs
every test against it. Under CI an unreachable server fails the run.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.config import normalise_database_url
from surveys.db import db


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Yield the URL of an empty, throwaway database for this test session."""
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    yield from _throwaway_postgres(normalise_database_url(server_url))


def _throwaway_postgres(server_url: str) -> Iterator[str]:
    name = f"debrief_test_{secrets.token_hex(4)}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any failure here means "no server"
        pytest.exit(f"PostgreSQL at TEST_DATABASE_URL is unreachable: {error}", returncode=3)
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_config(database_url: str, instance_path: Path, **overrides: object) -> dict:
    """Return a test configuration; overrides win."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": True,
        "WORKER_IMMEDIATE": True,
        "HUEY_SQLITE_PATH": str(instance_path / "huey.db"),
        "BASE_URL": "http://localhost",
        "SERVER_NAME": None,
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def migrated_database(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Build the schema once by running every migration."""
    instance = tmp_path_factory.mktemp("instance")
    app = create_app(make_config(database_url, instance))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


@pytest.fixture
def app(migrated_database: str, tmp_path: Path) -> Iterator[Flask]:
    """Yield an app on the migrated database; every table is emptied afterwards."""
    app = create_app(make_config(migrated_database, tmp_path))
    with app.app_context():
        yield app
        db.session.remove()
        empty_all_tables()
        db.engine.dispose()


def empty_all_tables() -> None:
    """Delete every row, children first, leaving the schema in place."""
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def client(app: Flask):
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()
