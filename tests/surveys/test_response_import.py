"""Importing earlier evaluations: rows become tagged responses, once, with their provenance."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from surveys.db import db
from surveys.errors import InvalidInput
from surveys.models import Answer, ImportedRow, Response, StoredSummary
from surveys.services import exports, response_import, rounds, rounds_admin, summary_store
from tests.factories import make_officer, make_programme

FIXTURE = Path(__file__).parents[1] / "fixtures" / "past_evaluation_80.csv"


@pytest.fixture
def past_round(app):
    """A round for a phase that ended years ago: no invitations, never opened."""
    round_ = rounds_admin.create_round(
        make_programme(), "Phase 2", opens_on=date(2006, 9, 1), closes_on=date(2008, 3, 31)
    )
    rounds_admin.attach_template(round_, "provider-post-round")
    db.session.commit()
    return round_


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def import_file(round_, name: str, data: bytes, officer=None, **options):
    preview = response_import.preview(round_, name, data, **options)
    counts = response_import.apply(preview, officer=officer)
    db.session.commit()
    return preview, counts


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def test_eighty_past_answers_give_a_summary_with_themes_and_sentiment_once(past_round):
    data = FIXTURE.read_bytes()
    preview, counts = import_file(past_round, FIXTURE.name, data)

    assert preview.mapping == ["id", "kind", "sector", "text"]
    assert counts == {"new": 80, "already": 0, "problems": 0}
    assert rounds.apply_round_dates() == [] and past_round.status == "draft"
    imported = db.session.scalars(select(Response)).all()
    assert len(imported) == 80 and {r.channel for r in imported} == {"import"}
    assert {r.status for r in imported} == {"submitted"}
    assert {r.submitted_at.date() for r in imported} == {date(2008, 3, 31)}
    texts = db.session.scalars(select(Answer).where(Answer.kind.is_not(None))).all()
    assert len(texts) == 80 and all(a.sentiment_label for a in texts)
    assert all(a.vector_model for a in texts)
    stored = db.session.get(StoredSummary, past_round.id)
    assert stored.changes > stored.computed_changes  # stale: the worker recomputes it

    summary = summary_store.stored_summary(past_round).summary
    db.session.commit()
    assert summary.methodology.completed == 80
    assert len(summary.went_well) >= 2 and len(summary.improve) >= 2
    assert sum(t.count for t in summary.improve) >= 30
    negative = sum(t.sentiment.get("negative", 0) for t in summary.improve)
    positive = sum(t.sentiment.get("positive", 0) for t in summary.went_well)
    assert negative > 15 and positive > 15
    sectors = {s.sector for s in summary.sentiment_by_sector}
    assert {"Voluntary/Charity", "Health"} <= sectors

    changes = db.session.get(StoredSummary, past_round.id).changes
    again, counts = import_file(past_round, "renamed-copy.csv", data)
    assert counts == {"new": 0, "already": 80, "problems": 0}
    assert count(Response) == 80 and count(ImportedRow) == 80
    assert db.session.get(StoredSummary, past_round.id).changes == changes


def test_ratings_by_number_or_label_dates_and_provenance(past_round):
    officer = make_officer()
    rows = [
        [
            "Organisation",
            "Sector",
            "Date",
            "rating_window",
            "How well was the opportunity advertised?",
            "What went well?",
        ],
        ["Sure Start Trust", "Voluntary/Charity", "01/05/2008", "Poor", "5", "Clear forms"],
        ["Hill School", "school", "2008-04-30", "4 – Good", "does not apply", ""],
    ]
    preview, counts = import_file(past_round, "phase2.csv", csv_bytes(rows), officer=officer)
    assert counts["new"] == 2, [r.problems for r in preview.rows]
    first, second = db.session.scalars(select(Response).order_by(Response.id)).all()
    assert {a.question_id: a.value for a in first.answers} == {
        "rating_window": 2,
        "rating_advertising": 5,
        "went_well": "Clear forms",
        "sector": "voluntary",
    }
    assert {a.question_id: a.value for a in second.answers}["rating_advertising"] == "na"
    assert first.submitted_at.date() == date(2008, 5, 1) and first.entered_by_id == officer.id
    origin = db.session.scalars(
        select(ImportedRow).where(ImportedRow.response_id == first.id)
    ).one()
    assert (origin.file_name, origin.row_number, origin.organisation, origin.sector) == (
        "phase2.csv",
        2,
        "Sure Start Trust",
        "voluntary",
    )
    assert origin.imported_by_id == officer.id
    assert first.origin is origin
    header, *exported = list(exports.rows(past_round))
    assert exported[0][2:4] == ["Sure Start Trust", "Voluntary/Charity"]
    assert exported[0][4] == "Import"


def test_bad_rows_are_reported_and_fixing_them_adds_only_those(past_round):
    rows = [
        ["kind", "sector", "text", "rating_window"],
        ["went-well", "voluntary", "Good briefings", "5"],
        ["sideways", "voluntary", "Odd kind", ""],
        ["improve", "Martian", "Longer window", "9"],
        ["improve", "health", "x" * 2001, ""],
        ["improve", "health", "More time", ""],
        ["improve", "health", "More time", ""],  # the same words from someone else
    ]
    preview, counts = import_file(past_round, "mixed.csv", csv_bytes(rows))
    assert counts == {"new": 3, "already": 0, "problems": 3}
    problems = {r.number: r.problems for r in preview.rows if not r.ok}
    assert "Unknown kind ‘sideways’" in problems[3][0]
    assert any("Unknown sector ‘Martian’" in p for p in problems[4])
    assert any(p.startswith("rating_window:") for p in problems[4])
    assert "2,000 characters or fewer" in problems[5][0]

    rows[2][0], rows[3][1], rows[3][3], rows[4][2] = "improve", "private", "1", "Too long"
    _, counts = import_file(past_round, "mixed-fixed.csv", csv_bytes(rows))
    assert counts == {"new": 3, "already": 3, "problems": 0}
    assert count(Response) == 6


def test_an_xlsx_file_imports_like_a_csv(past_round):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["id", "kind", "text", "date"])
    sheet.append([17, "improve", "The deadline was too tight", date(2008, 2, 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _, counts = import_file(past_round, "old.xlsx", buffer.getvalue())
    assert counts["new"] == 1
    [response] = db.session.scalars(select(Response)).all()
    assert response.submitted_at.date() == date(2008, 2, 1)


@pytest.mark.parametrize(
    ("rows", "options", "message"),
    [
        ([["organisation", "sector"], ["Acme", "health"]], {}, "Map at least one column"),
        ([["text"], ["Hello"]], {"map_options": ["text=text"]}, "both a ‘kind’ and a ‘text’"),
        (
            [["a", "b"], ["1", "2"]],
            {"map_options": ["a=rating_window", "b=rating_window"]},
            "Two columns",
        ),
        ([["a"], ["1"]], {"map_options": ["a=nonsense"]}, "Unknown target"),
        ([["a"], ["1"]], {"map_options": ["z=id"]}, "does not name a column"),
    ],
)
def test_a_mapping_that_cannot_work_is_refused_before_any_row(past_round, rows, options, message):
    if "does not name" in message:
        with pytest.raises(InvalidInput) as refused:
            response_import.preview(past_round, "x.csv", csv_bytes(rows), **options)
        assert message in refused.value.errors["map"]
        return
    preview = response_import.preview(past_round, "x.csv", csv_bytes(rows), **options)
    assert message in preview.problem and preview.rows == []
    with pytest.raises(InvalidInput):
        response_import.apply(preview)


def test_a_round_needs_a_survey_to_import_into(app):
    round_ = rounds_admin.create_round(make_programme(), "Phase 1", closes_on=date(2006, 1, 1))
    with pytest.raises(InvalidInput) as refused:
        response_import.preview(round_, "x.csv", csv_bytes([["text"], ["Hi"]]))
    assert "Add a questionnaire" in refused.value.errors["survey"]


def test_headings_match_questions_whatever_their_punctuation(past_round):
    rows = [["What went well", "what could we improve"], ["Clear forms", "More time"]]
    preview, counts = import_file(past_round, "loose.csv", csv_bytes(rows))
    assert preview.mapping == ["went_well", "improve"] and counts["new"] == 1


def test_a_column_with_answers_mapped_to_nothing_stops_the_import(past_round):
    rows = [
        ["What went well?", "Anything else to add", "Empty", "went_well"],
        ["Clear forms", "Please keep the briefings", "", "Good venue"],
    ]
    preview = response_import.preview(past_round, "x.csv", csv_bytes(rows))
    # The second and fourth columns would have been dropped without a word; the empty one
    # loses nothing.
    assert preview.unmapped == [1, 3]
    assert "‘Anything else to add’, ‘went_well’ are not mapped" in preview.problem
    assert preview.rows and preview.count("new") == 1
    with pytest.raises(InvalidInput):
        response_import.apply(preview)
    assert count(Response) == 0

    chosen = ["went_well", response_import.LEAVE_OUT, "", "improve"]
    preview, counts = import_file(past_round, "x.csv", csv_bytes(rows), mapping=chosen)
    assert preview.problem == "" and counts["new"] == 1
    left_out = response_import.preview(
        past_round,
        "x.csv",
        csv_bytes(rows),
        map_options=["Anything else to add=", "went_well=improve"],
    )
    assert left_out.problem == "" and left_out.mapping[1] == response_import.LEAVE_OUT


def test_cells_past_the_last_heading_are_a_problem_on_their_row(past_round):
    rows = [["kind", "text"], ["improve", "More time", "and more notice"], ["improve", "Less", ""]]
    preview = response_import.preview(past_round, "x.csv", csv_bytes(rows))
    problems = {row.number: row.problems for row in preview.rows}
    assert problems == {2: ["1 cell past the last column with a heading"], 3: []}


def test_a_question_answered_by_two_columns_is_a_problem_not_an_overwrite(past_round):
    rows = [["kind", "text", "went_well"], ["went-well", "Clear forms", "Good venue"]]
    preview = response_import.preview(past_round, "x.csv", csv_bytes(rows))
    [row] = preview.rows
    assert row.problems == ["went_well: two columns answer this question in this row"]


def test_an_organisation_name_too_long_to_store_is_a_problem_not_cut(past_round):
    rows = [
        ["organisation", "kind", "text"],
        ["O" * 201, "improve", "More time"],
        ["O" * 200, "improve", "Less paperwork"],
    ]
    preview, counts = import_file(past_round, "x.csv", csv_bytes(rows))
    problems = {row.number: row.problems for row in preview.rows}
    assert problems == {2: ["Organisation names must be 200 characters or fewer"], 3: []}
    assert counts == {"new": 1, "already": 0, "problems": 1}
    assert db.session.scalars(select(ImportedRow.organisation)).all() == ["O" * 200]


def test_a_row_id_too_long_to_keep_is_a_problem_not_cut(past_round):
    # Cut to 100 characters, these two ids would be one: the second file's row skipped.
    first = [["id", "kind", "text"], ["A" * 100 + "1", "improve", "More time"]]
    import_file(past_round, "one.csv", csv_bytes(first))
    second = [["id", "kind", "text"], ["A" * 100 + "2", "improve", "Less paperwork"]]
    preview, counts = import_file(past_round, "two.csv", csv_bytes(second))
    assert [row.problems for row in preview.rows] == [["Row ids must be 100 characters or fewer"]]
    assert counts == {"new": 0, "already": 0, "problems": 1}
