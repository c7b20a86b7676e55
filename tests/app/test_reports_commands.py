"""The analysis commands: `debrief tag`, `summarise`, `analyse` and `report`."""

from __future__ import annotations

import json

import pytest

from app.commands.tag import tag_command


def test_tag_writes_one_json_line_per_input_line(runner):
    lines = [
        {"text": "The EOI was well advertised and easy to find.", "kind": "went_well"},
        {"text": "The six-week window was far too short.", "kind": "improve", "id": "r2"},
        {"text": "Please give us more time next round."},
    ]
    stdin = "".join(json.dumps(line) + "\n" for line in lines)

    result = runner.invoke(tag_command, input=stdin)

    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["label"] for o in out[:2]] == ["positive", "negative"]
    assert out[1]["id"] == "r2"
    assert out[2]["suggestion"] is True
    for item in out:
        assert {"label", "polarity", "subjectivity", "suggestion", "reasons"} <= set(item)
        assert isinstance(item["reasons"], list)


def test_tag_reports_a_bad_line_as_json_and_carries_on(runner):
    stdin = (
        b'{"text": "Good briefing sessions."}\n'
        b"not json\n"
        b'{"kind": "improve"}\n'
        b'["text"]\n'
        b'{"text": "Fine", "kind": "sideways"}\n'
        b"\xff\xfe broken bytes\n"
        b"\n"
        b'{"text": "Clear guidance."}\n'
    )

    result = runner.invoke(tag_command, input=stdin)

    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 7
    assert out[0]["label"] == "positive" and out[-1]["label"] == "positive"
    errors = [o for o in out if "error" in o]
    assert [e["line"] for e in errors] == [2, 3, 4, 5, 6]
    assert "could not be tagged" in result.stderr


def test_tag_accepts_a_byte_order_mark(runner):
    result = runner.invoke(tag_command, input='\ufeff{"text": "Great support."}\n'.encode())

    assert result.exit_code == 0
    assert json.loads(result.stdout)["label"] == "positive"


def test_tag_keeps_order_and_ids_across_batches(runner, monkeypatch):
    from app.commands import tag as tag_module

    monkeypatch.setattr(tag_module, "BATCH", 2)
    stdin = (
        b'{"id": 1, "text": "Great support."}\n'
        b"oops\n"
        b'{"id": 3, "text": "The window was far too short."}\n'
        b'{"id": 4, "text": "Great support."}\n'
        b'{"id": 5, "text": "Clear guidance."}\n'
    )

    result = runner.invoke(tag_command, input=stdin)

    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("id", o.get("line")) for o in out] == [1, 2, 3, 4, 5]
    assert [o.get("label") for o in out] == ["positive", None, "negative", "positive", "positive"]
    assert result.exit_code == 1


# --- debrief summarise ---

CSV_ROWS = (
    "id,text,kind,sector\n"
    "1,The EOI was well advertised.,went_well,voluntary\n"
    "2,Good publicity in the local paper.,went_well,voluntary\n"
    "3,The timeframe was far too short.,improve,health\n"
    "4,We needed a longer timeframe.,improve,health\n"
)


def _summarise(runner, tmp_path, content: bytes, *args: str):
    from app.commands.summarise import summarise_command

    path = tmp_path / "feedback.csv"
    path.write_bytes(content)
    return runner.invoke(summarise_command, [str(path), *args])


def test_summarise_gives_json_themes_for_a_csv(runner, tmp_path):
    result = _summarise(runner, tmp_path, CSV_ROWS.encode(), "--format", "json")

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"went_well", "improve", "other", "non_answers"}
    assert sum(t["count"] for t in data["went_well"]) == 2
    assert sum(t["count"] for t in data["improve"]) == 2


def test_summarise_reads_a_byte_order_mark_and_mixed_case_headers(runner, tmp_path):
    content = "\ufeffID,Text,Kind\n1,Clear guidance,went_well\n".encode()

    result = _summarise(runner, tmp_path, content, "--format", "markdown")

    assert result.exit_code == 0, result.output
    assert "## What went well" in result.stdout


def test_summarise_explains_a_missing_text_column(runner, tmp_path):
    result = _summarise(runner, tmp_path, b"id,comment\n1,Too short\n")

    assert result.exit_code != 0
    assert "no 'text' column" in result.output and "comment" in result.output


def test_summarise_explains_a_file_that_is_not_utf8(runner, tmp_path):
    content = "text\nCaf\u00e9 venue was cold\n".encode("cp1252")

    result = _summarise(runner, tmp_path, content)

    assert result.exit_code != 0
    assert "not UTF-8" in result.output and "line 2" in result.output


def test_summarise_rejects_an_unknown_kind(runner, tmp_path):
    result = _summarise(runner, tmp_path, b"text,kind\nToo short,sideways\n")

    assert result.exit_code != 0
    assert "unknown kind" in result.output


CODEBOOK = (
    "theme,kind,text\n"
    "Time allowed to apply,improve,Six weeks was not long enough to apply\n"
    "Time allowed to apply,improve,The timeframe was too short for a small charity\n"
    "Time allowed to apply,improve,We needed a longer timeframe to apply\n"
    "Scoring panel membership,improve,Nobody from the voluntary sector sat on the panel\n"
)


def test_summarise_files_answers_under_a_codebook_and_counts_non_answers(runner, tmp_path):
    book = tmp_path / "themes.csv"
    book.write_text(CODEBOOK, encoding="utf-8")
    rows = CSV_ROWS + "5,Nothing.,improve,health\n6,N/A,improve,school\n"

    result = _summarise(
        runner, tmp_path, rows.encode(), "--format", "json", "--codebook", str(book)
    )

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["non_answers"] == {"went_well": 0, "improve": 2, "other": 0}
    timeframe = next(t for t in data["improve"] if set(t["answer_ids"]) & {"3", "4"})
    assert timeframe["label"] == "Time allowed to apply"  # named as `debrief report` names it
    assert set(timeframe["answer_ids"]) == {"3", "4"}
    assert not any(q in ("Nothing.", "N/A") for t in data["improve"] for q in t["quotes"])
    markdown = _summarise(runner, tmp_path, rows.encode(), "--codebook", str(book))
    assert "2 said nothing needed improving." in markdown.stdout
    assert "Grouping answers" in markdown.stderr


def test_summarise_explains_a_bad_codebook(runner, tmp_path):
    book = tmp_path / "themes.csv"
    book.write_text("theme,text\nTime,Too short\n", encoding="utf-8")
    result = _summarise(runner, tmp_path, CSV_ROWS.encode(), "--codebook", str(book))
    assert result.exit_code != 0 and "'kind'" in result.output
    book.write_text("theme,kind,text\nTime,sideways,Too short\n", encoding="utf-8")
    result = _summarise(runner, tmp_path, CSV_ROWS.encode(), "--codebook", str(book))
    assert result.exit_code != 0 and "Codebook row 1: unknown kind" in result.output


# --- debrief analyse and debrief report ---


@pytest.fixture
def small_round(app):
    from surveys.db import db
    from tests.factories import (
        ANALYSIS_DEFINITION,
        make_round,
        make_submitted_response,
        make_survey,
    )

    round_ = make_round(slug="phase-2", name="Phase 2")
    survey = make_survey(ANALYSIS_DEFINITION, round=round_)
    for went_well, improve in (
        ("The EOI was well advertised.", "The timeframe was far too short."),
        ("Good publicity in the paper.", "We needed a longer timeframe."),
        ("The advert reached everyone.", "Six weeks was too short a timeframe."),
    ):
        make_submitted_response(survey, {"went_well": went_well, "improve": improve})
    db.session.commit()
    return round_


def test_analyse_then_report(runner, small_round, tmp_path):
    from analysis.sentiment import TAGGER_VERSION

    analysed = runner.invoke(args=["analyse", "phase-2"])
    assert analysed.exit_code == 0, analysed.output
    assert "6 free-text answers, 6 re-tagged" in analysed.output
    assert TAGGER_VERSION in analysed.output
    again = runner.invoke(args=["analyse", "phase-2"])
    assert "0 re-tagged" in again.output

    markdown = runner.invoke(args=["report", "phase-2"])
    assert markdown.exit_code == 0
    assert markdown.stdout.startswith("# Lessons learned: Phase 2")
    output = tmp_path / "report.json"
    written = runner.invoke(args=["report", "phase-2", "--format", "json", "--output", output])
    assert written.exit_code == 0
    assert json.loads(output.read_text())["methodology"]["completed"] == 3
    html = runner.invoke(args=["report", "phase-2", "--format", "html"])
    assert "<svg" in html.stdout


def test_analyse_dry_run_shows_changes_and_changes_nothing(runner, small_round):
    from sqlalchemy import func, select

    from surveys.db import db
    from surveys.models import Answer

    result = runner.invoke(args=["analyse", "phase-2", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "dry run, nothing changed" in result.output and "6 would change theme" in result.output
    assert "new (" in result.output
    filed = db.session.scalar(select(func.count(Answer.id)).where(Answer.theme_id.is_not(None)))
    assert filed == 0


def test_unknown_round_is_a_clear_error(runner, app):
    for args in (["analyse", "phase-9"], ["report", "phase-9"]):
        result = runner.invoke(args=args)
        assert result.exit_code != 0 and "No round with the slug 'phase-9'" in result.output
