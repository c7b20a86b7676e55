"""Exports: one row per submitted response, formulas neutralised, the command and streaming."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from surveys.db import db
from surveys.services import exports, responses
from surveys.services.rounds_admin import attach_template
from tests.factories import make_invitation, make_round, make_survey


def test_neutralise():
    for dangerous in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert exports.neutralise(dangerous) == "'" + dangerous
    for hidden in (" =3+3", "  +1", "\n=1", "\u00a0@SUM(A1)", " \t-2"):
        assert exports.neutralise(hidden) == "'" + hidden
    assert exports.neutralise("fine = ok") == "fine = ok"
    assert exports.neutralise("  fine") == "  fine"
    assert exports.neutralise(None) == ""


def _submit_minimal(survey, text):
    response = responses.start_or_resume(make_invitation(survey=survey, status="sent"))
    responses.save_page(response, "feedback", {"went_well": text})
    responses.submit_response(response)
    return response


def test_real_template_round_exports(app):
    round_ = make_round(slug="phase-9")
    survey = attach_template(round_, "provider-post-round")
    invitation = make_invitation(survey=survey, status="sent")
    response = responses.start_or_resume(invitation)
    db.session.commit()
    lines = list(exports.csv_lines(round_))
    assert len(lines) == 1  # a draft is not exported
    assert response.status == "draft"


def test_export_command_gives_one_row_per_submitted_response(app, runner, tmp_path):
    survey = make_survey(round=make_round(slug="phase-2"))
    for n in range(3):
        _submit_minimal(survey, f"=cmd{n}")
    responses.start_or_resume(make_invitation(survey=survey, status="sent"))
    db.session.commit()
    result = runner.invoke(args=["export", "phase-2", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output.removeprefix("\ufeff"))))
    assert len(rows) == 4
    assert sorted(row[-1] for row in rows[1:]) == ["'=cmd0", "'=cmd1", "'=cmd2"]
    target = tmp_path / "out.xlsx"
    result = runner.invoke(args=["export", "phase-2", "--format", "xlsx", "--output", str(target)])
    assert result.exit_code == 0, result.output
    workbook = load_workbook(target, read_only=True)
    sheet_rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    assert len(sheet_rows) == 4
    assert sorted(row[-1] for row in sheet_rows[1:]) == ["'=cmd0", "'=cmd1", "'=cmd2"]
    assert runner.invoke(args=["export", "no-such-round"]).exit_code == 1


def test_csv_lines_are_a_generator(app):
    survey = make_survey()
    _submit_minimal(survey, "ok")
    lines = exports.csv_lines(survey.round)
    assert next(lines).startswith("\ufeffReference,")  # a byte-order mark, for Excel
    assert next(lines).count(",") == 6


def test_sheet_titles_are_distinct_short_and_legal(app):
    round_ = make_round()
    long_title = "Providers: what went well / what could improve [phase 2]?"
    surveys = [make_survey(round=round_, title=long_title) for _ in range(3)]

    titles = exports.sheet_titles(surveys)

    assert len(set(titles)) == 3
    assert all(len(title) <= 31 and not set(title) & set("[]:*?/\\") for title in titles)
    assert titles[0].startswith("Providers  what went well")
    assert titles[1].endswith(" (2)") and titles[2].endswith(" (3)")
