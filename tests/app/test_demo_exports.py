"""Issue #4 acceptance on the demonstration data: `debrief export phase-2 --format csv` gives
one row per submitted response.

Loading the demo takes a while, so it is loaded once for the module on its own app (the
`app` fixture empties every table after each test) and the tables are emptied afterwards.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select

from app import create_app
from surveys.db import db
from surveys.demo import load_demo
from surveys.demo_data import PHASE_2_TELEPHONE, PHASE_2_WEB
from surveys.models import AuditEvent, Response, Round, Survey
from surveys.services import privacy
from tests.conftest import empty_all_tables, make_config


@pytest.fixture(scope="module")
def demo(migrated_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """Yield an app whose database holds the demonstration programme."""
    app = create_app(make_config(migrated_database, tmp_path_factory.mktemp("demo")))
    with app.app_context():
        assert load_demo() is not None
        db.session.commit()
        db.session.remove()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            empty_all_tables()
            db.engine.dispose()


@pytest.fixture
def context(demo: Flask) -> Iterator[Flask]:
    with demo.app_context():
        yield demo
        db.session.rollback()
        db.session.remove()


def responses_in(round_slug: str, status: str) -> list[Response]:
    query = (
        select(Response)
        .join(Survey, Response.survey_id == Survey.id)
        .join(Round, Survey.round_id == Round.id)
        .where(Round.slug == round_slug, Response.status == status)
    )
    return list(db.session.scalars(query))


def export_rows(demo: Flask, *args: str) -> list[list[str]]:
    result = demo.test_cli_runner().invoke(args=["export", *args])
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.stdout)))


def test_phase_2_csv_has_one_row_per_submitted_response(demo, context):
    submitted = responses_in("phase-2", "submitted")
    assert len(submitted) >= 20  # the demo's phase 2 is the story's 20-odd questionnaires
    references = sorted(r.reference for r in submitted)
    titles = {r.survey.title for r in submitted}

    header, *rows = export_rows(demo, "phase-2", "--format", "csv")

    assert header[:6] == [
        "Reference",
        "Survey",
        "Organisation",
        "Sector",
        "Channel",
        "Submitted (UTC)",
    ]
    assert len(rows) == len(submitted)
    assert sorted(row[0] for row in rows) == references
    assert all(len(row) == len(header) for row in rows)
    assert {row[1] for row in rows} == titles


def test_phase_2_csv_holds_the_demo_answers_and_telephone_responses(demo, context):
    telephone = [r for r in responses_in("phase-2", "submitted") if r.channel == "telephone"]
    _, *rows = export_rows(demo, "phase-2", "--format", "csv")

    cells = {cell for row in rows for cell in row}
    went_well, improve = PHASE_2_WEB[1]
    assert went_well in cells and improve in cells
    phone_went_well = next(text for text, _ in PHASE_2_TELEPHONE if text)
    assert phone_went_well in cells
    channels = [row[4] for row in rows]
    assert channels.count("Telephone") == len(telephone) >= 1


def test_drafts_are_left_out_of_an_export(demo, context):
    drafts = {r.reference for r in responses_in("phase-3", "draft")}
    submitted = {r.reference for r in responses_in("phase-3", "submitted")}
    assert drafts  # the demo leaves some phase 3 questionnaires half done

    _, *rows = export_rows(demo, "phase-3")

    assert len(rows) == len(submitted)
    assert {row[0] for row in rows} == submitted


def test_phase_2_xlsx_matches_the_csv(demo, context, tmp_path: Path):
    target = tmp_path / "phase-2.xlsx"
    csv_rows = export_rows(demo, "phase-2")

    result = demo.test_cli_runner().invoke(
        args=["export", "phase-2", "--format", "xlsx", "--output", str(target)]
    )

    assert result.exit_code == 0, result.output
    workbook = load_workbook(target, read_only=True)
    sheet_rows = [
        ["" if cell is None else str(cell) for cell in row]
        for row in workbook.worksheets[0].iter_rows(values_only=True)
    ]
    workbook.close()
    assert sheet_rows == csv_rows


def test_command_exports_are_audit_logged(demo, context):
    before = len(db.session.scalars(select(AuditEvent.id)).all())
    phase_2_id = db.session.scalars(select(Round.id).where(Round.slug == "phase-2")).one()

    export_rows(demo, "phase-2", "--format", "csv")

    db.session.expire_all()
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert len(events) == before + 1
    assert (events[-1].action, events[-1].target_id, events[-1].detail) == (
        "export.responses",
        phase_2_id,
        {"format": "csv", "via": "command"},
    )


def test_the_nightly_purge_leaves_the_demonstration_rounds_alone(demo, context):
    assert privacy.expired_rounds() == []
