"""The `debrief` help page lists exactly the commands the app registers."""

from __future__ import annotations

import click
import click.testing
from flask import Flask
from flask.cli import ScriptInfo

from app.cli import COMMAND_HELP, main


def test_help_table_matches_the_registered_commands(app: Flask) -> None:
    ctx = click.Context(main, obj=ScriptInfo(create_app=lambda: app))
    assert set(main.list_commands(ctx)) == set(COMMAND_HELP)


def test_help_page_lists_every_command_without_building_the_app() -> None:
    result = click.testing.CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name, help_text in COMMAND_HELP.items():
        assert f"{name}  " in result.output
        assert help_text[:30] in result.output


def _no_app() -> Flask:
    raise AssertionError("the app was built")


def test_tag_and_summarise_run_without_building_the_app(tmp_path) -> None:
    runner = click.testing.CliRunner()
    no_app = ScriptInfo(create_app=_no_app)
    tagged = runner.invoke(main, ["tag"], input='{"text": "Great support."}\n', obj=no_app)
    assert tagged.exit_code == 0, tagged.output
    assert '"label": "positive"' in tagged.output
    answers = tmp_path / "answers.csv"
    answers.write_text("text\nThe deadline was too short.\n", encoding="utf-8")
    summary = runner.invoke(main, ["summarise", str(answers), "--format", "json"], obj=no_app)
    assert summary.exit_code == 0, summary.output
    assert "The deadline was too short." in summary.output
