"""The SQLAlchemy handle shared by every face, with stable constraint names."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Store naive UTC, return aware UTC, so SQLite and PostgreSQL behave alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use surveys.models.utcnow()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


db = SQLAlchemy(model_class=Base)


def committing(func: Callable[..., Any]) -> Callable[..., Any]:
    """Commit the session when a face's unit of work succeeds; roll it back when it fails."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            result = func(*args, **kwargs)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return result

    return wrapper


# Database errors that are not the request's fault: a full disk, a read-only file, a lock
# held too long, a lost connection, an exhausted pool. Faces handle these, never sqlalchemy.exc.
DATABASE_FAULTS = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)
DatabaseError = sa_exc.SQLAlchemyError

# SQLite errors after which a connection may keep failing (opened read-only while the file
# was unwritable, or left in a bad state by a full disk): throw it and its pool away.
SQLITE_FAULTS = (
    "readonly",
    "disk i/o error",
    "database or disk is full",
    "unable to open database file",
    "disk image is malformed",
)
# Statements that need SQLite's write lock; a read-only transaction upgrades before them.
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT", "CREATE", "DROP", "ALTER")
_READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_DEFERRED = "debrief_deferred"


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """Turn on WAL, full sync, secure delete and foreign keys for every SQLite connection.

    The busy timeout comes from the driver's `timeout` (the app sets it from its config).
    `secure_delete` overwrites freed pages with zeros, so erased text leaves no trace in
    the database file or its WAL.
    """
    if not _is_sqlite(dbapi_connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()
    # Let SQLAlchemy issue BEGIN itself (below) instead of pysqlite's deferred one.
    dbapi_connection.isolation_level = None


def _reads_only() -> bool:
    """Whether this transaction belongs to a web request that should only read (a GET)."""
    from flask import has_request_context, request

    return has_request_context() and request.method in _READ_ONLY_METHODS


@event.listens_for(Engine, "begin")
def _begin(connection) -> None:
    """Take SQLite's write lock at BEGIN, so concurrent writers wait instead of failing.

    A GET request begins a deferred (read) transaction instead, so pages keep loading while
    another process writes; it upgrades itself before its first write (below).
    """
    if connection.dialect.name != "sqlite":
        return
    deferred = _reads_only()
    connection.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")
    connection.connection.info[_DEFERRED] = deferred


@event.listens_for(Engine, "before_cursor_execute")
def _upgrade_before_writing(connection, _cursor, statement, *_args) -> None:
    """Swap a read transaction for a write-locked one before its first write.

    Upgrading in place would fail at once (SQLITE_BUSY_SNAPSHOT) if another process had
    written since the read began; a fresh BEGIN IMMEDIATE waits for the lock instead.
    """
    info = connection.connection.info
    if not info.get(_DEFERRED) or not statement.lstrip()[:9].upper().startswith(_WRITES):
        return
    info[_DEFERRED] = False
    raw = connection.connection.dbapi_connection
    raw.execute("COMMIT")  # ends the read snapshot; nothing was written in it
    raw.execute("BEGIN IMMEDIATE")


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _end_transaction(connection) -> None:
    connection.connection.info.pop(_DEFERRED, None)


@event.listens_for(Engine, "handle_error")
def _discard_faulty_connections(context) -> None:
    """Treat SQLite storage faults like a lost connection, so the pool reconnects once fixed."""
    if context.engine is None or context.engine.dialect.name != "sqlite":
        return
    message = str(context.original_exception).lower()
    if any(fault in message for fault in SQLITE_FAULTS):
        context.is_disconnect = True
