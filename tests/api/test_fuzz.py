"""Fuzz the live OpenAPI document with schemathesis: valid and invalid data for every operation.

The app is loaded with the demo programme and a write token; valid examples have their ids
folded into the demo's range, so they reach real records and the services' rules. Every
response must be a non-5xx that matches the document (status, content type, headers, body
schema), and invalid data must be refused with a 4xx. Examples are derandomised, so a run
is reproducible; FUZZ_EXAMPLES (default 100) sets how many are generated per operation and
per mode. It takes about 3 minutes per database on a shared 2-core machine.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from app import create_app
from surveys.db import db
from surveys.demo import load_demo
from surveys.models import Officer
from surveys.services import api_tokens
from tests.conftest import empty_all_tables, make_config

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
DEMO_IDS = 20  # most demo records have ids from 1 to a few dozen
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture(scope="module")
def fuzz_app(migrated_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """An app on the demo data, kept for the whole module (the fuzzing changes it freely)."""
    instance: Path = tmp_path_factory.mktemp("fuzz")
    app = create_app(make_config(migrated_database, instance))
    with app.app_context():
        load_demo()
        db.session.commit()
        yield app
        db.session.remove()
        empty_all_tables()
        db.engine.dispose()


@pytest.fixture(scope="module")
def write_token(fuzz_app: Flask) -> str:
    officer = db.session.scalars(select(Officer).where(Officer.role == "officer")).first()
    secret = api_tokens.create_token(officer, "write").secret
    db.session.commit()
    return secret


@pytest.fixture(scope="module")
def api_schema(fuzz_app: Flask):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_app)
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=EXAMPLES,
        deterministic=True,
    )
    # 413 (a body over the size limit) is a refusal too.
    schema.config.checks.negative_data_rejection.expected_statuses.append("413")
    return schema


def test_every_operation_conforms_to_the_openapi_document(api_schema, write_token: str) -> None:
    headers = {"Authorization": f"Bearer {write_token}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 25
    failures: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failure = fuzz(operation, mode, headers)
            if failure:
                failures.append(f"{operation.label} ({mode}): {failure}")
    assert not failures, "\n\n".join(failures)


def fuzz(operation, mode: GenerationMode, headers: dict[str, str]) -> str | None:
    """Run one operation's examples in one mode; return the first failure, if any."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        if mode is GenerationMode.POSITIVE:
            aim_at_demo_records(case)
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        finally:
            db.session.rollback()  # the test's session must not hold what a request left

    try:
        run()
    except Exception as error:  # noqa: BLE001 - reported with the operation's name
        return str(error)[:3000]
    return None


def aim_at_demo_records(case) -> None:
    """Turn valid ids into the demo's small ids, so valid requests reach real records."""
    case.path_parameters = {k: _small(v) for k, v in (case.path_parameters or {}).items()}
    if isinstance(case.query, dict):
        case.query = {k: _small(v) if k.endswith("_id") else v for k, v in case.query.items()}
    if isinstance(case.body, dict):
        case.body = {
            key: _small(value) if key.endswith("_id") or key.endswith("_ids") else value
            for key, value in case.body.items()
        }


def _small(value):
    if isinstance(value, list):
        return [_small(item) for item in value]
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value % DEMO_IDS + 1
    return value
