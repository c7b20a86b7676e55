"""The analysis commands: `debrief tag`, `summarise`, `analyse` and `report`."""

from __future__ import annotations

import json

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
