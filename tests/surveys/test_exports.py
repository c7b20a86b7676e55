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
    rows = list(csv.reader(io.StringIO(result.output)))
    assert len(rows) == 4
    assert sorted(row[-1] for row in rows[1:]) == ["'=cmd0", "'=cmd1", "'=cmd2"]
    target = tmp_path / "out.xlsx"
    result = runner.invoke(args=["export", "phase-2", "--format", "xlsx", "--output", str(target)])
    assert result.exit_code == 0, result.output
    workbook = load_workbook(target, read_only=True)
    assert len(list(workbook.worksheets[0].iter_rows())) == 4
    workbook.close()
    assert runner.invoke(args=["export", "no-such-round"]).exit_code == 1


def test_csv_lines_are_a_generator(app):
    survey = make_survey()
    _submit_minimal(survey, "ok")
    lines = exports.csv_lines(survey.round)
    assert next(lines).startswith("Reference,")
    assert next(lines).count(",") == 6
