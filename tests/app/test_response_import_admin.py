"""Importing earlier answers from the round's admin page and with `debrief import`."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from surveys.db import db
from surveys.models import ImportedRow, Response
from surveys.services import rounds_admin
from tests.app.test_admin_workspace import csrf, signed_in
from tests.factories import make_programme

FIXTURE = Path(__file__).parents[1] / "fixtures" / "past_evaluation_80.csv"


@pytest.fixture
def past_round(app):
    round_ = rounds_admin.create_round(
        make_programme(), "Phase 2", slug="phase-2-import", closes_on=date(2008, 3, 31)
    )
    rounds_admin.attach_template(round_, "provider-post-round")
    db.session.commit()
    return round_


def responses() -> int:
    return db.session.scalar(select(func.count()).select_from(Response))


def upload(client, round_, name: str, data: bytes):
    page = f"/admin/rounds/{round_.id}/import"
    form = {"csrf_token": csrf(client, page), "file": (io.BytesIO(data), name)}
    return client.post(page, data=form, content_type="multipart/form-data")


def confirm(client, round_, preview_html: str, action: str, **mapping: str):
    fields = dict(re.findall(r'name="(key|survey|csrf_token)" value="([^"]*)"', preview_html))
    chosen = dict(
        re.findall(r'name="(map-\d+)".*?<option value="([^"]*)" selected', preview_html, re.S)
    )
    form = fields | chosen | mapping | {"action": action}
    return client.post(f"/admin/rounds/{round_.id}/import/confirm", data=form)


def test_an_officer_previews_and_imports_eighty_answers_once(client, past_round):
    signed_in(client, "officer")
    preview = upload(client, past_round, "phase-2.csv", FIXTURE.read_bytes())
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "80 can be imported" in html and "Import 80 responses" in html
    assert "Six weeks was far too short" in html

    done = confirm(client, past_round, html, "import")
    assert done.status_code == 302 and responses() == 80
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "80 responses imported" in page
    assert db.session.scalars(select(ImportedRow.file_name)).first() == "phase-2.csv"
    origin = db.session.scalars(select(ImportedRow).order_by(ImportedRow.row_number)).first()
    shown = client.get(f"/admin/responses/{origin.response_id}").get_data(as_text=True)
    assert "phase-2.csv, row 2" in shown and "Voluntary/Charity" in shown
    assert "Import (entered by" in shown

    again = upload(client, past_round, "phase-2.csv", FIXTURE.read_bytes()).get_data(as_text=True)
    assert "80 were imported before" in again and "Import 80" not in again
    assert confirm(client, past_round, again, "import").status_code == 302
    assert responses() == 80


def test_columns_can_be_mapped_by_hand_and_hostile_text_is_escaped(client, past_round):
    signed_in(client, "officer")
    data = b"Comment,Side\n<script>alert(1)</script> was fine,went well\nMore time,improve\n"
    preview = upload(client, past_round, "notes.csv", data)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 422
    assert "govuk-error-summary" in html and 'href="#map-0"' in html
    assert "Map at least one column to a question" in html

    remapped = confirm(client, past_round, html, "preview", **{"map-0": "text", "map-1": "kind"})
    html = remapped.get_data(as_text=True)
    assert remapped.status_code == 200 and "Import 2 responses" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    done = confirm(client, past_round, html, "import")
    assert done.status_code == 302 and responses() == 2


def test_a_file_that_is_not_a_spreadsheet_is_refused(client, past_round):
    signed_in(client, "officer")
    refused = upload(client, past_round, "notes.txt", b"hello")
    assert refused.status_code == 422
    assert "must be a CSV or XLSX" in refused.get_data(as_text=True)


def test_a_round_without_a_survey_says_to_add_one_first(client, app):
    signed_in(client, "officer")
    round_ = rounds_admin.create_round(make_programme(), "Phase 1", closes_on=date(2006, 1, 1))
    db.session.commit()
    page = client.get(f"/admin/rounds/{round_.id}/import").get_data(as_text=True)
    assert "This round has no questionnaire yet" in page


def test_the_import_command_imports_once_and_reports_bad_rows(runner, past_round, tmp_path):
    first = runner.invoke(args=["import", "phase-2-import", str(FIXTURE)])
    assert first.exit_code == 0, first.output
    assert "80 rows imported, 0 already imported, 0 with problems" in first.output
    assert "kind -> kind" in first.output
    second = runner.invoke(args=["import", "phase-2-import", str(FIXTURE)])
    assert "0 rows imported, 80 already imported" in second.output and responses() == 80

    bad = tmp_path / "bad.csv"
    bad.write_text("Note,Sort,sector\nGood,went-well,voluntary\nHmm,sideways,nowhere\n")
    dry = runner.invoke(
        args=[
            "import",
            "phase-2-import",
            str(bad),
            "--map",
            "Note=text",
            "--map",
            "Sort=kind",
            "--dry-run",
        ]
    )
    assert dry.exit_code == 1
    assert (
        "Row 3: Unknown kind ‘sideways’ (use went-well or improve); Unknown sector ‘nowhere’"
        in dry.output
    )
    assert "1 rows would be imported" in dry.output and responses() == 80

    missing = runner.invoke(args=["import", "no-such-round", str(FIXTURE)])
    assert missing.exit_code == 1 and "no round called" in missing.output


def test_a_column_matching_no_question_is_shown_and_nothing_imported_until_chosen(
    client, past_round
):
    signed_in(client, "officer")
    data = b"What went well,Other thoughts\nClear forms,Keep the briefings\n"
    preview = upload(client, past_round, "notes.csv", data)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 422 and 'href="#map-1"' in html
    assert "Choose where the answers in ‘Other thoughts’ go" in html
    assert "Import 1 responses" not in html and "Keep the briefings" in html
    assert confirm(client, past_round, html, "import").status_code == 422
    assert responses() == 0

    chosen = confirm(client, past_round, html, "preview", **{"map-1": "-"})
    html = chosen.get_data(as_text=True)
    assert chosen.status_code == 200 and "Import 1 responses" in html
    assert confirm(client, past_round, html, "import").status_code == 302
    assert responses() == 1


def test_the_import_command_stops_at_a_column_mapped_to_nothing(runner, past_round, tmp_path):
    notes = tmp_path / "notes.csv"
    notes.write_text("What went well,Other thoughts\nClear forms,Keep the briefings\n")
    stopped = runner.invoke(args=["import", "phase-2-import", str(notes)])
    assert stopped.exit_code == 1 and responses() == 0
    assert "Other thoughts -> (not mapped)" in stopped.output
    assert "‘Other thoughts’ is not mapped" in stopped.output
    assert "--map 'COLUMN=' leaves a column out" in stopped.output
    done = runner.invoke(args=["import", "phase-2-import", str(notes), "--map", "Other thoughts="])
    assert done.exit_code == 0, done.output
    assert "Other thoughts -> (left out)" in done.output and responses() == 1


def test_a_wide_file_can_have_its_last_column_mapped(client, past_round):
    signed_in(client, "officer")
    header = ",".join(["What went well"] + [f"Blank {n}" for n in range(249)] + ["Notes"])
    data = f"{header}\nClear forms{',' * 249},Keep the briefings\n".encode()
    html = upload(client, past_round, "wide.csv", data).get_data(as_text=True)
    assert "Choose where the answers in ‘Notes’ go" in html
    chosen = confirm(client, past_round, html, "preview", **{"map-250": "improve"})
    html = chosen.get_data(as_text=True)
    assert chosen.status_code == 200 and "Import 1 responses" in html
    blank = {f"map-{n}": "" for n in range(1, 250)}  # the helper reads only selected options
    mapping = blank | {"map-0": "went_well", "map-250": "improve"}
    assert confirm(client, past_round, html, "import", **mapping).status_code == 302
    [response] = db.session.scalars(select(Response)).all()
    assert {a.question_id: a.value for a in response.answers}["improve"] == "Keep the briefings"
