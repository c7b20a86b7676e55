"""The migrations build the schema the models describe, and the schema keeps its invariants."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, MetaData, String
from sqlalchemy.exc import IntegrityError

from surveys.db import db
from tests.factories import make_invitation, make_response


def _differences(metadata: MetaData) -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, metadata)


def test_models_match_migrations(app):
    assert _differences(db.metadata) == []


def test_model_change_without_migration_is_detected(app):
    changed = MetaData(naming_convention=db.metadata.naming_convention)
    for table in db.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["round"].append_column(Column("new_field", String(10)))

    differences = _differences(changed)

    assert [d[0] for d in differences] == ["add_column"]
    assert differences[0][3].name == "new_field"


def test_database_refuses_two_submitted_responses_for_one_invitation(app):
    invitation = make_invitation()
    make_response(invitation=invitation, status="submitted")
    db.session.commit()

    with pytest.raises(IntegrityError):
        make_response(invitation=invitation, status="submitted")
    db.session.rollback()


def test_database_allows_a_new_response_after_withdrawal(app):
    invitation = make_invitation()
    make_response(invitation=invitation, status="withdrawn")
    make_response(invitation=invitation, status="submitted")
    db.session.commit()


def test_check_constraint_refuses_unknown_sector(app):
    from surveys.models import Organisation

    db.session.add(Organisation(name="Odd", sector="martian"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_sqlite_connections_use_wal_and_foreign_keys(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas apply only to SQLite")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000
