"""The dashboard's downloads open cleanly in Excel: a UTF-8 CSV with a byte-order mark and a
score beside each rating; a workbook with one sheet per survey."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from surveys.db import db
from surveys.services import responses
from surveys.services.rounds_admin import attach_template
from tests.app.test_admin_workspace import signed_in
from tests.factories import make_contact, make_invitation, make_round

PARTNER_PAGES = [
    ("role", {"partner_role": "cvs"}),
    (
        "consultation",
        {"rating_consulted": "4", "rating_lead_agency_info": "2", "rating_vcs_involvement": "na"},
    ),
    ("went_well", {"went_well": "=1+1 Boundaries were agreed early. Café ☕"}),
    ("improve", {"improve": ""}),
    ("support", {"lead_agency_support": ""}),
]


def _round_with_a_partner_answer():
    round_ = make_round(slug="phase-6", name="Phase 6")
    partners = attach_template(round_, "partner-consultation")
    attach_template(round_, "provider-post-round")
    invitation = make_invitation(survey=partners, contact=make_contact(role="partner"))
    response = responses.start_or_resume(invitation)
    for page_id, values in PARTNER_PAGES:
        responses.save_page(response, page_id, values)
    responses.submit_response(response)
    db.session.commit()
    return round_


def test_csv_download_is_utf8_with_a_bom_and_scores_beside_labels(client, app):
    round_ = _round_with_a_partner_answer()
    signed_in(client, "viewer")

    download = client.get(f"/admin/rounds/{round_.id}/export.csv")

    assert download.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert download.data.startswith(b"\xef\xbb\xbf")
    header, row = list(csv.reader(io.StringIO(download.data.decode("utf-8-sig"))))
    cells = dict(zip(header, row, strict=True))
    consulted = next(name for name in header if name.endswith(" (score)"))
    label = consulted.removesuffix(" (score)")
    assert header.index(consulted) == header.index(label) + 1
    assert cells[label].startswith("4 – ") and cells[consulted] == "4"
    not_applicable = [name for name in header if name.endswith(" (score)")][2]
    assert cells[not_applicable] == ""
    assert "'=1+1 Boundaries were agreed early. Café ☕" in row


def test_xlsx_download_has_a_sheet_per_survey_and_numbers_for_scores(client, app):
    round_ = _round_with_a_partner_answer()
    signed_in(client, "viewer")

    download = client.get(f"/admin/rounds/{round_.id}/export.xlsx")
    data = download.data
    download.close()  # send_file's spooled temporary file

    workbook = load_workbook(io.BytesIO(data))
    assert [sheet.title for sheet in workbook.worksheets] == [s.title[:31] for s in round_.surveys]
    partners = workbook.worksheets[0]
    header, row = ([cell.value for cell in line] for line in partners.iter_rows())
    cells = dict(zip(header, row, strict=True))
    assert cells["Channel"] == "Web" and cells["Sector"]
    assert [cells[name] for name in header if name.endswith(" (score)")] == [4, 2, None]
    assert "'=1+1 Boundaries were agreed early. Café ☕" in row
    providers = workbook.worksheets[1]
    assert providers.max_row == 1 and providers.freeze_panes == "A2"
    assert len(header) < providers.max_column  # each sheet has its own survey's questions
