"""Issue #4 acceptance on the demonstration data: `debrief export phase-2 --format csv` gives
one row per submitted response.

Loading the demo takes a while, so it is loaded once for the module on its own app (the
`app` fixture empties every table after each test) and the tables are emptied afterwards.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
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
    assert result.stdout.startswith("\ufeff")  # a byte-order mark, so Excel reads UTF-8
    return list(csv.reader(io.StringIO(result.stdout.removeprefix("\ufeff"))))


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


def test_csv_file_opens_in_excel_as_utf8_with_scores_beside_rating_labels(demo, context, tmp_path):
    target = tmp_path / "phase-2.csv"
    result = demo.test_cli_runner().invoke(args=["export", "phase-2", "--output", str(target)])
    assert result.exit_code == 0, result.output

    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    with target.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    scores = [index for index, name in enumerate(header) if name.endswith(" (score)")]
    assert len(scores) >= 6  # the provider questionnaire's ratings
    checked = 0
    for index in scores:
        assert header[index] == header[index - 1] + " (score)"
        for row in rows:
            label, score = row[index - 1], row[index]
            if " – " in label:  # "4 – Good" beside "4"
                assert score == label.split(" – ")[0] and score.isdigit()
                checked += 1
            else:  # not applicable, or not asked
                assert score == ""
    assert checked >= 100


def _sheets(path: Path) -> dict[str, list[list]]:
    workbook = load_workbook(path, read_only=True)
    sheets = {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }
    workbook.close()
    return sheets


def test_phase_3_xlsx_has_one_sheet_per_survey_with_its_own_columns(demo, context, tmp_path):
    target = tmp_path / "phase-3.xlsx"
    csv_header, *csv_rows = export_rows(demo, "phase-3")
    result = demo.test_cli_runner().invoke(
        args=["export", "phase-3", "--format", "xlsx", "--output", str(target)]
    )
    assert result.exit_code == 0, result.output

    surveys = db.session.scalars(
        select(Survey).join(Round).where(Round.slug == "phase-3").order_by(Survey.id)
    ).all()
    sheets = _sheets(target)
    assert list(sheets) == [survey.title[:31] for survey in surveys]
    assert len(surveys) >= 3
    for survey, (header, *rows) in zip(surveys, sheets.values(), strict=True):
        assert {row[1] for row in rows} <= {survey.title}
        assert len(header) < len(csv_header)  # no columns of the other surveys
        assert all(len(row) == len(header) for row in rows)
        scores = [i for i, name in enumerate(header) if name.endswith(" (score)")]
        for row in rows:
            assert all(row[i] is None or isinstance(row[i], int) for i in scores)
    references = sorted(row[0] for rows in sheets.values() for row in rows[1:])
    assert references == sorted(row[0] for row in csv_rows)


def test_xlsx_sheets_have_a_frozen_filtered_header_and_column_widths(demo, context, tmp_path):
    target = tmp_path / "phase-2.xlsx"
    result = demo.test_cli_runner().invoke(
        args=["export", "phase-2", "--format", "xlsx", "--output", str(target)]
    )
    assert result.exit_code == 0, result.output

    workbook = load_workbook(target)
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}"
        assert sheet["A1"].font.bold
        widths = [
            sheet.column_dimensions[get_column_letter(i)].width
            for i in range(1, sheet.max_column + 1)
        ]
        assert all(width >= 12 for width in widths) and max(widths) == 60  # free text is wide
    workbook.close()


def test_xlsx_without_output_writes_a_named_file_and_says_where(
    demo, context, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    runner = demo.test_cli_runner()

    first = runner.invoke(args=["export", "phase-2", "--format", "xlsx"])
    again = runner.invoke(args=["export", "phase-2", "--format", "xlsx"])

    assert first.exit_code == 0, first.output
    written = tmp_path / "phase-2-responses.xlsx"
    assert f"Wrote {written}" in first.stderr
    assert sum(len(rows) - 1 for rows in _sheets(written).values()) == len(
        responses_in("phase-2", "submitted")
    )
    assert again.exit_code == 1
    assert "already exists; give --output FILE" in again.stderr


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


def test_the_demos_non_responders_have_fictional_phone_numbers(demo, context):
    from surveys.services.invitations import pending_invitations

    drama = re.compile(r"^(01632 960\d{3}|07700 900\d{3})$")  # Ofcom's ranges for drama
    pending = pending_invitations(
        db.session.scalars(select(Round).where(Round.slug == "phase-3")).one()
    )
    phones = [invitation.contact.phone for invitation in pending]

    assert len(phones) >= 10
    assert all(drama.match(phone) for phone in phones if phone)
    assert sum(1 for phone in phones if phone) >= len(phones) - 2  # a couple not on record
    assert len(set(filter(None, phones))) == len(list(filter(None, phones)))


def test_the_demos_ratings_differ_from_question_to_question(demo, context):
    from surveys.services.responses import answers_of

    for round_slug in ("phase-2", "phase-3"):
        spreads: dict[str, Counter] = {}
        for response in responses_in(round_slug, "submitted"):
            if response.survey.template != "provider-post-round":
                continue
            for question_id, value in answers_of(response).items():
                if question_id.startswith("rating_") and isinstance(value, int):
                    spreads.setdefault(question_id, Counter())[value] += 1
        assert len(spreads) >= 6
        assert all(len(spread) >= 3 for spread in spreads.values())  # not all one mark
        distinct = {tuple(sorted(spread.items())) for spread in spreads.values()}
        assert len(distinct) == len(spreads), f"identical distributions in {round_slug}"
